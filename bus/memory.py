"""In-memory transport for unit tests: the same semantics as NATS, in one process.

Each subscription drains its own queue in order, as a NATS subscription does; queue groups
deliver each message to one member, round robin; request/reply uses private inboxes.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable

from bus.transport import Bus, Clock, Subscription

RawCallback = Callable[[str, bytes, str | None], Awaitable[None]]


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcard match: ``*`` is one token, a final ``>`` is one or more tokens."""
    p_tokens = pattern.split(".")
    s_tokens = subject.split(".")
    for i, p in enumerate(p_tokens):
        if p == ">":
            return len(s_tokens) > i
        if i >= len(s_tokens) or (p != "*" and p != s_tokens[i]):
            return False
    return len(p_tokens) == len(s_tokens)


class _MemorySubscription(Subscription):
    def __init__(self, hub: MemoryHub, pattern: str, callback: RawCallback, queue: str | None):
        self.hub = hub
        self.pattern = pattern
        self.callback = callback
        self.queue = queue
        self.inbox: asyncio.Queue[tuple[str, bytes, str | None]] = asyncio.Queue()
        self.task = asyncio.create_task(self._drain())

    def deliver(self, subject: str, data: bytes, reply_to: str | None) -> None:
        self.hub.pending += 1
        self.inbox.put_nowait((subject, data, reply_to))

    async def _drain(self) -> None:
        while True:
            subject, data, reply_to = await self.inbox.get()
            try:
                await self.callback(subject, data, reply_to)
            finally:
                self.hub.pending -= 1

    async def unsubscribe(self) -> None:
        if self not in self.hub.subscriptions:
            return  # already gone: its queued messages were discounted then
        self.hub.subscriptions.remove(self)
        self.hub.pending -= self.inbox.qsize()
        self.task.cancel()


class MemoryHub:
    """The shared 'server' that in-memory buses in one test connect to."""

    def __init__(self) -> None:
        self.subscriptions: list[_MemorySubscription] = []
        self.kv: dict[str, dict[str, bytes]] = {}
        self._round_robin: dict[str, itertools.count[int]] = {}
        self._inboxes = itertools.count()
        self.published: list[tuple[str, bytes]] = []
        self.pending = 0  # messages queued to or being handled by a subscription

    def route(self, subject: str, data: bytes, reply_to: str | None) -> None:
        self.published.append((subject, data))
        groups: dict[str, list[_MemorySubscription]] = {}
        for sub in self.subscriptions:
            if not subject_matches(sub.pattern, subject):
                continue
            if sub.queue is None:
                sub.deliver(subject, data, reply_to)
            else:
                groups.setdefault(sub.queue, []).append(sub)
        for queue, members in groups.items():
            turn = next(self._round_robin.setdefault(queue, itertools.count()))
            members[turn % len(members)].deliver(subject, data, reply_to)

    def new_inbox(self) -> str:
        return f"_INBOX.mem.{next(self._inboxes)}"

    async def settle(self, quiet_rounds: int = 5) -> None:
        """Wait until no message is queued or being handled for a few loop turns in a row
        (handlers may publish more, and agents may hand work to tasks)."""
        quiet = 0
        while quiet < quiet_rounds:
            await asyncio.sleep(0)
            quiet = 0 if self.pending else quiet + 1


class MemoryBus(Bus):
    def __init__(self, hub: MemoryHub, name: str = "memory", clock: Clock = time.time) -> None:
        super().__init__(name, clock)
        self.hub = hub
        self._subs: list[_MemorySubscription] = []

    async def publish_raw(self, subject: str, data: bytes, reply_to: str | None = None) -> None:
        self.hub.route(subject, data, reply_to)

    async def subscribe_raw(
        self, pattern: str, callback: RawCallback, queue: str | None = None
    ) -> Subscription:
        sub = _MemorySubscription(self.hub, pattern, callback, queue)
        self.hub.subscriptions.append(sub)
        self._subs.append(sub)
        return sub

    async def request_raw(self, subject: str, data: bytes, timeout: float) -> bytes:
        inbox = self.hub.new_inbox()
        answer: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

        async def on_reply(_subject: str, reply: bytes, _reply_to: str | None) -> None:
            if not answer.done():
                answer.set_result(reply)

        sub = await self.subscribe_raw(inbox, on_reply)
        try:
            if not any(subject_matches(s.pattern, subject) for s in self.hub.subscriptions):
                raise TimeoutError(f"no responders on {subject}")
            self.hub.route(subject, data, inbox)
            return await asyncio.wait_for(answer, timeout)
        finally:
            await sub.unsubscribe()

    async def kv_get(self, bucket: str, key: str) -> bytes | None:
        return self.hub.kv.get(bucket, {}).get(key)

    async def kv_put(self, bucket: str, key: str, value: bytes) -> None:
        self.hub.kv.setdefault(bucket, {})[key] = value

    async def kv_delete(self, bucket: str, key: str) -> None:
        self.hub.kv.get(bucket, {}).pop(key, None)

    async def kv_keys(self, bucket: str) -> list[str]:
        return sorted(self.hub.kv.get(bucket, {}))

    async def close(self) -> None:
        for sub in self._subs:
            await sub.unsubscribe()
        self._subs.clear()
