"""Whether to suggest anything at all, and whether now is the moment to say it.

Anticipation is only welcome when it is right and timely, so most candidates are held back:
too unsure, muted ("stop suggesting that"), declined recently, anticipation switched off by
the household, too many suggestions lately, people talking to each other, someone in the
middle of a dialogue with the assistant, or quiet hours (people asleep). Pure: the agents
pass what they know from the bus (turn decisions, dialogue state, the clock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

MIN_CONFIDENCE = 0.5
DECLINE_MEMORY_S = 7 * 86400.0  # declines older than this are forgiven
DECLINES_TO_HOLD = 2  # this many recent declines hold a suggestion back
COOL_OFF_S = 30 * 60.0  # after a decline the same suggestion waits at least this long
SIDE_TALK_WINDOW_S = 30.0  # a remark between people this recent: a conversation is going on
QUIET_GAP_S = 10.0  # proactive speech waits for this long without anyone talking
RATE_WINDOW_S = 3600.0
MAX_PER_WINDOW = 3  # proactive suggestions per household per hour
MIN_GAP_S = 120.0  # between two proactive suggestions


@dataclass(frozen=True)
class Prefs:
    """A household's anticipation settings (``{"anticipation": {...}}`` in the config)."""

    enabled: bool = True
    min_confidence: float = MIN_CONFIDENCE
    quiet_start: time = time(22, 30)
    quiet_end: time = time(6, 30)
    max_per_hour: int = MAX_PER_WINDOW
    # False only for an ablation (``hearth bench proactive --ablate side-talk``): what the
    # side-conversation rule is worth.
    respect_side_talk: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Prefs:
        def clock(value: Any, default: time) -> time:
            return time.fromisoformat(str(value)) if value else default

        return cls(
            enabled=bool(config.get("enabled", True)),
            min_confidence=float(config.get("min_confidence", MIN_CONFIDENCE)),
            quiet_start=clock(config.get("quiet_start"), cls.quiet_start),
            quiet_end=clock(config.get("quiet_end"), cls.quiet_end),
            max_per_hour=int(config.get("max_per_hour", MAX_PER_WINDOW)),
            respect_side_talk=bool(config.get("respect_side_talk", True)),
        )


@dataclass(frozen=True)
class Moment:
    """What the bus says about the household right now."""

    now: float
    local: datetime
    last_side_talk: float | None = None  # last turn.ignored (a remark not for the assistant)
    last_turn: float | None = None  # last utterance decision of any kind
    open_question_until: float | None = None  # the assistant awaits an answer until then
    recent_offers: Sequence[float] = field(default_factory=tuple)  # proactive, bus time


@dataclass(frozen=True)
class Verdict:
    go: bool
    reason: str


def in_quiet_hours(local: datetime, prefs: Prefs) -> bool:
    t = local.time()
    start, end = prefs.quiet_start, prefs.quiet_end
    return (start <= t or t < end) if start > end else (start <= t < end)


def side_conversation(moment: Moment, prefs: Prefs | None = None) -> bool:
    if prefs is not None and not prefs.respect_side_talk:
        return False
    last = moment.last_side_talk
    return last is not None and moment.now - last <= SIDE_TALK_WINDOW_S


def recent_declines(declined: Sequence[float], now: float) -> int:
    return sum(1 for ts in declined if now - ts <= DECLINE_MEMORY_S)


def worth_offering(confidence: float, key: str, muted: Sequence[str],
                   declined: Sequence[float], prefs: Prefs, now: float) -> Verdict:
    """Is this suggestion worth making at all (whatever the moment)?"""
    if not prefs.enabled:
        return Verdict(False, "anticipation is off for this household")
    if key in muted:
        return Verdict(False, "asked to stop suggesting this")
    declines = recent_declines(declined, now)
    if declines >= DECLINES_TO_HOLD:
        return Verdict(False, f"declined {declines} times recently")
    if declined and now - max(declined) < COOL_OFF_S:
        return Verdict(False, "declined a moment ago")
    # A decline also lowers the confidence itself (latent_goals.Feedback.confidence).
    if confidence < prefs.min_confidence:
        return Verdict(False, f"confidence {confidence:.2f} below {prefs.min_confidence:.2f}")
    return Verdict(True, f"confidence {confidence:.2f}")


def follow_up_moment(moment: Moment, prefs: Prefs | None = None) -> Verdict:
    """A latent goal is offered right after the request it follows, unless people are
    talking to each other (then the moment has passed: it is dropped, not deferred)."""
    if side_conversation(moment, prefs):
        return Verdict(False, "a conversation between people is going on")
    return Verdict(True, "right after the request")


def quiet_moment(moment: Moment, prefs: Prefs) -> Verdict:
    """Proactive speech (hunches, routines) needs a quiet moment, within the rate limit."""
    if in_quiet_hours(moment.local, prefs):
        return Verdict(False, "quiet hours")
    if side_conversation(moment, prefs):
        return Verdict(False, "a conversation between people is going on")
    if moment.open_question_until is not None and moment.open_question_until >= moment.now:
        return Verdict(False, "someone is mid-conversation with the assistant")
    if moment.last_turn is not None and moment.now - moment.last_turn < QUIET_GAP_S:
        return Verdict(False, "someone spoke just now")
    recent = [t for t in moment.recent_offers if moment.now - t <= RATE_WINDOW_S]
    if recent and moment.now - max(recent) < MIN_GAP_S:
        return Verdict(False, "suggested something a moment ago")
    if len(recent) >= prefs.max_per_hour:
        return Verdict(False, f"already {len(recent)} suggestions this hour")
    return Verdict(True, "a quiet moment")
