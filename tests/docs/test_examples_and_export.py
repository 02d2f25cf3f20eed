"""The scenario files of `examples/scenarios/` load and run, and `alref scenarios
show|export` print presets that load back as the same scenario (same hash)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alref
from alref.cli import app
from alref.optimize.blend_input import load_blend_input
from alref.scenario import preset_names

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
SCENARIO_FILES = sorted(p for p in EXAMPLES.glob("*.toml") if p.name != "blend-purchase.toml")
runner = CliRunner()


def test_examples_cover_every_design_variant() -> None:
    variants = set()
    for path in SCENARIO_FILES:
        sc = alref.Scenario.load(str(path))
        variants.add(sc.cell_design().variant)
    assert variants >= {"stacked", "diaphragm", "side_by_side"}
    assert any(alref.Scenario.load(str(p)).campaign is not None and
               alref.Scenario.load(str(p)).campaign.actions for p in SCENARIO_FILES)
    assert any(isinstance(alref.Scenario.load(str(p)).feed.scrap, dict) for p in SCENARIO_FILES)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_example_scenario_runs(path: Path) -> None:
    res = runner.invoke(app, ["cell", str(path), "--json"])
    assert res.exit_code == 0, res.output
    sc = alref.Scenario.load(str(path)).derive({"campaign.termination.max_duration": "2 d"})
    sol = alref.Simulation.from_scenario(sc).run()
    assert sol.kpis.product_kg > 0
    assert sol.kpis.cycle_days <= 2.0


def test_blend_purchase_example_loads() -> None:
    b = load_blend_input(str(EXAMPLES / "blend-purchase.toml"))
    assert len(b.lot) >= 2


@pytest.mark.parametrize("name", preset_names())
def test_export_round_trips_every_preset(name: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["scenarios", "export", name])
    assert res.exit_code == 0, res.output
    path = tmp_path / "my.toml"
    path.write_text(res.stdout, encoding="utf-8")
    assert alref.Scenario.load(str(path)).digest() == alref.Scenario.preset(name).digest()


def test_export_with_overrides_round_trips(tmp_path: Path) -> None:
    res = runner.invoke(app, ["scenarios", "export", "rusal-3ka-twitch",
                              "--set", 'cell.current="3.3 kA"',
                              "--set", "feed.scrap={twitch=0.7, zorba=0.3}"])
    assert res.exit_code == 0, res.output
    path = tmp_path / "variant.toml"
    path.write_text(res.stdout, encoding="utf-8")
    want = alref.Scenario.load("rusal-3ka-twitch", ['cell.current="3.3 kA"',
                                                    "feed.scrap={twitch=0.7, zorba=0.3}"])
    got = alref.Scenario.load(str(path))
    assert got.digest() == want.digest()
    assert got.digest() != alref.Scenario.preset("rusal-3ka-twitch").digest()


def test_show_prints_the_preset_file_with_its_sources() -> None:
    res = runner.invoke(app, ["scenarios", "show", "rusal-3ka-twitch"])
    assert res.exit_code == 0, res.output
    raw = tomllib.loads(res.stdout)
    assert raw["name"] == "rusal-3ka-twitch"
    assert raw["cell"]["current"] == "3 kA"
    assert "provenance" in raw


def test_unknown_preset_exits_2_naming_it() -> None:
    for cmd in ("show", "export"):
        res = runner.invoke(app, ["scenarios", cmd, "no-such-pot"])
        assert res.exit_code == 2
        assert "no-such-pot" in res.output


def test_scenarios_list_still_works() -> None:
    res = runner.invoke(app, ["scenarios", "--json"])
    assert res.exit_code == 0
    assert "rusal-3ka-twitch" in res.stdout


def test_every_example_file_is_on_the_docs_page_and_in_the_readme() -> None:
    page = (EXAMPLES.parents[1] / "docs" / "examples.md").read_text(encoding="utf-8")
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in EXAMPLES.glob("*.toml"):
        assert f"examples/scenarios/{path.name}" in page, path.name
        assert f"`{path.name}`" in readme, path.name
