"""`alref study sweep|mc|sobol|morris`, `alref runs list|show|compare`, `alref bench`.

Thin wrappers over `alref.api.study`, `alref.api.runs_list|runs_show|runs_compare` (on the
`alref.store` catalogue) and `alref.api.bench`.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

import typer

from alref import numfmt
from alref.cli._common import console, count_bar, emit_json, fmt, handle_errors, kv_table
from alref.cli.output import Col, fit_table

study_app = typer.Typer(help="Sweeps, Monte Carlo, Sobol and Morris studies over a scenario.",
                        no_args_is_help=True)
runs_app = typer.Typer(help="The results catalogue: stored studies and runs.",
                       no_args_is_help=True)
DEFAULT_STORE = "alref-store"


def register(app: typer.Typer) -> None:
    """Attach `alref study ...`, `alref runs ...` and `alref bench`."""
    app.add_typer(study_app, name="study")
    app.add_typer(runs_app, name="runs")
    app.command("bench")(bench_command)


def run_study_command(kind: str, scenario: str | None, vary: list[str], n: int, seed: int,
                      executor: str, scheduler: str | None, workers: int, out: str,
                      chunk_size: int, engine: str, sampler: str, default_spread: str,
                      overrides: list[str], report: bool, as_json: bool) -> dict[str, Any]:
    """`alref.api.study` into the catalogue at `out`, with a progress bar unless `as_json`."""
    from alref import api
    from alref.store.catalog import Catalog

    plan = api.plan_study(kind, scenario, vary, n, seed=seed, sampler=sampler,
                          chunk_size=chunk_size or 250, engine=engine,
                          default_spread=default_spread, overrides=overrides)
    if not chunk_size:  # auto: the progress bar moves per sample on small studies
        plan.chunk_size = auto_chunk_size(kind, n, len(plan.factors), workers)
    store = Catalog(out)
    run = functools.partial(api.study, plan, store, executor=executor, scheduler=scheduler,
                            workers=workers, report=report)
    if as_json:
        return run().to_dict()
    with count_bar(f"{kind} {plan.study_id}") as progress:
        return run(progress=progress).to_dict()


#: the bar should move in about this many steps (display choice)
PROGRESS_STEPS = 25
MAX_CHUNK = 250  # samples per task at most (vectorised batch; alref.study.plan.DEFAULT_CHUNK)


def planned_runs(kind: str, n: int, n_factors: int) -> int:
    """Model runs of a study: mc n, sweep n^D, sobol n(D+2), morris n(D+1)."""
    d = max(n_factors, 1)
    return {"sweep": n ** d, "sobol": n * (d + 2), "morris": n * (d + 1)}.get(kind, n)


def auto_chunk_size(kind: str, n: int, n_factors: int, workers: int = 1) -> int:
    """Samples per task so that the progress bar advances per sample on small studies and
    in about `PROGRESS_STEPS` steps on large ones (at most `MAX_CHUNK`)."""
    runs = planned_runs(kind, n, n_factors)
    return max(1, min(MAX_CHUNK, -(-runs // (PROGRESS_STEPS * max(workers, 1)))))


def _show_study(out: dict[str, Any]) -> None:
    console.print(kv_table(f"study {out['study_id']}", [
        ("samples", out["samples"]), ("failed", out["failed"]),
        ("resumed from checkpoint", out["resumed_samples"]), ("executor", out["executor"]),
        ("seconds", out["seconds"]), ("results", out["results_path"]),
        ("report", out["report_path"])]))
    stats = ("mean", "sd", "p05", "p50", "p95")
    console.print(fit_table("outputs", [Col("output", "id"), *(Col(st, "num") for st in stats)],
                            [[numfmt.label(k), *(fmt(d[st], k) for st in stats)]
                             for k, d in out["summary"]["outputs"].items() if d.get("n")]))
    for name, block in out["summary"].get("sobol", {}).items():
        if "error" in block:
            continue
        console.print(fit_table(f"Sobol indices: {numfmt.label(name)}", [
            Col("input", "id"), Col("S1", "num"), Col("± conf", "num"), Col("ST", "num"),
            Col("± conf", "num")],
            [[inp, *(fmt(v[k]) for k in ("S1", "S1_conf", "ST", "ST_conf"))]
             for inp, v in block.items()]))


def _make_study_command(kind: str, n_help: str) -> None:
    @study_app.command(kind)
    @handle_errors
    def command(
        scenario: str = typer.Argument(None, help="Preset name or TOML path (default scenario)."),
        vary: Annotated[list[str] | None, typer.Option(
            "--vary", help="KEY or KEY=SPEC (repeatable).")] = None,
        n: int = typer.Option(..., "-n", "--n", help=n_help),
        seed: int = typer.Option(0, "--seed", help="Seed: the same seed gives the same study."),
        executor: str = typer.Option("local", "--executor", help="local or dask."),
        scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address."),
        workers: int = typer.Option(1, "--workers", help="Worker processes (local or dask)."),
        out: str = typer.Option(DEFAULT_STORE, "--out", help="Store directory (catalogue)."),
        chunk_size: int = typer.Option(0, "--chunk-size", help="Samples per task (0: chosen so "
                                       "the progress bar advances per sample on small studies)."),
        engine: str = typer.Option("batch", "--engine", help="batch or reference."),
        sampler: str = typer.Option("random", "--sampler", help="mc: random, lhs or sobol."),
        default_spread: str = typer.Option("10%", "--default-spread",
                                           help="± range of factors without uncertainty data."),
        overrides: Annotated[list[str] | None, typer.Option(
            "--set", help="KEY=VALUE scenario override.")] = None,
        report: bool = typer.Option(True, "--report/--no-report", help="Write report.html."),
        xlsx: str = typer.Option(None, "--xlsx", help="Write an Excel workbook (outputs, samples)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        from alref.extras import ensure

        if xlsx:
            ensure(("pandas", "openpyxl"), "writing an Excel workbook", "--xlsx")
        res = run_study_command(kind, scenario, vary or [], n, seed, executor, scheduler, workers, out,
                                chunk_size, engine, sampler, default_spread, overrides or [], report,
                                as_json)
        if xlsx:
            write_study_workbook(res, xlsx)
        if as_json:
            emit_json(res)
        else:
            _show_study(res)

    command.__doc__ = {
        "sweep": "Full-factorial sweep: N levels per varied parameter.",
        "mc": "Monte Carlo: N random samples (scrap spreads and parameter uncertainty).",
        "sobol": "Sobol indices (Saltelli sampling, SALib): N base samples, N·(D+2) runs.",
        "morris": "Morris screening (SALib): N trajectories, N·(D+1) runs.",
    }[kind]


def write_study_workbook(res: dict[str, Any], path: str) -> None:
    """The study's outputs and every sample (from its Parquet file) as an Excel workbook."""
    from pathlib import Path

    from alref.report.workbook import study_sheets, write_workbook

    samples = None
    if res.get("results_path") and Path(res["results_path"]).is_file():
        import pandas as pd

        samples = pd.read_parquet(res["results_path"])
    write_workbook(path, study_sheets(res, samples))


