"""The ``Agent`` base: declared handlers, declared publications, bus time, lifecycle.

An agent says what it consumes with ``@on(MessageType)`` and what it may publish in
``PUBLISHES``; ``hearth graph`` reads the whole flow off these declarations. Messages of one
household are handled in arrival order, while households never wait for each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, TypeVar

from agents.log_privacy import install_log_scrubber
from agents.scheduler import Scheduler
from bus import subjects
from bus.clock import BusClock, restore_virtual_time
from bus.messages import AgentError, Clock, Message, derive
from bus.transport import Bus, Subscription

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)
HandlerFn = Callable[[Any], Awaitable[Message | None]]
F = TypeVar("F", bound=Callable[..., Awaitable[Message | None]])

_MARK = "__hearth_on__"
SEEN_IDS = 4096  # per handler: recent message ids, to drop re-delivered copies
# The types agents/watchdog.py may publish again (same id) when an interaction is stuck.
# Other types keep every copy (the audio agent counts duplicate frames itself).
REDELIVERED = frozenset({"turn.addressed", "intent.recognized", "response.say"})


class UndeclaredPublish(TypeError):
    """An agent tried to publish a message type missing from its ``PUBLISHES``."""


def on(msg_type: type[Message], *, broadcast: bool = False) -> Callable[[F], F]:
    """Mark a method as the handler of ``msg_type``.

    Replicas of an agent share the work through a NATS queue group; ``broadcast=True`` gives
    every replica every message instead (for state every replica needs, such as the clock).
    A handler may return a message: it becomes the reply when the message was a request.
    """

    def mark(fn: F) -> F:
        setattr(fn, _MARK, (msg_type, broadcast))
        return fn

    return mark


class Agent:
    NAME: ClassVar[str] = "agent"
    PUBLISHES: ClassVar[tuple[type[Message], ...]] = ()
    # True for agents that hold scheduled work in memory (timers): one replica only.
    SINGLETON: ClassVar[bool] = False
    # Built per class from the @on marks across the class hierarchy: type -> (method, broadcast)
    HANDLERS: ClassVar[dict[type[Message], tuple[str, bool]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type[Message], tuple[str, bool]] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                mark = getattr(value, _MARK, None)
                if mark is None:
                    continue
                msg_type, broadcast = mark
                seen = handlers.get(msg_type)
                if seen is not None and seen[0] != name:
                    raise TypeError(
                        f"{cls.__name__}: {msg_type.__name__} is handled by both "
                        f"{seen[0]}() and {name}()"
                    )
                handlers[msg_type] = (name, broadcast)
        cls.HANDLERS = handlers

    def __init__(
        self,
        bus: Bus,
        clock: BusClock | None = None,
        config: Mapping[str, Any] | None = None,
        replica: int = 0,
    ) -> None:
        self.bus = bus
        self.clock = clock or BusClock()
        self.config: Mapping[str, Any] = config or {}
        self.replica = replica
        self.scheduler = Scheduler(self.clock)
        self._subs: list[Subscription] = []
        self._lanes: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.handled = 0
        self.duplicates = 0  # re-deliveries of a message id already taken (retries)

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self) -> None:
        install_log_scrubber()  # no log line of this process carries personal data (issue 8)
        await restore_virtual_time(self.bus, self.clock)
        await self.on_start()
        for msg_type, (name, broadcast) in self.HANDLERS.items():
            handler: HandlerFn = getattr(self, name)
            queue = None if broadcast else self.NAME
            sub = await self.bus.subscribe(
                self.pattern_for(msg_type), self._receiver(handler), queue=queue
            )
            self._subs.append(sub)
        self.scheduler.start()

    async def stop(self) -> None:
        for sub in self._subs:
            await sub.unsubscribe()
        self._subs.clear()
        await self.scheduler.stop()
        await self.idle()
        await self.on_stop()

    async def on_start(self) -> None:
        """Load state (from KV) before any message arrives."""

    async def on_stop(self) -> None:
        """Release what the agent holds."""

    async def idle(self) -> None:
        """Wait until every message received so far has been handled."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def pattern_for(self, msg_type: type[Message]) -> str:
        return subjects.pattern(msg_type)

    # -- time -----------------------------------------------------------------------------
    def now(self, household: str) -> float:
        return self.clock.now(household)

    @on(Clock, broadcast=True)
    async def _on_clock(self, msg: Clock) -> None:
        # Wake even when the clock did not move here: agents sharing one clock in a process
        # see the jump only once, but every scheduler must look again.
        self.clock.set_virtual(msg.household, msg.now)
        self.scheduler.wake()

    # -- publishing -----------------------------------------------------------------------
    @property
    def source(self) -> str:
        return self.NAME if self.replica == 0 else f"{self.NAME}-{self.replica}"

    def derive(self, parent: Message, cls: type[M], **fields: Any) -> M:
        """A message caused by ``parent``, stamped with this agent and the bus time."""
        return derive(parent, cls, source=self.source, ts=self.now(parent.household), **fields)

    def make(self, cls: type[M], household: str, **fields: Any) -> M:
        """A message that starts (or continues, given ``correlation_id``) an interaction."""
        return cls(source=self.source, ts=self.now(household), household=household, **fields)

    def check_declared(self, msg: Message) -> None:
        if not isinstance(msg, (*self.PUBLISHES, AgentError)):
            raise UndeclaredPublish(
                f"{self.NAME} does not declare {type(msg).__name__} in PUBLISHES"
            )

    async def publish(self, msg: Message) -> None:
        self.check_declared(msg)
        await self.bus.publish(msg)

    async def request(self, msg: Message, timeout: float = 5.0) -> Message:
        """Ask another agent and wait for its answer (raises TimeoutError when none comes)."""
        self.check_declared(msg)
        return await self.bus.request(msg, timeout)

    # -- receiving ------------------------------------------------------------------------
    def _receiver(self, handler: HandlerFn) -> Callable[[Message, str | None], Awaitable[None]]:
        seen: OrderedDict[str, None] = OrderedDict()  # ids this handler already took

        async def receive(msg: Message, reply_to: str | None) -> None:
            # A message id seen again is a retry (agents/watchdog.py) of something this
            # instance already has: drop it. Only a restarted (empty) instance takes it up.
            if msg.type in REDELIVERED:
                if msg.id in seen:
                    self.duplicates += 1
                    return
                seen[msg.id] = None
                if len(seen) > SEEN_IDS:
                    seen.popitem(last=False)
            lane = self._lanes.setdefault(msg.household, asyncio.Lock())
            task = asyncio.create_task(self._handle(lane, handler, msg, reply_to))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        return receive

    async def _handle(
        self, lane: asyncio.Lock, handler: HandlerFn, msg: Message, reply_to: str | None
    ) -> None:
        async with lane:
            try:
                result = await handler(msg)
                self.handled += 1
                if result is not None and reply_to:
                    self.check_declared(result)
                    await self.bus.respond(reply_to, result)
            except Exception as exc:
                log.exception("%s.%s failed on %s", self.NAME, handler.__name__, msg.type)
                await self.bus.publish(
                    self.derive(
                        msg,
                        AgentError,
                        agent=self.NAME,
                        handler=handler.__name__,
                        message_type=msg.type,
                        message_id=msg.id,
                        error=f"{type(exc).__name__}: {exc}"[:500],
                    )
                )
