"""Replaying a scenario as sound: audio device simulators and a voice for each person.

In audio mode (``mode: audio`` in the scenario, or ``hearth replay --audio`` for any
scenario) every device is an ``AudioDeviceSimulator``: people's lines are synthesized, each
person in their own voice, and streamed into the device's microphone in real time; the
assistant's voice comes back as ``device.speaker`` frames and into the microphone as echo.
Expectation windows start when a line has been spoken, not when it began.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from devices import voices
from devices.audio_sim import AudioDeviceSimulator
from devices.sim import DeviceSimulator
from scenarios.model import Scenario


def voice_map(scenario: Scenario) -> Callable[[str | None], voices.VoiceProfile]:
    """Person id (or the speaker id a device reports) -> that person's voice."""
    order = {p.id: i for i, p in enumerate(scenario.people)}
    language = {p.id: p.language for p in scenario.people}

    def voice_of(speaker: str | None) -> voices.VoiceProfile:
        profile = voices.profile_for(order.get(speaker or "", 0))
        # A person who speaks another language speaks it (a voice for that language).
        return voices.in_language(profile, language.get(speaker or "", "en"))

    return voice_of


def simulator(audio: bool, scenario: Scenario) -> Callable[..., DeviceSimulator]:
    """The device simulator class to use (with the scenario's voices when audio)."""
    if not audio:
        return DeviceSimulator
    voice_of = voice_map(scenario)

    def make(*args: Any, **kwargs: Any) -> DeviceSimulator:
        return AudioDeviceSimulator(*args, voice_of=voice_of, **kwargs)

    return make


async def finish_speaking(sims: Iterable[DeviceSimulator], since: float) -> float:
    """Wait until every audio device has streamed what it was given; returns when that was
    (``time.monotonic()``; ``since`` when nothing was spoken as audio)."""
    spoken = False
    for sim in sims:
        if isinstance(sim, AudioDeviceSimulator):
            await sim.spoken()
            spoken = spoken or bool(sim.lines)
    return time.monotonic() if spoken else since