for _kind, _help in (("sweep", "Levels per parameter."), ("mc", "Number of samples."),
                     ("sobol", "Base samples (power of 2)."), ("morris", "Trajectories.")):
    _make_study_command(_kind, _help)


@runs_app.command("list")
@handle_errors
def runs_list(out: str = typer.Option(DEFAULT_STORE, "--out", help="Store directory."),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Stored studies and runs, newest first."""
    from alref import api

    entries = api.runs_list(_catalog(out), out).entries
    if as_json:
        emit_json({"store": out, "entries": entries})
        return
    console.print(fit_table(f"store {out}", [
        Col("id", "id"), Col("kind", "id"), Col("scenario", "id"), Col("samples", "num"),
        Col("failed", "num"), Col("created", "id")],
        [[e["id"], e["kind"], str(e["scenario"]),
          f"{e.get('stored_samples', '')}/{e.get('n_samples', '')}" if e["type"] == "study"
          else "", str(e.get("failed", "")), e["created"][:16].replace("T", " ")]
         for e in entries]))


def _catalog(out: str) -> Any:
    from alref.store.catalog import open_catalog

    return open_catalog(out)


@runs_app.command("show")
@handle_errors
def runs_show(entry_id: str = typer.Argument(..., help="Study or run id (or unique prefix)."),
              out: str = typer.Option(DEFAULT_STORE, "--out"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """One stored study or run."""
    from alref import api

    e = api.runs_show(_catalog(out), entry_id).to_dict()
    if as_json:
        emit_json(e)
        return
    rows = [(k, v) for k, v in e.items() if k not in ("summary", "spec")]
    console.print(kv_table(e["id"], rows))
    outs = (e.get("summary") or {}).get("outputs") or {}
    for k, d in outs.items():
        if isinstance(d, dict) and d.get("n"):
            console.print(f"{k}: mean {fmt(d['mean'])}, sd {fmt(d['sd'])}")


@runs_app.command("compare")
@handle_errors
def runs_compare(ids: Annotated[list[str], typer.Argument(help="Two or more ids.")],
                 out: str = typer.Option(DEFAULT_STORE, "--out"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Key outputs of stored studies (means) and runs side by side."""
    from alref import api

    c = api.runs_compare(_catalog(out), ids).to_dict()
    if as_json:
        emit_json(c)
        return
    console.print(fit_table("comparison", [Col("output", "id"),
                                           *(Col(i, "num") for i in c["ids"])],
                            [[numfmt.label(k), *(fmt(vals[i], k) for i in c["ids"])]
                             for k, vals in c["outputs"].items()]))


@handle_errors
def bench_command(
    scenario: str = typer.Argument(None, help="Preset or TOML path (default scenario)."),
    reference: int = typer.Option(8, "--reference", help="Scenarios run by the reference solver."),
    batch: int = typer.Option(400, "--batch", help="Scenarios run by the batch engine."),
    seed: int = typer.Option(0, "--seed"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Reference solver vs batch engine on the same scenarios, side by side."""
    from alref import api

    res = api.bench(scenario, reference, batch, seed).to_dict()
    if as_json:
        emit_json(res)
        return
    console.print(kv_table("alref bench", [(k, v) for k, v in res.items()
                                           if not k.startswith("cycle_days")]))


__all__ = ["register", "run_study_command"]
