"""Integrity of the packaged data: every number has a source or a reasoned assumption."""

from __future__ import annotations

import pytest
from tests.provenance import check_provenance, provenance_problems

from alref import citations, data, scenario


def test_bibtex_parses_and_keys_unique() -> None:
    refs = citations.references()
    assert len(refs) > 5
    for key, ref in refs.items():
        assert ref.fields.get("title"), f"{key} has no title"


@pytest.mark.parametrize("name", [n for n in data.list_files() if not n.startswith("scenarios/")])
def test_every_number_has_provenance(name: str) -> None:
    problems = check_provenance(name, set(citations.references()))
    assert not problems, "\n".join(problems[:20])


def test_check_provenance_catches_missing_source(tmp_path, monkeypatch) -> None:
    """The checker itself must be able to fail."""
    bad = {"salt": {"A": 1.0}}
    assert data.provenance_of([bad, bad["salt"]]) is None
    rows = list(data.iter_numbers(bad))
    assert rows == [("salt.A", 1.0, None)]
    ok = {"source": "codata2018", "locator": "Table 1", "x": {"y": 2}}
    assert next(iter(data.iter_numbers(ok)))[2] == {"source": "codata2018", "locator": "Table 1"}


@pytest.mark.parametrize("name", scenario.preset_names())
def test_every_preset_value_has_provenance(name: str) -> None:
    raw = data.load(f"scenarios/{name}")
    problems = provenance_problems(raw, set(citations.references()))
    assert not problems, "\n".join(problems)


def test_preset_provenance_check_can_fail() -> None:
    raw = {"cell": {"current": "3 kA"}, "provenance": {}}
    assert provenance_problems(raw, set()) == ["cell.current has no source or assumption"]
