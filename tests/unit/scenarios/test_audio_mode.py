"""The audio mode of scenarios: the `mode` field, voices per person, simulator choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.audio_sim import AudioDeviceSimulator
from devices.sim import DeviceSimulator
from scenarios import audio_mode
from scenarios.loader import ScenarioError
from scenarios.model import load_scenario, parse_scenario

LIBRARY = Path(__file__).resolve().parents[3] / "scenarios" / "library"
BASE = """
name: t
devices: [{id: kitchen}]
people: [{id: alice, at: kitchen}, {id: bob, at: kitchen}]
timeline:
  - say: "hi"
    by: alice
    to: bob
"""


def test_mode_defaults_to_text_and_is_checked() -> None:
    assert parse_scenario(BASE).mode == "text"
    assert parse_scenario("mode: audio\n" + BASE).mode == "audio"
    with pytest.raises(ScenarioError, match="mode"):
        parse_scenario("mode: video\n" + BASE)


def test_the_library_has_at_least_four_audio_scenarios() -> None:
    audio = [p for p in LIBRARY.glob("*.yaml") if load_scenario(p).mode == "audio"]
    assert len(audio) >= 4
    assert {"audio_kitchen_timer", "audio_barge_in", "audio_backchannel"} <= {
        p.stem for p in audio}


def test_each_person_gets_their_own_voice_and_audio_devices() -> None:
    scenario = parse_scenario("mode: audio\n" + BASE)
    voice_of = audio_mode.voice_map(scenario)
    assert voice_of("alice") != voice_of("bob")
    assert voice_of(None) == voice_of("alice")
    assert audio_mode.simulator(False, scenario) is DeviceSimulator
    make = audio_mode.simulator(True, scenario)
    assert make is not DeviceSimulator and callable(make)
    assert AudioDeviceSimulator.AUDIO and not DeviceSimulator.AUDIO
