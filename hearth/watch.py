"""``hearth watch``: the live bus as one readable, coloured line per message, or JSON lines.

Messages of one interaction share a short correlation tag and colour, and a message caused
by another is indented under it, so a conversation reads as a tree in arrival order. Replies
to requests (``skill.result``) travel on NATS inboxes rather than household subjects, so the
watcher also listens there and keeps the replies that decode as Hearth messages. High-rate
frame types (audio) are counted and summarised instead of printed one by one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bus.auth import Credentials
from bus.codec import DecodeError, decode
from bus.describe import describe, is_frame_type, plain
from bus.messages import Message
from bus.nats_bus import NatsBus
from bus.transport import Bus, Subscription
from scenarios.recorder import Seen

INBOX = "_INBOX.>"  # where NATS request/reply answers travel (nats-py's default prefix)
REPLY = "reply"  # shown instead of the (random) inbox subject
MAX_INDENT = 8
REMEMBERED = 5000  # message ids kept for indentation; older causes print unindented
FLUSH_S = 1.0
TAG_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan",
               "bright_magenta", "bright_green", "bright_blue", "orange3", "orchid")
TYPE_STYLES = {
    "device": "bright_cyan", "perception": "blue", "turn": "green", "intent": "magenta",
    "dialogue": "grey62", "skill": "yellow", "response": "bright_magenta",
    "speech": "magenta", "system": "grey50",
}
ALERT_TYPES = ("system.rejected", "system.error")

Line = Text | str


def pattern(household: str | None) -> str:
    return f"hh.{household or '*'}.>"


class WatchView:
    """Turns raw bus payloads into lines: rich ``Text`` for people, JSON strings for machines.

    Pure and synchronous, so the formatting is unit-tested without a bus.
    """

    def __init__(self, as_json: bool = False, show_household: bool = True,
                 tz: tzinfo | None = None, wall: Callable[[], float] = time.time) -> None:
        self.as_json = as_json
        self.show_household = show_household
        self.tz = tz
        self.wall = wall
        self._tags: dict[str, tuple[str, str]] = {}
        self._depth: OrderedDict[str, int] = OrderedDict()
        self._frames: Counter[tuple[str, str]] = Counter()  # (subject, type) -> frames held back

    # -- the pieces of a line ---------------------------------------------------------------
    def tag(self, correlation_id: str) -> tuple[str, str]:
        """A short tag and a colour for an interaction, stable for the whole watch."""
        known = self._tags.get(correlation_id)
        if known is None:
            colour = TAG_COLOURS[len(self._tags) % len(TAG_COLOURS)]
            known = (correlation_id[:4], colour)
            if len(self._tags) > REMEMBERED:
                self._tags.clear()
            self._tags[correlation_id] = known
        return known

    def depth(self, msg: Message) -> int:
        """How deep in its interaction's cause tree a message sits (0: it started something)."""
        parent = self._depth.get(msg.causation_id) if msg.causation_id else None
        level = 0 if msg.causation_id is None else (parent + 1 if parent is not None else 1)
        self._depth[msg.id] = level
        if len(self._depth) > REMEMBERED:
            self._depth.popitem(last=False)
        return level

    def _clock(self, ts: float) -> str:
        return datetime.fromtimestamp(ts, tz=self.tz).strftime("%H:%M:%S.%f")[:-3]

    # -- lines ------------------------------------------------------------------------------
    def feed(self, subject: str, data: bytes) -> list[Line]:
        """Lines for one payload on a household subject (undecodable ones are shown as such)."""
        try:
            msg = decode(data)
        except DecodeError as err:
            return [*self.flush(), self.undecodable(subject, err.reason, len(data))]
        return self.message(subject, msg)

    def feed_reply(self, subject: str, data: bytes, household: str | None) -> list[Line]:
        """Lines for a payload on an inbox: only Hearth messages (of the household) count."""
        try:
            msg = decode(data)
        except DecodeError:
            return []  # inboxes also carry JetStream and KV answers, which are not ours
        if household is not None and msg.household != household:
            return []
        return self.message(REPLY, msg)

    def message(self, subject: str, msg: Message) -> list[Line]:
        if is_frame_type(msg.type):
            self._frames[(subject, msg.type)] += 1
            return []
        return [*self.flush(), self._message_line(subject, msg)]

    def _message_line(self, subject: str, msg: Message) -> Line:
        level = self.depth(msg)
        if self.as_json:
            return json.dumps({"subject": subject, "message": plain(msg)}, default=str)
        tag, colour = self.tag(msg.correlation_id)
        domain = msg.type.partition(".")[0]
        type_style = "bold red" if msg.type in ALERT_TYPES else TYPE_STYLES.get(domain, "white")
        line = Text()
        line.append(self._clock(msg.ts), style="grey50")
        if self.show_household:
            line.append(f" {msg.household}", style="grey50")
        line.append(" ")
        line.append(tag, style=f"bold {colour}")
        indent = min(level, MAX_INDENT)
        line.append(" " + "  " * max(0, indent - 1) + ("└ " if indent else ""), style=colour)
        line.append(f"{msg.source:<13}", style="bold")
        line.append(" ")
        line.append(f"{msg.type:<20}", style=type_style)
        line.append(" ")
        line.append(describe(msg), style="bold red" if msg.type in ALERT_TYPES else "")
        return line

    def undecodable(self, subject: str, reason: str, size: int) -> Line:
        if self.as_json:
            return json.dumps({"subject": subject, "error": reason, "size": size})
        line = Text()
        line.append(self._clock(self.wall()), style="grey50")
        line.append(f" !! undecodable on {subject} ({size} bytes): {reason}", style="bold red")
        return line

    def flush(self) -> list[Line]:
        """Summaries of the frames held back since the last flush."""
        out: list[Line] = []
        for (subject, type_name), count in self._frames.items():
            if self.as_json:
                out.append(json.dumps({"subject": subject, "frames": type_name, "count": count}))
            else:
                out.append(Text(f"{self._clock(self.wall())} ♪ {count}x {type_name} "
                                f"on {subject}", style="grey50"))
        self._frames.clear()
        return out


