"""The plan of a study: everything that determines its samples and results, and its id.

A study's identity is the hash of its kind, scenario table, factors, n, seed, sampler,
chunk size and engine (`StudySpec.study_id`), so a rerun of the same plan resumes the same
study (`alref.study.runner`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alref.errors import ConfigError
from alref.study.executors import ENGINES
from alref.study.spec import Factor, parse_factors

DEFAULT_CHUNK = 250  # samples per task: large enough to vectorise, small enough to balance


@dataclass
class StudySpec:
    """Everything that determines a study's samples and results."""

    kind: str
    scenario: str
    raw: dict[str, Any]
    factors: list[Factor]
    n: int
    seed: int = 0
    sampler: str = "random"
    chunk_size: int = DEFAULT_CHUNK
    engine: str = "batch"
    default_spread: float = 0.1

    @classmethod
    def build(cls, kind: str, scenario: str, raw: Mapping[str, Any], vary: Sequence[str],
              n: int, **kw: Any) -> StudySpec:
        spread = kw.get("default_spread", 0.1)
        factors = parse_factors(vary, raw, spread)
        spec = cls(kind, scenario, dict(raw), factors, n, **kw)
        if spec.chunk_size < 1:
            raise ConfigError("--chunk-size", "must be >= 1")
        if spec.engine not in ENGINES:
            raise ConfigError("--engine", f"unknown engine {spec.engine!r}; expected batch or "
                                          "reference")
        return spec

    def identity(self) -> dict[str, Any]:
        return {"kind": self.kind, "raw": self.raw, "factors": [f.to_dict() for f in self.factors],
                "n": self.n, "seed": self.seed, "sampler": self.sampler,
                "chunk_size": self.chunk_size, "engine": self.engine}

    @property
    def study_id(self) -> str:
        text = json.dumps(self.identity(), sort_keys=True, default=str)
        return f"{self.kind}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
