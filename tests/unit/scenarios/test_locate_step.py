"""The ``locate`` step: a phone reports where its owner is (location reminders)."""

from __future__ import annotations

import pytest

from scenarios.loader import ScenarioError
from scenarios.model import Locate, parse_scenario

SCENE = """
name: locate
devices: [{id: kitchen}, {id: kims_phone, kind: phone}]
people: [{id: kim, at: kitchen}]
timeline:
  - locate: kim
    place: supermarket
    device: DEVICE
  - expect: {silent: true}
"""


def test_a_locate_step_names_the_person_the_place_and_the_phone() -> None:
    scenario = parse_scenario(SCENE.replace("DEVICE", "kims_phone"))
    step = scenario.timeline[0]
    assert isinstance(step, Locate)
    assert (step.locate, step.place, step.device, step.line) == ("kim", "supermarket",
                                                                 "kims_phone", 6)


def test_an_unknown_phone_is_reported_with_its_line() -> None:
    with pytest.raises(ScenarioError, match="unknown device 'nobody'") as err:
        parse_scenario(SCENE.replace("DEVICE", "nobody"), "s.yaml")
    assert err.value.line == 6
