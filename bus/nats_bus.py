"""NATS transport: core pub/sub with queue groups, request/reply, JetStream KV for state."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as NatsSub
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import BucketNotFoundError, KeyNotFoundError, NoKeysError
from nats.js.kv import KeyValue

from bus.jetstream import ensure_bucket
from bus.transport import Bus, Clock, Subscription

log = logging.getLogger(__name__)

RawCallback = Callable[[str, bytes, str | None], Awaitable[None]]


class _NatsSubscription(Subscription):
    def __init__(self, sub: NatsSub) -> None:
        self._sub = sub

    async def unsubscribe(self) -> None:
        await self._sub.unsubscribe()


class NatsBus(Bus):
    def __init__(self, nc: Client, name: str, clock: Clock = time.time) -> None:
        super().__init__(name, clock)
        self.nc = nc
        self.js = nc.jetstream()
        self._buckets: dict[str, KeyValue] = {}

    @classmethod
    async def connect(cls, url: str, name: str, clock: Clock = time.time) -> NatsBus:
        async def on_error(err: Exception) -> None:
            log.warning("%s: NATS error: %s", name, err)

        nc = await nats.connect(
            servers=[url],
            name=name,
            max_reconnect_attempts=-1,  # keep trying: the server may be restarting
            reconnect_time_wait=0.5,
            error_cb=on_error,
        )
        return cls(nc, name, clock)

    async def publish_raw(self, subject: str, data: bytes, reply_to: str | None = None) -> None:
        await self.nc.publish(subject, data, reply=reply_to or "")

    async def subscribe_raw(
        self, pattern: str, callback: RawCallback, queue: str | None = None
    ) -> Subscription:
        async def on_msg(msg: Msg) -> None:
            await callback(msg.subject, msg.data, msg.reply or None)

        sub = await self.nc.subscribe(pattern, queue=queue or "", cb=on_msg)
        return _NatsSubscription(sub)

    async def request_raw(self, subject: str, data: bytes, timeout: float) -> bytes:
        try:
            reply = await self.nc.request(subject, data, timeout=timeout)
        except NoRespondersError:
            raise TimeoutError(f"no responders on {subject}") from None
        except NatsTimeout:
            raise TimeoutError(f"no reply on {subject} within {timeout}s") from None
        return reply.data

    async def _bucket(self, bucket: str) -> KeyValue:
        kv = self._buckets.get(bucket)
        if kv is None:
            kv = await ensure_bucket(self.js, bucket)
            self._buckets[bucket] = kv
        return kv

    async def kv_get(self, bucket: str, key: str) -> bytes | None:
        kv = await self._bucket(bucket)
        try:
            entry = await kv.get(key)
        except (KeyNotFoundError, BucketNotFoundError):
            return None
        return entry.value

    async def kv_put(self, bucket: str, key: str, value: bytes) -> None:
        await (await self._bucket(bucket)).put(key, value)

    async def kv_delete(self, bucket: str, key: str) -> None:
        kv = await self._bucket(bucket)
        with contextlib.suppress(KeyNotFoundError):
            await kv.purge(key)

    async def kv_keys(self, bucket: str) -> list[str]:
        kv = await self._bucket(bucket)
        try:
            return sorted(await kv.keys())
        except NoKeysError:
            return []

    async def close(self) -> None:
        if not self.nc.is_closed:
            await self.nc.drain()
