"""bus/memory.py and the shared receive path of bus/transport.py, in one process."""

from __future__ import annotations

import asyncio
import contextlib
import time

import msgpack
import pytest
from conftest import BusFactory, envelope, ping, published

from bus import subjects
from bus.codec import encode
from bus.memory import MemoryBus, MemoryHub, subject_matches
from bus.messages import Message, Ping, Pong, Rejected


class Inbox:
    """A handler that keeps what it gets."""

    def __init__(self) -> None:
        self.got: list[Message] = []

    async def __call__(self, msg: Message, _reply_to: str | None) -> None:
        self.got.append(msg)

    def seqs(self) -> list[int]:
        return [m.seq for m in self.got if isinstance(m, Ping)]


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        ("hh.h1.system.ping", "hh.h1.system.ping", True),
        ("hh.h1.system.ping", "hh.h2.system.ping", False),
        ("hh.*.system.ping", "hh.h2.system.ping", True),
        ("hh.*.system.ping", "hh.h2.system.pong", False),
        ("hh.*.device.*.say", "hh.h1.device.kitchen.say", True),
        ("hh.*.device.*.say", "hh.h1.device.say", False),
        ("hh.*", "hh.h1", True),
        ("hh.*", "hh.h1.x", False),
        ("hh.>", "hh.h1", True),
        ("hh.>", "hh.h1.device.kitchen.say", True),
        ("hh.>", "hh", False),
        ("hh.h1.>", "hh.h2.x", False),
        (">", "anything.at.all", True),
        ("hh.*.>", "hh.h1", False),
        ("hh.*.>", "hh.h1.x", True),
        ("hh.h1.system.ping", "hh.h1.system.ping.extra", False),
        ("hh.h1.system.ping.extra", "hh.h1.system.ping", False),
        ("*", "hh", True),
    ],
)
def test_subject_matches(pattern: str, subject: str, expected: bool) -> None:
    assert subject_matches(pattern, subject) is expected


