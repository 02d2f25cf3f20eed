"""Product grades of unalloyed aluminium and classification of an analysis against them.

Conformance follows the rounding method the standards prescribe (ASTM E29 section 6.4, cited
by the AA registration footnotes; GOST 11069-2019 clause 5.3 and Annex A):

1. each observed value is rounded to the last place of its limit, a trailing 5 going to the
   even digit (ASTM E29 6.4.3, ISO 80000-1 Annex B rule B);
2. "others" are the elements without their own limit; "others total" sums those >= 0.010 %,
   each expressed to the second decimal;
3. Al is 100 minus the sum of the other elements present at >= 0.010 % each (0.0010 % for
   high-purity grades, Mg excluded), each expressed to the second (third) decimal; the
   result is rounded to the places of the Al minimum and compared.

``method="absolute"`` compares unrounded values (ASTM E29 absolute method).
Ordering "by purity": higher Al minimum first; ties by the smaller Si + Fe allowance, then name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Any

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError
from alref.materials.composition import Composition


def round_half_even(value: float, places: int) -> Decimal:
    """Round a float as written (its shortest repr) to `places` decimals, ties to even."""
    return Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN
    )


def decimal_places(limit: float, minimum: int) -> int:
    """Decimals to which an analysis is rounded before it is compared with `limit`: as many
    as the limit is written with, at least `minimum` (ASTM E29 / EN 573 practice)."""
    exponent = Decimal(repr(float(limit))).normalize().as_tuple().exponent
    return max(minimum, -int(exponent) if isinstance(exponent, int) else minimum)


def reporting_decimals(limit: float) -> int:
    """Decimal places an analysis is rounded to when checked against `limit` (ASTM E29
    with the grade file's minimum number of decimals)."""
    return decimal_places(limit, int(grade_table()["rules"]["places"]["min_decimals"]))


@dataclass(frozen=True, eq=False)
class Grade:
    name: str
    family: str
    title: str
    status: str
    rule: str
    al_min: float
    max: dict[str, float]
    combined: tuple[tuple[tuple[str, ...], float], ...] = ()
    others_each: float | None = None
    others_total: float | None = None
    decimals: dict[str, int] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    source: str | None = None
    locator: str = ""

    @property
    def purity_key(self) -> tuple[float, float, str]:
        sife = sum(self.max.get(el, 0.0) for el in ("Si", "Fe"))
        for els, mx in self.combined:
            if set(els) & {"Si", "Fe"}:
                sife += mx
        return (-self.al_min, sife if sife > 0 else math.inf, self.name)


@dataclass(frozen=True)
class GradeCheck:
    grade: str
    passed: bool
    failing_elements: tuple[str, ...]
    status: str
    al_by_difference: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "passed": self.passed,
            "failing_elements": list(self.failing_elements),
            "status": self.status,
            "al_by_difference_wt_pct": self.al_by_difference,
        }


@dataclass(frozen=True)
class GradeResult:
    grade: str | None
    al_wt_pct: float
    checks: tuple[GradeCheck, ...]

    def check(self, name: str) -> GradeCheck:
        g = get_grade(name)
        return next(c for c in self.checks if c.grade == g.name)


@lru_cache(maxsize=1)
def grade_table() -> dict[str, Any]:
    """The raw ``data/grades.toml`` table (grades and rounding rules)."""
    return data.load("grades")


@lru_cache(maxsize=1)
def _library() -> dict[str, Grade]:
    out = {}
    for name, g in grade_table()["grade"].items():
        others = g.get("others", {})
        out[str(name)] = Grade(
            name=str(name),
            family=str(g["family"]),
            title=str(g.get("title", name)),
            status=str(g["status"]),
            rule=str(g["rule"]),
            al_min=float(g["al_min"]),
            max={k: float(v) for k, v in g.get("max", {}).items()},
            combined=tuple((tuple(c["elements"]), float(c["max"])) for c in g.get("combined", ())),
            others_each=others.get("others_each", g.get("others_each")),
            others_total=g.get("others_total"),
            decimals={k: int(v) for k, v in g.get("decimals", {}).items()},
            aliases=tuple(g.get("aliases", ())),
            source=g.get("source"),
            locator=str(g.get("locator", g.get("assumption", ""))),
        )
    return dict(sorted(out.items(), key=lambda kv: kv[1].purity_key))