class ReplyTap:
    """Keeps the replies (``skill.result``) that decode as Hearth messages, with arrival times.

    A replay's recorder listens to household subjects only; the report adds these so a skill's
    answer appears between the call and what the assistant then says.
    """

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.seen: list[Seen] = []
        self._sub: Subscription | None = None

    async def start(self) -> ReplyTap:
        self._sub = await self.bus.subscribe_raw(INBOX, self._on)
        return self

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None

    async def _on(self, _subject: str, data: bytes, _reply_to: str | None) -> None:
        with contextlib.suppress(DecodeError):
            self.seen.append(Seen(time.monotonic(), decode(data)))

    def take(self, household: str) -> list[Seen]:
        """The replies of one household; everything seen so far is then forgotten.

        Scenarios replay one after another, so once one is taken nothing older is wanted, and
        replies of other households (a busy ``hearth up``) do not pile up.
        """
        mine = [s for s in self.seen if s.msg.household == household]
        self.seen = []
        return mine


def _printer(as_json: bool, out: TextIO) -> Callable[[list[Line]], None]:
    console = Console(file=out, highlight=False, soft_wrap=True)

    def emit(lines: list[Line]) -> None:
        for line in lines:
            if isinstance(line, str):
                print(line, file=out, flush=True)
            else:
                console.print(line)

    return emit


async def watch(nats_url: str, household: str | None = None, as_json: bool = False,
                out: TextIO | None = None, creds: Credentials | None = None) -> int:
    """Print the bus until Ctrl-C (or SIGTERM)."""
    stream = out if out is not None else sys.stdout
    view = WatchView(as_json=as_json, show_household=household is None)
    emit = _printer(as_json, stream)
    bus = await NatsBus.connect(nats_url, name="hearth-watch", creds=creds)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async def on_household(subject: str, data: bytes, _reply_to: str | None) -> None:
        emit(view.feed(subject, data))

    async def on_reply(subject: str, data: bytes, _reply_to: str | None) -> None:
        emit(view.feed_reply(subject, data, household))

    subs = [await bus.subscribe_raw(pattern(household), on_household),
            await bus.subscribe_raw(INBOX, on_reply)]
    await bus.nc.flush()
    print(f"Watching {pattern(household)} on {nats_url}; Ctrl-C to stop.", file=sys.stderr,
          flush=True)
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), FLUSH_S)
            emit(view.flush())
    finally:
        for sub in subs:
            await sub.unsubscribe()
        await bus.close()
    return 0

