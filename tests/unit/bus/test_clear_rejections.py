"""Each kind of hostile input named in issue 9 gets a reason a person can act on."""

from __future__ import annotations

import time

import msgpack
import pytest
from conftest import envelope

from bus.codec import MAX_PAYLOAD_BYTES, encode
from bus.memory import MemoryBus, MemoryHub
from bus.messages import DeviceAudio, DeviceTranscript, Rejected
from scenarios.loader import ScenarioError
from scenarios.model import parse_scenario


def frame(**fields: object) -> dict[str, object]:
    msg = DeviceAudio(**envelope(), device="kitchen", seq=0, pcm=b"\x00" * 640)
    return {**msg.model_dump(mode="python"), **fields}


async def reason_for(subject: str, raw: dict[str, object] | bytes) -> str:
    hub = MemoryHub()
    bus = MemoryBus(hub, "receiver")
    data = raw if isinstance(raw, bytes) else msgpack.packb(raw, use_bin_type=True)
    assert await bus.accept(subject, data) is None
    [(_subject, out)] = hub.published
    rejected = msgpack.unpackb(out)
    assert rejected["type"] == Rejected.type_name() and rejected["subject"] == subject
    return str(rejected["reason"])


AUDIO = "hh.h1.device.kitchen.audio"


@pytest.mark.parametrize(("raw", "reason"), [
    (frame(pcm=b"\x00" * 4000),
     "invalid device.audio field 'pcm': Data should have at most 1280 bytes"),
    (frame(pcm=b"\x00" * (MAX_PAYLOAD_BYTES + 2)),
     f"is over the {MAX_PAYLOAD_BYTES} limit"),
    (frame(ts=1e20), "invalid device.audio field 'ts': Value error, ts 1e+20 is outside"),
    (frame(ts=-5.0), "Value error, ts -5.0 is outside 1970..3000"),
    (frame(ts="yesterday"), "invalid device.audio field 'ts': Input should be a valid number"),
])
async def test_audio_rejections_say_what_is_wrong(raw: dict[str, object], reason: str) -> None:
    assert reason in await reason_for(AUDIO, raw)


async def test_an_unknown_or_foreign_household_is_named() -> None:
    bad = frame(household="no.such")
    assert "household 'no.such' must be 1-64 characters" in await reason_for(AUDIO, bad)
    other = frame(household="h2")  # a valid frame of h2 pushed into h1's subject
    assert await reason_for(AUDIO, other) == (
        f"device.audio for hh.h2.device.kitchen.audio arrived on {AUDIO}")


async def test_a_device_name_that_cannot_be_a_subject_is_refused() -> None:
    said = DeviceTranscript(ts=time.time(), household="h1", source="kitchen",
                            device="kitchen", text="hello")
    raw = {**said.model_dump(mode="python"), "device": "kitchen.>"}
    assert "device 'kitchen.>' must be 1-64 characters" in await reason_for(
        "hh.h1.device.kitchen.transcript", raw)
    assert encode(said)  # the valid one still encodes


def test_a_scenario_with_an_error_names_its_line() -> None:
    text = ("name: x\nstart: '2026-11-23T07:30:00Z'\ndevices:\n  - {id: k, kind: speaker}\n"
            "timeline:\n  - advance: 5 minutes\n")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "bad.yaml")
    assert str(info.value).startswith("bad.yaml:6: advance:")
    assert "'5 minutes' is not a duration" in str(info.value)
