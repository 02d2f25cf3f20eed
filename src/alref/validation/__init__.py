"""Validation against published results and calibration of the declared parameters.

`alref validate` runs every case shipped in ``alref/data/validation`` (`runner.validate`);
`alref calibrate` fits a technology's calibration parameters to chosen cases
(`calibrate.calibrate`) and writes them to ``data/calibration/<technology>.toml``.
"""

from alref.validation.case_files import load_cases
from alref.validation.cases import Case
from alref.validation.quantities import REGISTRY, Evaluator
from alref.validation.runner import run_cases, summarize, validate

__all__ = ["REGISTRY", "Case", "Evaluator", "load_cases", "run_cases", "summarize", "validate"]
