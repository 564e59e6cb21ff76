"""Speech: says responses on devices, as words (every device) and as audio (audio devices).

Every response is told to the device as text (``device.say``: text-mode devices show or
speak it themselves, and scenarios check it). A device that announced ``audio`` in
``device.online`` also gets the assistant's voice: the text is synthesized sentence by
sentence (the first sentence is on its way while the second is being made) and streamed as
``device.speaker`` frames, kept at most ``lead_s`` ahead of real-time playback so that a
``speech.stop`` (barge-in) silences the device within a frame. ``speech.finished`` follows
when the audio has played out, or at once, ``interrupted``, after a stop.

Config (``speech`` in the agent config): ``backend`` ("piper"), ``fallback`` ("espeak", for
languages the Piper voice does not speak), ``voice`` (a Piper .onnx path), ``voices``
(language -> Piper .onnx path, for other languages), ``lead_s`` (0.3),
``preload`` (load the voice at start instead of when the first audio device appears).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from agents import bilingual_reply
from agents.base import Agent, on
from agents.tts import SynthesisError, Synthesizer, make_synthesizer
from bus.audio_format import FRAME_S, Samples, frames, to_pcm16
from bus.messages import (
    DeviceOnline,
    DeviceSay,
    DeviceSpeaker,
    ResponseSay,
    SpeechFinished,
    SpeechStarted,
    SpeechStop,
    Translated,
)

log = logging.getLogger(__name__)

BUCKET = "household"  # KV: which devices of a home take audio survives a restart


@dataclass
class Speaking:
    response_id: str
    stop: asyncio.Event = field(default_factory=asyncio.Event)


class SpeechAgent(Agent):
    NAME = "speech"
    PUBLISHES = (SpeechStarted, DeviceSay, DeviceSpeaker, SpeechFinished, Translated)

    async def on_start(self) -> None:
        raw = self.config.get("speech", {})
        cfg: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        self.backend = str(cfg.get("backend", "piper"))
        self.fallback = str(cfg.get("fallback", "espeak"))
        self.options: dict[str, Any] = {k: v for k, v in cfg.items()
                                        if k in ("voice", "length_scale", "variant")}
        self.lead_s = float(cfg.get("lead_s", 0.3))
        # Language -> Piper .onnx voice, for languages the main voice does not speak
        # (espeak-ng speaks the others).
        raw_voices = cfg.get("voices", {})
        self.voices: dict[str, str] = ({str(k): str(v) for k, v in raw_voices.items()}
                                       if isinstance(raw_voices, Mapping) else {})
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
        self.synths: dict[str, Synthesizer] = {}
        self._loading: asyncio.Task[None] | None = None
        self.audio_devices: set[tuple[str, str]] = set()
        self.speaking: dict[tuple[str, str], Speaking] = {}
        self._device_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._streams: set[asyncio.Task[None]] = set()
        if cfg.get("preload"):
            await self._ensure_loaded()

    async def on_stop(self) -> None:
        for speaking in self.speaking.values():
            speaking.stop.set()
        if self._streams:
            await asyncio.gather(*self._streams, return_exceptions=True)
        self.pool.shutdown(wait=False, cancel_futures=True)

    # -- which devices take audio -------------------------------------------------------------
    @on(DeviceOnline, broadcast=True)
    async def device_online(self, msg: DeviceOnline) -> None:
        key = (msg.household, msg.device)
        if msg.audio == (key in self.audio_devices):
            return
        (self.audio_devices.add if msg.audio else self.audio_devices.discard)(key)
        devices = sorted(d for h, d in self.audio_devices if h == msg.household)
        await self.bus.kv_put(BUCKET, f"{msg.household}.audio-devices",
                              json.dumps(devices).encode())
        if msg.audio:
            # Load the voice now, in the background, so the first answer does not wait.
            self._loading = self._loading or asyncio.create_task(self._ensure_loaded())

    async def _is_audio(self, household: str, device: str) -> bool:
        if (household, device) in self.audio_devices:
            return True
        raw = await self.bus.kv_get(BUCKET, f"{household}.audio-devices")
        if raw and device in json.loads(raw):
            self.audio_devices.add((household, device))  # learnt again after a restart
            return True
        return False

    async def _ensure_loaded(self) -> None:
        if self.backend not in self.synths:
            loop = asyncio.get_running_loop()
            self.synths[self.backend] = await loop.run_in_executor(
                self.pool, make_synthesizer, self.backend, self.options)

    async def _synth(self, language: str) -> Synthesizer:
        await self._ensure_loaded()
        main = self.synths[self.backend]
        if main.speaks(language):
            return main
        voice = self.voices.get(language.split("-")[0])
        if voice is not None:  # a Piper voice for this language (``speech.voices``)
            key = f"piper:{voice}"
            if key not in self.synths:
                self.synths[key] = make_synthesizer("piper", {"voice": voice})
            return self.synths[key]
        if self.fallback not in self.synths:
            self.synths[self.fallback] = make_synthesizer(self.fallback, {})
        return self.synths[self.fallback]

    # -- speaking -----------------------------------------------------------------------------
    @on(ResponseSay)
    async def say(self, msg: ResponseSay) -> None:
        said, backend = await bilingual_reply.localize(self.bus, msg, self.config)
        if backend is not None:  # a bilingual household asked in another language
            await self.publish(self.derive(
                msg, Translated, device=msg.device, speaker=msg.to, mode="reply",
                source_language=msg.language, target_language=said.language,
                source_text=msg.text, text=said.text, backend=backend))
            msg = said
        await self.publish(
            self.derive(msg, SpeechStarted, device=msg.device, text=msg.text, response_id=msg.id)
        )
        await self.publish(
            self.derive(
                msg, DeviceSay, device=msg.device, text=msg.text, language=msg.language,
                response_id=msg.id,
            )
        )
        if not await self._is_audio(msg.household, msg.device):
            await self.publish(self.derive(msg, SpeechFinished, device=msg.device,
                                           response_id=msg.id))
            return
        # Stream in a task: the household's other messages (a speech.stop) must get through.
        task = asyncio.create_task(self._speak(msg))
        self._streams.add(task)
        task.add_done_callback(self._streams.discard)

    @on(SpeechStop, broadcast=True)
    async def stop_speaking(self, msg: SpeechStop) -> None:
        speaking = self.speaking.get((msg.household, msg.device))
        if speaking is not None and msg.response_id in (None, speaking.response_id):
            speaking.stop.set()

    async def _speak(self, msg: ResponseSay) -> None:
        key = (msg.household, msg.device)
        lock = self._device_locks.setdefault(key, asyncio.Lock())
        async with lock:  # one response at a time on a device, in order
            speaking = Speaking(msg.id)
            self.speaking[key] = speaking
            try:
                interrupted = await self._stream(msg, speaking)
            except (SynthesisError, OSError) as exc:
                log.error("could not speak on %s: %s", msg.device, exc)
                interrupted = True
            finally:
                if self.speaking.get(key) is speaking:
                    del self.speaking[key]
            await self.publish(self.derive(msg, SpeechFinished, device=msg.device,
                                           response_id=msg.id, interrupted=interrupted))

    async def _stream(self, msg: ResponseSay, speaking: Speaking) -> bool:
        """Stream the response; True when it was stopped before the end."""
        loop = asyncio.get_running_loop()
        synth = await self._synth(msg.language)
        sentences: Iterator[tuple[str, Samples]] = synth.sentences(msg.text, msg.language)
        seq, offset, began = 0, 0.0, loop.time()
        while not speaking.stop.is_set():
            item = await loop.run_in_executor(self.pool, next, sentences, None)
            if item is None:
                break
            if seq == 0:
                began = loop.time()  # playback starts with the first frame
            for chunk in frames(item[1]):
                ahead = offset - (loop.time() - began)
                if ahead > self.lead_s:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(speaking.stop.wait(), ahead - self.lead_s)
                if speaking.stop.is_set():
                    return True
                await self.publish(self.derive(
                    msg, DeviceSpeaker, device=msg.device, response_id=msg.id, seq=seq,
                    offset_s=round(offset, 4), pcm=to_pcm16(chunk)))
                seq += 1
                offset += FRAME_S
        if speaking.stop.is_set():
            return True
        await self.publish(self.derive(
            msg, DeviceSpeaker, device=msg.device, response_id=msg.id, seq=seq,
            offset_s=round(offset, 4), pcm=b"", final=True))
        # speech.finished means the device has played it all, not that it was sent.
        remaining = offset - (loop.time() - began)
        if remaining > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(speaking.stop.wait(), remaining)
        return speaking.stop.is_set()
