"""What perception agents make of the raw device signals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bus.messages.base import Message


class Prosody(BaseModel):
    """How an utterance sounded, measured on the audio (None fields: not measurable)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    loudness_dbfs: float  # RMS level of the speech, dB relative to full scale
    duration_s: float  # speech, from the first to the last voiced frame
    speech_rate_wps: float  # words per second
    voiced_ratio: float = Field(ge=0.0, le=1.0)
    pitch_hz: float | None = None  # median fundamental frequency
    pitch_range_st: float | None = None  # spread of the pitch (p90 - p10), in semitones
    pitch_end_slope_st_s: float | None = None  # rise (> 0, question-like) or fall at the end
    # Eight equal slices of the utterance: mean energy (0..1 of the loudest slice) and
    # median pitch in Hz (0 where unvoiced).
    energy_contour: list[float] = Field(default_factory=list, max_length=8)
    pitch_contour: list[float] = Field(default_factory=list, max_length=8)


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
    room: str | None = None
    direction_deg: float | None = Field(default=None, ge=0.0, le=180.0)  # 0 = spoken at it
    directed_style: float | None = Field(default=None, ge=0.0, le=1.0)
    # Audio mode only (text mode leaves the defaults): how it sounded, and whether the
    # assistant was talking on this device at the time (overlapping speech).
    prosody: Prosody | None = None
    during_assistant_speech: bool = False
    # Bilingual household: the request as said, before the translation agent put it into
    # English for understanding (``text`` is then the English).
    translated_from: str | None = None  # ISO 639-1 of what was said
    original_text: str | None = None


class Attention(Message):
    """Who is present at a device and who is looking at it, as of ``ts``."""

    type: Literal["perception.attention"] = "perception.attention"
    device: str
    present: list[str] = Field(default_factory=list)
    looking: list[str] = Field(default_factory=list)
    room: str | None = None
    # Per person in the room: the device they look at, or the person they look at.
    gaze: dict[str, str] = Field(default_factory=dict)
    gaze_person: dict[str, str] = Field(default_factory=dict)
    # Bus time (camera time) at which each person's current gaze began.
    since: dict[str, float] = Field(default_factory=dict)
    speaking: list[str] = Field(default_factory=list)  # whose lips move, as the camera sees


# -- hearing (audio mode) ----------------------------------------------------------------------
class PartialTranscript(Message):
    """What has been said so far in an utterance that is still going on (audio mode)."""

    type: Literal["perception.partial"] = "perception.partial"
    device: str
    speaker: str | None = None
    text: str
    segment_id: str
    start_ts: float
    audio_s: float  # how much speech the text covers


class AudioStats(Message):
    """Counts of one device's microphone stream, published when something went wrong."""

    type: Literal["perception.audio_stats"] = "perception.audio_stats"
    device: str
    stream: str
    frames: int
    lost: int  # frames that never arrived (gaps in seq)
    out_of_order: int  # frames that arrived after a later one (dropped)
    duplicates: int
    dropped_jobs: int  # partial transcriptions skipped because the device's queue was full
    segments: int
