"""Plain-data views of the scrap classes (used by `alref scrap` and the future web API)."""

from __future__ import annotations

from typing import Any

from alref.citations import get as get_reference
from alref.materials.scrap import ScrapClass, scrap_class, scrap_classes, spread_model


def scrap_summary() -> list[dict[str, Any]]:
    """One row per class: name, ISRI code, description, mean Al, metal yield."""
    rows = []
    for key, sc in scrap_classes().items():
        rows.append(
            {
                "key": key,
                "name": sc.name,
                "isri_code": sc.isri_code,
                "description": sc.description,
                "al_wt_pct_mean": sc.mean_composition().al_wt_pct,
                "metal_yield": sc.metal_yield,
                "aliases": list(sc.aliases),
            }
        )
    return rows


def _sources(sc: ScrapClass) -> list[dict[str, str]]:
    out = [{"key": sc.source, "locator": sc.locator, "reference": get_reference(sc.source).short()}]
    for table in sc.limits.values():
        out.append(
            {
                "key": table["source"],
                "locator": table["locator"],
                "reference": get_reference(table["source"]).short(),
            }
        )
    for c in sc.components:
        if c.source:
            out.append(
                {
                    "key": c.source,
                    "locator": f"alloy {c.label} limits",
                    "reference": get_reference(c.source).short(),
                }
            )
    out.append({"key": "assumption", "locator": "alloy mix", "reference": sc.mix_assumption})
    out.append(
        {
            "key": "assumption",
            "locator": "non-metallic content",
            "reference": sc.nonmetallic_assumption,
        }
    )
    out.append({"key": "assumption", "locator": "spread model", "reference": spread_model()})
    return out


def scrap_detail(name: str, key: str = "scrap") -> dict[str, Any]:
    """Everything known about one class, JSON-ready."""
    sc = scrap_class(name, key=key)
    return {
        "key": sc.key,
        "name": sc.name,
        "isri_code": sc.isri_code,
        "description": sc.description,
        "composition_wt_pct": sc.composition_stats(),
        "nonmetallic_wt_pct": sc.nonmetallic_wt_pct(),
        "metal_yield": sc.metal_yield,
        "alloy_mix": sc.alloy_mix(),
        "limits": {
            name: {"values": t["values"], "source": t["source"]} for name, t in sc.limits.items()
        },
        "sources": _sources(sc),
    }
