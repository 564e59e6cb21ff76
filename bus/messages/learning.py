"""Self-learning: rewrites learned from implicit feedback, intents added from a few examples."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bus.messages.base import Message
from bus.messages.intent import Slots


class LearningRewrite(Message):
    """A rewrite was learned, promoted to every household, or rolled back (with why)."""

    type: Literal["learning.rewrite"] = "learning.rewrite"
    rewrite_id: str
    said: str  # the words as the household says them
    meant: str  # what understanding gets instead
    status: Literal["learned", "promoted", "rolled_back"]
    whole: bool = False  # the whole utterance, not a span
    friction: str = ""  # what showed the failure: out_of_scope, correction, barge_in, ...
    evidence: int = Field(default=1, ge=0)  # observations behind it so far


class IntentAdded(Message):
    """A new intent from a few examples, routed at once (prototypes + augmentation).

    ``intent`` names it (``<skill>.<name>``); a request routed to it calls ``call`` (a
    declared API, by default ``intent`` itself) with ``slots`` added to what was found.
    ``scope`` "household" keeps it in this home; "all" is a skill author's intent."""

    type: Literal["learning.intent_added"] = "learning.intent_added"
    intent: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    examples: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        min_length=3, max_length=50)
    call: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    slots: Slots = Field(default_factory=dict)
    scope: Literal["household", "all"] = "household"
