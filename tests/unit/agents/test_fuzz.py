"""Hostile input: 100,000 random and mutated payloads on every subject any agent consumes.

Every registered agent (the registry, so new agents are covered the day they are added) runs
on an in-memory hub; the subjects are read off their ``@on`` handlers and the message types
off ``bus.messages``. The payloads go through the same receive path as on NATS
(``Bus.subscribe`` -> ``Bus.accept`` -> the agent's lane and handler). It must end with zero
crashes (every subscription alive, no handler error, the flow still answers), one
``system.rejected`` with a reason per invalid payload and receiver, and flat memory.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest
from conftest import _samples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.base import Agent
from agents.registry import BY_NAME
from bus import subjects
from bus.codec import MAX_PAYLOAD_BYTES, DecodeError, decode
from bus.memory import MemoryBus, MemoryHub, subject_matches
from bus.messages import ALL_TYPES, AgentError, DeviceSay, Message, Rejected
from devices.sim import DeviceSimulator

N_PAYLOADS = 100_000
BATCH = 5_000
SEED = 20261123
MAX_VALID_PER_SUBJECT = 40  # mutants that stay valid run real handlers (embeddings): cap them
HOUSEHOLDS = ("h1", "fuzz-home", "unknown-household-7", "x" * 64)
KEYS = ("kitchen", "timer", "weather", "k-9")
WRONG_VALUES: tuple[Any, ...] = (
    None, True, -1, 2**63, -(2**63), 1e308, -1e308, math.nan, math.inf, "", "x" * 5000,
    b"\xff\x00", [], [1, [2, [3]]], {}, {"a": {"b": {"c": {}}}}, "hh.*.>", "../../etc",
)
ABSURD_TS = (-1.0, 1e20, math.nan, math.inf, -math.inf, 32503680000.0, "yesterday", None)
BAD_HOUSEHOLDS = ("", "no.such", "hh.>", "*", "a b", "x" * 65, "h1\n", 7, None)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def consumed_subjects(agents: list[Agent]) -> list[tuple[str, type[Message]]]:
    """Every (pattern, type) any agent subscribes to, from its declared handlers."""
    return sorted({(a.pattern_for(t), t) for a in agents for t in a.HANDLERS},
                  key=lambda pt: pt[0])


def concrete(pattern: str, rng: random.Random) -> str:
    tokens = pattern.split(".")
    out = [tokens[0], rng.choice(HOUSEHOLDS) if tokens[1] == "*" else tokens[1]]
    out += [rng.choice(KEYS) if t == "*" else t for t in tokens[2:]]
    return ".".join(out)


class Mutator:
    """Seeded payload generator: random bytes, mutated valid messages, absurd values."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        samples = _samples()
        self.raw: dict[str, dict[str, Any]] = {
            t: msgpack.unpackb(msgpack.packb(m.model_dump(mode="python"), use_bin_type=True))
            for t, m in samples.items()
        }

    def base(self, cls: type[Message], subject: str) -> dict[str, Any]:
        """A valid-looking map for ``cls`` that claims the subject's household and key."""
        name = cls.type_name()
        raw = dict(self.raw.get(name) or {"type": name, "ts": time.time(), "source": "fuzz"})
        raw["household"] = subjects.household_of(subject)
        if cls.SUBJECT_KEY:
            raw[cls.SUBJECT_KEY] = subject.split(".")[3]
        return raw

    def payload(self, cls: type[Message], subject: str) -> bytes:
        rng = self.rng
        kind = rng.random()
        if kind < 0.15:  # random bytes, mostly short
            return rng.randbytes(rng.choice((0, 1, 2, 8, 64, 512, 4096)))
        if kind < 0.20:  # msgpack, but not a map, or a map of nonsense
            return msgpack.packb(rng.choice(
                [[1, 2], "text", 42, None, {"type": 5}, {"no": "type"},
                 {"type": rng.choice(list(ALL_TYPES)) + "x"}]))
        raw = self.base(cls, subject)
        op = rng.randrange(9)
        keys = [k for k in raw if k != "type"]
        if op == 0 and keys:
            raw.pop(rng.choice(keys))
        elif op == 1 and keys:
            raw[rng.choice(keys)] = rng.choice(WRONG_VALUES)
        elif op == 2:
            raw["ts"] = rng.choice(ABSURD_TS)
        elif op == 3:
            raw["household"] = rng.choice((*BAD_HOUSEHOLDS, "another-home"))
        elif op == 4:
            raw["type"] = rng.choice(list(ALL_TYPES))  # a real type on the wrong subject
        elif op == 5:
            raw[f"extra_{rng.randrange(9)}"] = rng.choice(WRONG_VALUES)
        elif op == 6:
            raw["v"] = rng.choice((0, 99, -1, "1"))
        elif op == 7 and rng.random() < 0.05:
            pass  # left valid: it must go through to the agent and be handled
        else:
            raw["id"] = rng.choice([v for v in WRONG_VALUES if not isinstance(v, str)])
        try:
            data: bytes = msgpack.packb(raw, use_bin_type=True)
        except (TypeError, ValueError, OverflowError):
            data = rng.randbytes(16)
        if rng.random() < 0.2 and data:  # byte-level damage: flip, truncate, splice
            buf = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
            if rng.random() < 0.5:
                buf = buf[: rng.randrange(len(buf) + 1)]
            data = bytes(buf)
        return data

    def payloads(self, targets: list[tuple[str, type[Message]]]) -> Iterator[tuple[str, bytes]]:
        valid: Counter[str] = Counter()
        n = 0
        while n < N_PAYLOADS:
            pattern, cls = targets[n % len(targets)]
            subject = concrete(pattern, self.rng)
            if n % 20_000 == 7:  # oversized: a few, they are big
                data = b"\x81\xa4type" + b"\x00" * (MAX_PAYLOAD_BYTES + 1)
            else:
                data = self.payload(cls, subject)
                if expected_outcome(subject, data) is None:
                    valid[pattern] += 1
                    if valid[pattern] > MAX_VALID_PER_SUBJECT:
                        continue  # enough normal input here: the point is hostile input
            yield subject, data
            n += 1


