"""The scenario editor's fields, generated from the scenario schema (`alref.scenario`).

Every scalar field of the schema becomes one input (dotted key, unit of bare numbers,
default, allowed range, description, the preset's value); a table of numbers
(``electrolyte.composition``, a scrap blend) becomes one input per entry of the preset.
Lists (action plans, profiles) are edited as TOML text in the editor's advanced box.
"""

from __future__ import annotations

import typing
from functools import lru_cache
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from alref.schema_paths import field_kind

SKIPPED = ("name", "description", "provenance")
_BOUNDS = {Ge: ("ge", "≥"), Gt: ("gt", ">"), Le: ("le", "≤"), Lt: ("lt", "<")}


def _range(metadata: list[Any]) -> str:
    parts = []
    for m in metadata:
        for cls, (attr, sym) in _BOUNDS.items():
            if isinstance(m, cls):
                parts.append(f"{sym} {getattr(m, attr)}")
    return ", ".join(parts)


def _options(annotation: Any) -> list[str]:
    for a in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(a) is typing.Literal:
            return [str(x) for x in typing.get_args(a)]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(x) for x in typing.get_args(annotation)]
    return []


def _default(info: Any) -> Any:
    if info.default is not PydanticUndefined:
        return "" if info.default is None else info.default
    return "(required)" if info.default_factory is None else ""


def _walk(model: type[BaseModel], raw: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, info in model.model_fields.items():
        if not prefix and name in SKIPPED:
            continue
        key = f"{prefix}{name}"
        kind, sub = field_kind(model, name)
        value = raw.get(name) if isinstance(raw, dict) else None
        if kind == "model":
            out.extend(_walk(sub, value if isinstance(value, dict) else {}, key + "."))
            continue
        if kind == "list":
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        base = {"description": info.description or "", "unit": extra.get("unit", ""),
                "range": _range(info.metadata)}
        if kind == "table" or isinstance(value, dict):
            if isinstance(value, dict):
                for entry, v in value.items():
                    out.append({**base, "key": f"{key}.{entry}", "label": f"{key} · {entry}",
                                "value": v, "default": "", "input": "number", "options": []})
                continue
            if typing.get_origin(info.annotation) is dict:
                continue  # an empty table: nothing to show (the TOML box sets entries)
        options = _options(info.annotation)
        out.append({**base, "key": key, "label": key, "value": "" if value is None else value,
                    "default": _default(info), "options": options,
                    "input": "select" if options else "text"})
    return out


@lru_cache(maxsize=32)
def _fields_cached(preset: str) -> tuple[tuple[str, tuple[dict[str, Any], ...]], ...]:
    from alref.scenario import Scenario, load_raw

    raw = load_raw(preset)
    sections: dict[str, list[dict[str, Any]]] = {}
    for f in _walk(Scenario, raw, ""):
        sections.setdefault(f["key"].split(".", 1)[0], []).append(f)
    return tuple((name, tuple(fs)) for name, fs in sections.items())


def editor_fields(preset: str) -> list[dict[str, Any]]:
    """``[{"section", "fields": [{key, label, unit, default, range, description, value,
    input, options}]}]`` of a preset (ConfigError naming SCENARIO if unknown)."""
    return [{"section": name, "fields": [dict(f) for f in fs]}
            for name, fs in _fields_cached(preset)]
