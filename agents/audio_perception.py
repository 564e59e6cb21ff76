"""Audio perception: microphone frames become utterances (VAD + faster-whisper).

Per device stream: the echo of the assistant's own voice is taken out (devices send what
they play with every frame), Silero VAD finds speech, and Whisper transcribes it: a partial
transcript about every second while speech goes on, a speculative one as soon as a pause
begins, and the final ``perception.utterance`` (language, confidence, timing, prosody) when
the pause is long enough for what was said. Someone talking over the assistant is judged by
the barge-in policy; a real interruption publishes ``speech.stop`` at once.

Transcription runs in a thread pool; each device has its own small job queue (partials are
dropped when it is full, finals never), so one busy device cannot hold up the others beyond
its turn on the pool. The model is loaded once per actor, in ``on_start``.

Config (``audio_perception`` in the agent config): ``asr`` (see ``AsrConfig``: model
``tiny.en``/``base``/a directory, ``min_window_s``, threads), ``multilingual_model`` ("base":
heard instead while an interpreter session or a second language needs languages told apart),
``preload_multilingual`` (load it at start), ``endpoint`` (see
``EndpointConfig``), ``barge_in_min_speech_s``, ``queue`` (jobs per device).
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import numpy as np

from agents import language_state
from agents.audio.asr import AsrConfig, Transcript, WhisperAsr
from agents.audio.prosody import loudness_01, measure
from agents.audio.stream import Event, MicStream, Segment
from agents.audio.vad import SileroVad
from agents.base import Agent, on
from bus.audio_format import SAMPLE_RATE
from bus.messages import (
    AudioStats,
    DeviceAudio,
    DevicePlayback,
    PartialTranscript,
    SpeechStop,
    Utterance,
)
from policies import barge_in
from policies.endpointing import EndpointConfig

log = logging.getLogger(__name__)

JobKind = Literal["partial", "speculate", "final"]
STATS_EVERY_S = 1.0


@dataclass
class Job:
    kind: JobKind
    segment: Segment
    samples: int  # how much of the segment's audio to transcribe


@dataclass
class DeviceState:
    household: str
    device: str
    mic: MicStream
    jobs: collections.deque[Job]
    wake: asyncio.Event
    lock: asyncio.Lock
    worker: asyncio.Task[None] | None = None
    stats_at: float = -1e18
    reported: int = 0


def _section(config: Mapping[str, Any], key: str) -> dict[str, Any]:
    raw = config.get(key, {})
    return dict(raw) if isinstance(raw, Mapping) else {}


class AudioPerceptionAgent(Agent):
    NAME = "audio_perception"
    PUBLISHES = (Utterance, PartialTranscript, SpeechStop, AudioStats)

    async def on_start(self) -> None:
        cfg = _section(self.config, "audio_perception")
        self.asr_cfg = AsrConfig.from_mapping(cfg.get("asr"))
        ep = _section(cfg, "endpoint")
        self.endpoint = EndpointConfig(**{f.name: ep[f.name] for f in fields(EndpointConfig)
                                          if f.name in ep})
        self.barge = barge_in.BargeInConfig(
            min_speech_s=float(cfg.get("barge_in_min_speech_s",
                                       barge_in.BargeInConfig.min_speech_s)))
        self.max_jobs = int(cfg.get("queue", 2))
        self.pool = ThreadPoolExecutor(max_workers=max(1, self.asr_cfg.num_workers),
                                       thread_name_prefix="asr")
        loop = asyncio.get_running_loop()
        self.vad = SileroVad()
        self.asr = await loop.run_in_executor(self.pool, WhisperAsr.shared, self.asr_cfg)
        # The first call pays one-off allocation costs; pay them before any device speaks.
        await loop.run_in_executor(self.pool, self.asr.transcribe,
                                   np.zeros(SAMPLE_RATE // 2, np.float32))
        # Multilingual hearing for interpreter sessions and bilingual households.
        self.multi_model = str(cfg.get("multilingual_model", "base"))
        self.asr_multi: WhisperAsr | None = None
        if cfg.get("preload_multilingual"):
            self.asr_multi = await loop.run_in_executor(
                self.pool, WhisperAsr.shared, replace(self.asr_cfg, model=self.multi_model,
                                                      hotwords=""))
        self.devices: dict[tuple[str, str], DeviceState] = {}
        self._spec: dict[str, Transcript] = {}  # segment id -> its speculative transcript

    async def on_stop(self) -> None:
        for state in self.devices.values():
            if state.worker is not None:
                state.worker.cancel()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def state(self, household: str, device: str) -> DeviceState:
        key = (household, device)
        st = self.devices.get(key)
        if st is None:
            st = DeviceState(household, device, MicStream(self.vad, self.endpoint),
                             collections.deque(), asyncio.Event(), asyncio.Lock())
            st.worker = asyncio.create_task(self._work(st))
            self.devices[key] = st
        return st

    # -- what devices tell us ---------------------------------------------------------------
    @on(DevicePlayback)
    async def playback(self, msg: DevicePlayback) -> None:
        st = self.state(msg.household, msg.device)
        if msg.state == "started":
            st.mic.playing = msg.response_id
        elif st.mic.playing == msg.response_id:
            st.mic.playing = None

    @on(DeviceAudio)
    async def frame(self, msg: DeviceAudio) -> None:
        st = self.state(msg.household, msg.device)
        async with st.lock:
            for event, seg in st.mic.feed(msg):
                await self._event(st, event, seg)
            await self._report(st, msg)

    async def _event(self, st: DeviceState, event: Event, seg: Segment) -> None:
        if event is Event.SPEECH:
            if seg.overlapped_s > 0 and not seg.barge_in_done:
                await self._judge_barge_in(st, seg, seg.partial_text, final=False)
        elif event is Event.PARTIAL:
            self._submit(st, Job("partial", seg, seg.length))
        elif event is Event.SPECULATE:
            self._submit(st, Job("speculate", seg, seg.spec_samples))
        elif event is Event.END:
            await self._end(st, seg)

    async def _end(self, st: DeviceState, seg: Segment) -> None:
        if seg.speech_s < self.endpoint.min_speech_s:
            self._spec.pop(seg.id, None)
            return  # a click or a cough: not an utterance
        if seg.spec_text is not None and seg.spec_samples >= seg.speech_end_samples:
            await self._final(st, seg, seg.spec_text, self._spec.pop(seg.id, None))
        elif seg.spec_pending:
            return  # the speculative job covers it; its result finishes the utterance
        else:
            self._submit(st, Job("final", seg, seg.length))

    # -- transcription ----------------------------------------------------------------------
    def _submit(self, st: DeviceState, job: Job) -> None:
        if job.kind == "partial":
            if len(st.jobs) >= self.max_jobs:
                st.mic.counts.dropped_jobs += 1
                return
        else:  # the end of an utterance goes first; partials of it are stale now
            stale = [j for j in st.jobs if j.kind == "partial"]
            for j in stale:
                st.jobs.remove(j)
        st.jobs.append(job)
        st.wake.set()

    async def _work(self, st: DeviceState) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await st.wake.wait()
            st.wake.clear()
            while st.jobs:
                job = st.jobs.popleft()
                audio = job.segment.samples(job.samples)
                try:
                    asr, languages = await self._asr_for(st)
                    result = await loop.run_in_executor(self.pool, asr.transcribe, audio,
                                                        languages)
                except Exception:
                    log.exception("transcription failed on %s/%s", st.household, st.device)
                    continue
                async with st.lock:
                    await self._result(st, job, result)

    async def _asr_for(self, st: DeviceState) -> tuple[WhisperAsr, tuple[str, ...] | None]:
        """The model for this device now, and the languages its speech can be in.

        English-only tiny.en by default (fastest); the multilingual model while an
        interpreter session runs on the device or the household has a second language,
        loaded on first need (``multilingual_model``, "base").
        """
        needs = await language_state.needs(self.bus, st.household, st.device)
        if not needs.multilingual or self.asr.multilingual:
            return self.asr, needs.session.languages if needs.session else None
        if self.asr_multi is None:
            loop = asyncio.get_running_loop()
            self.asr_multi = await loop.run_in_executor(
                self.pool, WhisperAsr.shared, replace(self.asr_cfg, model=self.multi_model,
                                                      hotwords=""))
        langs = needs.session.languages if needs.session else ("en", str(needs.second))
        return self.asr_multi, langs

    async def _result(self, st: DeviceState, job: Job, result: Transcript) -> None:
        seg = job.segment
        if job.kind == "partial":
            if st.mic.segment is not seg or not result.text:
                return
            seg.partial_text = result.text
            await self.publish(self.derive(
                seg.first, PartialTranscript, device=st.device, speaker=seg.speaker(),
                text=result.text, segment_id=seg.id, start_ts=seg.onset_ts,
                audio_s=round(job.samples / SAMPLE_RATE, 3)))
            if seg.overlapped_s > 0 and not seg.barge_in_done:
                await self._judge_barge_in(st, seg, result.text, final=False)
            return
        if job.kind == "speculate":
            if not seg.spec_pending or seg.spec_samples != job.samples:
                return  # speech resumed since: this text is out of date
            seg.spec_pending = False
            seg.spec_text = result.text
            if st.mic.segment is seg and not st.mic.settle(seg):
                self._spec[seg.id] = result  # the pause goes on; the words ask to wait longer
                return
            await self._final(st, seg, result.text, result)
            return
        await self._final(st, seg, result.text, result)

    async def _final(self, st: DeviceState, seg: Segment, text: str,
                     result: Transcript | None) -> None:
        self._spec.pop(seg.id, None)
        if seg.overlapped_s > 0 and not seg.barge_in_done:
            await self._judge_barge_in(st, seg, text, final=True)
        if not text:
            return
        speech = seg.samples(seg.speech_end_samples)[seg.onset_samples:]
        prosody = measure(speech, len(text.split()))
        await self.publish(self.derive(
            seg.first, Utterance, device=st.device, speaker=seg.speaker(), text=text,
            language=result.language if result else "en",
            confidence=round(result.confidence, 3) if result else 0.5,
            loudness=round(loudness_01(prosody.loudness_dbfs), 3),
            start_ts=seg.onset_ts, end_ts=seg.speech_end_ts, prosody=prosody,
            during_assistant_speech=seg.overlapped_s > 0,
        ))

    # -- barge-in ---------------------------------------------------------------------------
    async def _judge_barge_in(self, st: DeviceState, seg: Segment, text: str | None,
                              final: bool) -> None:
        verdict = barge_in.decide(seg.overlapped_s, text, final, self.barge)
        if verdict.action is not barge_in.BargeIn.STOP:
            if verdict.action is barge_in.BargeIn.IGNORE:
                seg.barge_in_done = True
            return
        seg.barge_in_done = True
        await self.publish(self.derive(
            seg.first, SpeechStop, device=st.device, response_id=st.mic.playing,
            reason=verdict.reason, onset_ts=seg.onset_ts))

    async def _report(self, st: DeviceState, msg: DeviceAudio) -> None:
        counts = st.mic.counts
        if counts.problems() == st.reported:
            return
        now = self.now(msg.household)
        if now - st.stats_at < STATS_EVERY_S:
            return
        st.stats_at, st.reported = now, counts.problems()
        await self.publish(self.derive(
            msg, AudioStats, device=st.device, stream=st.mic.stream or msg.stream,
            frames=counts.frames, lost=counts.lost, out_of_order=counts.out_of_order,
            duplicates=counts.duplicates, dropped_jobs=counts.dropped_jobs,
            segments=counts.segments))
