"""Turn-taking's view of languages: which utterances are interpreted, which are put into
English first, and which go the usual way (the hook ``agents.turn_taking`` calls).

- In an interpreter session on the device, every utterance is for the assistant (both people
  talk through it) and is interpreted, except the commands that control the session.
- In a bilingual household, an utterance in the second language is first put into English by
  the translation agent, which publishes it again as an English utterance; turn-taking judges
  that one, so the addressee cues (written for English) see English words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agents import language_state
from bus.messages import Utterance
from bus.transport import Bus
from policies.interpreting import is_control
from policies.languages import utterance_language

INTERPRETER_SESSION = "interpreter session: both people talk through the assistant"
SESSION_CONTROL = "controls the interpreter session"


@dataclass(frozen=True)
class Route:
    kind: Literal["normal", "interpret", "control", "translate"]
    language: str = "en"


def asr_language(msg: Utterance) -> str | None:
    """Whisper's language when the utterance was heard (text-mode transcripts carry "en"
    whatever they say, so their words decide)."""
    return msg.language if msg.prosody is not None else None


async def route(bus: Bus, msg: Utterance) -> Route:
    if msg.translated_from is not None:
        return Route("normal")
    needs = await language_state.needs(bus, msg.household, msg.device)
    if needs.session is not None:
        if is_control(msg.text):
            # "stop interpreting" is for the assistant even when the wake word was misheard
            # (the multilingual model hears no hotwords).
            return Route("control")
        return Route("interpret", utterance_language(msg.text, needs.session.languages,
                                                     asr_language(msg)))
    if needs.second is not None:
        lang = utterance_language(msg.text, ("en", needs.second), asr_language(msg))
        if lang != "en":
            return Route("translate", lang)
    return Route("normal")
