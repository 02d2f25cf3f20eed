"""The batch strategy's speed settings (`Hold`) against their exact forms: the scaled
charge-dip probe (`keep_probe`) and the looser precipitation stop (`saturation_tol`) give
the same KPIs to well below the bench criterion, with fewer bath-correlation calls."""

from __future__ import annotations

import warnings

import pytest

import alref.cell.model as cell_model
from alref.campaign.batch import KPIS, run_batch
from alref.campaign.operating_point import Hold
from alref.campaign.simulation import Simulation
from alref.scenario import apply_overrides, from_raw, load_raw
from alref.thermo.sludge import SATURATION_TOLERANCE


def _sims() -> list[Simulation]:
    return [Simulation.from_scenario(from_raw(apply_overrides(load_raw(None), [
        f'cell.current="{i} kA"', 'campaign.termination.max_duration="15 d"'])))
        for i in (2.8, 3.0, 3.3)]


def test_scaled_probe_and_loose_saturation_keep_the_kpis(monkeypatch) -> None:
    calls = {"n": 0}
    plain = cell_model.electrolyte.conductivity

    def counting(*a, **k):
        calls["n"] += 1
        return plain(*a, **k)

    monkeypatch.setattr(cell_model.electrolyte, "conductivity", counting)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact = run_batch(_sims(), Hold(keep_probe=False, saturation_tol=SATURATION_TOLERANCE))
        n_exact, calls["n"] = calls["n"], 0
        fast = run_batch(_sims(), Hold())
        n_fast = calls["n"]
    for e, f in zip(exact, fast, strict=True):
        for k in KPIS:
            assert f[k] == pytest.approx(e[k], rel=1e-5), k
    assert n_fast < n_exact, (n_fast, n_exact)


def test_the_liquidus_window_is_read_only_beyond_the_heater_rating(monkeypatch) -> None:
    """A fixed-gap pot inside its heater and cooling ratings holds its set temperature: its
    solves do not evaluate the liquidus window (`cell.model._authority`), which costs an
    alloy-liquidus root per solve; the heater-limit tests cover the pots beyond it."""
    calls = {"n": 0}
    plain = cell_model.temperature_window

    def counting(f):
        calls["n"] += 1
        return plain(f)

    monkeypatch.setattr(cell_model, "temperature_window", counting)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run_batch(_sims()[:1], Hold())
    assert "error" not in out[0] and out[0]["cycle_days"] > 0
    assert calls["n"] == 0


def test_the_primary_si_bound_skips_evaluations_and_keeps_every_row(monkeypatch) -> None:
    """Full cycles (they end on the primary-Si superheat): the bound skips second ln γ
    evaluations of rows far below their matrix liquidus, and neither the alloy superheat
    at any call nor anything a row reports moves."""
    import numpy as np

    import alref.campaign.engine as engine
    from alref.thermo.arrays import Thermo

    rows, seen = {"n": 0}, []
    plain, observe = Thermo.saturation, engine.observe

    def counting(self, X, T, coef=None, lg=None):
        rows["n"] += X.shape[0] if lg is None else 0
        return plain(self, X, T, coef, lg)

    def recording(eng, t, alive):
        v = observe(eng, t, alive)
        seen.append(np.where(alive, v["alloy_superheat_k"], 0.0))
        return v

    monkeypatch.setattr(Thermo, "saturation", counting)
    monkeypatch.setattr(engine, "observe", recording)
    sims = [Simulation.from_scenario(from_raw(apply_overrides(load_raw(None), [
        f'cell.current="{i} kA"']))) for i in (2.8, 3.3)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = run_batch(sims, Hold(si_liquidus_bound=False))
        n_full, rows["n"], seen_full = rows["n"], 0, seen[:]
        seen.clear()
        bound = run_batch(sims, Hold())
    assert rows["n"] < 0.9 * n_full, (rows["n"], n_full)
    assert len(seen) == len(seen_full)
    for a, b in zip(seen_full, seen, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-9)
    for f, b in zip(full, bound, strict=True):
        assert "primary Si" in f["termination"]
        assert b == f
