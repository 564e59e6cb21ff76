"""Teaching: the span Hearth cannot ground, and the definition taken from the answer."""

from __future__ import annotations

import pytest

from policies.concepts import Concept, Definition, command, extract, grounded, known, span


@pytest.mark.parametrize(("said", "name"), [
    ("set the living-room light to study mode", "study mode"),
    ("study mode in the kitchen", "study mode"),
    ("put the kitchen in reading mode please", "reading mode"),
    ("forget study mode", "study mode"),
    ("turn on the lights", None),
])
def test_the_span_to_ground(said: str, name: str | None) -> None:
    assert span(said) == name


def test_a_scene_a_skill_knows_is_grounded() -> None:
    assert grounded("movie mode", ["movie night", "movie mode", "cinema"])
    assert not grounded("study mode", ["movie night", "movie mode"])


@pytest.mark.parametrize(("answer", "color", "level", "on"), [
    ("bright white at 80 percent", "white", 80.0, True),
    ("warm white, dim", "warm white", 30.0, True),
    ("eighty percent blue", "blue", 80.0, True),
    ("just 40%", None, 40.0, True),
    ("lights off", None, None, False),
])
def test_a_definition_from_the_answer(answer: str, color: str | None, level: float | None,
                                      on: bool) -> None:
    d = extract(answer)
    assert d is not None
    assert (d.color, d.level, d.on) == (color, level, on)


def test_an_answer_without_a_definition() -> None:
    assert extract("I don't know, something nice") is None
    assert extract("150 percent") is None


def test_known_concepts_and_commands() -> None:
    taught = {"study mode": Concept(name="study mode", taught=0.0,
                                    definition=Definition(color="white", level=80))}
    assert known("Study-mode in the kitchen", taught) == "study mode"
    assert known("put on study lighting", taught) == "study mode"
    assert known("movie night", taught) is None
    assert command("what modes do you know", None) == ("list", None)
    assert command("forget study mode", "study mode") == ("forget", None)
    assert command("change study mode to blue at 30 percent", "study mode") == (
        "change", "blue at 30 percent")
    assert command("study mode in the kitchen", "study mode") is None
    assert taught["study mode"].definition.describe() == "white light at 80 percent"
