"""Multi-turn dialogue decisions: slot filling, confirmations, corrections, carry-over, cancel.

Pure: the dialogue agent loads the conversation of one speaker from KV, asks ``decide`` what
to do with the new turn, does it (calls the skill, speaks), and stores the new conversation.
A conversation has at most one open dialogue (``pending``: a question or a confirmation the
assistant waits for) and the context of the last completed request (``last``), both with a
bus-time deadline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bus.messages import Slots
from policies.skill_spec import Api, SkillSpec
from policies.slots import Found, coverage, extract, find_numbers

ANSWER_WINDOW_S = 8.0  # how long a question or confirmation stays open
CONTEXT_WINDOW_S = 120.0  # how long "and in the bedroom?" can refer to the last request
ANSWER_COVERAGE = 0.6  # share of content words slots must cover to read as a bare answer
NOT_UNDERSTOOD = "Sorry, I can't help with that yet."

_YES = re.compile(r"^(?:yes|yeah|yep|yup|sure|ok|okay|please do|do it|go ahead|correct|"
                  r"that's right|right|absolutely|of course)(?:\W+(?:please|do it|thanks))?\W*$")
_NO = re.compile(r"^(?:no|nope|nah|don't|do not|no thanks|no thank you|not now)\W*$")
_CANCEL = re.compile(r"^(?:never ?mind|forget it|forget about it|cancel|cancel that|stop|"
                     r"nothing|leave it|skip it|no never ?mind)\W*$")
_CORRECTION = re.compile(r"^(?:no|nope|actually|sorry|wait|oops)\b[\s,]*|"
                         r"^(?:make (?:it|that)|change (?:it|that) to|i meant|i said)\b")
_CARRY = re.compile(r"^(?:and|also|what about|how about|same (?:for|in)|now)\b")


class Pending(BaseModel):
    """An open dialogue: the assistant asked for an argument or for a yes."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    skill: str
    intent: str
    slots: Slots
    awaiting: Literal["slot", "confirm"]
    missing: str | None = None
    question: str = ""
    until: float


class LastRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    skill: str
    intent: str
    slots: Slots
    result_id: str | None = None
    until: float


class Conversation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    pending: Pending | None = None
    last: LastRequest | None = None


@dataclass(frozen=True)
class Heard:
    """What understanding made of the turn."""

    text: str
    skill: str | None
    intent: str | None
    slots: Slots = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    action: Literal["call", "ask", "say"]
    conversation: Conversation
    say: str = ""
    skill: str | None = None
    intent: str | None = None
    slots: Slots = field(default_factory=dict)
    expects_reply: bool = False
    reason: str = ""


def kind_of_reply(text: str) -> Literal["yes", "no", "cancel"] | None:
    cleaned = " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())
    for name, pattern in (("cancel", _CANCEL), ("yes", _YES), ("no", _NO)):
        if pattern.match(cleaned):
            return name  # type: ignore[return-value]
    return None


def _api(specs: Mapping[str, SkillSpec], intent: str) -> tuple[SkillSpec, Api] | None:
    spec = specs.get(intent.partition(".")[0])
    api = spec.api_of(intent) if spec else None
    return (spec, api) if spec is not None and api is not None else None


def _found(text: str, spec: SkillSpec, intent: str, today: date | None) -> dict[str, Found]:
    api = spec.api_of(intent)
    assert api is not None
    templates = [t for t, i in spec.samples() if i == intent]
    for dialogue in spec.dialogues:  # later user turns show how answers are phrased
        templates += [t.user for t in dialogue.turns[1:] if t.user and t.call is None]
    return extract(text, api.args, spec.entities, templates, today)


