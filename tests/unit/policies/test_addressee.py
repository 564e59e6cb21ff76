"""policies/addressee*.py: cues, the rules and learned policies, reasons and ablations.

Table-driven on the transparent rules (fixed weights), plus properties every learned weight
set must keep (a wake word never lowers the score, ablations drop their cues).
"""

from __future__ import annotations

import pytest

from policies import addressee_weights
from policies.addressee import (
    RULE_WEIGHTS,
    SIDE_TALK_THRESHOLD,
    THRESHOLD,
    AddresseePolicy,
    LinearPolicy,
    LinearWeights,
    check_ablation,
    explain,
    learned_policy,
    make_policy,
    rules_policy,
    sigmoid,
    variant_key,
)
from policies.addressee_features import (
    BY_NAME,
    FAMILIES,
    NAMES,
    Cues,
    ablate,
    acoustic,
    dialogue,
    extract,
    linguistic,
    vision,
)

RULES = rules_policy()


def on(values: dict[str, float]) -> set[str]:
    return {k for k, v in values.items() if v}


# -- linguistic cues ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hey Hearth, set a timer for five minutes", {"wake_word", "skill_command", "skill_ref"}),
        ("What's the weather like tomorrow, Hearth?", {"wake_word", "skill_question",
                                                       "skill_ref", "question"}),
        ("Set a timer for six minutes.", {"skill_command", "skill_ref"}),
        ("Can you set a timer for ten minutes?", {"skill_command", "skill_ref",
                                                  "polite_request", "question"}),
        ("How much time is left on the timer?", {"skill_question", "skill_ref", "question"}),
        ("Bob, did you set the timer?", {"other_vocative", "skill_question", "skill_ref",
                                         "question", "chat"}),
        ("Thanks, Dora.", {"other_vocative", "chat"}),
        ("Mom, can I have a cookie?", {"other_vocative", "question", "chat"}),
        ("Who wants more tea?", {"room_question", "question"}),
        ("Does anyone want more potatoes?", {"room_question", "question"}),
        ("Yesterday Hearth set a timer for ten hours.", {"assistant_mentioned", "skill_ref",
                                                         "chat", "statement"}),
        ("Does it do timers?", {"assistant_mentioned", "skill_question", "skill_ref",
                                "question"}),
        ("I really love the hearth in this house.", {"assistant_mentioned", "chat",
                                                     "statement"}),
        ("Until the timer goes off, then it's lunch.", {"skill_ref", "statement"}),
        ("Timer for ten minutes, please.", {"skill_ref", "polite_request"}),
        ("I need a timer for five minutes.", {"skill_command", "skill_ref"}),
        ("Eight minutes.", {"short_answer"}),
        ("yes", {"short_answer", "chat"}),
        ("Pass me the salt, please.", {"polite_request"}),
    ],
)
def test_linguistic_cues(text: str, expected: set[str]) -> None:
    assert on(linguistic(text, frozenset({"bob", "dora"}))) == expected


def test_a_known_lowercase_name_is_a_vocative_and_the_wake_word_is_not() -> None:
    assert linguistic("bob, pasta?", frozenset({"bob"}))["other_vocative"] == 1.0
    assert linguistic("bob, pasta?")["other_vocative"] == 0.0  # lowercase, unknown
    assert linguistic("hearth, pasta?", frozenset({"hearth"}))["other_vocative"] == 0.0
    assert linguistic("Well, I think so.")["other_vocative"] == 0.0  # not a name


# -- dialogue, vision and acoustic cues -----------------------------------------------------
@pytest.mark.parametrize(
    ("cues", "expected"),
    [
        (Cues("x", speaker="a", follow_up=True, follow_up_speaker="a"), {"follow_up": 1.0}),
        (Cues("x", speaker="b", follow_up=True, follow_up_speaker="a"), {"follow_up": 0.5}),
        (Cues("x", speaker=None, follow_up=True), {"follow_up": 1.0}),
        (Cues("x", since_assistant_s=5.0), {"continues": 1.0}),
        (Cues("x", since_assistant_s=60.0), {}),
        (Cues("x", since_assistant_s=5.0, follow_up=True), {"follow_up": 1.0}),
        (Cues("x", side_talk=True), {"side_talk": 1.0}),
    ],
)
def test_dialogue_cues(cues: Cues, expected: dict[str, float]) -> None:
    assert {k: v for k, v in dialogue(cues).items() if v} == expected


def test_vision_cues_say_nothing_without_a_camera() -> None:
    assert on(vision(None)) == set()
    assert on(vision("device")) == {"gaze_device"}
    assert on(vision("person")) == {"gaze_person"}
    assert on(vision("away")) == {"gaze_away"}


