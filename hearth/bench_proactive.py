"""``hearth bench proactive``: how anticipation behaves over a set of scenarios.

It replays scenarios on a real stack (NATS + Ray + every agent) and counts, from what was
recorded on the bus: suggestions offered (``goal.suggestion`` asking a question), notices
(location reminders), their outcomes (``goal.feedback``: accepted, declined, stop,
ignored), suggestions held back and why (``goal.held``), and suggestions made during a side
conversation. The last one uses the scenarios' ground truth, which never travels on the
bus: a suggestion counts when someone said something to another person (``to:`` a person
or everyone) within ``SIDE_TALK_WINDOW_S`` of bus time before it. The goal is zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bus.messages import GoalFeedback, GoalHeld, GoalSuggestion
from hearth.bench_turns import replay_runners, scenario_files
from scenarios.model import ASSISTANT, Scenario, load_scenario
from scenarios.recorder import Seen
from scenarios.replay import ScenarioRunner

if TYPE_CHECKING:
    from hearth.stack import Stack

DEFAULT_PATHS = ("scenarios/library/anticipation_*.yaml",)
SIDE_TALK_WINDOW_S = 30.0  # a remark between people this recent: a conversation is going on
CONCURRENCY = 3  # scenarios replayed at once (separate households) on one stack


def side_talk_times(runner: ScenarioRunner) -> list[float]:
    """Bus times of remarks between people (ground truth), from the recorded transcripts."""
    first_ts: dict[str, float] = {}
    for seen in runner.recorder.seen:
        first_ts.setdefault(seen.msg.correlation_id, seen.msg.ts)
    times = []
    for decision in runner.result.decisions:
        if decision.truth == ASSISTANT:
            continue
        heard = [first_ts[c] for c in decision.heard_as if c in first_ts]
        if heard:
            times.append(min(heard))
    return sorted(times)


def during_side_talk(suggestion: GoalSuggestion, side: Sequence[float]) -> bool:
    return any(0.0 <= suggestion.ts - t <= SIDE_TALK_WINDOW_S for t in side)


def score_one(runner: ScenarioRunner) -> dict[str, Any]:
    seen: list[Seen] = runner.recorder.seen
    suggestions = [s.msg for s in seen if isinstance(s.msg, GoalSuggestion)]
    feedback = Counter(s.msg.outcome for s in seen if isinstance(s.msg, GoalFeedback))
    held = Counter(s.msg.reason for s in seen if isinstance(s.msg, GoalHeld))
    side = side_talk_times(runner)
    return {
        "scenario": Path(runner.scenario.file).stem,
        "passed": runner.result.passed,
        "expectations": f"{sum(e.passed for e in runner.result.expectations)}/"
                        f"{len(runner.result.expectations)}",
        "offered": sum(1 for s in suggestions if s.offer),
        "notices": sum(1 for s in suggestions if not s.offer),
        "by_origin": dict(Counter(s.origin for s in suggestions)),
        "accepted": feedback["accepted"],
        "declined": feedback["declined"],
        "stopped": feedback["stop"],
        "ignored": feedback["ignored"],
        "held": dict(held),
        "during_side_conversation": sum(during_side_talk(s, side) for s in suggestions),
        "side_remarks": len(side),
    }


def totals(per_scenario: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("offered", "notices", "accepted", "declined", "stopped", "ignored",
                "during_side_conversation", "side_remarks"):
        out[key] = sum(int(p[key]) for p in per_scenario)
    held: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    for p in per_scenario:
        held.update(p["held"])
        origins.update(p["by_origin"])
    out["held"] = sum(held.values())
    out["held_by_reason"] = dict(held.most_common())
    out["by_origin"] = dict(origins.most_common())
    answered = out["accepted"] + out["declined"] + out["stopped"]
    out["acceptance_rate"] = round(out["accepted"] / answered, 3) if answered else None
    out["scenarios"] = len(per_scenario)
    out["scenarios_passed"] = sum(bool(p["passed"]) for p in per_scenario)
    out["per_scenario"] = list(per_scenario)
    return out


async def replay_all(stack: Stack, scenarios: Sequence[Scenario],
                     concurrency: int = CONCURRENCY) -> list[ScenarioRunner]:
    # Audio scenes stream and transcribe speech in real time: one at a time is fairer.
    text = [s for s in scenarios if s.mode != "audio"]
    audio = [s for s in scenarios if s.mode == "audio"]
    return [*await replay_runners(stack, text, concurrency),
            *await replay_runners(stack, audio, concurrency=1)]


async def bench_proactive(paths: Sequence[str], nats_url: str | None = None,
                          ablate: Sequence[str] = ()) -> dict[str, Any]:
    """``ablate``: "side-talk" switches the side-conversation rule off (what it is worth)."""
    from hearth.stack import Stack  # Ray loads here, not when the scoring is imported

    scenarios = [load_scenario(p) for p in scenario_files(paths or DEFAULT_PATHS)]
    if not scenarios:
        raise ValueError("no scenario files found")
    config = {"anticipation": {"respect_side_talk": "side-talk" not in ablate}}
    async with Stack(nats_url=nats_url, with_agents=True, config=config,
                     audio=any(s.mode == "audio" for s in scenarios)) as stack:
        runners = await replay_all(stack, scenarios)
    result = totals([score_one(r) for r in runners])
    result["ablate"] = sorted(ablate)
    return result
