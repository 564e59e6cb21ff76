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
    room: str | None = None  # where the device stands, as set up by the household
    # Optional acoustic cues for the addressee policy; None when the device cannot measure
    # them. Angle between where the talker's voice points and the device (0 = spoken straight
    # at it, 180 = away), e.g. from the direct-to-reverberant ratio of a mic array.
    direction_deg: float | None = Field(default=None, ge=0.0, le=180.0)
    # How device-directed the speaking style sounds (slower, clearer, flatter), 0..1.
    directed_style: float | None = Field(default=None, ge=0.0, le=1.0)


class SeenPerson(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    person: str
    looking_at_device: bool = False
    head_yaw_deg: float = Field(default=90.0, ge=-180.0, le=180.0)
    speaking: bool = False
    head_pitch_deg: float = Field(default=0.0, ge=-90.0, le=90.0)
    # What the head pose points at when the camera knows the room's layout: another device
    # in the room (by id) or a person (by face id); None when neither.
    looking_at: str | None = None
    looking_at_person: str | None = None


class DeviceVision(DeviceMessage):
    """Vision cues from a device with a camera: who is there and where they look."""

    type: Literal["device.vision"] = "device.vision"
    people: list[SeenPerson] = Field(default_factory=list, max_length=32)
    room: str | None = None  # where the camera stands


class DeviceOnline(DeviceMessage):
    """A device announces itself when it connects: what it is, where, and what it senses.

    The turn-taking agent learns a household's devices from it, so it knows when two devices
    may hear one utterance and must agree on which one answers.
    """

    type: Literal["device.online"] = "device.online"
    kind: str = "speaker"
    room: str | None = None
    camera: bool = False
    audio: bool = False  # streams device.audio and plays device.speaker frames


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


# -- audio (16 kHz mono PCM16 little-endian; the layout lives in bus/audio_format.py) ---------
def _check_pcm(value: bytes) -> bytes:
    if len(value) % 2:
        raise ValueError("pcm must hold whole 16-bit samples (an even number of bytes)")
    return value


class DeviceAudio(DeviceMessage):
    """A microphone frame: 20-40 ms of 16 kHz mono PCM16, numbered within its stream.

    ``seq`` counts frames from 0 within ``stream`` (a device that restarts opens a new stream),
    so a receiver notices lost, repeated and out-of-order frames. ``ts`` is the bus time of the
    frame's first sample. ``echo_ref`` is what the device's loudspeaker played during this very
    frame (its loopback channel), so the assistant can take its own voice out of the signal.
    """

    type: Literal["device.audio"] = "device.audio"
    stream: str = Field(default="mic", max_length=64)
    seq: int = Field(ge=0)
    pcm: bytes = Field(min_length=640, max_length=1280)
    echo_ref: bytes | None = Field(default=None, max_length=1280)
    speaker: str | None = None  # speaker id when the device recognises the voice

    @field_validator("pcm", "echo_ref")
    @classmethod
    def _whole_samples(cls, value: bytes | None) -> bytes | None:
        return value if value is None else _check_pcm(value)


class DeviceSpeaker(DeviceMessage):
    """A frame of the assistant's voice for the device to play (16 kHz mono PCM16).

    ``offset_s`` is where the frame starts within the response's audio; ``final`` marks the
    last frame of a response that was spoken to its end.
    """

    type: Literal["device.speaker"] = "device.speaker"
    response_id: str
    seq: int = Field(ge=0)
    offset_s: float = Field(ge=0.0)
    pcm: bytes = Field(max_length=1280)
    final: bool = False

    @field_validator("pcm")
    @classmethod
    def _whole_samples(cls, value: bytes) -> bytes:
        return _check_pcm(value)


class DevicePlayback(DeviceMessage):
    """What the device's loudspeaker is doing: it started, finished or stopped a response."""

    type: Literal["device.playback"] = "device.playback"
    response_id: str
    state: Literal["started", "finished", "stopped"]
    position_s: float = Field(default=0.0, ge=0.0)  # how much of the response was played
