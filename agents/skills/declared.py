"""The agent that serves any declared skill: one actor per skill, on ``hh.*.skill.<name>.call``.

It checks each call against the declaration (known API, typed arguments, required ones
present), runs the handler with a ``SkillContext``, checks the reply's data against the
declared result types, and answers with a ``skill.result``. Announcements a handler schedules
(timers, alarms, reminders) are kept in KV and armed in this actor's scheduler, so they fire
in bus time and survive a restart.
"""

from __future__ import annotations

import logging
from datetime import UTC, tzinfo
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import msgpack

from agents.skills.base import SkillAgent
from agents.skills.catalog import LoadedSkill, discover, load_handlers, skill_dirs
from agents.skills.sdk import Handler, Reply, Scheduled, SkillContext
from bus.messages import SkillCall, SkillEvent, SkillResult
from policies.skill_spec import Api

log = logging.getLogger(__name__)

NUMERIC = ("number", "duration")
_RESULT_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "number": (int, float), "bool": (bool,), "list": (list, tuple),
    "dict": (dict,),
}


class DeclaredSkillAgent(SkillAgent):
    SINGLETON = True  # scheduled announcements live in this actor's scheduler
    STATE_BUCKET: ClassVar[str] = "skills"
    SCHEDULE_BUCKET: ClassVar[str] = "schedules"

    async def on_start(self) -> None:
        skills = discover(skill_dirs(self.config))
        if self.SKILL not in skills:
            raise LookupError(f"no skill named {self.SKILL!r} was found")
        self.loaded: LoadedSkill = skills[self.SKILL]
        self.handlers: dict[str, Handler] = load_handlers(self.loaded)
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC
        self.armed: dict[str, Scheduled] = {}
        prefix = f"{self.SKILL}."
        for key in await self.bus.kv_keys(self.SCHEDULE_BUCKET):
            data = await self.bus.kv_get(self.SCHEDULE_BUCKET, key) if key.startswith(
                prefix) else None
            if data is not None:
                await self.arm(Scheduled.model_validate(msgpack.unpackb(data)), persist=False)

    # -- state and schedule, for SkillContext ---------------------------------------------
    def _state_key(self, household: str, key: str) -> str:
        return f"{self.SKILL}.{household}.{key}"

    async def state_get(self, household: str, key: str) -> Any:
        data = await self.bus.kv_get(self.STATE_BUCKET, self._state_key(household, key))
        return None if data is None else msgpack.unpackb(data)

    async def state_put(self, household: str, key: str, value: Any) -> None:
        full = self._state_key(household, key)
        if value is None:
            await self.bus.kv_delete(self.STATE_BUCKET, full)
        else:
            await self.bus.kv_put(self.STATE_BUCKET, full, msgpack.packb(value))

    async def arm(self, entry: Scheduled, persist: bool) -> None:
        if persist:
            await self.bus.kv_put(self.SCHEDULE_BUCKET, entry.key,
                                  msgpack.packb(entry.model_dump()))
        self.armed[entry.key] = entry
        self.scheduler.at(entry.household, entry.due, entry.key, lambda: self._fire(entry))

    async def disarm(self, key: str) -> bool:
        self.scheduler.cancel(key)
        await self.bus.kv_delete(self.SCHEDULE_BUCKET, key)
        return self.armed.pop(key, None) is not None

    def pending(self, household: str) -> list[Scheduled]:
        return sorted((e for e in self.armed.values() if e.household == household),
                      key=lambda e: e.due)

    async def _fire(self, entry: Scheduled) -> None:
        self.armed.pop(entry.key, None)
        await self.bus.kv_delete(self.SCHEDULE_BUCKET, entry.key)
        await self.publish(self.make(
            SkillEvent, entry.household, correlation_id=entry.correlation_id,
            causation_id=entry.call_id, skill=self.SKILL, event=entry.event,
            device=entry.device, say=entry.say, data={"id": entry.id, **entry.data},
        ))

    # -- calls ----------------------------------------------------------------------------
    async def handle(self, msg: SkillCall) -> SkillResult:
        api = self.loaded.spec.api_of(msg.intent)
        if api is None:
            return await super().handle(msg)
        args, problem = typed_args(api, msg.slots)
        if problem is not None:
            return self.result(msg, ok=False, say=problem)
        missing = next((n for n, a in api.args.items() if a.required and n not in args), None)
        if missing is not None:
            return self.result(msg, ok=False, say=api.args[missing].prompt or f"{missing}?",
                               expects_reply=True, data={"missing": missing})
        ctx = SkillContext(self, msg.household, msg.device, msg.speaker, msg.text,
                           msg.correlation_id, msg.id)
        reply = await self.handlers[msg.intent.partition(".")[2]](ctx, args)
        if not isinstance(reply, Reply):
            raise TypeError(f"the {msg.intent} handler returned {type(reply).__name__}, "
                            "not a Reply")
        check_result(api, reply.data, msg.intent)
        data = dict(reply.data)
        if reply.ask is not None:
            data["missing"] = reply.ask
        return self.result(msg, ok=reply.ok, say=reply.say, data=data,
                           expects_reply=reply.ask is not None)


def typed_args(api: Api, slots: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The declared arguments from ``slots``, typed, with defaults; or why they do not fit."""
    out: dict[str, Any] = {}
    for name, arg in api.args.items():
        value = slots.get(name, arg.default)
        if value is None:
            continue
        if arg.type in NUMERIC:
            if isinstance(value, bool) or not isinstance(value, int | float):
                try:
                    value = float(str(value))
                except ValueError:
                    return {}, f"I need a number for the {name.replace('_', ' ')}."
        else:
            value = str(value)
        out[name] = value
    return out, None


def check_result(api: Api, data: dict[str, Any], intent: str) -> None:
    """A handler that returns data its declaration does not promise is a bug: say so."""
    for key, value in data.items():
        if key not in api.result:
            raise TypeError(f"{intent} returned {key!r}, which its declaration's result "
                            "does not list")
        wanted = _RESULT_TYPES[api.result[key]]
        if not isinstance(value, wanted) or (api.result[key] == "number"
                                             and isinstance(value, bool)):
            raise TypeError(f"{intent} returned {key}={value!r}, declared "
                            f"{api.result[key]}")
