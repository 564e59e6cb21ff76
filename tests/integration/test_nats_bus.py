"""The NATS transport against a real nats-server with JetStream."""

from __future__ import annotations

import asyncio
import time

import pytest

from bus import subjects
from bus.codec import decode, encode
from bus.jetstream import EVENT_STREAM, ensure_all
from bus.messages import (
    DeviceTranscript,
    DialogueState,
    Message,
    Rejected,
    SkillCall,
    SkillResult,
    Utterance,
)
from bus.nats_bus import NatsBus
from bus.server import NatsServer

pytestmark = pytest.mark.integration


def utterance(household: str, text: str) -> Utterance:
    now = time.time()
    return Utterance(ts=now, household=household, source="test", device="kitchen", text=text,
                     start_ts=now - 1, end_ts=now)


async def collect(bus: NatsBus, pattern: str, queue: str | None = None) -> list[Message]:
    got: list[Message] = []

    async def on(msg: Message, _reply: str | None) -> None:
        got.append(msg)

    await bus.subscribe(pattern, on, queue=queue)
    await bus.nc.flush()
    return got


async def eventually(check: object, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def test_publish_subscribe_roundtrip(bus: NatsBus) -> None:
    got = await collect(bus, subjects.pattern(Utterance, household="n1"))
    sent = utterance("n1", "hello")
    await bus.publish(sent)
    await eventually(lambda: got)
    assert got == [sent]


async def test_queue_group_delivers_each_message_once(nats_server: NatsServer) -> None:
    a = await NatsBus.connect(nats_server.url, "a")
    b = await NatsBus.connect(nats_server.url, "b")
    sender = await NatsBus.connect(nats_server.url, "sender")
    try:
        pattern = subjects.pattern(Utterance, household="n2")
        got_a = await collect(a, pattern, queue="workers")
        got_b = await collect(b, pattern, queue="workers")
        for i in range(40):
            await sender.publish(utterance("n2", f"m{i}"))
        await eventually(lambda: len(got_a) + len(got_b) == 40)
        await asyncio.sleep(0.1)
        texts = sorted(m.text for m in got_a + got_b)  # type: ignore[attr-defined]
        assert texts == sorted(f"m{i}" for i in range(40))
        assert got_a and got_b, "both members of the group should get work"
    finally:
        for client in (a, b, sender):
            await client.close()


async def test_request_reply_and_no_responders(bus: NatsBus, nats_server: NatsServer) -> None:
    server = await NatsBus.connect(nats_server.url, "skill")
    try:
        async def answer(msg: Message, reply_to: str | None) -> None:
            assert isinstance(msg, SkillCall) and reply_to
            await server.respond(reply_to, SkillResult(
                ts=msg.ts, household=msg.household, source="skill", skill=msg.skill,
                intent=msg.intent, ok=True, say=f"did {msg.intent}", causation_id=msg.id,
                correlation_id=msg.correlation_id))

        await server.subscribe(subjects.pattern(SkillCall, key="echo"), answer, queue="echo")
        await server.nc.flush()
        call = SkillCall(ts=time.time(), household="n3", source="test", skill="echo",
                         intent="echo.do", device="kitchen")
        reply = await bus.request(call, timeout=2.0)
        assert isinstance(reply, SkillResult)
        assert reply.say == "did echo.do" and reply.causation_id == call.id
        nobody = call.model_copy(update={"skill": "nobody"})
        with pytest.raises(TimeoutError):
            await bus.request(nobody, timeout=0.5)
    finally:
        await server.close()


async def test_key_value_state(bus: NatsBus) -> None:
    await bus.kv_put("household", "n4.lang", b"pt")
    assert await bus.kv_get("household", "n4.lang") == b"pt"
    assert "n4.lang" in await bus.kv_keys("household")
    await bus.kv_delete("household", "n4.lang")
    assert await bus.kv_get("household", "n4.lang") is None
    assert "n4.lang" not in await bus.kv_keys("household")


async def test_event_stream_records_household_messages(bus: NatsBus) -> None:
    await ensure_all(bus.js)
    # A message without people's words is recorded as it is (words: tests/integration/
    # test_privacy.py, they are recorded only scrubbed).
    sent = DialogueState(ts=time.time(), household="n5", source="test", device="kitchen",
                         expecting_reply=False, open_until=time.time())
    await bus.publish(sent)
    await bus.nc.flush()
    subject = subjects.subject_for(sent)

    async def stored() -> bytes:
        msg = await bus.js.get_last_msg(EVENT_STREAM, subject)
        assert msg.data is not None
        return msg.data

    await asyncio.sleep(0.1)
    assert decode(await stored()) == sent


async def test_garbage_is_rejected_and_the_next_message_handled(bus: NatsBus) -> None:
    pattern = subjects.pattern(DeviceTranscript, household="n6")
    got = await collect(bus, pattern)
    rejected = await collect(bus, subjects.pattern(Rejected, household="n6"))
    subject = "hh.n6.device.kitchen.transcript"
    await bus.publish_raw(subject, b"\xc1\x00garbage")
    await bus.publish_raw(subject, encode(utterance("n6", "wrong schema")))  # wrong subject
    good = DeviceTranscript(ts=time.time(), household="n6", source="kitchen", device="kitchen",
                            text="still here")
    await bus.publish(good)
    # Agents of a running stack may reject the same payloads: look at this client's only.
    def mine_() -> list[Rejected]:
        return [r for r in rejected if isinstance(r, Rejected) and r.receiver == "test"]

    await eventually(lambda: len(mine_()) == 2 and got)
    mine = mine_()
    assert got == [good]
    assert mine[0].reason.startswith("not msgpack")
    assert "arrived on" in mine[1].reason
    assert mine[0].head == b"\xc1\x00garbage"


def test_raw_audio_and_raw_words_are_not_recorded_but_every_other_type_is() -> None:
    from bus.jetstream import private_types, recorded_subjects
    from bus.messages import ALL_TYPES

    recorded = recorded_subjects()
    assert "hh.*.device.*.audio" not in recorded
    # Words are recorded only as scrubbed privacy.record copies (agents/privacy.py).
    assert "hh.*.device.*.transcript" not in recorded
    assert "hh.*.perception.utterance" not in recorded
    assert "hh.*.privacy.record" in recorded
    assert "hh.*.dialogue.state" in recorded
    kept = [t for t in ALL_TYPES if t not in ("device.audio", "device.speaker")
            and t not in private_types()]
    assert len(recorded) == len(kept)
