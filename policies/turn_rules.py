"""The first, transparent turn-taking rule: a wake word, or a reply the assistant asked for.

The addressee policy that fuses visual, linguistic and acoustic cues replaces this behind the
same shape: a decision, a score and the reasons for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WAKE_WORDS = ("hey hearth", "ok hearth", "okay hearth", "hearth")


@dataclass(frozen=True)
class TurnVerdict:
    addressed: bool
    score: float
    text: str  # what was said, wake word removed
    reasons: list[str] = field(default_factory=list)


def strip_wake_word(text: str, wake_words: tuple[str, ...] = WAKE_WORDS) -> tuple[bool, str]:
    """Whether ``text`` opens with a wake word, and the text without it."""
    lowered = text.strip()
    for wake in wake_words:
        match = re.match(rf"^\s*{re.escape(wake)}\b[\s,.!?]*", lowered, flags=re.IGNORECASE)
        if match:
            return True, lowered[match.end():].strip()
    return False, lowered


def decide(
    text: str, follow_up_open: bool, wake_words: tuple[str, ...] = WAKE_WORDS
) -> TurnVerdict:
    woke, rest = strip_wake_word(text, wake_words)
    if woke:
        return TurnVerdict(True, 1.0, rest, ["wake word"])
    if follow_up_open:
        return TurnVerdict(True, 0.8, rest, ["reply to the assistant's question"])
    return TurnVerdict(False, 0.0, rest, ["no wake word", "no open question"])
