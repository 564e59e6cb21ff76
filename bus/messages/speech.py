"""The assistant's voice: when speech on a device starts and ends."""

from __future__ import annotations

from typing import Literal

from bus.messages.base import Message


class SpeechStarted(Message):
    type: Literal["speech.started"] = "speech.started"
    device: str
    text: str
    response_id: str


class SpeechFinished(Message):
    type: Literal["speech.finished"] = "speech.finished"
    device: str
    response_id: str
    interrupted: bool = False
