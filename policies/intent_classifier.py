"""Intent classification on sentence vectors: softmax regression, runner-up, out-of-scope.

Pure numpy, no I/O: the caller embeds the sentences (``agents.nlu.embedder``) and hands over
vectors. Features are the sentence embedding plus hashed word uni- and bigrams, because the
frozen embedding blurs near-synonymous intents ("cancel the alarm" vs "cancel the timer") that
a single content word separates. The classifier is a multinomial logistic regression trained
full-batch with Adam: a few seconds for 10k utterances, milliseconds for a few hundred.

Out of scope is decided by a threshold on the top probability, calibrated by cross-fitting
(each in-scope example scored by a model that did not see it) against out-of-scope examples.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]

HASH_DIM = 2048
NGRAM_WEIGHT = 0.7  # relative weight of the word n-gram block against the embedding block
FEATURE_SCALE = 5.0  # unit vectors give tiny logits; scaling lets the softmax get sharp
_WORD_RE = re.compile(r"[a-z0-9']+")


def ngram_features(texts: Sequence[str], dim: int = HASH_DIM) -> Vectors:
    """Hashed, log-scaled, L2-normalised word uni- and bigram counts."""
    out = np.zeros((len(texts), dim), np.float32)
    for row, text in enumerate(texts):
        words = _WORD_RE.findall(text.lower())
        for token in [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]:
            out[row, zlib.crc32(token.encode()) % dim] += 1.0
    np.log1p(out, out=out)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    scaled: Vectors = out / norms
    return scaled


def features(vectors: Vectors, texts: Sequence[str]) -> Vectors:
    """The classifier's input: [embedding, n-grams], scaled, with a bias column."""
    if len(vectors) != len(texts):
        raise ValueError(f"{len(vectors)} vectors for {len(texts)} texts")
    grams = ngram_features(texts) * NGRAM_WEIGHT
    bias = np.ones((len(texts), 1), np.float32)
    return np.hstack([vectors.astype(np.float32) * FEATURE_SCALE, grams * FEATURE_SCALE, bias])


@dataclass(frozen=True)
class Prediction:
    label: str | None  # None: out of scope
    confidence: float  # probability of the top label
    best: str  # the top label even when rejected as out of scope
    runner_up: str | None
    runner_up_confidence: float


class IntentClassifier:
    """Multinomial logistic regression over ``features``; ``threshold`` rejects as out of scope."""

    def __init__(self, l2: float = 1e-4, epochs: int = 200, step: float = 0.05,
                 seed: int = 0) -> None:
        self.l2 = l2
        self.epochs = epochs
        self.step = step
        self.seed = seed
        self.labels: list[str] = []
        self.weights: Vectors = np.zeros((0, 0), np.float32)
        self.threshold = 0.0

    def fit(self, x: Vectors, labels: Sequence[str]) -> IntentClassifier:
        if len(x) != len(labels) or len(x) == 0:
            raise ValueError("fit needs as many labels as rows, and at least one")
        self.labels = sorted(set(labels))
        index = {label: i for i, label in enumerate(self.labels)}
        y = np.array([index[label] for label in labels])
        n, d = x.shape
        k = len(self.labels)
        onehot = np.eye(k, dtype=np.float32)[y]
        w = np.zeros((d, k), np.float32)
        m = np.zeros_like(w)
        v = np.zeros_like(w)
        for t in range(1, self.epochs + 1):
            grad = x.T @ ((_softmax(x @ w) - onehot) / n) + self.l2 * w
            m = 0.9 * m + 0.1 * grad
            v = 0.999 * v + 0.001 * grad * grad
            w -= self.step * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        self.weights = w
        return self

    def proba(self, x: Vectors) -> Vectors:
        if not self.labels:
            raise RuntimeError("the classifier has not been fitted")
        if len(self.labels) == 1:
            return np.ones((len(x), 1), np.float32)
        return _softmax(x @ self.weights)

    def predict(self, x: Vectors) -> list[Prediction]:
        probs = self.proba(x)
        out = []
        for row in probs:
            order = np.argsort(-row)
            top = float(row[order[0]])
            best = self.labels[order[0]]
            runner_up = self.labels[order[1]] if len(order) > 1 else None
            second = float(row[order[1]]) if len(order) > 1 else 0.0
            out.append(Prediction(best if top >= self.threshold else None, top, best,
                                  runner_up, second))
        return out

    def calibrate(self, x: Vectors, labels: Sequence[str], x_oos: Vectors,
                  folds: int = 3) -> float:
        """Set ``threshold`` from cross-fitted in-scope scores against out-of-scope scores.

        Each fold's model scores the in-scope examples it did not see and every out-of-scope
        example; the threshold maximises in-scope accuracy (a rejection is an error) plus
        out-of-scope recall. Needs at least two examples of some label.
        """
        labels = list(labels)
        rng = np.random.default_rng(self.seed)
        fold_of = np.empty(len(labels), int)
        by_label: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            by_label.setdefault(label, []).append(i)
        for rows in by_label.values():  # stratified: each label spread over the folds
            shuffled = rng.permutation(rows)
            fold_of[shuffled] = np.arange(len(shuffled)) % folds
        in_scores: list[float] = []
        in_right: list[bool] = []
        oos_scores: list[float] = []
        for fold in range(folds):
            train = fold_of != fold
            held = np.flatnonzero(~train)
            if held.size == 0 or len({labels[i] for i in np.flatnonzero(train)}) < 2:
                continue
            model = IntentClassifier(self.l2, self.epochs, self.step, self.seed)
            model.fit(x[train], [labels[i] for i in np.flatnonzero(train)])
            for row, pred in zip(held.tolist(), model.predict(x[held]), strict=True):
                in_scores.append(pred.confidence)
                in_right.append(pred.best == labels[row])
            oos_scores.extend(p.confidence for p in model.predict(x_oos))
        self.threshold = choose_threshold(in_scores, in_right, oos_scores)
        return self.threshold


def choose_threshold(in_scores: Sequence[float], in_right: Sequence[bool],
                     oos_scores: Sequence[float]) -> float:
    """The score cut that maximises in-scope accuracy plus out-of-scope recall."""
    if not in_scores or not oos_scores:
        return 0.0
    scores_in = np.asarray(in_scores)
    right = np.asarray(in_right, bool)
    scores_oos = np.asarray(oos_scores)
    best, best_value = 0.0, -1.0
    for cut in np.unique(np.concatenate([scores_in, scores_oos, [0.0]])):
        accuracy = float(np.mean(right & (scores_in >= cut)))
        recall = float(np.mean(scores_oos < cut))
        if accuracy + recall > best_value:
            best, best_value = float(cut), accuracy + recall
    return best


def _softmax(z: Vectors) -> Vectors:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Vectors = e / e.sum(axis=1, keepdims=True)
    return out
