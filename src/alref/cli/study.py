"""`alref study sweep|mc|sobol|morris`, `alref runs list|show|compare`, `alref bench`.

Thin wrappers over `alref.study.runner.run_study`, `alref.store.catalog.Catalog` and
`alref.study.bench.bench`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from alref.cli._common import console, emit_json, err_console, fmt, handle_errors, kv_table
from alref.errors import ConfigError
from alref.scenario import apply_overrides, from_raw, load_raw

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


def _spread(text: str) -> float:
    t = text.strip()
    if t.endswith("%"):
        try:
            return float(t[:-1]) / 100.0
        except ValueError:
            raise ConfigError("--default-spread", f"not a percentage: {text!r}") from None
    try:
        return float(t)
    except ValueError:
        raise ConfigError("--default-spread", f"not a number: {text!r}") from None


def run_study_command(kind: str, scenario: str | None, vary: list[str], n: int, seed: int,
                      executor: str, scheduler: str | None, workers: int, out: str,
                      chunk_size: int, engine: str, sampler: str, default_spread: str,
                      overrides: list[str], report: bool, as_json: bool) -> dict[str, Any]:
    """Service for the study commands (kept here so tests can call it directly)."""
    from alref.store.catalog import Catalog
    from alref.study.executors import make_executor
    from alref.study.report import render_study_html
    from alref.study.runner import StudySpec, run_study

    raw = apply_overrides(load_raw(scenario), overrides)
    from_raw(raw)  # validate the base scenario (errors name the key)
    spec = StudySpec.build(kind, raw.get("name", scenario or "default"), raw, vary, n,
                           seed=seed, sampler=sampler, chunk_size=chunk_size, engine=engine,
                           default_spread=_spread(default_spread))
    from alref.study.sampling import make_design

    make_design(kind, spec.factors, n, seed, raw, sampler)  # bad n / factors fail before a cluster
    catalog = Catalog(out)
    ex = make_executor(executor, workers, scheduler)
    t0 = time.perf_counter()
    try:
        if as_json:
            result = run_study(spec, ex, catalog)
        else:
            with Progress("[progress.description]{task.description}", BarColumn(),
                          MofNCompleteColumn(), TimeRemainingColumn(), console=err_console,
                          transient=True) as bar:
                task = bar.add_task(f"{kind} {spec.study_id}", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                result = run_study(spec, ex, catalog, progress)
    finally:
        ex.close()
    seconds = time.perf_counter() - t0
    report_path = None
    if report:
        p = Path(out) / result.study_id / "report.html"
        p.write_text(render_study_html(result.study_id, result.summary, result.rows),
                     encoding="utf-8")
        report_path = str(p)
    return {"study_id": result.study_id, "samples": len(result.rows), "failed": result.failed,
            "resumed_samples": result.resumed_samples, "results_path": result.results_path,
            "report_path": report_path, "catalog": str(catalog.path), "executor": result.executor,
            "seconds": seconds, "summary": result.summary}


def _show_study(out: dict[str, Any]) -> None:
    console.print(kv_table(f"study {out['study_id']}", [
        ("samples", out["samples"]), ("failed", out["failed"]),
        ("resumed from checkpoint", out["resumed_samples"]), ("executor", out["executor"]),
        ("seconds", out["seconds"]), ("results", out["results_path"]),
        ("report", out["report_path"])]))
    table = Table(title="outputs", title_justify="left")
    for col in ("output", "mean", "sd", "p05", "p50", "p95"):
        table.add_column(col, justify="left" if col == "output" else "right")
    for k, d in out["summary"]["outputs"].items():
        if d.get("n"):
            table.add_row(k, *(fmt(d[s]) for s in ("mean", "sd", "p05", "p50", "p95")))
    console.print(table)
    for name, block in out["summary"].get("sobol", {}).items():
        if "error" in block:
            continue
        t = Table(title=f"Sobol indices: {name}", title_justify="left")
        for col in ("input", "S1", "± conf", "ST", "± conf"):
            t.add_column(col)
        for inp, v in block.items():
            t.add_row(inp, fmt(v["S1"]), fmt(v["S1_conf"]), fmt(v["ST"]), fmt(v["ST_conf"]))
        console.print(t)


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
        chunk_size: int = typer.Option(250, "--chunk-size", help="Samples per task."),
        engine: str = typer.Option("batch", "--engine", help="batch or reference."),
        sampler: str = typer.Option("random", "--sampler", help="mc: random, lhs or sobol."),
        default_spread: str = typer.Option("10%", "--default-spread",
                                           help="± range of factors without uncertainty data."),
        overrides: Annotated[list[str] | None, typer.Option(
            "--set", help="KEY=VALUE scenario override.")] = None,
        report: bool = typer.Option(True, "--report/--no-report", help="Write report.html."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        res = run_study_command(kind, scenario, vary or [], n, seed, executor, scheduler, workers, out,
                                chunk_size, engine, sampler, default_spread, overrides or [], report,
                                as_json)
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


for _kind, _help in (("sweep", "Levels per parameter."), ("mc", "Number of samples."),
                     ("sobol", "Base samples (power of 2)."), ("morris", "Trajectories.")):
    _make_study_command(_kind, _help)


@runs_app.command("list")
@handle_errors
def runs_list(out: str = typer.Option(DEFAULT_STORE, "--out", help="Store directory."),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Stored studies and runs, newest first."""
    from alref.store.catalog import Catalog

    entries = _catalog(out, Catalog).list_entries()
    if as_json:
        emit_json({"store": out, "entries": entries})
        return
    t = Table(title=f"store {out}", title_justify="left")
    for col in ("id", "kind", "scenario", "samples", "failed", "created"):
        t.add_column(col)
    for e in entries:
        t.add_row(e["id"], e["kind"], str(e["scenario"]),
                  f"{e.get('stored_samples', '')}/{e.get('n_samples', '')}" if e["type"] == "study"
                  else "", str(e.get("failed", "")), e["created"][:19])
    console.print(t)


def _catalog(out: str, cls: Any) -> Any:
    if not (Path(out) / "catalog.duckdb").exists():
        raise ConfigError("--out", f"no catalogue in {out!r}")
    return cls(out)


@runs_app.command("show")
@handle_errors
def runs_show(entry_id: str = typer.Argument(..., help="Study or run id (or unique prefix)."),
              out: str = typer.Option(DEFAULT_STORE, "--out"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """One stored study or run."""
    from alref.store.catalog import Catalog

    e = _catalog(out, Catalog).show(entry_id)
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
    from alref.store.catalog import Catalog

    c = _catalog(out, Catalog).compare(ids)
    if as_json:
        emit_json(c)
        return
    t = Table(title="comparison", title_justify="left")
    t.add_column("output")
    for i in c["ids"]:
        t.add_column(i, justify="right")
    for k, vals in c["outputs"].items():
        t.add_row(k, *(fmt(vals[i]) for i in c["ids"]))
    console.print(t)


@handle_errors
def bench_command(
    scenario: str = typer.Argument(None, help="Preset or TOML path (default scenario)."),
    reference: int = typer.Option(8, "--reference", help="Scenarios run by the reference solver."),
    batch: int = typer.Option(400, "--batch", help="Scenarios run by the batch engine."),
    seed: int = typer.Option(0, "--seed"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Reference solver vs batch engine on the same scenarios, side by side."""
    from alref.study.bench import bench

    res = bench(scenario, reference, batch, seed)
    if as_json:
        emit_json(res)
        return
    console.print(kv_table("alref bench", [(k, v) for k, v in res.items()
                                           if not k.startswith("cycle_days")]))


__all__ = ["register", "run_study_command"]
