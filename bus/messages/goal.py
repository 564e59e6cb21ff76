"""Anticipation: suggestions the assistant offers unasked, and what people made of them.

Goal prediction (latent goals after an interaction) and the proactive agent (hunches from
device state, location reminders, discovered routines) both offer help as a
``goal.suggestion``; dialogue asks it at a quiet moment and reports the answer as
``goal.feedback``, which both agents learn from ("stop suggesting that" mutes a ``key``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bus.messages.base import Message
from bus.messages.intent import Slots

Origin = Literal["latent_goal", "hunch", "reminder", "routine"]
Outcome = Literal["accepted", "declined", "ignored", "stop"]


class GoalSuggestion(Message):
    """Help offered unasked. With an ``intent`` a yes calls that skill with ``slots``; an
    offer without one (a routine) is accepted through ``goal.feedback`` by its origin agent;
    ``offer: false`` is a plain notice (a location reminder) that asks nothing."""

    type: Literal["goal.suggestion"] = "goal.suggestion"
    device: str
    speaker: str | None = None
    origin: Origin
    key: str = Field(min_length=1, max_length=200)  # what "stop suggesting that" mutes
    skill: str | None = None
    intent: str | None = None
    slots: Slots = Field(default_factory=dict)
    say: str = Field(min_length=1, max_length=500)
    accept_say: str = ""  # said on a yes when no skill is called
    offer: bool = True
    reason: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class GoalFeedback(Message):
    """What became of a suggestion: accepted, declined, ignored (no answer) or "stop"."""

    type: Literal["goal.feedback"] = "goal.feedback"
    suggestion_id: str
    key: str
    origin: Origin
    outcome: Outcome
    device: str
    speaker: str | None = None


class GoalHeld(Message):
    """A suggestion the trigger policy kept back, with why (for audits and the bench)."""

    type: Literal["goal.held"] = "goal.held"
    key: str
    origin: Origin
    reason: str
    device: str | None = None
