"""An audio device simulator: people's lines go in as microphone frames, the assistant's
voice comes out of its loudspeaker and, as in a real room, back into its microphone.

The microphone streams 32 ms frames of 16 kHz PCM16 in real time while there is something to
hear (a person talking, the loudspeaker playing, and a second of room tone after), each frame
numbered and carrying, as ``echo_ref``, what the loudspeaker played during it. The speaker
plays ``device.speaker`` frames in real time from a buffer, reports ``device.playback``
(started / finished / stopped) and flushes the buffer on ``speech.stop``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bus import subjects
from bus.audio_format import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Samples, to_float, to_pcm16
from bus.clock import BusClock
from bus.messages import (
    DeviceAudio,
    DevicePlayback,
    DeviceSay,
    DeviceSpeaker,
    DeviceTranscript,
    Message,
    SpeechStop,
)
from bus.transport import Bus, Subscription
from devices import voices
from devices.sim import DeviceSimulator, speaking_time

TAIL_S = 1.0  # room tone streamed after the last sound, so the listener hears the pause
LEAD_S = 0.1  # silence before a line


@dataclass
class Line:
    """A person's line being said into the microphone."""

    samples: Samples
    correlation_id: str
    speaker: str | None
    pos: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)
    speech_end: int = 0  # sample index just after the last audible sample
    speech_end_at: float | None = None  # time.monotonic() when that frame went out
    first_seq: int | None = None  # microphone frame that carried its first samples


@dataclass
class Playback:
    response_id: str
    buffer: list[Samples] = field(default_factory=list)
    played: int = 0  # samples played
    started: bool = False
    complete: bool = False  # the final frame has arrived


