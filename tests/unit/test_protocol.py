"""Campaign protocol parsing: triggers, conditions and errors naming the key."""

from __future__ import annotations

import pytest

from alref.campaign.protocol import (
    ActionSpec,
    CampaignSpec,
    TerminationSpec,
    parse_condition,
    resolve_campaign,
)
from alref.errors import ConfigError


def test_default_plan_resolves() -> None:
    c = resolve_campaign(CampaignSpec(), 3000.0)
    kinds = [a.kind for a in c.actions]
    assert kinds.count("charge_scrap") == 1 and kinds.count("tap") == 1
    assert c.time_step_s == pytest.approx(6 * 3600)
    assert c.current_at(10 * 86400) == 3000.0


def test_condition_parsing_and_evaluation() -> None:
    cond = parse_condition("bath.MgF2_wt_pct > 4", "k")
    assert cond({"bath.MgF2_wt_pct": 5.0}) and not cond({"bath.MgF2_wt_pct": 3.0})
    assert not cond({})  # unknown at this time -> does not fire


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("foo < 3", "unknown quantity"), ("anode.Xx_wt_pct > 1", "unknown element"),
     ("sludge_kg >> 3", "cannot parse"), ("sludge_kg < abc", "cannot parse")],
)
def test_bad_conditions_name_the_key(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_condition(text, "campaign.actions[0].when")
    assert exc.value.key == "campaign.actions[0].when"
    assert fragment in str(exc.value)


def test_current_profile_is_piecewise_constant() -> None:
    spec = CampaignSpec(current_profile=[("10 d", "3.3 kA"), ("20 d", "2 kA")])
    c = resolve_campaign(spec, 3000.0)
    assert c.current_at(5 * 86400) == 3000.0
    assert c.current_at(15 * 86400) == pytest.approx(3300.0)
    assert c.current_at(25 * 86400) == pytest.approx(2000.0)


@pytest.mark.parametrize(
    ("action", "key"),
    [
        (ActionSpec(kind="charge_scrap", every="1 d"), "campaign.actions[0].mass"),
        (ActionSpec(kind="tap"), "campaign.actions[0]"),
        (ActionSpec(kind="add_cu", at="3 d"), "campaign.actions[0].mass"),
        (ActionSpec(kind="correct_bath", every="1 d"), "campaign.actions[0].add"),
    ],
)
def test_bad_actions_name_the_key(action: ActionSpec, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_campaign(CampaignSpec(actions=[action]), 3000.0)
    assert exc.value.key == key


@pytest.mark.parametrize(
    ("fields", "key", "fragment"),
    [
        ({"kind": "charge_scrap", "every": "1 d", "mass": "-5 kg"}, "campaign.actions[0].mass",
         "outside the range [0 kg, 1000 t]"),
        ({"kind": "correct_bath", "every": "1 d", "fraction": 1.5},
         "campaign.actions[0].fraction", "less than or equal to 1"),
        ({"kind": "tap", "every": "2000 d"}, "campaign.actions[0].every", "outside the range"),
        ({"kind": "tap", "every": "0 d"}, "campaign.actions[0].every", "(0 d, 1000 d]"),
        ({"kind": "tap", "every": "1 kg"}, "campaign.actions[0].every", "wrong unit"),
    ],
)
def test_plan_values_outside_their_declared_range_name_the_key(fields, key, fragment) -> None:
    """Ranges are declared on the schema fields and checked when the plan is read."""
    from pydantic import ValidationError

    from alref.schema_paths import config_error_from

    with pytest.raises(ValidationError) as exc:
        CampaignSpec.model_validate({"actions": [fields]})
    err = config_error_from(exc.value, "campaign")
    assert err.key == key
    assert fragment in err.message


def test_bad_termination_names_the_key() -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_campaign(CampaignSpec(termination=TerminationSpec(bath_limits={"nope": 1})), 1.0)
    assert exc.value.key == "campaign.termination.bath_limits.nope"
    from pydantic import ValidationError

    from alref.schema_paths import config_error_from

    with pytest.raises(ValidationError) as verr:
        CampaignSpec(time_step="1 s")
    assert config_error_from(verr.value, "campaign").key == "campaign.time_step"
