"""Few-shot intents added at run time: prototypes from 5-10 examples, matched by cosine.

The trained classifier is left alone (nothing is retrained): an added intent is a set of
prototype vectors, the examples as given plus paraphrase carriers ("could you ...", "...
please", from ``policies.augment``). A request goes to an added intent when it is closer to
one of its prototypes than ``MIN_SIMILARITY`` and closer than to any prototype of the intent
the classifier chose; otherwise the classifier's decision stands.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from policies.augment import carry
from policies.intent_classifier import Vectors

MIN_SIMILARITY = 0.55  # chosen by `hearth bench learn` (seed 0): 0.75 right, 1% of built-in taken
MARGIN = 0.02  # how much closer than the classifier's intent an added intent must be
CARRIED_PER_EXAMPLE = 2


def prototype_texts(examples: Sequence[str], seed: str = "") -> list[str]:
    """The examples, each also inside a couple of paraphrase carriers (deduplicated)."""
    rng = random.Random(f"few-shot:{seed}")
    out: list[str] = []
    seen: set[str] = set()
    for example in examples:
        text = " ".join(example.split())
        for variant in [text, *(carry(text.lower(), rng) for _ in range(CARRIED_PER_EXAMPLE))]:
            if variant.lower() not in seen:
                seen.add(variant.lower())
                out.append(variant)
    return out


@dataclass(frozen=True)
class Added:
    intent: str
    vectors: Vectors  # unit rows
    call: str  # the declared API a request for it calls
    slots: dict[str, str | int | float | bool]


@dataclass(frozen=True)
class Match:
    added: Added
    similarity: float


def best(vector: Vectors, added: Sequence[Added], base_similarity: float,
         min_similarity: float = MIN_SIMILARITY) -> Match | None:
    """The added intent ``vector`` belongs to, if any beats the classifier's choice."""
    top: Match | None = None
    row = vector.reshape(-1)
    for a in added:
        if len(a.vectors) == 0:
            continue
        sim = float(np.max(a.vectors @ row))
        if top is None or sim > top.similarity:
            top = Match(a, sim)
    if top is None or top.similarity < min_similarity:
        return None
    if top.similarity < base_similarity + MARGIN:
        return None
    return top
