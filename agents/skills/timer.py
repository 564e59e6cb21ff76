"""Timers that go off in bus time: several at once, kept in KV so a restart loses none."""

from __future__ import annotations

import msgpack
from pydantic import BaseModel, ConfigDict

from agents.skills.base import SkillAgent
from bus.messages import SkillCall, SkillEvent, SkillResult, new_id
from policies.durations import speak_duration

BUCKET = "timers"
MAX_TIMER_S = 24 * 3600.0


class Timer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    household: str
    device: str
    duration_s: float
    due: float
    correlation_id: str
    call_id: str

    @property
    def key(self) -> str:
        return f"{self.household}.{self.id}"

    @property
    def spoken(self) -> str:
        """ "5 minute", as in "the 5 minute timer"."""
        return speak_duration(self.duration_s, adjective=True)


class TimerSkill(SkillAgent):
    NAME = "skill_timer"
    SKILL = "timer"
    SINGLETON = True  # armed timers live in this actor's scheduler (reloaded from KV)

    async def on_start(self) -> None:
        self.timers: dict[str, Timer] = {}
        for key in await self.bus.kv_keys(BUCKET):
            data = await self.bus.kv_get(BUCKET, key)
            if data is not None:
                self._arm(Timer.model_validate(msgpack.unpackb(data)))

    def _arm(self, timer: Timer) -> None:
        self.timers[timer.key] = timer
        self.scheduler.at(timer.household, timer.due, timer.key, lambda: self._fire(timer))

    async def _fire(self, timer: Timer) -> None:
        self.timers.pop(timer.key, None)
        await self.bus.kv_delete(BUCKET, timer.key)
        await self.publish(
            self.make(
                SkillEvent,
                timer.household,
                correlation_id=timer.correlation_id,
                causation_id=timer.call_id,
                skill=self.SKILL,
                event="timer.fired",
                device=timer.device,
                say=f"Your {timer.spoken} timer is done.",
                data={"timer_id": timer.id, "duration_s": timer.duration_s},
            )
        )

    def _of(self, household: str) -> list[Timer]:
        return sorted((t for t in self.timers.values() if t.household == household),
                      key=lambda t: t.due)

    async def handle(self, msg: SkillCall) -> SkillResult:
        if msg.intent == "timer.set":
            return await self._set(msg)
        if msg.intent == "timer.cancel":
            return await self._cancel(msg)
        if msg.intent == "timer.list":
            return self._list(msg)
        return await super().handle(msg)

    async def _set(self, msg: SkillCall) -> SkillResult:
        duration = msg.slots.get("duration_s")
        if not isinstance(duration, int | float) or isinstance(duration, bool):
            return self.result(msg, ok=False, say="For how long?", expects_reply=True,
                               data={"missing": "duration_s"})
        if not 0 < duration <= MAX_TIMER_S:
            return self.result(msg, ok=False, say="I can set timers from one second to a day.")
        timer = Timer(
            id=new_id()[:8], household=msg.household, device=msg.device,
            duration_s=float(duration), due=self.now(msg.household) + float(duration),
            correlation_id=msg.correlation_id, call_id=msg.id,
        )
        await self.bus.kv_put(BUCKET, timer.key, msgpack.packb(timer.model_dump()))
        self._arm(timer)
        return self.result(msg, ok=True, say=f"Timer set for {speak_duration(timer.duration_s)}.",
                           data={"timer_id": timer.id, "duration_s": timer.duration_s})

    async def _cancel(self, msg: SkillCall) -> SkillResult:
        timers = self._of(msg.household)
        if not timers:
            return self.result(msg, ok=False, say="There are no timers running.")
        duration = msg.slots.get("duration_s")
        chosen = timers
        if isinstance(duration, int | float):  # "cancel the 3 minute timer": only that one
            chosen = [t for t in timers if t.duration_s == duration]
            if not chosen:
                spoken = speak_duration(float(duration), adjective=True)
                return self.result(msg, ok=False, say=f"There is no {spoken} timer running.")
        for timer in chosen:
            self.scheduler.cancel(timer.key)
            self.timers.pop(timer.key, None)
            await self.bus.kv_delete(BUCKET, timer.key)
        what = "timer" if len(chosen) == 1 else f"{len(chosen)} timers"
        return self.result(msg, ok=True, say=f"Cancelled the {what}.",
                           data={"cancelled": [t.id for t in chosen]})

    def _list(self, msg: SkillCall) -> SkillResult:
        timers = self._of(msg.household)
        if not timers:
            return self.result(msg, ok=True, say="There are no timers running.",
                               data={"timers": []})
        now = self.now(msg.household)
        parts = [f"{speak_duration(max(0.0, t.due - now))} left on the {t.spoken} timer"
                 for t in timers]
        return self.result(msg, ok=True, say="; ".join(parts) + ".",
                           data={"timers": [t.id for t in timers]})
