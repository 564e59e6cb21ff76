"""policies/slots.py: typed slot finders, template placement, free text, coverage."""

from __future__ import annotations

from datetime import date

import pytest

from policies.skill_spec import Arg, EntityType
from policies.slots import (
    coverage,
    extract,
    find_dates,
    find_durations,
    find_listed,
    find_numbers,
    find_times,
)

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(("text", "clock"), [
    ("wake me at 7 am", "07:00"), ("at 7:30pm", "19:30"), ("half past six", "06:30"),
    ("quarter to eight", "07:45"), ("noon", "12:00"), ("at 18:05", "18:05"),
    ("seven thirty pm", "19:30"), ("at 6 in the evening", "18:00"), ("midnight", "00:00"),
])
def test_clock_times(text: str, clock: str) -> None:
    [found] = find_times(text)
    assert found.value == clock


def test_dates_are_relative_to_today() -> None:
    assert [f.value for f in find_dates("tomorrow", MONDAY)] == ["2026-11-24"]
    assert [f.value for f in find_dates("on friday", MONDAY)] == ["2026-11-27"]
    assert [f.value for f in find_dates("next monday", MONDAY)] == ["2026-11-30"]
    assert [f.value for f in find_dates("the day after tomorrow", MONDAY)] == ["2026-11-25"]
    assert [f.value for f in find_dates("in 3 days", MONDAY)] == ["2026-11-26"]
    assert find_dates("tomorrow", None) == []  # no today, no date


def test_durations_span_their_words() -> None:
    [found] = find_durations("set it for an hour and ten minutes please")
    assert found.value == 4200
    text = "set it for an hour and ten minutes please"
    assert text[found.start:found.end] == "an hour and ten minutes"


def test_numbers_skip_articles() -> None:
    assert [f.value for f in find_numbers("a timer for twenty five")] == [25]
    assert [f.value for f in find_numbers("set it to 21.5")] == [21.5]


def test_listed_values_prefer_the_longest_phrase() -> None:
    values = {"front door": ["front"], "door": []}
    assert [f.value for f in find_listed("unlock the front door", values)] == ["front door"]


ARGS = {
    "source": Arg(type="unit"), "target": Arg(type="unit"), "amount": Arg(type="number"),
}
UNITS = {"unit": EntityType(values={"gram": ["grams"], "pound": ["pounds"]})}


def test_a_template_tells_two_args_of_one_type_apart() -> None:
    templates = ["how many {target} in a {source}", "convert {amount} {source} to {target}"]
    found = extract("how many grams in a pound", ARGS, UNITS, templates)
    assert (found["target"].value, found["source"].value) == ("gram", "pound")
    found = extract("convert 3 pounds to grams", ARGS, UNITS, templates)
    assert (found["amount"].value, found["source"].value, found["target"].value) == (
        3, "pound", "gram")


def test_free_text_from_a_template_and_as_a_required_remainder() -> None:
    args = {"what": Arg(type="text", required=True, prompt="What?"),
            "time": Arg(type="time")}
    templates = ["remind me to {what} at {time}", "set a reminder to {what}"]
    found = extract("remind me to call mom at 5 pm", args, {}, templates)
    assert (found["what"].value, found["time"].value) == ("call mom", "17:00")
    found = extract("i'd love a reminder to water the plants at 9 am", args, {}, templates)
    assert found["what"].value == "water the plants"


def test_optional_free_text_is_never_guessed() -> None:
    args = {"name": Arg(type="text"), "duration_s": Arg(type="duration")}
    found = extract("start a countdown of five minutes", args, {},
                    ["set a {name} timer for {duration_s}"])
    assert set(found) == {"duration_s"}


def test_coverage_tells_an_answer_from_a_request() -> None:
    text = "ten minutes"
    assert coverage(text, find_durations(text)) == 1.0
    text = "cancel the ten minute timer"
    assert coverage(text, find_durations(text)) == 0.5
