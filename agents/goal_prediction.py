"""Goal prediction: after a completed request, offer the next step the person most likely wants.

It watches ``dialogue.completed``, learns which requests follow which within a session
(co-occurrence, NPMI; ``policies.latent_goals``) on top of what skills declare
(``follow_ups``), and asks the trigger policy (``policies.suggestion_trigger``) whether a
suggestion is worth making now: confidence, household preferences, recent refusals, "stop
suggesting that", and whether people are talking to each other (a recent ``turn.ignored``:
a bus fact, never the scenario's ground truth). It publishes ``goal.suggestion`` (with the
reason) for dialogue to ask, or ``goal.held`` with why not. Learned counts and feedback
live in the ``anticipation`` KV bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import msgpack

from agents.base import Agent, on
from agents.skills.catalog import discover, skill_dirs
from agents.turn_taking import ANOTHER_DEVICE  # turn.ignored for this reason: no side talk
from bus.messages import (
    DialogueCompleted,
    GoalFeedback,
    GoalHeld,
    GoalSuggestion,
    PrivacyForgotten,
    TurnIgnored,
)
from policies import suggestion_trigger as trigger
from policies.latent_goals import CoOccurrence, Done, Feedback, LatentGoalModel

BUCKET = "anticipation"


class GoalPredictionAgent(Agent):
    NAME = "goal_prediction"
    PUBLISHES = (GoalSuggestion, GoalHeld)
    SINGLETON = True  # one view of a household's side talk

    async def on_start(self) -> None:
        specs = {name: s.spec for name, s in discover(skill_dirs(self.config)).items()}
        self.model = LatentGoalModel(specs)
        raw = self.config.get("anticipation", {})
        cfg: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        self.prefs = trigger.Prefs.from_config(cfg)
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC
        self.side_talk: dict[str, float] = {}  # household -> last remark between people

    async def _get(self, household: str, what: str) -> dict[str, Any] | None:
        data = await self.bus.kv_get(BUCKET, f"{household}.{what}")
        return None if data is None else dict(msgpack.unpackb(data))

    async def _put(self, household: str, what: str, value: dict[str, Any]) -> None:
        await self.bus.kv_put(BUCKET, f"{household}.{what}", msgpack.packb(value))

    async def _stats(self, household: str) -> CoOccurrence:
        raw = await self._get(household, "links")
        return CoOccurrence() if raw is None else CoOccurrence.model_validate(raw)

    async def _feedback(self, household: str) -> Feedback:
        raw = await self._get(household, "feedback")
        return Feedback() if raw is None else Feedback.model_validate(raw)

    @on(TurnIgnored)
    async def ignored(self, msg: TurnIgnored) -> None:
        if ANOTHER_DEVICE not in msg.reasons:
            self.side_talk[msg.household] = max(msg.ts, self.side_talk.get(msg.household, 0.0))

    @on(GoalFeedback)
    async def feedback(self, msg: GoalFeedback) -> None:
        if msg.origin != "latent_goal":
            return
        feedback = await self._feedback(msg.household)
        feedback.record(msg.key, msg.outcome, msg.ts)
        await self._put(msg.household, "feedback", feedback.model_dump())

    @on(PrivacyForgotten)
    async def forgotten(self, msg: PrivacyForgotten) -> None:
        """"Forget what I said today": the day's requests stop counting towards learned links."""
        stats = await self._stats(msg.household)
        stats.forget_since(msg.since)
        await self._put(msg.household, "links", stats.model_dump())
        feedback = await self._feedback(msg.household)
        feedback.forget_since(msg.since)
        await self._put(msg.household, "feedback", feedback.model_dump())

    @on(DialogueCompleted)
    async def completed(self, msg: DialogueCompleted) -> None:
        now = self.now(msg.household)
        stats = await self._stats(msg.household)
        stats.observe(msg.intent, msg.ts)
        await self._put(msg.household, "links", stats.model_dump())
        feedback = await self._feedback(msg.household)
        proposal = self.model.propose(Done(msg.skill, msg.intent, dict(msg.slots), msg.data),
                                      stats, feedback)
        if proposal is None:
            return
        worth = trigger.worth_offering(proposal.confidence, proposal.key, feedback.muted,
                                       feedback.declined.get(proposal.key, []), self.prefs, now)
        moment = trigger.Moment(now=now, local=datetime.fromtimestamp(now, self.timezone),
                                last_side_talk=self.side_talk.get(msg.household))
        verdict = worth if not worth.go else trigger.follow_up_moment(moment, self.prefs)
        if not verdict.go:
            await self.publish(self.derive(msg, GoalHeld, key=proposal.key,
                                           origin="latent_goal", reason=verdict.reason,
                                           device=msg.device))
            return
        await self.publish(self.derive(
            msg, GoalSuggestion, device=msg.device, speaker=msg.speaker, origin="latent_goal",
            key=proposal.key, skill=proposal.skill, intent=proposal.intent,
            slots=proposal.slots, say=proposal.say, confidence=round(proposal.confidence, 3),
            reason=f"{proposal.reason}; {verdict.reason}"))
