"""Answering a bilingual household in the language it asked in (the hook speech calls).

The translation agent marks an interaction whose request it put into English (KV, by
correlation id); every English response of that interaction (the skill's answer, a question
back, the timer going off later) is translated into the person's language before it is said.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from agents import language_state
from agents.translators import TranslationError
from agents.translators import shared as shared_translators
from bus.messages import ResponseSay
from bus.transport import Bus

# Its own thread: translating must not wait behind speech synthesis (speech's TTS thread).
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reply-translate")


async def localize(bus: Bus, msg: ResponseSay,
                   config: Mapping[str, Any]) -> tuple[ResponseSay, str | None]:
    """``msg`` in the language its interaction was asked in, and the backend used (None when
    it stays as it is: not a bilingual interaction, or no backend for the pair)."""
    if msg.language != "en":
        return msg, None
    language = await language_state.reply_language(bus, msg.household, msg.correlation_id)
    if language is None or language == "en":
        return msg, None
    loop = asyncio.get_running_loop()
    translators = await loop.run_in_executor(_pool, shared_translators, config)
    try:
        done = await loop.run_in_executor(_pool, translators.translate, msg.text, "en", language)
    except TranslationError:
        return msg, None  # better said in English than not at all
    return msg.model_copy(update={"text": done.text, "language": language}), done.backend
