"""Dotted keys over a pydantic schema: set values in raw tables, list the quantity fields.

One set of path rules for `--set`, `Scenario.derive` and studies. A key such as
``cell.parameters.transfer.entrainment_kg_per_a_s`` is followed through the schema:

* a field holding a model (``cell``, ``campaign.termination``) is entered by name, and
  created as an empty table when absent;
* a field holding a list (``campaign.actions``) takes an index (``campaign.actions.0.every``,
  or ``campaign.actions[0].every`` as messages print it);
* a field holding a table of values (``cell.parameters``, ``electrolyte.composition``,
  ``feed.scrap`` when it is a blend) takes the *rest of the key* as one entry, so design
  paths with dots stay one key;
* keys the schema does not know are set as nested tables, and validation names them.

Units are declared once on the schema's quantity fields (``json_schema_extra={"unit":
...}``); `walk_units` lists them as dotted keys. `config_error_from` turns a pydantic
validation error into the one-line ConfigError naming the dotted key. `read_toml` reads a
user's TOML file (scenario, blend) within a size and nesting-depth limit, as UTF-8.
"""

from __future__ import annotations

import copy
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
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


#: a list index written as the messages print it, ``actions[0]`` (same as ``actions.0``)
_INDEX = re.compile(r"\[(\d+)\]")


def derive_raw(raw: Mapping[str, Any], changes: Mapping[str, Any], *,
               schema: type[BaseModel] | None = None, copy_raw: bool = True) -> dict[str, Any]:
    """`raw` with every ``{dotted key: value}`` of `changes` set (a copy unless
    `copy_raw` is False); ConfigError naming the key where the path cannot be followed."""
    out: dict[str, Any] = copy.deepcopy(dict(raw)) if copy_raw else dict(raw)
    for key, value in changes.items():
        parts = _INDEX.sub(r".\1", str(key).strip()).split(".")
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
                raise ConfigError(f"{here}[{idx}]", f"no item {idx} (the list has {len(nxt)})")
            if i + 2 == len(parts):
                nxt[int(idx)] = value
                return
            node = nxt[int(idx)]
            if not isinstance(node, dict):
                raise ConfigError(f"{here}[{idx}]", "is not a table; cannot set a sub-key")
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


#: union-branch and validator tags pydantic adds to an error location
_TAG = re.compile(r"^(str|float|int|bool|none|list|tuple|dict|constrained-\w+|function-[\w-]+|"
                  r"(list|tuple|dict|literal|set)\[[^\s]*\])$")


def _is_tag(part: str) -> bool:
    """A union-branch or validator tag pydantic adds to an error location."""
    return bool(_TAG.match(part))


def _dotted(parts: Iterable[str | int]) -> str:
    """A location as the user writes it: ``campaign.actions[0].mass`` (list indices in
    brackets, the form the plan's own messages use)."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def config_error_from(exc: ValidationError, prefix: str = "") -> ConfigError:
    """The most specific pydantic error as a one-line ConfigError naming the dotted key
    (under `prefix` when a section was validated on its own): of a union's branches, the
    one that got deepest into the value (a table with one bad entry names the entry, not
    "not a string")."""
    errors = exc.errors()
    err = max(errors, key=lambda e: (e["type"] != "string_type"
                                     and e["type"] not in ("dict_type", "model_type"),
                                     len(e["loc"])))
    parts = ((prefix,) if prefix else ()) + tuple(err["loc"])
    loc = _dotted(p for p in parts if not _is_tag(str(p))) or prefix or "scenario"
    kind = err["type"]
    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, ConfigError):  # raised by a validator: its key is under `loc`
        return ConfigError(".".join(p for p in (loc, inner.key) if p), inner.message)
    if kind == "extra_forbidden":
        return ConfigError(loc, "unknown key")
    if kind == "missing":
        return ConfigError(loc, "required key is missing")
    shown = repr(err.get("input"))
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return ConfigError(loc, f"{err['msg']} (got {shown})")


#: largest TOML file read (a scenario is a few kB; an hourly price profile of a year ~100 kB)
MAX_FILE_BYTES = 2_000_000
#: deepest nesting of tables and arrays in a TOML file (the schema needs 5)
MAX_DEPTH = 16


def read_toml(source: str | Path, key: str) -> dict[str, Any]:
    """The table of a user's TOML file: at most `MAX_FILE_BYTES`, UTF-8 text, nested at
    most `MAX_DEPTH` deep; otherwise a one-line ConfigError naming `key` and the file."""
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(key, f"{str(source)[:200]}: {size} bytes, more than the "
                                   f"{MAX_FILE_BYTES} a scenario or blend file may have")
        blob = path.read_bytes()
    except OSError as exc:
        raise ConfigError(key, f"cannot read {str(source)[:200]!r}: "
                               f"{exc.strerror or exc.__class__.__name__}") from None
    try:
        text = blob.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        hint = " (it looks like UTF-16)" if blob[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise ConfigError(key, f"{str(source)[:200]}: not UTF-8 text{hint}; save the file "
                               "as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(key, f"{str(source)[:200]}: invalid TOML "
                               f"({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise ConfigError(key, f"{str(source)[:200]}: nested deeper than {MAX_DEPTH}") from None
    check_depth(raw, key)
    return raw


def check_depth(raw: Any, key: str) -> None:
    """ConfigError naming `key` if `raw` nests tables and lists deeper than `MAX_DEPTH`."""
    stack: list[tuple[Any, int]] = [(raw, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(key, f"tables or lists nested deeper than {MAX_DEPTH}")
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            stack.extend((v, depth + 1) for v in node)


def parse_set_value(text: str) -> Any:
    """Parse the VALUE of `--set KEY=VALUE` as TOML; a bare word falls back to a string."""
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError("--set", f"value longer than {MAX_FILE_BYTES} characters")
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        raise ConfigError("--set", f"value nested deeper than {MAX_DEPTH}") from None
    check_depth(value, "--set")
    return value


def parse_overrides(overrides: Iterable[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings -> {dotted key: Python value} (later keys win)."""
    out: dict[str, Any] = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError("--set", f"expected KEY=VALUE, got {item!r}")
        out.pop(key, None)
        out[key] = parse_set_value(value)
    return out
