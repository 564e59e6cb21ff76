"""Dialogue's part in anticipation: ask suggestions, read the answer, report the outcome.

A mixin of the dialogue agent (kept apart so dialogue.py only carries small hooks). A
``goal.suggestion`` is said on its device; an offer stays open there (KV, so any replica
takes the answer) and turn-taking is told an answer is expected. The next addressed turn on
that device: yes -> the suggested skill is called with the carried-over slots (through the
usual dialogue decisions, so risky APIs still ask for a yes); no -> ``declined``; "stop
suggesting that" -> ``stop``; anything else -> ``ignored`` and the turn goes on as usual.
Every completed request is published as ``dialogue.completed`` for the learners.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import msgpack

from agents.base import Agent, on
from bus.messages import (
    DialogueCompleted,
    GoalFeedback,
    GoalSuggestion,
    IntentRecognized,
    Message,
    SkillResult,
    Slots,
)
from policies import offers
from policies.dialogue_policy import ANSWER_WINDOW_S
from policies.offers import Offer

OFFER_BUCKET = "dialogue"
_KEY_SAFE = re.compile(r"[^A-Za-z0-9_-]")


class Accepted:
    """A yes to an offer that calls a skill: dialogue completes it like a request."""

    def __init__(self, skill: str, intent: str, slots: Slots) -> None:
        self.skill, self.intent, self.slots = skill, intent, slots


class OffersMixin(Agent):
    """Handlers and helpers the dialogue agent inherits (it provides ``_say``)."""

    if TYPE_CHECKING:  # provided by the dialogue agent; declared here for the type checker
        async def _say(self, cause: Message, text: str, *, speaker: str | None = None,
                       device: str | None = None, expects_reply: bool = False,
                       skill: str | None = None, window_s: float = ANSWER_WINDOW_S) -> None: ...

    @staticmethod
    def _offer_key(household: str, device: str) -> str:
        return f"{household}.offer-{_KEY_SAFE.sub('_', device)}"

    async def _load_offer(self, household: str, device: str) -> Offer | None:
        data = await self.bus.kv_get(OFFER_BUCKET, self._offer_key(household, device))
        return None if data is None else Offer.model_validate(msgpack.unpackb(data))

    async def _drop_offer(self, household: str, device: str) -> None:
        await self.bus.kv_delete(OFFER_BUCKET, self._offer_key(household, device))

    @on(GoalSuggestion)
    async def suggestion(self, msg: GoalSuggestion) -> None:
        now = self.now(msg.household)
        window = offers.offer_window_s(msg.say)
        if msg.offer:
            offer = Offer(suggestion_id=msg.id, key=msg.key, origin=msg.origin,
                          skill=msg.skill, intent=msg.intent, slots=dict(msg.slots),
                          accept_say=msg.accept_say, speaker=msg.speaker,
                          correlation_id=msg.correlation_id, until=now + window)
            await self.bus.kv_put(OFFER_BUCKET, self._offer_key(msg.household, msg.device),
                                  msgpack.packb(offer.model_dump()))
        await self._say(msg, msg.say, speaker=msg.speaker, device=msg.device,
                        expects_reply=msg.offer, skill=msg.skill, window_s=window)

    async def _feedback(self, cause: Message, offer: Offer, outcome: str, device: str,
                        speaker: str | None) -> None:
        await self.publish(self.derive(
            cause, GoalFeedback, suggestion_id=offer.suggestion_id, key=offer.key,
            origin=offer.origin, outcome=outcome, device=device, speaker=speaker))

    async def offer_reply(self, msg: IntentRecognized) -> Accepted | bool:
        """True: the turn answered an offer and was handled; Accepted: call the suggested
        skill; False: no offer open here (or the turn was no answer): handle it as usual."""
        offer = await self._load_offer(msg.household, msg.device)
        if offer is None:
            return False
        await self._drop_offer(msg.household, msg.device)
        if offers.open_offer(offer, self.now(msg.household)) is None:
            await self._feedback(msg, offer, "ignored", msg.device, msg.speaker)
            return False
        reply = offers.reply_to_offer(msg.text)
        if reply is None:
            await self._feedback(msg, offer, "ignored", msg.device, msg.speaker)
            return False
        if reply == "yes":
            await self._feedback(msg, offer, "accepted", msg.device, msg.speaker)
            if offer.skill is not None and offer.intent is not None:
                return Accepted(offer.skill, offer.intent, dict(offer.slots))
            await self._say(msg, offer.accept_say or offers.ACK_ACCEPTED, speaker=msg.speaker)
            return True
        outcome = "stop" if reply == "stop" else "declined"
        await self._feedback(msg, offer, outcome, msg.device, msg.speaker)
        await self._say(msg, offers.ACK_STOP if reply == "stop" else offers.ACK_DECLINED,
                        speaker=msg.speaker)
        return True

    async def completed(self, msg: IntentRecognized, reply: SkillResult, skill: str,
                        intent: str, slots: Slots) -> None:
        data: dict[str, Any] = {k: v for k, v in reply.data.items()
                                if isinstance(v, str | int | float | bool)}
        await self.publish(self.derive(
            reply, DialogueCompleted, device=msg.device, speaker=msg.speaker, skill=skill,
            intent=intent, slots=slots, data=data))
