"""The scenario step that puts a tool's message on the bus (`publish:`)."""

from __future__ import annotations

import pytest

from scenarios.loader import ScenarioError
from scenarios.model import Publish, parse_scenario

HEAD = """
name: p
devices: [{id: kitchen}]
people: [{id: a, at: kitchen}]
timeline:
"""


def test_a_publish_step_is_a_valid_message() -> None:
    scenario = parse_scenario(HEAD + """
  - publish: {type: learning.intent_added, intent: smart_home.cinema,
              examples: [film time, cinema time, watch a film]}
""")
    [step] = scenario.timeline
    assert isinstance(step, Publish) and step.publish["intent"] == "smart_home.cinema"


@pytest.mark.parametrize(("body", "problem"), [
    ("{type: no.such}", "the type of a message"),
    ("{type: learning.intent_added, intent: x}", "should match pattern"),
])
def test_a_bad_publish_step_names_its_line(body: str, problem: str) -> None:
    with pytest.raises(ScenarioError, match=problem) as err:
        parse_scenario(HEAD + f"  - publish: {body}\n", "bad.yaml")
    assert "bad.yaml:6" in str(err.value)
