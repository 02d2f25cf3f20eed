"""Hypothesis strategies over every command's arguments and every scenario key (issue 17):
types, units, magnitudes, unicode and empties. `command()` draws one argv of `alref`;
simulations get a horizon of a few days (appended last, so later keys cannot lengthen the
run), so a full campaign never runs except where the fuzzed key is the horizon itself.

Files the fuzzer writes (scenario files, run folders, catalogues) live under `workdir`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from alref.cell.design import calibrated_raw, design_names
from alref.scenario import Scenario, preset_names, quantity_keys
from alref.schema_paths import field_kind

HORIZON = 'campaign.termination.max_duration="2 d"'
UNITS = ["A", "kA", "MA", "mA", "degC", "degF", "K", "delta_degC", "delta_degF", "cm", "m",
         "mm", "um", "km", "kg", "t", "g", "lb", "g/cm**3", "kg/m**3", "d", "h", "min", "s",
         "year", "V", "W", "J", "%", "m**2", "furlong", "", "A/m**2", "1/s"]
HOSTILE_TEXT = ["10**10**10 A", "10**400 A", "1e400 A", "nan A", "inf K", "-inf degC",
                "(((((((1)))))))", "2^^3", "1/0 A", "0**-1 A", "", " ", "A", "3 kA kA",
                "\x00", "٣ kA", "３ kA", "1e-400 cm", "3 kA + 2 K", "-0 cm", "1_000 A",
                "0x10 A", "∞", "🙂", "3 kA" * 40, "e", "1e", ".", "--", "3,5 A",
                "800 delta_degC", "20 degC", "1 kelvin**2", "2**1024 A", "(2)**(3)**(4)"]
WORDS = ["", " ", "x", "twitch", "rusal-3ka", "P1020A", "hydro", "world", "AR6", "cut-off",
         "fluoride", "chloride", "bath_level", "auxiliary", "fixed_acd", "furnace",
         "alloy:1070", "alloy:9999", "hold_level", "restore", "NaF", "Fe", "Al", "zorba",
         "ééé", "名前", "\u202e", "a" * 300, "../../etc/passwd", "null", "None", "NaN"]


# ---------------------------------------------------------------------------- values
def numbers() -> st.SearchStrategy[float | int]:
    return st.one_of(
        st.integers(min_value=-(10**25), max_value=10**25),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0, -1, 1, 1e-300, 1e300, 1e-9, 1e-6, 1e6, 1e9, 0.5, 2.5, 25, 100,
                         800, 3000, 1073.15, 99999999999999999999]),
    )


def quantity_texts() -> st.SearchStrategy[str]:
    plain = st.builds(lambda n, u: f"{n} {u}".strip(), numbers(), st.sampled_from(UNITS))
    return st.one_of(plain, st.sampled_from(HOSTILE_TEXT), st.text(max_size=20))


def _toml(value: Any) -> str:
    """A Python value as a TOML literal (json is TOML for strings, numbers, arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def plain_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(numbers(), st.booleans(), quantity_texts(), st.sampled_from(WORDS),
                        st.text(max_size=15))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "NaF", "AlF3", "twitch", "kind", "every", "mass",
                                         "Fe", "x", ""]), inner, max_size=3)),
        max_leaves=6)


def set_value_texts() -> st.SearchStrategy[str]:
    """The VALUE of ``--set KEY=VALUE``: TOML literals of every type, raw words, nesting."""
    return st.one_of(
        plain_values().map(_toml),
        quantity_texts().map(json.dumps),
        st.text(max_size=25),
        st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "1" + "]" * n),
        st.sampled_from(["", "=", "{", "[1,", '"', "'''", "1979-05-27T07:32:00Z", "0x1F",
                         "1e999", "-nan", "+inf", "true", "{a={b={c=1}}}"]),
    )


# ---------------------------------------------------------------------------- keys
def _walk(model: Any, prefix: str = "") -> list[str]:
    keys = []
    for name in model.model_fields:
        kind, sub = field_kind(model, name)
        if kind == "model":
            keys.extend(_walk(sub, f"{prefix}{name}."))
        else:
            keys.append(f"{prefix}{name}")
    return keys


def _numeric_paths(node: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_numeric_paths(v, f"{prefix}{k}."))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_numeric_paths(v, f"{prefix}{i}."))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        out.append(prefix[:-1])
    return out


