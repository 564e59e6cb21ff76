"""The trigger policy: whether a suggestion is worth making, and whether now is the moment."""

from __future__ import annotations

from datetime import UTC, datetime, time

from policies.suggestion_trigger import (
    COOL_OFF_S,
    MIN_GAP_S,
    QUIET_GAP_S,
    SIDE_TALK_WINDOW_S,
    Moment,
    Prefs,
    follow_up_moment,
    in_quiet_hours,
    quiet_moment,
    worth_offering,
)

NOW = 1_800_000_000.0
EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


def test_worth_offering_checks_preferences_mutes_declines_and_confidence() -> None:
    prefs = Prefs()
    assert worth_offering(0.7, "k", [], [], prefs, NOW).go
    assert worth_offering(0.7, "k", [], [], Prefs(enabled=False), NOW).reason == (
        "anticipation is off for this household")
    assert worth_offering(0.9, "k", ["k"], [], prefs, NOW).reason == (
        "asked to stop suggesting this")
    assert worth_offering(0.4, "k", [], [], prefs, NOW).reason == "confidence 0.40 below 0.50"
    assert worth_offering(0.7, "k", [], [NOW - 60], prefs, NOW).reason == (
        "declined a moment ago")
    assert worth_offering(0.7, "k", [], [NOW - COOL_OFF_S - 1], prefs, NOW).go
    two = [NOW - 3 * 86400, NOW - 2 * 86400]
    assert worth_offering(0.9, "k", [], two, prefs, NOW).reason == "declined 2 times recently"
    old = [NOW - 30 * 86400, NOW - 20 * 86400]  # forgiven after a week
    assert worth_offering(0.9, "k", [], old, prefs, NOW).go


def test_a_latent_goal_is_dropped_while_people_talk_to_each_other() -> None:
    talking = Moment(NOW, EVENING, last_side_talk=NOW - 5)
    assert follow_up_moment(talking).reason == "a conversation between people is going on"
    later = Moment(NOW, EVENING, last_side_talk=NOW - SIDE_TALK_WINDOW_S - 1)
    assert follow_up_moment(later).go
    assert follow_up_moment(talking, Prefs(respect_side_talk=False)).go  # the ablation


def test_quiet_hours_wrap_around_midnight() -> None:
    prefs = Prefs(quiet_start=time(22, 30), quiet_end=time(6, 30))
    at = [(23, 0, True), (2, 0, True), (6, 29, True), (6, 30, False), (12, 0, False),
          (22, 29, False)]
    for hour, minute, quiet in at:
        assert in_quiet_hours(datetime(2026, 11, 23, hour, minute, tzinfo=UTC), prefs) is quiet
    daytime = Prefs(quiet_start=time(13, 0), quiet_end=time(15, 0))  # a nap
    assert in_quiet_hours(datetime(2026, 11, 23, 14, 0, tzinfo=UTC), daytime)
    assert not in_quiet_hours(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), daytime)


def test_proactive_speech_waits_for_a_quiet_moment() -> None:
    prefs = Prefs()
    assert quiet_moment(Moment(NOW, EVENING), prefs).go
    night = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert quiet_moment(Moment(NOW, night), prefs).reason == "quiet hours"
    assert quiet_moment(Moment(NOW, EVENING, last_side_talk=NOW - 10), prefs).reason == (
        "a conversation between people is going on")
    asking = Moment(NOW, EVENING, open_question_until=NOW + 3)
    assert quiet_moment(asking, prefs).reason == "someone is mid-conversation with the assistant"
    spoke = Moment(NOW, EVENING, last_turn=NOW - QUIET_GAP_S / 2)
    assert quiet_moment(spoke, prefs).reason == "someone spoke just now"
    assert quiet_moment(Moment(NOW, EVENING, last_turn=NOW - QUIET_GAP_S - 1), prefs).go


def test_rate_limits_space_out_proactive_suggestions() -> None:
    prefs = Prefs(max_per_hour=2)
    just = Moment(NOW, EVENING, recent_offers=[NOW - MIN_GAP_S / 2])
    assert quiet_moment(just, prefs).reason == "suggested something a moment ago"
    full = Moment(NOW, EVENING, recent_offers=[NOW - 1800, NOW - 900])
    assert quiet_moment(full, prefs).reason == "already 2 suggestions this hour"
    old = Moment(NOW, EVENING, recent_offers=[NOW - 7200, NOW - 5000])
    assert quiet_moment(old, prefs).go


def test_preferences_come_from_the_config() -> None:
    prefs = Prefs.from_config({"enabled": False, "min_confidence": 0.8,
                               "quiet_start": "21:00", "quiet_end": "07:15",
                               "max_per_hour": 1})
    assert prefs == Prefs(False, 0.8, time(21, 0), time(7, 15), 1, True)
    assert Prefs.from_config({}) == Prefs()
