"""One grade family per report: lots graded within the family of the scenario's target.

A campaign grades each lot against every grade of the library (GOST, P-grades, AA/EN), so
one table could show ``A999`` next to ``P1020A``. Reports show instead the purest grade of
the *target's* family (P1020A -> the P-grades) and whether the lot meets the target
(`meets_target`, decided by the campaign).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from alref.materials.composition import Composition
from alref.materials.grades import check_grade, get_grade, grades

DEFAULT_TARGET = "P1020A"


@lru_cache(maxsize=8)
def family_of(target: str) -> str:
    """The family of grade `target` (e.g. ``P`` for P1020A)."""
    return get_grade(target).family


def family_grade(composition_wt_pct: Mapping[str, float], target: str | None) -> str | None:
    """The purest grade of `target`'s family that the analysis meets (None: none)."""
    family = family_of(target or DEFAULT_TARGET)
    comp = Composition.from_wt_pct({k: float(v) for k, v in composition_wt_pct.items()})
    for g in grades().values():
        if g.family == family and check_grade(comp, g).passed:
            return g.name
    return None


def lot_grade_rows(lots: list[Mapping[str, Any]], target: str | None) -> list[dict[str, Any]]:
    """Each lot dict (`Solution.summary["lots"]` form) with ``grade`` within the target's
    family and ``meets_target`` (None when the campaign did not judge it)."""
    out = []
    for lot in lots:
        comp = lot.get("composition_wt_pct") or {}
        row = dict(lot)
        row["grade"] = family_grade(comp, target) if comp else lot.get("grade")
        row["meets_target"] = lot.get("meets_target")
        out.append(row)
    return out
