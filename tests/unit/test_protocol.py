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
        (ActionSpec(kind="charge_scrap", every="1 d", mass="-5 kg"), "campaign.actions[0].mass"),
        (ActionSpec(kind="charge_scrap", every="1 d"), "campaign.actions[0].mass"),
        (ActionSpec(kind="tap"), "campaign.actions[0]"),
        (ActionSpec(kind="tap", every="0 d"), "campaign.actions[0].every"),
        (ActionSpec(kind="add_cu", at="3 d"), "campaign.actions[0].mass"),
        (ActionSpec(kind="correct_bath", every="1 d"), "campaign.actions[0].add"),
        (ActionSpec(kind="correct_bath", every="1 d", fraction=1.5), "campaign.actions[0].fraction"),
        (ActionSpec(kind="tap", every="1 kg"), "campaign.actions[0].every"),
    ],
)
def test_bad_actions_name_the_key(action: ActionSpec, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_campaign(CampaignSpec(actions=[action]), 3000.0)
    assert exc.value.key == key


def test_bad_termination_names_the_key() -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_campaign(CampaignSpec(termination=TerminationSpec(bath_limits={"nope": 1})), 1.0)
    assert exc.value.key == "campaign.termination.bath_limits.nope"
    with pytest.raises(ConfigError) as exc:
        resolve_campaign(CampaignSpec(time_step="1 s"), 1.0)
    assert exc.value.key == "campaign.time_step"
