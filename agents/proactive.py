"""Proactive: hunches from the home's state, location reminders, and discovered routines.

Everything it knows comes from bus facts: requests carried out (``dialogue.completed``),
timers going off (``skill.event``), who a camera sees (``perception.attention``), where a
phone is (``device.location``), and whether people are talking (``turn.*``,
``dialogue.state``). The decisions are policies: ``policies.hunches`` (door unlocked at
night, lights on in an empty room, oven on long after a timer), ``policies.routines``
(repeated requests at similar times), ``policies.suggestion_trigger`` (a quiet moment, quiet
hours, rate limits, "stop suggesting that"). Suggestions go out as ``goal.suggestion`` for
dialogue to ask; an accepted routine is kept and run at its time (skill calls in bus time).
The household's state lives in the ``anticipation`` KV bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import msgpack
from pydantic import BaseModel, ConfigDict, Field

from agents.base import Agent, on
from agents.skills.catalog import discover, skill_dirs
from agents.turn_taking import ANOTHER_DEVICE
from bus.messages import (
    Attention,
    DeviceLocation,
    DeviceOnline,
    DialogueCompleted,
    DialogueState,
    GoalFeedback,
    GoalHeld,
    GoalSuggestion,
    PrivacyForgotten,
    ResponseSay,
    SkillCall,
    SkillEvent,
    SkillResult,
    Slots,
    TurnAddressed,
    TurnIgnored,
)
from bus.messages.goal import Origin
from policies import hunches, routines
from policies import suggestion_trigger as trigger
from policies.latent_goals import Feedback

BUCKET = "anticipation"
RETRY_S = 15.0  # look again this soon when the moment was not quiet
LOOK_EVERY_S = 15 * 60.0  # periodic look while something could turn into a hunch
SKILL_TIMEOUT_S = 3.0


class Reminder(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    what: str
    place: str
    person: str | None = None


class Kept(BaseModel):
    """An accepted routine, run at its time."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    key: str
    minute: int
    weekdays_only: bool
    steps: list[dict[str, Any]]
    device: str


class HomeState(BaseModel):
    model_config = ConfigDict(extra="forbid")
    home: hunches.Home = Field(default_factory=hunches.Home)
    actions: list[routines.Action] = Field(default_factory=list)
    reminders: list[Reminder] = Field(default_factory=list)
    raised: dict[str, float] = Field(default_factory=dict)  # hunch key -> situation raised
    offered: list[str] = Field(default_factory=list)  # routine keys already offered
    kept: list[Kept] = Field(default_factory=list)
    offers: list[float] = Field(default_factory=list)  # when suggestions were made
    feedback: Feedback = Field(default_factory=Feedback)


