"""Wake words: the one explicit cue that a turn is meant for the assistant.

The addressee policy (policies/addressee*.py) fuses this cue with visual, linguistic and
acoustic ones; this module only recognises and removes a wake word at the start of a turn.
"""

from __future__ import annotations

import re

WAKE_WORDS = ("hey hearth", "ok hearth", "okay hearth", "hearth")


def strip_wake_word(text: str, wake_words: tuple[str, ...] = WAKE_WORDS) -> tuple[bool, str]:
    """Whether ``text`` opens with a wake word, and the text without it."""
    lowered = text.strip()
    for wake in wake_words:
        match = re.match(rf"^\s*{re.escape(wake)}\b[\s,.!?]*", lowered, flags=re.IGNORECASE)
        if match:
            return True, lowered[match.end():].strip()
    return False, lowered

