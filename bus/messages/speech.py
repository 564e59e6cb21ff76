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


class SpeechStop(Message):
    """Stop speaking on a device now (barge-in: someone talks over the assistant).

    ``response_id`` names the response to stop; None stops whatever the device is saying.
    """

    type: Literal["speech.stop"] = "speech.stop"
    device: str
    response_id: str | None = None
    reason: str = ""
    onset_ts: float | None = None  # bus time the person started talking over the assistant
