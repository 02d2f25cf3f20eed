"""`alref assess`: economics, carbon footprint and route comparison of a scenario."""

from __future__ import annotations

from typing import Any

import typer

from alref.cli._common import console, emit_json, handle_errors, kv_table, progress_bar
from alref.cli.output import Col, fit_table

SCENARIO_ARG = typer.Argument(None, help="preset name or TOML path (default: rusal-60ka-plant, "
                              "the commercial plant at steady state; rusal-3ka-twitch is the "
                              "prototype plant)")
SET_OPT = typer.Option(None, "--set", help="override KEY=VALUE (TOML value), repeatable, "
                       "e.g. economics.lme_usd_per_t=2500 or footprint.electricity='\"hydro\"'")
JSON_OPT = typer.Option(False, "--json", help="print one JSON object")
HTML_OPT = typer.Option(None, "--html", help="also write the economics/footprint HTML section here")
XLSX_OPT = typer.Option(None, "--xlsx", help="also write an Excel workbook here (KPIs, margin "
                        "waterfall, cost lines, cash flow, footprint, comparison)")


def _money(v: float, sign: bool = False) -> str:
    return f"{v:+,.0f}" if sign else f"{v:,.0f}"


def _table(title: str, rows: dict[str, float], unit: str) -> Any:
    return fit_table(title, [Col("item", "text"), Col(unit, "num")],
                     [(k.replace("_", " "), f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}")
                      for k, v in rows.items()])


@handle_errors
def assess(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    html: str | None = HTML_OPT,
    json_out: bool = JSON_OPT,
    xlsx: str | None = XLSX_OPT,
) -> None:
    """Margin per tonne, plant NPV/IRR, break-even prices, footprint by scope, comparison."""
    from alref import api
    from alref.api.assessment import DEFAULT_ASSESS_SCENARIO

    if xlsx:
        from alref.extras import ensure

        ensure(("openpyxl",), "writing an Excel workbook", "--xlsx")
    sc = api.load_scenario(scenario or DEFAULT_ASSESS_SCENARIO, overrides or ())  # fails fast
    if json_out:
        d = api.assess(sc).to_dict()
    else:
        with progress_bar("simulating", percent=False) as progress:
            d = api.assess(sc, progress=progress).to_dict()
    if html:
        from alref.report.assess_section import write_assess_html

        write_assess_html(d, html)  # replaced whole or not at all
    if xlsx:
        from alref.report.workbook import assessment_sheets, write_workbook

        write_workbook(xlsx, assessment_sheets(d))  # atomic
    if json_out:
        emit_json(d)
        return
    e, f = d["economics"], d["footprint"]
    console.print(kv_table(f"economics: {d['scenario']} ({e['quotes']['region']})", [
        ("margin [US$/t product]", e["margin_usd_per_t"]),
        ("revenue [US$/t]", e["revenue_usd_per_t"]),
        ("cost [US$/t]", e["cost_usd_per_t"]),
        ("LME + premium [US$/t]", f"{e['lme_usd_per_t']:.0f} + {e['premium_usd_per_t']:.0f}"),
        ("scrap price [% of LME]", e["scrap_price_pct_lme"]),
        ("power price [US$/MWh]", e["power_price_usd_per_mwh"]),
        ("break-even scrap price [% of LME]", e["break_even_scrap_pct_lme"]),
        ("break-even power price [US$/MWh]", e["break_even_power_usd_per_mwh"]),
        ("plant: pots / output [t/yr] / capex [US$]",
         f"{e['pots']} / {e['annual_product_t']:,.0f} / {e['capex_usd']:,.0f}"),
        ("NPV [US$]", e["npv_usd"]),
        ("IRR [-]", e["irr"] if e["irr"] is not None else "none (no sign change)"),
        ("payback [yr]", e["payback_years"] if e["payback_years"] is not None else "never"),
        ("levelised cost [US$/t]", e["levelised_cost_usd_per_t"]),
    ]))
    _print_plant(d)
    console.print(_table("revenue [US$/t]", e["revenue_breakdown_usd_per_t"], "US$/t"))
    console.print(_table("costs [US$/t]", e["cost_breakdown_usd_per_t"], "US$/t"))
    console.print(_table("margin waterfall [US$/t product]",
                         {s["item"]: s["usd_per_t"] for s in e["waterfall_usd_per_t"]}, "US$/t"))
    console.print(fit_table("tornado: margin [US$/t] at low / high driver", [
        Col("driver", "id"), Col("low", "num"), Col("high", "num"), Col("range", "text")],
        [(r["driver"], _money(r["margin_low_usd_per_t"]), _money(r["margin_high_usd_per_t"]),
          r["range"]) for r in e["tornado"]]))
    console.print(kv_table("what the signs mean", list(e["explanations"].items())))
    v = d.get("versus_prototype")
    if v:
        console.print(fit_table(
            f"versus the prototype plant ({v['prototype_scenario']}) [US$/t product]", [
                Col("line", "id"), Col("prototype", "num"), Col("plant", "num"),
                Col("difference", "num"), Col("driver", "text")],
            [(r["item"], _money(r["prototype_usd_per_t"]), _money(r["plant_usd_per_t"]),
              _money(r["difference_usd_per_t"], sign=True), r["driver"]) for r in v["lines"]]))
        console.print(kv_table("difference by driver [US$/t]",
                               list(v["difference_by_driver_usd_per_t"].items())))
    console.print(kv_table("footprint [t CO2e / t product]", [
        ("total", f["total_t_co2e_per_t"]),
        *[(k.replace("_", " "), v) for k, v in f["by_scope"].items()],
        ("electricity", f["method"]["electricity"]),
        ("scrap burden / residue allocation / GWP",
         f"{f['method']['scrap_burden']} / {f['method']['residue_allocation']} / {f['method']['gwp']}"),
    ]))
    console.print(_table("footprint by source [t CO2e/t]", f["by_source"], "t CO2e/t"))
    console.print(fit_table("comparison (per tonne of metal)", [
        Col("t CO2e/t", "num"), Col("MWh/t", "num"), Col("year", "num"), Col("source", "id"),
        Col("route", "text")],
        [(f"{r['t_co2e_per_t']:.2f}", f"{r['energy_mwh_per_t']:.2f}", str(r.get("year") or ""),
          str(r.get("source") or ""), r["route"]) for r in d["comparison"]]))


