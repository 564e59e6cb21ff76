"""Watchdog: an addressed turn is answered, retried, or told it failed; never silently lost.

Core NATS delivers at most once: if the dialogue actor dies (and Ray restarts it) while an
intent is on its way, that intent is gone. The watchdog follows each interaction from
``turn.addressed`` through ``intent.recognized`` and ``response.say`` to the ``device.say``
that ends it. When an interaction stops moving for ``RETRY_AFTER_S``, the watchdog publishes
the furthest message again, up to ``RETRIES`` times (same id: the event log keeps it once, by
Nats-Msg-Id), so the restarted agent picks it up; when it is still stuck after that (or the
agent reported an error on it), the device says so honestly.

The deadlines are processing deadlines in real (monotonic) time, not bus time: a replay's
virtual clock jumps minutes in a millisecond, while a crashed actor takes real seconds to
come back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from agents.base import REDELIVERED, Agent, on
from bus.messages import AgentError, DeviceSay, IntentRecognized, ResponseSay, TurnAddressed

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5.0  # above the dialogue's 3 s skill timeout, which answers on its own
RETRIES = 2  # a restarted actor may take a few seconds to come back
# An overloaded system stalls many interactions at once: retry a few per sweep, not a storm.
# (A retry reaching an agent that already has the message is dropped there: agents/base.py.)
RETRIES_PER_SWEEP = 20
SWEEP_EVERY_S = 0.25
MAX_TRACKED = 10_000  # interactions in flight at once; the oldest are forgotten beyond this
SORRY = "Sorry, I lost track of that. Please say it again."

Stage = TurnAddressed | IntentRecognized | ResponseSay
_RANK = {TurnAddressed: 0, IntentRecognized: 1, ResponseSay: 2}


@dataclass
class InFlight:
    last: Stage  # the furthest message of the interaction seen so far
    deadline: float  # monotonic seconds
    retries: int = 0


class _Recent:
    """A bounded set of ids (what has already finished)."""

    def __init__(self, size: int = MAX_TRACKED) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def add(self, key: str) -> None:
        self._ids[key] = None
        self._ids.move_to_end(key)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        return key in self._ids


class WatchdogAgent(Agent):
    NAME = "watchdog"
    SINGLETON = True  # it must see every step of an interaction
    PUBLISHES = (TurnAddressed, IntentRecognized, ResponseSay)

    async def on_start(self) -> None:
        # What this agent re-publishes is exactly what agents drop when they already have it.
        assert {c.type_name() for c in self.PUBLISHES} == REDELIVERED
        self.inflight: OrderedDict[str, InFlight] = OrderedDict()
        self.done_interactions = _Recent()
        self.done_responses = _Recent()
        self.retries = 0
        self.failures = 0
        # Config keys so tests can shorten the wait; defaults are for real deployments.
        self.retry_after_s = float(self.config.get("watchdog_retry_s", RETRY_AFTER_S))
        self.max_retries = int(self.config.get("watchdog_retries", RETRIES))
        self._sweeper = asyncio.create_task(self._sweep())

    async def on_stop(self) -> None:
        self._sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._sweeper

    def _progress(self, msg: Stage) -> None:
        # Handlers of different subscriptions may run out of order: never move backwards,
        # and ignore a step of something that was already said.
        if isinstance(msg, ResponseSay):
            if msg.id in self.done_responses:
                return
        elif msg.correlation_id in self.done_interactions:
            return
        current = self.inflight.get(msg.correlation_id)
        if current is not None and (current.last.id == msg.id
                                    or _RANK[type(current.last)] > _RANK[type(msg)]):
            return  # our own retry coming back, or an earlier step arriving late
        self.inflight[msg.correlation_id] = InFlight(msg, time.monotonic() + self.retry_after_s)
        self.inflight.move_to_end(msg.correlation_id)
        while len(self.inflight) > MAX_TRACKED:
            self.inflight.popitem(last=False)

    @on(TurnAddressed)
    async def turn(self, msg: TurnAddressed) -> None:
        self._progress(msg)

    @on(IntentRecognized)
    async def intent(self, msg: IntentRecognized) -> None:
        self._progress(msg)

    @on(ResponseSay)
    async def response(self, msg: ResponseSay) -> None:
        self._progress(msg)

    @on(DeviceSay)
    async def said(self, msg: DeviceSay) -> None:
        self.done_interactions.add(msg.correlation_id)
        if msg.response_id:
            self.done_responses.add(msg.response_id)
        current = self.inflight.get(msg.correlation_id)
        if current is not None and (not isinstance(current.last, ResponseSay)
                                    or current.last.id == msg.response_id):
            del self.inflight[msg.correlation_id]

    @on(AgentError)
    async def failed(self, msg: AgentError) -> None:
        current = self.inflight.get(msg.correlation_id)
        if current is not None and current.last.id == msg.message_id:
            current.retries = self.max_retries  # it would fail again: answer honestly now
            current.deadline = time.monotonic()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY_S)
            now = time.monotonic()
            stuck = [(k, f) for k, f in self.inflight.items()
                     if f.deadline <= now][:RETRIES_PER_SWEEP]
            for key, flight in stuck:
                try:
                    await self._unstick(key, flight, now)
                except Exception:  # the bus may be reconnecting; try again next sweep
                    log.exception("watchdog could not act on %s", key)

    async def _unstick(self, key: str, flight: InFlight, now: float) -> None:
        last = flight.last
        if flight.retries < self.max_retries:
            flight.retries += 1
            flight.deadline = now + self.retry_after_s
            self.retries += 1
            log.warning("retrying %s of %s (%s): no progress for %.1f s", last.type, key,
                        last.household, self.retry_after_s)
            await self.publish(last)
            return
        del self.inflight[key]
        if isinstance(last, ResponseSay) and last.source == self.source:
            log.error("could not even say that %s failed (%s)", key, last.household)
            return
        self.failures += 1
        speaker = last.to if isinstance(last, ResponseSay) else last.speaker
        await self.publish(self.derive(last, ResponseSay, device=last.device, text=SORRY,
                                       to=speaker))
