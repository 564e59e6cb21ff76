"""msgpack wire format for messages, with size limits and reasons for every refusal."""

from __future__ import annotations

from typing import Any

import msgpack
from pydantic import ValidationError

from bus.messages import ALL_TYPES, ANY_MESSAGE, Message

MAX_PAYLOAD_BYTES = 1024 * 1024  # 1 MiB: an audio frame is ~1 kB, a transcript far less
HEAD_BYTES = 64


class DecodeError(ValueError):
    """A payload that is not a valid message; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def encode(msg: Message) -> bytes:
    data = msgpack.packb(msg.model_dump(mode="python"), use_bin_type=True)
    assert isinstance(data, bytes)
    if len(data) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"{msg.type} encodes to {len(data)} bytes, over {MAX_PAYLOAD_BYTES}")
    return data


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    loc = [str(p) for p in first["loc"]]
    if not loc:
        return f"invalid message: {first['msg']}"
    if len(loc) == 1:  # the union's tag itself is wrong
        return f"invalid {loc[0]}: {first['msg']}"
    return f"invalid {loc[0]} field '{'.'.join(loc[1:])}': {first['msg']}"


def decode(data: bytes) -> Message:
    if len(data) > MAX_PAYLOAD_BYTES:
        raise DecodeError(f"payload of {len(data)} bytes is over the {MAX_PAYLOAD_BYTES} limit")
    try:
        raw: Any = msgpack.unpackb(data, raw=False, strict_map_key=True)
    except Exception as exc:  # msgpack raises several unrelated types for bad input
        raise DecodeError(f"not msgpack: {type(exc).__name__}: {exc}") from None
    if not isinstance(raw, dict):
        raise DecodeError(f"payload is a msgpack {type(raw).__name__}, not a map")
    if "type" not in raw:
        raise DecodeError("payload has no 'type' field")
    if not isinstance(raw["type"], str) or raw["type"] not in ALL_TYPES:
        raise DecodeError(f"unknown message type {str(raw['type'])[:64]!r}")
    try:
        msg = ANY_MESSAGE.validate_python(raw)
    except ValidationError as err:
        raise DecodeError(_first_error(err)) from None
    assert isinstance(msg, Message)
    return msg


def head(data: bytes) -> bytes:
    return bytes(data[:HEAD_BYTES])