@lru_cache(maxsize=1)
def scenario_keys() -> list[str]:
    """Every dotted key of the scenario schema, the entries of its tables and every numeric
    parameter of every design (``cell.parameters.<path>``)."""
    keys = _walk(Scenario)
    for design in design_names():
        keys += [f"cell.parameters.{p}" for p in _numeric_paths(calibrated_raw(design))]
    keys += [f"electrolyte.composition.{s}" for s in ("NaF", "AlF3", "CaF2", "BaF2", "NaCl",
                                                       "Al2O3", "KF", "LiF", "Xx")]
    keys += [f"feed.scrap.{s}" for s in ("twitch", "zorba", "taint_tabor", "nope")]
    keys += [f"campaign.actions.{i}.{f}" for i in (0, 1, 7)
             for f in ("kind", "every", "start", "at", "when", "mass", "fraction")]
    keys += ["economics.scrap_price_pct_lme.twitch", "economics.salt_prices_usd_per_t.AlF3",
             "campaign.termination.bath_limits.bath.MgF2_wt_pct"]
    return sorted(set(keys))


def keys() -> st.SearchStrategy[str]:
    junk = st.one_of(st.text(max_size=20), st.sampled_from(
        ["", ".", "cell.", ".cell", "cell..current", "cell.current.x", "campaign.actions.99",
         "campaign.actions.x", "name.x", "cell.parameters.", "economics.nope", "x" * 500]))
    return st.one_of(st.sampled_from(scenario_keys()), st.sampled_from(scenario_keys()),
                     st.sampled_from(scenario_keys()), junk)


def _value_for(key: str) -> st.SearchStrategy[str]:
    if key in quantity_keys():
        return st.one_of(quantity_texts().map(json.dumps), set_value_texts())
    return set_value_texts()


def overrides(n_max: int = 3) -> st.SearchStrategy[list[str]]:
    item = keys().flatmap(lambda k: _value_for(k).map(lambda v: f"{k}={v}"))
    return st.lists(st.one_of(item, item, item, st.text(max_size=10)), min_size=0, max_size=n_max)


def scenarios() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(preset_names()), st.sampled_from(preset_names()),
                     st.sampled_from(["", " ", "nope", "a" * 5000, "x.toml", "/", "/dev/null",
                                      "\x00", "名前"]))


def compositions() -> st.SearchStrategy[str]:
    item = st.builds(lambda k, v: f"{k}={v}",
                     st.sampled_from(["Al", "Cu", "Fe", "Si", "Mg", "Zn", "NaF", "AlF3", "CaF2",
                                      "BaF2", "NaCl", "Xx", "", "al"]),
                     st.one_of(numbers().map(str), st.sampled_from(["", "x", "1e999", "-"])))
    return st.one_of(st.lists(item, max_size=5).map(",".join), st.text(max_size=30),
                     st.sampled_from(["Al=67,Cu=33", "NaF=40,AlF3=60", "Cu=99.999", "AlF3=100",
                                      "Fe=0.12,Si=0.06", ",,,", "="]))


