"""Few-shot intents: prototypes from examples, and when they beat the classifier's choice."""

from __future__ import annotations

import numpy as np

from policies.few_shot import Added, best, prototype_texts


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, np.float32)
    return v / np.linalg.norm(v)


def test_examples_are_augmented_with_carriers() -> None:
    texts = prototype_texts(["it's film time", "cinema time"], "smart_home.cinema")
    assert texts[0] == "it's film time"
    assert len(texts) > 2 and len(set(t.lower() for t in texts)) == len(texts)
    assert any(t != "it's film time" and "it's film time" in t for t in texts)


def test_an_added_intent_wins_only_when_closer_than_the_classifiers_choice() -> None:
    cinema = Added("smart_home.cinema", np.stack([_unit(1, 0, 0), _unit(0.9, 0.1, 0)]),
                   "smart_home.scene", {"scene": "movie night"})
    near = _unit(0.95, 0.05, 0.0)
    found = best(near, [cinema], base_similarity=0.5)
    assert found is not None and found.added is cinema and found.similarity > 0.99
    assert best(near, [cinema], base_similarity=0.999) is None  # the classifier is closer
    assert best(_unit(0, 0, 1), [cinema], base_similarity=0.0) is None  # too far from all
