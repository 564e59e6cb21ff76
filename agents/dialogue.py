"""Dialogue: calls the skill an intent names, asks for what is missing, says the outcome."""

from __future__ import annotations

import msgpack
from pydantic import BaseModel, ConfigDict

from agents.base import Agent, on
from bus.messages import (
    DialogueState,
    IntentRecognized,
    ResponseSay,
    SkillCall,
    SkillEvent,
    SkillResult,
    Slots,
)

BUCKET = "dialogue"
ANSWER_WINDOW_S = 8.0  # how long a question stays open for a reply without wake word
SKILL_TIMEOUT_S = 3.0
NOT_UNDERSTOOD = "Sorry, I can't help with that yet."


class OpenQuestion(BaseModel):
    """The assistant asked for a missing slot and waits for the answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    skill: str
    intent: str
    slots: Slots
    missing: str
    until: float


class DialogueAgent(Agent):
    NAME = "dialogue"
    PUBLISHES = (SkillCall, ResponseSay, DialogueState)

    @staticmethod
    def _key(household: str, device: str) -> str:
        return f"{household}.{device}"

    # Open questions live in KV, not in this replica: any replica may get the answer.
    async def _question(self, key: str) -> OpenQuestion | None:
        data = await self.bus.kv_get(BUCKET, key)
        return None if data is None else OpenQuestion.model_validate(msgpack.unpackb(data))

    async def _remember(self, key: str, question: OpenQuestion | None) -> None:
        if question is None:
            await self.bus.kv_delete(BUCKET, key)
        else:
            await self.bus.kv_put(BUCKET, key, msgpack.packb(question.model_dump()))

    def _call_for(self, msg: IntentRecognized, question: OpenQuestion | None) -> SkillCall | None:
        """The skill call this intent asks for: a new request, or the answer to a question."""
        # An utterance answers the open question only when it brings the missing slot and is
        # not a request of its own ("cancel the three minute timer" also has a duration).
        answers = (
            question is not None
            and question.until >= self.now(msg.household)
            and question.missing in msg.slots
            and msg.intent in (None, question.intent)
        )
        if question is not None and answers:
            skill, intent, slots = question.skill, question.intent, {**question.slots, **msg.slots}
        elif msg.skill is not None and msg.intent is not None:
            skill, intent, slots = msg.skill, msg.intent, dict(msg.slots)
        else:
            return None
        return self.derive(msg, SkillCall, skill=skill, intent=intent, slots=slots,
                           device=msg.device, speaker=msg.speaker, text=msg.text)

    @on(IntentRecognized)
    async def intent(self, msg: IntentRecognized) -> None:
        key = self._key(msg.household, msg.device)
        question = await self._question(key)
        call = self._call_for(msg, question)
        if call is None:
            if question is not None:
                await self._remember(key, None)
            await self._say(msg, msg.device, NOT_UNDERSTOOD, speaker=msg.speaker)
            return
        try:
            reply = await self.request(call, timeout=SKILL_TIMEOUT_S)
        except TimeoutError:
            await self._say(msg, msg.device, f"The {call.skill} skill is not answering right now.",
                            speaker=msg.speaker)
            return
        if not isinstance(reply, SkillResult):
            raise TypeError(f"{call.skill} answered with {reply.type}, not skill.result")
        missing = reply.data.get("missing")
        question = None
        if reply.expects_reply and isinstance(missing, str):
            until = self.now(msg.household) + ANSWER_WINDOW_S
            question = OpenQuestion(skill=call.skill, intent=call.intent, slots=call.slots,
                                    missing=missing, until=until)
        await self._remember(key, question)
        await self._say(reply, msg.device, reply.say, speaker=msg.speaker,
                        expects_reply=question is not None)

    @on(SkillEvent)
    async def skill_event(self, msg: SkillEvent) -> None:
        await self._say(msg, msg.device, msg.say)

    async def _say(self, cause: IntentRecognized | SkillResult | SkillEvent, device: str, text: str,
                   *, speaker: str | None = None, expects_reply: bool = False) -> None:
        now = self.now(cause.household)
        await self.publish(self.derive(cause, ResponseSay, device=device, text=text, to=speaker,
                                       expects_reply=expects_reply))
        await self.publish(self.derive(
            cause, DialogueState, device=device, speaker=speaker, expecting_reply=expects_reply,
            open_until=now + ANSWER_WINDOW_S if expects_reply else now,
        ))
