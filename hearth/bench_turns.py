"""``hearth bench turns``: how well Hearth knows when it is spoken to, with cue ablations.

It replays scenes on a real stack (NATS + Ray + every agent) and scores every ``say`` against
its ``to:`` ground truth: precision, recall and F1 of "addressed", and false activations per
100 side remarks. A say heard by several devices counts once (addressed if any device took it)
and a second answering device is counted as a double answer. ``--ablate`` reaches the
turn-taking agent through the agent config, so the real agent drops the cue family.

``hearth learn turns`` replays scenes with the transparent rules, collects the cue values of
every decision with the say's ground truth, and fits the weights (policies/addressee_fit.py).
Scenes in ``HELD_OUT`` are kept out of fitting so the bench can report figures on scenes the
weights never saw.
"""

from __future__ import annotations

import asyncio
import glob
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bus.messages import TurnDecision
from bus.server import NatsServer
from hearth.launch import init_ray
from hearth.stack import Stack
from policies import addressee_weights
from scenarios.model import ASSISTANT, Scenario, load_scenario
from scenarios.replay import ScenarioRunner
from scenarios.results import ScenarioResult

# Scenes never used for fitting: the bench's honest figures come from these.
HELD_OUT = (
    "turns_follow_up",
    "turns_fragments_gaze",
    "turns_homework",
    "turns_laundry_direction",
    "turns_room_question",
    "turns_side_conversation",
    "turns_story_name",
    "turns_teenagers",
    "turns_timer_mention",
    "turns_tv_living_room",
    "turns_two_devices_loudest",
    "turns_visitors",
)
TABLE_VARIANTS: tuple[frozenset[str], ...] = (
    frozenset(), frozenset({"vision"}), frozenset({"linguistic"}), frozenset({"acoustic"}),
)
CONCURRENCY = 4  # scenes replayed at once (separate households) on one stack


def scenario_files(paths: Iterable[str]) -> list[Path]:
    """Files, folders of them, or quoted globs ('scenarios/library/turns_*.yaml')."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if any(c in raw for c in "*?["):
            out.extend(Path(p) for p in sorted(glob.glob(raw)))
        else:
            out.extend(sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    return out


@dataclass
class Replayed:
    scenario: Scenario
    result: ScenarioResult
    decisions: list[TurnDecision]  # every device's decision, as recorded


async def replay_runners(stack: Stack, scenarios: Sequence[Scenario],
                         concurrency: int = CONCURRENCY) -> list[ScenarioRunner]:
    """Replay ``scenarios`` (each its own household) on one stack, ``concurrency`` at a time;
    the runners, in the order given, keep what each recorded."""
    assert stack.bus is not None
    bus = stack.bus
    gate = asyncio.Semaphore(concurrency)

    async def one(scenario: Scenario) -> ScenarioRunner:
        async with gate:
            runner = ScenarioRunner(bus, scenario)
            await runner.run()
            return runner

    return list(await asyncio.gather(*(one(s) for s in scenarios)))


async def replay_all(stack: Stack, scenarios: Sequence[Scenario],
                     concurrency: int = CONCURRENCY) -> list[Replayed]:
    runners = await replay_runners(stack, scenarios, concurrency)
    return [Replayed(r.scenario, r.result,
                     [s.msg for s in r.recorder.seen if isinstance(s.msg, TurnDecision)])
            for r in runners]


def agent_config(ablate: frozenset[str], policy: str | None = None) -> dict[str, Any]:
    section: dict[str, Any] = {"ablate": sorted(ablate)}
    if policy is not None:
        section["policy"] = policy
    return {"turn_taking": section}


async def run_variant(nats_url: str, scenarios: Sequence[Scenario], ablate: frozenset[str],
                      policy: str | None = None) -> list[Replayed]:
    async with Stack(nats_url=nats_url, config=agent_config(ablate, policy)) as stack:
        return await replay_all(stack, scenarios)


def score(replayed: Sequence[Replayed]) -> dict[str, Any]:
    """Precision, recall, F1 of addressed decisions; false activations per 100 side remarks."""
    tp = fp = fn = tn = missing = double = 0
    brier = 0.0
    per_scene = []
    for r in replayed:
        for d in r.result.decisions:
            truth = d.truth == ASSISTANT
            said = bool(d.addressed)
            missing += d.addressed is None
            double += len(d.answered_on) > 1
            tp += truth and said
            fp += said and not truth
            fn += truth and not said
            tn += not truth and not said
            brier += ((d.score or 0.0) - truth) ** 2
        per_scene.append({
            "scene": Path(r.scenario.file).stem,
            "passed": r.result.passed,
            "expectations": f"{sum(e.passed for e in r.result.expectations)}/"
                            f"{len(r.result.expectations)}",
            "wrong": [f"line {d.line}: {d.text!r} (to {d.truth}, score {d.score})"
                      for d in r.result.decisions if not d.correct],
        })
    n = tp + fp + fn + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    side = fp + tn
    trained = set(addressee_weights.TRAINED_ON)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_activations_per_100": round(100 * fp / side, 2) if side else 0.0,
        "n_utterances": n,
        "n_for_assistant": tp + fn,
        "n_side_remarks": side,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "missing_decisions": missing,
        "double_answers": double,
        "brier": round(brier / n, 4) if n else None,
        "scenes": len(replayed),
        "scenes_passed": sum(r.result.passed for r in replayed),
        "scenes_used_for_fitting": sum(Path(r.scenario.file).stem in trained for r in replayed),
        "per_scene": per_scene,
    }


async def bench_turns(paths: Sequence[str], variants: Sequence[frozenset[str]],
                      policy: str | None = None, nats_url: str | None = None,
                      generated: int = 0, seed: int = 1001) -> dict[str, dict[str, Any]]:
    """Figures per ablation variant ("all", "-vision", ...), each on a fresh set of agents.

    ``generated`` adds scenes from hearth/turn_scenes.py (another seed than the fit's: the
    same templates, so an in-distribution check rather than a held-out one).
    """
    from hearth.turn_scenes import generate
    from policies.addressee import variant_key

    scenarios = [load_scenario(p) for p in scenario_files(paths)] + generate(generated, seed)
    if not scenarios:
        raise ValueError("no scenario files found")
    server = NatsServer().start() if nats_url is None else None
    own_ray = init_ray()
    try:
        url = nats_url or (server.url if server else "")
        out: dict[str, dict[str, Any]] = {}
        for ablate in variants:
            replayed = await run_variant(url, scenarios, ablate, policy)
            figures = score(replayed)
            figures["ablate"] = sorted(ablate)
            figures["policy"] = policy or "learned"
            out[variant_key(ablate)] = figures
        return out
    finally:
        if own_ray:
            import ray

            ray.shutdown()
        if server is not None:
            server.stop()


def table(results: dict[str, dict[str, Any]]) -> str:
    head = (f"{'cues':<14}{'precision':>10}{'recall':>8}{'F1':>8}{'FA/100':>8}"
            f"{'n':>6}{'double':>8}{'scenes ok':>11}")
    rows = [head, "-" * len(head)]
    for key, r in results.items():
        rows.append(f"{key:<14}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
                    f"{r['false_activations_per_100']:>8.2f}{r['n_utterances']:>6}"
                    f"{r['double_answers']:>8}{r['scenes_passed']:>6}/{r['scenes']}")
    return "\n".join(rows)
