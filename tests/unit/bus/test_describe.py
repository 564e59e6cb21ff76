"""One-line descriptions of messages, known and unknown, and their JSON-safe form."""

from __future__ import annotations

import json
from typing import Any, Literal

from bus.describe import describe, generic, is_frame_type, jsonable, plain
from bus.messages import (
    DeviceSay,
    DeviceTranscript,
    IntentRecognized,
    Message,
    Rejected,
    ResponseSay,
    SkillCall,
    TurnIgnored,
)

ENV: dict[str, Any] = {"household": "h1", "ts": 1_795_000_000.0, "source": "test"}


class Translation(Message):
    type: Literal["translation.done"] = "translation.done"
    translation: str
    language: str
    confidence: float


class Beacon(Message):
    type: Literal["presence.beacon"] = "presence.beacon"
    room: str
    strength: int
    raw: bytes


def test_known_types_read_like_sentences() -> None:
    assert describe(DeviceTranscript(**ENV, device="kitchen", text="hi", speaker="bob")) == \
        'bob @kitchen: "hi"'
    assert describe(DeviceSay(**ENV, device="hall", text="Done.", response_id="r")) == \
        'hall says "Done."'
    assert describe(TurnIgnored(**ENV, device="k", text="x", utterance_id="u", score=0.1,
                                reasons=["no wake word"])) == "ignored 0.10 (no wake word)"
    assert describe(IntentRecognized(**ENV, device="k", text="x", skill=None, intent=None,
                                     confidence=0.2)) == "out of scope (0.20)"
    assert describe(SkillCall(**ENV, skill="timer", intent="timer.set", device="k",
                              slots={"duration_s": 90.0, "name": "eggs"})) == \
        "call timer: timer.set duration_s=90 name=eggs"
    assert describe(ResponseSay(**ENV, device="k", text="For how long?", to="alice",
                                expects_reply=True)) == 'say on k to alice: "For how long?" (asks)'


def test_long_text_is_shortened() -> None:
    line = describe(DeviceTranscript(**ENV, device="k", text="blah " * 100))
    assert len(line) < 100 and line.endswith('…"')


def test_unknown_types_are_described_from_their_fields() -> None:
    said = Translation(**ENV, translation="Hola", language="es", confidence=0.9)
    assert describe(said) == generic(said) == '"Hola" language=es confidence=0.9'
    beacon = Beacon(**ENV, room="hall", strength=3, raw=b"\x01\x02")
    assert describe(beacon) == "room=hall strength=3 raw=<2 bytes>"


def test_bytes_become_their_length_everywhere() -> None:
    rejected = Rejected(**ENV, subject="hh.h1.x.y", reason="bad", head=b"\x00" * 64,
                        receiver="rx")
    data = plain(rejected)
    assert data["head"] == "<64 bytes>"
    json.dumps(data)
    assert jsonable({"a": [b"xy", {"b": bytearray(3)}], 1: (b"",)}) == \
        {"a": ["<2 bytes>", {"b": "<3 bytes>"}], "1": ["<0 bytes>"]}


def test_frame_types_are_audio_and_speaker_streams() -> None:
    assert is_frame_type("device.audio")
    assert is_frame_type("speech.speaker")
    assert not is_frame_type("device.say")
    assert not is_frame_type("perception.utterance")
