"""Hearing and speaking on the real stack (nats-server, Ray, every agent, Whisper, Piper).

The flagship: "Hey Hearth, set a timer for five minutes" as synthesized audio is transcribed,
sets the timer, and the device gets the answer as spoken audio; the answer coming back into
the microphone is not heard as an utterance. Then a barge-in measured in bus time.
"""

from __future__ import annotations

import asyncio
import uuid

import numpy as np
import pytest

from bus.audio_format import FRAME_S, frames, to_float
from bus.messages import (
    DeviceAudio,
    DevicePlayback,
    DeviceSay,
    DeviceSpeaker,
    Message,
    ResponseSay,
    SkillCall,
    SpeechFinished,
    SpeechStop,
    Utterance,
)
from devices.audio_sim import AudioDeviceSimulator
from hearth.stack import Stack
from scenarios.recorder import Recorder

pytestmark = pytest.mark.integration


async def _wait(recorder: Recorder, cls: type[Message], timeout: float = 15.0,
                **where: object) -> Message:
    seen = await recorder.wait_for(
        0, lambda m: isinstance(m, cls) and all(getattr(m, k) == v for k, v in where.items()),
        timeout)
    assert seen is not None, f"no {cls.__name__} {where}"
    return seen.msg


async def test_a_spoken_timer_request_is_heard_done_and_answered_aloud(stack: Stack) -> None:
    assert stack.bus is not None
    household = f"audio-{uuid.uuid4().hex[:6]}"
    recorder = Recorder(stack.bus, household)
    await recorder.start()
    sim = await AudioDeviceSimulator(stack.bus, household, "kitchen").start()
    try:
        truth = await sim.hear("Hey Hearth, set a timer for five minutes.", speaker="alice")
        heard = await _wait(recorder, Utterance, correlation_id=truth.correlation_id)
        assert isinstance(heard, Utterance)
        text = heard.text.lower()
        assert "set a timer for" in text and ("five minutes" in text or "5 minutes" in text)
        assert heard.speaker == "alice" and heard.prosody is not None
        call = await _wait(recorder, SkillCall, intent="timer.set")
        assert isinstance(call, SkillCall) and call.slots.get("duration_s") == 300.0
        assert call.correlation_id == truth.correlation_id
        told = await _wait(recorder, DeviceSay, device="kitchen")
        assert isinstance(told, DeviceSay) and "timer set for 5 minutes" in told.text.lower()
        finished = await _wait(recorder, SpeechFinished, timeout=15.0)
        assert isinstance(finished, SpeechFinished) and not finished.interrupted
        # The device received the answer as audio and played it.
        frames_in = [f for f in sim.speaker_frames if f.pcm]
        assert len(frames_in) > 30  # > 1 s of voice
        voice = np.concatenate([to_float(f.pcm) for f in frames_in])
        assert float(np.sqrt(np.mean(voice ** 2))) > 0.02
        # Its own voice came back into the microphone and was not taken for a person.
        await asyncio.sleep(1.5)
        assert [p.state for p in sim.playback_events] == ["started", "finished"]
        utterances = [s.msg for s in recorder.seen if isinstance(s.msg, Utterance)]
        assert len(utterances) == 1, [u.text for u in utterances]  # type: ignore[attr-defined]
    finally:
        await sim.stop()
        await recorder.stop()


async def test_barge_in_stops_the_voice_within_200_ms_of_bus_time(stack: Stack) -> None:
    assert stack.bus is not None
    household = f"barge-{uuid.uuid4().hex[:6]}"
    recorder = Recorder(stack.bus, household)
    await recorder.start()
    sim = await AudioDeviceSimulator(stack.bus, household, "kitchen").start()
    try:
        await asyncio.sleep(0.5)  # the speech agent learns the device takes audio
        answer = ResponseSay(ts=sim.clock.now(household), household=household, source="test",
                             device="kitchen", text="2 minutes 49 seconds left on the 3 "
                             "minute timer; 9 minutes 55 seconds left on the 10 minute timer.")
        await stack.bus.publish(answer)
        await _wait(recorder, DevicePlayback, state="started")
        await asyncio.sleep(0.8)
        await sim.hear("Hey Hearth, cancel all the timers.", speaker="bob")
        stop = await _wait(recorder, SpeechStop)
        assert isinstance(stop, SpeechStop) and stop.response_id == answer.id
        # The microphone frame in which bob's voiced speech reached the barge-in threshold.
        line = sim.lines[-1]
        assert line.first_seq is not None
        voiced = np.cumsum([float(np.mean(f ** 2)) > 1e-4 for f in frames(line.samples)])
        due_seq = line.first_seq + int(np.searchsorted(voiced * FRAME_S, 0.75))
        # The recorder's own subscription may still be catching up on the microphone frames.
        for _ in range(100):
            mic = {s.msg.seq: s.msg for s in recorder.seen if isinstance(s.msg, DeviceAudio)}
            if due_seq in mic:
                break
            await asyncio.sleep(0.02)
        assert due_seq in mic, (due_seq, sorted(mic)[-5:])
        due_ts = mic[due_seq].ts + FRAME_S  # the end of that frame
        assert stop.ts - due_ts <= 0.2 + FRAME_S, (stop.ts - due_ts)
        stopped = await _wait(recorder, DevicePlayback, state="stopped")
        assert stopped.ts - stop.ts <= 0.2
        finished = await _wait(recorder, SpeechFinished, response_id=answer.id)
        assert isinstance(finished, SpeechFinished) and finished.interrupted
        sent = [s.msg for s in recorder.seen if isinstance(s.msg, DeviceSpeaker)]
        assert max(f.ts for f in sent) <= stop.ts + 0.2
        assert not any(f.final for f in sent)
    finally:
        await sim.stop()
        await recorder.stop()
