"""What understanding made of an addressed turn."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bus.messages.base import Message

SlotValue = str | int | float | bool
Slots = dict[str, SlotValue]


class IntentRecognized(Message):
    """The chosen skill and intent (None when out of scope), with the slots found."""

    type: Literal["intent.recognized"] = "intent.recognized"
    device: str
    speaker: str | None = None
    text: str
    skill: str | None
    intent: str | None
    slots: Slots = Field(default_factory=dict)
    confidence: float = Field(ge=0.0, le=1.0)
    runner_up: str | None = None
    # What self-learning changed before routing: rewrite ids ("rewrite:<id>"), a taught
    # concept ("concept:<name>"), an intent added from examples ("intent:<name>").
    applied: list[str] = Field(default_factory=list)
