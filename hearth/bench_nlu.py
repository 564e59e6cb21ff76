"""``hearth bench nlu``: intent accuracy, out-of-scope recall and per-utterance latency.

The classifier is the one Hearth routes with (``policies.intent_classifier`` on MiniLM
embeddings from ``agents.embedder``). Files in the formats of ``../shared/data/nlu``:
hwu64 (``;``-separated, text ``answer_from_anno``, label ``scenario_intent``), banking77
(CSV ``text,category``) and clinc150 (JSON of ``[text, label]`` lists; out-of-scope lists are
keys starting with ``oos``). Without ``--format`` it runs the default evaluation: a held-out
split of each data set (never trained on), 10-shot and full data, plus how the built-in
skills' router does on CLINC150 requests its skills serve.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from agents.embedder import Embedder
from hearth.bench import percentile
from policies import routing
from policies.intent_classifier import IntentClassifier, Vectors, features

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "nlu"
OOS = "oos"
HELD_OUT = 0.1  # share of each label split off as the evaluation set
LATENCY_N = 200
# CLINC150 intents that a built-in skill serves, for the skills' routing figure.
CLINC_TO_SKILL = {
    "timer": "timer", "alarm": "timer", "reminder": "reminders", "reminder_update": "reminders",
    "shopping_list": "shopping", "shopping_list_update": "shopping", "weather": "weather",
    "smart_home": "smart_home", "cook_time": "facts", "measurement_conversion": "facts",
}

Examples = tuple[list[str], list[str]]


# -- readers --------------------------------------------------------------------------------
def read_hwu64(path: str | Path) -> Examples:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return ([r["answer_from_anno"] for r in rows],
            [f"{r['scenario']}_{r['intent']}" for r in rows])


def read_banking77(path: str | Path) -> Examples:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def read_clinc150(path: str | Path, keys: Sequence[str]) -> Examples:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    texts: list[str] = []
    labels: list[str] = []
    for key in keys:
        if key not in data:
            raise SystemExit(f"{path} has no key {key!r} (it has {', '.join(sorted(data))})")
        for text, label in data[key]:
            texts.append(str(text))
            labels.append(OOS if key.startswith("oos") or label == OOS else str(label))
    return texts, labels


# -- splits ---------------------------------------------------------------------------------
def held_out_split(labels: Sequence[str], share: float = HELD_OUT,
                   seed: int = 0) -> tuple[list[int], list[int]]:
    """(train rows, test rows): ``share`` of every label held out, stratified."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_label[label].append(i)
    train, test = [], []
    for rows in by_label.values():
        rows = rows[:]
        rng.shuffle(rows)
        cut = max(1, round(len(rows) * share))
        test += rows[:cut]
        train += rows[cut:]
    return sorted(train), sorted(test)


def few_shot(rows: Sequence[int], labels: Sequence[str], k: int | None,
             seed: int = 0) -> list[int]:
    """``k`` rows of every label (all rows when ``k`` is None)."""
    if k is None:
        return list(rows)
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i in rows:
        by_label[labels[i]].append(i)
    out: list[int] = []
    for label_rows in by_label.values():
        out += rng.sample(label_rows, min(k, len(label_rows)))
    return sorted(out)


# -- evaluation -----------------------------------------------------------------------------
class Embedded:
    """Texts with their vectors, embedded once and shared by every setting."""

    def __init__(self, embedder: Embedder, texts: list[str]) -> None:
        began = time.perf_counter()
        self.texts = texts
        self.vectors: Vectors = embedder.embed(texts)
        self.seconds = time.perf_counter() - began

    def features(self, rows: Sequence[int]) -> Vectors:
        return features(self.vectors[list(rows)], [self.texts[i] for i in rows])


