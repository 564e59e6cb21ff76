"""The only place agents become Ray actors: one actor per agent kind and replica.

Replicas of a kind share work through a NATS queue group named after the kind. An actor that
dies is restarted by Ray (``max_restarts``); the supervisor then starts its agent again, and
the agent reloads its state from JetStream KV in ``on_start``.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ray

from agents.base import Agent
from bus.auth import Credentials
from bus.clock import BusClock
from bus.nats_bus import NatsBus

log = logging.getLogger(__name__)

NAMESPACE = "hearth"
MAX_RESTARTS = -1  # always come back; a crash loop shows up in the actor's restart count


def _class_path(cls: type[Agent]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _load_class(path: str) -> type[Agent]:
    module, _, name = path.partition(":")
    cls = getattr(importlib.import_module(module), name)
    if not (isinstance(cls, type) and issubclass(cls, Agent)):
        raise TypeError(f"{path} is not an Agent")
    return cls


class AgentHost:
    """Runs one agent inside a Ray actor process, on its own NATS connection."""

    def __init__(self, agent_path: str, nats_url: str, replica: int,
                 config: Mapping[str, Any], creds: Credentials | None = None) -> None:
        self.creds = creds  # the agents' NATS user when the server has users (bus/auth.py)
        self.agent_path = agent_path
        self.nats_url = nats_url
        self.replica = replica
        self.config = dict(config)
        self.agent: Agent | None = None
        self._lock = asyncio.Lock()

    async def ensure_started(self) -> bool:
        """Start the agent if it is not running (first start, or after a restart)."""
        async with self._lock:
            if self.agent is not None:
                return False
            cls = _load_class(self.agent_path)
            name = f"{cls.NAME}-{self.replica}"
            bus = await NatsBus.connect(self.nats_url, name=name, creds=self.creds)
            agent = cls(bus, BusClock(), self.config, self.replica)
            await agent.start()
            self.agent = agent
            return True

    async def stop(self) -> None:
        async with self._lock:
            if self.agent is not None:
                await self.agent.stop()
                await self.agent.bus.close()
                self.agent = None

    async def stats(self) -> dict[str, Any]:
        agent = self.agent
        return {
            "agent": self.agent_path,
            "replica": self.replica,
            "pid": os.getpid(),
            "running": agent is not None,
            "handled": agent.handled if agent else 0,
            "rejected": agent.bus.rejected_count if agent else 0,
        }


@dataclass
class Launched:
    """The actors of a running Hearth, and a supervisor that restarts their agents."""

    actors: dict[str, Any] = field(default_factory=dict)  # actor name -> handle
    _supervisor: asyncio.Task[None] | None = None

    async def supervise(self, every_s: float = 1.0) -> None:
        async def loop() -> None:
            while True:
                await asyncio.sleep(every_s)
                for name, handle in self.actors.items():
                    try:
                        if await handle.ensure_started.remote():
                            log.warning("restarted agent %s", name)
                    except Exception as exc:  # the actor may be mid-restart
                        log.warning("agent %s is not reachable yet: %s", name, exc)

        self._supervisor = asyncio.create_task(loop())

    async def stats(self) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(h.stats.remote() for h in self.actors.values())))

    async def stop(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
        await asyncio.gather(*(h.stop.remote() for h in self.actors.values()),
                             return_exceptions=True)
        for handle in self.actors.values():
            ray.kill(handle, no_restart=True)
        self.actors.clear()


def init_ray(address: str | None = None) -> bool:
    """Start a local Ray (or join ``address``); True when this call started it."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(
        # "local": without an address Ray would join any cluster `ray start` left running on
        # this machine (it looks for one); Hearth starts its own unless told to join.
        address=address or "local",
        namespace=NAMESPACE,
        include_dashboard=False,
        logging_level=logging.WARNING,
        log_to_driver=True,
        configure_logging=True,
    )
    return True


async def launch(
    nats_url: str,
    kinds: Sequence[type[Agent]],
    replicas: Mapping[str, int] | None = None,
    config: Mapping[str, Any] | None = None,
    run: str = "hearth",
    creds: Credentials | None = None,
) -> Launched:
    """Start every agent kind as Ray actors (``replicas[kind.NAME]`` of each, default 1).

    Actors are named ``<run>-<kind>-<replica>`` so several runs can share one cluster.
    """
    remote_host = ray.remote(
        max_restarts=MAX_RESTARTS,
        max_task_retries=-1,
        num_cpus=0,  # agents wait on I/O; CPU slots would cap how many fit on a small host
    )(AgentHost)
    launched = Launched()
    for cls in kinds:
        count = max(1, (replicas or {}).get(cls.NAME, 1))
        if count > 1 and cls.SINGLETON:
            raise ValueError(f"{cls.NAME} runs as a single replica (it holds scheduled work)")
        for replica in range(count):
            name = f"{run}-{cls.NAME}-{replica}"
            # replica_count lets agents that own households (agents/sharding.py) share them out
            handle = remote_host.options(name=name, namespace=NAMESPACE).remote(
                _class_path(cls), nats_url, replica, {**(config or {}), "replica_count": count},
                creds,
            )
            launched.actors[name] = handle
    await asyncio.gather(*(h.ensure_started.remote() for h in launched.actors.values()))
    return launched