def _correction_values(text: str, spec: SkillSpec, intent: str, slots: Slots,
                       today: date | None) -> dict[str, Found]:
    """What a correction changes; a bare number keeps the unit of a duration ("make it ten")."""
    found = _found(text, spec, intent, today)
    if found:
        return found
    api = spec.api_of(intent)
    numbers = find_numbers(text)
    if api is None or not numbers:
        return {}
    value = float(numbers[0].value)
    for name, arg in api.args.items():
        if arg.type == "duration" and isinstance(slots.get(name), int | float):
            old = float(slots[name])
            unit = 3600.0 if old % 3600 == 0 else 60.0 if old % 60 == 0 else 1.0
            return {name: Found(value * unit, numbers[0].start, numbers[0].end)}
        if arg.type == "number" and name in slots:
            return {name: numbers[0]}
    return {}


_FRAGMENT_GLUE = frozenset(["a", "an", "the", "please", "um", "uh", "ok", "okay", "well", "oh",
                            "so", "and", "just", "like"])


def _fragment(text: str, spec: SkillSpec, intent: str, today: date | None) -> bool:
    """Nothing but slot values ("five minutes"): an answer without a question, no request."""
    found = list(_found(text, spec, intent, today).values())
    if not found:
        return False
    return all(any(f.start <= m.start() < f.end for f in found) or m.group(0).lower()
               in _FRAGMENT_GLUE for m in re.finditer(r"[\w']+", text))


def complete(specs: Mapping[str, SkillSpec], conv: Conversation, skill: str, intent: str,
             slots: Slots, now: float, confirmed: bool = False) -> Decision:
    """Ask for what is missing, ask for a yes if the API is risky, else call it."""
    found = _api(specs, intent)
    if found is None:
        return Decision("say", conv.model_copy(update={"pending": None}), NOT_UNDERSTOOD,
                        reason="unknown intent")
    _spec, api = found
    for name, arg in api.args.items():
        if arg.required and name not in slots and arg.default is None:
            question = arg.prompt or f"What {name.replace('_', ' ')}?"
            pending = Pending(skill=skill, intent=intent, slots=slots, awaiting="slot",
                              missing=name, question=question, until=now + ANSWER_WINDOW_S)
            return Decision("ask", conv.model_copy(update={"pending": pending}), question,
                            skill, intent, slots, expects_reply=True, reason="missing slot")
    if api.confirm and not confirmed:
        values = {n: slots.get(n, a.default) for n, a in api.args.items()}
        question = api.confirm.format(**{k: "" if v is None else v for k, v in values.items()})
        pending = Pending(skill=skill, intent=intent, slots=slots, awaiting="confirm",
                          question=question, until=now + ANSWER_WINDOW_S)
        return Decision("ask", conv.model_copy(update={"pending": pending}), question,
                        skill, intent, slots, expects_reply=True, reason="confirmation")
    return Decision("call", conv.model_copy(update={"pending": None}), skill=skill,
                    intent=intent, slots=slots, reason="request")


