"""``hearth bench load``: many simulated households at once against one running Hearth.

Each household is a text-mode device that asks a question, waits for the spoken answer (the
``device.say`` on its own device), thinks for a while and asks again (a closed loop). The
figures: reply latency (device transcript published -> device.say received) p50/p99,
replies per second, and the resident memory of every Hearth process (nats-server, each agent
actor, this driver), sampled every second; ``--duration`` makes it a soak run whose memory
series shows whether anything grows.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bus.auth import Credentials
from devices.sim import DeviceSimulator
from hearth.bench import percentile
from hearth.stack import Stack

# Questions whose answers need no state and no network: the load is the flow itself.
QUESTIONS = (
    "hey hearth, how many cups are in a gallon",
    "hey hearth, how many grams in a pound",
    "hey hearth, how many teaspoons in a tablespoon",
    "hey hearth, how many ounces in a cup",
)
REPLY_TIMEOUT_S = 10.0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Household:
    def __init__(self, sim: DeviceSimulator) -> None:
        self.sim = sim
        self.answered = asyncio.Event()
        sim.on_say = lambda _msg: self.answered.set()

    async def ask(self, text: str) -> float | None:
        """Milliseconds from the transcript to the answer, None when none came."""
        self.answered.clear()
        began = time.perf_counter()
        await self.sim.hear(text, speaker="alice")
        try:
            await asyncio.wait_for(self.answered.wait(), REPLY_TIMEOUT_S)
        except TimeoutError:
            return None
        return (time.perf_counter() - began) * 1000


async def _pids(stack: Stack) -> list[int]:
    pids = [os.getpid()]
    if stack.server is not None and stack.server.proc is not None:
        pids.append(stack.server.proc.pid)
    if stack.launched is not None:
        pids += [int(s["pid"]) for s in await stack.launched.stats()]
    return pids


async def bench_load(households: int = 50, duration_s: float = 30.0, think_s: float = 10.0,
                     warmup_s: float = 5.0, nats_url: str | None = None,
                     creds: Credentials | None = None,
                     replicas: dict[str, int] | None = None, seed: int = 9) -> dict[str, Any]:
    rng = random.Random(seed)
    async with Stack(nats_url=nats_url, with_agents=nats_url is None, replicas=replicas,
                     creds=creds) as stack:
        bus = stack.bus
        assert bus is not None
        homes = [Household(await DeviceSimulator(bus, f"load{i:04d}", "kitchen").start())
                 for i in range(households)]
        await bus.nc.flush()
        pids = await _pids(stack) if nats_url is None else [os.getpid()]
        latencies: list[float] = []
        lost = 0
        measuring = False
        stop = asyncio.Event()

        async def run(home: Household) -> None:
            nonlocal lost
            await asyncio.sleep(rng.uniform(0, think_s))  # households do not start in step
            while not stop.is_set():
                took = await home.ask(rng.choice(QUESTIONS))
                if measuring:
                    if took is None:
                        lost += 1
                    else:
                        latencies.append(took)
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)

        memory: list[tuple[float, float]] = []  # (seconds since measuring began, MB)

        async def sample(began: float) -> None:
            while not stop.is_set():
                memory.append((time.monotonic() - began, sum(rss_mb(p) for p in pids)))
                await asyncio.sleep(1.0)

        tasks = [asyncio.create_task(run(h)) for h in homes]
        await asyncio.sleep(warmup_s)  # caches, connections, the first model calls
        measuring = True
        began = time.monotonic()
        sampler = asyncio.create_task(sample(began))
        await asyncio.sleep(duration_s)
        measuring = False
        elapsed = time.monotonic() - began
        stop.set()
        await asyncio.gather(*tasks, sampler, return_exceptions=True)
        for home in homes:
            await home.sim.stop()

    mem = [m for _, m in memory] or [0.0]
    tenth = max(1, len(mem) // 10)
    return {
        "bench": "load",
        "households": households,
        "duration_s": round(elapsed, 1),
        "think_s": think_s,
        "replies": len(latencies),
        "lost": lost,
        "reply_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "reply_ms_p90": round(percentile(latencies, 90), 1) if latencies else None,
        "reply_ms_p99": round(percentile(latencies, 99), 1) if latencies else None,
        "reply_ms_max": round(max(latencies), 1) if latencies else None,
        "replies_per_s": round(len(latencies) / elapsed, 1),
        "peak_rss_mb": round(max(mem), 1),
        # Soak: the mean of the first and the last tenth of the samples, and the difference.
        "rss_first_mb": round(statistics.mean(mem[:tenth]), 1),
        "rss_last_mb": round(statistics.mean(mem[-tenth:]), 1),
        "rss_growth_mb": round(statistics.mean(mem[-tenth:]) - statistics.mean(mem[:tenth]), 1),
        # One sample every ~10 s, to see the shape of a soak run (flat, growing, levelling).
        "rss_series_mb": [round(m, 1) for m in mem[::10]],
        "processes_measured": len(pids),
        "replicas": replicas or {},
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def summary_line(result: dict[str, Any]) -> str:
    return (f"{result['households']} households, {result['duration_s']} s: reply p50 "
            f"{result['reply_ms_p50']} ms, p99 {result['reply_ms_p99']} ms, "
            f"{result['replies_per_s']} replies/s, {result['lost']} lost; peak RSS "
            f"{result['peak_rss_mb']} MB (growth {result['rss_growth_mb']} MB)")
