"""Error types shared by every layer.

`ConfigError` is raised for bad user input. It always names the offending key so
that the CLI can print one line and exit with status 2 (ARCHITECTURE.md §6).
"""

from __future__ import annotations


class AlrefError(Exception):
    """Base class of alref errors."""


class ConfigError(AlrefError, ValueError):
    """Bad user input: names the offending key (a dotted path) and what is wrong."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}" if key else message)


class DataError(AlrefError):
    """A packaged data file is malformed or lacks provenance (a bug, not user input)."""


class PhysicsError(AlrefError):
    """A physically impossible state was reached (e.g. a negative mass)."""
