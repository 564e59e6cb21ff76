"""Who is Hearth being spoken to? A calibrated score with the reasons, from every cue family.

The policy is a logistic model over the cue values of ``policies.addressee_features``: the
score is the probability that an utterance is meant for the assistant. Two weight sets share
this one shape: transparent hand-set rules (``RULE_WEIGHTS``) and weights learned from labelled
scenes (``policies.addressee_weights``, written by ``hearth learn turns``). Anything with a
``judge`` method can replace them (``AddresseePolicy``).

Reasons are the *sufficient* explanation: the fewest strongest cues that carry the decision
on their own against everything else ("wake word"), not a list of every small push.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from policies import addressee_weights
from policies.addressee_features import BY_NAME, FAMILIES, NAMES, Cues, ablate, extract
from policies.wake_words import strip_wake_word

THRESHOLD = 0.5
# "Never talk over a side conversation": while people talk to each other, an utterance must be
# clearly for the assistant; a wake word or an open question still counts as clear.
SIDE_TALK_THRESHOLD = 0.8
ABLATABLE = ("vision", "linguistic", "acoustic", "dialogue")
# A spoken wake word is always answered, whatever else the model weighs: people say it
# precisely when the other cues are missing (busy hands, looking elsewhere).
WAKE_WORD_FLOOR = 0.9


@dataclass(frozen=True)
class Verdict:
    addressed: bool
    score: float  # probability that the utterance is meant for the assistant
    text: str  # what was said, wake word removed
    reasons: list[str] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)


class AddresseePolicy(Protocol):
    """Anything that judges an utterance: rules, learned weights, or a model to come."""

    name: str

    def judge(self, cues: Cues, dropped: frozenset[str] = frozenset()) -> Verdict: ...


@dataclass(frozen=True)
class LinearWeights:
    bias: float
    weights: Mapping[str, float]

    @classmethod
    def from_dict(cls, data: Mapping[str, float]) -> LinearWeights:
        unknown = set(data) - set(NAMES) - {"bias"}
        if unknown:
            raise ValueError(f"unknown cues in weights: {sorted(unknown)}")
        return cls(float(data.get("bias", 0.0)),
                   {n: float(data.get(n, 0.0)) for n in NAMES})


def variant_key(dropped: frozenset[str]) -> str:
    """ "all", or the dropped families: "-vision", "-acoustic-vision"."""
    return "all" if not dropped else "".join(f"-{f}" for f in sorted(dropped))


def check_ablation(families: frozenset[str]) -> frozenset[str]:
    wrong = families - set(FAMILIES)
    if wrong:
        raise ValueError(f"cannot ablate {sorted(wrong)}: families are {', '.join(FAMILIES)}")
    return families


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


class LinearPolicy:
    """A logistic model; ``variants`` may hold weights refitted without a cue family."""

    def __init__(self, name: str, variants: Mapping[str, LinearWeights],
                 threshold: float = THRESHOLD,
                 side_talk_threshold: float = SIDE_TALK_THRESHOLD) -> None:
        if "all" not in variants:
            raise ValueError("a policy needs the weights for all cues ('all')")
        self.name = name
        self.variants = dict(variants)
        self.threshold = threshold
        self.side_talk_threshold = side_talk_threshold

    def weights_for(self, dropped: frozenset[str]) -> LinearWeights:
        # Refitted weights when the ablation was learned; else the full model without the cues.
        return self.variants.get(variant_key(dropped), self.variants["all"])

    def judge(self, cues: Cues, dropped: frozenset[str] = frozenset()) -> Verdict:
        values = ablate(extract(cues), check_ablation(dropped))
        model = self.weights_for(dropped)
        parts = {n: model.weights[n] * v for n, v in values.items() if v and model.weights[n]}
        z = model.bias + sum(parts.values())
        score = sigmoid(z)
        clear = values["wake_word"] > 0 or values["follow_up"] > 0
        strict = values["side_talk"] > 0 and not clear
        threshold = self.side_talk_threshold if strict else self.threshold
        addressed = score >= threshold
        reasons = explain(parts, values, model.bias, logit(threshold), addressed)
        if values["wake_word"] > 0 and score < WAKE_WORD_FLOOR:
            score, addressed, reasons = WAKE_WORD_FLOOR, True, ["wake word"]
        if strict and not addressed and score >= self.threshold:
            reasons.insert(0, "not clearly for the assistant during a side conversation")
        _, text = strip_wake_word(cues.text)
        return Verdict(addressed, round(score, 4), text, reasons, values)


def _label(name: str, value: float) -> str:
    feature = BY_NAME[name]
    return feature.low_label if value < 0 and feature.low_label else feature.label


STRONG = 0.75  # a cue that moves the log-odds this much is always worth naming


def explain(parts: Mapping[str, float], values: Mapping[str, float], bias: float,
            cut: float, addressed: bool) -> list[str]:
    """Why: the strongest cues that carry the decision on their own against all the others,
    then any other strong cue on the same side, strongest first."""
    sign = 1.0 if addressed else -1.0
    side = sorted(((sign * c, n) for n, c in parts.items() if sign * c > 0), reverse=True)
    total = bias + sum(c for c in parts.values() if sign * c < 0)
    chosen: list[str] = []
    for c, n in side:
        decided = total >= cut if addressed else total < cut
        if decided and c < STRONG:
            break
        chosen.append(_label(n, values[n]))
        total += sign * c
    if addressed:
        return chosen or ["nothing speaks against it"]
    if values.get("wake_word", 0.0) == 0:
        chosen.append("no wake word")
    if values.get("follow_up", 0.0) == 0:
        chosen.append("no open question")
    return chosen


# Hand-set, transparent rules: the starting point, and the fallback when nothing was learned.
RULE_WEIGHTS = LinearWeights.from_dict({
    "bias": -3.0,
    "wake_word": 8.0,
    "assistant_mentioned": -2.5,
    "other_vocative": -5.0,
    "room_question": -3.0,
    "skill_command": 3.5,
    "skill_question": 3.0,
    "skill_ref": 0.5,
    "polite_request": 0.3,
    "question": 0.3,
    "chat": -1.5,
    "statement": -1.0,
    "unasked_answer": -1.0,
    "follow_up": 6.0,
    "answers_question": 1.0,
    "continues": 1.5,
    "side_talk": -1.0,
    "gaze_device": 3.5,
    "gaze_person": -2.5,
    "gaze_away": -1.0,
    "facing": 1.5,
    "facing_away": -1.5,
    "loudness": 0.5,
    "faint": -1.5,
    "directed_style": 1.0,
})


def rules_policy() -> LinearPolicy:
    return LinearPolicy("rules", {"all": RULE_WEIGHTS})


def learned_policy() -> LinearPolicy | None:
    """The weights ``hearth learn turns`` fitted, or None when none were fitted yet."""
    if not addressee_weights.VARIANTS:
        return None
    variants = {k: LinearWeights.from_dict(v) for k, v in addressee_weights.VARIANTS.items()}
    side = getattr(addressee_weights, "SIDE_TALK_THRESHOLD", SIDE_TALK_THRESHOLD)
    return LinearPolicy("learned", variants, side_talk_threshold=float(side))


def make_policy(kind: str = "learned") -> LinearPolicy:
    """ "learned" (falls back to the rules until weights exist) or "rules"."""
    if kind == "rules":
        return rules_policy()
    if kind == "learned":
        return learned_policy() or rules_policy()
    raise ValueError(f"unknown addressee policy {kind!r}: use 'learned' or 'rules'")
