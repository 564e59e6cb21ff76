"""Hunches: something in the home looks wrong, and the assistant can fix it.

The home as the proactive agent knows it from bus facts (requests the smart-home skill
carried out, timers going off, cameras seeing a room empty) and three rules: a door left
unlocked at night, lights on in a room nobody has been in for a while, the oven still on
long after a timer went off. Each hunch names the fix (skill, intent, slots) so a yes does
it. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bus.messages import Slots
from policies.durations import speak_duration

NIGHT_START_H = 21  # a door left unlocked from this hour ...
NIGHT_END_H = 7  # ... until this one is worth a word
UNLOCKED_FOR_S = 10 * 60.0
EMPTY_FOR_S = 15 * 60.0  # lights on in a room nobody has been in this long
OVEN_AFTER_TIMER_S = 15 * 60.0  # the oven still on this long after a timer went off


def room_name(value: str) -> str:
    """ "living_room" (a device's room) and "living room" (a skill's slot) are one room."""
    return value.replace("_", " ").replace("-", " ").strip().lower()


class Home(BaseModel):
    """What is on, what is unlocked, which rooms are empty, and since when (bus time)."""

    model_config = ConfigDict(extra="forbid")
    on: dict[str, float] = Field(default_factory=dict)  # "room/device" -> switched on at
    unlocked: dict[str, float] = Field(default_factory=dict)  # door -> unlocked at
    empty: dict[str, float] = Field(default_factory=dict)  # room -> seen empty since
    timer_fired: float | None = None  # the last timer that went off

    def completed(self, intent: str, slots: Slots, data: dict[str, Any], ts: float,
                  device_room: str | None) -> None:
        """Apply a request the smart-home skill carried out."""
        room = room_name(str(data.get("room") or slots.get("room") or device_room or ""))
        if intent in ("smart_home.turn_on", "smart_home.turn_off", "smart_home.dim"):
            device = str(data.get("device") or slots.get("device") or "lights")
            key = f"{room}/{device}"
            level = data.get("level", slots.get("level"))
            on = intent == "smart_home.turn_on" or (
                intent == "smart_home.dim" and isinstance(level, int | float) and level > 0)
            if on:
                self.on.setdefault(key, ts)
            else:
                self.on.pop(key, None)
        elif intent in ("smart_home.lock", "smart_home.unlock"):
            door = str(data.get("door") or slots.get("door") or "front door")
            if intent == "smart_home.unlock":
                self.unlocked[door] = ts
            else:
                self.unlocked.pop(door, None)
        elif intent == "smart_home.scene":
            scene = str(data.get("scene") or slots.get("scene") or "")
            if scene in ("good night", "away"):
                self.on = {k: v for k, v in self.on.items() if not k.endswith("/lights")}
                self.unlocked.pop("front door", None)

    def seen(self, room: str, people: int, ts: float) -> None:
        room = room_name(room)
        if people:
            self.empty.pop(room, None)
        else:
            self.empty.setdefault(room, ts)


@dataclass(frozen=True)
class Hunch:
    key: str  # one per rule and thing: what "stop suggesting that" mutes
    since: float  # when the situation began: a hunch is raised once per situation
    say: str
    skill: str
    intent: str
    slots: Slots
    reason: str
    room: str | None = None


def _night(local: datetime) -> bool:
    return local.hour >= NIGHT_START_H or local.hour < NIGHT_END_H


def hunches(home: Home, now: float, local: datetime) -> list[Hunch]:
    """Every hunch the home gives reason for right now, oldest situation first."""
    out: list[Hunch] = []
    if _night(local):
        for door, since in home.unlocked.items():
            if now - since >= UNLOCKED_FOR_S:
                out.append(Hunch(
                    f"hunch.door_unlocked.{door}", since,
                    f"The {door} is still unlocked. Shall I lock it?", "smart_home",
                    "smart_home.lock", {"door": door},
                    f"{door} unlocked for {speak_duration(60 * ((now - since) // 60))} "
                    "at night"))
    for key, since in home.on.items():
        room, _, device = key.partition("/")
        if device == "lights" and room in home.empty:
            empty_for = now - max(home.empty[room], since)
            if empty_for >= EMPTY_FOR_S:
                out.append(Hunch(
                    f"hunch.lights_empty_room.{room}", max(home.empty[room], since),
                    f"The lights are on in the {room} and nobody is there. "
                    "Shall I turn them off?", "smart_home", "smart_home.turn_off",
                    {"device": "lights", "room": room},
                    f"lights on, {room} empty for {speak_duration(60 * (empty_for // 60))}",
                    room))
        fired = home.timer_fired
        if device == "oven" and fired is not None and fired >= since and (
                now - fired >= OVEN_AFTER_TIMER_S):
            after = speak_duration(60 * ((now - fired) // 60))
            out.append(Hunch(
                f"hunch.oven_on.{room}", fired,
                f"The oven is still on, {after} after your timer went off. "
                "Shall I turn it off?", "smart_home", "smart_home.turn_off",
                {"device": "oven", "room": room}, f"oven on {after} after a timer", room))
    return sorted(out, key=lambda h: h.since)


def next_check(home: Home, now: float) -> float | None:
    """The next bus time at which a rule could start to hold (for the agent's scheduler);
    night for doors is checked by the agent's periodic look."""
    due = [since + UNLOCKED_FOR_S for since in home.unlocked.values()]
    due += [since + EMPTY_FOR_S for since in home.empty.values()]
    if home.timer_fired is not None and any(k.endswith("/oven") for k in home.on):
        due.append(home.timer_fired + OVEN_AFTER_TIMER_S)
    later = [d for d in due if d > now]
    return min(later) if later else None
