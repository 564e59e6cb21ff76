"""Benchmarks that write JSON: ``hearth bench bus`` measures hops through NATS and Ray actors."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from agents.echo import EchoAgent
from bus import subjects
from bus.messages import Message, Ping, Pong
from hearth.progress import NO_PROGRESS, Reporter
from hearth.stack import Stack

BENCH_HOUSEHOLD = "bench"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def bench_bus(n_latency: int = 2000, n_throughput: int = 20000,
                    nats_url: str | None = None,
                    progress: Reporter = NO_PROGRESS) -> dict[str, Any]:
    """One-way hop latency (driver → agent actor) and round-trip throughput through an agent."""
    starting = progress.stage("starting NATS, Ray and the echo agent")
    async with Stack(nats_url=nats_url, kinds=(EchoAgent,)) as stack:
        starting.finish()
        bus = stack.bus
        assert bus is not None
        pongs: asyncio.Queue[Pong] = asyncio.Queue()

        async def on_pong(msg: Message, _reply_to: str | None) -> None:
            if isinstance(msg, Pong):
                pongs.put_nowait(msg)

        await bus.subscribe(subjects.pattern(Pong, household=BENCH_HOUSEHOLD), on_pong)
        await bus.nc.flush()

        def ping(seq: int) -> Ping:
            return Ping(ts=time.time(), household=BENCH_HOUSEHOLD, source="bench", seq=seq,
                        sent=time.perf_counter())

        hops: list[float] = []
        rtts: list[float] = []
        pings = progress.stage("latency pings", total=200 + n_latency)
        for seq in range(200 + n_latency):  # the first 200 warm up connections and caches
            await bus.publish(ping(seq))
            pong = await asyncio.wait_for(pongs.get(), 5.0)
            back = time.perf_counter()
            if seq >= 200:
                hops.append((pong.received - pong.sent) * 1000)
                rtts.append((back - pong.sent) * 1000)
            pings.advance()

        began = time.perf_counter()
        for seq in range(n_throughput):
            await bus.publish(ping(seq))
        through = progress.stage("throughput", total=n_throughput)
        for _ in range(n_throughput):
            await asyncio.wait_for(pongs.get(), 30.0)
            through.advance()
        elapsed = time.perf_counter() - began

    return {
        "bench": "bus",
        "path": "driver -> NATS -> Ray actor (EchoAgent) -> NATS -> driver",
        "hop_ms_p50": round(statistics.median(hops), 4),
        "hop_ms_p99": round(percentile(hops, 99), 4),
        "rtt_ms_p50": round(statistics.median(rtts), 4),
        "rtt_ms_p99": round(percentile(rtts, 99), 4),
        "msgs_per_s": round(n_throughput / elapsed, 1),
        "n_latency": n_latency,
        "n_throughput": n_throughput,
    }
