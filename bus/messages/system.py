"""Messages about the system itself: rejections, errors, the bus clock, bench probes."""

from __future__ import annotations

from typing import Literal

from bus.messages.base import Message


class Rejected(Message):
    """A payload that could not be accepted, and why; the receiver carried on."""

    type: Literal["system.rejected"] = "system.rejected"
    subject: str
    reason: str
    head: bytes  # the first bytes of the payload, for diagnosis
    receiver: str


class AgentError(Message):
    """A handler raised: the message was valid but the agent could not act on it."""

    type: Literal["system.error"] = "system.error"
    agent: str
    handler: str
    message_type: str
    message_id: str
    error: str


class Clock(Message):
    """Virtual bus time for one household (scenario replay); ``now`` is the new time."""

    type: Literal["system.clock"] = "system.clock"
    now: float


class Ping(Message):
    type: Literal["system.ping"] = "system.ping"
    seq: int
    sent: float  # time.perf_counter() of the sender: a system-wide monotonic clock


class Pong(Message):
    type: Literal["system.pong"] = "system.pong"
    seq: int
    sent: float
    received: float  # time.perf_counter() when the ping's handler ran
