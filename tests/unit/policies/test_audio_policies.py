"""policies/barge_in, endpointing and asr_text: the pure decisions behind hearing."""

from __future__ import annotations

import pytest

from policies import asr_text, barge_in, endpointing
from policies.barge_in import BargeIn


@pytest.mark.parametrize("text", ["mhm", "Okay.", "yeah", "Uh-huh.", "right", "ok ok", "I see"])
def test_backchannels_do_not_stop_the_assistant(text: str) -> None:
    assert barge_in.is_backchannel(text)
    assert barge_in.decide(0.4, text, final=True).action is BargeIn.IGNORE


@pytest.mark.parametrize("text", ["Hearth, stop.", "wait", "No, cancel all the timers."])
def test_interruptions_stop_at_once_even_when_short(text: str) -> None:
    assert barge_in.decide(0.2, text).action is BargeIn.STOP


def test_talking_over_the_assistant_long_enough_stops_it_without_words() -> None:
    cfg = barge_in.BargeInConfig(min_speech_s=0.75)
    assert barge_in.decide(0.5, None, cfg=cfg).action is BargeIn.WAIT
    verdict = barge_in.decide(0.76, None, cfg=cfg)
    assert verdict.action is BargeIn.STOP and "0.76" in verdict.reason


def test_a_short_sentence_that_is_no_backchannel_stops_when_it_ends() -> None:
    assert barge_in.decide(0.5, "what about the rice", final=True).action is BargeIn.STOP
    assert barge_in.decide(0.5, "", final=True).action is BargeIn.IGNORE


@pytest.mark.parametrize(("text", "unfinished"), [
    (None, True), ("", True), ("Hey Hearth.", True), ("Hearth,", True),
    ("set a timer for", True), ("Hey Hearth, set a timer for five minutes.", False),
    ("Cancel the timer.", False),
])
def test_endpointing_waits_longer_for_unfinished_words(text: str | None,
                                                      unfinished: bool) -> None:
    cfg = endpointing.EndpointConfig(silence_s=0.3, hold_silence_s=0.8)
    assert endpointing.sounds_unfinished(text) is unfinished
    assert endpointing.silence_needed(text, cfg) == (0.8 if unfinished else 0.3)


def test_hysteresis_needs_a_run_to_start_and_a_low_score_to_stop() -> None:
    h = endpointing.Hysteresis(endpointing.EndpointConfig(start_frames=2))
    assert [h.step(p) for p in (0.9, 0.1, 0.9, 0.9, 0.4, 0.36, 0.2, 0.9)] == [
        False, False, False, True, True, True, False, False]


@pytest.mark.parametrize(("raw", "clean"), [
    ("Do you want some coffee? Do you want some", "Do you want some coffee?"),
    ("okay okay okay okay", "okay"),
    ("2 minutes 2 minutes 2 minutes", "2 minutes"),
    ("Set a timer for five minutes.", "Set a timer for five minutes."),
])
def test_repetition_loops_are_collapsed(raw: str, clean: str) -> None:
    assert asr_text.collapse_repeats(raw) == clean


@pytest.mark.parametrize(("raw", "fixed"), [
    ("Hey Hart, set a timer.", "Hey Hearth, set a timer."),
    ("A hearth said a timer.", "Hey Hearth said a timer."),
    ("Pay Hearth.", "Hey Hearth."),  # seen: the greeting's h clipped by the microphone start
    ("Pay the bill", "Pay the bill"),
    ("Hey, Harv, cancel it", "Hey Hearth, cancel it"),
    ("Hey, Hearth, set a timer.", "Hey Hearth, set a timer."),
    ("Heart rate is up", "Heart rate is up"),
    ("Harth, stop.", "Hearth, stop."),
    ("The heart of it", "The heart of it"),
    ("Hard to say", "Hard to say"),
    ("Hey, hard, set a timer for ten minutes.", "Hey Hearth, set a timer for ten minutes."),
])
def test_the_assistant_name_is_restored_only_where_a_command_opens(raw: str,
                                                                   fixed: str) -> None:
    assert asr_text.restore_name(raw) == fixed


@pytest.mark.parametrize(("raw", "fixed"), [
    ("Hey Hearth said a timer for ten minutes.", "Hey Hearth, set a timer for ten minutes."),
    ("Hearth said the alarm", "Hearth, set the alarm"),
    ("She said a timer would help", "She said a timer would help"),
    ("Hey Hearth, what did Bob say?", "Hey Hearth, what did Bob say?"),
])
def test_a_misheard_command_verb_after_the_name_is_repaired(raw: str, fixed: str) -> None:
    assert asr_text.clean(raw) == fixed


def test_confidence_is_a_probability() -> None:
    assert asr_text.confidence(0.0) == 1.0
    assert 0.5 < asr_text.confidence(-0.3) < 0.8
    assert asr_text.confidence(-0.3, no_speech_prob=0.9) < 0.1
    assert asr_text.confidence(float("nan")) == 0.0
    assert asr_text.no_speech(0.7) and not asr_text.no_speech(0.1)
