"""Service of `alref blend`: the refining-aware scrap purchase (`alref.optimize.service`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alref.api.results import OPTIONAL, Result
from alref.errors import ConfigError
from alref.optimize.service import blend as optimise_blend


@dataclass(frozen=True)
class BlendResult(Result):
    """`alref blend --json`: the mix bought and its cost, the predicted and simulated
    product, the chance-constraint and linearisation details, and (for a confidence above
    0.5) the deterministic optimum on the same linearisation."""

    status: str
    objective: str
    objective_value: float
    confidence: float
    mix: dict[str, float]
    lots: list[dict[str, Any]]
    cost_usd: float
    cost_breakdown_usd: dict[str, float]
    predicted_product: dict[str, float]
    grade: str | None
    target: dict[str, Any]
    predicted: dict[str, Any]
    verified_by_simulation: dict[str, Any] | None
    solve_time_s: float
    linearisation_time_s: float
    rounds: list[dict[str, Any]]
    binding_constraints: list[str]
    chance_constraints: dict[str, Any]
    monte_carlo: dict[str, Any]
    linearisation: dict[str, Any]
    notes: list[str]
    deterministic: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    citations: list[str] = field(default_factory=list)


def blend(file: str | None = None, confidence: float = 0.95, mc_samples: int = 2000,
          mc_sims: int = 3) -> BlendResult:
    """Choose the scrap to buy for the pot plan of a blend TOML file (None: the built-in
    example) at a chance-constraint `confidence` in (0, 1); `mc_samples` Monte Carlo draws
    through the linear model and `mc_sims` through the campaign simulator check it."""
    if not 0.0 < confidence < 1.0:
        raise ConfigError("--confidence", f"must lie in (0, 1), got {confidence!r}")
    return BlendResult.from_mapping(optimise_blend(file, confidence, mc_samples=mc_samples,
                                                   mc_sims=mc_sims))