def _norm(label: str) -> str:
    return label.strip().lower().replace(" ", "").replace("_", "-")


def grades() -> dict[str, Grade]:
    """All grades, purest first."""
    return dict(_library())


def get_grade(name: str, key: str = "--grade") -> Grade:
    """Look up a grade by name or alias (case-insensitive)."""
    for g in _library().values():
        if _norm(name) in {_norm(g.name), *map(_norm, g.aliases)}:
            return g
    raise ConfigError(key, f"unknown grade {name!r}")


def _cite(grade: Grade) -> None:
    rules = grade_table()["rules"]
    if grade.source:
        cite(grade.source)
    if grade.status != "sourced":
        note_assumption(f"grades.{grade.name}")
    cite(rules["rounding"]["source"], rules[grade.rule]["source"])
    note_assumption("grades.rules.places")


def check_grade(composition: Composition, grade: Grade, method: str = "rounding") -> GradeCheck:
    """Check one analysis against one grade (see module docstring for the rules)."""
    rules = grade_table()["rules"]
    min_dec = int(rules["places"]["min_decimals"])
    rule = rules[grade.rule]
    rounding = method == "rounding"
    _cite(grade)

    def observed(value: float, limit: float, el: str = "") -> Decimal:
        if not rounding:
            return Decimal(repr(float(value)))
        return round_half_even(value, grade.decimals.get(el, decimal_places(limit, min_dec)))

    failing: list[str] = []
    for el, limit in grade.max.items():
        if observed(composition.wt_pct(el), limit, el) > Decimal(repr(limit)):
            failing.append(el)
    named = set(grade.max)
    for els, limit in grade.combined:
        named |= set(els)
        total = math.fsum(composition.wt_pct(el) for el in els)
        if observed(total, limit) > Decimal(repr(limit)):
            failing.append("+".join(els))
    others = {el: w for el, w in composition.impurities().items() if el not in named}
    if grade.others_each is not None:
        lim = Decimal(repr(grade.others_each))
        failing += [el for el, w in others.items() if observed(w, grade.others_each) > lim]
    # "others total" and Al by difference use the same threshold and places (AA footnotes)
    threshold = float(rule["al_difference_threshold"])
    places = int(rule["al_difference_decimals"])
    if grade.others_total is not None:
        parts = [round_half_even(w, places) for w in others.values() if w >= threshold]
        total = float(sum(parts, Decimal(0)))
        if observed(total, grade.others_total) > Decimal(repr(grade.others_total)):
            failing.append("others_total")
    counted = [
        (round_half_even(w, places) if rounding else Decimal(repr(w)))
        for el, w in composition.impurities().items()
        if el not in rule["exclude"] and w >= threshold
    ]
    al = Decimal(100) - sum(counted, Decimal(0))
    al_obs = round_half_even(float(al), decimal_places(grade.al_min, min_dec)) if rounding else al
    if al_obs < Decimal(repr(grade.al_min)):
        failing.append("Al")
    return GradeCheck(grade.name, not failing, tuple(failing), grade.status, float(al))


def classify(
    composition: Composition, method: str = "rounding", only: str | None = None
) -> GradeResult:
    """Check an analysis against every grade (or `only` one); report the purest grade met."""
    pool = [get_grade(only)] if only else list(_library().values())
    checks = tuple(check_grade(composition, g, method) for g in pool)
    best = next((c.grade for c in checks if c.passed), None)
    return GradeResult(best, composition.al_wt_pct, checks)


def grade_report(
    composition: dict[str, float], grade: str | None = None, key: str = "--composition"
) -> dict[str, Any]:
    """Service for `alref grade`: impurities in wt %, Al the balance (or given)."""
    comp = Composition.from_wt_pct(composition, balance="Al", key=key)
    if grade is not None:
        get_grade(grade)  # unknown grade -> ConfigError naming --grade
    result = classify(comp, only=grade)
    out: dict[str, Any] = {
        "grade": result.grade,
        "al_wt_pct": result.al_wt_pct,
        "composition_wt_pct": comp.as_dict(),
        "checks": [c.as_dict() for c in result.checks],
        "ordering": "purest first: higher Al minimum, then smaller Si+Fe allowance",
    }
    if result.grade is not None:
        out["grade_status"] = _library()[result.grade].status
    if grade is not None:
        out["passed"] = result.checks[0].passed
    return out