async def test_non_queue_subscribers_all_get_every_message(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    a, b = Inbox(), Inbox()
    rx1, rx2, tx = make_bus("rx1"), make_bus("rx2"), make_bus("tx")
    await rx1.subscribe(subjects.pattern(Ping), a)
    await rx2.subscribe(subjects.pattern(Ping, household="h1"), b)
    for seq in range(3):
        await tx.publish(ping(seq))
    await tx.publish(ping(9, household="h2"))
    await hub.settle()
    assert a.seqs() == [0, 1, 2, 9]
    assert b.seqs() == [0, 1, 2]


async def test_a_queue_group_delivers_each_message_to_one_member_round_robin(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    members = [Inbox() for _ in range(3)]
    watcher, other_group = Inbox(), Inbox()
    for i, member in enumerate(members):
        await make_bus(f"m{i}").subscribe(subjects.pattern(Ping), member, queue="workers")
    await make_bus("w").subscribe(subjects.pattern(Ping), watcher)
    await make_bus("o").subscribe(subjects.pattern(Ping), other_group, queue="others")
    tx = make_bus("tx")
    for seq in range(7):
        await tx.publish(ping(seq))
    await hub.settle()
    assert [m.seqs() for m in members] == [[0, 3, 6], [1, 4], [2, 5]]
    assert sorted(s for m in members for s in m.seqs()) == list(range(7))
    assert watcher.seqs() == list(range(7))  # outside the group: gets all of them
    assert other_group.seqs() == list(range(7))  # a second group gets its own copy


async def test_request_reply(hub: MemoryHub, make_bus: BusFactory) -> None:
    server, client = make_bus("server"), make_bus("client")

    async def answer(msg: Message, reply_to: str | None) -> None:
        assert isinstance(msg, Ping)
        assert reply_to is not None and reply_to.startswith("_INBOX.")
        await server.respond(reply_to, Pong(**envelope(), seq=msg.seq * 10, sent=msg.sent,
                                             received=1.0))

    await server.subscribe(subjects.pattern(Ping), answer)
    subscriptions = len(hub.subscriptions)
    reply = await client.request(ping(4), timeout=1.0)
    assert isinstance(reply, Pong)
    assert reply.seq == 40
    assert len(hub.subscriptions) == subscriptions  # the private inbox is gone again


async def test_request_without_responders_times_out_at_once(make_bus: BusFactory) -> None:
    client = make_bus("client")
    began = time.monotonic()
    with pytest.raises(TimeoutError, match="no responders"):
        await client.request(ping(1), timeout=5.0)
    assert time.monotonic() - began < 1.0


async def test_request_to_a_silent_responder_times_out(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    silent = Inbox()
    await make_bus("silent").subscribe(subjects.pattern(Ping), silent)
    with pytest.raises(TimeoutError):
        await make_bus("client").request(ping(1), timeout=0.05)
    assert silent.seqs() == [1]


async def test_kv(make_bus: BusFactory) -> None:
    a, b = make_bus("a"), make_bus("b")
    assert await a.kv_get("timers", "x") is None
    assert await a.kv_keys("timers") == []
    await a.kv_put("timers", "k2", b"two")
    await a.kv_put("timers", "k1", b"one")
    await a.kv_put("dialogue", "k1", b"other bucket")
    assert await b.kv_get("timers", "k1") == b"one"  # state lives in the hub, not the bus
    assert await b.kv_keys("timers") == ["k1", "k2"]
    await a.kv_put("timers", "k1", b"uno")
    assert await b.kv_get("timers", "k1") == b"uno"
    await b.kv_delete("timers", "k1")
    await b.kv_delete("timers", "never-there")
    await b.kv_delete("no-bucket", "k")
    assert await a.kv_get("timers", "k1") is None
    assert await a.kv_keys("timers") == ["k2"]
    assert await a.kv_get("dialogue", "k1") == b"other bucket"


async def test_close_stops_delivery(hub: MemoryHub, make_bus: BusFactory) -> None:
    got = Inbox()
    rx = make_bus("rx")
    await rx.subscribe(subjects.pattern(Ping), got)
    await make_bus("tx").publish(ping(1))
    await hub.settle()
    await rx.close()
    await make_bus("tx2").publish(ping(2))
    await hub.settle()
    assert got.seqs() == [1]
    assert hub.subscriptions == []


# -- rejection: hostile input becomes system.rejected, and the subscriber carries on ---------


async def _receiver(make_bus: BusFactory) -> tuple[MemoryBus, Inbox, Inbox]:
    rx = make_bus("rx")
    handled, rejected = Inbox(), Inbox()
    await rx.subscribe(subjects.pattern(Ping), handled)
    await make_bus("observer").subscribe(subjects.pattern(Rejected), rejected)
    return rx, handled, rejected


async def test_garbage_is_rejected_and_the_next_message_handled(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    rx, handled, rejected = await _receiver(make_bus)
    tx = make_bus("tx")
    garbage = b"\xc1" + bytes(range(100))
    await tx.publish_raw("hh.h1.system.ping", garbage)
    await hub.settle()
    await tx.publish(ping(2))
    await hub.settle()
    assert handled.seqs() == [2]
    assert len(rejected.got) == 1
    r = rejected.got[0]
    assert isinstance(r, Rejected)
    assert r.subject == "hh.h1.system.ping"
    assert r.reason.startswith("not msgpack: ")
    assert r.head == garbage[:64]
    assert (r.receiver, r.source, r.household) == ("rx", "rx", "h1")
    assert rx.rejected_count == 1


async def test_schema_invalid_msgpack_is_rejected_with_the_field(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    rx, handled, rejected = await _receiver(make_bus)
    tx = make_bus("tx")
    bad = msgpack.packb({"type": "system.ping", **envelope(), "seq": 1})
    await tx.publish_raw("hh.h1.system.ping", bad)
    await tx.publish_raw("hh.h1.system.ping", msgpack.packb([1, 2, 3]))
    await tx.publish(ping(3))
    await hub.settle()
    assert handled.seqs() == [3]
    reasons = [r.reason for r in rejected.got if isinstance(r, Rejected)]
    assert reasons == [
        "invalid system.ping field 'sent': Field required",
        "payload is a msgpack list, not a map",
    ]
    first = rejected.got[0]
    assert isinstance(first, Rejected)
    assert first.head == bad[:64]
    assert rx.rejected_count == 2


async def test_a_valid_message_on_the_wrong_subject_is_rejected(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    _rx, handled, rejected = await _receiver(make_bus)
    tx = make_bus("tx")
    data = encode(ping(5, household="h1"))
    await tx.publish_raw("hh.h2.system.ping", data)
    await tx.publish(ping(6, household="h2"))
    await hub.settle()
    assert handled.seqs() == [6]
    assert len(rejected.got) == 1
    r = rejected.got[0]
    assert isinstance(r, Rejected)
    assert r.reason == "system.ping for hh.h1.system.ping arrived on hh.h2.system.ping"
    assert r.household == "h2"  # the household of the subject it arrived on
    assert r.head == data[:64]


async def test_a_subject_with_a_bad_household_is_rejected_as_unknown(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    await make_bus("rx").subscribe("hh.*.system.ping", Inbox())
    await make_bus("tx").publish_raw("hh.b@d.system.ping", b"\xc1")
    await hub.settle()
    rejections = published(hub, Rejected)
    assert [(r.household, r.subject) for r in rejections] == [("unknown", "hh.b@d.system.ping")]


async def test_a_bad_rejection_is_not_answered_with_another(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    rx = make_bus("rx")
    await rx.subscribe(subjects.pattern(Rejected), Inbox())
    await make_bus("tx").publish_raw("hh.h1.system.rejected", b"\xc1")
    await hub.settle()
    assert rx.rejected_count == 1
    assert len(hub.published) == 1  # only the bad payload itself: no rejection loop


async def test_a_handler_that_raises_does_not_kill_the_subscription(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    seen: list[int] = []

    async def flaky(msg: Message, _reply_to: str | None) -> None:
        assert isinstance(msg, Ping)
        seen.append(msg.seq)
        if msg.seq == 1:
            raise RuntimeError("boom")

    await make_bus("rx").subscribe(subjects.pattern(Ping), flaky)
    tx = make_bus("tx")
    for seq in (1, 2):
        await tx.publish(ping(seq))
    await hub.settle()
    assert seen == [1, 2]


async def test_an_unhashable_type_is_rejected_and_the_subscriber_carries_on(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    _rx, handled, rejected = await _receiver(make_bus)
    tx = make_bus("tx")
    bad = msgpack.packb({"type": ["system.ping"], **envelope(), "seq": 1, "sent": 0.0})
    await tx.publish_raw("hh.h1.system.ping", bad)
    await tx.publish(ping(2))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(hub.settle(), 0.5)
    assert handled.seqs() == [2]
    assert len(rejected.got) == 1


async def test_unsubscribing_twice_keeps_the_pending_count(
    hub: MemoryHub, make_bus: BusFactory
) -> None:
    rx = make_bus("rx")
    sub = await rx.subscribe(subjects.pattern(Ping), Inbox())
    tx = make_bus("tx")
    await tx.publish(ping(1))
    await tx.publish(ping(2))  # both still queued: the drain task has not run yet
    await sub.unsubscribe()
    await rx.close()  # unsubscribes the same subscription again
    assert hub.pending == 0
    await asyncio.wait_for(hub.settle(), 0.5)
