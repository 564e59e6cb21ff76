"""Privacy: scrubbed copies of what is recorded, and forgetting a household's words."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from bus.messages.base import Message


class PrivacyRecord(Message):
    """What the event log keeps of a message that carries people's words: the message with
    its text fields scrubbed of personal data (the raw message is never recorded)."""

    type: Literal["privacy.record"] = "privacy.record"
    record_type: str  # the original message type ("perception.utterance")
    record_id: str
    payload: dict[str, Any]  # the original fields, text scrubbed, bytes as "<N bytes>"
    found: list[str] = Field(default_factory=list)  # kinds replaced: name, phone, ...


class PrivacyForgotten(Message):
    """A household's recorded words since ``since`` and what was derived from them are gone."""

    type: Literal["privacy.forgotten"] = "privacy.forgotten"
    since: float  # bus time: the start of the household's day
    events: int = Field(ge=0)  # messages deleted from the event stream
    keys: int = Field(ge=0)  # KV entries deleted or rewritten (rewrites, concepts, dialogue)
    device: str | None = None