def _print_plant(d: dict) -> None:
    e = d["economics"]
    p = e.get("plant", {})
    rows = [("plant / operation", f"{p.get('plant')} / {p.get('operation')}"),
            ("processing cost [US$/t] (all costs but scrap, net of credits)",
             e["processing_cost_usd_per_t"]),
            ("capital charge [US$/t]", e["capital_charge_usd_per_t"]),
            ("margin after capital [US$/t]", e["margin_after_capital_usd_per_t"]),
            ("scrap [t/t product]", e["scrap_t_per_t_product"])]
    g, cu = e.get("processing_cost_groups_usd_per_t"), e.get("copper_balance")
    if g:
        rows.insert(2, ("  electricity / fixed costs / consumables net of credits [US$/t]",
                        f"{g['electricity']:.0f} / {g['fixed_costs']:.0f} / "
                        f"{g['consumables_net_of_credits']:+.0f}"))
    if cu and cu["bought_kg_per_t"] > 0:
        rows.insert(3, ("  Cu bought / sold in sludge + bleed [kg/t]; net Cu [US$/t]",
                        f"{cu['bought_kg_per_t']:.0f} / "
                        f"{cu['sold_in_residue_kg_per_t'] + cu['sold_in_bleed_kg_per_t']:.0f}; "
                        f"{cu['net_usd_per_t']:+.0f}"))
    pl = d.get("pot_life")
    if pl:
        rows += [("steady state", f"from cycle {pl['steady_from_cycle']}" if pl["steady"]
                  else "not reached (last cycles averaged)"),
                 ("cycle [d] / pots / capex [US$ per t/yr]",
                  f"{pl['cycle_days']:.1f} / {p.get('pots')} / {p.get('capex_usd_per_t_capacity', 0):,.0f}"),
                 ("sludge / bleed / Cu make-up [kg/t]",
                  f"{pl['residue_kg_per_t']:.0f} / {pl['bleed_kg_per_t']:.0f} / {pl['copper_kg_per_t']:.0f}")]
    h = d["footprint"].get("hydro_check")
    if h:
        rows.append(("footprint on hydro [t CO2e/t]",
                     f"{h['total_t_co2e_per_t']:.2f}" + ("" if h["under_limit"] else
                     f" > {h['limit_t_co2e_per_t']:g}: {', '.join(h['breaking_purchases'])}")))
    console.print(kv_table("plant", rows))


def register(app: typer.Typer) -> None:
    """Attach the `assess` command."""
    app.command("assess")(assess)
