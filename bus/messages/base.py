"""The envelope every message carries, and the helper that derives one message from another.

Every message is a frozen pydantic model with ``extra="forbid"``; its ``type`` literal names
the domain and the event (``"perception.utterance"``), which is also where it travels on the bus.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

# One subject token: household ids, device ids and skill names all become tokens of a subject,
# so they may not contain the NATS separators or wildcards.
TOKEN_RE = re.compile(r"\A[A-Za-z0-9_-]{1,64}\Z")  # \Z: "$" would let a final newline in

SCHEMA_VERSION = 1


def new_id() -> str:
    return uuid.uuid4().hex


def check_token(value: str, what: str) -> str:
    if not TOKEN_RE.match(value):
        raise ValueError(f"{what} {value!r} must be 1-64 characters of letters, digits, '_' or '-'")
    return value


class Message(BaseModel):
    """Envelope fields shared by every message on the bus."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Name of the field whose value becomes an extra subject token after the domain
    # (``hh.h1.device.<device>.audio``, ``hh.h1.skill.<skill>.call``); None for plain subjects.
    SUBJECT_KEY: ClassVar[str | None] = None
    # For a request type: the message type that answers it (sent to the reply inbox).
    REPLY: ClassVar[type[Message] | None] = None

    id: str = Field(default_factory=new_id)
    type: str
    v: int = SCHEMA_VERSION
    ts: float = Field(description="bus time in seconds since the epoch (virtual in replay)")
    household: str
    source: str
    correlation_id: str = Field(default_factory=new_id)
    causation_id: str | None = None

    @field_validator("household")
    @classmethod
    def _household_is_token(cls, value: str) -> str:
        return check_token(value, "household")

    @field_validator("device", "skill", check_fields=False)
    @classmethod
    def _key_is_token(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Every message that names a device or a skill (response.say, intent.recognized, ...)
        # leads to a device or skill subject downstream; an impossible id is rejected here, at
        # the edge, rather than failing the agent that builds the device.say or skill.call
        # (found by tests/unit/agents/test_fuzz.py).
        return value if value is None else check_token(value, str(info.field_name))

    @field_validator("ts")
    @classmethod
    def _ts_is_sane(cls, value: float) -> float:
        # Absurd timestamps are rejected at the edge rather than poisoning timers later.
        if not 0.0 <= value < 32503680000.0:  # year 3000
            raise ValueError(f"ts {value} is outside 1970..3000")
        return value

    @classmethod
    def type_name(cls) -> str:
        default = cls.model_fields["type"].default
        if not isinstance(default, str):
            raise TypeError(f"{cls.__name__} has no literal type")
        return default

    def subject_key(self) -> str | None:
        if self.SUBJECT_KEY is None:
            return None
        value = getattr(self, self.SUBJECT_KEY)
        assert isinstance(value, str)
        return value


M = TypeVar("M", bound=Message)


def derive(parent: Message, cls: type[M], *, source: str, ts: float, **fields: Any) -> M:
    """A new message caused by ``parent``: same household and interaction, parent as cause."""
    fields.setdefault("household", parent.household)
    fields.setdefault("correlation_id", parent.correlation_id)
    return cls(source=source, ts=ts, causation_id=parent.id, **fields)
