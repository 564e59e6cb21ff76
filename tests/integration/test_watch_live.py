"""``hearth watch`` on the real bus: a live interaction, a bad payload and another household."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bus.messages import DeviceTranscript
from bus.nats_bus import NatsBus
from hearth.stack import Stack

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


async def read_until(stream: asyncio.StreamReader, done: Any, timeout: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while not done(lines):
        left = deadline - time.monotonic()
        assert left > 0, "\n".join(lines)
        raw = await asyncio.wait_for(stream.readline(), left)
        assert raw, "\n".join(lines)
        lines.append(raw.decode())
    return lines


async def test_watch_json_follows_a_conversation(stack: Stack, bus: NatsBus) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hearth.cli", "watch", "--nats", stack.url,
        "--household", "watch1", "--json",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        banner = await read_until(proc.stderr, lambda ls: any("Watching" in x for x in ls), 60)
        assert "hh.watch1.>" in banner[-1]
        elsewhere = DeviceTranscript(household="watch2", ts=time.time(), source="hall",
                                     device="hall", text="not for this watch")
        await bus.publish(elsewhere)
        await bus.publish_raw("hh.watch1.device.kitchen.transcript", b"\xc1 not msgpack")
        said = DeviceTranscript(household="watch1", ts=time.time(), source="kitchen",
                                device="kitchen", speaker="alice",
                                text="hey hearth, set a timer for 2 minutes")
        await bus.publish(said)

        def spoken(lines: list[str]) -> bool:
            return any('"device.say"' in x for x in lines)

        lines = await read_until(proc.stdout, spoken, 30)
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0
    objects = [json.loads(x) for x in lines]
    errors = [o for o in objects if "error" in o]
    assert errors[0]["subject"] == "hh.watch1.device.kitchen.transcript"
    assert errors[0]["error"].startswith("not msgpack")
    messages = [o["message"] for o in objects if "message" in o]
    assert {m["household"] for m in messages} == {"watch1"}
    types = [m["type"] for m in messages]
    for wanted in ("system.rejected", "device.transcript", "perception.utterance",
                   "turn.addressed", "intent.recognized", "skill.call", "skill.result",
                   "response.say", "device.say"):
        assert wanted in types, types
    interaction = [m for m in messages if m["correlation_id"] == said.correlation_id]
    assert interaction[0]["id"] == said.id
    reply = next(o for o in objects if o.get("message", {}).get("type") == "skill.result")
    assert reply["subject"] == "reply"


def test_watch_has_help() -> None:
    done = subprocess.run([sys.executable, "-m", "hearth.cli", "watch", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--household" in done.stdout and "--json" in done.stdout
