"""Dialogue state and what the assistant decides to say."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from bus.messages.base import Message
from bus.messages.intent import Slots


class DialogueState(Message):
    """Whether the assistant awaits a reply on a device, and until when (bus time)."""

    type: Literal["dialogue.state"] = "dialogue.state"
    device: str
    speaker: str | None = None
    expecting_reply: bool
    open_until: float
    skill: str | None = None


class ResponseSay(Message):
    """Something the assistant will say on a device."""

    type: Literal["response.say"] = "response.say"
    device: str
    text: str
    language: str = "en"
    to: str | None = None  # the person addressed, when known
    expects_reply: bool = False


class DialogueCompleted(Message):
    """A request the assistant carried out: what was asked, with which slots, and what the
    skill answered. Goal prediction and the proactive agent learn from these."""

    type: Literal["dialogue.completed"] = "dialogue.completed"
    device: str
    speaker: str | None = None
    skill: str
    intent: str
    slots: Slots = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
