"""agents/audio_perception.py: English-only tiny.en by default, the multilingual model (and the
session's languages) only while a session or a second language needs it."""

from __future__ import annotations

import msgpack
from conftest import HOUSEHOLD, AgentFactory

from agents.audio_perception import AudioPerceptionAgent
from bus.memory import MemoryBus, MemoryHub


async def test_model_follows_the_language_state(hub: MemoryHub,
                                                start_agent: AgentFactory) -> None:
    ears: AudioPerceptionAgent = await start_agent(AudioPerceptionAgent)
    bus = MemoryBus(hub, "test")
    kitchen, hall = ears.state(HOUSEHOLD, "kitchen"), ears.state(HOUSEHOLD, "hall")
    asr, languages = await ears._asr_for(kitchen)
    assert (asr.cfg.model, asr.multilingual, languages) == ("tiny.en", False, None)
    assert ears.asr_multi is None  # nothing loaded that nobody needs

    await bus.kv_put("skills", f"translation.{HOUSEHOLD}.session", msgpack.packb(
        {"source": "english", "target": "portuguese", "device": "kitchen"}))
    asr, languages = await ears._asr_for(kitchen)
    assert (asr.cfg.model, asr.multilingual, languages) == ("base", True, ("en", "pt"))
    assert asr.cfg.hotwords == ""  # English hotwords would pull Portuguese towards English
    asr, languages = await ears._asr_for(hall)  # the session is the kitchen's
    assert (asr.cfg.model, languages) == ("tiny.en", None)

    await bus.kv_delete("skills", f"translation.{HOUSEHOLD}.session")
    await bus.kv_put("skills", f"translation.{HOUSEHOLD}.second_language",
                     msgpack.packb({"code": "es"}))
    asr, languages = await ears._asr_for(hall)
    assert (asr.cfg.model, languages) == ("base", ("en", "es"))
