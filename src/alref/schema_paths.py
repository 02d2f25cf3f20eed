"""Dotted keys over a pydantic schema: set values in raw tables, list the quantity fields.

One set of path rules for `--set`, `Scenario.derive` and studies. A key such as
``cell.parameters.transfer.entrainment_kg_per_a_s`` is followed through the schema:

* a field holding a model (``cell``, ``campaign.termination``) is entered by name, and
  created as an empty table when absent;
* a field holding a list (``campaign.actions``) takes an index (``campaign.actions.0.every``);
* a field holding a table of values (``cell.parameters``, ``electrolyte.composition``,
  ``feed.scrap`` when it is a blend) takes the *rest of the key* as one entry, so design
  paths with dots stay one key;
* keys the schema does not know are set as nested tables, and validation names them.

Units are declared once on the schema's quantity fields (``json_schema_extra={"unit":
...}``); `walk_units` lists them as dotted keys. `config_error_from` turns a pydantic
validation error into the one-line ConfigError naming the dotted key.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from alref.errors import ConfigError


def field_unit(model: type[BaseModel], name: str) -> str:
    """Declared unit of a quantity field (KeyError if the field has none)."""
    extra = model.model_fields[name].json_schema_extra
    if not isinstance(extra, dict) or "unit" not in extra:
        raise KeyError(f"{model.__name__}.{name} is not a quantity field")
    return str(extra["unit"])


def _args(annotation: Any) -> tuple[Any, ...]:
    """The members of a union annotation (the annotation itself otherwise)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(annotation)
    return (annotation,)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for a in _args(annotation):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def field_kind(model: type[BaseModel] | None, name: str) -> tuple[str, Any]:
    """("model", cls) | ("table", None) | ("list", item model or None) | ("other", None)."""
    if model is None or name not in model.model_fields:
        return "other", None
    annotation = model.model_fields[name].annotation
    sub = _model_in(annotation)
    if sub is not None:
        return "model", sub
    for a in _args(annotation):
        origin = typing.get_origin(a)
        if origin is list:
            (item,) = typing.get_args(a) or (None,)
            return "list", _model_in(item)
        if origin is dict:
            _k, value = typing.get_args(a)
            if typing.get_origin(value) is not dict and _model_in(value) is None:
                return "table", None
    return "other", None


def walk_units(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted key, unit of bare numbers) of every quantity field under `model`, entering
    nested models (not lists or tables)."""
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "unit" in extra:
            yield f"{prefix}{name}", str(extra["unit"])
            continue
        kind, sub = field_kind(model, name)
        if kind == "model":
            yield from walk_units(sub, f"{prefix}{name}.")


def _plain(value: Any) -> Any:
    """NumPy scalars as Python numbers (tables and strings unchanged)."""
    if hasattr(value, "item") and not isinstance(value, str | bytes | Mapping | list):
        try:
            return value.item()
        except (TypeError, ValueError):
            return value
    return value


def derive_raw(raw: Mapping[str, Any], changes: Mapping[str, Any], *,
               schema: type[BaseModel] | None = None, copy_raw: bool = True) -> dict[str, Any]:
    """`raw` with every ``{dotted key: value}`` of `changes` set (a copy unless
    `copy_raw` is False); ConfigError naming the key where the path cannot be followed."""
    out: dict[str, Any] = copy.deepcopy(dict(raw)) if copy_raw else dict(raw)
    for key, value in changes.items():
        parts = str(key).strip().split(".")
        if not all(parts):
            raise ConfigError(str(key) or "--set", "empty part in a dotted key")
        _set(out, parts, _plain(value), schema)
    return out


def _set(root: dict[str, Any], parts: list[str], value: Any,
         schema: type[BaseModel] | None) -> None:
    node: Any = root
    model = schema
    i = 0
    while i < len(parts) - 1:
        part = parts[i]
        here = ".".join(parts[: i + 1])
        kind, sub = field_kind(model, part)
        nxt = node.get(part)
        if kind == "table":
            if nxt is None:
                nxt = node[part] = {}
            if not isinstance(nxt, dict):
                raise ConfigError(here, "is not a table; cannot set a sub-key")
            nxt[".".join(parts[i + 1:])] = value
            return
        if kind == "list":
            idx = parts[i + 1]
            if not isinstance(nxt, list):
                raise ConfigError(here, "is not a list; give the whole list")
            if not idx.isdigit() or int(idx) >= len(nxt):
                raise ConfigError(f"{here}.{idx}", f"no item {idx} (the list has {len(nxt)})")
            if i + 2 == len(parts):
                nxt[int(idx)] = value
                return
            node = nxt[int(idx)]
            if not isinstance(node, dict):
                raise ConfigError(f"{here}.{idx}", "is not a table; cannot set a sub-key")
            model = sub
            i += 2
            continue
        if nxt is None:
            nxt = node[part] = {}
        if not isinstance(nxt, dict):
            raise ConfigError(here, "is not a table; cannot set a sub-key")
        node = nxt
        model = sub if kind == "model" else None
        i += 1
    node[parts[-1]] = value


def config_error_from(exc: ValidationError, prefix: str = "") -> ConfigError:
    """First pydantic error as a one-line ConfigError naming the dotted key (under
    `prefix` when a section was validated on its own)."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in ((prefix,) if prefix else ()) + tuple(err["loc"])
                   if not str(p).startswith("function-"))
    # drop the union-branch tags pydantic adds (e.g. 'str', 'float', 'dict[str,float]')
    parts = [p for p in loc.split(".") if p not in {"str", "float", "int", "dict[str,float]"}]
    loc = ".".join(parts)
    kind = err["type"]
    if kind == "extra_forbidden":
        return ConfigError(loc, "unknown key")
    if kind == "missing":
        return ConfigError(loc, "required key is missing")
    return ConfigError(loc, f"{err['msg']} (got {err.get('input')!r})")
