"""Cooking times, unit conversions and general knowledge from the local fact file."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from agents.skills.sdk import Args, Reply, SkillContext, handles

# Each unit in a base unit of its kind: volume in millilitres, mass in grams, length in metres.
UNITS: dict[str, tuple[str, float]] = {
    "cup": ("volume", 240.0), "tablespoon": ("volume", 15.0), "teaspoon": ("volume", 5.0),
    "millilitre": ("volume", 1.0), "litre": ("volume", 1000.0),
    "gram": ("mass", 1.0), "kilogram": ("mass", 1000.0), "ounce": ("mass", 28.3495),
    "pound": ("mass", 453.592),
    "inch": ("length", 0.0254), "centimetre": ("length", 0.01), "mile": ("length", 1609.34),
    "kilometre": ("length", 1000.0),
    "fahrenheit": ("temperature", 1.0), "celsius": ("temperature", 1.0),
}


@functools.cache
def _facts(folder: Path) -> dict[str, Any]:
    loaded = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@handles("cooking_time")
async def cooking_time(ctx: SkillContext, args: Args) -> Reply:
    food = str(args["food"])
    entry = _facts(ctx.folder)["cooking"].get(food)
    if entry is None:
        return Reply(f"I don't know how long {food} takes.", ok=False)
    seconds, answer = entry
    return Reply(answer, data={"seconds": float(seconds), "food": food})


def _plural(unit: str, amount: float) -> str:
    if unit in ("fahrenheit", "celsius"):
        return f"degrees {unit.capitalize()}"
    if amount == 1:
        return unit
    return unit + ("es" if unit.endswith("inch") else "s")


@handles("convert")
async def convert(ctx: SkillContext, args: Args) -> Reply:
    amount, source, target = float(args["amount"]), str(args["source"]), str(args["target"])
    kind_from, size_from = UNITS[source]
    kind_to, size_to = UNITS[target]
    if kind_from != kind_to:
        return Reply(f"I can't convert {_plural(source, 2)} into {_plural(target, 2)}.",
                     ok=False)
    if kind_from == "temperature":
        value = amount * 9 / 5 + 32 if target == "fahrenheit" else (amount - 32) * 5 / 9
        if source == target:
            value = amount
    else:
        value = amount * size_from / size_to
    shown = f"{value:.2f}".rstrip("0").rstrip(".")
    return Reply(f"{amount:g} {_plural(source, amount)} is {shown} {_plural(target, value)}.",
                 data={"value": round(value, 4)})


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) - {"the", "a", "of", "to", "is", "what"}


@handles("fact")
async def fact(ctx: SkillContext, args: Args) -> Reply:
    asked = _words(str(args["topic"])) | _words(ctx.text)
    best, score = None, 0
    for entry in _facts(ctx.folder)["knowledge"]:
        for key in entry["keys"]:
            overlap = len(_words(key) & asked)
            if overlap > score and overlap == len(_words(key)):
                best, score = entry, overlap
    if best is None:
        return Reply(f"I don't know about {args['topic']}.", ok=False,
                     data={"topic": str(args["topic"])})
    return Reply(str(best["answer"]), data={"topic": str(best["keys"][0])})
