"""What a skill's handler module sees: ``@handles``, ``Reply`` and the ``SkillContext``.

A handler is ``async def f(ctx: SkillContext, args: dict) -> Reply`` marked with
``@handles("api_name")``. ``args`` holds the declared arguments the request filled (defaults
applied), already typed: numbers and durations as numbers, everything else as strings.
The context gives the household's bus time, KV state private to the skill, scheduled
announcements that fire in bus time (timers, alarms, reminders) and the skill's folder.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from agents.skills.declared import DeclaredSkillAgent

Args = dict[str, Any]
_MARK = "__hearth_api__"


@dataclass
class Reply:
    say: str
    ok: bool = True
    data: dict[str, Any] = field(default_factory=dict)
    ask: str | None = None  # a missing argument the skill asks for; dialogue waits for it


Handler = Callable[["SkillContext", Args], Awaitable[Reply]]
H = TypeVar("H", bound=Handler)


def handles(api: str) -> Callable[[H], H]:
    """Mark an async function as the handler of the declared API ``api``."""

    def mark(fn: H) -> H:
        setattr(fn, _MARK, api)
        return fn

    return mark


def handled_api(obj: object) -> str | None:
    value = getattr(obj, _MARK, None)
    return value if isinstance(value, str) else None


class Scheduled(BaseModel):
    """An announcement due at a bus time, kept in KV so a restarted skill re-arms it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    skill: str
    household: str
    device: str
    due: float
    event: str
    say: str
    label: str = ""  # what it is called when listed ("eggs", "7:00 alarm")
    data: dict[str, Any] = Field(default_factory=dict)
    correlation_id: str
    call_id: str

    @property
    def key(self) -> str:
        return f"{self.skill}.{self.household}.{self.id}"


class SkillContext:
    """One request's view of its skill agent (KV, bus time, schedule), for the handlers."""

    def __init__(self, agent: DeclaredSkillAgent, household: str, device: str,
                 speaker: str | None, text: str, correlation_id: str, call_id: str) -> None:
        self._agent = agent
        self.household = household
        self.device = device
        self.speaker = speaker
        self.text = text
        self._correlation_id = correlation_id
        self._call_id = call_id

    @property
    def skill(self) -> str:
        return self._agent.SKILL

    @property
    def folder(self) -> Path:
        """The skill's folder, for its data files (weather, facts)."""
        return self._agent.loaded.folder

    def now(self) -> float:
        return self._agent.now(self.household)

    @property
    def tz(self) -> tzinfo:
        return self._agent.timezone

    def local_time(self, ts: float | None = None) -> datetime:
        return datetime.fromtimestamp(self.now() if ts is None else ts, self.tz)

    # -- state ---------------------------------------------------------------------------
    async def get(self, key: str, default: Any = None) -> Any:
        value = await self._agent.state_get(self.household, key)
        return default if value is None else value

    async def put(self, key: str, value: Any) -> None:
        await self._agent.state_put(self.household, key, value)

    async def delete(self, key: str) -> None:
        await self._agent.state_put(self.household, key, None)

    # -- announcements in bus time -------------------------------------------------------
    async def schedule(self, id: str, due: float, say: str, event: str, label: str = "",
                       data: dict[str, Any] | None = None,
                       device: str | None = None) -> Scheduled:
        entry = Scheduled(id=id, skill=self.skill, household=self.household,
                          device=device or self.device, due=due, event=event, say=say,
                          label=label, data=data or {}, correlation_id=self._correlation_id,
                          call_id=self._call_id)
        await self._agent.arm(entry, persist=True)
        return entry

    def scheduled(self) -> list[Scheduled]:
        """This household's pending announcements of this skill, soonest first."""
        return self._agent.pending(self.household)

    async def unschedule(self, id: str) -> bool:
        return await self._agent.disarm(f"{self.skill}.{self.household}.{id}")