def decide(specs: Mapping[str, SkillSpec], conv: Conversation, heard: Heard, now: float,
           today: date | None = None) -> Decision:
    """What to do with one addressed turn, given the speaker's conversation."""
    pending = conv.pending if conv.pending and conv.pending.until >= now else None
    last = conv.last if conv.last and conv.last.until >= now else None
    conv = Conversation(pending=pending, last=last)
    reply = kind_of_reply(heard.text)

    if pending is not None:
        target = _api(specs, pending.intent)
        if reply == "cancel" or (reply == "no" and pending.awaiting == "slot"):
            return Decision("say", conv.model_copy(update={"pending": None}),
                            "OK, never mind.", reason="cancelled")
        if target is not None and pending.awaiting == "confirm":
            spec = target[0]
            if reply == "yes":
                return complete(specs, conv, pending.skill, pending.intent, pending.slots,
                                now, confirmed=True)
            changed = _correction_values(heard.text, spec, pending.intent, pending.slots,
                                         today) if _CORRECTION.match(heard.text.lower()) else {}
            if changed:
                slots = {**pending.slots, **{k: f.value for k, f in changed.items()}}
                return complete(specs, conv, pending.skill, pending.intent, slots, now)
            if reply == "no":
                return Decision("say", conv.model_copy(update={"pending": None}),
                                "OK, I won't.", reason="declined")
        if target is not None and pending.awaiting == "slot":
            spec = target[0]
            found = _found(heard.text, spec, pending.intent, today)
            # An answer brings slots of the open request and either is no request of its
            # own or is mostly those slots ("ten minutes", not "cancel the ten minute timer").
            answers = bool(found) and (
                heard.intent in (None, pending.intent)
                or coverage(heard.text, found.values()) >= ANSWER_COVERAGE)
            if answers:
                slots = {**pending.slots, **{k: f.value for k, f in found.items()}}
                return complete(specs, conv, pending.skill, pending.intent, slots, now)
        if heard.intent is None:  # neither an answer nor a request: ask again
            again = pending.model_copy(update={"until": now + ANSWER_WINDOW_S})
            return Decision("ask", conv.model_copy(update={"pending": again}),
                            f"Sorry, {pending.question[:1].lower()}{pending.question[1:]}",
                            pending.skill, pending.intent, pending.slots, expects_reply=True,
                            reason="not an answer")
        conv = conv.model_copy(update={"pending": None})  # a new request replaces the question

    if reply is not None:  # a bare yes/no/never mind with no question open: no request
        return Decision("say", conv, NOT_UNDERSTOOD if reply == "yes" else "OK.",
                        reason="a reply to nothing")

    if last is not None and (target := _api(specs, last.intent)) is not None:
        spec, api = target
        lowered = heard.text.lower().strip()
        if _CORRECTION.match(lowered):
            changed = _correction_values(heard.text, spec, last.intent, last.slots, today)
            if changed:
                slots = {k: v for k, v in last.slots.items() if k != "replaces"}
                slots.update({k: f.value for k, f in changed.items()})
                if "replaces" in api.args and last.result_id:
                    slots["replaces"] = last.result_id
                return complete(specs, conv, last.skill, last.intent, slots, now)
        found = _found(heard.text, spec, last.intent, today)
        cover = coverage(heard.text, found.values()) if found else 0.0
        if found and ((_CARRY.match(lowered) and cover >= ANSWER_COVERAGE)
                      or (heard.intent is None and cover >= ANSWER_COVERAGE)):
            slots = {k: v for k, v in last.slots.items() if k != "replaces"}
            slots.update({k: f.value for k, f in found.items()})
            return complete(specs, conv, last.skill, last.intent, slots, now)

    if heard.skill is None or heard.intent is None:
        return Decision("say", conv, NOT_UNDERSTOOD, reason="no skill")
    target = _api(specs, heard.intent)
    if target is not None and _fragment(heard.text, target[0], heard.intent, today):
        # "five minutes" alone answers a question; with none open it is no request.
        return Decision("say", conv, NOT_UNDERSTOOD, reason="a bare value, no question open")
    return complete(specs, conv, heard.skill, heard.intent, dict(heard.slots), now)


def remember(conv: Conversation, skill: str, intent: str, slots: Slots,
             data: Mapping[str, object], now: float) -> Conversation:
    """After a call completed: keep it as context for corrections and follow-ups."""
    result_id = next((str(v) for k, v in data.items() if k.endswith("_id") and v), None)
    last = LastRequest(skill=skill, intent=intent, slots=slots, result_id=result_id,
                       until=now + CONTEXT_WINDOW_S)
    return Conversation(pending=None, last=last)


def ask_for(conv: Conversation, skill: str, intent: str, slots: Slots, missing: str,
            question: str, now: float) -> Conversation:
    """The skill itself asked for an argument: keep the dialogue open for the answer."""
    pending = Pending(skill=skill, intent=intent, slots=slots, awaiting="slot", missing=missing,
                      question=question, until=now + ANSWER_WINDOW_S)
    return conv.model_copy(update={"pending": pending})
