"""One device's microphone stream: frame order, echo removal, VAD and utterance segments.

``MicStream.feed`` takes a ``device.audio`` frame and returns what happened in it: an
utterance began, a partial or speculative transcription is due, the utterance ended. It does
no I/O and never blocks; the agent acts on the events (transcribe, publish).
"""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from agents.audio.echo import EchoCanceller
from agents.audio.vad import SileroVad, VadState
from bus.audio_format import FRAME_S, FRAME_SAMPLES, Samples, to_float
from bus.messages import DeviceAudio
from policies.endpointing import EndpointConfig, Hysteresis, silence_needed

_segment_ids = itertools.count(1)


class Event(Enum):
    ONSET = "onset"  # speech began (``segment`` is new)
    SPEECH = "speech"  # another speech window (for barge-in timing)
    PARTIAL = "partial"  # time for a partial transcript of the speech so far
    SPECULATE = "speculate"  # a pause began: transcribe now, the end may be near
    END = "end"  # the utterance is over


@dataclass
class Segment:
    id: str
    first: DeviceAudio  # the frame that opened it (its interaction, its household)
    onset_ts: float  # bus time of the first speech window
    audio: list[Samples] = field(default_factory=list)
    onset_samples: int = 0  # where the speech starts in ``audio`` (after the pre-roll)
    speech_s: float = 0.0
    speech_end_ts: float = 0.0
    speech_end_samples: int = 0  # audio length up to the end of the last speech window
    silence_s: float = 0.0
    next_partial_s: float = 0.0
    speakers: collections.Counter[str] = field(default_factory=collections.Counter)
    spec_text: str | None = None  # speculative transcript of the audio up to the pause
    spec_samples: int = 0  # audio length the speculative transcript covers
    spec_pending: bool = False
    partial_text: str | None = None
    overlapped_s: float = 0.0  # speech while the assistant was playing on this device
    barge_in_done: bool = False

    def samples(self, upto: int | None = None) -> Samples:
        joined = np.concatenate(self.audio) if self.audio else np.zeros(0, np.float32)
        return joined if upto is None else joined[:upto]

    @property
    def length(self) -> int:
        return sum(a.size for a in self.audio)

    def speaker(self) -> str | None:
        return self.speakers.most_common(1)[0][0] if self.speakers else None


@dataclass
class StreamCounts:
    frames: int = 0
    lost: int = 0
    out_of_order: int = 0
    duplicates: int = 0
    dropped_jobs: int = 0
    segments: int = 0

    def problems(self) -> int:
        return self.lost + self.out_of_order + self.duplicates + self.dropped_jobs


