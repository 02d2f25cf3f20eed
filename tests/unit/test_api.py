"""The service layer `alref.api`: typed results whose `to_dict()` is the CLI's JSON, a CLI
that only parses, calls the api and prints, and an api that imports lazily."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest
from typer.testing import CliRunner

import alref.api
from alref import api
from alref.api.results import INTERNAL, OPTIONAL, SPREAD, Result
from alref.cli import app
from alref.errors import ConfigError

runner = CliRunner()


@dataclass(frozen=True)
class _Toy(Result):
    first: int
    more: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)
    last: str | None = field(default=None, metadata=OPTIONAL)
    hidden: object = field(default=None, repr=False, compare=False, metadata=INTERNAL)


@dataclass(frozen=True)
class _Strict(Result):
    a: int


def test_to_dict_keeps_field_order_spreads_and_leaves_out_optional_and_internal() -> None:
    toy = _Toy.from_mapping({"x": 1, "first": 0, "y": [2]}, hidden=object())
    assert list(toy.to_dict()) == ["first", "x", "y"]
    assert _Toy(0, last="z").to_dict() == {"first": 0, "last": "z"}
    nested = _Toy(1, more={"inner": _Strict(2)})
    assert nested.to_dict() == {"first": 1, "inner": {"a": 2}}


def test_from_mapping_refuses_a_key_it_would_lose() -> None:
    with pytest.raises(TypeError, match="extra"):
        _Strict.from_mapping({"a": 1, "extra": 2})


def test_no_function_is_shadowed_by_a_submodule_of_the_same_name() -> None:
    modules = {m.name for m in pkgutil.iter_modules(alref.api.__path__)}
    assert not modules & set(api.__all__)
    for name in api.__all__:
        assert getattr(api, name) is not None


def test_import_of_the_api_loads_no_service_module() -> None:
    code = ("import sys, alref; before = set(sys.modules); import alref.api; "
            "print(sorted(m for m in set(sys.modules) - before if m != 'alref.api'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _cli_json(*args: str) -> dict[str, Any]:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(d))


@pytest.mark.parametrize(("args", "call"), [
    (("grade", "--composition", "Fe=0.12,Si=0.06"),
     lambda: api.grade({"Fe": 0.12, "Si": 0.06})),
    (("grade", "--composition", "Fe=0.12", "--grade", "P1020A"),
     lambda: api.grade({"Fe": 0.12}, grade="P1020A")),
    (("props", "electrolyte", "--composition", "NaF=40,AlF3=60", "--temperature", "800 degC"),
     lambda: api.electrolyte_properties({"NaF": 40, "AlF3": 60}, "800 degC")),
    (("props", "alloy", "--composition", "Al=67,Cu=33", "--temperature", "750 degC"),
     lambda: api.alloy_properties({"Al": 67, "Cu": 33}, "750 degC")),
    (("thermo", "series", "--elements", "Fe,Si,Mg"),
     lambda: api.electrochemical_series("750 degC", "fluoride", ["Fe", "Si", "Mg"])),
    (("scrap", "show", "twitch"), lambda: api.scrap_class_detail("twitch")),
    (("scrap", "list"), api.scrap_classes),
    (("scenarios",), api.scenario_catalog),
    (("params", "show", "design.pot_control.acd_max_m"),
     lambda: api.parameter("design.pot_control.acd_max_m")),
    (("cell", "rusal-500a"), lambda: api.cell_operating_point("rusal-500a")),
])
def test_cli_json_is_the_api_result(args: tuple[str, ...], call: Any) -> None:
    result = call()
    assert isinstance(result, Result) or hasattr(result, "to_dict")
    assert _cli_json(*args) == _jsonable(result.to_dict())


def test_grade_result_is_typed_and_names_the_asked_grade() -> None:
    r = api.grade({"Fe": 0.12, "Si": 0.06}, grade="P1020A")
    assert r.passed is True and r.grade == "P1020A"
    assert "passed" not in api.grade({"Fe": 0.12}).to_dict()  # only when one grade is asked


def test_scenario_object_passes_through_and_refuses_overrides() -> None:
    sc = api.load_scenario("rusal-500a", ['cell.current="450 A"'])
    assert api.load_scenario(sc) is sc
    assert api.cell_operating_point(sc).current_a == pytest.approx(450.0)
    with pytest.raises(ConfigError) as exc:
        api.load_scenario(sc, ['cell.current="400 A"'])
    assert exc.value.key == "--set"


def test_more_current_raises_the_cell_voltage_through_the_api() -> None:
    low = api.cell_operating_point("rusal-500a", ['cell.current="400 A"'])
    high = api.cell_operating_point("rusal-500a", ['cell.current="550 A"'])
    assert high.cell_voltage_v > low.cell_voltage_v


def test_confidence_outside_the_open_interval_names_the_option() -> None:
    with pytest.raises(ConfigError) as exc:
        api.blend(confidence=1.0)
    assert exc.value.key == "--confidence"


def test_bad_spread_names_the_option() -> None:
    from alref.api.studies import parse_spread

    assert parse_spread("10%") == pytest.approx(0.1) and parse_spread("0.2") == 0.2
    with pytest.raises(ConfigError) as exc:
        parse_spread("ten")
    assert exc.value.key == "--default-spread"


def test_a_repeated_operating_point_cites_the_same_sources() -> None:
    """Cached heat-loss results still cite their correlations (web: one long process)."""
    first = api.cell_operating_point("rusal-500a").to_dict()
    again = api.cell_operating_point("rusal-500a").to_dict()
    assert again["citations"] == first["citations"]
    assert again == first


def test_citing_cache_replays_citations_assumptions_and_warnings() -> None:
    import warnings

    from alref.citations import cite, citing_cache, note_assumption, track_citations

    calls = []

    @citing_cache(maxsize=4)
    def f(x: int) -> int:
        calls.append(x)
        cite("codata2018")
        note_assumption("toy")
        warnings.warn("toy warning", UserWarning, stacklevel=2)
        return 2 * x

    for _ in range(2):
        with track_citations() as t, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert f(3) == 6
        assert t.keys == {"codata2018"} and t.assumptions == {"toy"}
        assert [str(w.message) for w in caught] == ["toy warning"]
    assert calls == [3]
