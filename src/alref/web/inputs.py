"""Request bodies of the JSON API and their translation into the CLI's own inputs.

A body is ``{"scenario": "<preset name or TOML text>", "set": {"cell.current": "3.2 kA"}}``.
It becomes exactly what the command line takes: a preset name or a TOML file (TOML text is
stored under the data directory by its hash, never read from a path the client names) and
``--set KEY=VALUE`` strings (each JSON value written as a TOML literal), so a run from the
dashboard is the run ``alref simulate SCENARIO --set ... --out DIR`` would make.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from alref.atomicio import write_bytes_atomic
from alref.errors import ConfigError

#: a dotted scenario key as `--set` takes it
KEY_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,199}$")
# assumption: 64 kB of TOML text is far above any preset (a few kB); 200 overrides likewise
MAX_SCENARIO_CHARS = 65536
MAX_OVERRIDES = 200
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class ScenarioBody(BaseModel):
    """``{"scenario": ..., "set": {...}}`` (unknown keys are refused, naming them)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    scenario: str | None = Field(default=None, max_length=MAX_SCENARIO_CHARS,
                                 description="preset name or TOML text (default scenario)")
    set_: dict[str, Any] = Field(default_factory=dict, alias="set",
                                 description="overrides {dotted key: value}, as --set")
    tags: list[str] = Field(default_factory=list, max_length=20,
                            description="labels for the runs list")


class StudyBody(ScenarioBody):
    """A study: kind, varied keys (KEY or KEY=SPEC, as --vary), sample count, seed."""

    kind: str = Field(description="sweep, mc, sobol or morris")
    vary: list[str] = Field(default_factory=list, max_length=50)
    n: int = Field(default=16, ge=1)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


@dataclass(frozen=True)
class ScenarioInput:
    """A body resolved into CLI inputs: `source` (preset name or stored TOML path),
    `overrides` (KEY=VALUE strings), `label` (what the user called it)."""

    source: str | None
    overrides: tuple[str, ...]
    label: str


def toml_literal(value: Any, key: str) -> str:
    """A JSON value as a TOML literal (inline tables and arrays included)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(key, f"{value!r} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_literal(v, key) for v in value) + "]"
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            name = k if _BARE_KEY.match(k) else json.dumps(k)
            parts.append(f"{name} = {toml_literal(v, f'{key}.{k}')}")
        return "{" + ", ".join(parts) + "}"
    raise ConfigError(key, f"{value!r} is not a number, string, boolean, list or table")


def overrides_of(changes: dict[str, Any]) -> tuple[str, ...]:
    """``{key: JSON value}`` -> ``("key=<TOML>", ...)`` (ConfigError naming a bad key)."""
    if len(changes) > MAX_OVERRIDES:
        raise ConfigError("set", f"{len(changes)} overrides; at most {MAX_OVERRIDES}")
    out = []
    for key, value in changes.items():
        if not KEY_RE.match(key) or ".." in key or key.endswith("."):
            raise ConfigError("set", f"{key[:80]!r} is not a dotted scenario key")
        out.append(f"{key}={toml_literal(value, key)}")
    return tuple(out)


def resolve(body: ScenarioBody, data_dir: Path) -> ScenarioInput:
    """The CLI inputs of a body; TOML text is parsed here (ConfigError naming ``scenario``)
    and stored as ``DATA/inputs/<hash>/custom.toml``. A string that is neither a preset nor
    TOML text is refused: the dashboard never opens a path named by a client."""
    from alref.scenario import preset_names

    overrides = overrides_of(body.set_)
    text = body.scenario
    if text is None or not text.strip():
        return ScenarioInput(None, overrides, "rusal-3ka-twitch (default)")
    name = text.strip()
    if name in preset_names():
        return ScenarioInput(name, overrides, name)
    if "=" not in text:
        raise ConfigError("scenario", f"{name[:80]!r} is not a preset "
                          f"({', '.join(preset_names())}) nor TOML text")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("scenario", f"invalid TOML ({exc})") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    path = data_dir / "inputs" / digest / "custom.toml"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return ScenarioInput(str(path), overrides, str(raw.get("name", "custom")))
