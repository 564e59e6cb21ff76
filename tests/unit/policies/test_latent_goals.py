"""Latent goals: declared follow-ups with carried-over values, links learned by NPMI,
confidence moved by feedback."""

from __future__ import annotations

import math

import pytest

from agents.skills.catalog import discover, skill_dirs
from policies.latent_goals import (
    MIN_PAIR_SUPPORT,
    CoOccurrence,
    Done,
    Feedback,
    LatentGoalModel,
    render_text,
    render_value,
)
from policies.skill_spec import SkillSpec

H = 3600.0


@pytest.fixture(scope="module")
def specs() -> dict[str, SkillSpec]:
    return {name: s.spec for name, s in discover(skill_dirs({})).items()}


def test_templates_keep_types_and_speak_durations() -> None:
    values = {"seconds": 180.0, "food": "oolong", "degrees": 19.0}
    assert render_value("{seconds}", values) == 180.0
    assert render_value("{degrees|plus:2}", values) == 21.0
    assert render_value("{missing}", values) is None
    assert render_text("a timer for {seconds|duration} for the {food}?", values) == (
        "a timer for 3 minutes for the oolong?")
    assert render_text("{missing} here", values) is None


def test_tea_steeping_time_becomes_a_timer_of_the_same_length(specs: dict[str, SkillSpec]
                                                             ) -> None:
    model = LatentGoalModel(specs)
    done = Done("facts", "facts.cooking_time", {"food": "oolong"},
                {"seconds": 180.0, "food": "oolong"})
    proposal = model.propose(done, CoOccurrence(), Feedback())
    assert proposal is not None
    assert (proposal.intent, proposal.slots) == ("timer.set", {"duration_s": 180.0,
                                                               "name": "oolong"})
    assert proposal.say == "Would you like me to set a timer for 3 minutes?"
    assert proposal.source == "declared" and proposal.confidence == pytest.approx(0.7)


def test_feeling_cold_becomes_the_thermostat_two_degrees_up(specs: dict[str, SkillSpec]
                                                            ) -> None:
    done = Done("smart_home", "smart_home.comfort", {"feeling": "cold"},
                {"degrees": 19.0, "target": 21.0, "feeling": "cold"})
    proposal = LatentGoalModel(specs).propose(done, CoOccurrence(), Feedback())
    assert proposal is not None
    assert (proposal.intent, proposal.slots) == ("smart_home.set_temperature",
                                                 {"degrees": 21.0})
    assert proposal.say == "Shall I set the heating to 21 degrees?"


def test_a_request_without_a_follow_up_proposes_nothing(specs: dict[str, SkillSpec]) -> None:
    done = Done("timer", "timer.set", {"duration_s": 60.0}, {"timer_id": "x"})
    assert LatentGoalModel(specs).propose(done, CoOccurrence(), Feedback()) is None


def test_a_missing_value_drops_the_offer_rather_than_guessing(specs: dict[str, SkillSpec]
                                                               ) -> None:
    done = Done("facts", "facts.cooking_time", {"food": "tea"}, {})  # no seconds answered
    assert LatentGoalModel(specs).propose(done, CoOccurrence(), Feedback()) is None


def _sessions(stats: CoOccurrence, *sessions: list[str]) -> None:
    t = 0.0
    for session in sessions:
        for intent in session:
            stats.observe(intent, t)
            t += 60.0
        t += 2 * H  # a long pause: the next session


def test_co_occurrence_counts_sessions_and_ordered_pairs() -> None:
    stats = CoOccurrence()
    _sessions(stats, ["a", "b", "b"], ["a"], ["c", "b"], ["c"])
    assert stats.sessions == 4
    assert stats.intents == {"a": 2, "b": 2, "c": 2}
    assert stats.pairs == {"a>b": 1, "c>b": 1}  # once per session, in order
    # p(a,b) = 1/4, p(a) = p(b) = 1/2: log(1) = 0, independent
    assert stats.npmi("a", "b") == pytest.approx(0.0)
    assert stats.npmi("b", "a") == -1.0  # never in that order


def test_npmi_prefers_a_pair_that_belongs_together_over_a_frequent_one() -> None:
    stats = CoOccurrence()
    # weather is asked in every session; the tv always and only follows the lights
    _sessions(stats, *[["lights", "tv", "weather"]] * 3, *[["weather"]] * 5)
    together = stats.npmi("lights", "tv")
    assert together == pytest.approx(1.0)
    frequent = stats.npmi("lights", "weather")
    expected = math.log((3 / 8) / ((3 / 8) * 1.0)) / -math.log(3 / 8)
    assert frequent == pytest.approx(expected) == pytest.approx(0.0)


