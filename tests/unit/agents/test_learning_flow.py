"""Self-learning, teaching, few-shot intents and the scribe on the whole text flow (in-memory)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgpack
import pytest
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published
from test_flow import Home, build_home

from agents.learned import LEARNING_BUCKET, rewrites_key
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    AgentError,
    IntentAdded,
    IntentRecognized,
    LearningRewrite,
    PrivacyRecord,
    SkillCall,
)


@pytest.fixture
async def home(hub: MemoryHub, start_agent: AgentFactory) -> AsyncIterator[Home]:
    home = await build_home(hub, start_agent, T0)
    await home.advance(60)  # every agent's virtual clock on the same time
    yield home
    await home.kitchen.stop()


def _calls(home: Home) -> list[tuple[str, dict[str, object]]]:
    return [(c.intent, dict(c.slots)) for c in published(home.hub, SkillCall)]


async def test_a_correction_teaches_a_rewrite_used_on_the_third_try(home: Home) -> None:
    await home.hear("hey hearth, switch on the brew machine")
    assert home.said()[-1] == "Turned on the lights in the kitchen."  # wrong, no device
    await home.advance(3)
    await home.hear("hey hearth, no, switch on the coffee machine")
    assert home.said()[-1] == "Turned on the coffee machine in the kitchen."
    [learned] = published(home.hub, LearningRewrite)
    assert (learned.said, learned.meant, learned.status, learned.friction) == (
        "brew", "coffee", "learned", "correction")
    await home.advance(60)
    await home.hear("hey hearth, switch on the brew machine")
    assert home.said()[-1] == "Turned on the coffee machine in the kitchen."
    last = published(home.hub, IntentRecognized)[-1]
    assert last.applied == [f"rewrite:{learned.rewrite_id}"]
    assert last.slots.get("device") == "coffee machine"
    bus = MemoryBus(home.hub, "check")
    stored = msgpack.unpackb(await bus.kv_get(LEARNING_BUCKET, rewrites_key(HOUSEHOLD)))
    assert stored[0]["applied"] == 1 and stored[0]["evidence"][0]["friction"] == "correction"
    assert published(home.hub, AgentError) == []


async def test_an_immediate_rephrase_without_no_teaches_too(home: Home) -> None:
    await home.hear("hey hearth, switch on the brew machine")
    await home.advance(3)
    await home.hear("hey hearth, switch on the coffee machine")
    [learned] = published(home.hub, LearningRewrite)
    assert (learned.said, learned.meant, learned.friction) == ("brew", "coffee", "rephrase")
    await home.advance(5)
    await home.hear("hey hearth, turn on the lights in the bedroom")
    await home.advance(3)
    await home.hear("hey hearth, turn on the lights in the hallway")  # another request
    assert len(published(home.hub, LearningRewrite)) == 1


async def test_friction_after_a_rewrite_rolls_it_back(home: Home) -> None:
    await home.hear("hey hearth, switch on the brew machine")
    await home.hear("hey hearth, no, switch on the coffee machine")
    await home.advance(60)
    await home.hear("hey hearth, switch on the brew machine")
    await home.hear("hey hearth, no, that's wrong")
    statuses = [m.status for m in published(home.hub, LearningRewrite)]
    assert statuses == ["learned", "rolled_back"]
    await home.advance(60)
    await home.hear("hey hearth, switch on the brew machine")
    assert published(home.hub, IntentRecognized)[-1].applied == []


async def test_an_unknown_mode_is_taught_applied_and_reused(home: Home) -> None:
    await home.hear("hey hearth, set the living-room light to study mode")
    assert home.said()[-1] == "I don't know what study mode is. Can you teach me?"
    await home.hear("bright white at 80 percent")
    assert home.said()[-1] == ("Got it: study mode is white light at 80 percent. "
                               "The living room is in study mode now.")
    await home.advance(30)
    await home.hear("hey hearth, study mode in the kitchen")
    assert home.said()[-1] == "Study mode in the kitchen: white light at 80 percent."
    assert _calls(home)[-1] == ("memory.apply_concept",
                                {"concept": "study mode", "room": "kitchen"})
    await home.hear("hey hearth, what modes do you know?")
    assert home.said()[-1] == "You taught me study mode: white light at 80 percent."
    await home.hear("hey hearth, change study mode to blue at 30 percent")
    assert home.said()[-1] == "OK, study mode is blue light at 30 percent now."
    await home.hear("hey hearth, forget study mode")
    assert home.said()[-1] == "OK, I've forgotten study mode."
    await home.hear("hey hearth, study mode in the kitchen")
    assert home.said()[-1] == "I don't know what study mode is. Can you teach me?"


async def test_a_known_scene_is_not_taught(home: Home) -> None:
    await home.hear("hey hearth, switch to movie mode")
    assert _calls(home)[-1][0] == "smart_home.scene"


async def test_an_intent_added_from_examples_routes_at_once(home: Home) -> None:
    bus = MemoryBus(home.hub, "cli")
    await bus.publish(IntentAdded(**envelope(), intent="smart_home.cinema",
                                  call="smart_home.scene", slots={"scene": "movie night"},
                                  examples=["it's film time", "let's watch a film",
                                            "cinema time", "time for a film",
                                            "we're watching a film tonight"]))
    await home.settle()
    await home.hear("hey hearth, it's time to watch a film")
    [*_, intent] = published(home.hub, IntentRecognized)
    assert intent.applied == ["intent:smart_home.cinema"]
    assert _calls(home)[-1] == ("smart_home.scene", {"scene": "movie night"})
    assert await bus.kv_get(LEARNING_BUCKET, f"{HOUSEHOLD}.intent.smart_home.cinema")
    await home.hear("hey hearth, set a timer for five minutes")
    assert _calls(home)[-1][0] == "timer.set"  # the rest routes as before


async def test_the_scribe_records_scrubbed_words(home: Home) -> None:
    await home.hear("hey hearth, remind me to call Priya on 555 123 4567")
    await home.advance(4)  # a turn that could go on is held for a few seconds
    records = published(home.hub, PrivacyRecord)
    kinds = {r.record_type for r in records}
    assert {"device.transcript", "perception.utterance", "turn.addressed",
            "intent.recognized"} <= kinds
    texts = [str(r.payload.get("text", "")) for r in records]
    assert all("Priya" not in t and "4567" not in t for t in texts)
    assert any("[name]" in t and "[phone]" in t for t in texts)
