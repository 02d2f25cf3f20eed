"""Convert results to strict JSON (no NaN/Infinity tokens, numpy types unwrapped).

A base module (no alref imports): the campaign layer writes run-folder data with it and
`alref.report` re-exports it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

import numpy as np


def to_jsonable(obj: Any) -> Any:
    """Recursively turn `obj` into plain JSON types.

    Non-finite floats become ``None`` (JSON ``null``); numpy scalars and arrays become Python
    numbers and lists; tuples and sets become lists; mapping keys become strings; any other
    object is written as its ``str()``.
    """
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, list | tuple | set | frozenset):
        items = sorted(obj, key=str) if isinstance(obj, set | frozenset) else obj
        return [to_jsonable(v) for v in items]
    if isinstance(obj, PurePath):
        return str(obj)
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    return str(obj)


def dumps_strict(obj: Any) -> str:
    """JSON text of `obj` after `to_jsonable`; raises if a NaN/inf token would remain."""
    return json.dumps(to_jsonable(obj), indent=2, allow_nan=False, ensure_ascii=False) + "\n"
