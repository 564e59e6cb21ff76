"""policies/addressee_turns.py and addressee_fit.py: turn ends, arbitration, gaze, fitting."""

from __future__ import annotations

import math
import random

import pytest

from policies.addressee_fit import _solve, fit_logistic, log_loss
from policies.addressee_turns import (
    GAZE_LEAD_S,
    GazeObs,
    Hearing,
    gaze_during,
    join_fragments,
    looks_incomplete,
    pick_device,
    same_utterance,
)


@pytest.mark.parametrize(
    ("text", "incomplete"),
    [
        ("Hey Hearth, set a timer for...", True),
        ("Hey Hearth, set a timer for", True),
        ("set a timer for, um", True),
        ("remind me to", True),
        ("add milk and", True),
        ("Hey Hearth", True),
        ("Hey Hearth...", True),
        ("ok hearth,", True),
        ("", True),
        ("Hey Hearth, set a timer for five minutes", False),
        ("set a timer.", False),
        ("is it for me?", False),  # a question mark ends a turn even after "me"
        ("five minutes", False),
        ("Hearthstone is fun", False),
    ],
)
def test_looks_incomplete(text: str, incomplete: bool) -> None:
    assert looks_incomplete(text) is incomplete


def test_fragments_join_into_one_sentence() -> None:
    assert join_fragments(["Hey Hearth, set a timer for...", "...five minutes."]) == (
        "Hey Hearth, set a timer for five minutes")
    assert join_fragments(["Hey Hearth...", "how much time is left?"]) == (
        "Hey Hearth how much time is left?")
    assert join_fragments(["set a timer for, um", "", "ten minutes"]) == (
        "set a timer for, um ten minutes")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Hey Hearth, set a timer for twelve minutes.", "hey hearth set a timer for 12 minutes",
         True),  # another ASR, a word differs
        ("Hey Hearth, set a timer.", "hey hearth, set a timer", True),
        ("Set a timer for ten minutes.", "Cancel the timer.", False),
        ("", "", False),
    ],
)
def test_same_utterance(a: str, b: str, same: bool) -> None:
    assert same_utterance(a, b) is same


def test_the_device_the_speaker_looks_at_answers() -> None:
    hearings = [Hearing("kitchen", 0.3, None, gazed=False),
                Hearing("hall", 0.2, None, gazed=True)]
    assert pick_device(hearings) == (1, "the speaker looks at this device")


def test_else_the_device_the_voice_is_aimed_at() -> None:
    hearings = [Hearing("kitchen", 0.7, 120.0), Hearing("hall", 0.4, 20.0),
                Hearing("study", 0.5, 35.0)]
    assert pick_device(hearings) == (1, "the voice is aimed at this device")


def test_else_the_loudest_and_ties_are_stable() -> None:
    hearings = [Hearing("kitchen", 0.4), Hearing("hall", 0.7)]
    assert pick_device(hearings) == (1, "heard loudest here")
    tie = [Hearing("b", 0.5), Hearing("a", 0.5)]
    assert pick_device(tie) == pick_device(list(tie))
    with pytest.raises(ValueError):
        pick_device([])


DEVICES = frozenset({"kitchen", "kitchen_screen"})


@pytest.mark.parametrize(
    ("history", "start", "end", "expected"),
    [
        ([], 10.0, 12.0, (None, None)),  # no camera saw the speaker
        ([GazeObs(5.0, True, device="kitchen")], 10.0, 12.0, ("device", "kitchen")),
        ([GazeObs(5.0, True, person="bob")], 10.0, 12.0, ("person", None)),
        ([GazeObs(5.0, True)], 10.0, 12.0, ("away", None)),
        ([GazeObs(5.0, False)], 10.0, 12.0, (None, None)),  # left the camera's view
        # looked at the device during the words
        ([GazeObs(5.0, True, person="bob"), GazeObs(11.0, True, device="kitchen_screen")],
         10.0, 12.0, ("device", "kitchen_screen")),
        # a glance just before speaking still counts
        ([GazeObs(5.0, True, device="kitchen"), GazeObs(10.0 - GAZE_LEAD_S / 2, True,
                                                        person="bob")],
         10.0, 12.0, ("device", "kitchen")),
        # turned to Bob well before speaking: the old gaze does not count
        ([GazeObs(5.0, True, device="kitchen"), GazeObs(8.0, True, person="bob")],
         10.0, 12.0, ("person", None)),
        # looking at a device in another room is not looking at this one
        ([GazeObs(5.0, True, device="bedroom")], 10.0, 12.0, ("away", None)),
        # what happens after the words does not count
        ([GazeObs(5.0, True, person="bob"), GazeObs(13.0, True, device="kitchen")],
         10.0, 12.0, ("person", None)),
    ],
)
def test_gaze_during(history: list[GazeObs], start: float, end: float,
                     expected: tuple[str | None, str | None]) -> None:
    assert gaze_during(history, start, end, DEVICES) == expected


# -- fitting ---------------------------------------------------------------------------------
def test_solve_a_small_system() -> None:
    assert _solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])
    with pytest.raises(ValueError, match="singular"):
        _solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0])


def test_logistic_regression_recovers_known_weights() -> None:
    rng = random.Random(3)
    true_bias, true_w = -1.0, [2.5, -1.5, 0.0]
    rows, labels = [], []
    for _ in range(3000):
        x = [float(rng.random() < 0.5), float(rng.random() < 0.5), rng.uniform(-1, 1)]
        z = true_bias + sum(w * v for w, v in zip(true_w, x, strict=True))
        rows.append(x)
        labels.append(int(rng.random() < 1 / (1 + math.exp(-z))))
    fit = fit_logistic(rows, labels, l2=0.01)
    assert fit.bias == pytest.approx(true_bias, abs=0.25)
    assert fit.weights == pytest.approx(true_w, abs=0.3)
    assert fit.log_loss == pytest.approx(log_loss(rows, labels, fit.bias, fit.weights))
    assert fit.iterations < 20


def test_regularisation_keeps_separable_data_finite() -> None:
    rows = [[1.0], [1.0], [0.0], [0.0]]
    fit = fit_logistic(rows, [1, 1, 0, 0], l2=1.0)
    assert 0 < fit.weights[0] < 10
    assert fit_logistic(rows, [1, 1, 0, 0], l2=0.1).weights[0] > fit.weights[0]


def test_fit_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        fit_logistic([], [])
    with pytest.raises(ValueError):
        fit_logistic([[1.0]], [2])
