"""The scenario-file reference, generated from the pydantic schema of `alref.scenario`.

Every key of a scenario TOML file with its type, the unit of a bare number, its default,
its allowed range (the schema's constraints and choices) and its description; the
`[campaign]` plan's actions, trigger quantities and terminations; the action kinds from
the classes that apply them.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from alref.campaign import actions as campaign_actions
from alref.campaign.protocol import QUANTITY_PATTERNS, ActionSpec, default_actions
from alref.scenario import Scenario
from alref.schema_paths import field_kind

SECTIONS = {
    "": "Top-level keys",
    "cell": "`[cell]`: the pot and how it is run",
    "electrolyte": "`[electrolyte]`: the bath",
    "feed": "`[feed]`: the scrap charged",
    "campaign": "`[campaign]`: the operating plan",
    "campaign.actions[]": "`[[campaign.actions]]`: one action of the plan (a list)",
    "campaign.termination": "`[campaign.termination]`: when the cycle ends",
    "economics": "`[economics]`: prices, plant and finance (`alref assess`)",
    "footprint": "`[footprint]`: carbon footprint method (`alref assess`)",
}


#: descriptions of keys whose schema field has none yet (the schema's own description wins)
FALLBACK = {
    "name": "scenario name (default: the preset's name, or the file name without .toml)",
    "description": "one line shown by `alref scenarios` and in reports",
    "campaign.current_profile": "piecewise-constant line current [[time, current], ...] "
    "(default: cell.current throughout)",
    "campaign.actions[].kind": "what the action does (see the action kinds below)",
    "campaign.actions[].mass": "charge_scrap: scrap mass or 'hold_level' (what holds the "
    "anode compartment's level); tap: metal mass out; add_cu: Cu mass in",
    "campaign.actions[].leave": "tap: cathode metal left (default: the design's pad); "
    "tap_bath: bath left (default: the nominal bath volume)",
    "campaign.actions[].scrap": "charge_scrap: a scrap class or blend other than the "
    "scenario's feed.scrap",
    "campaign.actions[].add": "correct_bath: salts added {SALT = mass}, or 'restore' (AlF3 "
    "that brings the cryolite ratio back to its initial value)",
    "campaign.actions[].fraction": "drain_residue: share of the sludge drained; correct_bath: "
    "share of the bath replaced by fresh bath",
    "campaign.time_step": "integration step of the engine",
    "campaign.termination.alloy_superheat_min": "the cycle ends when the anode alloy is less "
    "than this above its liquidus",
    "campaign.termination.bath_superheat_min": "the cycle ends when the bath is less than "
    "this above its liquidus",
    "campaign.termination.sludge_capacity": "the cycle ends when the sludge exceeds this "
    "(default: the design's sludge capacity)",
    "campaign.termination.density_margin_min": "stacked pots: the cycle ends when two "
    "layers' densities differ by less than this",
    "campaign.termination.bath_limits": "upper limits on bath quantities that end the "
    "cycle, e.g. {'bath.MgF2_wt_pct' = 8}",
}


def type_name(annotation: Any) -> str:
    """A short, readable type: ``quantity``, ``str | table``, ``list``..."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        parts = [type_name(a) for a in typing.get_args(annotation) if a is not type(None)]
        seen: list[str] = []
        for p in parts:
            if p not in seen:
                seen.append(p)
        if seen[:3] == ["str", "float", "int"] or seen[:2] == ["str", "float"]:
            seen = ["quantity", *[s for s in seen if s not in ("str", "float", "int")]]
        return " | ".join(seen)
    if origin is typing.Literal:
        return "choice"
    if origin is dict:
        return "table"
    if origin in (list, tuple):
        return "list"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "section"
        return annotation.__name__
    return str(annotation)


def choices(annotation: Any) -> list[str]:
    """The literal choices anywhere in the annotation."""
    out: list[str] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return [repr(a) for a in typing.get_args(annotation)]
    if origin is typing.Union or origin is types.UnionType:
        for a in typing.get_args(annotation):
            out += choices(a)
    return out


def value_range(info: Any, extra: dict[str, Any]) -> str:
    """The schema's bounds (``>= 0``, ``(0, 1]``, a quantity's declared range with its
    reason), list lengths and choices, as text."""
    lo = hi = None
    lo_open = hi_open = False
    parts = []
    for m in info.metadata:
        if isinstance(m, at.Ge):
            lo = m.ge
        elif isinstance(m, at.Gt):
            lo, lo_open = m.gt, True
        elif isinstance(m, at.Le):
            hi = m.le
        elif isinstance(m, at.Lt):
            hi, hi_open = m.lt, True
        elif isinstance(m, at.MinLen) and m.min_length:
            parts.append("non-empty" if m.min_length == 1 else f"length >= {m.min_length}")
        elif isinstance(m, at.MaxLen):
            parts.append(f"length <= {m.max_length}")
    if "range" in extra:  # a quantity's declared range: [lo, hi, lo_open, hi_open, why]
        qlo, qhi, qlo_open, qhi_open, why = [*extra["range"], False, False, ""][:5]
        text = (f"{'(' if qlo_open else '['}{qlo if qlo is not None else '-∞'}, "
                f"{qhi if qhi is not None else '∞'}{')' if qhi_open else ']'}")
        parts.insert(0, f"{text} ({why})" if why else text)
    elif lo is not None and hi is not None:
        parts.insert(0, f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}")
    elif lo is not None:
        parts.insert(0, f"{'>' if lo_open else '>='} {lo:g}")
    elif hi is not None:
        parts.insert(0, f"{'<' if hi_open else '<='} {hi:g}")
    ch = choices(info.annotation)
    if ch:
        parts.append("one of " + ", ".join(f"`{c}`" for c in ch))
    return "; ".join(parts)


