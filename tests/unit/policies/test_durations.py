"""policies/durations.py: spoken numbers and durations, both ways."""

from __future__ import annotations

import pytest

from policies.durations import parse_duration, parse_number, speak_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5.0),
        ("2.5", 2.5),
        ("  7 ", 7.0),
        ("five", 5.0),
        ("Five", 5.0),
        ("zero", 0.0),
        ("nineteen", 19.0),
        ("twenty", 20.0),
        ("twenty five", 25.0),
        ("twenty-five", 25.0),
        ("ninety nine", 99.0),
        ("a", 1.0),
        ("an", 1.0),
        ("a couple of", 2.0),
        ("couple of", 2.0),
        ("a few", 3.0),
        ("hundred", None),
        ("one hundred", None),
        ("five apples", None),
        ("", None),
        ("many", None),
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five minutes", 300.0),
        ("Set a timer for FIVE MINUTES", 300.0),
        ("1 minute", 60.0),
        ("a minute", 60.0),
        ("an hour", 3600.0),
        ("90 seconds", 90.0),
        ("1.5 hours", 5400.0),
        ("2 hrs", 7200.0),
        ("5 mins", 300.0),
        ("10 secs", 10.0),
        ("3 min", 180.0),
        ("twenty five minutes", 1500.0),
        ("twenty-five minutes", 1500.0),
        ("seventeen minutes", 1020.0),
        ("sixty seconds", 60.0),
        ("a couple of minutes", 120.0),
        ("a few seconds", 3.0),
        ("an hour and a half", 5400.0),
        ("two minutes and a half", 150.0),
        ("1 hour 30 minutes", 5400.0),
        ("2 minutes 30 seconds", 150.0),
        ("one minute and thirty seconds", 90.0),
        ("timer for 0 seconds", 0.0),
        ("set a timer", None),
        ("five", None),
        ("minutes", None),
        ("the fiveminutes", None),
        ("", None),
    ],
)
def test_parse_duration(text: str, expected: float | None) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["half an hour", "set a timer for half an hour"])
def test_half_an_hour_is_thirty_minutes(text: str) -> None:
    assert parse_duration(text) == 1800.0


def test_half_a_minute_is_thirty_seconds() -> None:
    assert parse_duration("half a minute") == 30.0


def test_a_second_timer_is_not_one_second() -> None:
    assert parse_duration("set a second timer for ten minutes") == 600.0


@pytest.mark.parametrize(
    ("seconds", "adjective", "expected"),
    [
        (300, False, "5 minutes"),
        (300, True, "5 minute"),
        (60, False, "1 minute"),
        (1, False, "1 second"),
        (2, False, "2 seconds"),
        (90, False, "1 minute 30 seconds"),
        (90, True, "1 minute 30 second"),
        (3600, False, "1 hour"),
        (7200, False, "2 hours"),
        (7200, True, "2 hour"),
        (3661, False, "1 hour 1 minute 1 second"),
        (5400, False, "1 hour 30 minutes"),
        (86400, False, "24 hours"),
        (0, False, "0 seconds"),
        (0.4, False, "0 seconds"),
        (59.6, False, "1 minute"),
        (299.7, True, "5 minute"),
    ],
)
def test_speak_duration(seconds: float, adjective: bool, expected: str) -> None:
    assert speak_duration(seconds, adjective=adjective) == expected


@pytest.mark.parametrize("seconds", [1, 59, 60, 61, 300, 3599, 3600, 5400, 86399])
def test_spoken_durations_parse_back(seconds: int) -> None:
    assert parse_duration(speak_duration(seconds)) == seconds
