"""hearth/bench_turns.py, learn_turns.py and turn_scenes.py without a stack: scoring,
fitting and writing the weights, and the generated scenes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bus.messages import TurnAddressed, TurnDecision, TurnIgnored
from hearth.bench_turns import HELD_OUT, Replayed, scenario_files, score
from hearth.learn_turns import examples, fit_variants, render, side_talk_threshold
from hearth.turn_scenes import generate
from policies.addressee_features import BY_NAME, NAMES
from scenarios.model import ASSISTANT, Say, Scenario, parse_scenario
from scenarios.results import Decision, ScenarioResult

SCENE = parse_scenario("""\
name: s
devices: [{id: kitchen}]
people: [{id: alice, at: kitchen}, {id: bob, at: kitchen}]
timeline:
  - {say: "hey hearth, hi", by: alice, to: assistant}
""", "s.yaml")


def decision(truth: str, addressed: bool | None, cid: str, answered: int = 1) -> Decision:
    d = Decision(1, "alice", "x", truth, cid, addressed=addressed, score=0.9 if addressed else 0.1,
                 heard_as=[cid])
    d.answered_on = [f"d{i}" for i in range(answered)] if addressed else []
    return d


def turn(cls: type[TurnDecision], cid: str, **features: float) -> TurnDecision:
    return cls(ts=1.0, household="h", source="t", device="kitchen", text="x", utterance_id="u",
               score=0.5, correlation_id=cid, features=features)


def replayed(decisions: list[Decision], turns: list[TurnDecision] | None = None) -> Replayed:
    result = ScenarioResult("s", "s.yaml", "h", decisions=decisions)
    return Replayed(SCENE, result, turns or [])


def test_score_counts_each_say_once() -> None:
    r = replayed([
        decision(ASSISTANT, True, "a", answered=2),  # tp, and a double answer
        decision(ASSISTANT, False, "b"),  # fn
        decision("bob", True, "c"),  # fp: a false activation
        decision("bob", False, "d"),  # tn
        decision("everyone", None, "e"),  # no decision: a tn that is also missing
    ])
    figures = score([r])
    assert (figures["tp"], figures["fp"], figures["fn"], figures["tn"]) == (1, 1, 1, 2)
    assert figures["precision"] == 0.5 and figures["recall"] == 0.5 and figures["f1"] == 0.5
    assert figures["false_activations_per_100"] == pytest.approx(100 / 3, abs=0.01)
    assert figures["n_utterances"] == 5 and figures["n_side_remarks"] == 3
    assert figures["double_answers"] == 1 and figures["missing_decisions"] == 1
    assert figures["per_scene"][0]["wrong"]


def test_score_of_a_perfect_run() -> None:
    figures = score([replayed([decision(ASSISTANT, True, "a"), decision("bob", False, "b")])])
    assert (figures["precision"], figures["recall"], figures["f1"]) == (1.0, 1.0, 1.0)
    assert figures["false_activations_per_100"] == 0.0


def test_examples_take_each_say_as_its_own_device_judged_it() -> None:
    two_devices = decision(ASSISTANT, True, "a")
    two_devices.heard_as = ["a", "a2"]  # the speaker's device first, then the next room's
    r = replayed([two_devices, decision("bob", False, "b")],
                 [turn(TurnAddressed, "a", wake_word=1.0), turn(TurnIgnored, "a2", faint=1.0),
                  turn(TurnIgnored, "b", chat=1.0), turn(TurnIgnored, "zzz", chat=1.0)])
    rows, labels = examples([r])
    assert labels == [1, 0]
    assert rows[0][NAMES.index("wake_word")] == 1.0 and rows[0][NAMES.index("faint")] == 0.0
    assert rows[1][NAMES.index("chat")] == 1.0


def test_fit_variants_drop_whole_families_and_render_an_importable_module(
    tmp_path: Path
) -> None:
    rows, labels = [], []
    for i in range(200):
        y = i % 2
        row = [0.0] * len(NAMES)
        row[NAMES.index("wake_word")] = float(y and i % 3 == 0)
        row[NAMES.index("gaze_device")] = float(y == (i % 5 != 0))
        row[NAMES.index("chat")] = float(not y and i % 4 == 0)
        rows.append(row)
        labels.append(y)
    variants, losses = fit_variants(rows, labels)
    assert set(variants) == {"all", "-vision", "-linguistic", "-acoustic"}
    assert variants["all"]["gaze_device"] > 0 and variants["all"]["chat"] < 0
    assert all(variants["-vision"][n] == 0.0 for n in NAMES if BY_NAME[n].family == "vision")
    assert losses["-vision"] > losses["all"]
    threshold = side_talk_threshold(rows, labels, variants["all"])
    assert 0.5 <= threshold <= 0.95
    source = render(variants, losses, ["a_scene"], (10, 7), len(rows), sum(labels),
                    "hearth learn turns x --generate 10 --seed 7", threshold)
    path = tmp_path / "weights.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("weights", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert variants == module.VARIANTS and module.TRAINED_ON == ("a_scene",)
    assert module.COMMAND == "hearth learn turns x --generate 10 --seed 7"
    assert max(len(line) for line in source.splitlines()) <= 100


def test_generated_scenes_are_reproducible_and_labelled() -> None:
    first, again, other = generate(8, seed=3), generate(8, seed=3), generate(8, seed=4)
    assert [s.model_dump() for s in first] == [s.model_dump() for s in again]
    assert [s.model_dump() for s in first] != [s.model_dump() for s in other]
    says = [step for s in generate(40) for step in s.timeline if isinstance(step, Say)]
    truths = {s.to for s in says}
    assert ASSISTANT in truths and "everyone" in truths and len(truths) > 3
    assert all(isinstance(s, Scenario) and s.talk_time for s in first)


def test_the_held_out_scenes_exist_and_scenario_files_expand_globs() -> None:
    library = Path(__file__).resolve().parents[3] / "scenarios" / "library"
    stems = {p.stem for p in library.glob("turns_*.yaml")}
    assert set(HELD_OUT) <= stems
    assert len(stems - set(HELD_OUT)) >= 10  # enough left to fit on
    found = scenario_files([str(library / "turns_f*.yaml")])
    assert found and all(p.name.startswith("turns_f") for p in found)
