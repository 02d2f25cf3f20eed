"""Packaged, cited data tables (TOML) and their loader.

Provenance rule (checked by the data-integrity tests, `tests/provenance.py`): every numeric
value in a data file must have, in its own table or an enclosing one, either
``source = "<references.bib key>"`` together with ``locator = "<page/table/eq.>"``, or
``assumption = "<reason>"``. The nearest enclosing declaration wins.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from alref.errors import DataError

PROVENANCE_KEYS = ("source", "locator", "assumption")


@cache
def load(name: str) -> dict[str, Any]:
    """Load ``alref/data/<name>.toml`` (name may contain '/' for sub-folders)."""
    path = resources.files("alref.data").joinpath(*f"{name}.toml".split("/"))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"no data file {name}.toml") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}.toml: {exc}") from None
    return data


def read_text(name: str) -> str:
    """The text of ``alref/data/<name>.toml`` as shipped (comments included)."""
    path = resources.files("alref.data").joinpath(*f"{name}.toml".split("/"))
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"no data file {name}.toml") from None


def list_files(folder: str = "") -> list[str]:
    """Names (without .toml) of the data files in a data sub-folder, recursively."""
    root = resources.files("alref.data")
    base = root.joinpath(*folder.split("/")) if folder else root
    out: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        for item in sorted(node.iterdir(), key=lambda p: p.name):
            if item.is_dir() and not item.name.startswith("_"):
                walk(item, f"{prefix}{item.name}/")
            elif item.name.endswith(".toml"):
                out.append(f"{prefix}{item.name[:-5]}")

    walk(base, f"{folder}/" if folder else "")
    return out


def provenance_of(path: list[Mapping[str, Any]]) -> dict[str, str] | None:
    """Nearest provenance declaration along a chain of enclosing tables (outer -> inner)."""
    for table in reversed(path):
        if "assumption" in table:
            return {"assumption": str(table["assumption"])}
        if "source" in table:
            return {"source": str(table["source"]), "locator": str(table.get("locator", ""))}
    return None


def iter_numbers(
    data: Mapping[str, Any], chain: tuple[Mapping[str, Any], ...] = (), prefix: str = ""
) -> Iterator[tuple[str, Any, dict[str, str] | None]]:
    """Yield (dotted key, value, provenance) for every numeric leaf in `data`."""
    chain = (*chain, data)
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from iter_numbers(value, chain, dotted + ".")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from iter_numbers(item, chain, f"{dotted}[{i}].")
                elif _is_number(item):
                    yield f"{dotted}[{i}]", item, provenance_of(list(chain))
        elif _is_number(value):
            yield dotted, value, provenance_of(list(chain))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
