"""The speech agent with real TTS (Piper, espeak-ng) on the in-memory bus, and the audio
device simulator that plays its voice and reports playback."""

from __future__ import annotations

import asyncio
import shutil
import time

import numpy as np
import pytest
from conftest import HOUSEHOLD, AgentFactory, envelope, published

from agents.speech import SpeechAgent
from agents.tts import SynthesisError, make_synthesizer, split_sentences
from bus.audio_format import FRAME_S, to_float
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    DeviceAudio,
    DeviceOnline,
    DevicePlayback,
    DeviceSay,
    DeviceSpeaker,
    ResponseSay,
    SpeechFinished,
    SpeechStarted,
    SpeechStop,
)
from devices.audio_sim import AudioDeviceSimulator

LONG = ("2 minutes 49 seconds left on the 3 minute timer; 9 minutes 55 seconds left on the "
        "10 minute timer.")


def test_sentences_are_split_for_streaming() -> None:
    assert split_sentences("Timer set.  Anything else? Yes; no!") == [
        "Timer set.", "Anything else?", "Yes;", "no!"]
    assert split_sentences("  ") == []


@pytest.mark.parametrize("backend", ["piper", "espeak"])
def test_backends_speak_at_16_khz(backend: str) -> None:
    if backend == "espeak" and shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    synth = make_synthesizer(backend)
    parts = list(synth.sentences("Timer set for five minutes. Anything else?"))
    assert [s for s, _ in parts] == ["Timer set for five minutes.", "Anything else?"]
    audio = parts[0][1]
    assert audio.dtype == np.float32 and 0.8 < audio.size / 16000 < 4.0
    assert 0.1 < float(np.max(np.abs(audio))) <= 1.0


def test_unknown_backends_and_languages_are_refused_clearly() -> None:
    with pytest.raises(SynthesisError, match="unknown TTS backend 'coqui'"):
        make_synthesizer("coqui")
    piper = make_synthesizer("piper")
    assert piper.speaks("en") and not piper.speaks("de")
    with pytest.raises(SynthesisError, match="not de"):
        piper.synthesize("Hallo", "de")


async def _online(bus: MemoryBus, device: str, audio: bool) -> None:
    await bus.publish(DeviceOnline(**envelope(), device=device, audio=audio))


def _say(device: str, text: str) -> ResponseSay:
    return ResponseSay(**{**envelope(), "ts": time.time()}, device=device, text=text)


async def _until(hub: MemoryHub, cls: type, timeout: float = 15.0) -> list:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = published(hub, cls)
        if found:
            return found
        await asyncio.sleep(0.02)
    return []


async def test_text_devices_get_words_and_audio_devices_get_a_voice(
        start_agent: AgentFactory, hub: MemoryHub) -> None:
    await start_agent(SpeechAgent, config={"speech": {"lead_s": 0.2}})
    bus = MemoryBus(hub, name="test")
    await _online(bus, "kitchen", audio=True)
    await bus.publish(_say("hall", "Timer set."))  # a text device
    await bus.publish(_say("kitchen", "Timer set for 5 minutes. Anything else?"))
    finished = []
    deadline = time.monotonic() + 20
    while len(finished) < 2 and time.monotonic() < deadline:
        finished = published(hub, SpeechFinished)
        await asyncio.sleep(0.05)
    assert {f.device for f in finished} == {"hall", "kitchen"}
    assert not any(f.interrupted for f in finished)
    assert {s.device for s in published(hub, DeviceSay)} == {"hall", "kitchen"}
    assert len(published(hub, SpeechStarted)) == 2
    frames = published(hub, DeviceSpeaker)
    assert frames and {f.device for f in frames} == {"kitchen"}
    assert [f.seq for f in frames] == list(range(len(frames)))
    assert frames[-1].final and not frames[-1].pcm and not any(f.final for f in frames[:-1])
    audio = np.concatenate([to_float(f.pcm) for f in frames if f.pcm])
    assert 2.0 < audio.size / 16000 < 5.0 and float(np.max(np.abs(audio))) > 0.3
    assert frames[-1].offset_s == pytest.approx(len(frames[:-1]) * FRAME_S, abs=1e-3)
    # Frames are paced: the last one left no earlier than its audio time minus the lead.
    spread = frames[-1].ts - frames[0].ts
    assert spread >= frames[-1].offset_s - 0.2 - 0.1


async def test_speech_stop_silences_the_device_within_200_ms(
        start_agent: AgentFactory, hub: MemoryHub) -> None:
    await start_agent(SpeechAgent, config={"speech": {"lead_s": 0.3}})
    bus = MemoryBus(hub, name="test")
    await _online(bus, "kitchen", audio=True)
    say = _say("kitchen", LONG)
    await bus.publish(say)
    assert await _until(hub, DeviceSpeaker)
    await asyncio.sleep(1.0)
    stop = SpeechStop(**{**envelope(), "ts": time.time()}, device="kitchen",
                      response_id=say.id, reason="test")
    await bus.publish(stop)
    done = await _until(hub, SpeechFinished)
    assert done and done[0].interrupted
    assert done[0].ts - stop.ts <= 0.2
    frames = published(hub, DeviceSpeaker)
    assert max(f.ts for f in frames) <= stop.ts + 0.2
    assert not any(f.final for f in frames)  # it never reached its end
    assert frames[-1].offset_s < 3.0  # the answer is ~6 s long


async def test_the_audio_device_plays_reports_and_flushes_on_stop(hub: MemoryHub) -> None:
    bus = MemoryBus(hub, name="kitchen")
    sim = await AudioDeviceSimulator(bus, HOUSEHOLD, "kitchen").start()
    online = published(hub, DeviceOnline)
    assert online and online[0].audio
    server = MemoryBus(hub, name="speech")
    tone = (0.5 * np.sin(np.arange(512) / 5.0)).astype(np.float32)
    from bus.audio_format import to_pcm16

    for i in range(20):  # 0.64 s of sound for response r1
        await server.publish(DeviceSpeaker(**envelope(), device="kitchen", response_id="r1",
                                           seq=i, offset_s=i * FRAME_S, pcm=to_pcm16(tone)))
    await asyncio.sleep(0.3)
    await server.publish(SpeechStop(**envelope(), device="kitchen", response_id="r1"))
    await server.publish(DeviceSpeaker(**envelope(), device="kitchen", response_id="r1",
                                       seq=20, offset_s=20 * FRAME_S, pcm=to_pcm16(tone)))
    await asyncio.sleep(1.5)
    states = [p.state for p in published(hub, DevicePlayback)]
    assert states == ["started", "stopped"]
    stopped = published(hub, DevicePlayback)[1]
    assert 0.1 < stopped.position_s < 0.64
    mic = published(hub, DeviceAudio)
    assert mic and [m.seq for m in mic] == list(range(len(mic)))
    with_ref = [m for m in mic if m.echo_ref and np.any(to_float(m.echo_ref))]
    # The loudspeaker came back into the microphone, scaled, while it played.
    assert with_ref and len(with_ref) < 20
    loud = max(float(np.max(np.abs(to_float(m.pcm)))) for m in with_ref)
    assert 0.1 < loud < 0.3
    # After the stop the device streams a short tail of room tone and goes quiet.
    await asyncio.sleep(0.5)
    count = len(published(hub, DeviceAudio))
    await asyncio.sleep(0.3)
    assert len(published(hub, DeviceAudio)) == count
    await sim.stop()
