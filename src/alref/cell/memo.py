"""Provenance carried by cached values: the citations, assumptions and warnings recorded
while a value was computed, replayed wherever the value is used again.

Results computed inside `alref.citations.track_citations()` list the references they used,
and the range checks of the correlations raise `RangeWarning`s that the commands report.
A value built once and reused (a `Feed` shared by many pots, its memoised heat demand)
would record both only the first time; `recorded` keeps them with the value and
`Provenance.replay` records them again (functions: `alref.citations.citing_cache`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from alref.citations import cite, note_assumption, track_citations

R = TypeVar("R")


@dataclass(frozen=True)
class Provenance:
    """Citations, labelled assumptions and warnings recorded while computing a value."""

    keys: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    warnings: tuple[tuple[str, type[Warning]], ...] = ()

    def replay(self) -> None:
        """Record the citations and assumptions again and re-issue the warnings."""
        if self.keys:
            cite(*self.keys)
        for name in self.assumptions:
            note_assumption(name)
        for message, category in self.warnings:
            warnings.warn(message, category, stacklevel=3)


def recorded(fn: Callable[[], R]) -> tuple[R, Provenance]:
    """Call `fn()` and return its value with the provenance it recorded (not replayed)."""
    with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    prov = Provenance(tuple(sorted(tracker.keys)), tuple(sorted(tracker.assumptions)),
                      tuple((str(w.message), w.category) for w in caught))
    return value, prov
