"""policies/intent_classifier.py and policies/routing.py on synthetic vectors (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from policies import routing
from policies.intent_classifier import (
    IntentClassifier,
    Prediction,
    choose_threshold,
    features,
    ngram_features,
)


def clusters(n: int, seed: int = 0) -> tuple[np.ndarray, list[str], list[str]]:
    """Three well separated groups of unit vectors and texts, labelled by group."""
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 16, dtype=np.float32) * 3
    rows, labels, texts = [], [], []
    for i, label in enumerate(["timer.set", "weather.forecast", "shopping.add"]):
        for _ in range(n):
            v = centres[i] + rng.normal(0, 0.3, 16).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
            labels.append(label)
            texts.append(f"{label.split('.')[0]} please")
    return np.stack(rows), labels, texts


def test_it_learns_separable_intents_and_names_a_runner_up() -> None:
    x, y, texts = clusters(20)
    clf = IntentClassifier().fit(features(x, texts), y)
    preds = clf.predict(features(x, texts))
    assert [p.best for p in preds] == y
    assert all(p.runner_up is not None and p.runner_up != p.best for p in preds)
    assert all(0.0 <= p.runner_up_confidence <= p.confidence <= 1.0 for p in preds)


def test_calibrated_threshold_rejects_what_lies_between_the_intents() -> None:
    x, y, texts = clusters(20)
    far = np.ones((10, 16), np.float32) / 4.0  # equally far from every group
    clf = IntentClassifier()
    clf.calibrate(features(x, texts), y, features(far, ["something else"] * 10))
    clf.fit(features(x, texts), y)
    assert clf.threshold > 0.34
    assert all(p.label is None for p in clf.predict(features(far, ["something else"] * 10)))
    assert [p.label for p in clf.predict(features(x, texts))] == y


def test_choose_threshold_maximises_accuracy_plus_recall() -> None:
    assert choose_threshold([0.9, 0.8, 0.7], [True, True, True], [0.3, 0.5]) == 0.7
    assert choose_threshold([], [], [0.2]) == 0.0


def test_ngram_features_are_unit_vectors() -> None:
    grams = ngram_features(["set a timer", ""])
    assert np.linalg.norm(grams[0]) == pytest.approx(1.0)
    assert not grams[1].any()


def test_routing_decides_out_of_scope_and_explicit_skills() -> None:
    low = Prediction(None, 0.2, "timer.set", "weather.forecast", 0.1)
    high = Prediction("timer.set", 0.9, "timer.set", "timer.cancel", 0.05)
    assert routing.decide(low, 0.9, 0.4) == routing.Routed(None, None, 0.2, "timer.set")
    assert routing.decide(high, 0.9, 0.4).skill == "timer"
    # confident but far from every sample of the intent: out of scope all the same
    assert routing.decide(high, 0.2, 0.4, min_similarity=0.4).skill is None
    protos = np.eye(3, 4, dtype=np.float32)
    assert routing.nearest(protos[1], protos, ["a", "b", "b"], "b") == 1.0
    assert routing.nearest(protos[1], protos, ["a", "b", "b"], "c") == 0.0
    names = {"weather": ["weather", "forecast"], "shopping": ["shopping", "shopping list"]}
    assert routing.explicit_invocation("ask the weather skill whether it rains", names) == (
        "weather", "it rains")
    assert routing.explicit_invocation("tell the shopping list to add bread", names) == (
        "shopping", "add bread")
    assert routing.explicit_invocation("ask bob whether it rains", names) is None
    assert routing.explicit_invocation("what's the weather", names) is None


def test_explicit_routing_only_weighs_the_named_skill() -> None:
    x, y, texts = clusters(10)
    clf = IntentClassifier().fit(features(x, texts), y)
    routed = routing.decide_within(clf, features(x[:1], texts[:1]), "shopping")
    assert (routed.skill, routed.intent, routed.explicit) == ("shopping", "shopping.add", True)
