"""The generators of the reference pages (docs/_ext/alref_docs), fast and without Sphinx:
every schema key is listed with its unit, default, range and a description."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel, Field

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))

from alref_docs import cli_ref, provenance, schema_ref


def _rows(model: type[BaseModel]) -> dict[str, tuple]:
    sections: dict[str, list[tuple]] = {}
    schema_ref.rows(model, "", sections)
    return {f"{p}.{r[0]}" if p else r[0]: r for p, rs in sections.items() for r in rs}


def test_ranges_units_and_defaults_come_from_the_schema() -> None:
    class Demo(BaseModel):
        current: str | float = Field(
            description="line current",
            json_schema_extra={"unit": "A", "range": ["0 A", "10 MA", True, False, "positive"]})
        share: float = Field(default=0.5, ge=0, le=1, description="a share")
        n: int = Field(default=3, gt=0)

    rows = _rows(Demo)
    _name, typ, unit, default, rng, desc = rows["current"]
    assert (typ, unit, default, desc) == ("quantity", "A", "**required**", "line current")
    assert rng.startswith("(0 A, 10 MA]") and "positive" in rng
    assert rows["share"][4] == "[0, 1]" and rows["share"][3] == "`0.5`"
    assert rows["n"][4] == "> 0"


def test_every_scenario_key_is_described() -> None:
    from alref.scenario import Scenario

    sections: dict[str, list[tuple]] = {}
    schema_ref.rows(Scenario, "", sections)
    undocumented = [f"{p}.{r[0]}" for p, rs in sections.items() for r in rs
                    if not r[5] and not p.startswith("economics")]
    assert undocumented == [], f"keys without a description: {undocumented}"
    page = schema_ref.page()
    for kind in ("charge_scrap", "tap", "drain_residue", "correct_bath", "add_cu", "tap_bath"):
        assert f"| `{kind}` |" in page


def test_cli_reference_lists_every_command() -> None:
    import typer.main

    from alref.cli import app

    page = cli_ref.page()
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="alref")
    for name in root.list_commands(ctx):
        assert f"`alref {name}`" in page, name
    assert "`alref scenarios export`" in page


def test_provenance_page_has_every_data_file_and_no_unsourced_value() -> None:
    from alref import data

    page = provenance.page()
    assert "(none)" not in page
    for name in data.list_files("cells"):
        assert f"`{name}.toml`" in page
