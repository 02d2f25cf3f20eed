"""Run report flow diagrams: the per-element mass ledger balances and the Sankey shows it,
the energy flows close, small voltage terms are grouped, lot impurities read in ppm, and the
bath volume is recorded for the limits plot."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from alref import api
from alref.campaign.solution import Lot, Solution
from alref.report import flow_plots, flows, plots, render_html
from alref.report.html import lot_elements, lot_rows, ppm

FAST = 'campaign.termination.max_duration="6 d"'


@pytest.fixture(scope="module")
def run() -> Solution:
    return api.simulate("rusal-3ka-twitch", [FAST])


def test_ledger_balances_per_element(run):
    led = flows.ledger(run.summary)
    assert {"Al", "Cu", "Fe", "Si"} <= set(led)
    for el, sides in led.items():
        tin, tout = math.fsum(sides["in"].values()), math.fsum(sides["out"].values())
        assert tin > 0
        assert tout == pytest.approx(tin, rel=1e-9), el
    # the scrap brought every element of the feed; the tapped lots are the product flow
    feed = run.summary["feed_composition_wt_pct"]
    for el in feed:
        assert led[el]["in"]["scrap"] > 0, el
    for el in ("Al", "Fe", "Si"):
        lots_kg = math.fsum(lot.mass_kg * lot.composition_wt_pct.get(el, 0.0) / 100.0
                            for lot in run.lots)
        assert led[el]["out"]["product"] == pytest.approx(lots_kg, rel=1e-6), el
    # Cu stays in the anode: almost all of it is residue (or left in the anode), little product
    cu = led["Cu"]["out"]
    assert cu.get("product", 0.0) < 0.01 * math.fsum(cu.values())


def _side_heights(ax, x: float) -> float:
    return math.fsum(p.get_height() for p in ax.patches if isinstance(p, Rectangle)
                     and math.isclose(p.get_x() + p.get_width() / 2, x))


@pytest.mark.parametrize("element", ["Al", "Si", "Cu"])
def test_sankey_sides_sum_to_the_feed(run, element):
    """Band heights on the outputs side add up to those of the inputs (the whole feed):
    the mass balance is visible in the drawing."""
    mf = flows.mass_flows(run.summary)[element]
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    flow_plots.hub_sankey(ax, mf["in"], mf["out"], element, "kg")
    left, right = _side_heights(ax, flow_plots.X_IN), _side_heights(ax, flow_plots.X_OUT)
    hub = _side_heights(ax, flow_plots.X_HUB)
    assert left == pytest.approx(flow_plots.SPAN, rel=1e-9)
    assert right == pytest.approx(left, rel=1e-9) and hub == pytest.approx(left, rel=1e-9)
    # the product is drawn on its own however small (the impurity that reached the metal)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "product (tapped)" in texts


def test_unbalanced_ledger_shows_a_short_side():
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    flow_plots.hub_sankey(ax, {"scrap": 10.0}, {"product": 7.0}, "X", "kg")
    assert _side_heights(ax, flow_plots.X_OUT) == pytest.approx(
        0.7 * _side_heights(ax, flow_plots.X_IN))


def test_small_voltage_terms_grouped():
    terms = {"bath_ir": 1.2, "diaphragm_ir": 0.9, "contacts": 0.25, "busbar": 0.02,
             "reversible": 0.017, "anode_overvoltage": 0.002}
    g = flows.group_terms(terms)
    total = sum(terms.values())
    assert list(g)[:3] == ["bath IR", "diaphragm IR", "contacts"]
    assert g["other (3 terms)"] == pytest.approx(0.039)
    assert sum(g.values()) == pytest.approx(total)
    assert all(v >= flows.SMALL_SHARE * total for k, v in g.items() if not k.startswith("other"))
    # one small term alone keeps its name
    assert "busbar" in flows.group_terms({"bath_ir": 1.0, "busbar": 0.01})


def test_energy_flows_close(run):
    ef = flows.energy_flows(run)
    el, heat = ef["electrical"], ef["heat"]
    dc = el["in"]["DC electrical energy"]
    assert dc == pytest.approx(run.summary["dc_energy_kwh_per_kg"])
    assert math.fsum(el["out"].values()) == pytest.approx(dc, rel=1e-9)
    assert math.fsum(heat["in"].values()) == pytest.approx(math.fsum(heat["out"].values()))
    # the reversible (concentration-cell) work is a small part; Joule heat dominates
    assert heat["in"]["Joule heat (DC less reversible work)"] > 0.9 * dc
    # bath and diaphragm IR are the largest terms of a refining cell
    assert next(iter(el["out"])) in ("bath IR", "diaphragm IR")


def test_report_has_flow_diagrams_and_tables(run):
    page = render_html(run)
    for section in ('id="mass-flows"', 'id="energy-flows"'):
        assert section in page
    mass = page[page.index('id="mass-flows"'):page.index('id="energy-flows"')]
    energy = page[page.index('id="energy-flows"'):page.index('id="lots"')]
    assert 'alt="mass flows per element (Sankey)"' in mass and "plot skipped" not in mass
    assert 'alt="energy flows"' in energy and "plot skipped" not in energy
    for el in flows.ledger(run.summary):
        assert f'<td class="id">{el}</td>' in mass
    assert "Voltage breakdown (cycle mean)" in energy and "bath IR" in energy
    lots = page[page.index('id="lots"'):page.index('id="actions"')]
    assert "Fe [ppm]" in lots and "Si [ppm]" in lots


def test_lot_impurities_in_ppm_with_limit_marks():
    lots = [Lot(86400.0, 5.0, {"Al": 99.75, "Fe": 0.21, "Si": 0.04}, None),
            Lot(2 * 86400.0, 5.0, {"Al": 99.85, "Fe": 0.10, "Si": 0.05}, None)]
    sol = Solution("x", "h", np.linspace(0, 2 * 86400.0, 3), {}, lots, [], 0.0, {},
                   {"target_grade": "P1020A"}, "stopped", [],
                   grade_limits={"P1020A": {"Fe": 0.20, "Si": 0.10}})
    assert lot_elements(sol) == ["Si", "Fe"]  # limited elements, tightest limit first
    rows = lot_rows(sol)
    assert rows[0]["ppm"][1] == ("2,100", "num bad")  # Fe over the 2,000 ppm limit
    assert rows[1]["ppm"][1] == ("1,000", "num")
    assert rows[0]["ppm"][0] == ("400", "num")
    assert ppm(0.00012) == "1.2"


def test_bath_volume_recorded_with_its_limit(run):
    assert plots.has_data(run, "Bath volume [L]")
    lim = run.summary["limits"]["bath_volume"]
    v = np.asarray(run["Bath volume [L]"])
    assert lim["unit"] == "L" and lim["margin_start"] > 0
    # the capacity the plot draws (first value + starting margin) lies above the volume
    assert v.max() < v[0] + lim["margin_start"]
    assert any(p[1] == "bath_volume" for p in plots.LIMIT_PANELS)
