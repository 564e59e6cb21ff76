"""Authentication and isolation on a real nats-server with generated users (bus/auth.py).

Each test starts its own small nats-server with users: the shared session server stays open
for the other integration tests.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bus import subjects
from bus.auth import AuthDir, Credentials
from bus.jetstream import ensure_all
from bus.messages import DeviceAudio, DeviceSay, DeviceTranscript, Message
from bus.nats_bus import NatsBus
from bus.server import NatsServer
from devices.sim import DeviceSimulator
from hearth.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture
def auth(tmp_path: Path) -> AuthDir:
    return AuthDir(tmp_path / "auth")


@pytest.fixture
def secure_server(auth: AuthDir, tmp_path: Path) -> Iterator[NatsServer]:
    # Devices are added through the CLI, as a user would (it writes the server config too).
    assert main(["device", "add", "h1", "kitchen", "--auth-dir", str(auth.path)]) == 0
    assert main(["device", "add", "h2", "kitchen", "--auth-dir", str(auth.path)]) == 0
    config = auth.rewrite_config()
    with NatsServer(store_dir=str(tmp_path / "js"), config_file=str(config)) as server:
        yield server


@pytest.fixture
async def admin(secure_server: NatsServer, auth: AuthDir) -> AsyncIterator[NatsBus]:
    bus = await NatsBus.connect(secure_server.url, "admin", creds=auth.admin())
    yield bus
    await bus.close()


def device_creds(auth: AuthDir, household: str, device: str) -> Credentials:
    return Credentials.load(auth.path / "devices" / f"{household}.{device}.json")


async def collect(bus: NatsBus, pattern: str) -> list[str]:
    got: list[str] = []

    async def on(subject: str, _data: bytes, _reply: str | None) -> None:
        got.append(subject)

    await bus.subscribe_raw(pattern, on)
    await bus.nc.flush()
    return got


async def test_no_credentials_no_connection(secure_server: NatsServer) -> None:
    started = time.monotonic()
    with pytest.raises(PermissionError, match="Authorization Violation"):
        await NatsBus.connect(secure_server.url, "stranger")
    assert time.monotonic() - started < 5, "a refused login must fail fast, not retry forever"
    wrong = Credentials("admin", "not-the-password")
    with pytest.raises(PermissionError):
        await NatsBus.connect(secure_server.url, "guesser", creds=wrong)


async def test_a_device_cannot_hear_another_household(
        secure_server: NatsServer, auth: AuthDir, admin: NatsBus) -> None:
    h1 = await NatsBus.connect(secure_server.url, "h1-kitchen",
                               creds=device_creds(auth, "h1", "kitchen"))
    try:
        other_audio = subjects.pattern(DeviceAudio, household="h2", key="kitchen")
        spied = await collect(h1, other_audio)
        everything = await collect(h1, "hh.h2.>")
        replies = await collect(h1, "_INBOX.>")
        await admin.publish(DeviceAudio(ts=time.time(), household="h2", source="kitchen",
                                        device="kitchen", seq=0, pcm=b"\x00\x01" * 320))
        await admin.nc.flush()
        await asyncio.sleep(0.3)
        assert spied == [] and everything == [] and replies == []
        violations = [e for e in h1.errors if "subscription" in e]
        assert any(other_audio in e for e in violations), h1.errors
        assert any('"_inbox.>"' in e.lower() for e in violations), h1.errors
        assert h1.nc.is_connected  # refused, not thrown out
    finally:
        await h1.close()


async def test_a_device_cannot_speak_as_another_device(
        secure_server: NatsServer, auth: AuthDir, admin: NatsBus) -> None:
    seen = await collect(admin, "hh.>")
    kitchen = await NatsBus.connect(secure_server.url, "h1-kitchen",
                                    creds=device_creds(auth, "h1", "kitchen"))
    try:
        def transcript(household: str, device: str) -> DeviceTranscript:
            return DeviceTranscript(ts=time.time(), household=household, source=device,
                                    device=device, text="unlock the front door")

        await kitchen.publish(transcript("h1", "hall"))  # another device of its home
        await kitchen.publish(transcript("h2", "kitchen"))  # same name, another home
        await kitchen.publish(transcript("h1", "kitchen"))  # itself: allowed
        await kitchen.nc.flush()
        await asyncio.sleep(0.3)
        assert seen == ["hh.h1.device.kitchen.transcript"], seen
        publishes = [e for e in kitchen.errors if "publish" in e]
        assert any("hh.h1.device.hall.transcript" in e for e in publishes), kitchen.errors
        assert any("hh.h2.device.kitchen.transcript" in e for e in publishes), kitchen.errors
    finally:
        await kitchen.close()


async def test_a_device_hears_what_is_addressed_to_it(
        secure_server: NatsServer, auth: AuthDir, admin: NatsBus) -> None:
    bus = await NatsBus.connect(secure_server.url, "h1-kitchen",
                                creds=device_creds(auth, "h1", "kitchen"))
    sim = await DeviceSimulator(bus, "h1", "kitchen").start()
    try:
        await bus.nc.flush()
        await admin.publish(DeviceSay(ts=time.time(), household="h1", source="speech",
                                      device="kitchen", text="Timer set.", response_id="r"))
        assert await sim.wait_said(10.0)
        assert sim.said[0].text == "Timer set."
        assert not [e for e in bus.errors if "violation" in e], bus.errors
    finally:
        await sim.stop()
        await bus.close()


async def test_agents_have_their_service_permissions(
        secure_server: NatsServer, auth: AuthDir) -> None:
    agents = await NatsBus.connect(secure_server.url, "agents", creds=auth.agents())
    try:
        await ensure_all(agents.js)
        await agents.kv_put("dialogue", "h1.p-alice", b"state")
        assert await agents.kv_get("dialogue", "h1.p-alice") == b"state"

        async def answer(msg: Message, reply_to: str | None) -> None:
            assert reply_to
            await agents.respond(reply_to, msg)

        await agents.subscribe(subjects.pattern(DeviceSay), answer)
        say = DeviceSay(ts=time.time(), household="h1", source="t", device="kitchen", text="x",
                        response_id="r")
        assert (await agents.request(say, timeout=2.0)).id == say.id
        await agents.nc.publish("$SYS.REQ.SERVER.PING", b"")  # not a service subject
        await agents.nc.flush()
        await asyncio.sleep(0.2)
        assert any("$sys" in e.lower() for e in agents.errors), agents.errors
    finally:
        await agents.close()


async def test_a_device_added_while_running_is_admitted(
        secure_server: NatsServer, auth: AuthDir) -> None:
    path = auth.path / "devices" / "h1.hall.json"
    assert not path.exists()
    # The CLI rewrites the config and signals the server (pid file) to reload its users.
    assert main(["device", "add", "h1", "hall", "--auth-dir", str(auth.path)]) == 0
    assert path.stat().st_mode & 0o077 == 0, "credential files are private"
    deadline = time.monotonic() + 5
    while True:
        try:
            bus = await NatsBus.connect(secure_server.url, "hall", creds=Credentials.load(path))
            break
        except PermissionError:
            assert time.monotonic() < deadline, "the new device was never admitted"
            await asyncio.sleep(0.2)
    await bus.close()


def test_device_add_refuses_a_bad_name(auth: AuthDir, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "add", "h1", "hall.>", "--auth-dir", str(auth.path)]) == 2
    assert "device 'hall.>' must be 1-64 characters" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl for a test cert")
async def test_tls_with_given_certificates(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    auth = AuthDir(tmp_path / "auth", tls_ca=str(cert))
    config = auth.server_config(str(cert), str(key))
    with NatsServer(store_dir=str(tmp_path / "js"), config_file=str(config), tls=True) as srv:
        assert srv.url.startswith("tls://")
        creds = auth.admin()
        assert creds.tls_ca == str(cert)
        bus = await NatsBus.connect(srv.url, "tls-admin", creds=creds)
        try:
            got = await collect(bus, "hh.>")
            await bus.publish(DeviceSay(ts=time.time(), household="h1", source="t",
                                        device="kitchen", text="over TLS",
                                        response_id="r"))
            await bus.nc.flush()
            await asyncio.sleep(0.2)
            assert got == ["hh.h1.device.kitchen.say"]
        finally:
            await bus.close()
        plain = Credentials(creds.user, creds.password)  # no CA: TLS cannot be verified
        with pytest.raises(Exception):  # noqa: B017 - nats-py raises several kinds here
            await asyncio.wait_for(NatsBus.connect(srv.url, "no-ca", creds=plain), 10)
