"""policies/wake_words.py: recognising and removing a wake word."""

from __future__ import annotations

import pytest

from policies.wake_words import WAKE_WORDS, strip_wake_word


@pytest.mark.parametrize(
    ("text", "woke", "rest"),
    [
        ("hey hearth, set a timer", True, "set a timer"),
        ("Hey Hearth, set a timer", True, "set a timer"),
        ("HEY HEARTH set a timer", True, "set a timer"),
        ("ok hearth. cancel the timer", True, "cancel the timer"),
        ("okay hearth! what timers", True, "what timers"),
        ("hearth, list timers", True, "list timers"),
        ("hearth?", True, ""),
        ("hearth", True, ""),
        ("   hey hearth   list timers  ", True, "list timers"),
        ("Hearth: Set A Timer", True, ": Set A Timer"),
        # not at the start, or only a prefix of a longer word
        ("set a timer, hey hearth", False, "set a timer, hey hearth"),
        ("Hearthstone is a good game", False, "Hearthstone is a good game"),
        ("hey hearthy", False, "hey hearthy"),
        ("hey, hearth, set a timer", False, "hey, hearth, set a timer"),
        ("  tell Bob the timer is done ", False, "tell Bob the timer is done"),
        ("", False, ""),
    ],
)
def test_strip_wake_word(text: str, woke: bool, rest: str) -> None:
    assert strip_wake_word(text) == (woke, rest)


def test_the_longest_wake_word_is_removed_whole() -> None:
    assert WAKE_WORDS[0] == "hey hearth"
    # "hey hearth" must not leave "hey" behind, nor "hearth" leave "hey" in front
    assert strip_wake_word("hey hearth hearth") == (True, "hearth")


def test_custom_wake_words() -> None:
    assert strip_wake_word("computer, lights", ("computer",)) == (True, "lights")
    assert strip_wake_word("hey hearth, lights", ("computer",)) == (False, "hey hearth, lights")
    assert strip_wake_word("c++ now", ("c++",)) == (False, "c++ now")  # no \b after '+'
    assert strip_wake_word("a.b go", ("a.b",)) == (True, "go")
    assert strip_wake_word("axb go", ("a.b",)) == (False, "axb go")  # escaped, not a regex