def expected_outcome(subject: str, data: bytes) -> str | None:
    """The reason a receiver must give for this payload, or None when it is a valid message."""
    try:
        msg = decode(data)
    except DecodeError as err:
        return err.reason
    wanted = subjects.subject_for(msg)
    return None if wanted == subject else f"{msg.type} for {wanted} arrived on {subject}"


@pytest.mark.timeout(300)
async def test_a_hundred_thousand_hostile_payloads(caplog: pytest.LogCaptureFixture) -> None:
    # Each agent on a hub of its own: what one agent publishes (its rejections, or the work a
    # valid mutant causes) does not fan out to the others, so the 100,000 payloads stay the
    # test's own load. The receive path is the real one (Bus.subscribe's callback).
    caplog.set_level(logging.ERROR, logger="bus.transport")  # one warning per rejection
    hubs: dict[str, MemoryHub] = {}
    agents: list[Agent] = []
    for cls in BY_NAME.values():
        hub = hubs[cls.NAME] = MemoryHub()
        agent = cls(MemoryBus(hub, name=cls.NAME))
        await agent.start()
        agents.append(agent)
    targets = consumed_subjects(agents)
    assert len({t for _, t in targets}) >= 10, targets
    mutator = Mutator(SEED)
    expected_rejections = 0
    valid = 0
    reasons: Counter[str] = Counter()
    rejected_seen = 0
    errors: list[AgentError] = []
    rss: list[float] = []
    sources = {a.source for a in agents}
    callbacks: dict[str, list[Any]] = {}

    def receivers(subject: str) -> list[Any]:
        found = callbacks.get(subject)
        if found is None:
            found = callbacks[subject] = [
                s.callback for hub in hubs.values() for s in list(hub.subscriptions)
                if s.pattern.startswith("hh.") and subject_matches(s.pattern, subject)]
        return found

    def drain_published() -> None:
        nonlocal rejected_seen
        for hub in hubs.values():
            for subject, data in hub.published:
                if not subject.endswith((".system.rejected", ".system.error")):
                    continue
                msg = decode(data)
                if msg.source not in sources:
                    continue
                if isinstance(msg, Rejected):
                    assert msg.reason, "every rejection says why"
                    reasons[msg.reason.split(":")[0].split(" ")[0]] += 1
                    rejected_seen += 1
                elif isinstance(msg, AgentError):
                    errors.append(msg)
            hub.published.clear()  # the test hub records everything; measure Hearth

    started = time.monotonic()
    for i, (subject, data) in enumerate(mutator.payloads(targets), 1):
        reason = expected_outcome(subject, data)
        # One receiver per payload, in turn: a broadcast subject (system.clock reaches every
        # agent) would otherwise multiply the work without adding any new input.
        deliver = receivers(subject)
        if reason is None:
            valid += 1
        else:
            expected_rejections += 1
        await deliver[i % len(deliver)](subject, data, None)
        if i % BATCH == 0:
            for hub in hubs.values():
                await hub.settle()
            for agent in agents:
                await agent.idle()
            drain_published()
            rss.append(rss_mb())
    wall = time.monotonic() - started

    # Zero crashes: every subscription still drains, no handler failed.
    assert all(not s.task.done() for hub in hubs.values() for s in hub.subscriptions)
    assert errors == [], [(e.agent, e.message_type, e.error) for e in errors[:5]]
    assert rejected_seen == expected_rejections, (rejected_seen, expected_rejections)
    assert sum(a.bus.rejected_count for a in agents) == expected_rejections
    assert valid >= len(targets), "some mutants stay valid and reach the handlers"
    for kind in ("not", "invalid", "payload", "unknown"):
        assert reasons[kind] > 0, reasons
    # Memory bounded: after the first batches warm caches, it stays flat.
    warm = len(rss) // 4
    assert max(rss[warm:]) - rss[warm] < 64, rss
    print(f"\nfuzz: {N_PAYLOADS} payloads on {len(targets)} subjects in {wall:.1f}s, "
          f"{rejected_seen} rejections, {valid} valid, rss {rss[0]:.0f}->{rss[-1]:.0f} MB, "
          f"reasons {dict(reasons.most_common(8))}")
    for agent in agents:
        await agent.stop()


