"""The version of alref (one place; `alref.__version__` re-exports it)."""

__version__ = "0.1.0"
