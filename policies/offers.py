"""The dialogue side of a suggestion: the open offer, and what a reply to it means.

Dialogue asks the suggestion ("Would you like me to set a timer for 3 minutes?") and keeps
it open for a short while on that device. The next addressed turn there is read as: yes
(call the suggested skill with the carried-over slots), no (declined), "stop suggesting
that" (muted for good), or something else (the offer is dropped as ignored and the turn is
handled as usual). Pure.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bus.messages import Slots
from policies.dialogue_policy import ANSWER_WINDOW_S, kind_of_reply

SPOKEN_WORD_S = 0.4  # about 150 words a minute
AHEAD_S = 6.0  # an offer usually follows an answer still being spoken


def offer_window_s(question: str) -> float:
    """How long an offer stays open, from when it is decided: an answer window after the
    question has been heard. A spoken offer comes after the answer it follows and takes its
    own time to say (answer windows elsewhere start when the words are queued, which is
    enough for a short question on its own but not for an offer queued behind an answer)."""
    return ANSWER_WINDOW_S + AHEAD_S + SPOKEN_WORD_S * len(question.split())

_STOP = re.compile(
    r"\b(?:stop|quit|don'?t|do not|never|no more)\s+(?:\w+\s+)?"
    r"(?:suggest|suggesting|offering|asking|ask me|offer)\w*\b"
    r"|\bdon'?t ask (?:me )?(?:that|this) again\b|\bnot interested\b")
_YES_WORDS = re.compile(r"^(?:yes|yeah|yep|yup|sure|ok|okay|please|go ahead|do it|why not|"
                        r"that would be (?:great|nice|good)|sounds good|absolutely)\b")
_NO_WORDS = re.compile(r"^(?:no|nope|nah|not now|no thanks|no thank you|don't bother)\b")

Reply = Literal["yes", "no", "stop"]


class Offer(BaseModel):
    """A suggestion said on a device and waiting for an answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    suggestion_id: str
    key: str
    origin: Literal["latent_goal", "hunch", "reminder", "routine"]
    skill: str | None = None
    intent: str | None = None
    slots: Slots = {}
    accept_say: str = ""
    speaker: str | None = None
    correlation_id: str
    until: float


def reply_to_offer(text: str) -> Reply | None:
    """What an answer to an offer means; None when it is not an answer."""
    lowered = " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())
    if _STOP.search(lowered):
        return "stop"
    kind = kind_of_reply(text)
    if kind == "yes":
        return "yes"
    if kind in ("no", "cancel"):
        return "no"
    if _YES_WORDS.match(lowered):
        return "yes"
    if _NO_WORDS.match(lowered):
        return "no"
    return None


def open_offer(offer: Offer | None, now: float) -> Offer | None:
    return offer if offer is not None and offer.until >= now else None


ACK_DECLINED = "OK."
ACK_STOP = "OK, I won't suggest that again."
ACK_ACCEPTED = "OK."
