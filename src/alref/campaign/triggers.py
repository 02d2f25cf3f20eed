"""Triggers of the campaign's actions, as masks over rows of pots.

An action fires at a period (`every`, from `start`), at listed times (`at`), or when a
condition on the observables holds (`when`); with `every`/`at` and `when` together, the
condition gates the timed firing. Each row keeps its own schedule state, so rows that end
early or act differently never disturb each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alref.campaign.protocol import Condition

#: time slack (s) when comparing step times with trigger times (steps are >= 60 s)
T_EPS = 1e-6


@dataclass
class Trigger:
    """When an action fires; `due` returns the rows (mask) where it fires at t."""

    every_s: float | None
    start_s: float
    at_s: tuple[float, ...]
    when: Condition | None
    _next: np.ndarray | None = field(default=None, repr=False)
    _done: dict[float, np.ndarray] = field(default_factory=dict, repr=False)

    def reset(self, n: int) -> None:
        self._next = np.full(n, self.start_s)
        self._done = {ta: np.zeros(n, bool) for ta in self.at_s}

    def due(self, t: float, values: dict[str, Any], alive: np.ndarray) -> np.ndarray:
        fire = np.zeros(alive.shape[0], bool)
        if self.every_s is not None:
            nd = self._next
            fire |= t + T_EPS >= nd
            while True:
                m = nd <= t + T_EPS
                if not m.any():
                    break
                nd[m] += self.every_s
        for ta, done in self._done.items():
            hit = ~done & (t + T_EPS >= ta)
            done |= hit
            fire |= hit
        if self.when is not None:
            x = values.get(self.when.quantity)
            cond = np.zeros_like(fire) if x is None else np.asarray(self.when(values), bool)
            fire = cond if (self.every_s is None and not self.at_s) else (fire & cond)
        return fire & alive
