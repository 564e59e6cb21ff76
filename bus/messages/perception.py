"""What perception agents make of the raw device signals."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bus.messages.base import Message


class Utterance(Message):
    """One utterance heard by one device, with the acoustic features later agents need."""

    type: Literal["perception.utterance"] = "perception.utterance"
    device: str
    speaker: str | None = None
    text: str
    language: str = "en"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    loudness: float = Field(default=0.6, ge=0.0, le=1.0)
    start_ts: float
    end_ts: float


class Attention(Message):
    """Who is present at a device and who is looking at it, as of ``ts``."""

    type: Literal["perception.attention"] = "perception.attention"
    device: str
    present: list[str] = Field(default_factory=list)
    looking: list[str] = Field(default_factory=list)
