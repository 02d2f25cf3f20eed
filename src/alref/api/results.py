"""Typed results of the services: frozen dataclasses whose `to_dict()` is the `--json` object.

A result's fields, in declaration order, are the keys of its JSON object (ARCHITECTURE.md §6).
Three kinds of field change that rule (declared by the field's metadata):

- `OPTIONAL`: left out of the object while None (a key the command prints only sometimes);
- `SPREAD`: a mapping whose items are merged in at that place (keys a lower layer adds,
  e.g. the extra KPIs of a campaign summary or a stored study's record);
- `INTERNAL`: kept for Python callers (e.g. the `Solution` behind a simulation), never
  printed.

`to_dict()` converts nested results; it does not touch numbers (NaN stays NaN: making the
object strict JSON is the printer's job).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

_ROLE = "alref.role"
#: `field(default=None, metadata=OPTIONAL)`: printed only when not None
OPTIONAL = {_ROLE: "optional"}
#: `field(default_factory=dict, metadata=SPREAD)`: a mapping merged in at the field's place
SPREAD = {_ROLE: "spread"}
#: `field(default=None, repr=False, compare=False, metadata=INTERNAL)`: for Python callers
#: only (not in `to_dict`)
INTERNAL = {_ROLE: "internal"}


def plain(value: Any) -> Any:
    """`value` with nested results replaced by their dicts (lists and mappings walked)."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value] if any(isinstance(v, Result) for v in value) else value
    return value


@dataclass(frozen=True)
class Result:
    """Base of the typed results (see the module docstring)."""

    def to_dict(self) -> dict[str, Any]:
        """The `--json` object of the command (keys in field order)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            role = f.metadata.get(_ROLE)
            value = getattr(self, f.name)
            if role == "internal" or (role == "optional" and value is None):
                continue
            if role == "spread":
                out.update({k: plain(v) for k, v in value.items()})
            else:
                out[f.name] = plain(value)
        return out

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], **values: Any) -> Self:
        """Build from a service's dict: each field from its key, the other keys (in their
        order) into the `SPREAD` field; `values` set or override fields. A key that fits
        nowhere is a TypeError (the JSON object would silently lose it)."""
        named = {f.name for f in fields(cls) if f.metadata.get(_ROLE) != "spread"}
        spreads = [f.name for f in fields(cls) if f.metadata.get(_ROLE) == "spread"]
        kw = {k: v for k, v in mapping.items() if k in named}
        rest = {k: v for k, v in mapping.items() if k not in named and k not in values}
        if rest:
            if not spreads:
                raise TypeError(f"{cls.__name__} has no field for {', '.join(rest)}")
            kw[spreads[0]] = rest
        kw.update(values)
        return cls(**kw)
