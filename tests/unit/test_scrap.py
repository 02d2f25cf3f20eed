"""Scrap classes: lookup, means inside ISRI limits, spread model vs sampling, blends."""

from __future__ import annotations

import numpy as np
import pytest

from alref.errors import ConfigError
from alref.materials.scrap import Blend, resolve_feed, scrap_class, scrap_classes

ISRI_CODES = {
    "Twitch",
    "Tweak",
    "Zorba",
    "Tense",
    "Trump",
    "Troma",
    "Throb",
    "Taint/Tabor",
    "Tale",
    "Talc",
    "Taldon",
    "Taboo",
    "Tough",
    "Tabloid",
    "Toto",
    "Tread",
    "Telic",
    "Talon",
    "Tall",
    "Tally",
}


def test_at_least_15_classes_with_isri_codes() -> None:
    codes = {sc.isri_code for sc in scrap_classes().values()}
    assert len(codes) >= 15
    assert codes >= ISRI_CODES


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("UBC", "talc"),
        ("tabor", "taint_tabor"),
        ("Taint/Tabor", "taint_tabor"),
        ("TWITCH", "twitch"),
        ("wheels", "troma"),
    ],
)
def test_aliases(alias: str, key: str) -> None:
    assert scrap_class(alias).key == key


def test_unknown_class_names_key() -> None:
    with pytest.raises(ConfigError) as exc:
        scrap_class("xyz", key="feed.scrap")
    assert exc.value.key == "feed.scrap"
    assert "xyz" in str(exc.value)


@pytest.mark.parametrize("key", sorted(scrap_classes()))
def test_mean_sums_to_100_and_respects_limits(key: str) -> None:
    sc = scrap_class(key)
    mean = sc.mean_composition()
    assert sum(mean.values()) == pytest.approx(100.0, abs=1e-9)
    assert all(v >= 0.0 for v in mean.values())
    nm = sc.nonmetallic_wt_pct()
    assert nm["total"] == pytest.approx(
        sum(nm[k] for k in ("oxide", "organics", "moisture", "free_iron"))
    )
    assert 0.5 < sc.metal_yield <= 1.0
    metal = 100.0 * sc.metal_yield  # wt % of the lot that is metal
    free = {c.label: c.share for c in sc.components if c.kind == "element"}
    for table in sc.limits.values():
        for name, limit in table["values"].items():
            if name.startswith("free_") and name.endswith("_max") and name != "free_iron_max":
                el = name[5:-4]
                assert 100.0 * free.get(el, 0.0) * sc.metal_yield <= limit, name
            elif name == "free_iron_max":
                assert nm["free_iron"] <= limit
            elif name == "organics_max":
                assert nm["organics"] <= limit
            elif name == "nonmetallic_max":
                assert nm["total"] <= limit
            elif name == "metal_min":
                assert metal >= limit
            elif name == "Al_min":
                assert mean.al_wt_pct >= limit
            elif name.endswith("_typical_min"):
                assert mean.wt_pct(name.split("_")[0]) >= limit
            elif name.endswith("_typical_max"):
                assert mean.wt_pct(name.split("_")[0]) <= limit
            elif name.endswith("_max"):
                assert mean.wt_pct(name[:-4]) <= limit, name


def test_twitch_close_to_illustrative_estimate() -> None:
    # domain-physics 10.3 [E]: Al ~89, Si ~6, Cu ~2, Zn ~1.5, Fe ~1, Mg ~0.3, Mn ~0.2
    # (derived here from an alloy mix, not typed in)
    m = scrap_class("twitch").mean_composition()
    assert 86 <= m.al_wt_pct <= 92
    assert 4.5 <= m["Si"] <= 7.5
    assert 1.3 <= m["Cu"] <= 3.0
    assert 0.5 <= m["Zn"] <= 2.0
    assert 0.3 <= m["Fe"] <= 1.0  # ISRI analytical Fe <= 1
    assert 0.1 <= m["Mn"] <= 0.4
    assert len(m) >= 10


def test_ubc_mg_matches_can_chemistry() -> None:
    # 80/20 body/end mix gives ~1.8 % Mg in the metal
    # (standards-market-data 2.5, an independent hand calculation)
    assert scrap_class("ubc").mean_composition()["Mg"] == pytest.approx(1.8, abs=0.15)


@pytest.mark.parametrize("key", ["twitch", "talc", "zorba"])
def test_sampling_matches_closed_form(key: str) -> None:
    sc = scrap_class(key)
    arr = sc.sample_array(np.random.default_rng(12345), 20000)
    assert np.all(arr >= -1e-9)
    assert np.allclose(arr.sum(axis=1), 100.0)
    mean = sc.mean_composition()
    sd = sc.composition_sd()
    for j, el in enumerate(sc.elements):
        if sd[el] < 1e-6:
            continue
        se = sd[el] / np.sqrt(len(arr))
        assert abs(arr[:, j].mean() - mean.wt_pct(el)) < 5 * se, el
        assert arr[:, j].std() == pytest.approx(sd[el], rel=0.06), el


def test_sample_returns_compositions() -> None:
    comps = scrap_class("tense").sample(np.random.default_rng(1), 3)
    assert len(comps) == 3 and all(sum(c.values()) == pytest.approx(100.0) for c in comps)


def test_blend_conserves_mass() -> None:
    b = Blend.from_mapping({"twitch": 0.7, "zorba": 0.3}, key="feed.scrap")
    tw, zo = scrap_class("twitch"), scrap_class("zorba")
    m_tw, m_zo = 0.7 * tw.metal_yield, 0.3 * zo.metal_yield
    assert b.metal_yield == pytest.approx(m_tw + m_zo)
    mean = b.mean_composition()
    for el in ("Al", "Si", "Cu", "Zn"):
        expected = (
            m_tw * tw.mean_composition().wt_pct(el) + m_zo * zo.mean_composition().wt_pct(el)
        ) / (m_tw + m_zo)
        assert mean.wt_pct(el) == pytest.approx(expected)
    nm = b.nonmetallic_wt_pct()
    assert nm["total"] == pytest.approx(100.0 * (1.0 - b.metal_yield))
    assert b.composition_sd()["Si"] > 0


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"twitch": 0.7, "zorba": 0.2}, "feed.scrap"),
        ({"twitch": 1.2, "zorba": -0.2}, "feed.scrap.zorba"),
        ({"xyz": 1.0}, "feed.scrap.xyz"),
        ("xyz", "feed.scrap"),
        (3, "feed.scrap"),
    ],
)
def test_bad_feeds_name_the_key(value, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_feed(value, key="feed.scrap")
    assert exc.value.key == key


def test_resolve_feed_name() -> None:
    assert resolve_feed("ubc").as_mapping() == {"talc": 1.0}