def evaluate(embedder: Embedder, train: Embedded, train_labels: Sequence[str],
             train_rows: Sequence[int], test: Embedded, test_labels: Sequence[str],
             test_rows: Sequence[int], oos_rows: Sequence[int] = (),
             seed: int = 0) -> dict[str, Any]:
    """Fit on ``train_rows`` (out-of-scope rows only calibrate), score ``test_rows``."""
    began = time.perf_counter()
    classifier = IntentClassifier(seed=seed)
    x_train = train.features(train_rows)
    y_train = [train_labels[i] for i in train_rows]
    if oos_rows:
        classifier.calibrate(x_train, y_train, train.features(oos_rows))
    classifier.fit(x_train, y_train)
    train_s = time.perf_counter() - began
    predictions = classifier.predict(test.features(test_rows))
    truth = [test_labels[i] for i in test_rows]
    in_scope = [(p, t) for p, t in zip(predictions, truth, strict=True) if t != OOS]
    out_scope = [p for p, t in zip(predictions, truth, strict=True) if t == OOS]
    result: dict[str, Any] = {
        "accuracy": round(float(np.mean([p.label == t for p, t in in_scope])), 4),
        "n_test": len(truth),
        "n_train": len(train_rows),
        "n_intents": len(set(y_train)),
        "train_s": round(train_s, 1),
    }
    if oos_rows or out_scope:
        result["oos_recall"] = (round(float(np.mean([p.label is None for p in out_scope])), 4)
                                if out_scope else None)
        result["accuracy_without_oos_rejection"] = round(
            float(np.mean([p.best == t for p, t in in_scope])), 4)
        result["oos_threshold"] = round(classifier.threshold, 4)
        result["n_test_oos"] = len(out_scope)
    result.update(latency(embedder, classifier, [test.texts[i] for i in test_rows]))
    return result


def latency(embedder: Embedder, classifier: IntentClassifier,
            texts: Sequence[str]) -> dict[str, float]:
    """Per utterance, one at a time as live: embed, featurise, classify."""
    sample = list(texts[:LATENCY_N])
    for text in sample[:10]:  # warm-up
        classifier.predict(features(embedder.embed_one(text), [text]))
    times = []
    for text in sample:
        began = time.perf_counter()
        classifier.predict(features(embedder.embed_one(text), [text]))
        times.append((time.perf_counter() - began) * 1000)
    return {"latency_ms_p50": round(statistics.median(times), 2),
            "latency_ms_p99": round(percentile(times, 99), 2)}


def bench_files(fmt: str, train_path: str, test_path: str, shots: int | None, seed: int,
                test_keys: Sequence[str]) -> dict[str, Any]:
    """One run on given files (``hearth bench nlu --format ... --train ... --test ...``)."""
    embedder = Embedder()
    oos_rows: list[int] = []
    if fmt == "hwu64":
        train_texts, train_labels = read_hwu64(train_path)
        test_texts, test_labels = read_hwu64(test_path)
    elif fmt == "banking77":
        train_texts, train_labels = read_banking77(train_path)
        test_texts, test_labels = read_banking77(test_path)
    else:
        train_texts, train_labels = read_clinc150(train_path, ["train", "oos_train"])
        test_texts, test_labels = read_clinc150(test_path, test_keys)
    train = Embedded(embedder, train_texts)
    test = Embedded(embedder, test_texts)
    in_rows = [i for i, label in enumerate(train_labels) if label != OOS]
    oos_rows = [i for i, label in enumerate(train_labels) if label == OOS]
    rows = few_shot(in_rows, train_labels, shots, seed)
    result = evaluate(embedder, train, train_labels, rows, test, test_labels,
                      range(len(test_texts)), oos_rows, seed)
    if fmt == "clinc150" and "oos_recall" not in result:
        result["oos_recall"] = None
    return {"format": fmt, "shots": shots, "seed": seed, **result,
            "embed_s": round(train.seconds + test.seconds, 1)}


def bench_default(data: Path = DATA, seed: int = 0) -> dict[str, Any]:
    """Held-out splits of the shared data, 10-shot and full, and the skills' router."""
    embedder = Embedder()
    out: dict[str, Any] = {"bench": "nlu", "data": str(data), "seed": seed,
                           "split": f"{HELD_OUT:.0%} of each intent held out of the train file "
                                    "(CLINC150: its val and oos_val keys)"}
    for fmt, reader in (("hwu64", read_hwu64), ("banking77", read_banking77)):
        texts, labels = reader(data / f"{fmt}_train.csv")
        embedded = Embedded(embedder, texts)
        train_rows, test_rows = held_out_split(labels, HELD_OUT, seed)
        out[fmt] = {"embed_s": round(embedded.seconds, 1)}
        for name, k in (("10_shot", 10), ("full", None)):
            rows = few_shot(train_rows, labels, k, seed)
            out[fmt][name] = evaluate(embedder, embedded, labels, rows, embedded, labels,
                                      test_rows, seed=seed)
    path = data / "clinc150_trainval.json"
    train_texts, train_labels = read_clinc150(path, ["train", "oos_train"])
    test_texts, test_labels = read_clinc150(path, ["val", "oos_val"])
    train = Embedded(embedder, train_texts)
    test = Embedded(embedder, test_texts)
    in_rows = [i for i, label in enumerate(train_labels) if label != OOS]
    oos_rows = [i for i, label in enumerate(train_labels) if label == OOS]
    out["clinc150"] = {"embed_s": round(train.seconds + test.seconds, 1)}
    for name, k in (("10_shot", 10), ("full", None)):
        rows = few_shot(in_rows, train_labels, k, seed)
        out["clinc150"][name] = evaluate(embedder, train, train_labels, rows, test,
                                         test_labels, range(len(test_texts)), oos_rows, seed)
    calibrated = calibrate_skills(train_texts, train_labels, train.vectors)
    out["skills_router"] = {"calibrated_on_train": calibrated,
                            **bench_skills(test_texts, test_labels, test.vectors)}
    return out


