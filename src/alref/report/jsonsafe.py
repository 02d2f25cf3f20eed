"""Strict JSON helpers, kept here for existing imports; they live in `alref.jsonsafe`
(a base module, so the campaign layer can write run-folder data without importing report)."""

from alref.jsonsafe import NonFiniteError, dumps_strict, to_jsonable

__all__ = ["NonFiniteError", "dumps_strict", "to_jsonable"]
