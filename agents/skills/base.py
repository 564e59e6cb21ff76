"""The skill agent base: answers ``skill.call`` requests for one skill name."""

from __future__ import annotations

from typing import ClassVar

from agents.base import Agent, on
from bus import subjects
from bus.messages import Message, SkillCall, SkillEvent, SkillResult


class SkillAgent(Agent):
    SKILL: ClassVar[str] = ""
    PUBLISHES = (SkillResult, SkillEvent)

    def pattern_for(self, msg_type: type[Message]) -> str:
        if msg_type is SkillCall:
            return subjects.pattern(SkillCall, key=self.SKILL)
        return super().pattern_for(msg_type)

    @on(SkillCall)
    async def call(self, msg: SkillCall) -> SkillResult:
        return await self.handle(msg)

    async def handle(self, msg: SkillCall) -> SkillResult:
        return self.result(msg, ok=False, say=f"The {self.SKILL} skill cannot do {msg.intent} yet.")

    def result(self, msg: SkillCall, *, ok: bool, say: str, **fields: object) -> SkillResult:
        return self.derive(msg, SkillResult, skill=self.SKILL, intent=msg.intent, ok=ok, say=say,
                           **fields)
