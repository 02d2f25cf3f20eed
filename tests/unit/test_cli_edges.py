"""Issue 17: hostile input at the command line is exit 2 with one line naming the key (files,
empty values, options, keys a command does not read), impossible property outputs are
refused, and a remaining internal error is one line with a bug-report hint (exit 1)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from alref.cli import run


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(argv)
    return code, out.getvalue(), err.getvalue()


def _exit_2(argv: list[str], key: str, *fragments: str) -> str:
    code, _out, err = _run(argv)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and key in lines[0], err
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


def test_a_utf16_scenario_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes('name = "x"\n'.encode("utf-16"))
    _exit_2(["cell", str(path), "--json"], "SCENARIO", "not UTF-8", "UTF-16")
    _exit_2(["blend", str(path), "--json"], "FILE", "not UTF-8")


def test_a_deeply_nested_scenario_file_is_exit_2_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    _exit_2(["cell", str(path), "--json"], "SCENARIO", "nested deeper")
    _exit_2(["cell", "--set", "cell.parameters.x=" + "[" * 40 + "1" + "]" * 40], "--set",
            "nested deeper")


def test_an_oversized_scenario_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text("# " + "a" * 3_000_000 + "\n")
    _exit_2(["cell", str(path), "--json"], "SCENARIO", "bytes")


def test_a_file_name_too_long_is_exit_2() -> None:
    _exit_2(["cell", "a" * 5000 + ".toml", "--json"], "SCENARIO")
    _exit_2(["cell", "b" * 300 + ".toml", "--json"], "SCENARIO")


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (["simulate", "", "--json"], "SCENARIO"),
        (["simulate", "--out", "", "--json"], "--out"),
        (["validate", "--report", "", "--json"], "--report"),
        (["assess", "--html", " ", "--json"], "--html"),
        (["blend", "", "--json"], "FILE"),
        (["cell", "--set", "", "--json"], "--set"),
    ],
)
def test_an_empty_value_is_never_the_default(argv: list[str], key: str) -> None:
    _exit_2(argv, key)


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (["blend", "--mc-samples", "99999999999999999999", "--json"], "--mc-samples"),
        (["blend", "--mc-sims", "-1", "--json"], "--mc-sims"),
        (["study", "mc", "-n", "0", "--json"], "--n"),
        (["study", "mc", "-n", "5", "--seed", "-1", "--json"], "--seed"),
        (["bench", "--batch", "0", "--json"], "--batch"),
        (["blend", "--mc-samples", "abc"], "--mc-samples"),
        (["cell", "--nope"], "--nope"),
        (["no-such-command"], "no-such-command"),
    ],
)
def test_counts_seeds_and_usage_errors_are_one_line(argv: list[str], key: str) -> None:
    _exit_2(argv, key)


def test_keys_a_command_does_not_read_are_refused_naming_who_reads_them() -> None:
    _exit_2(["cell", "--set", "campaign.termination.max_duration=3", "--json"],
            "campaign.termination.max_duration", "simulate")
    _exit_2(["simulate", "--set", "economics.lme_usd_per_t=2000", "--json"],
            "economics.lme_usd_per_t", "assess")


def test_params_list_takes_set_and_shows_the_variant() -> None:
    import json

    code, out, _ = _run(["params", "list", "--set", "cell.current=2500", "--json"])
    assert code == 0
    rows = {p["name"]: p["value"] for p in json.loads(out)["parameters"]}
    assert rows["scenario.cell.current"] == 2500


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (["props", "electrolyte", "--composition", "AlF3=100", "--temperature", "800 degC"],
         "--composition"),
        (["props", "electrolyte", "--composition", "NaF=40,AlF3=60", "--temperature", "1e5 K"],
         "--temperature"),
        (["props", "alloy", "--composition", "Al=67,Cu=33", "--temperature", "1e5 K"],
         "--temperature"),
        (["props", "alloy", "--composition", "Cu=99.999", "--temperature", "10 K"],
         "--temperature"),
    ],
)
def test_property_queries_never_report_an_impossible_liquid(argv: list[str], key: str) -> None:
    _exit_2([*argv, "--json"], key)


def test_a_plan_shorter_than_one_step_is_exit_2() -> None:
    _exit_2(["assess", "--set", 'campaign.termination.max_duration="1 s"', "--json"],
            "campaign.termination.max_duration", "time step")


def test_a_remaining_internal_error_is_one_line_with_a_bug_hint(monkeypatch) -> None:
    from alref import api

    def boom(*_a, **_k):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(api, "cell_operating_point", boom)
    code, _out, err = _run(["cell", "--json"])
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "ZeroDivisionError" in lines[0] and "report" in lines[0]


@pytest.mark.parametrize(
    ("argv", "key"),
    [  # findings of the long fuzz run (benchmarks/fuzz_long.py), kept as regressions
        (["thermo", "series", "--temperature", "1e-300 K", "--json"], "--temperature"),
        (["assess", "--set", ':\x98Ä\xa0b="1e400 A"', "--json"], "':\\x98Ä\\xa0b'"),
        (["cell", "--set", "a b=1", "--json"], "'a b'"),
    ],
)
def test_fuzz_findings_are_exit_2_naming_the_key(argv: list[str], key: str) -> None:
    _exit_2(argv, key)


def test_compare_with_a_file_name_too_long_names_the_argument(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    code, _out, err = _run(["simulate", "--set", 'campaign.termination.max_duration="1 d"',
                            "--out", str(run_dir), "--json"])
    assert code == 0, err
    _exit_2(["compare", str(run_dir), "x" * 300, "--json"], "RUNS", "too long")
