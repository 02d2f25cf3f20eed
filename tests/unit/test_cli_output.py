"""The CLI that fits: collapsed validity warnings on stderr, one number formatter, tables
that never cut an identifier at 80 columns, `params list` keys that `--set` accepts,
missing extras named before any work, shell completion."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from alref import numfmt
from alref.errors import ConfigError
from alref.validity import collapse, distance_outside

ENV80 = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}


def alref(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alref.cli", *args], capture_output=True,
                          text=True, env=env or ENV80, timeout=600, check=False)


# ------------------------------------------------------------------ warnings
def test_collapse_keeps_one_line_per_correlation_input_with_the_worst_value() -> None:
    raw = [f"alloy.density.brillo_rk: wt_si={v} outside validity range [0, 16.3]"
           for v in (16.4, 19.5, 17.0, 19.5)]
    raw += ["liquidus.x: AlF3=32.8 wt% outside validity range [0 wt%, 20 wt%]",
            "liquidus.x: AlF3=-3 wt% outside validity range [0 wt%, 20 wt%]", "free text note",
            "free text note"]
    out = collapse(raw)
    assert out[0] == ("alloy.density.brillo_rk: wt_si outside validity range [0, 16.3] "
                      "(worst wt_si=19.5; 3 values)")
    assert "worst AlF3=32.8 wt%" in out[1]  # 12.8 above beats 3 below
    assert out[2:] == ["free text note"]


def test_distance_outside_is_zero_inside_and_grows_outward() -> None:
    assert distance_outside(5, 0, 10) == 0
    assert distance_outside(12, 0, 10) < distance_outside(13, 0, 10)
    assert distance_outside(-1, 0, None) > 0


def test_simulate_prints_collapsed_warnings_on_stderr_and_pure_json_on_stdout() -> None:
    r = alref("simulate", "hoopes-classic", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)  # stdout is one JSON object, warnings are not in it
    lines = [x for x in r.stderr.splitlines() if x.startswith("warning: ")]
    assert lines, "hoopes-classic runs correlations outside their range"
    names = [x.split(":")[1].strip() + x.split(":")[2].split(" outside")[0] for x in lines]
    assert len(names) == len(set(names)), "one line per correlation and input"
    assert any("worst" in x for x in lines)
    assert len(d["warnings"]) == len(lines) - sum("COST 507" in x and x[9:] not in d["warnings"]
                                                  for x in lines)


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize(("key", "value", "text"), [
    ("npv_usd", -3.59e7, "-35,900,000"), ("margin_usd_per_t", 412.34, "412"),
    ("cost_usd_per_t", 3.591, "3.59"), ("cycle_days", 41.75, "41.8"),
    ("energy_kwh_per_kg", 13.456, "13.46"), ("product_al_wt_pct", 99.98567, "99.986"),
    ("current_efficiency", 0.92345, "0.923"), ("product_kg", 12345.67, "12,345.7"),
    ("x", float("nan"), "–"), ("x", None, "–"), ("x", True, "yes"),
])
def test_number_formatter(key: str, value: object, text: str) -> None:
    assert numfmt.value(value, key) == text


def test_labels_carry_units() -> None:
    assert numfmt.label("energy_kwh_per_kg") == "energy [kWh/kg]"
    assert numfmt.label("margin_usd_per_t") == "margin [USD/t]"
    assert numfmt.label("current_efficiency") == "current efficiency [-]"


# ------------------------------------------------------------------ tables at 80 columns
def _identifiers(cmd: list[str]) -> list[str]:
    d = json.loads(alref(*cmd, "--json").stdout)
    if cmd == ["scenarios"]:
        return [r["name"] for r in d["scenarios"]] + [r["design"] for r in d["scenarios"]] + \
            [r["name"] for r in d["designs"]]
    if cmd == ["scrap", "list"]:
        return [r["name"] for r in d["scrap"]] + [r["isri_code"] for r in d["scrap"]]
    if cmd == ["params", "list"]:
        return [p["set_key"] for p in d["parameters"]]
    return [c["id"] for c in d["cases"]]


@pytest.mark.parametrize("cmd", [["scenarios"], ["scrap", "list"], ["params", "list"],
                                 pytest.param(["validate"], marks=pytest.mark.slow)],
                         ids=" ".join)
def test_no_table_cuts_an_identifier_at_80_columns(cmd: list[str]) -> None:
    r = alref(*cmd)
    assert r.returncode in (0, 1), r.stderr
    lines = r.stdout.splitlines()
    assert max(len(x) for x in lines) <= 80
    cut = [i for i in _identifiers(cmd)
           if not any(re.search(rf"(^|\s){re.escape(i)}(\s|$)", x) for x in lines)]
    assert not cut, f"identifiers cut or missing: {cut[:5]}"


# ------------------------------------------------------------------ params list -> --set
def test_every_params_list_key_is_accepted_by_set_and_moves_the_parameter() -> None:
    from alref import api

    table = api.parameter_table("rusal-3ka-twitch").parameters
    assert table
    moved = 0
    for p in table:
        value = p.value
        if p.name.startswith("design.") and isinstance(value, float) and value > 0:
            value = value * 1.01
        override = f"{p.set_key}={tomli_w.dumps({'v': value})[4:].strip()}"
        try:
            after = {q.name: q.value for q in api.parameter_table("rusal-3ka-twitch", [override])
                     .parameters}
        except ConfigError as exc:  # a 1 % move may leave a validated range: same value then
            if value == p.value:
                raise
            override = f"{p.set_key}={tomli_w.dumps({'v': p.value})[4:].strip()}"
            after = {q.name: q.value for q in api.parameter_table("rusal-3ka-twitch", [override])
                     .parameters}
            assert exc.key
        assert after[p.name] == pytest.approx(value) or after[p.name] == p.value, p.set_key
        moved += after[p.name] != p.value
    assert moved > 20, "design parameters moved through their --set key"


# ------------------------------------------------------------------ extras, completion
def test_missing_extra_exits_2_with_the_pip_line_before_work(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from typer.testing import CliRunner

    import alref.extras
    from alref.cli import app

    monkeypatch.setattr(alref.extras, "missing", lambda mods: ["openpyxl"])
    monkeypatch.setattr("alref.api.simulate", lambda *a, **k: pytest.fail("work started"))
    r = CliRunner().invoke(app, ["simulate", "--xlsx", "out.xlsx"])
    assert r.exit_code == 2
    assert 'pip install "alref[report]"' in r.output
    assert "--xlsx" in r.output


def test_shell_completion_lists_the_commands() -> None:
    env = {**ENV80, "_ALREF_COMPLETE": "complete_bash", "COMP_WORDS": "alref sim",
           "COMP_CWORD": "1"}
    exe = str(Path(sys.executable).parent / "alref")
    r = subprocess.run([exe], capture_output=True, text=True, env=env, check=False, timeout=60)
    assert "simulate" in r.stdout.split()
    # the script `--show-completion` prints, asked for by name: `--show-completion` itself
    # detects the shell from the process tree, which a detached CI job may not have
    script = subprocess.run([exe], capture_output=True, text=True, check=False, timeout=60,
                            env={**ENV80, "_ALREF_COMPLETE": "source_bash"})
    assert "_ALREF_COMPLETE" in script.stdout.upper()


def test_auto_chunk_size_moves_the_bar_per_sample_on_small_studies() -> None:
    from alref.cli.study import auto_chunk_size

    assert auto_chunk_size("mc", 8, 2) == 1
    assert auto_chunk_size("sobol", 8, 2) == 2  # 32 runs in about 25 steps
    assert auto_chunk_size("mc", 100_000, 2) == 250
