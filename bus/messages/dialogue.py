"""Dialogue state and what the assistant decides to say."""

from __future__ import annotations

from typing import Literal

from bus.messages.base import Message


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
