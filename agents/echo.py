"""Answers pings: the far end of ``hearth bench bus``, a real actor on the real bus."""

from __future__ import annotations

import time

from agents.base import Agent, on
from bus.messages import Ping, Pong


class EchoAgent(Agent):
    NAME = "echo"
    PUBLISHES = (Pong,)

    @on(Ping)
    async def ping(self, msg: Ping) -> None:
        received = time.perf_counter()  # system-wide monotonic: comparable across processes
        await self.publish(self.derive(msg, Pong, seq=msg.seq, sent=msg.sent, received=received))
