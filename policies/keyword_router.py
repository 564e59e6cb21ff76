"""A first, honest understanding rule: keyword patterns for the built-in timer skill.

Name-free routing with sentence embeddings replaces this behind the same result shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bus.messages import Slots
from policies.durations import parse_duration


@dataclass(frozen=True)
class Route:
    skill: str | None
    intent: str | None
    confidence: float
    slots: Slots = field(default_factory=dict)


def _slots(text: str) -> Slots:
    slots: Slots = {}
    seconds = parse_duration(text)
    if seconds is not None:
        slots["duration_s"] = seconds
    return slots


def route(text: str) -> Route:
    lowered = text.lower().strip(" .!?")
    slots = _slots(lowered)
    if re.search(r"\b(cancel|stop|delete|remove)\b.*\btimers?\b", lowered):
        return Route("timer", "timer.cancel", 0.9, slots)
    if re.search(r"\b(list|what|which|how many|any)\b.*\btimers?\b", lowered) or re.search(
        r"\bhow (much|long) (time )?(is )?left\b", lowered
    ):
        return Route("timer", "timer.list", 0.85, slots)
    if re.search(r"\b(set|start|create|make)\b.*\btimer\b", lowered) or re.search(
        r"\btimer for\b", lowered
    ):
        return Route("timer", "timer.set", 0.9, slots)
    if slots:
        # A bare duration ("five minutes") is meaningful only as an answer to a question.
        return Route(None, None, 0.3, slots)
    return Route(None, None, 0.0, slots)
