"""A simulated device: publishes what a real device senses and hears what it is told.

It talks to the rest of Hearth only through the bus, exactly as a real device bridge would,
so it works inside a replay and from another terminal against a running ``hearth up``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bus import subjects
from bus.clock import BusClock
from bus.messages import (
    DeviceLocation,
    DeviceOnline,
    DeviceSay,
    DeviceTranscript,
    DeviceVision,
    Message,
    SeenPerson,
)
from bus.transport import Bus, Subscription

KINDS = ("speaker", "screen", "phone")


def speaking_time(text: str) -> float:
    """How long saying ``text`` takes, at about 150 words a minute."""
    return max(0.6, 0.4 * len(text.split()))


class DeviceSimulator:
    AUDIO = False  # streams microphone audio and plays the assistant's voice (audio_sim.py)

    def __init__(
        self,
        bus: Bus,
        household: str,
        device: str,
        kind: str = "speaker",
        clock: BusClock | None = None,
        on_say: Callable[[DeviceSay], None] | None = None,
        room: str | None = None,
        camera: bool | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"device kind {kind!r} is not one of {', '.join(KINDS)}")
        self.bus = bus
        self.household = household
        self.device = device
        self.kind = kind
        self.clock = clock or BusClock()
        self.on_say = on_say
        self.room = room
        self.camera = kind == "screen" if camera is None else camera
        self.said: list[DeviceSay] = []
        self._heard_any = asyncio.Event()
        self._sub: Subscription | None = None

    async def start(self) -> DeviceSimulator:
        pattern = subjects.pattern(DeviceSay, household=self.household, key=self.device)
        self._sub = await self.bus.subscribe(pattern, self._told)
        # Announce the device, as a real one does on connect: turn-taking learns from it that
        # a home has several devices that may hear one utterance.
        await self.bus.publish(DeviceOnline(**self._envelope(), kind=self.kind, room=self.room,
                                            camera=self.camera, audio=self.AUDIO))
        return self

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None

    async def _told(self, msg: Message, _reply_to: str | None) -> None:
        if isinstance(msg, DeviceSay):
            self.said.append(msg)
            self._heard_any.set()
            if self.on_say is not None:
                self.on_say(msg)

    def _envelope(self) -> dict[str, Any]:
        return {
            "household": self.household,
            "source": self.device,
            "device": self.device,
            "ts": self.clock.now(self.household),
        }

    async def hear(
        self, text: str, speaker: str | None = None, loudness: float = 0.6,
        duration_s: float | None = None, direction_deg: float | None = None,
        directed_style: float | None = None,
    ) -> DeviceTranscript:
        """Publish a transcript of something said near the device (text mode)."""
        if duration_s is None:
            duration_s = speaking_time(text)
        msg = DeviceTranscript(
            **self._envelope(), text=text, speaker=speaker, loudness=loudness,
            duration_s=duration_s, room=self.room, direction_deg=direction_deg,
            directed_style=directed_style,
        )
        await self.bus.publish(msg)
        return msg

    async def see(self, people: list[SeenPerson]) -> DeviceVision:
        msg = DeviceVision(**self._envelope(), people=people, room=self.room)
        await self.bus.publish(msg)
        return msg

    async def locate(self, person: str, place: str) -> DeviceLocation:
        msg = DeviceLocation(**self._envelope(), person=person, place=place)
        await self.bus.publish(msg)
        return msg

    async def wait_said(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._heard_any.wait(), timeout)
        except TimeoutError:
            return False
        return True
