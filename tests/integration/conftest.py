"""Real parts: one nats-server (JetStream on) and one local Ray with every agent, per session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bus.nats_bus import NatsBus
from bus.server import NatsServer
from hearth.stack import Stack


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    with NatsServer() as server:
        yield server


@pytest.fixture(scope="session")
async def stack(nats_server: NatsServer) -> AsyncIterator[Stack]:
    # audio=True: the audio agents (VAD + Whisper) run too, for the audio tests and scenarios.
    async with Stack(nats_url=nats_server.url, audio=True) as running:
        yield running


@pytest.fixture
async def bus(nats_server: NatsServer) -> AsyncIterator[NatsBus]:
    client = await NatsBus.connect(nats_server.url, name="test")
    yield client
    await client.close()
