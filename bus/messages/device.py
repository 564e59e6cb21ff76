"""What devices sense and what they are told: the edge of the system."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bus.messages.base import Message, check_token


class DeviceMessage(Message):
    """A message about one device; the device id is a subject token."""

    SUBJECT_KEY: ClassVar[str | None] = "device"
    device: str

    @field_validator("device")
    @classmethod
    def _device_is_token(cls, value: str) -> str:
        return check_token(value, "device")


class DeviceTranscript(DeviceMessage):
    """Text mode: what a device heard, as a transcript with the acoustic facts it measured."""

    type: Literal["device.transcript"] = "device.transcript"
    text: str = Field(max_length=2000)
    speaker: str | None = None  # speaker id when the device recognises the voice
    loudness: float = Field(default=0.6, ge=0.0, le=1.0)
    duration_s: float = Field(default=1.5, ge=0.0, le=120.0)
    language: str = "en"


class SeenPerson(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    person: str
    looking_at_device: bool = False
    head_yaw_deg: float = Field(default=90.0, ge=-180.0, le=180.0)
    speaking: bool = False


class DeviceVision(DeviceMessage):
    """Vision cues from a device with a camera: who is there and where they look."""

    type: Literal["device.vision"] = "device.vision"
    people: list[SeenPerson] = Field(default_factory=list, max_length=32)


class DeviceLocation(DeviceMessage):
    """A phone reports where its owner is."""

    type: Literal["device.location"] = "device.location"
    person: str
    place: str


class DeviceSay(DeviceMessage):
    """Text mode: what the device should say out loud."""

    type: Literal["device.say"] = "device.say"
    text: str
    language: str = "en"
    response_id: str