def _skill_scores(texts: Sequence[str], labels: Sequence[str],
                 vectors: Vectors) -> tuple[list[str | None], list[str], list[float],
                                            list[float]]:
    """For CLINC150 rows a skill serves or that are out of scope: (wanted skill or None,
    predicted skill, top probability, nearest-prototype similarity) from the skills' model."""
    from agents import nlu

    model = nlu.shared()
    rows = [i for i, label in enumerate(labels) if label in CLINC_TO_SKILL or label == OOS]
    preds = model.classifier.predict(features(vectors[rows], [texts[i] for i in rows]))
    wanted = [CLINC_TO_SKILL.get(labels[i]) for i in rows]
    sims = [model.similarity(vectors[i], p.best) for i, p in zip(rows, preds, strict=True)]
    return (wanted, [routing.skill_of(p.best) for p in preds], [p.confidence for p in preds],
            sims)


def _skill_figures(wanted: Sequence[str | None], got: Sequence[str], probs: Sequence[float],
                   sims: Sequence[float], threshold: float,
                   min_similarity: float) -> tuple[float, float]:
    kept = [p >= threshold and s >= min_similarity for p, s in zip(probs, sims, strict=True)]
    served = [k and g == w for w, g, k in zip(wanted, got, kept, strict=True) if w is not None]
    rejected = [not k for w, k in zip(wanted, kept, strict=True) if w is None]
    return float(np.mean(served)), float(np.mean(rejected))


def calibrate_skills(texts: Sequence[str], labels: Sequence[str],
                     vectors: Vectors) -> dict[str, float]:
    """The out-of-scope thresholds for the skills' router from CLINC150's train keys (served
    requests must reach their skill, out-of-scope ones none): how OOS_THRESHOLD and
    SIMILARITY_THRESHOLD were chosen. Maximises served accuracy plus out-of-scope recall."""
    wanted, got, probs, sims = _skill_scores(texts, labels, vectors)
    best = (-1.0, 0.0, 0.0)
    for threshold in np.arange(0.2, 0.95, 0.05):
        for min_similarity in np.arange(0.2, 0.65, 0.05):
            accuracy, recall = _skill_figures(wanted, got, probs, sims, threshold,
                                              min_similarity)
            if accuracy + recall > best[0] + 1e-9:
                best = (accuracy + recall, float(threshold), float(min_similarity))
    return {"threshold": round(best[1], 2), "min_similarity": round(best[2], 2)}


def bench_skills(texts: Sequence[str], labels: Sequence[str], vectors: Vectors,
                 threshold: float = routing.OOS_THRESHOLD,
                 min_similarity: float = routing.SIMILARITY_THRESHOLD) -> dict[str, Any]:
    """The built-in skills' router (trained only on their samples) on CLINC150 requests:
    the right skill for intents a skill serves, no skill for out-of-scope queries."""
    wanted, got, probs, sims = _skill_scores(texts, labels, vectors)
    accuracy, recall = _skill_figures(wanted, got, probs, sims, threshold, min_similarity)
    accuracy_p, recall_p = _skill_figures(wanted, got, probs, sims, threshold, -1.0)
    return {
        "threshold": threshold, "min_similarity": min_similarity,
        "skill_accuracy": round(accuracy, 4), "oos_recall": round(recall, 4),
        "probability_only": {"skill_accuracy": round(accuracy_p, 4),
                             "oos_recall": round(recall_p, 4)},
        "n_served": sum(w is not None for w in wanted),
        "n_oos": sum(w is None for w in wanted),
        "clinc_intents": sorted(CLINC_TO_SKILL),
    }
