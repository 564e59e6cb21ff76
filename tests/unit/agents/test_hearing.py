"""The audio perception agent and its parts (echo canceller, VAD stream, prosody), on the
in-memory bus with the real models (Silero VAD, Whisper tiny.en, a Piper voice).

Frames are fed as fast as the agent takes them: the endpointer counts silence in audio time,
so nothing here waits for real time.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

import numpy as np
import pytest
from conftest import HOUSEHOLD, AgentFactory, envelope, published

from agents.audio.echo import EchoCanceller
from agents.audio.prosody import measure
from agents.audio.stream import Event, MicStream
from agents.audio.vad import SileroVad
from agents.audio_perception import AudioPerceptionAgent
from bus.audio_format import FRAME_S, FRAME_SAMPLES, Samples, frames, to_pcm16
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    AudioStats,
    DeviceAudio,
    DevicePlayback,
    Message,
    PartialTranscript,
    Rejected,
    SpeechStop,
    Utterance,
    new_id,
)
from devices import voices
from policies.endpointing import EndpointConfig

SR = 16000


@functools.cache
def voice(text: str, person: int = 0) -> Samples:
    return voices.speak(text, voices.profile_for(person)) * 0.6


def silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * SR), np.float32)


def audio_frames(mic: Samples, ref: Samples | None = None, *, start_seq: int = 0,
                 t0: float = 1000.0, cid: str | None = None,
                 speaker: str | None = None) -> list[DeviceAudio]:
    cid = cid or new_id()
    refs = frames(ref) if ref is not None else None
    out = []
    for i, chunk in enumerate(frames(mic)):
        out.append(DeviceAudio(
            **{**envelope(), "ts": t0 + i * FRAME_S}, device="kitchen", seq=start_seq + i,
            pcm=to_pcm16(chunk), correlation_id=cid, speaker=speaker,
            echo_ref=to_pcm16(refs[i]) if refs is not None and i < len(refs) else None))
    return out


def room_echo(played: Samples, gain: float = 0.3, delay: int = 64) -> Samples:
    return gain * np.concatenate([np.zeros(delay, np.float32), played[:-delay]])


async def wait_for(hub: MemoryHub, cls: type[Message], pred: Callable[[Message], bool]
                   = lambda m: True, timeout: float = 15.0) -> list[Message]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = [m for m in published(hub, cls) if pred(m)]
        if found:
            return found
        await asyncio.sleep(0.05)
    return []


# -- parts ---------------------------------------------------------------------------------
def test_the_echo_canceller_removes_the_loudspeaker_and_keeps_a_talker() -> None:
    played = voice("Timer set for five minutes. Anything else?")
    talker = voice("Hey Hearth, cancel all the timers.", 1)
    ec = EchoCanceller()
    residual_echo, flagged, audible = [], 0, 0
    for mic, ref in zip(frames(room_echo(played)), frames(played), strict=True):
        res, only_echo = ec.process(mic, ref)
        residual_echo.append(res)
        if float(np.mean(mic ** 2)) > 1e-5:  # the loudspeaker is audible in this frame
            audible += 1
            flagged += only_echo
    res = np.concatenate(residual_echo)
    echo_energy = float(np.mean(room_echo(played) ** 2))
    assert float(np.mean(res[SR // 2:] ** 2)) < 0.01 * echo_energy  # > 20 dB down
    assert ec.delay == 64 and ec.gain == pytest.approx(0.3, abs=0.02)
    assert flagged > 0.9 * audible
    # Double talk, once the echo path is known: the person stays in the residual and is not
    # flagged as echo (the canceller keeps its estimate from the playback before).
    n = min(played.size, talker.size)
    kept, talk_frames = 0, 0
    for mic, ref, person in zip(frames(room_echo(played[:n]) + talker[:n]), frames(played[:n]),
                                frames(talker[:n]), strict=True):
        res, only_echo = ec.process(mic, ref)
        if float(np.mean(person ** 2)) > 1e-3:
            talk_frames += 1
            kept += not only_echo
    assert kept >= 0.9 * talk_frames
    # From the very first frame of playback (the echo path not known yet), a person louder
    # than the loudspeaker's echo is still heard.
    fresh = EchoCanceller()
    flags = [fresh.process(mic, ref)[1] for mic, ref, person in zip(
        frames(room_echo(played[:n]) + talker[:n]), frames(played[:n]), frames(talker[:n]),
        strict=True) if float(np.mean(person ** 2)) > 1e-3]
    assert flags.count(False) >= 0.6 * len(flags)


def test_prosody_of_a_command() -> None:
    audio = voice("Hey Hearth, set a timer for five minutes.")
    p = measure(audio, 8)
    assert p.duration_s == pytest.approx(audio.size / SR, abs=0.01)
    assert 70 < (p.pitch_hz or 0) < 300
    assert -30 < p.loudness_dbfs < -5
    assert 1.5 < p.speech_rate_wps < 6
    assert len(p.energy_contour) == len(p.pitch_contour) == 8
    assert max(p.energy_contour) == 1.0
    higher = measure(voice("Hey Hearth, set a timer for five minutes.", 1), 8)
    assert (higher.pitch_hz or 0) > (p.pitch_hz or 0) * 1.1  # person 1's voice is higher
    assert p.pitch_end_slope_st_s is not None and p.pitch_range_st is not None
    # A rising tone at the end (a synthetic question) has a positive end slope.
    t = np.arange(SR) / SR
    rising = (0.5 * np.sin(2 * np.pi * (120 * t + 40 * t * t))).astype(np.float32)
    assert (measure(rising, 1).pitch_end_slope_st_s or 0) > 3


def test_the_stream_finds_one_utterance_and_counts_frame_trouble() -> None:
    stream = MicStream(SileroVad(), EndpointConfig())
    mic = np.concatenate([silence(0.4), voice("Cancel the timer."), silence(1.0)])
    events = [e for f in audio_frames(mic) for e, _ in stream.feed(f)]
    assert events.count(Event.ONSET) == 1
    assert events.count(Event.SPECULATE) >= 1  # again after each pause between words
    assert events.count(Event.END) == 1  # the speculative text was never set: hold_silence
    stream2 = MicStream(SileroVad(), EndpointConfig())
    fs = audio_frames(silence(0.5))
    for f in [fs[0], fs[1], fs[3], fs[2], fs[3], fs[5]]:
        stream2.feed(f)
    c = stream2.counts
    assert (c.frames, c.lost, c.out_of_order, c.duplicates) == (4, 2, 1, 1)
    # A new stream id (the device restarted) starts counting afresh.
    stream2.feed(fs[0].model_copy(update={"stream": "mic2", "seq": 0}))
    assert stream2.next_seq == 1 and stream2.counts.lost == 2


# -- the agent -----------------------------------------------------------------------------
@pytest.fixture
async def ears(start_agent: AgentFactory) -> AudioPerceptionAgent:
    agent: AudioPerceptionAgent = await start_agent(AudioPerceptionAgent)
    return agent


async def feed(bus: MemoryBus, msgs: list[DeviceAudio], pace: float = 0.0) -> None:
    for m in msgs:
        await bus.publish(m)
        await asyncio.sleep(pace)


async def test_a_spoken_command_becomes_an_utterance_with_partials(
        ears: AudioPerceptionAgent, hub: MemoryHub) -> None:
    bus = MemoryBus(hub, name="kitchen")
    speech = voice("Hey Hearth, set a timer for five minutes.")
    msgs = audio_frames(np.concatenate([silence(0.3), speech, silence(1.2)]),
                        speaker="alice")
    # A little slower than instantaneous, so a partial can land while the speech goes on.
    await feed(bus, msgs, pace=FRAME_S / 3)
    found = await wait_for(hub, Utterance)
    assert len(found) == 1
    u = found[0]
    assert isinstance(u, Utterance)
    text = u.text.lower()
    assert "timer for" in text and ("five minutes" in text or "5 minutes" in text)
    assert u.speaker == "alice" and u.language == "en" and 0.3 < u.confidence <= 1.0
    assert u.correlation_id == msgs[0].correlation_id
    assert u.prosody is not None and not u.during_assistant_speech
    assert u.prosody.duration_s == pytest.approx(speech.size / SR, abs=0.35)
    assert 1000.1 < u.start_ts < u.end_ts < 1000.3 + speech.size / SR + 0.2
    partials = published(hub, PartialTranscript)
    assert partials and all(p.segment_id == partials[0].segment_id for p in partials)
    assert published(hub, SpeechStop) == []


async def test_bad_and_out_of_order_frames_are_counted_and_never_crash(
        ears: AudioPerceptionAgent, hub: MemoryHub) -> None:
    bus = MemoryBus(hub, name="kitchen")
    fs = audio_frames(silence(1.0))
    await feed(bus, [fs[0], fs[1], fs[4], fs[2], fs[4]])
    await bus.publish_raw("hh.h1.device.kitchen.audio", b"\x93\x01\x02")  # not a map
    raw = fs[5].model_dump(mode="python")
    raw["pcm"] = b"\0" * 33
    import msgpack

    await bus.publish_raw("hh.h1.device.kitchen.audio", msgpack.packb(raw, use_bin_type=True))
    await feed(bus, fs[5:])
    await hub.settle()
    stats = await wait_for(hub, AudioStats)
    assert stats and isinstance(stats[0], AudioStats) and stats[0].lost == 2
    counts = ears.devices[(HOUSEHOLD, "kitchen")].mic.counts
    assert (counts.lost, counts.out_of_order, counts.duplicates) == (2, 1, 1)
    assert len(published(hub, Rejected)) >= 2
    assert counts.frames == len(fs) - 2  # every good, in-order frame was used


async def test_the_assistants_own_voice_in_the_microphone_is_not_heard(
        ears: AudioPerceptionAgent, hub: MemoryHub) -> None:
    bus = MemoryBus(hub, name="kitchen")
    played = np.concatenate([voice("Timer set for five minutes. Anything else?"), silence(1.0)])
    await bus.publish(DevicePlayback(**envelope(), device="kitchen", response_id="r1",
                                     state="started"))
    await feed(bus, audio_frames(room_echo(played), played))
    await bus.publish(DevicePlayback(**envelope(), device="kitchen", response_id="r1",
                                     state="finished"))
    await asyncio.sleep(2.0)
    assert published(hub, Utterance) == []
    assert published(hub, SpeechStop) == []
    # Control: a device that does not report what it plays gets its echo transcribed.
    other = MemoryBus(hub, name="hall")
    msgs = [m.model_copy(update={"device": "hall"})
            for m in audio_frames(room_echo(played), None)]
    await feed(other, msgs)
    heard = await wait_for(hub, Utterance, lambda m: getattr(m, "device", "") == "hall")
    assert heard and "five minutes" in heard[0].text.lower()  # type: ignore[attr-defined]


async def _talk_over(bus: MemoryBus, hub: MemoryHub,
                     words: str) -> tuple[int | None, float, Samples]:
    """Play a long answer and have someone say ``words`` over it from 0.5 s on.

    Returns the frame index at which ``speech.stop`` appeared (None: never), the onset and
    the person's track.
    """
    answer = voice("2 minutes 49 seconds left on the 3 minute timer; 9 minutes left on the "
                   "10 minute timer.")
    person = voice(words, 1)
    start = int(0.5 * SR)
    talk = np.zeros_like(answer)
    talk[start:start + person.size] = person[: answer.size - start]
    await bus.publish(DevicePlayback(**envelope(), device="kitchen", response_id="r1",
                                     state="started"))
    stopped_at = None
    for i, msg in enumerate(audio_frames(room_echo(answer) + talk, answer)):
        await bus.publish(msg)
        await hub.settle(2)
        if stopped_at is None and published(hub, SpeechStop):
            stopped_at = i
    await feed(bus, audio_frames(silence(1.2), start_seq=answer.size // FRAME_SAMPLES + 1,
                                 t0=1000.0 + answer.size / SR))
    return stopped_at, 0.5, talk


async def test_talking_over_the_assistant_stops_it(ears: AudioPerceptionAgent,
                                                    hub: MemoryHub) -> None:
    bus = MemoryBus(hub, name="kitchen")
    stopped_at, onset, talk = await _talk_over(bus, hub, "Hey Hearth, cancel all the timers.")
    assert stopped_at is not None
    stop = published(hub, SpeechStop)[0]
    assert stop.response_id == "r1" and stop.device == "kitchen"
    # Decided on the audio itself, as soon as the person's voiced frames (pauses between
    # words not counted) add up to the threshold, give or take the VAD's frames.
    voiced = np.cumsum([float(np.mean(f ** 2)) > 1e-4 for f in frames(talk)]) * FRAME_S
    due = int(np.searchsorted(voiced, ears.barge.min_speech_s))
    assert due - 4 <= stopped_at <= due + 4
    assert stopped_at * FRAME_S < onset + voice("Hey Hearth, cancel all the timers.", 1).size / SR
    assert "talked over the assistant" in stop.reason
    assert stop.onset_ts is not None and abs(stop.onset_ts - (1000.0 + onset)) < 0.25
    found = await wait_for(hub, Utterance)
    assert found and found[0].during_assistant_speech  # type: ignore[attr-defined]


async def test_a_backchannel_over_the_assistant_does_not_stop_it(
        ears: AudioPerceptionAgent, hub: MemoryHub) -> None:
    bus = MemoryBus(hub, name="kitchen")
    stopped_at, _, _ = await _talk_over(bus, hub, "Okay.")
    await asyncio.sleep(1.5)  # the final transcript is judged too
    assert stopped_at is None and published(hub, SpeechStop) == []
