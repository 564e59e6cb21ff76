"""bus/subjects.py: the one place subjects are built and read."""

from __future__ import annotations

import pytest
from conftest import envelope

from bus import subjects
from bus.memory import subject_matches
from bus.messages import (
    ALL_TYPES,
    DeviceSay,
    DeviceTranscript,
    Message,
    SkillCall,
    SkillResult,
    Utterance,
)


@pytest.mark.parametrize(
    ("household", "type_name", "key", "expected"),
    [
        ("h1", "perception.utterance", None, "hh.h1.perception.utterance"),
        ("h1", "device.transcript", "kitchen", "hh.h1.device.kitchen.transcript"),
        ("h1", "skill.call", "timer", "hh.h1.skill.timer.call"),
        ("*", "perception.utterance", None, "hh.*.perception.utterance"),
        ("*", "device.say", "*", "hh.*.device.*.say"),
        ("house_2-B", "system.clock", None, "hh.house_2-B.system.clock"),
    ],
)
def test_build(household: str, type_name: str, key: str | None, expected: str) -> None:
    assert subjects.build(household, type_name, key) == expected


def test_subject_for_uses_the_subject_key_after_the_domain() -> None:
    heard = DeviceTranscript(**envelope(), device="kitchen", text="hi")
    call = SkillCall(**envelope(), skill="timer", intent="timer.set", device="kitchen")
    plain = Utterance(**envelope(), device="kitchen", text="hi", start_ts=0.0, end_ts=1.0)
    assert subjects.subject_for(heard) == "hh.h1.device.kitchen.transcript"
    assert subjects.subject_for(call) == "hh.h1.skill.timer.call"
    # Utterance has a device field but no subject key: the device is not in its subject.
    assert subjects.subject_for(plain) == "hh.h1.perception.utterance"


@pytest.mark.parametrize(
    ("cls", "kwargs", "expected"),
    [
        (DeviceTranscript, {}, "hh.*.device.*.transcript"),
        (DeviceTranscript, {"household": "h1"}, "hh.h1.device.*.transcript"),
        (DeviceSay, {"household": "h1", "key": "kitchen"}, "hh.h1.device.kitchen.say"),
        (SkillCall, {"key": "timer"}, "hh.*.skill.timer.call"),
        (SkillResult, {}, "hh.*.skill.*.result"),
        (Utterance, {}, "hh.*.perception.utterance"),
        # A key given for a type without a subject key is ignored, not appended.
        (Utterance, {"household": "h1", "key": "kitchen"}, "hh.h1.perception.utterance"),
    ],
)
def test_pattern(cls: type[Message], kwargs: dict[str, str], expected: str) -> None:
    assert subjects.pattern(cls, **kwargs) == expected


def test_every_message_type_travels_where_its_pattern_listens(
    samples: dict[str, Message],
) -> None:
    assert set(samples) == set(ALL_TYPES)
    for type_name, msg in samples.items():
        subject = subjects.subject_for(msg)
        assert subject.startswith(f"hh.{msg.household}.{type_name.split('.')[0]}.")
        assert subject.endswith("." + type_name.split(".")[1])
        assert subject_matches(subjects.pattern(type(msg)), subject), subject
        assert subject_matches(subjects.pattern(type(msg), household="h1"), subject), subject
        assert not subject_matches(subjects.pattern(type(msg), household="h2"), subject)
        assert subject_matches(subjects.ALL, subject)


@pytest.mark.parametrize(
    "household", ["a.b", "a b", "", "x" * 65, "a*", "a>", "hé", "h1\nx", ">", "h\r1"]
)
def test_build_rejects_a_bad_household_token(household: str) -> None:
    with pytest.raises(ValueError, match="household"):
        subjects.build(household, "perception.utterance")


@pytest.mark.parametrize("key", ["kit.chen", "kit chen", "", "k>", "y" * 65, "a*b"])
def test_build_rejects_a_bad_subject_key(key: str) -> None:
    with pytest.raises(ValueError, match="subject key"):
        subjects.build("h1", "device.transcript", key)


@pytest.mark.parametrize("token", ["h1\n", "kitchen\n"])
def test_build_rejects_a_token_with_a_trailing_newline(token: str) -> None:
    with pytest.raises(ValueError):
        subjects.build(token, "device.say")
    with pytest.raises(ValueError):
        subjects.build("h1", "device.say", token)


def test_the_longest_allowed_token_is_64_characters() -> None:
    token = "x" * 64
    assert subjects.build(token, "device.say", token) == f"hh.{token}.device.{token}.say"


@pytest.mark.parametrize("type_name", ["transcript", "a.b.c", ".say", "device.", ""])
def test_build_rejects_a_type_that_is_not_domain_dot_event(type_name: str) -> None:
    with pytest.raises(ValueError, match=r"<domain>\.<event>"):
        subjects.build("h1", type_name)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("hh.h1.perception.utterance", "h1"),
        ("hh.kitchen-house.device.k.say", "kitchen-house"),
        ("hh.h1", "h1"),
        ("hh", None),
        ("xx.h1.perception.utterance", None),
        ("_INBOX.mem.3", None),
        ("", None),
    ],
)
def test_household_of(subject: str, expected: str | None) -> None:
    assert subjects.household_of(subject) == expected


def test_household_all() -> None:
    assert subjects.household_all("h1") == "hh.h1.>"
    assert subjects.ALL == "hh.>"
    with pytest.raises(ValueError):
        subjects.household_all("*")
