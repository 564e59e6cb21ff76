"""`hearth learn list` and `hearth learn intent` against the running stack's KV."""

from __future__ import annotations

import asyncio
import time
import uuid

import msgpack
import pytest

from agents.learned import LEARNING_BUCKET, intent_key, rewrites_key
from bus.nats_bus import NatsBus
from hearth.cli import main
from hearth.learn_cli import learn_intent, learn_list, render_list
from hearth.stack import Stack
from policies.rewrites import learn

pytestmark = pytest.mark.integration


async def test_learn_list_shows_rewrites_with_their_evidence(stack: Stack, bus: NatsBus) -> None:
    household = f"list-{uuid.uuid4().hex[:6]}"
    rewrites, _ = learn([], "switch on the brew machine", "switch on the coffee machine",
                        "correction", time.time())
    await bus.kv_put(LEARNING_BUCKET, rewrites_key(household),
                     msgpack.packb([r.model_dump() for r in rewrites]))
    listing = await learn_list(stack.url, household)
    [shown] = listing["households"][household]
    assert (shown["said"], shown["meant"], shown["status"]) == ("brew", "coffee", "active")
    assert shown["evidence"][0]["failed"] == "switch on the brew machine"
    text = render_list(listing)
    assert "'brew' -> 'coffee'" in text and "correction" in text


async def test_learn_intent_reaches_the_learning_agent(stack: Stack, bus: NatsBus) -> None:
    household = f"intent-{uuid.uuid4().hex[:6]}"
    await learn_intent(stack.url, household, "smart_home.cinema",
                       ["film time", "cinema time", "let's watch a film", "movie time now",
                        "time for a film"], "smart_home.scene", {"scene": "movie night"})
    deadline = time.monotonic() + 10
    key = intent_key(household, "smart_home.cinema")
    while await bus.kv_get(LEARNING_BUCKET, key) is None:
        assert time.monotonic() < deadline, "the added intent was not kept"
        await asyncio.sleep(0.1)
    stored = msgpack.unpackb(await bus.kv_get(LEARNING_BUCKET, key))
    assert stored["call"] == "smart_home.scene" and len(stored["examples"]) == 5


def test_the_cli_has_the_learning_commands() -> None:
    for argv in (["learn", "list", "--help"], ["learn", "intent", "--help"],
                 ["stats", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
