"""Provenance checks of the packaged data (used by the data-integrity tests).

The rule (`alref.data`): every number in a data file has, in its own table or an enclosing
one, ``source`` + ``locator`` or a reasoned ``assumption``; every value of a scenario preset
is covered by its ``[provenance]`` table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alref.data import iter_numbers, load


def check_provenance(name: str, known_keys: set[str]) -> list[str]:
    """Problems with the provenance of ``<name>.toml`` (empty list when all is well)."""
    problems = []
    for dotted, _value, prov in iter_numbers(load(name)):
        if prov is None:
            problems.append(f"{name}:{dotted} has no source or assumption")
        elif "assumption" in prov:
            if len(prov["assumption"].strip()) < 10:
                problems.append(f"{name}:{dotted} assumption lacks a reason")
        else:
            if prov["source"] not in known_keys:
                problems.append(f"{name}:{dotted} cites unknown key {prov['source']!r}")
            if not prov["locator"].strip():
                problems.append(f"{name}:{dotted} source {prov['source']!r} has no locator")
    return problems


def provenance_problems(raw: Mapping[str, Any], known_keys: set[str]) -> list[str]:
    """Preset values (numbers and quantity strings) lacking a source or a reasoned assumption.

    A value at dotted key ``a.b.c`` is covered by the longest prefix in ``[provenance]``.
    Names, labels and choices (design, family, scrap class names, modes) are not values.
    """
    prov = raw.get("provenance", {})
    skip = {"name", "description", "provenance", "design", "family", "scrap", "pot_control",
            "campaign", "parameters", "economics", "footprint"}
    problems = []

    def covered(dotted: str) -> dict[str, str] | None:
        parts = dotted.split(".")
        for n in range(len(parts), 0, -1):
            hit = prov.get(".".join(parts[:n]))
            if hit is not None:
                return hit
        return None

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            dotted = f"{prefix}{key}"
            if not prefix and key in skip:
                continue
            if isinstance(value, Mapping):
                walk(value, dotted + ".")
                continue
            if key in skip and isinstance(value, str):
                continue
            p = covered(dotted)
            if p is None:
                problems.append(f"{dotted} has no source or assumption")
            elif "assumption" in p:
                if len(str(p["assumption"]).strip()) < 10:
                    problems.append(f"{dotted}: assumption lacks a reason")
            elif p.get("source") not in known_keys or not str(p.get("locator", "")).strip():
                problems.append(f"{dotted}: bad source {p.get('source')!r} or empty locator")

    walk(raw, "")
    return problems
