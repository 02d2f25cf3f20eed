"""Route bookkeeping of the impurities entering the cathode metal
(docs/research/impurity-transfer.md §3.10) and the Si-selective route (§3.8.7).

Every kg that enters the cathode metal is booked under one route: **equilibrium** (ions the
anode dissolved, co-deposited), **particle** (entrained liquid alloy and interface solids,
the Si-selective route), **hardware** (bare steel wetted by the metal), **refractory** (Si
of a bath-wetted silica face, co-deposited), **salts** (ions of the initial bath and of
salt additions, co-deposited) and **wall** (diaphragm pots: ions that crossed the porous
wall into the cathode compartment, W1 of §3.8.3, whatever first put them in the bath).
Bath ions carry a per-source tag (ion × source matrix per row) so that co-deposited ions
inherit the shares of the bath inventory they come from. In a diaphragm pot a second tag
set holds the cathode compartment's part of the inventory (the anode side is the
difference). Changes of the bath's ion inventory made outside the step (salt additions,
bath taps) are reconciled at each step's start: an increase is booked to `salts` (split
between the two sides by bath volume), a decrease scales the tags.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from alref import data
from alref.campaign.couples import transfer_data
from alref.campaign.layout import PoolLayout
from alref.campaign.state import compound_fractions
from alref.errors import ConfigError
from alref.properties.electrolyte_composition import resolve_family

ROUTES = ("equilibrium", "particle", "hardware", "refractory", "salts", "wall")
#: sources a bath ion can carry (a subset of ROUTES, same order)
BATH_SOURCES = ("equilibrium", "hardware", "refractory", "salts", "wall")
R = {r: i for i, r in enumerate(ROUTES)}
BS = {r: i for i, r in enumerate(BATH_SOURCES)}


def new_tags(S: int, lay: PoolLayout) -> np.ndarray:
    """Empty ion-source tags (S x ions x bath sources, kg of the ion's element)."""
    return np.zeros((S, len(lay.ions), len(BATH_SOURCES)))


def ion_masses(B: np.ndarray, lay: PoolLayout) -> np.ndarray:
    """kg of each ion's element in the bath (S x ions)."""
    return np.stack([B[:, j] * compound_fractions(lay.names[j])[el] for el, _e, j in lay.ions],
                    axis=1) if lay.ions else np.zeros((B.shape[0], 0))


def reconcile(tags: np.ndarray, B: np.ndarray, lay: PoolLayout,
              cathode_tags: np.ndarray | None = None,
              cathode_share: np.ndarray | None = None) -> None:
    """Bring the tags in line with the bath (in place): more ion than tagged → `salts`
    (the share `cathode_share` (S,) of it into the cathode compartment's tags), less →
    every source of both sides scaled down."""
    m = ion_masses(B, lay)
    tagged = tags.sum(-1)
    more = m > tagged
    inc = np.where(more, m - tagged, 0.0)
    tags[..., BS["salts"]] += inc
    scale = np.where(~more & (tagged > 0), m / np.where(tagged > 0, tagged, 1.0), 1.0)
    tags *= scale[..., None]
    if cathode_tags is not None:
        if cathode_share is not None:
            cathode_tags[..., BS["salts"]] += inc * cathode_share[:, None]
        cathode_tags *= scale[..., None]


def add(tags: np.ndarray, source: str, kg: np.ndarray) -> None:
    """kg (S x ions) of ions enter the bath from `source`."""
    tags[..., BS[source]] += kg


def withdraw(tags: np.ndarray, kg: np.ndarray) -> np.ndarray:
    """kg (S x ions) of ions leave the bath in proportion to their tags; returns the kg by
    source (S x ions x sources) and updates the tags in place."""
    tot = tags.sum(-1)
    frac = np.where(tot > 0, np.minimum(kg / np.where(tot > 0, tot, 1.0), 1.0), 0.0)
    out = tags * frac[..., None]
    tags -= out
    return out


def _take(pool: np.ndarray, kg: np.ndarray) -> np.ndarray:
    """Share of `pool` (S x ions x sources) holding kg (S x ions), in proportion."""
    tot = pool.sum(-1)
    frac = np.where(tot > 0, np.clip(kg / np.where(tot > 0, tot, 1.0), 0.0, 1.0), 0.0)
    return pool * frac[..., None]


def wall_transfer(tags: np.ndarray, cathode_tags: np.ndarray, crossed: np.ndarray,
                  deposited: np.ndarray, reduced: np.ndarray, cathode_kg: np.ndarray
                  ) -> np.ndarray:
    """Tags of a diaphragm pot through one step of `alref.campaign.wall` (in place):
    `crossed` kg (S x ions, net) go through the wall — into the compartment they are booked
    as `wall`, out of it they keep their tags; `deposited` kg leave the compartment for the
    cathode, `reduced` kg leave the anode side for the alloy; the compartment's tags are
    then scaled to its inventory `cathode_kg`. Returns the deposited kg by source."""
    into = np.maximum(crossed, 0.0)
    out = _take(tags - cathode_tags, into)
    tags -= out
    tags[..., BS["wall"]] += into
    cathode_tags[..., BS["wall"]] += into
    cathode_tags -= _take(cathode_tags, np.maximum(-crossed, 0.0))
    dep = _take(cathode_tags, deposited)
    cathode_tags -= dep
    tags -= dep
    tags -= _take(tags - cathode_tags, reduced)
    tot = cathode_tags.sum(-1)
    cathode_tags *= np.where(tot > 0, cathode_kg / np.where(tot > 0, tot, 1.0), 0.0)[..., None]
    np.minimum(cathode_tags, tags, out=cathode_tags)
    return dep


def book_deposits(tags: np.ndarray, cathode_tags: np.ndarray | None, into: np.ndarray,
                  lay: PoolLayout, moved: np.ndarray, walled: np.ndarray) -> None:
    """Book the ions `alref.campaign.processes.ion_exchange` moved (S x ions x 4: removed,
    deposited, crossed the wall, left in the compartment) into the cathode-metal routes
    `into` and update the tags (in place): one open pool, or the two pools of a walled row
    (`wall_transfer`)."""
    def one_pool(t: np.ndarray, m: np.ndarray) -> np.ndarray:
        by_source = withdraw(t, m[..., 0])
        share = np.where(m[..., 0] > 0, m[..., 1] / np.where(m[..., 0] > 0, m[..., 0], 1.0),
                         0.0)
        return by_source * share[..., None]

    if not walled.any():
        into_metal(into, lay, one_pool(tags, moved))
        return
    for r, two in ((np.nonzero(~walled)[0], False), (np.nonzero(walled)[0], True)):
        if not r.size:
            continue
        t, got, m = tags[r], into[r], moved[r]
        if two:
            c = cathode_tags[r]
            dep = wall_transfer(t, c, m[..., 2], m[..., 1], m[..., 0] - m[..., 1], m[..., 3])
            cathode_tags[r] = c
        else:
            dep = one_pool(t, m)
        into_metal(got, lay, dep)
        tags[r], into[r] = t, got


def into_metal(routes: np.ndarray, lay: PoolLayout, by_source: np.ndarray) -> None:
    """Book co-deposited ions (S x ions x sources, kg) into the cathode-metal routes
    (S x ROUTES x E, in place)."""
    for k, (_el, e, _j) in enumerate(lay.ions):
        for s, name in enumerate(BATH_SOURCES):
            routes[:, R[name], e] += by_source[:, k, s]


@lru_cache(maxsize=16)
def si_selective_ratio(family: str) -> float:
    """β_Si of the bath family (`transfer.toml` [si_selective]): product Si over anode Si
    carried by the Si-selective route (§3.8.7; calibrated on `ueda1998` for the
    chloride-fluoride family)."""
    table = transfer_data()["si_selective"]
    fam = resolve_family(family)
    if fam not in table:
        raise ConfigError("electrolyte.family", f"no Si-selective ratio for family {fam!r} "
                                                f"(transfer.toml has {sorted(table)})")
    return float(table[fam]["beta"])


@lru_cache(maxsize=1)
def silicon_density() -> float:
    """Density of solid Si (kg/m³, `thermo/sludge_phases.toml`), the carrier of the
    Si-selective route."""
    return float(data.load("thermo/sludge_phases")["density_g_cm3"]["Si"]) * 1000.0


def si_selective(A: np.ndarray, K: np.ndarray, G: np.ndarray, lay: PoolLayout, beta: np.ndarray,
                 deposited_al: np.ndarray, rho_bath: np.ndarray | None = None) -> np.ndarray:
    """The Si-selective route (§3.8.7): Si enters the cathode metal at β_Si × the anode's
    Si mass fraction (liquid and sludge) per kg of Al deposited, drawn from the liquid alloy
    (the sludge re-dissolves into it as it is drawn); kg of Si moved (S,).

    The carrier is Si-bearing solids lighter than the bath (§3.8.2, §5.1: free Si, 2.3 g/cm³,
    against a BaCl2-rich bath of about 3): where the bath (`rho_bath`, kg/m³) is lighter than
    solid Si — the NaCl-KCl-based members of the chloride-fluoride family — the solids do not
    rise through it and the route carries nothing."""
    if rho_bath is not None:
        beta = np.where(np.asarray(rho_bath) > silicon_density(), beta, 0.0)
    si = lay.th.idx["Si"]
    metal_g = G[:, :-1] @ lay.pm[:-1]  # element kg in the metallic sludge phases
    si_g = metal_g[:, si]
    total = A.sum(1) + metal_g.sum(1)
    w = np.where(total > 0, (A[:, si] + si_g) / np.where(total > 0, total, 1.0), 0.0)
    moved = np.clip(beta * w * np.maximum(deposited_al, 0.0), 0.0, A[:, si])
    A[:, si] -= moved
    K[:, si] += moved
    return moved
