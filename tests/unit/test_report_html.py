"""HTML report: self-contained, escaped, one image per available plot, robust to gaps."""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import time
from html.parser import HTMLParser

import numpy as np
import pytest
from tests.synthetic import synthetic_solution

from alref.campaign.solution import Lot, Solution
from alref.report import flow_plots, plots, render_html
from alref.report.html import fmt, main_impurities

IMG_SRC = re.compile(r'<img[^>]*\ssrc="data:image/png;base64,([A-Za-z0-9+/=]+)"')
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # any scheme or protocol-relative
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def full() -> Solution:
    return synthetic_solution()  # 45 d hourly: 1081 points, 45 lots, 101 actions


@pytest.fixture(scope="module")
def full_html(full) -> tuple[str, float]:
    render_html(dataclasses.replace(full, lots=full.lots[:2]))  # warm up fonts and caches
    start = time.perf_counter()
    page = render_html(full)
    return page, time.perf_counter() - start


class _Tags(HTMLParser):
    """Collects every real tag and its attributes (escaped text is not a tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _external_refs(page: str) -> list[str]:
    """URL-valued attributes that point outside the page (data: URIs are inline)."""
    parser = _Tags()
    parser.feed(page)
    refs = []
    for _tag, attrs in parser.tags:
        for key in ("src", "href", "action", "srcset", "poster", "data"):
            value = attrs.get(key) or ""
            if EXTERNAL.match(value) and not value.startswith("data:"):
                refs.append(value)
    return refs


def _tag_names(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return [tag for tag, _ in parser.tags]


def _bare(**changes) -> Solution:
    fields = {
        "scenario": "bare", "scenario_hash": "h", "time_s": np.linspace(0.0, 86400.0, 5),
        "series": {}, "lots": [], "actions": [], "residue_kg": 0.0,
        "residue_composition_wt_pct": {}, "summary": {}, "termination": "stopped",
        "citations": [],
    }
    fields.update(changes)
    return Solution(**fields)


def test_full_report_is_self_contained(full_html):
    page, _ = full_html
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert 'src="http' not in page and 'href="http' not in page
    assert _external_refs(page) == []
    tags = set(_tag_names(page))
    assert not tags & {"link", "script", "iframe", "object", "embed"}
    assert "@import" not in page and "url(" not in page


def test_one_image_per_plot_and_each_is_a_png(full_html):
    page, _ = full_html
    images = IMG_SRC.findall(page)
    assert len(images) == len(plots.PLOTS) + len(flow_plots.FLOW_PLOTS) == page.count("<img")
    for b64 in images:
        assert base64.b64decode(b64).startswith(PNG_SIGNATURE)
    assert "plot skipped" not in page


def test_header_tables_and_sections(full, full_html):
    page, _ = full_html
    assert html.escape(full.termination) in page
    # human labels with units on the key results
    assert "Mean cell voltage [V]" in page and "Specific energy [kWh/kg Al]" in page
    lots_section = page[page.index('id="lots"'):page.index('id="actions"')]
    assert lots_section.count("<tr>") == len(full.lots) + 1  # header + one per lot
    assert "grade (P family)" in lots_section and "meets target" in lots_section
    actions_section = page[page.index('id="actions"'):page.index('id="residue"')]
    assert "<details>" in actions_section
    assert actions_section.count("<tr>") == len(full.actions) + 1
    # the bundled bibliography resolves the key to a readable reference
    cites = page[page.index('id="citations"'):]
    assert "fastmarkets2021p1020" in cites and "(20" in cites



def test_scenario_name_and_termination_are_escaped():
    evil = "<script>alert('x')</script>"
    page = render_html(_bare(scenario=evil, termination="<b>bold</b> & done",
                             summary={"note": "<img src=http://x>"}))
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; done" in page
    tags = _tag_names(page)
    assert "script" not in tags and "b" not in tags and "img" not in tags
    assert _external_refs(page) == []


def test_missing_series_render_with_notes():
    sol = _bare(series={"Cell voltage [V]": np.array([4.0, 4.1, 4.2, 4.3, 4.4])})
    page = render_html(sol)
    assert page.count("<img") == 1  # only the voltage plot has data
    assert page.count("plot skipped") == len(plots.PLOTS) - 1 + len(flow_plots.FLOW_PLOTS)
    assert "No metal was tapped" in page


def test_lots_without_limits_and_odd_values_still_render():
    lots = [Lot(3600.0, 5.0, {"Al": 99.9, "Fe": 0.1}, None)]
    sol = _bare(lots=lots, series={"Bath NaF [wt %]": np.array([np.nan, 1, 2, 3, np.inf])},
                summary={"ce": 0.9, "v": {"a": 1.0}})
    page = render_html(sol)
    assert page.count("<img") == 1  # bath composition; no limits -> no impurity plot
    assert "Lot impurities vs grade limits" in page


def test_impurity_plot_uses_first_grade_when_p1020a_absent():
    assert plots.limit_grade({"A7": {"Fe": 0.16}, "A85": {"Fe": 0.08}}) == "A7"
    assert plots.limit_grade({"A7": {"Fe": 0.16}, "P1020A": {"Fe": 0.2}}) == "P1020A"
    assert plots.limit_grade({}) is None
    lots = [Lot(86400.0, 5.0, {"Al": 99.8, "Fe": 0.15}, "A7")]
    png = plots.plot_lot_impurities(_bare(lots=lots, grade_limits={"A7": {"Fe": 0.16}}))
    assert png is not None and png.startswith(PNG_SIGNATURE)


def test_a_failing_plot_becomes_a_note(monkeypatch):
    def broken(_sol):
        raise ZeroDivisionError("bad data")

    table = list(plots.PLOTS)
    table[0] = (table[0][0], broken, table[0][2])
    monkeypatch.setattr(plots, "PLOTS", tuple(table))
    with pytest.warns(RuntimeWarning, match="bad data"):
        page = render_html(_bare())
    assert "ZeroDivisionError" in page


def test_log_axis_only_for_wide_positive_ranges():
    _fig, (ax,) = plots.new_figure()
    plots.use_log_if_wide(ax, [np.array([60.0, 30.0]), np.array([0.05, 0.01])])
    assert ax.get_yscale() == "log"  # 3.8 decades
    _fig, (ax,) = plots.new_figure()
    plots.use_log_if_wide(ax, [np.array([17.0, 60.0, 23.0])])
    assert ax.get_yscale() == "linear"
    _fig, (ax,) = plots.new_figure()
    plots.use_log_if_wide(ax, [np.array([0.0, 60.0, 0.001])])
    assert ax.get_yscale() == "linear"  # a zero cannot go on a log axis


def test_formatting_helpers():
    assert fmt(float("nan")) == "–" and fmt(None) == "–"
    assert fmt(4.123456789) == "4.1235"
    assert fmt({"bath IR": 3.61234}) == "bath IR: 3.6123"
    assert main_impurities({"Al": 99.7, "Fe": 0.2, "Si": 0.05, "Zn": 0.0, "Cu": 0.01}) == (
        "Fe 0.2, Si 0.05, Cu 0.01")


def test_route_shares_table_shows_the_routes_that_carry_anything(full):
    """Research §3.10: the per-element route shares, in %, with the diaphragm wall route."""
    summary = {**full.summary, "product_routes": {
        "Fe": {"equilibrium": 0.0, "particle": 0.2, "salts": 0.7, "wall": 0.1},
        "Cu": {"equilibrium": 0.0, "particle": 1.0, "salts": 0.0, "wall": 0.0}}}
    page = render_html(dataclasses.replace(full, summary=summary))
    sec = page[page.index('id="routes"'):page.index('id="parameters"')]
    assert "<th>wall</th>" in sec and "<th>equilibrium</th>" not in sec  # empty route hidden
    assert sec.count("<tr>") == 3
    assert ">70.0<" in sec and ">10.0<" in sec and ">100.0<" in sec
