"""Calls into skills (request/reply) and what skills report on their own."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from bus.messages.base import Message, check_token
from bus.messages.intent import Slots


class SkillMessage(Message):
    SUBJECT_KEY: ClassVar[str | None] = "skill"
    skill: str

    @field_validator("skill")
    @classmethod
    def _skill_is_token(cls, value: str) -> str:
        return check_token(value, "skill")


class SkillCall(SkillMessage):
    """A request: the skill answers the caller directly with a ``SkillResult``."""

    type: Literal["skill.call"] = "skill.call"
    intent: str
    slots: Slots = Field(default_factory=dict)
    device: str
    speaker: str | None = None
    text: str = ""


class SkillResult(SkillMessage):
    """The answer to a ``SkillCall``, sent to the caller's reply inbox."""

    type: Literal["skill.result"] = "skill.result"
    intent: str
    ok: bool
    say: str
    data: dict[str, Any] = Field(default_factory=dict)
    expects_reply: bool = False


class SkillEvent(SkillMessage):
    """Something a skill reports unasked, such as a timer going off."""

    type: Literal["skill.event"] = "skill.event"
    event: str
    device: str
    say: str
    data: dict[str, Any] = Field(default_factory=dict)


SkillCall.REPLY = SkillResult
