"""Scalar root finding for the physics layers, with SciPy imported on first use.

`brentq` is `scipy.optimize.brentq` (Brent 1973, "Algorithms for Minimization without
Derivatives", ch. 4). `scipy.optimize` takes about half a second to import; importing it
here only when a root is first needed keeps commands that stop at input validation (an
exit 2 on a bad value) fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def brentq(f: Callable[..., float], a: float, b: float, **kwargs: Any) -> float:
    """The root of `f` on the bracket [a, b] (`scipy.optimize.brentq`, same keywords)."""
    from scipy.optimize import brentq as scipy_brentq

    return scipy_brentq(f, a, b, **kwargs)
