"""Check the research case files against today's case schema (research aid).

    python research/validation_cases/check_cases.py

For every ``*.toml`` here and in ``calibration/``: the file parses, `class` is one of
verification / calibration / validation, the rest validates with
`alref.validation.cases.Case` (which does not know `class` yet), the source key is in
the bibliography, and the id equals the file name. It then lists the quantities and
scenario presets the engine does not have yet (the lead's to-do when moving the cases),
and evaluates the cases whose quantity and preset exist (draft presets in ``presets/``).
Exit status 1 if a file is malformed; missing quantities or presets are only reported.
"""

from __future__ import annotations

import sys
import tomllib
import warnings
from pathlib import Path

from alref import citations, scenario
from alref.validation.cases import Case
from alref.validation.quantities import REGISTRY, Evaluator

HERE = Path(__file__).resolve().parent
CLASSES = {"verification", "calibration", "validation"}


def main() -> int:
    warnings.simplefilter("ignore")
    refs = citations.references()
    bad, pending, runnable = [], [], []
    files = sorted(HERE.glob("*.toml")) + sorted((HERE / "calibration").glob("*.toml"))
    counts: dict[str, int] = {}
    for path in files:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        cls = raw.pop("class", None)
        if cls not in CLASSES:
            bad.append(f"{path.name}: class {cls!r}")
            continue
        counts[cls] = counts.get(cls, 0) + 1
        try:
            case = Case.model_validate(raw)
        except Exception as exc:
            bad.append(f"{path.name}: {exc}")
            continue
        if case.id != path.stem:
            bad.append(f"{path.name}: id {case.id!r} differs from the file name")
        if case.source not in refs:
            bad.append(f"{path.name}: unknown source {case.source!r}")
        missing = []
        if case.quantity not in REGISTRY:
            missing.append(f"quantity {case.quantity}")
        sc = case.conditions.scenario
        preset = HERE / "presets" / f"{sc}.toml" if sc else None
        if preset is not None and not preset.exists():
            preset = None
            if sc not in scenario.preset_names():
                missing.append(f"preset {sc}")
        if missing:
            pending.append(f"{case.id}: needs {', '.join(missing)}")
        else:
            runnable.append((case, str(preset) if preset else None))
    print(f"{len(files)} files; by class: {counts}")
    for line in bad:
        print("BAD ", line)
    for line in pending:
        print("TODO", line)
    ev = Evaluator()
    for case, preset in runnable:
        if preset:
            case = case.model_copy(update={"conditions": case.conditions.model_copy(
                update={"scenario": preset})})
        try:
            value = ev.evaluate(case)
            verdict = "pass" if case.passes(value) else "FAIL"
            print(f"RUN  {case.id}: {value:.6g} {case.unit} vs {case.expected} -> {verdict}")
        except Exception as exc:
            print(f"RUN  {case.id}: error {type(exc).__name__}: {exc}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
