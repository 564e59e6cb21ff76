"""Dialogue: multi-turn state per speaker, skill calls, questions, confirmations, outcomes.

The decisions (slot filling, confirmations for risky APIs, corrections, carry-over,
cancellation) are in ``policies.dialogue_policy``; this agent keeps each speaker's
conversation in KV (so any replica can take the next turn), calls skills by request/reply,
says what happens, and publishes ``dialogue.state`` so turn-taking knows when an answer
without wake word is expected.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

import msgpack

from agents.base import on
from agents.dialogue_offers import Accepted, OffersMixin
from agents.skills.catalog import discover, skill_dirs
from bus.messages import (
    DialogueCompleted,
    DialogueState,
    GoalFeedback,
    IntentRecognized,
    Message,
    ResponseSay,
    SkillCall,
    SkillEvent,
    SkillResult,
    Slots,
)
from policies import dialogue_policy as policy
from policies.dialogue_policy import Conversation, Heard

BUCKET = "dialogue"
ANSWER_WINDOW_S = policy.ANSWER_WINDOW_S
SKILL_TIMEOUT_S = 3.0
NOT_UNDERSTOOD = policy.NOT_UNDERSTOOD
_KEY_SAFE = re.compile(r"[^A-Za-z0-9_-]")


class DialogueAgent(OffersMixin):  # OffersMixin: suggestions (anticipation), an Agent
    NAME = "dialogue"
    PUBLISHES = (SkillCall, ResponseSay, DialogueState, DialogueCompleted, GoalFeedback)

    async def on_start(self) -> None:
        self.specs = {name: s.spec for name, s in discover(skill_dirs(self.config)).items()}
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC

    @staticmethod
    def _key(household: str, device: str, speaker: str | None) -> str:
        """One open dialogue per speaker (per device when the voice is unknown)."""
        who = f"p-{speaker}" if speaker else f"d-{device}"
        return f"{household}.{_KEY_SAFE.sub('_', who)}"

    # Conversations live in KV, not in this replica: any replica may get the next turn.
    async def _load(self, key: str) -> Conversation:
        data = await self.bus.kv_get(BUCKET, key)
        return Conversation() if data is None else Conversation.model_validate(
            msgpack.unpackb(data))

    async def _store(self, key: str, conv: Conversation) -> None:
        if conv.pending is None and conv.last is None:
            await self.bus.kv_delete(BUCKET, key)
        else:
            await self.bus.kv_put(BUCKET, key, msgpack.packb(conv.model_dump()))

    @on(IntentRecognized)
    async def intent(self, msg: IntentRecognized) -> None:
        key = self._key(msg.household, msg.device, msg.speaker)
        now = self.now(msg.household)
        today = datetime.fromtimestamp(now, self.timezone).date()
        offered = await self.offer_reply(msg)  # an answer to a suggestion (anticipation)
        if offered is True:
            return
        heard = Heard(msg.text, msg.skill, msg.intent, dict(msg.slots))
        if isinstance(offered, Accepted):
            decision = policy.complete(self.specs, await self._load(key), offered.skill,
                                       offered.intent, offered.slots, now)
        else:
            decision = policy.decide(self.specs, await self._load(key), heard, now, today)
        if decision.action != "call":
            await self._store(key, decision.conversation)
            await self._say(msg, decision.say, speaker=msg.speaker,
                            expects_reply=decision.expects_reply, skill=decision.skill)
            return
        assert decision.skill is not None and decision.intent is not None
        await self._call(msg, key, decision.conversation, decision.skill, decision.intent,
                         decision.slots)

    async def _call(self, msg: IntentRecognized, key: str, conv: Conversation, skill: str,
                    intent: str, slots: Slots) -> None:
        call = self.derive(msg, SkillCall, skill=skill, intent=intent, slots=slots,
                           device=msg.device, speaker=msg.speaker, text=msg.text)
        try:
            reply = await self.request(call, timeout=SKILL_TIMEOUT_S)
        except TimeoutError:
            await self._store(key, conv)
            await self._say(msg, f"The {skill.replace('_', ' ')} skill is not answering "
                            "right now.", speaker=msg.speaker)
            return
        if not isinstance(reply, SkillResult):
            raise TypeError(f"{skill} answered with {reply.type}, not skill.result")
        now = self.now(msg.household)
        missing = reply.data.get("missing")
        if reply.expects_reply and isinstance(missing, str):
            conv = policy.ask_for(conv, skill, intent, slots, missing, reply.say, now)
        elif reply.ok:
            conv = policy.remember(conv, skill, intent, slots, reply.data, now)
        else:
            conv = conv.model_copy(update={"pending": None})
        await self._store(key, conv)
        await self._say(reply, reply.say, speaker=msg.speaker, device=msg.device,
                        expects_reply=conv.pending is not None, skill=skill)
        if reply.ok and conv.last is not None and conv.pending is None:
            await self.completed(msg, reply, skill, intent, slots)  # for anticipation

    @on(SkillEvent)
    async def skill_event(self, msg: SkillEvent) -> None:
        await self._say(msg, msg.say, device=msg.device, skill=msg.skill)

    async def _say(self, cause: Message, text: str, *,
                   speaker: str | None = None, device: str | None = None,
                   expects_reply: bool = False, skill: str | None = None,
                   window_s: float = ANSWER_WINDOW_S) -> None:
        device = device or getattr(cause, "device", None)
        assert device is not None
        now = self.now(cause.household)
        # The state goes first: turn-taking must know a question is open before the device
        # has said it, or a quick answer would meet a closed window.
        await self.publish(self.derive(
            cause, DialogueState, device=device, speaker=speaker, expecting_reply=expects_reply,
            open_until=now + window_s if expects_reply else now, skill=skill,
        ))
        await self.publish(self.derive(cause, ResponseSay, device=device, text=text, to=speaker,
                                       expects_reply=expects_reply))
