"""Latent goals: which request tends to follow a completed one, and with which values.

Two sources, one model. Skill declarations seed links (``follow_ups`` in skill.yaml: a
cooking time leads to a timer, "I'm cold" to the thermostat) with templates that carry
values over from the direct goal. Interaction history adds links of its own: requests that
follow one another within a session, scored by normalised pointwise mutual information
(NPMI), so a pair that is merely frequent (everyone asks for the weather) scores low while a
pair that belongs together scores high. Feedback (accepted / declined) moves each link's
confidence like a Beta posterior around its prior.

Pure: the goal-prediction agent keeps ``CoOccurrence`` and ``Feedback`` in KV.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bus.messages import Slots, SlotValue
from policies.durations import speak_duration
from policies.skill_spec import FollowUp, SkillSpec

SESSION_GAP_S = 15 * 60.0  # a pause this long ends a session
FOLLOW_WINDOW_S = 10 * 60.0  # b "follows" a when it comes this soon after a, in one session
MIN_PAIR_SUPPORT = 3  # sessions in which a learned pair must have been seen
MIN_NPMI = 0.2  # how much more often than chance a learned pair must co-occur
PRIOR_WEIGHT = 4.0  # pseudo-observations behind a link's prior confidence
LEARNED_PRIOR = 0.5
HISTORY_LIMIT = 50  # recent interactions kept for session detection
QUESTION_WORDS = frozenset(["what", "what's", "how", "is", "are", "will", "when", "which", "do",
                            "does", "any", "who", "where"])
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\|([a-z]+)(?::(-?[0-9.]+))?)?\}")
_OPTIONAL = re.compile(r"\{([a-z_][a-z0-9_]*)\?\}")  # "{date?}": carried when there is one


class Seen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    intent: str
    ts: float
    session: int


class CoOccurrence(BaseModel):
    """Counts over sessions: how many sessions saw each intent, and each ordered pair."""

    model_config = ConfigDict(extra="forbid")
    sessions: int = 0
    intents: dict[str, int] = Field(default_factory=dict)  # intent -> sessions with it
    pairs: dict[str, int] = Field(default_factory=dict)  # "a>b" -> sessions where b followed a
    recent: list[Seen] = Field(default_factory=list)

    def observe(self, intent: str, ts: float) -> None:
        """Count one completed request (in time order)."""
        last = self.recent[-1] if self.recent else None
        new_session = last is None or ts - last.ts > SESSION_GAP_S
        session = (last.session + 1) if last is not None and new_session else (
            last.session if last is not None else 0)
        if new_session:
            self.sessions += 1
        this = [s for s in self.recent if s.session == session]
        if all(s.intent != intent for s in this):
            self.intents[intent] = self.intents.get(intent, 0) + 1
        counted = {f"{a.intent}>{b.intent}" for i, a in enumerate(this) for b in this[i + 1:]
                   if b.ts - a.ts <= FOLLOW_WINDOW_S}
        for a in this:
            pair = f"{a.intent}>{intent}"
            if a.intent != intent and ts - a.ts <= FOLLOW_WINDOW_S and pair not in counted:
                self.pairs[pair] = self.pairs.get(pair, 0) + 1
                counted.add(pair)
        self.recent = [*self.recent, Seen(intent=intent, ts=ts, session=session)][-HISTORY_LIMIT:]

    def forget_since(self, since: float) -> int:
        """Take back what the requests at or after ``since`` added; how many were forgotten.

        Sessions run in time order, so the forgotten requests are the tail of ``recent``: each
        session they touch is uncounted and what is left of it (before ``since``) recounted.
        """
        gone = [s for s in self.recent if s.ts >= since]
        for session in sorted({s.session for s in gone}):
            whole = [s for s in self.recent if s.session == session]
            kept = [s for s in whole if s.ts < since]
            for counts, keys in ((self.intents, _session_intents(whole)),
                                 (self.pairs, _session_pairs(whole))):
                for key in keys:
                    counts[key] = counts.get(key, 0) - 1
            if kept:
                for key in _session_intents(kept):
                    self.intents[key] = self.intents.get(key, 0) + 1
                for key in _session_pairs(kept):
                    self.pairs[key] = self.pairs.get(key, 0) + 1
            else:
                self.sessions = max(0, self.sessions - 1)
        self.intents = {k: v for k, v in self.intents.items() if v > 0}
        self.pairs = {k: v for k, v in self.pairs.items() if v > 0}
        self.recent = [s for s in self.recent if s.ts < since]
        return len(gone)

    def npmi(self, a: str, b: str) -> float:
        """Normalised PMI of "b follows a" over sessions, in [-1, 1] (-1: never together)."""
        n, joint = self.sessions, self.pairs.get(f"{a}>{b}", 0)
        if n == 0 or joint == 0:
            return -1.0
        p_ab = joint / n
        p_a, p_b = self.intents.get(a, 0) / n, self.intents.get(b, 0) / n
        if p_ab >= 1.0:
            return 1.0
        return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)

    def followers(self, a: str) -> list[tuple[str, int, float]]:
        """(b, support, npmi) for every b seen after a, strongest first."""
        out = []
        for pair, joint in self.pairs.items():
            first, _, b = pair.partition(">")
            if first == a:
                out.append((b, joint, self.npmi(a, b)))
        return sorted(out, key=lambda t: (-t[2], -t[1], t[0]))


def _session_intents(seen: list[Seen]) -> set[str]:
    return {s.intent for s in seen}


def _session_pairs(seen: list[Seen]) -> set[str]:
    """The ordered pairs one session counts (as ``CoOccurrence.observe`` counts them)."""
    return {f"{a.intent}>{b.intent}" for i, a in enumerate(seen) for b in seen[i + 1:]
            if a.intent != b.intent and b.ts - a.ts <= FOLLOW_WINDOW_S}


class Feedback(BaseModel):
    """Answers to each suggestion key, for the confidence and the trigger policy."""

    model_config = ConfigDict(extra="forbid")
    accepted: dict[str, int] = Field(default_factory=dict)
    declined: dict[str, list[float]] = Field(default_factory=dict)  # key -> when (bus time)
    muted: list[str] = Field(default_factory=list)  # "stop suggesting that"

    def record(self, key: str, outcome: str, ts: float) -> None:
        if outcome == "accepted":
            self.accepted[key] = self.accepted.get(key, 0) + 1
        elif outcome in ("declined", "ignored"):
            self.declined[key] = [*self.declined.get(key, []), ts][-10:]
        elif outcome == "stop" and key not in self.muted:
            self.muted.append(key)

    def forget_since(self, since: float) -> None:
        """Drop refusals given at or after ``since``; "stop suggesting that" is a setting, kept."""
        self.declined = {k: kept for k, when in self.declined.items()
                         if (kept := [t for t in when if t < since])}

    def confidence(self, key: str, prior: float) -> float:
        """Beta posterior mean: the prior counts as PRIOR_WEIGHT observations."""
        yes, no = self.accepted.get(key, 0), len(self.declined.get(key, []))
        return (prior * PRIOR_WEIGHT + yes) / (PRIOR_WEIGHT + yes + no)


@dataclass(frozen=True)
class Done:
    """A completed request: the direct goal."""

    skill: str
    intent: str
    slots: Slots
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Proposal:
    key: str
    skill: str
    intent: str
    slots: Slots
    say: str
    reason: str
    confidence: float
    source: str  # "declared" or "learned"
    details: dict[str, float] = field(default_factory=dict)


def _value(name: str, values: Mapping[str, Any]) -> Any:
    return values.get(name)


def render_value(template: SlotValue, values: Mapping[str, Any]) -> SlotValue | None:
    """A slot template: "{seconds}" keeps the value's type; "{degrees|plus:2}" adds; text
    with several placeholders becomes text. None when a value is missing."""
    if not isinstance(template, str):
        return template
    whole = _PLACEHOLDER.fullmatch(template)
    if whole:
        value = _value(whole.group(1), values)
        if value is None:
            return None
        if whole.group(2) == "plus" and isinstance(value, int | float):
            return float(value) + float(whole.group(3) or 0)
        return value if isinstance(value, str | int | float | bool) else str(value)
    text = render_text(template, values)
    return text


def render_text(template: str, values: Mapping[str, Any]) -> str | None:
    """Fill a sentence: "{seconds|duration}" -> "3 minutes", "{x|plus:2}" -> x + 2."""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = _value(match.group(1), values)
        if value is None:
            missing = True
            return ""
        how = match.group(2)
        if how == "duration" and isinstance(value, int | float):
            return speak_duration(float(value))
        if how == "plus" and isinstance(value, int | float):
            return f"{float(value) + float(match.group(3) or 0):g}"
        return f"{value:g}" if isinstance(value, float) else str(value)

    text = _PLACEHOLDER.sub(fill, template)
    return None if missing else text


def _is_optional(template: SlotValue) -> bool:
    return isinstance(template, str) and _OPTIONAL.fullmatch(template) is not None


def link_key(a: str, b: str) -> str:
    return f"{a}>{b}"


class LatentGoalModel:
    """Proposes the follow-up of a completed request from declarations and history."""

    def __init__(self, specs: Mapping[str, SkillSpec]) -> None:
        self.specs = dict(specs)
        self.seeds: dict[str, list[FollowUp]] = {}
        for spec in specs.values():
            for api_name, api in spec.apis.items():
                if api.follow_ups:
                    self.seeds[spec.intent(api_name)] = list(api.follow_ups)

    def _api_known(self, intent: str) -> bool:
        spec = self.specs.get(intent.partition(".")[0])
        return spec is not None and spec.api_of(intent) is not None

    def _declared(self, done: Done, stats: CoOccurrence, feedback: Feedback) -> list[Proposal]:
        values = {**done.data, **done.slots}
        out = []
        for seed in self.seeds.get(done.intent, []):
            if not self._api_known(seed.intent) or any(
                    values.get(k) != v for k, v in seed.when.items()):
                continue
            slots: Slots = {}
            needed = 0
            for name, template in seed.slots.items():
                optional = isinstance(template, str) and _OPTIONAL.fullmatch(template)
                if optional:
                    value = values.get(optional.group(1))
                    if isinstance(value, str | int | float | bool):
                        slots[name] = value
                    continue
                needed += 1
                value = render_value(template, values)
                if value is not None:
                    slots[name] = value
            say = render_text(seed.say, values)
            if say is None or sum(1 for k in slots if not _is_optional(seed.slots[k])) < needed:
                continue  # a value to carry over is missing: the offer would be wrong
            key = link_key(done.intent, seed.intent)
            npmi = stats.npmi(done.intent, seed.intent)
            confidence = feedback.confidence(key, seed.confidence)
            out.append(Proposal(key, seed.intent.partition(".")[0], seed.intent, slots, say,
                                f"declared follow-up of {done.intent}", confidence,
                                "declared", {"npmi": round(npmi, 3)}))
        return out

    def _learned(self, done: Done, stats: CoOccurrence, feedback: Feedback) -> list[Proposal]:
        out = []
        for b, support, npmi in stats.followers(done.intent):
            if support < MIN_PAIR_SUPPORT or npmi < MIN_NPMI or not self._api_known(b):
                continue
            spec = self.specs[b.partition(".")[0]]
            api = spec.api_of(b)
            assert api is not None
            # Values carry over by name: "room" of the lights is the room of the heater.
            slots = {k: v for k, v in done.slots.items() if k in api.args}
            say = _offer_from_samples(spec, b, slots)
            if say is None:
                continue
            key = link_key(done.intent, b)
            share = support / max(1, stats.intents.get(done.intent, 1))
            prior = min(0.9, LEARNED_PRIOR + 0.5 * npmi * share)
            out.append(Proposal(key, spec.name, b, slots, say,
                                f"{b} followed {done.intent} in {support} sessions "
                                f"(npmi {npmi:.2f})", feedback.confidence(key, prior),
                                "learned", {"npmi": round(npmi, 3), "support": support}))
        return out

    def propose(self, done: Done, stats: CoOccurrence, feedback: Feedback) -> Proposal | None:
        """The most confident latent goal, or None."""
        found = self._declared(done, stats, feedback)
        declared = {p.intent for p in found}
        found += [p for p in self._learned(done, stats, feedback) if p.intent not in declared]
        if not found:
            return None
        return max(found, key=lambda p: p.confidence)


def phrase(spec: SkillSpec, intent: str, slots: Slots) -> str | None:
    """The request in words ("turn on the lights in the kitchen"): the sample utterance with
    the most placeholders that the slot values fill completely."""
    templates = [t for t, i in spec.samples() if i == intent]
    for template in sorted(templates, key=lambda t: -len(re.findall(r"\{", t))):
        filled = render_text(template, slots)
        if filled is not None:
            return filled
    return None


def _offer_from_samples(spec: SkillSpec, intent: str, slots: Slots) -> str | None:
    """ "Shall I also turn on the heater in the kitchen?" """
    filled = phrase(spec, intent, slots)
    if filled is None:
        return None
    if filled.split()[0] in QUESTION_WORDS:  # "what's the weather like" is asked, not done
        return f"Shall I also tell you {filled.rstrip('?')}?"
    return f"Shall I also {filled}?"
