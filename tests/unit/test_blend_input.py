"""`alref blend` without the simulator: input schema, chance-constraint algebra, MILP."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
from typer.testing import CliRunner

from alref import data
from alref.cli import app
from alref.errors import ConfigError
from alref.optimize.blend_input import load_blend_input, validate
from alref.optimize.milp import Infeasible, Problem, Row, row_value, solve
from alref.optimize.robust import cone_cut, cone_value, z_value


@pytest.fixture
def raw() -> dict:
    return copy.deepcopy(data.load("blend/example"))


def test_example_has_at_least_eight_scrap_classes() -> None:
    inp = load_blend_input()
    from alref.materials.scrap import scrap_class

    classes = {scrap_class(lot.scrap).key for lot in inp.lot}
    assert len(classes) >= 8
    assert all(inp.price_usd_per_t(i) > 0 for i in range(len(inp.lot)))


def test_price_as_pct_of_lme_matches_the_index_in_cents_per_lb(raw: dict) -> None:
    """Davis Index Jan 2021: Twitch 76.7 c/lb, LME 2003.5 USD/t; 1 lb = 0.45359237 kg."""
    inp = validate(raw)
    twitch = next(i for i, lot in enumerate(inp.lot) if lot.scrap == "twitch")
    usd_per_t = 76.7 / 100 / 0.45359237 * 1000
    assert inp.price_usd_per_t(twitch) == pytest.approx(usd_per_t, rel=2e-3)


@pytest.mark.parametrize(("patch", "key"), [
    (lambda r: r["lot"][0].update(scrap="unobtainium"), "lot[0].scrap"),
    (lambda r: r["lot"][1].update(available_t=-5.0), "lot[1].available_t"),
    (lambda r: r["plan"].update(bogus=1), "plan.bogus"),
    (lambda r: r["target"].update(grade="P9999"), "target.grade"),
    (lambda r: r["lot"][0]["price"].update(usd_per_t=1000.0), "lot[0].price"),
    (lambda r: r["lot"][2].update(min_lot_t=500.0), "lot[2].min_lot_t"),
    (lambda r: r["lot"][0].update(assay={"Xx": {"mean": 1.0}}), "lot[0].assay.Xx"),
    (lambda r: r["plan"].update(scrap_max_t=1.0), "plan.scrap_max_t"),
    (lambda r: r.update(lot=[]), "lot"),
])
def test_bad_input_names_the_key(raw: dict, patch, key: str) -> None:
    patch(raw)
    with pytest.raises(ConfigError) as exc:
        validate(raw)
    assert exc.value.key == key


@pytest.mark.parametrize("confidence", [0.0, 1.0, 1.5, -0.2, 0.3])
def test_confidence_outside_range_is_a_config_error(confidence: float) -> None:
    with pytest.raises(ConfigError) as exc:
        z_value(confidence)
    assert exc.value.key == "--confidence"


def test_z_value_matches_normal_tables() -> None:
    """Standard normal table: z(0.95) = 1.645, z(0.99) = 2.326, z(0.5) = 0."""
    assert z_value(0.95) == pytest.approx(1.645, abs=5e-4)
    assert z_value(0.99) == pytest.approx(2.326, abs=5e-4)
    assert z_value(0.5) == 0.0


def test_cone_cut_is_a_supporting_hyperplane() -> None:
    rng = np.random.default_rng(1)
    s = rng.random(5)
    x0 = rng.random(5)
    cut = cone_cut(s, x0)
    assert cut @ x0 == pytest.approx(cone_value(s, x0))
    for _ in range(200):
        x = rng.random(5) * 10
        assert cut @ x <= cone_value(s, x) + 1e-12


def _toy(z_hi: float) -> Problem:
    """Three integer 'lots' (0..4 units) with costs; buy >= 5 units; an uncertain row
    sum a_j x_j + z ||s x|| <= z_hi (groups = lots)."""
    c = np.array([1.0, 2.0, 3.5])
    a = np.array([1.0, 0.2, -0.6])
    s = np.array([0.8, 0.3, 0.1])
    rows = [Row("demand", "d", np.ones(3), lo=5.0, requirement=True),
            Row("quality", "q", a, hi=z_hi, sigma=s)]
    return Problem(c, np.zeros(3), np.full(3, 4.0), np.ones(3), rows, np.eye(3),
                   ["trucks:a", "trucks:b", "trucks:c"])


def test_cutting_planes_find_the_brute_force_cone_optimum() -> None:
    """Independent check: enumerate every integer point, apply the exact cone row."""
    z = z_value(0.95)
    p = _toy(2.0)
    best = min((float(p.c @ np.array(v)), v) for v in itertools.product(range(5), repeat=3)
               if sum(v) >= 5 and row_value(p.rows[1], np.array(v, float), p.group_matrix, z) <= 2.0)
    res = solve(p, z)
    assert res.objective == pytest.approx(best[0])
    assert row_value(p.rows[1], res.v, p.group_matrix, z) <= 2.0 + 1e-6
    det = solve(_toy(2.0), 0.0)
    assert det.objective <= res.objective  # the chance row only removes points


def test_infeasible_toy_names_the_conflicting_row() -> None:
    with pytest.raises(Infeasible) as exc:
        solve(_toy(-10.0), 0.0)
    assert [b[0] for b in exc.value.binding] == ["quality"]


def test_cli_bad_input_exits_2_naming_the_key(tmp_path, raw: dict) -> None:
    import tomli_w

    raw["lot"][0]["scrap"] = "unobtainium"
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(raw))
    result = CliRunner().invoke(app, ["blend", str(path), "--json"])
    assert result.exit_code == 2
    assert "lot[0].scrap" in result.output
    result = CliRunner().invoke(app, ["blend", "--confidence", "1.2", "--json"])
    assert result.exit_code == 2
    assert "--confidence" in result.output
