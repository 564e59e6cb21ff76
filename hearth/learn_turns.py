"""``hearth learn turns``: fit the addressee weights from labelled scenes.

The scenes are replayed on a real stack with the transparent rules; every device's turn
decision carries the cue values it was judged on, and the scene's ``to:`` says whether the
utterance was for the assistant. Logistic regression (policies/addressee_fit.py) then fits one
weight set with all cues and one per dropped cue family, and the result is written as a small
Python module (policies/addressee_weights.py) together with the command and the scenes used.
Ground truth stays offline: it is read from the scene files here, never sent on the bus.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bus.server import NatsServer
from hearth.bench_turns import HELD_OUT, TABLE_VARIANTS, Replayed, run_variant, scenario_files
from hearth.launch import init_ray
from hearth.turn_scenes import generate
from policies.addressee import LinearWeights, sigmoid, variant_key
from policies.addressee_features import BY_NAME, NAMES
from policies.addressee_fit import fit_logistic
from scenarios.model import ASSISTANT, load_scenario

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "policies" / "addressee_weights.py"
L2 = 1.0


def examples(replayed: Sequence[Replayed]) -> tuple[list[list[float]], list[int]]:
    """One row per say, labelled with its ground truth: the cues as the speaker's own device
    judged them. (Another room's device hears the same words faintly and without the open
    question: its view would teach the model that faint, unasked answers are requests.)"""
    rows: list[list[float]] = []
    labels: list[int] = []
    for r in replayed:
        by_cid: dict[str, list[Any]] = {}
        for msg in r.decisions:
            by_cid.setdefault(msg.correlation_id, []).append(msg)
        for d in r.result.decisions:
            primary = d.heard_as[0] if d.heard_as else d.correlation_id
            for msg in by_cid.get(primary, [])[:1]:
                if msg.features:
                    rows.append([float(msg.features.get(n, 0.0)) for n in NAMES])
                    labels.append(int(d.truth == ASSISTANT))
    return rows, labels


def fit_variants(rows: list[list[float]], labels: list[int],
                 l2: float = L2) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Weights with all cues and with each family dropped; the training log loss of each."""
    variants: dict[str, dict[str, float]] = {}
    losses: dict[str, float] = {}
    for dropped in TABLE_VARIANTS:
        keep = [i for i, n in enumerate(NAMES)
                if BY_NAME[n].family not in dropped and BY_NAME[n].also_needs not in dropped]
        fit = fit_logistic([[row[i] for i in keep] for row in rows], labels, l2=l2)
        weights = dict.fromkeys(NAMES, 0.0)
        for i, w in zip(keep, fit.weights, strict=True):
            weights[NAMES[i]] = round(w, 4)
        key = variant_key(dropped)
        variants[key] = {"bias": round(fit.bias, 4), **weights}
        losses[key] = round(fit.log_loss, 4)
    return variants, losses


FALSE_ACTIVATION_COST = 2.0  # talking over people is worse than missing a request


def side_talk_threshold(rows: list[list[float]], labels: list[int],
                        weights: dict[str, float]) -> float:
    """The threshold for utterances during a side conversation (no wake word, no open
    question) that costs least on the training rows, a false activation counting double;
    ties go to the stricter threshold."""
    model = LinearWeights.from_dict(weights)
    col = {n: i for i, n in enumerate(NAMES)}
    scored = [
        (sigmoid(model.bias + sum(model.weights[n] * row[i] for n, i in col.items())), y)
        for row, y in zip(rows, labels, strict=True)
        if row[col["side_talk"]] and not row[col["wake_word"]] and not row[col["follow_up"]]
    ]
    best = (float("inf"), 0.5)
    for step in range(10):
        t = 0.5 + 0.05 * step
        cost = sum(FALSE_ACTIVATION_COST if y == 0 else 0.0 for p, y in scored if p >= t)
        cost += sum(1.0 for p, y in scored if y == 1 and p < t)
        if cost <= best[0]:
            best = (cost, round(t, 2))
    return best[1]