class MicStream:
    def __init__(self, vad: SileroVad, cfg: EndpointConfig) -> None:
        self.vad = vad
        self.cfg = cfg
        self.stream: str | None = None
        self.next_seq: int | None = None
        self.counts = StreamCounts()
        self._recent: collections.deque[int] = collections.deque(maxlen=64)
        self._reset_signal()
        self.segment: Segment | None = None
        self.playing: str | None = None  # response id the device reports it is playing

    def _reset_signal(self) -> None:
        self.vad_state = VadState()
        self.hyst = Hysteresis(self.cfg)
        self.echo = EchoCanceller()
        self._mic_tail = np.zeros(0, np.float32)
        self._ref_tail = np.zeros(0, np.float32)
        self._pre_roll: collections.deque[Samples] = collections.deque(
            maxlen=max(1, int(self.cfg.pre_roll_s / FRAME_S)))

    @property
    def assistant_playing(self) -> bool:
        return self.playing is not None or self.echo.playing_frames > 0

    # -- frame order ----------------------------------------------------------------------
    def _accept(self, msg: DeviceAudio) -> bool:
        if msg.stream != self.stream:  # a new stream (device restart): start over
            self.stream, self.next_seq = msg.stream, None
            self._recent.clear()
            self._reset_signal()
        if self.next_seq is not None and msg.seq < self.next_seq:
            if msg.seq in self._recent:
                self.counts.duplicates += 1
            else:
                self.counts.out_of_order += 1  # too late to use: its moment has passed
            return False
        if self.next_seq is not None and msg.seq > self.next_seq:
            self.counts.lost += msg.seq - self.next_seq
        self.next_seq = msg.seq + 1
        self._recent.append(msg.seq)
        self.counts.frames += 1
        return True

    # -- signal ---------------------------------------------------------------------------
    def feed(self, msg: DeviceAudio) -> list[tuple[Event, Segment]]:
        if not self._accept(msg):
            return []
        mic = to_float(msg.pcm)
        ref = to_float(msg.echo_ref) if msg.echo_ref is not None else np.zeros_like(mic)
        if ref.size != mic.size:
            ref = np.resize(ref, mic.size) if ref.size else np.zeros_like(mic)
        self._mic_tail = np.concatenate([self._mic_tail, mic])
        self._ref_tail = np.concatenate([self._ref_tail, ref])
        events: list[tuple[Event, Segment]] = []
        # Frames of 20-40 ms are re-cut into the 32 ms windows the VAD takes.
        offset = 0
        while self._mic_tail.size - offset >= FRAME_SAMPLES:
            window = self._mic_tail[offset:offset + FRAME_SAMPLES]
            reference = self._ref_tail[offset:offset + FRAME_SAMPLES]
            ts = msg.ts + (offset - (self._mic_tail.size - mic.size)) / 16000.0
            offset += FRAME_SAMPLES
            events.extend(self._window(msg, window, reference, ts))
        self._mic_tail = self._mic_tail[offset:]
        self._ref_tail = self._ref_tail[offset:]
        return events

    def _window(self, msg: DeviceAudio, window: Samples, reference: Samples,
                ts: float) -> list[tuple[Event, Segment]]:
        residual, only_echo = self.echo.process(window, reference)
        prob = self.vad.prob(self.vad_state, residual)
        if only_echo:
            prob = 0.0  # the assistant's own voice: never speech
        speech = self.hyst.step(prob)
        seg = self.segment
        if seg is None:
            self._pre_roll.append(residual)
            if not speech:
                return []
            seg = Segment(f"seg{next(_segment_ids)}", msg,
                          onset_ts=ts - (self.cfg.start_frames - 1) * FRAME_S,
                          audio=list(self._pre_roll),
                          onset_samples=max(0, (len(self._pre_roll) - self.cfg.start_frames)
                                            * FRAME_SAMPLES))
            self._pre_roll.clear()
            self.segment = seg
            self.counts.segments += 1
            seg.next_partial_s = self.cfg.partial_every_s
            events = [(Event.ONSET, seg)]
            self._speech(seg, msg, ts, self.cfg.start_frames * FRAME_S)
            events.append((Event.SPEECH, seg))
            return events
        seg.audio.append(residual)
        if speech:
            self._speech(seg, msg, ts, FRAME_S)
            events = [(Event.SPEECH, seg)]
            if seg.speech_s >= seg.next_partial_s:
                seg.next_partial_s += self.cfg.partial_every_s
                events.append((Event.PARTIAL, seg))
            if seg.speech_s >= self.cfg.max_utterance_s:
                self.segment = None
                events.append((Event.END, seg))
            return events
        seg.silence_s += FRAME_S
        events = []
        if (seg.spec_text is None and not seg.spec_pending
                and seg.silence_s >= self.cfg.speculate_after_s):
            seg.spec_pending = True
            seg.spec_samples = seg.length
            events.append((Event.SPECULATE, seg))
        if self.ended(seg):
            self.segment = None
            events.append((Event.END, seg))
        return events

    def _speech(self, seg: Segment, msg: DeviceAudio, ts: float, dur: float) -> None:
        seg.speech_s += dur
        seg.speech_end_ts = ts + FRAME_S
        seg.speech_end_samples = seg.length
        seg.silence_s = 0.0
        if self.assistant_playing:
            seg.overlapped_s += dur
        if msg.speaker:
            seg.speakers[msg.speaker] += 1
        # Speech came back: the speculative transcript no longer covers the utterance.
        seg.spec_text, seg.spec_pending = None, False

    def ended(self, seg: Segment) -> bool:
        """Has the pause after ``seg`` lasted long enough, given what was said?"""
        if seg.silence_s >= self.cfg.hold_silence_s:
            return True
        if seg.spec_text is None:
            return False  # the words decide how long to wait; they are not known yet
        return seg.silence_s >= silence_needed(seg.spec_text, self.cfg)

    def settle(self, seg: Segment) -> bool:
        """A speculative transcript arrived: end the utterance now if the pause suffices."""
        if self.segment is seg and self.ended(seg):
            self.segment = None
            return True
        return False