def test_a_pair_seen_far_apart_in_one_session_does_not_count() -> None:
    stats = CoOccurrence()
    t = 0.0
    for intent in ["a", "x", "x", "x", "b"]:  # b 40 minutes after a, with activity between
        stats.observe(intent, t)
        t += 10 * 60.0
    assert stats.sessions == 1
    assert "a>b" not in stats.pairs and "x>b" in stats.pairs


def test_a_learned_link_needs_support_and_information(specs: dict[str, SkillSpec]) -> None:
    model = LatentGoalModel(specs)
    stats = CoOccurrence()
    turn_on = "smart_home.turn_on"
    sessions = [[turn_on, "weather.forecast"]] * (MIN_PAIR_SUPPORT - 1) + [["shopping.list"]] * 4
    _sessions(stats, *sessions)
    done = Done("smart_home", turn_on, {"device": "lights", "room": "kitchen"}, {})
    assert model.propose(done, stats, Feedback()) is None  # seen twice: not yet
    _sessions(stats, [turn_on, "weather.forecast"])
    proposal = model.propose(done, stats, Feedback())
    assert proposal is not None and proposal.source == "learned"
    assert proposal.intent == "weather.forecast"
    assert proposal.say == "Shall I also tell you what's the weather like?"
    assert proposal.details["support"] == MIN_PAIR_SUPPORT
    assert "npmi" in proposal.reason


def test_feedback_moves_confidence_like_a_beta_posterior() -> None:
    feedback = Feedback()
    assert feedback.confidence("k", 0.6) == pytest.approx(0.6)
    feedback.record("k", "declined", 10.0)
    assert feedback.confidence("k", 0.6) == pytest.approx(2.4 / 5)
    feedback.record("k", "accepted", 20.0)
    feedback.record("k", "accepted", 30.0)
    assert feedback.confidence("k", 0.6) == pytest.approx(4.4 / 7)
    feedback.record("k", "stop", 40.0)
    assert feedback.muted == ["k"]


def test_the_beach_forecast_offers_beach_day_details_for_that_day(specs: dict[str, SkillSpec]
                                                                  ) -> None:
    model = LatentGoalModel(specs)
    beach = Done("weather", "weather.forecast", {"city": "beach", "date": "2026-11-28"},
                 {"condition": "sunny"})
    proposal = model.propose(beach, CoOccurrence(), Feedback())
    assert proposal is not None
    assert (proposal.intent, proposal.slots) == ("weather.beach_day",
                                                 {"city": "beach", "date": "2026-11-28"})
    today = Done("weather", "weather.forecast", {"city": "beach"}, {})
    proposal = model.propose(today, CoOccurrence(), Feedback())
    assert proposal is not None and proposal.slots == {"city": "beach"}  # {date?}: optional
    paris = Done("weather", "weather.forecast", {"city": "paris"}, {})
    assert model.propose(paris, CoOccurrence(), Feedback()) is None  # `when: {city: beach}`


def _observed(items: list[tuple[str, float]]) -> CoOccurrence:
    stats = CoOccurrence()
    for intent, ts in items:
        stats.observe(intent, ts)
    return stats


@pytest.mark.parametrize("cut", [2 * H, 10 * H + 120, 10 * H + 1])
def test_forgetting_a_day_leaves_the_counts_of_never_having_seen_it(cut: float) -> None:
    before = [("lights.on", 0.0), ("weather.get", 60.0), ("lights.on", H),
              ("weather.get", H + 60)]
    day = [("lights.on", 10 * H), ("weather.get", 10 * H + 60), ("timer.set", 10 * H + 300),
           ("lights.on", 20 * H)]
    items = [*before, *[i for i in day if i[1] < cut]]
    later = [i for i in day if i[1] >= cut]
    stats = _observed([*items, *later])
    assert stats.forget_since(cut) == len(later)
    # also a session cut in two (cut inside the 10 h session): its first part still counts
    assert stats.model_dump() == _observed(items).model_dump()


def test_forgetting_refusals_keeps_stop_suggesting_that() -> None:
    feedback = Feedback()
    feedback.record("tea>timer", "declined", 100.0)
    feedback.record("tea>timer", "declined", 5000.0)
    feedback.record("cold>thermostat", "declined", 6000.0)
    feedback.record("beach>details", "stop", 7000.0)
    feedback.forget_since(1000.0)
    assert feedback.declined == {"tea>timer": [100.0]}
    assert feedback.muted == ["beach>details"]
