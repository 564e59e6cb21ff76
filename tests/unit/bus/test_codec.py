"""bus/codec.py: msgpack round trips, and a reason for every refused payload."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest
from conftest import T0, envelope
from pydantic import ValidationError

from bus.codec import HEAD_BYTES, MAX_PAYLOAD_BYTES, DecodeError, decode, encode, head
from bus.messages import ALL_TYPES, DeviceSay, Message, Ping, Rejected, SkillResult


def _pack(obj: object) -> bytes:
    data = msgpack.packb(obj, use_bin_type=True)
    assert isinstance(data, bytes)
    return data


def _ping_map(**override: Any) -> dict[str, Any]:
    return {"type": "system.ping", **envelope(), "seq": 1, "sent": 0.5, **override}


def _reason(data: bytes) -> str:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert str(info.value) == info.value.reason
    return info.value.reason


def test_the_samples_cover_every_message_type(samples: dict[str, Message]) -> None:
    assert sorted(samples) == sorted(ALL_TYPES)
    for type_name, msg in samples.items():
        assert type(msg) is ALL_TYPES[type_name]


@pytest.mark.parametrize("type_name", sorted(ALL_TYPES))
def test_every_type_round_trips(type_name: str, samples: dict[str, Message]) -> None:
    msg = samples[type_name]
    back = decode(encode(msg))
    assert type(back) is type(msg)
    assert back == msg
    assert back.model_dump() == msg.model_dump()


def test_bytes_survive_a_round_trip() -> None:
    raw = bytes(range(256))
    msg = Rejected(**envelope(), subject="hh.h1.a.b", reason="r", head=raw, receiver="rx")
    back = decode(encode(msg))
    assert isinstance(back, Rejected)
    assert back.head == raw
    assert isinstance(back.head, bytes)


def test_nested_data_and_slot_types_survive() -> None:
    msg = SkillResult(**envelope(), skill="timer", intent="timer.list", ok=False, say="",
                      data={"a": {"b": [1, 2.5, None, True, "s"]}, "n": -3})
    back = decode(encode(msg))
    assert isinstance(back, SkillResult)
    assert back.data == {"a": {"b": [1, 2.5, None, True, "s"]}, "n": -3}
    assert back.ok is False


def test_a_raw_map_decodes_to_its_model() -> None:
    msg = decode(_pack(_ping_map(seq=42)))
    assert isinstance(msg, Ping)
    assert (msg.seq, msg.sent, msg.household, msg.ts) == (42, 0.5, "h1", T0)
    assert msg.v == 1
    assert len(msg.id) == 32  # filled in by the model when the sender left it out


@pytest.mark.parametrize("garbage", [b"\xc1", b"\xc1\x00garbage", b"", b"\x81\xa4type"])
def test_garbage_is_not_msgpack(garbage: bytes) -> None:
    assert _reason(garbage).startswith("not msgpack: ")


def test_a_map_with_integer_keys_is_refused() -> None:
    reason = _reason(_pack({1: 2}))
    assert reason.startswith("not msgpack: ")
    assert "map key" in reason


@pytest.mark.parametrize(
    ("value", "kind"),
    [([1, 2], "list"), ("text", "str"), (None, "NoneType"), (3, "int"), (b"\x01", "bytes")],
)
def test_a_payload_that_is_not_a_map(value: object, kind: str) -> None:
    assert _reason(_pack(value)) == f"payload is a msgpack {kind}, not a map"


def test_a_map_without_type() -> None:
    data = _ping_map()
    del data["type"]
    assert _reason(_pack(data)) == "payload has no 'type' field"


@pytest.mark.parametrize("bad_type", ["system.pingz", "nope", "", 5, None])
def test_an_unknown_type(bad_type: object) -> None:
    reason = _reason(_pack(_ping_map(type=bad_type)))
    assert "unknown message type" in reason
    assert str(bad_type) in reason


def test_an_unknown_type_in_the_reason_is_truncated() -> None:
    reason = _reason(_pack(_ping_map(type="x" * 1000)))
    assert len(reason) < 120


@pytest.mark.parametrize("bad_type", [[1], {"a": 1}])
def test_an_unhashable_type_is_a_decode_error(bad_type: object) -> None:
    assert "type" in _reason(_pack(_ping_map(type=bad_type)))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"sent": None}, "invalid system.ping field 'sent': Input should be a valid number"),
        ({"bogus": 1}, "invalid system.ping field 'bogus': Extra inputs are not permitted"),
        ({"household": "a.b"}, "invalid system.ping field 'household': Value error, household"),
        ({"household": "*"}, "invalid system.ping field 'household': Value error, household"),
        ({"ts": 1e12}, "invalid system.ping field 'ts': Value error, ts 1000000000000.0 is"),
        ({"ts": -5}, "invalid system.ping field 'ts': Value error, ts -5.0 is outside"),
        ({"ts": float("nan")}, "invalid system.ping field 'ts'"),
        ({"ts": float("inf")}, "invalid system.ping field 'ts'"),
        ({"seq": "one"}, "invalid system.ping field 'seq'"),
    ],
)
def test_a_schema_invalid_map(change: dict[str, Any], expected: str) -> None:
    assert _reason(_pack(_ping_map(**change))).startswith(expected)


def test_a_missing_field_is_named() -> None:
    data = _ping_map()
    del data["sent"]
    assert _reason(_pack(data)) == "invalid system.ping field 'sent': Field required"


def test_a_bad_nested_field_is_named_with_its_path() -> None:
    data = {"type": "device.vision", **envelope(), "device": "hall",
            "people": [{"person": "a", "head_yaw_deg": 500}]}
    reason = _reason(_pack(data))
    assert reason.startswith("invalid device.vision field 'people.0.head_yaw_deg': ")


def test_a_bad_device_token_is_refused() -> None:
    data = {"type": "device.say", **envelope(), "device": "kitchen.main", "text": "x",
            "response_id": "r"}
    assert _reason(_pack(data)).startswith("invalid device.say field 'device': Value error")


def test_an_oversized_payload_is_refused_before_unpacking() -> None:
    data = b"\xc1" * (MAX_PAYLOAD_BYTES + 1)
    reason = _reason(data)
    assert reason == (
        f"payload of {MAX_PAYLOAD_BYTES + 1} bytes is over the {MAX_PAYLOAD_BYTES} limit"
    )


def test_a_payload_exactly_at_the_limit_is_decoded() -> None:
    text = ""
    data = _pack({"type": "device.say", **envelope(), "device": "k", "text": text,
                  "response_id": "r"})
    pad = MAX_PAYLOAD_BYTES - len(data)
    data = _pack({"type": "device.say", **envelope(), "device": "k", "text": "x" * (pad - 4),
                  "response_id": "r"})
    assert len(data) == MAX_PAYLOAD_BYTES
    msg = decode(data)
    assert isinstance(msg, DeviceSay)


def test_encode_refuses_an_oversized_message() -> None:
    big = DeviceSay(**envelope(), device="k", text="x" * (MAX_PAYLOAD_BYTES + 1), response_id="r")
    with pytest.raises(ValueError, match="over"):
        encode(big)


def test_head_is_the_first_bytes() -> None:
    data = bytes(range(200))
    assert head(data) == data[:HEAD_BYTES]
    assert len(head(data)) == HEAD_BYTES == 64
    assert head(b"ab") == b"ab"
    assert type(head(bytearray(b"xyz"))) is bytes


@pytest.mark.parametrize("type_name", sorted(ALL_TYPES))
def test_models_are_frozen(type_name: str, samples: dict[str, Message]) -> None:
    msg = samples[type_name]
    with pytest.raises(ValidationError, match="frozen"):
        msg.household = "h2"
    assert msg.household == "h1"
