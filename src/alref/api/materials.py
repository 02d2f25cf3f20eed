"""Services of `alref grade` and `alref scrap list|show`: product grades and scrap classes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alref.api.results import OPTIONAL, Result
from alref.citations import track_citations
from alref.materials.grades import grade_report
from alref.materials.scrap_report import scrap_detail, scrap_summary


@dataclass(frozen=True)
class GradeResult(Result):
    """`alref grade --json`: the highest grade met and every grade's check (purest first);
    `grade_status` when a grade is met, `passed` when one grade was asked for."""

    grade: str | None
    al_wt_pct: float
    composition_wt_pct: dict[str, float]
    checks: list[dict[str, Any]]
    ordering: str
    grade_status: str | None = field(default=None, metadata=OPTIONAL)
    passed: bool | None = field(default=None, metadata=OPTIONAL)
    citations: list[str] = field(default_factory=list)


def grade(composition: Mapping[str, float], grade: str | None = None) -> GradeResult:
    """Classify a metal analysis (impurities in wt %, Al the balance or given) against the
    P-grades, GOST 11069 and the EN/AA unalloyed grades; `grade` checks that one only."""
    with track_citations() as tracker:
        out = grade_report(dict(composition), grade=grade)
    return GradeResult.from_mapping(out, citations=tracker.sorted_keys())


@dataclass(frozen=True)
class ScrapClasses(Result):
    """`alref scrap list --json`: one row per scrap class."""

    scrap: list[dict[str, Any]]
    citations: list[str]


def scrap_classes() -> ScrapClasses:
    """The scrap classes with their ISRI code, mean Al and metal yield."""
    with track_citations() as tracker:
        rows = scrap_summary()
    return ScrapClasses(rows, tracker.sorted_keys())


@dataclass(frozen=True)
class ScrapClassDetail(Result):
    """`alref scrap show --json`: one scrap class in full."""

    key: str
    name: str
    isri_code: str
    description: str
    composition_wt_pct: dict[str, dict[str, float]]
    nonmetallic_wt_pct: dict[str, float]
    metal_yield: float
    alloy_mix: list[dict[str, Any]]
    limits: dict[str, Any]
    sources: list[dict[str, str]]
    citations: list[str]


def scrap_class_detail(name: str) -> ScrapClassDetail:
    """Composition distribution, non-metallics, yield and sources of one scrap class (name,
    ISRI code or alias; an unknown name is a ConfigError naming NAME)."""
    with track_citations() as tracker:
        out = scrap_detail(name, key="NAME")
    return ScrapClassDetail.from_mapping(out, citations=tracker.sorted_keys())
