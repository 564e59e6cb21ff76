"""The translation skill: sessions only for pairs an installed backend serves both ways, and
the household's second language (kept in KV where the other agents read them)."""

from __future__ import annotations

from typing import Any

from conftest import HOUSEHOLD, AgentFactory, envelope, virtual_clock

from agents import language_state
from agents.skills.hosted import agent_class
from bus.memory import MemoryBus, MemoryHub
from bus.messages import SkillCall, SkillResult


async def call(bus: MemoryBus, api: str, **slots: Any) -> SkillResult:
    msg = SkillCall(**envelope(), skill="translation", intent=f"translation.{api}",
                    slots=slots, device="kitchen", speaker="olga", text="")
    reply = await bus.request(msg, timeout=5.0)
    assert isinstance(reply, SkillResult)
    return reply


async def test_session_for_a_served_pair(hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(agent_class("translation"), virtual_clock())
    bus = MemoryBus(hub, "caller")
    reply = await call(bus, "start", source="english", target="portuguese")
    assert reply.ok and reply.say.startswith("Interpreting between English and Portuguese.")
    session = await language_state.session(bus, HOUSEHOLD)
    assert session is not None
    assert (session.a, session.b, session.device, session.by) == ("en", "pt", "kitchen", "olga")
    assert (await call(bus, "stop")).say == "Stopped interpreting."
    assert await language_state.session(bus, HOUSEHOLD) is None


async def test_unserved_pair_starts_nothing(hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(agent_class("translation"), virtual_clock())
    bus = MemoryBus(hub, "caller")
    reply = await call(bus, "start", source="english", target="japanese")
    assert not reply.ok
    assert reply.say == "I can't interpret between English and Japanese yet."
    assert reply.data["supported"] is False
    assert await language_state.session(bus, HOUSEHOLD) is None
    unknown = await call(bus, "start", target="klingon")
    assert not unknown.ok and "klingon" in unknown.say


async def test_second_language_on_and_off(hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(agent_class("translation"), virtual_clock())
    bus = MemoryBus(hub, "caller")
    reply = await call(bus, "bilingual", language="spanish")
    assert reply.say == "Okay, I'll also understand Spanish and answer in it."
    assert await language_state.second_language(bus, HOUSEHOLD) == "es"
    needs = await language_state.needs(bus, HOUSEHOLD, "kitchen")
    assert needs.multilingual and needs.session is None
    refused = await call(bus, "bilingual", language="japanese")
    assert not refused.ok and refused.say == "I can't understand and answer in Japanese yet."
    assert await language_state.second_language(bus, HOUSEHOLD) == "es"
    await call(bus, "english_only")
    assert await language_state.second_language(bus, HOUSEHOLD) is None
    assert not (await language_state.needs(bus, HOUSEHOLD, "kitchen")).multilingual