# ---------------------------------------------------------------------------- commands
def _sets(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        out += ["--set", item]
    return out


def _with_horizon(items: list[str]) -> list[str]:
    if any(i.startswith("campaign.termination.max_duration=") for i in items):
        return items
    return [*items, HORIZON]


def command(workdir: Path, heavy: bool = False) -> st.SearchStrategy[list[str]]:
    """One argv of `alref`. `heavy` adds blend runs and studies (seconds each)."""
    w = str(workdir)
    maybe_json = st.sampled_from([["--json"], ["--json"], ["--json"], []])
    cell = st.builds(lambda s, o, j: ["cell", s, *_sets(o), *j], scenarios(), overrides(), maybe_json)
    simulate = st.builds(
        lambda s, o, out, j: ["simulate", s, *_sets(_with_horizon(o)), *out, *j],
        st.sampled_from(preset_names()), overrides(2),
        st.sampled_from([[], [], ["--out", f"{w}/run"], ["--out", f"{w}/runfile"],
                         ["--out", f"{w}/no/such/dir/run"], ["--out", f"{w}/" + "a" * 300]]),
        maybe_json)
    assess = st.builds(lambda s, o, j: ["assess", s, *_sets(_with_horizon(o)), *j],
                       st.sampled_from(preset_names()), overrides(2), maybe_json)
    props_e = st.builds(lambda c, t, f, j: ["props", "electrolyte", "--composition", c,
                                            "--temperature", t, *f, *j],
                        compositions(), quantity_texts(),
                        st.sampled_from([[], [], ["--family", "cryolite"], ["--family", ""],
                                         ["--family", "nope"]]), maybe_json)
    props_a = st.builds(lambda c, t, j: ["props", "alloy", "--composition", c,
                                         "--temperature", t, *j],
                        compositions(), quantity_texts(), maybe_json)
    grade = st.builds(lambda c, g, j: ["grade", "--composition", c, *g, *j], compositions(),
                      st.sampled_from([[], ["--grade", "P1020A"], ["--grade", "nope"],
                                       ["--grade", ""]]), maybe_json)
    thermo = st.builds(lambda t, b, e, j: ["thermo", "series", "--temperature", t, "--bath", b,
                                           *e, *j],
                       quantity_texts(), st.sampled_from(["fluoride", "chloride", "", "x"]),
                       st.sampled_from([[], ["--elements", "Fe,Si"], ["--elements", "Xx"],
                                        ["--elements", ","]]), maybe_json)
    params = st.one_of(
        st.builds(lambda sub, s, o, j: ["params", sub, s, *_sets(o), *j],
                  st.sampled_from(["list", "cite"]), scenarios(), overrides(2), maybe_json),
        st.builds(lambda n, j: ["params", "show", n, *j],
                  st.one_of(st.sampled_from(["design.pot_control.acd_max_m",
                                             "scenario.cell.current", ""]), st.text(max_size=20)),
                  maybe_json))
    scrap = st.builds(lambda n, j: ["scrap", "show", n, *j],
                      st.one_of(st.sampled_from(WORDS), st.text(max_size=15)), maybe_json)
    listing = st.sampled_from([["scenarios", "--json"], ["scrap", "list", "--json"],
                               ["runs", "list", "--out", f"{w}/store", "--json"], ["--version"],
                               ["cell", "--help"], []])
    options = st.builds(lambda cmd, opt, v: [*cmd, opt, v, "--json"],
                        st.sampled_from([["blend"], ["bench"], ["study", "mc"], ["study", "sweep"]]),
                        st.sampled_from(["--mc-samples", "--mc-sims", "--confidence", "--reference",
                                         "--batch", "--seed", "-n", "--workers", "--chunk-size",
                                         "--executor", "--engine", "--sampler", "--out", "--vary",
                                         "--nope"]),
                        st.sampled_from(["-1", "99999999999999999999", "abc", "", "nan",
                                         "-inf", "1.5", "-0.5", "1e999", "\x00", "名"]))
    # (values a heavy command would accept are left to `heavy`: a full blend or bench
    # takes 10-20 s; study commands above lack -n and stop at parsing)
    files = st.builds(_file_case, st.just(workdir), file_contents(),
                      st.sampled_from(["cell", "blend", "simulate"]))
    compare = st.builds(lambda a, b, j: ["compare", a, b, *j],
                        st.sampled_from([f"{w}/run", f"{w}/runfile", "", "nope", f"{w}"]),
                        st.one_of(st.sampled_from([f"{w}/run", "x" * 300]), st.text(max_size=8)),
                        maybe_json)
    junk = st.lists(st.text(max_size=12), max_size=4)
    parts = [cell, cell, cell, simulate, simulate, assess, props_e, props_a, grade, thermo,
             params, scrap, listing, options, options, files, files, compare, junk]
    if heavy:
        parts.append(st.builds(lambda o: ["blend", "--mc-sims", "0", "--mc-samples", "10",
                                          *o, "--json"], st.sampled_from([[], ["--confidence", "0.5"]])))
        parts.append(st.builds(lambda v, n: ["study", "mc", "--vary", v, "-n", str(n), "--set",
                                             HORIZON, "--out", f"{w}/store", "--no-report",
                                             "--json"],
                               st.sampled_from(["cell.acd", "cell.current", "feed.composition",
                                                "cell.parameters.transfer.entrainment_kg_per_a_s",
                                                "nope"]), st.integers(1, 3)))
    return st.one_of(*parts)


def file_contents() -> st.SearchStrategy[bytes]:
    """Scenario or blend file bytes: tables of fuzzed keys, broken TOML, other encodings,
    deep nesting, empties."""
    table = st.dictionaries(keys(), plain_values(), max_size=5).map(_nested_toml)
    return st.one_of(
        table.map(lambda t: t.encode()),
        table.map(lambda t: ('[cell]\ndesign = "rusal-3ka"\n' + t).encode()),
        table.map(lambda t: t.encode("utf-16")),
        st.binary(max_size=60),
        st.integers(1, 4000).map(lambda n: ("x = " + "[" * n + "]" * n + "\n").encode()),
        st.integers(1, 300).map(lambda n: ("a" + ".a" * n + " = 1\n").encode()),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"name = ''\n", b"cell = 1\n", b"[[cell]]\n"]),
    )


def _nested_toml(table: dict[str, Any]) -> str:
    lines = []
    for k, v in table.items():
        quoted = ".".join(json.dumps(p) for p in k.split(".")) if k else '""'
        lines.append(f"{quoted} = {_toml(v)}")
    return "\n".join(lines) + "\n"


def _file_case(workdir: Path, content: bytes, cmd: str) -> list[str]:
    path = workdir / "input.toml"
    path.write_bytes(content)
    if cmd == "simulate":
        return ["simulate", str(path), "--set", HORIZON, "--json"]
    return [cmd, str(path), "--json"]
