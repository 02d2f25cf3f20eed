"""Reading validation case files: the shipped cases (package data) or a directory of them.

Each file is validated (`alref.validation.cases.Case`), must be named after its id, cite a
known reference and name a computable quantity with the conditions it needs
(`alref.validation.quantities.check_inputs`).
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from alref import citations
from alref.errors import ConfigError
from alref.validation.cases import Case
from alref.validation.quantities import check_inputs

#: environment variable naming another case directory
CASES_ENV = "ALREF_VALIDATION_CASES"


def default_case_dir() -> Path:
    """`$ALREF_VALIDATION_CASES`, else the cases shipped as package data
    (``alref/data/validation``), so an installed wheel validates itself."""
    env = os.environ.get(CASES_ENV)
    if env:
        return Path(env)
    return Path(str(resources.files("alref.data").joinpath("validation")))


def _error(case_id: str, exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if p not in {"float", "tuple[float,float]"})
    if err["type"] == "extra_forbidden":
        return ConfigError(f"{case_id}.{loc}", "unknown key")
    if err["type"] == "missing":
        return ConfigError(f"{case_id}.{loc}", "required key is missing")
    msg = str(err["msg"]).removeprefix("Value error, ")
    return ConfigError(f"{case_id}.{loc}" if loc else case_id, msg)


def load_case(path: Path) -> Case:
    """Read and validate one case file; errors name the case and the key."""
    case_id = path.stem
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(case_id, f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(case_id, f"invalid TOML ({exc})") from None
    try:
        case = Case.model_validate(raw)
    except ValidationError as exc:
        raise _error(case_id, exc) from None
    if case.id != case_id:
        raise ConfigError(f"{case_id}.id", f"id {case.id!r} differs from the file name")
    if case.source not in citations.references():
        raise ConfigError(f"{case_id}.source", f"unknown reference key {case.source!r}")
    check_inputs(case)
    return case


def load_cases(directory: Path | str | None = None) -> list[Case]:
    """All cases of a directory, sorted by id."""
    folder = Path(directory) if directory is not None else default_case_dir()
    if not folder.is_dir():
        raise ConfigError("--cases", f"no validation case directory {str(folder)!r}")
    cases = [load_case(p) for p in sorted(folder.glob("*.toml"))]
    if not cases:
        raise ConfigError("--cases", f"no case files in {str(folder)!r}")
    return sorted(cases, key=lambda c: c.id)


def select(cases: list[Case], ids: list[str]) -> list[Case]:
    """The cases with these ids, in the given order; unknown ids are a ConfigError."""
    by_id = {c.id: c for c in cases}
    out = []
    for cid in ids:
        if cid not in by_id:
            raise ConfigError("CASES", f"unknown case id {cid!r}")
        out.append(by_id[cid])
    return out
