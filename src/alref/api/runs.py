"""Services of `alref runs list|show|compare`: the results catalogue.

The store (`alref.store.catalog.Catalog`, above this layer) is opened by the caller and
passed in (`RunStore`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from alref.api.results import SPREAD, Result


class RunStore(Protocol):
    """What the run services read from a results store."""

    def list_entries(self) -> list[dict[str, Any]]: ...
    def show(self, entry_id: str) -> dict[str, Any]: ...
    def compare(self, ids: Sequence[str]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class StoredEntries(Result):
    """`alref runs list --json`: the store and its studies and runs, newest first."""

    store: str
    entries: list[dict[str, Any]]


@dataclass(frozen=True)
class StoredEntry(Result):
    """`alref runs show --json`: one stored study (meta + summary) or run (summary)."""

    entry: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)


@dataclass(frozen=True)
class EntryComparison(Result):
    """`alref runs compare --json`: key outputs (study means, run values) side by side."""

    ids: list[str]
    outputs: dict[str, dict[str, Any]]


def runs_list(store: RunStore, location: str) -> StoredEntries:
    """Studies and runs of `store` (found at `location`), newest first."""
    return StoredEntries(location, store.list_entries())


def runs_show(store: RunStore, entry_id: str) -> StoredEntry:
    """One stored study or run by id or unique prefix (ConfigError naming ID otherwise)."""
    return StoredEntry(store.show(entry_id))


def runs_compare(store: RunStore, ids: Sequence[str]) -> EntryComparison:
    """Key outputs of two or more stored studies and runs."""
    return EntryComparison.from_mapping(store.compare(list(ids)))