@pytest.mark.parametrize(
    ("loudness", "direction", "style", "expected"),
    [
        (0.6, None, None, {}),  # nothing measured: nothing said
        (0.6, 10.0, None, {"facing": 1.0}),
        (0.6, 45.0, None, {"facing": 1.0}),
        (0.6, 70.0, None, {}),
        (0.6, 150.0, None, {"facing_away": 1.0}),
        (1.0, None, None, {"loudness": 1.0}),
        (0.2, None, None, {"loudness": -1.0, "faint": 1.0}),
        (0.6, None, 0.9, {"directed_style": 0.8}),
        (0.6, None, 0.1, {"directed_style": -0.8}),
    ],
)
def test_acoustic_cues(loudness: float, direction: float | None, style: float | None,
                       expected: dict[str, float]) -> None:
    got = {k: v for k, v in acoustic(loudness, direction, style).items() if v}
    assert got == pytest.approx(expected)


def test_every_cue_has_a_family_and_a_label() -> None:
    values = extract(Cues("hey hearth"))
    assert list(values) == list(NAMES)
    assert {BY_NAME[n].family for n in NAMES} == set(FAMILIES)
    assert all(BY_NAME[n].label for n in NAMES)


# -- the rules, one cue at a time ---------------------------------------------------------
@pytest.mark.parametrize(
    ("cues", "addressed", "reason"),
    [
        (Cues("Hey Hearth, set a timer"), True, "wake word"),
        (Cues("Hearth, tell me a joke"), True, "wake word"),
        (Cues("five minutes", follow_up=True), True, "reply to the assistant's question"),
        (Cues("five minutes"), False, "no open question"),
        (Cues("What's the weather like tomorrow?", gaze="device"), True, "looking at the device"),
        (Cues("What's the weather like tomorrow?", gaze="person"), False,
         "looking at another person"),
        (Cues("Set a timer for six minutes.", direction_deg=10, directed_style=0.9), True,
         "a command for a skill"),
        (Cues("Bob, can you set a timer for five minutes?", names=frozenset({"bob"})), False,
         "speaks to someone by name"),
        (Cues("Who wants more tea?", gaze="device"), False, "asks the people in the room"),
        (Cues("Yesterday Hearth set the wrong timer."), False, "talks about the assistant"),
        (Cues("I think the pasta needs a timer.", direction_deg=150), False,
         "conversational phrasing"),
        (Cues("Set a timer for the rice.", side_talk=True, gaze="person"), False,
         "looking at another person"),
    ],
)
def test_rules_decide_each_cue(cues: Cues, addressed: bool, reason: str) -> None:
    verdict = RULES.judge(cues)
    assert verdict.addressed is addressed, verdict
    assert reason in verdict.reasons, verdict.reasons
    assert 0.0 <= verdict.score <= 1.0


def test_a_bare_answer_counts_as_one_only_when_the_assistant_asked() -> None:
    assert extract(Cues("ten minutes", follow_up=True))["answers_question"] == 1.0
    assert extract(Cues("ten minutes"))["answers_question"] == 0.0
    assert extract(Cues("I think ten minutes is plenty", follow_up=True))[
        "answers_question"] == 0.0


@pytest.mark.parametrize("kind", ["rules", "learned"])
def test_a_wake_word_is_always_answered(kind: str) -> None:
    policy = make_policy(kind)
    verdict = policy.judge(Cues("Hey Hearth, I was wondering, Bob said it was late",
                                names=frozenset({"bob"}), gaze="person", side_talk=True,
                                direction_deg=170.0, loudness=0.3))
    assert verdict.addressed and verdict.score >= 0.9
    assert verdict.reasons[0] == "wake word"


def test_the_wake_word_alone_is_the_reason_and_is_stripped_from_the_text() -> None:
    verdict = RULES.judge(Cues("Hey Hearth, set a timer"))
    assert verdict.reasons[0] == "wake word"
    assert verdict.text == "set a timer"
    assert verdict.features["wake_word"] == 1.0


def test_side_talk_needs_a_clear_case() -> None:
    # a score above the usual threshold but below the side-talk one: people are talking
    cues = Cues("Set a timer for six minutes.", side_talk=True)
    score = RULES.judge(Cues("Set a timer for six minutes.")).score
    side = RULES.judge(cues)
    assert THRESHOLD <= side.score < SIDE_TALK_THRESHOLD <= score or not side.addressed
    assert not side.addressed
    assert "people are talking to each other" in side.reasons
    assert RULES.judge(Cues("Hey Hearth, set a timer", side_talk=True)).addressed
    assert RULES.judge(Cues("ten minutes", follow_up=True, side_talk=True)).addressed


def test_the_score_is_the_logistic_of_the_weighted_cues() -> None:
    values = extract(Cues("Set a timer for six minutes."))
    z = RULE_WEIGHTS.bias + sum(RULE_WEIGHTS.weights[n] * v for n, v in values.items())
    assert RULES.judge(Cues("Set a timer for six minutes.")).score == pytest.approx(
        sigmoid(z), abs=1e-4)


