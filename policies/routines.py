"""Routine discovery: the same requests, at about the same time, day after day.

An action is a completed request (intent plus slot values). An action recurs when it was
done on at least ``MIN_DAYS`` different days within ``TOLERANCE_MIN`` minutes of its usual
time (the median). Recurring actions whose usual times lie close together and that happen
on the same days form a routine ("every weekday at 7:00: turn on the lights in the kitchen,
what's the weather like"). Pure: the proactive agent keeps the action log in KV and offers
what this finds.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from bus.messages import Slots
from policies.latent_goals import QUESTION_WORDS, phrase
from policies.skill_spec import SkillSpec

MIN_DAYS = 4  # distinct days an action must recur on
TOLERANCE_MIN = 20.0  # minutes from its usual time that still count as "the same time"
GROUP_WITHIN_MIN = 15.0  # recurring actions this close in usual time belong together
LOG_DAYS = 21  # how far back the log goes
MAX_ACTIONS = 800  # and at most this many actions (the log lives in one KV value)
MAX_STEPS = 4  # a routine of more steps is offered as its first four
WEEKDAYS = frozenset(range(5))


class Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    skill: str
    intent: str
    slots: Slots = Field(default_factory=dict)
    ts: float
    day: str  # local date, ISO
    weekday: int  # 0 = Monday
    minute: float  # local minute of the day
    device: str

    @property
    def signature(self) -> str:
        return json.dumps([self.intent, sorted(self.slots.items())], default=str)


def action(skill: str, intent: str, slots: Slots, ts: float, local: datetime,
           device: str) -> Action:
    return Action(skill=skill, intent=intent, slots=slots, ts=ts, day=local.date().isoformat(),
                  weekday=local.weekday(), minute=local.hour * 60 + local.minute + local.second
                  / 60, device=device)


@dataclass(frozen=True)
class Step:
    skill: str
    intent: str
    slots: Slots


@dataclass(frozen=True)
class Routine:
    key: str
    minute: int  # local minute of the day it runs at (rounded down to 5 minutes)
    weekdays_only: bool
    days: tuple[str, ...]  # the days it was seen on
    steps: tuple[Step, ...]
    device: str

    @property
    def clock(self) -> str:
        return f"{self.minute // 60}:{self.minute % 60:02d}"

    @property
    def when(self) -> str:
        return f"every {'weekday' if self.weekdays_only else 'day'} at {self.clock}"


@dataclass(frozen=True)
class _Recurring:
    signature: str
    first: Action
    median: float
    days: frozenset[str]
    weekdays: frozenset[int]


def _recurring(actions: Sequence[Action]) -> list[_Recurring]:
    by_sig: dict[str, list[Action]] = {}
    for a in actions:
        by_sig.setdefault(a.signature, []).append(a)
    out = []
    for sig, done in by_sig.items():
        first_per_day: dict[str, Action] = {}
        for a in sorted(done, key=lambda a: a.ts):
            first_per_day.setdefault(a.day, a)
        if len(first_per_day) < MIN_DAYS:
            continue
        median = statistics.median(a.minute for a in first_per_day.values())
        near = [a for a in first_per_day.values() if abs(a.minute - median) <= TOLERANCE_MIN]
        if len(near) >= MIN_DAYS:
            out.append(_Recurring(sig, near[0], median, frozenset(a.day for a in near),
                                  frozenset(a.weekday for a in near)))
    return sorted(out, key=lambda r: r.median)


def discover(actions: Sequence[Action]) -> list[Routine]:
    """Routines of two or more recurring actions that happen together on the same days."""
    found: list[Routine] = []
    groups: list[list[_Recurring]] = []
    for rec in _recurring(actions):
        last = groups[-1] if groups else None
        if last is not None and rec.median - last[0].median <= GROUP_WITHIN_MIN and len(
                rec.days & last[0].days) >= MIN_DAYS:
            last.append(rec)
        else:
            groups.append([rec])
    for group in groups:
        if len(group) < 2:
            continue  # one request at the same time is a habit, not yet a routine
        days = frozenset.intersection(*(r.days for r in group))
        weekdays = frozenset.union(*(r.weekdays for r in group))
        start = int(min(r.median for r in group)) // 5 * 5
        steps = tuple(Step(r.first.skill, r.first.intent, dict(r.first.slots))
                      for r in group[:MAX_STEPS])
        key = "routine." + "+".join(sorted(r.signature for r in group))
        found.append(Routine(key, start, weekdays <= WEEKDAYS, tuple(sorted(days)), steps,
                             group[0].first.device))
    return found


def due_on(routine_minute: int, weekdays_only: bool, local: datetime) -> bool:
    """Does a routine run on this local day (its minute is checked by the scheduler)?"""
    return not weekdays_only or local.weekday() in WEEKDAYS


def prune(actions: Sequence[Action], now: float) -> list[Action]:
    return [a for a in actions if now - a.ts <= LOG_DAYS * 86400.0][-MAX_ACTIONS:]


def describe(routine: Routine, specs: dict[str, SkillSpec]) -> str:
    """ "every weekday at 7:00 you turn on the lights in the kitchen and ask what's the
    weather like" """
    parts = []
    for step in routine.steps:
        spec = specs.get(step.skill)
        words = phrase(spec, step.intent, step.slots) if spec is not None else None
        words = words or step.intent.replace(".", " ").replace("_", " ")
        parts.append(f"ask {words}" if words.split()[0] in QUESTION_WORDS else words)
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"{routine.when.capitalize()} you {listed}."
