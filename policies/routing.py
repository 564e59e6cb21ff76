"""Name-free routing of an utterance to a skill and intent, on vectors the caller made.

The classifier (``policies.intent_classifier``) is trained on every skill's augmented sample
prototypes. A request whose top probability is under the out-of-scope threshold goes to no
skill. A person may still name the skill ("ask the weather skill whether it rains"): then only
that skill's intents compete and the named part is cut from the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from policies.intent_classifier import IntentClassifier, Prediction, Vectors

# Out of scope unless the classifier is this sure (top probability) AND the utterance is this
# close (cosine) to a prototype of the chosen intent: the softmax alone is confident even far
# from every sample. Both were calibrated by `hearth bench nlu` (default run) on CLINC150's
# train keys (requests the built-in skills serve vs out-of-scope queries) and are reported on
# its val keys.
OOS_THRESHOLD = 0.20
SIMILARITY_THRESHOLD = 0.40
_EXPLICIT_RE = re.compile(
    r"^(?:please\s+)?(?:ask|tell|use|open|have|let)\s+(?:the\s+)?(?P<name>[\w' -]+?)"
    r"(?:\s+skill)?(?:\s*,\s*|\s+(?:to|for|about|whether|if|and)\s+|\s+(?=what|how|when|"
    r"where|which|is|are|will|do|does))(?P<rest>.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Routed:
    skill: str | None
    intent: str | None
    confidence: float
    runner_up: str | None = None
    explicit: bool = False


def skill_of(intent: str) -> str:
    return intent.partition(".")[0]


def explicit_invocation(text: str, names: Mapping[str, Sequence[str]]) -> tuple[str, str] | None:
    """(skill, the rest of the request) when ``text`` names a skill, else None."""
    match = _EXPLICIT_RE.match(text.strip())
    if match is None:
        return None
    said = " ".join(match.group("name").lower().split())
    for skill, aliases in names.items():
        if any(said == " ".join(a.lower().split()) for a in aliases):
            return skill, match.group("rest").strip()
    return None


def decide(prediction: Prediction, similarity: float = 1.0,
           threshold: float = OOS_THRESHOLD,
           min_similarity: float = SIMILARITY_THRESHOLD) -> Routed:
    """The routing decision for one classifier prediction over all skills; ``similarity`` is
    the cosine of the utterance to the nearest prototype of the predicted intent."""
    if prediction.confidence < threshold or similarity < min_similarity:
        return Routed(None, None, prediction.confidence, prediction.best)
    return Routed(skill_of(prediction.best), prediction.best, prediction.confidence,
                  prediction.runner_up)


def decide_within(classifier: IntentClassifier, x: Vectors, skill: str) -> Routed:
    """The best intent of one named skill for one feature row (explicit invocation)."""
    probs = classifier.proba(x)[0]
    ranked = sorted(((float(p), label) for p, label in zip(probs, classifier.labels,
                                                          strict=True)
                     if skill_of(label) == skill), reverse=True)
    if not ranked:
        return Routed(None, None, 0.0)
    total = sum(p for p, _ in ranked) or 1.0
    runner_up = ranked[1][1] if len(ranked) > 1 else None
    return Routed(skill, ranked[0][1], ranked[0][0] / total, runner_up, explicit=True)


def nearest(vector: Vectors, prototypes: Vectors, labels: Sequence[str], intent: str) -> float:
    """Cosine of a unit vector to the closest prototype labelled ``intent`` (0 if none)."""
    rows = [i for i, label in enumerate(labels) if label == intent]
    if not rows:
        return 0.0
    return float(np.max(prototypes[rows] @ vector.reshape(-1)))
