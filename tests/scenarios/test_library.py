"""Every scenario in the library, end to end on the real stack (NATS + Ray + all agents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.stack import Stack
from scenarios.model import load_scenario
from scenarios.replay import ScenarioRunner
from scenarios.transcript import render

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"
FILES = sorted(LIBRARY.glob("*.yaml"))


def test_the_library_has_the_required_scenarios() -> None:
    names = {f.stem for f in FILES}
    assert len(FILES) >= 6
    assert {"kitchen_timer", "two_people_chat"} <= names


@pytest.mark.integration
@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
async def test_scenario_passes(stack: Stack, path: Path) -> None:
    assert stack.bus is not None
    runner = ScenarioRunner(stack.bus, load_scenario(path))
    result = await runner.run()
    transcript = "\n".join(render(runner))
    assert result.error is None, transcript
    assert result.expectations, f"{path.name} checks nothing"
    assert result.passed, transcript
    for decision in result.decisions:
        assert decision.addressed is not None, f"no turn decision for line {decision.line}"
