"""``hearth bench asr`` and ``hearth bench speech``: how fast Hearth hears and answers.

Both run the real thing: nats-server, the agents as Ray actors, and an audio device
simulator that streams synthesized commands in real time. Latencies are wall-clock, measured
in the driver from the moment the last audible sample of a command left the simulated
microphone ("end of speech"):

- ``final_transcript_ms``: end of speech -> ``perception.utterance`` (includes the pause the
  endpointer must hear before it may end the utterance, ``endpoint_silence_s``).
- ``asr_rtf``: Whisper compute time / audio duration, measured in this process on the same
  audio with the same settings (``asr_compute_ms`` is the time per command).
- ``tts_first_audio_ms``: ``response.say`` published -> first ``device.speaker`` frame.
- ``loop_first_audio_ms``: end of speech -> first ``device.speaker`` frame of the answer.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from agents.audio.asr import AsrConfig, WhisperAsr
from agents.registry import FLOW_AGENTS
from bus.messages import DeviceSpeaker, Message, ResponseSay, Utterance
from devices import voices
from devices.audio_sim import AudioDeviceSimulator, Line
from devices.sim import DeviceSimulator
from hearth.stack import Stack
from policies.endpointing import EndpointConfig
from scenarios.recorder import Recorder

COMMANDS = (
    "Hey Hearth, set a timer for five minutes.",
    "Hey Hearth, cancel the timer.",
    "Hey Hearth, set a timer for ten minutes.",
    "Hey Hearth, which timers are running?",
    "Hey Hearth, set a timer for two minutes.",
    "Hey Hearth, how much time is left?",
    "Set a timer for three minutes.",
    "Hey Hearth, set a timer for twenty seconds.",
)
ANSWERS = (
    "Timer set for 5 minutes.",
    "There are no timers running.",
    "Your pasta timer is done. Anything else?",
    "2 minutes 30 seconds left on the 3 minute timer.",
)
_NUMBERS = {"2": "two", "3": "three", "5": "five", "10": "ten", "20": "twenty"}


async def finish_audio_lines(sim: DeviceSimulator) -> None:
    """``hearth device sim --audio --say``: wait until the lines have been spoken."""
    if isinstance(sim, AudioDeviceSimulator):
        await sim.spoken()


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def _words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[a-z0-9']+", text.lower()):
        out.append(_NUMBERS.get(w, w))
    return out


def word_errors(ref: str, hyp: str) -> int:
    """Levenshtein distance over words."""
    r, h = _words(ref), _words(hyp)
    row = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, row[0] = row[0], i
        for j, hw in enumerate(h, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (rw != hw))
    return row[-1]


def _config(model: str, min_window_s: float) -> dict[str, Any]:
    return {"audio_perception": {"asr": {"model": model, "min_window_s": min_window_s}},
            "speech": {"preload": True}}


def _voice_of(speaker: str | None) -> voices.VoiceProfile:
    return voices.profile_for(int((speaker or "p0")[1:]) % 3)


async def _say_and_wait(sim: AudioDeviceSimulator, recorder: Recorder, text: str,
                        speaker: str, want: type[Message],
                        timeout: float = 15.0) -> tuple[Line, Message | None, float | None]:
    mark = recorder.mark()
    truth = await sim.hear(text, speaker=speaker)
    line = sim.lines[-1]
    seen = await recorder.wait_for(
        mark, lambda m: isinstance(m, want) and m.correlation_id == truth.correlation_id,
        timeout)
    if seen is None or line.speech_end_at is None:
        return line, None, None
    return line, seen.msg, (seen.wall - line.speech_end_at) * 1000.0


def _speaker_of(cid: str) -> Callable[[Message], bool]:
    return lambda m: isinstance(m, DeviceSpeaker) and m.correlation_id == cid


def _utterance_of(cid: str) -> Callable[[Message], bool]:
    return lambda m: isinstance(m, Utterance) and m.correlation_id == cid


def _asr_offline(model: str, min_window_s: float, n: int) -> dict[str, Any]:
    asr = WhisperAsr(AsrConfig(model=model, min_window_s=min_window_s))
    rtf, compute = [], []
    for i in range(n):
        audio = voices.speak(COMMANDS[i % len(COMMANDS)], voices.profile_for(i % 3)) * 0.66
        result = asr.transcribe(audio)
        compute.append(result.compute_ms)
        rtf.append(result.compute_ms / 1000.0 / result.audio_s)
    return {"asr_rtf": round(statistics.mean(rtf), 3),
            "asr_compute_ms_p50": _pct(compute, 0.5)}


def _machine() -> dict[str, Any]:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"cpus": os.cpu_count(), "load_avg_1m": round(load, 2) if load is not None else None}


async def bench_asr(n: int = 8, model: str = "tiny.en", min_window_s: float = 10.0,
                    nats_url: str | None = None) -> dict[str, Any]:
    household = f"bench-asr-{uuid.uuid4().hex[:6]}"
    latencies: list[float] = []
    errors = words = missing = 0
    async with Stack(nats_url=nats_url, kinds=(), audio=True,
                     config=_config(model, min_window_s)) as stack:
        assert stack.bus is not None
        recorder = Recorder(stack.bus, household)
        await recorder.start()
        sim = await AudioDeviceSimulator(stack.bus, household, "bench", voice_of=_voice_of).start()
        try:
            for i in range(n):
                text = COMMANDS[i % len(COMMANDS)]
                _line, msg, ms = await _say_and_wait(sim, recorder, text, f"p{i % 3}", Utterance)
                if not isinstance(msg, Utterance) or ms is None:
                    missing += 1
                    continue
                latencies.append(ms)
                errors += word_errors(text, msg.text)
                words += len(_words(text))
                await asyncio.sleep(0.5)
        finally:
            await sim.stop()
            await recorder.stop()
    offline = await asyncio.get_running_loop().run_in_executor(
        None, _asr_offline, model, min_window_s, n)
    return {
        "bench": "asr", "model": model, "min_window_s": min_window_s, "n": n,
        "final_transcript_ms_p50": _pct(latencies, 0.5),
        "final_transcript_ms_p90": _pct(latencies, 0.9),
        "final_transcript_ms_max": _pct(latencies, 1.0),
        **offline,
        "wer": round(errors / words, 3) if words else None,
        "missing": missing,
        "endpoint_silence_s": EndpointConfig().silence_s,
        **_machine(),
    }


def _tts_offline(n: int) -> float | None:
    from agents.tts.piper import PiperSynthesizer

    synth = PiperSynthesizer()
    times = []
    for i in range(n):
        began = time.perf_counter()
        next(iter(synth.sentences(ANSWERS[i % len(ANSWERS)])))
        times.append((time.perf_counter() - began) * 1000.0)
    return _pct(times, 0.5)


async def bench_speech(n: int = 8, model: str = "tiny.en", min_window_s: float = 10.0,
                       nats_url: str | None = None) -> dict[str, Any]:
    household = f"bench-speech-{uuid.uuid4().hex[:6]}"
    tts_ms: list[float] = []
    loop_ms: list[float] = []
    final_ms: list[float] = []
    async with Stack(nats_url=nats_url, kinds=FLOW_AGENTS, audio=True,
                     config=_config(model, min_window_s)) as stack:
        assert stack.bus is not None
        recorder = Recorder(stack.bus, household)
        await recorder.start()
        sim = await AudioDeviceSimulator(stack.bus, household, "bench", voice_of=_voice_of).start()
        try:
            await asyncio.sleep(1.0)  # the speech agent loads its voice when the device appears
            for i in range(n):
                say = ResponseSay(ts=time.time(), household=household, source="bench",
                                  device="bench", text=ANSWERS[i % len(ANSWERS)])
                mark, began = recorder.mark(), time.monotonic()
                await stack.bus.publish(say)
                seen = await recorder.wait_for(mark, _speaker_of(say.correlation_id), 10.0)
                if seen is not None:
                    tts_ms.append((seen.wall - began) * 1000.0)
                await asyncio.sleep(3.5)  # let it play out
            for i in range(n):
                text = COMMANDS[i % len(COMMANDS)]
                mark = recorder.mark()
                line, _msg, ms = await _say_and_wait(sim, recorder, text, f"p{i % 3}",
                                                     DeviceSpeaker)
                if ms is not None:
                    loop_ms.append(ms)
                heard = recorder.find(mark, _utterance_of(line.correlation_id))
                if heard is not None and line.speech_end_at is not None:
                    final_ms.append((heard.wall - line.speech_end_at) * 1000.0)
                await asyncio.sleep(4.0)
        finally:
            await sim.stop()
            await recorder.stop()
    synth_ms = await asyncio.get_running_loop().run_in_executor(None, _tts_offline, n)
    return {
        "bench": "speech", "model": model, "n": n,
        "tts_first_audio_ms_p50": _pct(tts_ms, 0.5),
        "tts_first_audio_ms_p90": _pct(tts_ms, 0.9),
        "tts_synth_first_sentence_ms_p50": synth_ms,
        "loop_first_audio_ms_p50": _pct(loop_ms, 0.5),
        "loop_first_audio_ms_p90": _pct(loop_ms, 0.9),
        "final_transcript_ms_p50": _pct(final_ms, 0.5),
        "answered": len(loop_ms),
        **_machine(),
    }


def summary_line(result: dict[str, Any]) -> str:
    if result.get("bench") == "asr":
        return (f"end of speech -> final transcript p50 {result['final_transcript_ms_p50']} ms "
                f"(p90 {result['final_transcript_ms_p90']}), ASR RTF {result['asr_rtf']}, "
                f"compute p50 {result['asr_compute_ms_p50']} ms, WER {result['wer']}")
    return (f"TTS first audio p50 {result['tts_first_audio_ms_p50']} ms; end of speech -> "
            f"first audio p50 {result['loop_first_audio_ms_p50']} ms "
            f"(p90 {result['loop_first_audio_ms_p90']})")
