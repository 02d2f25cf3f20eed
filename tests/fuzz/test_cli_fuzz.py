"""Derandomised fuzz subset of the command line (issue 17), run in CI (≤ 60 s): generated
arguments for every command and every scenario key, in process through `alref.cli.run`
with a per-call time limit. Every call exits 0 (finite JSON) or 2 (one stderr line naming a
key); never 1, never a traceback, never a hang. The long run (≥ 10,000 inputs) is
`benchmarks/fuzz_long.py`."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import call, problems
from tests.fuzz.strategies import command, file_contents, overrides, scenarios

#: per-call limit in CI (a call of the fuzzed commands takes ~0.01-2 s)
TIMEOUT_S = 20.0
def ci(examples: int) -> settings:
    """Derandomised (the same examples every run), no example database, no deadline (the
    harness times each call)."""
    return settings(derandomize=True, database=None, deadline=None, max_examples=examples,
                    suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _check(argv: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = call(argv, TIMEOUT_S)
    found = problems(outcome)
    assert not found, f"alref {' '.join(argv)[:400]!r}: {found}"


@ci(160)
@given(data=st.data())
def test_every_command_keeps_the_cli_contract(workdir: Path, data: st.DataObject) -> None:
    _check(data.draw(command(workdir)))


@ci(120)
@given(scenario=scenarios(), items=overrides(3))
def test_every_scenario_key_keeps_the_cli_contract(scenario: str, items: list[str]) -> None:
    argv = ["cell", scenario]
    for item in items:
        argv += ["--set", item]
    _check([*argv, "--json"])


@ci(60)
@given(content=file_contents())
def test_scenario_files_keep_the_cli_contract(workdir: Path, content: bytes) -> None:
    path = workdir / "scenario.toml"
    path.write_bytes(content)
    _check(["cell", str(path), "--json"])
