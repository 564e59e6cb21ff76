"""``hearth bench learn``: few-shot intents added at run time, and the scrubber, on public data.

Few-shot: ``--intents`` CLINC150 intents that no built-in skill serves are added to the
built-in understanding model from ``--shots`` train examples each (``policies.few_shot``:
prototypes + carriers, nothing retrained). On CLINC150's val keys it reports how many of
their requests route to the right added intent, how many requests for the built-in skills'
intents an added intent wrongly takes, and how many out-of-scope queries it takes.
Scrubber: the share of CLINC150 val requests it changes (most of them name a person: "call
alex", "my name is tom"; the rest are false positives) and its speed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agents import nlu
from hearth.bench_nlu import CLINC_TO_SKILL, DATA, OOS, read_clinc150
from policies import few_shot
from policies.scrubber import scrub


def bench_learn(data: Path = DATA, intents: int = 10, shots: int = 8, seed: int = 0,
                thresholds: Sequence[float] = (0.5, 0.55, 0.6, 0.65)) -> dict[str, Any]:
    path = data / "clinc150_trainval.json"
    train_texts, train_labels = read_clinc150(path, ["train"])
    val_texts, val_labels = read_clinc150(path, ["val", "oos_val"])
    model = nlu.shared([])
    embed = model.embedder
    rng = random.Random(seed)
    candidates = sorted({label for label in train_labels
                         if label not in CLINC_TO_SKILL and label != OOS})
    chosen = rng.sample(candidates, intents)
    added: list[few_shot.Added] = []
    add_ms: list[float] = []
    for label in chosen:
        rows = [i for i, lab in enumerate(train_labels) if lab == label]
        examples = [train_texts[i] for i in rng.sample(rows, shots)]
        began = time.perf_counter()
        texts = few_shot.prototype_texts(examples, label)
        added.append(few_shot.Added(label, embed.embed(texts), "x.y", {}))
        add_ms.append((time.perf_counter() - began) * 1000)

    def routed(rows: Sequence[int], threshold: float) -> list[str | None]:
        out: list[str | None] = []
        vectors = embed.embed([val_texts[i] for i in rows])
        for i, vector in zip(rows, vectors, strict=True):
            base = model.route(val_texts[i])
            similarity = model.similarity(vector, base.intent) if base.intent else 0.0
            match = few_shot.best(vector, added, similarity, threshold)
            out.append(match.added.intent if match else None)
        return out

    new_rows = [i for i, lab in enumerate(val_labels) if lab in chosen]
    skill_rows = [i for i, lab in enumerate(val_labels) if lab in CLINC_TO_SKILL]
    oos_rows = [i for i, lab in enumerate(val_labels) if lab == OOS]
    sweep = {}
    for threshold in thresholds:
        new, skill, oos = (routed(new_rows, threshold), routed(skill_rows, threshold),
                           routed(oos_rows, threshold))
        sweep[f"{threshold:.2f}"] = {
            "accuracy_on_added": round(sum(g == val_labels[i] for g, i in
                                           zip(new, new_rows, strict=True)) / len(new_rows), 3),
            "builtin_requests_taken": round(sum(g is not None for g in skill)
                                            / len(skill_rows), 3),
            "oos_taken": round(sum(g is not None for g in oos) / len(oos_rows), 3)}
    got_new = routed(new_rows, few_shot.MIN_SIMILARITY)
    got_skill = routed(skill_rows, few_shot.MIN_SIMILARITY)
    got_oos = routed(oos_rows, few_shot.MIN_SIMILARITY)
    sample = list(val_texts)
    began = time.perf_counter()
    changed = sum(scrub(t).changed for t in sample)
    scrub_us = (time.perf_counter() - began) / len(sample) * 1e6
    return {
        "bench": "learn",
        "data": "CLINC150 (train keys for examples, val keys for evaluation)",
        "few_shot": {
            "intents": intents, "shots": shots, "seed": seed,
            "added": chosen,
            "accuracy_on_added": round(sum(g == val_labels[i] for g, i in
                                           zip(got_new, new_rows, strict=True))
                                       / len(new_rows), 3),
            "routed_to_an_added_intent": round(sum(g is not None for g in got_new)
                                               / len(new_rows), 3),
            "builtin_requests_taken": round(sum(g is not None for g in got_skill)
                                            / len(skill_rows), 3),
            "oos_taken": round(sum(g is not None for g in got_oos) / len(oos_rows), 3),
            "n_added_val": len(new_rows), "n_builtin_val": len(skill_rows),
            "n_oos_val": len(oos_rows),
            "add_ms_p50": round(sorted(add_ms)[len(add_ms) // 2], 1),
            "min_similarity": few_shot.MIN_SIMILARITY,
            "sweep": sweep,
        },
        "scrubber": {"n": len(sample), "changed_share": round(changed / len(sample), 4),
                     "us_per_utterance": round(scrub_us, 1)},
    }
