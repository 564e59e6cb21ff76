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

from bus import subjects
from bus.auth import Credentials
from bus.codec import encode
from bus.jetstream import ensure_bucket
from bus.messages import Message
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
        self.errors: list[str] = []  # the last asynchronous errors from the server

    @classmethod
    async def connect(cls, url: str, name: str, clock: Clock = time.time,
                      creds: Credentials | None = None) -> NatsBus:
        """Connect (with ``creds`` when the server has users, bus/auth.py)."""
        errors: list[str] = []
        connected = False

        async def on_error(err: Exception) -> None:
            if not connected and "authorization" in str(err).lower():
                # Raised out of nats.connect: wrong or missing credentials do not get better
                # by retrying, so say so at once.
                raise PermissionError(f"NATS at {url} refused {name}: {err}")
            errors.append(str(err))  # permission violations arrive here, not as exceptions
            del errors[:-20]
            log.warning("%s: NATS error: %s", name, err)

        nc = await nats.connect(
            servers=[url],
            name=name,
            max_reconnect_attempts=10,  # the first connection: the server should be up
            reconnect_time_wait=0.5,
            error_cb=on_error,
            **(creds.connect_options() if creds else {}),
        )
        connected = True
        nc.options["max_reconnect_attempts"] = -1  # from now on keep trying: it may restart
        bus = cls(nc, name, clock)
        bus.errors = errors
        return bus

    async def publish(self, msg: Message) -> None:
        # The message id as Nats-Msg-Id: the event stream drops a re-sent copy (a retry after
        # a reconnect) within its duplicate window, so the log holds each event once.
        await self.nc.publish(subjects.subject_for(msg), encode(msg),
                              headers={"Nats-Msg-Id": msg.id})

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
