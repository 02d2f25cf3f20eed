"""Convert results to strict JSON (no NaN/Infinity tokens, numpy types unwrapped).

A base module (no alref imports): the campaign layer writes run-folder data with it and
`alref.report` re-exports it.

Nothing non-finite leaves alref (issue 17): a NaN or infinity in a result is refused with
`NonFiniteError` naming its dotted key, never written as ``null`` (which would read as "not
given"). A field that is optional is ``None`` where it is produced (e.g. an IRR without a
sign change, a break-even price without scrap), and documented there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

import numpy as np


class NonFiniteError(ValueError):
    """A result holds NaN or infinity at `key` (a dotted path into the result)."""

    def __init__(self, key: str, value: float) -> None:
        self.key = key
        self.value = value
        super().__init__(f"{key or 'result'}: the result is not a finite number ({value!r}); "
                         "nothing non-finite is written")


def to_jsonable(obj: Any, path: str = "") -> Any:
    """Recursively turn `obj` into plain JSON types.

    Numpy scalars and arrays become Python numbers and lists; tuples and sets become lists;
    mapping keys become strings; any other object is written as its ``str()``. A NaN or
    infinity raises `NonFiniteError` naming its dotted key (`path` is the prefix).
    """
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        if not math.isfinite(value):
            raise NonFiniteError(path, value)
        return value
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v, f"{path}.{k}" if path else str(k)) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v, f"{path}[{i}]") for i, v in enumerate(obj.tolist())]
    if isinstance(obj, list | tuple | set | frozenset):
        items = sorted(obj, key=str) if isinstance(obj, set | frozenset) else obj
        return [to_jsonable(v, f"{path}[{i}]") for i, v in enumerate(items)]
    if isinstance(obj, PurePath):
        return str(obj)
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict(), path)
    return str(obj)


def dumps_strict(obj: Any) -> str:
    """JSON text of `obj` after `to_jsonable` (NonFiniteError on NaN/inf)."""
    return json.dumps(to_jsonable(obj), indent=2, allow_nan=False, ensure_ascii=False) + "\n"
