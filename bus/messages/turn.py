"""Turn-taking decisions: was an utterance meant for the assistant?"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bus.messages.base import Message


class TurnDecision(Message):
    device: str
    speaker: str | None = None
    text: str  # the request with any wake word removed
    utterance_id: str
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    # The cue values the addressee policy scored (for audits and offline learning).
    features: dict[str, float] = Field(default_factory=dict)


class TurnAddressed(TurnDecision):
    type: Literal["turn.addressed"] = "turn.addressed"
    # Interpreter session: the words are for the other person, through the assistant; the
    # translation agent takes them and understanding leaves them alone.
    interpret: bool = False
    language: str | None = None  # ISO 639-1 of the words, when known and not English


class TurnIgnored(TurnDecision):
    type: Literal["turn.ignored"] = "turn.ignored"