class ProactiveAgent(Agent):
    NAME = "proactive"
    PUBLISHES = (GoalSuggestion, GoalHeld, SkillCall, ResponseSay)
    SINGLETON = True  # scheduled looks and routines are held in memory

    async def on_start(self) -> None:
        self.specs = {name: s.spec for name, s in discover(skill_dirs(self.config)).items()}
        raw = self.config.get("anticipation", {})
        cfg: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        self.prefs = trigger.Prefs.from_config(cfg)
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC
        place = self.specs["reminders"].entities.get("place") if "reminders" in self.specs \
            else None
        self.places: dict[str, str] = {}  # any name of a place -> its canonical name
        for canonical, synonyms in (place.values.items() if place else []):
            for name in (canonical, *synonyms):
                self.places[name.lower()] = canonical
        self.last_turn: dict[str, tuple[float, str]] = {}  # household -> (ts, device)
        self.side_talk: dict[str, float] = {}
        self.open_until: dict[str, float] = {}
        self.rooms: dict[str, dict[str, str]] = {}  # household -> device -> room
        self.armed: set[str] = set()  # households whose kept routines are scheduled here

    # -- state -----------------------------------------------------------------------------
    async def _load(self, household: str) -> HomeState:
        data = await self.bus.kv_get(BUCKET, f"{household}.proactive")
        state = HomeState() if data is None else HomeState.model_validate(
            msgpack.unpackb(data))
        if household not in self.armed:  # a restarted agent re-arms accepted routines
            self.armed.add(household)
            for kept in state.kept:
                self._arm(household, kept, self.now(household))
        return state

    async def _store(self, household: str, state: HomeState) -> None:
        await self.bus.kv_put(BUCKET, f"{household}.proactive",
                              msgpack.packb(state.model_dump()))

    def _local(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.timezone)

    def _look_at(self, household: str, due: float, tag: str = "look") -> None:
        async def look() -> None:
            await self._look(household)

        self.scheduler.at(household, due, f"{household}.{tag}", look)

    # -- facts -----------------------------------------------------------------------------
    @on(DeviceOnline)
    async def online(self, msg: DeviceOnline) -> None:
        if msg.room:
            self.rooms.setdefault(msg.household, {})[msg.device] = msg.room

    @on(TurnAddressed)
    async def addressed(self, msg: TurnAddressed) -> None:
        self.last_turn[msg.household] = (msg.ts, msg.device)

    @on(TurnIgnored)
    async def ignored(self, msg: TurnIgnored) -> None:
        if ANOTHER_DEVICE not in msg.reasons:
            self.side_talk[msg.household] = msg.ts
            self.last_turn[msg.household] = (msg.ts, msg.device)

    @on(DialogueState)
    async def dialogue_state(self, msg: DialogueState) -> None:
        self.open_until[msg.household] = msg.open_until if msg.expecting_reply else msg.ts

    @on(Attention)
    async def attention(self, msg: Attention) -> None:
        if msg.room is None:
            return
        state = await self._load(msg.household)
        state.home.seen(msg.room, len(msg.present), msg.ts)
        await self._store(msg.household, state)
        self._schedule_next(msg.household, state, msg.ts)

    @on(SkillEvent)
    async def skill_event(self, msg: SkillEvent) -> None:
        if msg.event != "timer.fired":
            return
        state = await self._load(msg.household)
        state.home.timer_fired = msg.ts
        await self._store(msg.household, state)
        self._schedule_next(msg.household, state, msg.ts)

    @on(DialogueCompleted)
    async def completed(self, msg: DialogueCompleted) -> None:
        state = await self._load(msg.household)
        room = self.rooms.get(msg.household, {}).get(msg.device)
        state.home.completed(msg.intent, dict(msg.slots), dict(msg.data), msg.ts,
                             room or msg.device)
        if msg.intent == "reminders.add" and "place" in msg.data:
            state.reminders.append(Reminder(what=str(msg.data.get("what", "")),
                                            place=str(msg.data["place"]), person=msg.speaker))
        elif msg.intent != "reminders.add":
            state.actions = routines.prune([*state.actions, routines.action(
                msg.skill, msg.intent, dict(msg.slots), msg.ts, self._local(msg.ts),
                msg.device)], msg.ts)
        await self._store(msg.household, state)
        self._schedule_next(msg.household, state, msg.ts)
        # A routine or a hunch is said at the next quiet moment, not over this exchange.
        self._look_at(msg.household, msg.ts + trigger.QUIET_GAP_S + 1.0)

    @on(DeviceLocation)
    async def location(self, msg: DeviceLocation) -> None:
        state = await self._load(msg.household)
        here = self.places.get(msg.place.lower(), msg.place.lower())
        due = [r for r in state.reminders if r.place == here and r.person in (None, msg.person)]
        if not due:
            return
        state.reminders = [r for r in state.reminders if r not in due]
        await self._store(msg.household, state)
        things = " and ".join(r.what for r in due)
        await self.publish(self.derive(
            msg, GoalSuggestion, device=msg.device, speaker=msg.person, origin="reminder",
            key=f"reminder.{here}", say=f"You're at the {here}: remember to {things}.",
            offer=False, reason=f"{msg.person} arrived at the {here}"))

    @on(GoalFeedback)
    async def feedback(self, msg: GoalFeedback) -> None:
        if msg.origin not in ("hunch", "routine"):
            return
        state = await self._load(msg.household)
        state.feedback.record(msg.key, msg.outcome, msg.ts)
        if msg.origin == "routine" and msg.outcome == "accepted":
            found = next((r for r in routines.discover(state.actions) if r.key == msg.key), None)
            if found is not None and all(k.key != found.key for k in state.kept):
                state.kept.append(Kept(key=found.key, minute=found.minute,
                                       weekdays_only=found.weekdays_only, device=found.device,
                                       steps=[{"skill": s.skill, "intent": s.intent,
                                               "slots": s.slots} for s in found.steps]))
                self._arm(msg.household, state.kept[-1], msg.ts)
        await self._store(msg.household, state)

    @on(PrivacyForgotten)
    async def forgotten(self, msg: PrivacyForgotten) -> None:
        """"Forget what I said today": the day's actions, raised hunches and refusals go; the
        routines and place reminders people asked for stay, as their settings."""
        state = await self._load(msg.household)
        state.actions = [a for a in state.actions if a.ts < msg.since]
        state.raised = {k: ts for k, ts in state.raised.items() if ts < msg.since}
        state.offers = [ts for ts in state.offers if ts < msg.since]
        state.feedback.forget_since(msg.since)
        await self._store(msg.household, state)

    # -- deciding --------------------------------------------------------------------------
    def _schedule_next(self, household: str, state: HomeState, now: float) -> None:
        due = hunches.next_check(state.home, now)
        if due is not None:
            self._look_at(household, due + 1.0, "hunch")
        if state.home.unlocked:
            self._look_at(household, now + LOOK_EVERY_S, "door")

    def _moment(self, household: str, state: HomeState, now: float) -> trigger.Moment:
        last = self.last_turn.get(household)
        return trigger.Moment(now=now, local=self._local(now),
                              last_side_talk=self.side_talk.get(household),
                              last_turn=last[0] if last else None,
                              open_question_until=self.open_until.get(household),
                              recent_offers=state.offers)

    def _device_for(self, household: str, state: HomeState) -> str | None:
        """Where people most likely are: where someone last talked, unless a camera has
        since seen that room empty; else any device in a room not seen empty."""
        rooms = self.rooms.get(household, {})
        empty = state.home.empty
        usable = [d for d, r in rooms.items() if hunches.room_name(r) not in empty]
        last = self.last_turn.get(household)
        if last is not None and (last[1] in usable or last[1] not in rooms):
            return last[1]
        return usable[0] if usable else (last[1] if last else None)

    def _candidates(self, state: HomeState, now: float) -> list[GoalCandidate]:
        out = []
        for h in hunches.hunches(state.home, now, self._local(now)):
            if state.raised.get(h.key) != h.since:
                out.append(GoalCandidate("hunch", h.key, h.say, h.reason, h.intent,
                                         dict(h.slots), h.since, h.room, None))
        for r in routines.discover(state.actions):
            if r.key not in state.offered and all(k.key != r.key for k in state.kept):
                say = routines.describe(r, self.specs) + " Shall I make it a routine?"
                out.append(GoalCandidate(
                    "routine", r.key, say, f"seen on {len(r.days)} days around {r.clock}",
                    None, {}, now, None, r.device,
                    f"OK, it's a routine now: {r.when}, I'll do it for you."))
        return out

    async def _look(self, household: str) -> None:
        now = self.now(household)
        state = await self._load(household)
        candidates = self._candidates(state, now)
        if not candidates:
            self._schedule_next(household, state, now)  # a door may become a hunch at night
            return
        moment = self._moment(household, state, now)
        quiet = trigger.quiet_moment(moment, self.prefs)
        for c in candidates:
            worth = trigger.worth_offering(1.0, c.key, state.feedback.muted,
                                           state.feedback.declined.get(c.key, []), self.prefs,
                                           now)
            if not worth.go:
                self._mark(state, c)  # not this situation again
                await self._held(household, c, worth.reason)
                continue
            if not quiet.go:
                await self._held(household, c, quiet.reason)
                self._look_at(household, self._retry_at(now, quiet.reason))
                break
            device = c.device or self._device_for(household, state)
            if device is None:
                break
            self._mark(state, c)
            state.offers = [t for t in state.offers if now - t <= trigger.RATE_WINDOW_S] + [now]
            await self.publish(self.make(
                GoalSuggestion, household, device=device, origin=c.origin, key=c.key,
                skill=c.intent.partition(".")[0] if c.intent else None, intent=c.intent,
                slots=c.slots, say=c.say, reason=c.reason, accept_say=c.accept_say))
            break  # one suggestion at a time; the next waits for another quiet moment
        await self._store(household, state)
        self._schedule_next(household, state, now)

    def _retry_at(self, now: float, reason: str) -> float:
        """People asleep: look again when quiet hours end; else in a little while."""
        if reason != "quiet hours":
            return now + RETRY_S
        local = self._local(now)
        end = local.replace(hour=self.prefs.quiet_end.hour, minute=self.prefs.quiet_end.minute,
                            second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return end.timestamp() + 1.0

    @staticmethod
    def _mark(state: HomeState, c: GoalCandidate) -> None:
        if c.origin == "hunch":
            state.raised[c.key] = c.since
        else:
            state.offered.append(c.key)

    async def _held(self, household: str, c: GoalCandidate, reason: str) -> None:
        await self.publish(self.make(GoalHeld, household, key=c.key, origin=c.origin,
                                     reason=reason, device=c.device))

    # -- running accepted routines ---------------------------------------------------------
    def _arm(self, household: str, kept: Kept, now: float) -> None:
        local = self._local(now)
        day = local.replace(hour=kept.minute // 60, minute=kept.minute % 60, second=0,
                            microsecond=0)
        while day <= local or not routines.due_on(kept.minute, kept.weekdays_only, day):
            day += timedelta(days=1)

        async def run() -> None:
            await self._run(household, kept)

        self.scheduler.at(household, day.timestamp(), f"{household}.{kept.key}", run)

    async def _run(self, household: str, kept: Kept) -> None:
        said = []
        cause: SkillResult | None = None
        for step in kept.steps:
            call = self.make(SkillCall, household, skill=step["skill"], intent=step["intent"],
                             slots=step["slots"], device=kept.device, text="(routine)")
            try:
                reply = await self.request(call, timeout=SKILL_TIMEOUT_S)
            except TimeoutError:
                said.append(f"The {step['skill'].replace('_', ' ')} skill is not answering.")
                continue
            if isinstance(reply, SkillResult):
                said.append(reply.say)
                cause = cause or reply
        if said:
            text = " ".join(said)
            say = (self.derive(cause, ResponseSay, device=kept.device, text=text)
                   if cause is not None else
                   self.make(ResponseSay, household, device=kept.device, text=text))
            await self.publish(say)
        self._arm(household, kept, self.now(household) + 60.0)


@dataclass(frozen=True)
class GoalCandidate:
    """Something the proactive agent could say, before the trigger policy decides."""

    origin: Origin
    key: str
    say: str
    reason: str
    intent: str | None
    slots: Slots
    since: float
    room: str | None
    device: str | None
    accept_say: str = ""
