"""hearth/bench_nlu.py: readers, held-out split, k-shot, and a small real run (3 intents)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from hearth.bench_nlu import (
    DATA,
    OOS,
    bench_files,
    few_shot,
    held_out_split,
    read_banking77,
    read_clinc150,
    read_hwu64,
)

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/nlu is not here")


@needs_data
def test_readers_on_the_shared_files() -> None:
    texts, labels = read_hwu64(DATA / "hwu64_train.csv")
    assert len(texts) == len(labels) == 9960 and len(set(labels)) == 64
    assert "alarm_query" in labels
    texts, labels = read_banking77(DATA / "banking77_train.csv")
    assert len(set(labels)) == 77
    texts, labels = read_clinc150(DATA / "clinc150_trainval.json", ["val", "oos_val"])
    assert labels.count(OOS) == 100 and len(set(labels)) == 151


def test_held_out_split_is_disjoint_and_stratified() -> None:
    labels = ["a"] * 50 + ["b"] * 20
    train, test = held_out_split(labels, 0.1, seed=3)
    assert not set(train) & set(test) and len(train) + len(test) == 70
    assert sorted(labels[i] for i in test) == ["a"] * 5 + ["b"] * 2
    shots = few_shot(train, labels, 4, seed=3)
    assert sorted(labels[i] for i in shots) == ["a"] * 4 + ["b"] * 4
    assert set(shots) <= set(train)


@needs_data
def test_a_small_clinc_run_reports_every_figure(tmp_path: Path) -> None:
    data = json.loads((DATA / "clinc150_trainval.json").read_text())
    keep = {"timer", "weather", "translate"}
    small = {
        "train": [x for label in sorted(keep)
                  for x in [y for y in data["train"] if y[1] == label][:30]],
        "oos_train": data["oos_train"][:30],
        "test": [x for x in data["val"] if x[1] in keep][:30],
        "oos_test": data["oos_val"][:15],
    }
    path = tmp_path / "small.json"
    path.write_text(json.dumps(small))
    result = bench_files("clinc150", str(path), str(path), 10, 0, ["test", "oos_test"])
    assert {"accuracy", "oos_recall", "n_test", "latency_ms_p50", "latency_ms_p99"} <= set(result)
    assert result["n_test"] == 45 and result["n_train"] <= 30
    assert result["accuracy"] >= 0.8  # three distinct intents, 10 shots each
    assert 0.0 <= result["oos_recall"] <= 1.0


@needs_data
def test_a_small_hwu_run(tmp_path: Path) -> None:
    with open(DATA / "hwu64_train.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";")
                if r["scenario"] in ("weather", "alarm", "music")]
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    for path, part in ((train, rows[::2]), (test, rows[1::2][:40])):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
            writer.writeheader()
            writer.writerows(part)
    result = bench_files("hwu64", str(train), str(test), 10, 0, [])
    assert result["n_test"] == 40 and "oos_recall" not in result
    assert result["accuracy"] >= 0.6