def default_text(info: Any) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        value = info.default_factory()
        if isinstance(value, BaseModel):
            return "(section defaults)"
        return f"`{value!r}`" if value not in ({}, []) else "empty"
    if info.default is PydanticUndefined or info.default is None:
        return "none"
    return f"`{info.default!r}`"


def cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def rows(model: type[BaseModel], prefix: str, sections: dict[str, list[tuple]]) -> None:
    """Collect the rows of `model` under `prefix`, entering sub-models and list items."""
    here = sections.setdefault(prefix.rstrip("."), [])
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        kind, sub = field_kind(model, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        unit = extra.get("unit", "")
        if kind == "model":
            rows(sub, key + ".", sections)
            here.append((name, "section", "", default_text(info), "",
                         info.description or f"see [{key}](#{anchor(key)})"))
            continue
        if kind == "list" and sub is not None:
            rows(sub, key + "[].", sections)
            here.append((name, "list of tables", "", default_text(info), "",
                         (info.description or "") + f" (items: see `{key}[]` below)"))
            continue
        here.append((name, type_name(info.annotation), unit, default_text(info),
                     value_range(info, extra), info.description or FALLBACK.get(key, "")))


def anchor(key: str) -> str:
    return "section-" + key.replace(".", "-").replace("[]", "-item")


def action_kinds() -> list[tuple[str, str]]:
    out = []
    for obj in vars(campaign_actions).values():
        if isinstance(obj, type) and issubclass(obj, campaign_actions.PlanAction) \
                and obj is not campaign_actions.PlanAction:
            out.append((obj.kind, " ".join((obj.__doc__ or "").split())))
    return out


def page() -> str:
    sections: dict[str, list[tuple]] = {}
    rows(Scenario, "", sections)
    lines = [
        "# Scenario file reference",
        "",
        "*Generated from the schema (`alref.scenario.Scenario`) when the docs are built; "
        "do not edit by hand.*",
        "",
        "A scenario is one TOML file (or a built-in preset: `alref scenarios`, "
        "`alref scenarios show NAME`). Unknown keys are rejected with the key named. "
        "A quantity takes a string with its own unit (`\"3 kA\"`, `\"800 degC\"`, "
        "`\"6 h\"`) or a bare number in the unit of the column *unit*. Every key can be "
        "overridden on the command line with `--set KEY=VALUE` (a TOML value) or from "
        "Python with `Scenario.derive({KEY: value})`; in a table of values "
        "(`cell.parameters`, `electrolyte.composition`, `feed.scrap` as a blend) the rest "
        "of the dotted key is one entry, and a list item is addressed by its index "
        "(`campaign.actions.0.every`). Ranges not shown here are checked when the "
        "scenario is built (e.g. the ACD within the design's limits) and the error names "
        "the key.",
        "",
    ]
    for prefix, title in SECTIONS.items():
        body = sections.get(prefix)
        if body is None:
            continue
        lines += [f"({anchor(prefix) if prefix else 'section-top'})=", f"## {title}", "",
                  "| key | type | unit | default | range | description |",
                  "|---|---|---|---|---|---|"]
        full = f"{prefix}." if prefix else ""
        for name, typ, unit, default, rng, desc in body:
            lines.append(f"| `{full}{name}` | {cell(typ)} | {cell(unit)} | {cell(default)} "
                         f"| {cell(rng)} | {cell(desc)} |")
        lines.append("")
        if prefix == "campaign.actions[]":
            lines += ["### Action kinds", "", "| kind | what it does |", "|---|---|"]
            for kind, doc in action_kinds():
                lines.append(f"| `{kind}` | {cell(doc)} |")
            lines += [
                "",
                "### Triggers",
                "",
                "An action fires every `every` from `start`, at the times `at`, or when the "
                "condition `when` holds; with `every`/`at` and `when` together the condition "
                "gates the timed firing. Conditions read `QUANTITY OP NUMBER` with OP one of "
                "`<`, `<=`, `>`, `>=`; the quantities (unit in the name):",
                "",
                "| quantity (pattern) | meaning |", "|---|---|",
            ]
            for pattern, meaning in QUANTITY_PATTERNS.items():
                lines.append(f"| `{pattern.replace(chr(92), '')}` | {cell(meaning)} |")
            lines += ["", "### The default plan", "",
                      "Without `campaign.actions` a scenario runs this plan "
                      "(`alref.campaign.protocol.default_actions`):", "", "```toml"]
            for a in default_actions():
                lines.append("[[campaign.actions]]")
                for k, v in a.model_dump(exclude_defaults=True).items():
                    lines.append(f"{k} = {toml_value(v)}")
            lines += ["```", ""]
    lines += ["## Action fields by kind", "",
              "| field | used by |", "|---|---|"]
    used = {"every": "every kind (trigger)", "start": "every kind (trigger)",
            "at": "every kind (trigger)", "when": "every kind (trigger)",
            "mass": "`charge_scrap` (kg or `\"hold_level\"`), `tap`, `add_cu`",
            "leave": "`tap`, `tap_bath`", "scrap": "`charge_scrap` (another scrap than the feed)",
            "add": "`correct_bath` (`{SALT = mass}` or `\"restore\"`)",
            "fraction": "`drain_residue`, `correct_bath` (share replaced by fresh bath)"}
    for name in ActionSpec.model_fields:
        if name in used:
            lines.append(f"| `{name}` | {used[name]} |")
    lines.append("")
    return "\n".join(lines)


def toml_value(v: Any) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    return repr(v)
