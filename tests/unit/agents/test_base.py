"""agents/base.py: declared handlers, declared publications, errors, replies, order, time."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from conftest import T0, AgentFactory, BusFactory, envelope, ping, published

from agents.base import Agent, UndeclaredPublish, on
from agents.skills.base import SkillAgent
from bus import subjects
from bus.memory import MemoryHub
from bus.messages import (
    AgentError,
    Attention,
    Clock,
    Message,
    Ping,
    Pong,
    SkillCall,
    SkillResult,
)


class Parent(Agent):
    NAME = "parent"
    PUBLISHES = (Pong,)

    @on(Ping)
    async def ping(self, msg: Ping) -> Pong:
        return self.derive(msg, Pong, seq=msg.seq, sent=msg.sent, received=0.0)


class Child(Parent):
    NAME = "child"

    @on(Attention, broadcast=True)
    async def attention(self, msg: Attention) -> None:
        pass


class Overrider(Parent):
    NAME = "overrider"

    async def ping(self, msg: Ping) -> Pong:  # same name, no mark: the parent's mark stands
        return self.derive(msg, Pong, seq=msg.seq + 1000, sent=msg.sent, received=0.0)


class Worker(Agent):
    """Records (household, seq) when done; seq 13 raises; ``delays`` slows chosen seqs down."""

    NAME = "worker"
    PUBLISHES = (Pong,)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.done: list[tuple[str, int]] = []
        self.delays: dict[int, float] = {}

    @on(Ping)
    async def work(self, msg: Ping) -> None:
        await asyncio.sleep(self.delays.get(msg.seq, 0.0))
        if msg.seq == 13:
            raise ValueError("unlucky")
        self.done.append((msg.household, msg.seq))


class Echo(SkillAgent):
    NAME = "skill_echo"
    SKILL = "echo"

    async def handle(self, msg: SkillCall) -> SkillResult:
        if msg.intent == "echo.say":
            return self.result(msg, ok=True, say=msg.text.upper(), data={"n": len(msg.text)})
        return await super().handle(msg)


def _call(intent: str, text: str = "", skill: str = "echo") -> SkillCall:
    return SkillCall(**envelope(ts=time.time()), skill=skill, intent=intent, device="kitchen",
                     text=text)


# -- declarations ---------------------------------------------------------------------------


def test_handlers_are_collected_across_the_class_hierarchy() -> None:
    parent, child = dict(Parent.HANDLERS), dict(Child.HANDLERS)
    assert parent == {Ping: ("ping", False), Clock: ("_on_clock", True)}
    assert child == {
        Ping: ("ping", False),
        Clock: ("_on_clock", True),
        Attention: ("attention", True),
    }
    assert Attention not in Parent.HANDLERS  # the subclass did not leak into its parent
    assert Agent.HANDLERS == {}


def test_two_methods_for_one_type_fail_at_class_creation() -> None:
    with pytest.raises(TypeError, match=r"Ping is handled by both ping\(\) and other\(\)"):

        class Twice(Parent):
            @on(Ping)
            async def other(self, msg: Ping) -> None:
                pass

    with pytest.raises(TypeError, match="handled by both"):

        class SameClass(Agent):
            @on(Ping)
            async def a(self, msg: Ping) -> None:
                pass

            @on(Ping)
            async def b(self, msg: Ping) -> None:
                pass


def test_a_second_clock_handler_conflicts_with_the_base_one() -> None:
    with pytest.raises(TypeError, match="Clock is handled by both _on_clock"):

        class MyClock(Agent):
            @on(Clock)
            async def tick(self, msg: Clock) -> None:
                pass


async def test_an_inherited_handler_runs_in_the_subclass(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    await start_agent(Child)
    reply = await make_bus("client").request(ping(5), timeout=1.0)
    assert isinstance(reply, Pong)
    assert reply.seq == 5
    assert reply.source == "child"


async def test_an_override_without_mark_still_handles(
    start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    await start_agent(Overrider)
    reply = await make_bus("client").request(ping(5), timeout=1.0)
    assert isinstance(reply, Pong)
    assert reply.seq == 1005


async def test_publishing_an_undeclared_type_raises(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    agent = await start_agent(Parent)
    with pytest.raises(UndeclaredPublish, match="parent does not declare Ping"):
        await agent.publish(ping(1))
    with pytest.raises(UndeclaredPublish):
        await agent.request(_call("echo.say"), timeout=0.1)
    assert issubclass(UndeclaredPublish, TypeError)
    assert hub.published == []
    await agent.publish(Pong(**envelope(), seq=1, sent=0.0, received=0.0))
    assert len(hub.published) == 1


# -- receiving ------------------------------------------------------------------------------


async def test_a_handler_that_raises_reports_system_error_and_carries_on(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    worker: Worker = await start_agent(Worker)
    tx = make_bus("tx")
    bad = ping(13)
    await tx.publish(bad)
    await tx.publish(ping(14))
    await hub.settle()
    await worker.idle()
    assert worker.done == [("h1", 14)]
    assert worker.handled == 1
    errors = published(hub, AgentError)
    assert len(errors) == 1
    err = errors[0]
    assert (err.agent, err.handler, err.message_type, err.message_id) == (
        "worker", "work", "system.ping", bad.id,
    )
    assert err.error == "ValueError: unlucky"
    assert (err.household, err.correlation_id, err.causation_id) == (
        "h1", bad.correlation_id, bad.id,
    )
    assert subjects.subject_for(err) == "hh.h1.system.error"


async def test_request_reply_through_a_handler(
    start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    await start_agent(Echo)
    call = _call("echo.say", text="hello")
    reply = await make_bus("client").request(call, timeout=1.0)
    assert isinstance(reply, SkillResult)
    assert (reply.ok, reply.say, reply.data, reply.skill) == (True, "HELLO", {"n": 5}, "echo")
    assert reply.causation_id == call.id
    assert reply.correlation_id == call.correlation_id
    other = await make_bus("client2").request(_call("echo.fly"), timeout=1.0)
    assert isinstance(other, SkillResult)
    assert other.ok is False
    assert other.say == "The echo skill cannot do echo.fly yet."


async def test_a_skill_only_answers_calls_for_its_own_name(
    start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    await start_agent(Echo)
    with pytest.raises(TimeoutError):
        await make_bus("client").request(_call("timer.set", skill="timer"), timeout=0.1)


async def test_an_undeclared_reply_becomes_a_system_error(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    class Sloppy(Agent):
        NAME = "sloppy"
        PUBLISHES = ()

        @on(Ping)
        async def ping(self, msg: Ping) -> Pong:
            return self.derive(msg, Pong, seq=msg.seq, sent=msg.sent, received=0.0)

    await start_agent(Sloppy)
    with pytest.raises(TimeoutError):
        await make_bus("client").request(ping(1), timeout=0.1)
    await hub.settle()
    errors = published(hub, AgentError)
    assert [e.error.split(":")[0] for e in errors] == ["UndeclaredPublish"]


async def test_messages_of_one_household_are_handled_in_order(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    worker: Worker = await start_agent(Worker)
    worker.delays = {1: 0.1, 2: 0.03}
    tx = make_bus("tx")
    await tx.publish(ping(1, household="h1"))  # slow
    await tx.publish(ping(2, household="h1"))
    await tx.publish(ping(3, household="h1"))
    await tx.publish(ping(4, household="h2"))  # another household does not wait for h1
    await hub.settle()
    await worker.idle()
    assert [seq for hh, seq in worker.done if hh == "h1"] == [1, 2, 3]
    assert worker.done[0] == ("h2", 4)


async def test_households_are_handled_concurrently(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    worker: Worker = await start_agent(Worker)
    worker.delays = {1: 0.1, 2: 0.1, 3: 0.1}
    tx = make_bus("tx")
    began = time.monotonic()
    for seq, household in ((1, "a"), (2, "b"), (3, "c")):
        await tx.publish(ping(seq, household=household))
    await hub.settle()
    await worker.idle()
    assert sorted(worker.done) == [("a", 1), ("b", 2), ("c", 3)]
    assert time.monotonic() - began < 0.25  # three 0.1 s handlers side by side, not in a row


async def test_clock_messages_set_the_agents_virtual_time(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    agent: Parent = await start_agent(Parent)
    assert abs(agent.now("h1") - time.time()) < 1.0  # live until told otherwise
    tx = make_bus("replay")
    await tx.publish(Clock(**envelope(), now=T0))
    await hub.settle()
    await agent.idle()
    assert agent.now("h1") == pytest.approx(T0, abs=0.5)
    assert abs(agent.now("h2") - time.time()) < 1.0  # other households stay live
    await tx.publish(Clock(**envelope(), now=T0 + 300))
    await hub.settle()
    await agent.idle()
    assert agent.now("h1") == pytest.approx(T0 + 300, abs=0.5)
    await tx.publish(Clock(**envelope(), now=T0 + 10))  # never backwards
    await hub.settle()
    await agent.idle()
    assert agent.now("h1") == pytest.approx(T0 + 300, abs=0.5)
    stamped = agent.make(Pong, "h1", seq=1, sent=0.0, received=0.0)
    assert stamped.ts == pytest.approx(T0 + 300, abs=0.5)  # messages carry bus time


async def test_every_replica_gets_broadcast_messages_but_shares_the_rest(
    hub: MemoryHub, start_agent: AgentFactory, make_bus: BusFactory
) -> None:
    a: Worker = await start_agent(Worker)
    b: Worker = await start_agent(Worker, replica=1)
    tx = make_bus("tx")
    for seq in range(4):
        await tx.publish(ping(seq))
    await tx.publish(Clock(**envelope(), now=T0))
    await hub.settle()
    await a.idle()
    await b.idle()
    assert sorted(a.done + b.done) == [("h1", s) for s in range(4)]
    assert a.done and b.done  # the queue group split the work
    assert a.now("h1") == pytest.approx(T0, abs=0.5)
    assert b.now("h1") == pytest.approx(T0, abs=0.5)
    assert (a.source, b.source) == ("worker", "worker-1")


def test_derive_stamps_the_agent_and_its_bus_time() -> None:
    from bus.clock import BusClock
    from bus.memory import MemoryBus

    clock = BusClock()
    clock.set_virtual("h1", T0)
    agent = Parent(MemoryBus(MemoryHub()), clock, replica=2)
    parent: Message = ping(3)
    child = agent.derive(parent, Pong, seq=3, sent=0.0, received=0.0)
    assert child.source == "parent-2"
    assert child.ts == pytest.approx(T0, abs=0.5)
    assert (child.correlation_id, child.causation_id) == (parent.correlation_id, parent.id)
