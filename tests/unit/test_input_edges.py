"""Input edges that used to hang or crash (issue 17): each is exit 2 with one line
naming the key, quickly."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from alref.cli import app
from alref.errors import ConfigError
from alref.units import to_si

runner = CliRunner()


@pytest.mark.parametrize("text", ["10**10**10 A", "(10**2)**3 A", "10**400 A", "9" * 150 + " A"])
def test_unbounded_quantity_text_is_refused_before_evaluation(text: str) -> None:
    t0 = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        to_si(text, "A", key="cell.current")
    assert err.value.key == "cell.current" and time.perf_counter() - t0 < 1.0


@pytest.mark.parametrize("text,value", [("3 kA", 3000.0), ("2**10 A", 1024.0),
                                        ("10^3 A", 1000.0), ("1e3 A", 1000.0)])
def test_ordinary_quantities_still_parse(text: str, value: float) -> None:
    assert to_si(text, "A", key="cell.current") == pytest.approx(value)
    assert to_si("0.05 g/cm**3", "g/cm**3", key="k", si_unit="kg/m**3") == pytest.approx(50.0)


def _one_line_exit_2(args: list[str], key: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and key in lines[0]


def test_huge_exponent_current_on_the_cli() -> None:
    _one_line_exit_2(["cell", "--set", 'cell.current="10**10**10 A"', "--json"], "cell.current")


def test_alloy_properties_at_10_k_name_the_temperature() -> None:
    _one_line_exit_2(["props", "alloy", "--composition", "Cu=99.999", "--temperature", "10 K"],
                     "--temperature")


def test_an_empty_scenario_name_is_not_the_default() -> None:
    _one_line_exit_2(["simulate", ""], "SCENARIO")