def _dict(data: dict[str, Any], indent: str = "    ") -> str:
    """A dict literal with one entry per line (the file must pass the linter as written)."""
    lines = []
    for key, value in data.items():
        text = _dict(value, indent + "    ") if isinstance(value, dict) else repr(value)
        lines.append(f"{indent}{key!r}: {text},")
    return "{\n" + "\n".join(lines) + "\n" + indent[4:] + "}"


def render(variants: dict[str, dict[str, float]], losses: dict[str, float],
           scenes: Sequence[str], generated: tuple[int, int], n: int, positives: int,
           command: str, side_threshold: float) -> str:
    words = command.split()
    chunks, line = [], ""
    for word in words:
        if line and len(line) + len(word) > 80:
            chunks.append(line)
            line = ""
        line += word + " "
    chunks.append(line.rstrip())
    command_lines = "\n".join(f"    {c!r}" for c in chunks)
    scene_lines = "\n".join(f"    {s!r}," for s in scenes)
    return (
        '"""Learned addressee weights. Generated by ``hearth learn turns``; do not edit by hand.\n'
        "\n"
        "Logistic regression (policies/addressee_fit.py) on the cue values of every turn\n"
        "decision in the scenes below and in GENERATED = (count, seed) scenes from\n"
        "hearth/turn_scenes.py, labelled by their ``to:`` ground truth. The library scenes in\n"
        "hearth.bench_turns.HELD_OUT were not used.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        f"COMMAND = (\n{command_lines}\n)\n"
        f"TRAINED_ON: tuple[str, ...] = (\n{scene_lines}\n)\n"
        f"GENERATED = {generated!r}\n"
        f"N_EXAMPLES = {n}\n"
        f"N_FOR_ASSISTANT = {positives}\n"
        "# chosen on the training rows: see hearth.learn_turns.side_talk_threshold\n"
        f"SIDE_TALK_THRESHOLD = {side_threshold!r}\n"
        f"TRAIN_LOG_LOSS: dict[str, float] = {_dict(losses)}\n"
        f"VARIANTS: dict[str, dict[str, float]] = {_dict(variants)}\n"
    )


async def learn_turns(paths: Sequence[str], out: Path = DEFAULT_OUT, l2: float = L2,
                      include_held_out: bool = False, nats_url: str | None = None,
                      argv: Sequence[str] = (), generated: int = 0,
                      seed: int = 7) -> dict[str, Any]:
    files = [f for f in scenario_files(paths) if include_held_out or f.stem not in HELD_OUT]
    scenarios = [load_scenario(f) for f in files] + generate(generated, seed)
    if not scenarios:
        raise ValueError("no training scenes (held-out scenes are left out)")
    server = NatsServer().start() if nats_url is None else None
    own_ray = init_ray()
    try:
        url = nats_url or (server.url if server else "")
        replayed = await run_variant(url, scenarios, frozenset(), policy="rules")
    finally:
        if own_ray:
            import ray

            ray.shutdown()
        if server is not None:
            server.stop()
    rows, labels = examples(replayed)
    if len(set(labels)) < 2:
        raise ValueError("the scenes need utterances both for the assistant and not")
    variants, losses = fit_variants(rows, labels, l2)
    side = side_talk_threshold(rows, labels, variants["all"])
    command = "hearth learn turns " + " ".join(shlex.quote(a) for a in argv)
    scenes = sorted(f.stem for f in files)
    out.write_text(render(variants, losses, scenes, (generated, seed), len(rows), sum(labels),
                          command.strip(), side), encoding="utf-8")
    return {"out": str(out), "scenes": scenes, "generated": generated, "examples": len(rows),
            "for_assistant": sum(labels), "side_talk_threshold": side,
            "train_log_loss": losses, "weights": variants["all"]}