def test_explain_names_the_fewest_cues_that_decide_then_other_strong_ones() -> None:
    parts = {"wake_word": 8.0, "skill_ref": 0.5, "chat": -1.5}
    values = {"wake_word": 1.0, "skill_ref": 1.0, "chat": 1.0, "follow_up": 0.0}
    assert explain(parts, values, -3.0, 0.0, True) == ["wake word"]
    parts = {"gaze_device": 2.0, "facing": 1.5, "skill_ref": 0.5}
    values = {"gaze_device": 1.0, "facing": 1.0, "skill_ref": 1.0}
    assert explain(parts, values, -3.0, 0.0, True) == [
        "looking at the device", "voice aimed at the device"]
    parts = {"loudness": -0.9, "other_vocative": -5.0}
    values = {"loudness": -1.0, "other_vocative": 1.0, "wake_word": 0.0, "follow_up": 0.0}
    assert explain(parts, values, 1.0, 0.0, False) == [
        "speaks to someone by name", "speaks softly", "no wake word", "no open question"]


# -- ablation -----------------------------------------------------------------------------
@pytest.mark.parametrize("family", ["vision", "linguistic", "acoustic", "dialogue"])
def test_an_ablated_family_is_not_observed(family: str) -> None:
    cues = Cues("Hey Hearth, set a timer", gaze="device", direction_deg=5, directed_style=0.9,
                follow_up=True, loudness=0.9)
    full = extract(cues)
    dropped = ablate(full, frozenset({family}))

    def needs(name: str) -> bool:
        return family in (BY_NAME[name].family, BY_NAME[name].also_needs)

    for name, value in dropped.items():
        assert value == (0.0 if needs(name) else full[name])
    verdict = RULES.judge(cues, frozenset({family}))
    assert all(verdict.features[n] == 0.0 for n in NAMES if needs(n))


def test_without_linguistic_cues_the_wake_word_no_longer_counts() -> None:
    cues = Cues("Hey Hearth, what time is it")
    assert RULES.judge(cues).addressed
    assert not RULES.judge(cues, frozenset({"linguistic"})).addressed


def test_unknown_families_and_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot ablate"):
        check_ablation(frozenset({"smell"}))
    with pytest.raises(ValueError, match="unknown addressee policy"):
        make_policy("oracle")
    with pytest.raises(ValueError, match="unknown cues"):
        LinearWeights.from_dict({"bias": 0.0, "telepathy": 1.0})
    with pytest.raises(ValueError, match="all cues"):
        LinearPolicy("x", {"-vision": RULE_WEIGHTS})


def test_refitted_ablation_weights_are_used_when_present() -> None:
    only_gaze = LinearWeights.from_dict({"bias": -1.0, "gaze_device": 4.0})
    policy = LinearPolicy("t", {"all": RULE_WEIGHTS, "-linguistic": only_gaze})
    assert variant_key(frozenset()) == "all"
    assert variant_key(frozenset({"vision", "acoustic"})) == "-acoustic-vision"
    assert policy.weights_for(frozenset({"linguistic"})) is only_gaze
    assert policy.weights_for(frozenset({"vision"})) is RULE_WEIGHTS
    verdict = policy.judge(Cues("blah", gaze="device"), frozenset({"linguistic"}))
    assert verdict.score == pytest.approx(sigmoid(3.0), abs=1e-4)


# -- the learned weights --------------------------------------------------------------------
def test_the_learned_weights_load_and_keep_their_shape() -> None:
    policy = learned_policy()
    if not addressee_weights.VARIANTS:
        assert policy is None and make_policy().name == "rules"
        return
    assert policy is not None and make_policy().name == "learned"
    assert set(addressee_weights.VARIANTS) >= {"all", "-vision", "-linguistic", "-acoustic"}
    assert addressee_weights.TRAINED_ON and addressee_weights.N_EXAMPLES > 100
    for key, weights in addressee_weights.VARIANTS.items():
        for family in key.split("-")[1:]:
            assert all(weights[n] == 0.0 for n in NAMES if BY_NAME[n].family == family)


@pytest.mark.parametrize("kind", ["rules", "learned"])
def test_strong_cues_push_the_right_way_in_every_policy(kind: str) -> None:
    policy: AddresseePolicy = make_policy(kind)
    base = Cues("Set a timer for six minutes.")

    def score(**change: object) -> float:
        return policy.judge(Cues(**{**base.__dict__, **change})).score  # type: ignore[arg-type]

    plain = score()
    assert score(text="Hey Hearth, set a timer for six minutes.") > plain
    assert score(gaze="device") > plain > score(gaze="person")
    assert score(direction_deg=5.0) > plain > score(direction_deg=170.0)
    assert score(text="Bob, set a timer for six minutes.") < plain
    assert policy.judge(Cues("Hey Hearth, set a timer for six minutes.", gaze="device",
                             direction_deg=5.0)).addressed
    assert not policy.judge(Cues("Bob, I think we need a timer for the eggs.",
                                 gaze="person", direction_deg=150.0)).addressed
