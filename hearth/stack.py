"""A whole running Hearth: nats-server (embedded unless given), JetStream, Ray and agents."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import ray

from agents.base import Agent
from agents.registry import AUDIO_AGENTS, FLOW_AGENTS
from bus.auth import AuthDir, Credentials
from bus.jetstream import ensure_all
from bus.nats_bus import NatsBus
from bus.server import NatsServer
from hearth.launch import Launched, init_ray, launch

log = logging.getLogger(__name__)


class Stack:
    """``async with Stack() as stack:`` gives a running system and ``stack.bus`` to talk to it."""

    def __init__(
        self,
        nats_url: str | None = None,
        ray_address: str | None = None,
        store_dir: str | None = None,
        kinds: Sequence[type[Agent]] = FLOW_AGENTS,
        replicas: Mapping[str, int] | None = None,
        config: Mapping[str, Any] | None = None,
        with_agents: bool = True,
        audio: bool = False,
        auth: AuthDir | None = None,
        tls: tuple[str, str] | None = None,
        creds: Credentials | None = None,
    ) -> None:
        # auth: the server has users (bus/auth.py); this stack's bus connects as admin, the
        # agents as the agents user. tls: (cert, key) for an embedded server started here.
        self.auth = auth
        self.creds = creds or (auth.admin() if auth else None)  # this stack's own bus
        self.tls = tls
        self.nats_url = nats_url
        self.ray_address = ray_address
        self.store_dir = store_dir
        # audio=True adds the audio agents (VAD + ASR) to the kinds: a stack that hears.
        self.kinds = tuple(kinds) + tuple(k for k in AUDIO_AGENTS if audio and k not in kinds)
        self.replicas = replicas
        self.config = config
        self.with_agents = with_agents
        self.server: NatsServer | None = None
        self.bus: NatsBus | None = None
        self.launched: Launched | None = None
        self._own_ray = False
        self.run_id = f"r{uuid.uuid4().hex[:6]}"

    @property
    def url(self) -> str:
        assert self.nats_url is not None
        return self.nats_url

    async def start(self) -> Stack:
        if self.nats_url is None:
            config = (str(self.auth.server_config(*(self.tls or (None, None))))
                      if self.auth else None)
            self.server = NatsServer(store_dir=self.store_dir, config_file=config,
                                     tls=self.tls is not None).start()
            self.nats_url = self.server.url
        self.bus = await NatsBus.connect(self.nats_url, name=f"hearth-{self.run_id}",
                                         creds=self.creds)
        await ensure_all(self.bus.js)
        if self.with_agents:
            self._own_ray = init_ray(self.ray_address)
            self.launched = await launch(self.nats_url, self.kinds, self.replicas, self.config,
                                         run=self.run_id,
                                         creds=self.auth.agents() if self.auth else None)
            await self.launched.supervise()
        return self

    async def stop(self) -> None:
        if self.launched is not None:
            await self.launched.stop()
            self.launched = None
        if self._own_ray and ray.is_initialized():
            ray.shutdown()
        if self.bus is not None:
            await self.bus.close()
            self.bus = None
        if self.server is not None:
            self.server.stop()
            self.server = None

    async def __aenter__(self) -> Stack:
        try:
            return await self.start()
        except BaseException:
            await self.stop()
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