class AudioDeviceSimulator(DeviceSimulator):
    AUDIO = True

    def __init__(
        self, bus: Bus, household: str, device: str, kind: str = "speaker",
        clock: BusClock | None = None, on_say: Callable[[DeviceSay], None] | None = None,
        room: str | None = None, camera: bool | None = None, *,
        echo_gain: float = 0.3, echo_delay_s: float = 0.004, report_playback: bool = True,
        noise_dbfs: float = -70.0, voice_of: Callable[[str | None], voices.VoiceProfile]
        | None = None,
    ) -> None:
        super().__init__(bus, household, device, kind, clock, on_say, room, camera)
        self.echo_gain = echo_gain
        self.echo_delay = int(echo_delay_s * SAMPLE_RATE)
        self.report_playback = report_playback  # False: a device that hides its loopback
        self.noise = 10 ** (noise_dbfs / 20.0)
        self.voice_of = voice_of or (lambda _speaker: voices.profile_for(0))
        self.stream = uuid.uuid4().hex[:12]
        self.seq = 0
        self.lines: list[Line] = []
        self.playbacks: list[Playback] = []
        self.speaker_frames: list[DeviceSpeaker] = []  # everything the assistant sent
        self.playback_events: list[DevicePlayback] = []
        self.stops: list[SpeechStop] = []
        self._stopped: set[str] = set()
        self._played_tail = np.zeros(self.echo_delay + 256, np.float32)
        self._quiet_until = 0.0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._audio_subs: list[Subscription] = []
        self._rng = np.random.default_rng(7)

    async def start(self) -> AudioDeviceSimulator:
        await super().start()
        for cls in (DeviceSpeaker, SpeechStop):
            pattern = (subjects.pattern(cls, household=self.household, key=self.device)
                       if cls.SUBJECT_KEY else subjects.pattern(cls, household=self.household))
            self._audio_subs.append(await self.bus.subscribe(pattern, self._audio_in))
        self._task = asyncio.create_task(self._mic())
        return self

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for sub in self._audio_subs:
            await sub.unsubscribe()
        self._audio_subs.clear()
        await super().stop()

    # -- people talk ------------------------------------------------------------------------
    async def hear(
        self, text: str, speaker: str | None = None, loudness: float = 0.6,
        duration_s: float | None = None, direction_deg: float | None = None,
        directed_style: float | None = None,
    ) -> DeviceTranscript:
        """Say ``text`` into the microphone (in ``speaker``'s voice); returns at once.

        The returned transcript is the ground truth of the line (never published): its
        correlation id is the one every frame of the line carries.
        """
        await self.spoken()  # a person's lines follow one another
        profile = self.voice_of(speaker)
        loop = asyncio.get_running_loop()
        audio = await loop.run_in_executor(None, voices.speak, text, profile)
        gain = 0.3 + 0.6 * loudness  # 0.6 -> 0.66 of full scale at the peaks
        lead = np.zeros(int(LEAD_S * SAMPLE_RATE), np.float32)
        truth = DeviceTranscript(**self._envelope(), text=text, speaker=speaker,
                                 loudness=loudness, duration_s=audio.size / SAMPLE_RATE)
        samples = np.concatenate([lead, audio * gain])
        audible = np.nonzero(np.abs(samples) > 0.02 * gain)[0]
        end = int(audible[-1]) + 1 if audible.size else samples.size
        self.lines.append(Line(samples, truth.correlation_id, speaker, speech_end=end))
        self._wake.set()
        return truth

    async def spoken(self) -> None:
        """Wait until every line given so far has gone out through the microphone."""
        for line in list(self.lines):
            await line.done.wait()

    def speech_time(self, text: str) -> float:
        return speaking_time(text)

    # -- the assistant talks ------------------------------------------------------------------
    async def _audio_in(self, msg: Message, _reply_to: str | None) -> None:
        if isinstance(msg, DeviceSpeaker):
            self.speaker_frames.append(msg)
            if msg.response_id in self._stopped:
                return  # still in flight when the stop came: never played
            pb = next((p for p in self.playbacks if p.response_id == msg.response_id), None)
            if pb is None:
                pb = Playback(msg.response_id)
                self.playbacks.append(pb)
            if msg.pcm:
                pb.buffer.append(to_float(msg.pcm))
            pb.complete = pb.complete or msg.final
            self._wake.set()
        elif isinstance(msg, SpeechStop) and msg.device == self.device:
            self.stops.append(msg)
            for pb in list(self.playbacks):
                if msg.response_id in (None, pb.response_id):
                    self._stopped.add(pb.response_id)
                    self.playbacks.remove(pb)
                    if pb.started:
                        await self._playback_event(pb, "stopped")
            if msg.response_id is not None:
                self._stopped.add(msg.response_id)

    async def _playback_event(self, pb: Playback, state: str) -> None:
        msg = DevicePlayback(**self._envelope(), response_id=pb.response_id, state=state,
                             position_s=pb.played / SAMPLE_RATE)
        self.playback_events.append(msg)
        await self.bus.publish(msg)

    async def _play(self) -> Samples:
        """The next frame of loudspeaker output (zeros when idle)."""
        out = np.zeros(FRAME_SAMPLES, np.float32)
        filled = 0
        while self.playbacks and filled < FRAME_SAMPLES:
            pb = self.playbacks[0]
            if not pb.buffer:
                if pb.complete:
                    if pb.started:
                        await self._playback_event(pb, "finished")
                    self.playbacks.pop(0)
                    continue
                break  # waiting for more frames (an underrun plays silence)
            if not pb.started:
                pb.started = True
                await self._playback_event(pb, "started")
            chunk = pb.buffer[0]
            take = min(FRAME_SAMPLES - filled, chunk.size)
            out[filled:filled + take] = chunk[:take]
            filled += take
            pb.played += take
            if take == chunk.size:
                pb.buffer.pop(0)
            else:
                pb.buffer[0] = chunk[take:]
        return out

    # -- the microphone -------------------------------------------------------------------------
    def _busy(self) -> bool:
        return any(not line.done.is_set() for line in self.lines) or any(
            p.buffer for p in self.playbacks)

    async def _mic(self) -> None:
        next_at = time.monotonic()
        while True:
            if not self._busy() and time.monotonic() >= self._quiet_until:
                self._wake.clear()
                await self._wake.wait()
                next_at = time.monotonic()
            played = await self._play()
            heard, line = self._voice()
            # The room: the loudspeaker comes back delayed and quieter, plus a faint hiss.
            room = np.concatenate([self._played_tail, played])
            self._played_tail = room[-self._played_tail.size:]
            echo = room[-(FRAME_SAMPLES + self.echo_delay):room.size - self.echo_delay]
            mic = heard + self.echo_gain * echo
            mic = mic + self._rng.normal(0.0, self.noise, FRAME_SAMPLES).astype(np.float32)
            ts = self.clock.now(self.household) - FRAME_S
            fields: dict[str, object] = {}
            if line is not None:
                fields["correlation_id"] = line.correlation_id
            await self.bus.publish(DeviceAudio(
                household=self.household, source=self.device, device=self.device, ts=ts,
                stream=self.stream, seq=self.seq, pcm=to_pcm16(mic),
                echo_ref=to_pcm16(played) if self.report_playback else None,
                speaker=line.speaker if line is not None else None, **fields))
            self.seq += 1
            if line is not None or np.any(played):
                self._quiet_until = time.monotonic() + TAIL_S
            next_at += FRAME_S
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    def _voice(self) -> tuple[Samples, Line | None]:
        """The next frame of whoever is talking (lines are said one after the other)."""
        for line in self.lines:
            if line.done.is_set():
                continue
            chunk = line.samples[line.pos:line.pos + FRAME_SAMPLES]
            if line.first_seq is None:
                line.first_seq = self.seq
            line.pos += FRAME_SAMPLES
            if line.speech_end_at is None and line.pos >= line.speech_end:
                line.speech_end_at = time.monotonic()
            if line.pos >= line.samples.size:
                line.done.set()
            return np.pad(chunk, (0, FRAME_SAMPLES - chunk.size)), line
        return np.zeros(FRAME_SAMPLES, np.float32), None