async def test_the_flow_still_answers_after_hostile_input(hub: MemoryHub) -> None:
    """The same agents on one hub: a burst of garbage first, then a person is answered."""
    agents = []
    for cls in BY_NAME.values():
        agent = cls(MemoryBus(hub, name=cls.NAME))
        await agent.start()
        agents.append(agent)
    fuzz = MemoryBus(hub, "fuzzer")
    mutator = Mutator(SEED + 1)
    for n, (subject, data) in enumerate(mutator.payloads(consumed_subjects(agents))):
        await fuzz.publish_raw(subject, data)
        if n == 2000:
            break
    await hub.settle()
    assert all(not s.task.done() for s in hub.subscriptions)
    sim = await DeviceSimulator(MemoryBus(hub, "kitchen"), "after-fuzz", "kitchen").start()
    await sim.hear("hey hearth, set a timer for two minutes", speaker="alice")
    assert await sim.wait_said(10.0)
    assert isinstance(sim.said[0], DeviceSay) and "2 minutes" in sim.said[0].text
    for agent in agents:
        await agent.stop()


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats()
    | st.text(max_size=20) | st.binary(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.dictionaries(st.sampled_from(["type", "id", "ts", "household", "source",
                                            "device", "text", "skill", "v", "now"]),
                           _VALUES | st.sampled_from(list(ALL_TYPES)), max_size=8),
       damage=st.binary(max_size=8))
async def test_accept_never_raises_on_structured_garbage(raw: dict[str, Any],
                                                         damage: bytes) -> None:
    """Hypothesis-built maps (and damaged bytes): decoded, or rejected with a reason."""
    hub = MemoryHub()
    bus = MemoryBus(hub, "receiver")
    subject = "hh.h1.device.kitchen.transcript"
    data: bytes = msgpack.packb(raw, use_bin_type=True) + damage
    msg = await bus.accept(subject, data)
    if msg is None:
        [(_subject, out)] = hub.published
        assert decode(out).type == "system.rejected"
        assert msgpack.unpackb(out)["reason"]
    else:
        assert subjects.subject_for(msg) == subject and not hub.published
