"""Routine discovery: the same requests at about the same time on several days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agents.skills.catalog import discover as discover_skills
from agents.skills.catalog import skill_dirs
from policies.routines import MIN_DAYS, Action, action, describe, discover, prune

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday


def at(day: int, hour: int, minute: int) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def morning(day: int, minute: int) -> list[Action]:
    t = at(day, 7, minute)
    return [action("smart_home", "smart_home.turn_on", {"device": "lights", "room": "kitchen"},
                   t.timestamp(), t, "kitchen"),
            action("weather", "weather.forecast", {}, t.timestamp() + 40,
                   t + timedelta(seconds=40), "kitchen")]


def test_a_week_of_mornings_is_a_weekday_routine() -> None:
    log = [a for day, minute in [(0, 0), (1, 4), (2, -2), (3, 1)] for a in morning(day, minute)]
    assert discover(log[:-2]) == []  # three mornings are not enough
    [routine] = discover(log)
    assert routine.clock == "7:00" and routine.weekdays_only
    assert [s.intent for s in routine.steps] == ["smart_home.turn_on", "weather.forecast"]
    assert len(routine.days) == MIN_DAYS and routine.device == "kitchen"
    specs = {n: s.spec for n, s in discover_skills(skill_dirs({})).items()}
    assert describe(routine, specs) == ("Every weekday at 7:00 you turn on the lights in the "
                                        "kitchen and ask what's the weather like.")


def test_weekend_days_make_it_an_every_day_routine() -> None:
    log = [a for day in (3, 4, 5, 6) for a in morning(day, 0)]  # Thu..Sun
    [routine] = discover(log)
    assert not routine.weekdays_only and routine.when == "every day at 7:00"


def test_scattered_times_or_a_single_request_are_no_routine() -> None:
    scattered = [a for day, minute in [(0, 0), (1, 90), (2, -60), (3, 150)]
                 for a in morning(day, minute)]
    assert discover(scattered) == []
    single = [morning(day, 0)[0] for day in range(5)]
    assert discover(single) == []  # one request: a habit, not yet a routine


def test_the_log_keeps_three_weeks() -> None:
    old = morning(0, 0)
    now = at(30, 7, 0).timestamp()
    assert prune(old, now) == []
    assert prune(old, old[0].ts + 86400) == old


@pytest.mark.parametrize("minute", [0, 17])
def test_the_routine_starts_on_a_five_minute_mark(minute: int) -> None:
    log = [a for day in range(4) for a in morning(day, minute)]
    [routine] = discover(log)
    assert routine.minute % 5 == 0 and routine.minute <= 7 * 60 + minute
