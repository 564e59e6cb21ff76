"""The ``Bus`` interface every transport implements, and the shared receive path.

Receiving is where hostile input meets the system, so it is written once, here: a payload
that fails to decode, or that claims a subject other than the one it arrived on, becomes a
``system.rejected`` message naming the reason, and the subscriber simply carries on.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Awaitable, Callable

from bus import subjects
from bus.codec import DecodeError, decode, encode, head
from bus.messages import Message, Rejected
from bus.messages.base import TOKEN_RE

log = logging.getLogger(__name__)

# A handler gets the message and, for a request, the inbox to answer with ``Bus.respond``.
Handler = Callable[[Message, str | None], Awaitable[None]]
Clock = Callable[[], float]


class Subscription(abc.ABC):
    @abc.abstractmethod
    async def unsubscribe(self) -> None: ...


class Bus(abc.ABC):
    """Publish/subscribe, queue groups, request/reply and key-value state for Hearth."""

    def __init__(self, name: str, clock: Clock) -> None:
        self.name = name
        self._clock = clock
        self.rejected_count = 0

    # -- transport primitives -------------------------------------------------------------
    @abc.abstractmethod
    async def publish_raw(self, subject: str, data: bytes, reply_to: str | None = None) -> None:
        """Put bytes on a subject as they are (devices, bridges and hostile-input tests)."""

    @abc.abstractmethod
    async def subscribe_raw(
        self,
        pattern: str,
        callback: Callable[[str, bytes, str | None], Awaitable[None]],
        queue: str | None = None,
    ) -> Subscription: ...

    @abc.abstractmethod
    async def request_raw(self, subject: str, data: bytes, timeout: float) -> bytes: ...

    @abc.abstractmethod
    async def kv_get(self, bucket: str, key: str) -> bytes | None: ...

    @abc.abstractmethod
    async def kv_put(self, bucket: str, key: str, value: bytes) -> None: ...

    @abc.abstractmethod
    async def kv_delete(self, bucket: str, key: str) -> None: ...

    @abc.abstractmethod
    async def kv_keys(self, bucket: str) -> list[str]: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    # -- typed layer, shared by every transport -------------------------------------------
    async def publish(self, msg: Message) -> None:
        await self.publish_raw(subjects.subject_for(msg), encode(msg))

    async def respond(self, reply_to: str, msg: Message) -> None:
        await self.publish_raw(reply_to, encode(msg))

    async def request(self, msg: Message, timeout: float = 5.0) -> Message:
        data = await self.request_raw(subjects.subject_for(msg), encode(msg), timeout)
        return decode(data)

    async def subscribe(
        self, pattern: str, handler: Handler, queue: str | None = None
    ) -> Subscription:
        async def receive(subject: str, data: bytes, reply_to: str | None) -> None:
            msg = await self.accept(subject, data)
            if msg is None:
                return
            try:
                await handler(msg, reply_to)
            except Exception:  # a handler bug must not kill the subscription
                log.exception("%s: handler for %s failed", self.name, msg.type)

        return await self.subscribe_raw(pattern, receive, queue)

    async def accept(self, subject: str, data: bytes) -> Message | None:
        """Decode a received payload, or publish why it was rejected and return None."""
        try:
            msg = decode(data)
            expected = subjects.subject_for(msg)
            if expected != subject:
                raise DecodeError(f"{msg.type} for {expected} arrived on {subject}")
        except DecodeError as err:
            await self.reject(subject, data, err.reason)
            return None
        return msg

    async def reject(self, subject: str, data: bytes, reason: str) -> None:
        self.rejected_count += 1
        log.warning("%s rejected a payload on %s: %s", self.name, subject, reason)
        if subject.endswith(".system.rejected"):
            return  # never answer a bad rejection with another one
        household = subjects.household_of(subject)
        if household is None or not TOKEN_RE.match(household):
            household = "unknown"
        rejected = Rejected(
            ts=self._clock(),
            household=household,
            source=self.name,
            subject=subject[:256],
            reason=reason[:500],
            head=head(data),
            receiver=self.name,
        )
        try:
            await self.publish(rejected)
        except Exception:  # the bus may be closing; the warning above is the record
            log.exception("%s could not publish a rejection", self.name)
