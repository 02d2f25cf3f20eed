"""What a study varies: factors parsed from ``--vary`` and their distributions.

A factor is a scenario key (dotted, as ``--set``: ``cell.current``, ``cell.acd``,
``electrolyte.composition.AlF3``), a design parameter (``cell.parameters.<path>``, e.g.
``cell.parameters.transfer.entrainment_kg_per_a_s``), one element of the scrap feed
(``feed.composition.Si``, wt % of the metal, Al balance) or the whole feed composition
(``feed.composition``: Monte Carlo draws from the scrap classes' spread model,
`alref.materials.scrap.ScrapClass.sample_array`, keeping the correlations between elements).

``--vary KEY`` alone takes the default distribution:

* ``feed.composition.<El>``: uniform with the spread model's mean and standard deviation
  of that element (mean ± √3·sd, clipped at 0);
* ``cell.parameters.<path>``: the calibrated ``range`` of the technology's calibration file
  (`alref.cell.design.calibration`) when present, else ± the study's default relative
  spread, labelled as an assumption;
* any other numeric scenario key: ± the default relative spread (assumption).

``--vary KEY=SPEC`` with SPEC one of ``LO:HI`` (uniform), ``uniform(LO,HI)``,
``normal(MEAN,SD)``, ``triangular(LO,MODE,HI)``, ``±P%`` / ``pmP%`` (uniform ± P % of the
nominal value) or ``A,B,C`` (levels, for sweeps). Bare numbers are in the unit the
scenario schema declares for that key (`alref.scenario.quantity_keys`: A, degC, cm...;
SI for design parameters).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alref.cell.design import calibrated_raw, calibration, design_table
from alref.errors import ConfigError
from alref.materials.elements import is_element
from alref.materials.scrap import resolve_blend
from alref.scenario import from_raw, quantity_keys
from alref.units import to_si

FEED_BLOCK = "feed.composition"
DISTRIBUTIONS = ("uniform", "normal", "triangular", "truncnorm", "levels", "scrap_spread")


@dataclass(frozen=True)
class Factor:
    """One varied input: key, kind, distribution and where its range comes from."""

    key: str
    kind: str  # "scenario" | "parameter" | "feed_element" | "feed_block"
    dist: str  # one of DISTRIBUTIONS
    args: tuple[float, ...]
    nominal: float
    provenance: str
    levels: tuple[float, ...] = field(default=())

    def bounds(self) -> tuple[float, float]:
        """Range used by sweeps and SALib (normal: mean ± 2 sd)."""
        if self.dist in ("uniform", "triangular", "truncnorm"):
            return (self.args[0], self.args[1]) if self.dist == "truncnorm" else (
                self.args[0], self.args[-1])
        if self.dist == "normal":
            return self.args[0] - 2 * self.args[1], self.args[0] + 2 * self.args[1]
        if self.dist == "levels":
            return min(self.levels), max(self.levels)
        return math.nan, math.nan

    def to_dict(self) -> dict[str, Any]:
        """JSON form; ``nominal`` is None (optional) for the scrap-spread block, which has
        no single nominal value."""
        nominal = self.nominal if math.isfinite(self.nominal) else None
        return {"key": self.key, "kind": self.kind, "dist": self.dist, "args": list(self.args),
                "levels": list(self.levels), "nominal": nominal,
                "provenance": self.provenance}


def _lookup(raw: Mapping[str, Any], dotted: str) -> Any:
    node: Any = raw
    for part in dotted.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            raise KeyError(dotted)
    return node


def _bare(value: Any, unit: str, key: str) -> float:
    """A scenario quantity as a bare number in `unit` (its unit when written bare)."""
    si = to_si(value, unit, key=key)
    if unit == "degC":
        return si - 273.15
    return si / to_si(1.0, unit, key=key)


def nominal_value(raw: Mapping[str, Any], key: str) -> tuple[str, float, dict[str, Any]]:
    """(kind, nominal value, calibration entry or {}) of a factor key in a raw scenario."""
    if key.startswith("feed.composition."):
        el = key.split(".", 2)[2]
        if not is_element(el) or el == "Al":
            raise ConfigError("--vary", f"unknown parameter {key!r} (expected an element, not Al)")
        blend = resolve_blend(raw.get("feed", {}).get("scrap"), "feed.scrap")
        return "feed_element", blend.mean_composition().wt_pct(el), {}
    if key.startswith("cell.parameters."):
        path = key.split(".", 2)[2]
        design = raw.get("cell", {}).get("design", "")
        try:
            base = calibrated_raw(design)
        except ConfigError:
            raise ConfigError("--vary", f"unknown parameter {key!r}") from None
        try:
            value = _lookup(base, path)
        except KeyError:
            raise ConfigError("--vary", f"unknown parameter {key!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError("--vary", f"parameter {key!r} is not a number")
        value = raw.get("cell", {}).get("parameters", {}).get(path, value)
        tech = design_table(design).get("technology")
        return "parameter", float(value), calibration(tech).get(path, {})
    try:
        value = _lookup(raw, key)
    except KeyError:
        try:  # a key the file leaves at its default
            value = _lookup(from_raw(raw).model_dump(), key)
        except (KeyError, ConfigError):
            raise ConfigError("--vary", f"unknown parameter {key!r}") from None
    units = quantity_keys()
    if key in units:
        if value is None:
            raise ConfigError("--vary", f"scenario key {key!r} is not set; give a range")
        return "scenario", _bare(value, units[key], key), {}
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError("--vary", f"scenario key {key!r} is not a number")
    return "scenario", float(value), {}


_FUNC = re.compile(r"^(uniform|normal|triangular)\((.*)\)$")
_PCT = re.compile(r"^(?:±|pm|\+-)\s*([0-9.eE+-]+)\s*%$")


def _numbers(text: str, key: str) -> tuple[float, ...]:
    try:
        out = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise ConfigError(f"--vary.{key}", f"expected numbers, got {text!r}") from None
    if not all(math.isfinite(x) for x in out):
        raise ConfigError(f"--vary.{key}", "numbers must be finite")
    return out


def parse_factor(text: str, raw: Mapping[str, Any], default_spread: float) -> Factor:
    """One ``--vary`` item against a raw scenario table."""
    key, sep, spec = (s.strip() for s in text.partition("="))
    if not key:
        raise ConfigError("--vary", f"empty parameter name in {text!r}")
    if key == FEED_BLOCK:
        if sep and spec:
            raise ConfigError("--vary", f"{FEED_BLOCK} takes no distribution (scrap spread model)")
        resolve_blend(raw.get("feed", {}).get("scrap"), "feed.scrap")
        return Factor(key, "feed_block", "scrap_spread", (), math.nan,
                      "scrap spread model (data/scrap.toml [spread_model])")
    kind, nominal, cal = nominal_value(raw, key)
    if not sep or not spec:
        return _default_factor(key, kind, nominal, cal, raw, default_spread)
    m = _FUNC.match(spec.replace(" ", ""))
    if m:
        args = _numbers(m.group(2), key)
        need = {"uniform": 2, "normal": 2, "triangular": 3}[m.group(1)]
        if len(args) != need:
            raise ConfigError(f"--vary.{key}", f"{m.group(1)} needs {need} numbers")
        dist = m.group(1)
    elif (p := _PCT.match(spec.replace(" ", ""))) is not None:
        frac = _numbers(p.group(1), key)[0] / 100.0
        args, dist = (nominal * (1 - frac), nominal * (1 + frac)), "uniform"
    elif ":" in spec:
        args, dist = _numbers(spec.replace(":", ","), key), "uniform"
        if len(args) != 2:
            raise ConfigError(f"--vary.{key}", "expected LO:HI")
    else:
        levels = _numbers(spec, key)
        if not levels:
            raise ConfigError(f"--vary.{key}", "no levels given")
        return Factor(key, kind, "levels", (), nominal, "user", tuple(levels))
    if dist in ("uniform", "triangular") and not args[0] < args[-1]:
        raise ConfigError(f"--vary.{key}", f"empty range {args[0]:g}..{args[-1]:g}")
    if dist == "triangular" and not args[0] <= args[1] <= args[2]:
        raise ConfigError(f"--vary.{key}", "triangular needs LO <= MODE <= HI")
    if dist == "normal" and args[1] <= 0:
        raise ConfigError(f"--vary.{key}", "normal needs SD > 0")
    lo, hi = args[0], args[-1]
    return Factor(key, kind, dist, tuple(args), nominal, "user", (lo, hi))


def _default_factor(key: str, kind: str, nominal: float, cal: Mapping[str, Any],
                    raw: Mapping[str, Any], spread: float) -> Factor:
    if kind == "feed_element":
        el = key.split(".", 2)[2]
        blend = resolve_blend(raw.get("feed", {}).get("scrap"), "feed.scrap")
        sd = blend.composition_sd().get(el, 0.0)
        if sd <= 0:
            raise ConfigError("--vary", f"{key}: the feed has no spread in {el}; give a range")
        half = math.sqrt(3.0) * sd
        lo, hi = max(nominal - half, 0.0), nominal + half
        return Factor(key, kind, "uniform", (lo, hi), nominal,
                      "scrap spread model: mean ± √3 sd (data/scrap.toml [spread_model])")
    if kind == "parameter" and "range" in cal:
        rng = cal["range"]
        lo, hi = (float(rng["lo"]), float(rng["hi"])) if isinstance(rng, Mapping) else (
            float(rng[0]), float(rng[1]))
        sd = float(cal.get("uncertainty") or 0.0)
        where = (f"calibration file: fitted {cal.get('value', nominal):.4g} ± {sd:.3g} (1 sigma, "
                 f"fitted to {', '.join(cal.get('fitted_to', []))}) within its range "
                 f"[{lo:g}, {hi:g}]")
        if sd > 0 and lo < nominal < hi:
            return Factor(key, kind, "truncnorm", (lo, hi, nominal, sd), nominal, where, (lo, hi))
        return Factor(key, kind, "uniform", (lo, hi), nominal, where, (lo, hi))
    if nominal == 0:
        raise ConfigError("--vary", f"{key}: nominal value is 0; give a range (LO:HI)")
    lo, hi = sorted((nominal * (1 - spread), nominal * (1 + spread)))
    return Factor(key, kind, "uniform", (lo, hi), nominal,
                  f"assumption: ± {100 * spread:g} % of the nominal value (no uncertainty data)")


def parse_factors(items: Sequence[str], raw: Mapping[str, Any], default_spread: float
                  ) -> list[Factor]:
    """All ``--vary`` items; duplicates and an empty list are errors naming ``--vary``."""
    if not items:
        raise ConfigError("--vary", "give at least one parameter to vary")
    if not 0 < default_spread < 1:
        raise ConfigError("--default-spread", "must lie between 0 and 100 %")
    factors = [parse_factor(t, raw, default_spread) for t in items]
    keys = [f.key for f in factors]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ConfigError("--vary", f"parameter varied twice: {', '.join(sorted(dup))}")
    if FEED_BLOCK in keys and any(k.startswith(FEED_BLOCK + ".") for k in keys):
        raise ConfigError("--vary", f"{FEED_BLOCK} and single feed elements cannot be combined")
    return factors
