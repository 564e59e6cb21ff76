"""Interpreter sessions and bilingual requests: the rules, without I/O.

- A session interprets between two languages on one device. Everything said there is for
  the assistant (both people talk *through* it), except the commands that control the
  session ("stop interpreting"), which go the usual way to the translation skill.
- Each utterance goes into the other language of the session.
- Entities (numbers, times, names) must come through a translation unchanged: they are
  swapped for placeholders the translators pass through untouched, and put back after.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.languages import UnknownLanguage, code_of

# Said in any of the session's languages: these end (or query) the session, not interpret.
_CONTROL = re.compile(
    r"\b(?:stop|end|exit|quit|cancel|finish)\w*\s+(?:the\s+)?(?:interpret\w*|translat\w*)"
    r"|\binterpret\w*\s+(?:mode\s+)?off\b"
    r"|\b(?:are you still|is interpreter mode|which languages are you)\b"
    r"|\b(?:pare|parar|para|pará|deja|dejar|termina|terminar)\s+de\s+"
    r"(?:interpretar|traduzir|traducir)\b",
    re.IGNORECASE,
)


def is_control(text: str) -> bool:
    """Whether an utterance controls the session instead of being interpreted."""
    return bool(_CONTROL.search(text))


@dataclass(frozen=True)
class Session:
    """An interpreter session on a device, as the translation skill keeps it in KV."""

    a: str  # ISO 639-1
    b: str
    device: str
    since: float = 0.0
    by: str = ""

    @property
    def languages(self) -> tuple[str, str]:
        return (self.a, self.b)

    def other(self, language: str) -> str:
        """The language to translate into when someone speaks ``language``."""
        return self.b if language == self.a else self.a


def session_from(raw: Mapping[str, Any] | None) -> Session | None:
    """The stored session (language names or codes), or None when absent or unusable."""
    if not raw:
        return None
    try:
        a = code_of(str(raw.get("source_code") or raw.get("source") or "en"))
        b = code_of(str(raw.get("target_code") or raw.get("target") or ""))
    except UnknownLanguage:
        return None
    if a == b:
        return None
    return Session(a, b, str(raw.get("device", "")), float(raw.get("since", 0.0) or 0.0),
                   str(raw.get("by", "")))


def interprets(session: Session | None, device: str, text: str) -> bool:
    """Whether this utterance on this device is to be interpreted."""
    return session is not None and session.device == device and not is_control(text)


# -- entities -------------------------------------------------------------------------------
# Times and numbers ("7:30", "3", "2.5"), and capitalised words inside a sentence (names).
_NUMBER = r"\d+(?:[:.,]\d+)*"
_NAME = r"(?<=[a-záéíóúâêôãõçñü,] )[A-ZÁÉÍÓÚÂÊÔÃÕÇÑ][a-záéíóúâêôãõçñü]+"
_ENTITY = re.compile(rf"{_NUMBER}|{_NAME}")
_PLACEHOLDER = "Q{}"
# Words that are capitalised mid-sentence but are not names (they must be translated).
_NOT_NAMES = frozenset({"I", "Hearth", "English", "Spanish", "Portuguese", "Mr", "Mrs"})


@dataclass(frozen=True)
class Masked:
    text: str
    entities: tuple[str, ...]


def protect(text: str) -> Masked:
    """Replace each entity by a placeholder (Q1, Q2, ...) the translators leave alone."""
    found: list[str] = []

    def swap(m: re.Match[str]) -> str:
        if m.group(0) in _NOT_NAMES:
            return m.group(0)
        found.append(m.group(0))
        return _PLACEHOLDER.format(len(found))

    return Masked(_ENTITY.sub(swap, text), tuple(found))


def restore(translated: str, masked: Masked) -> str | None:
    """Put the entities back; None when a placeholder got lost (translate unmasked then)."""
    out = translated
    # Highest first, so Q1 does not eat into Q10.
    for i in range(len(masked.entities), 0, -1):
        token = _PLACEHOLDER.format(i)
        pattern = re.compile(rf"\b{token}\b")
        if not pattern.search(out):
            return None
        entity = masked.entities[i - 1]
        out = pattern.sub(lambda _m: entity, out, count=1)  # noqa: B023 - used at once
    return out


def kept(translated: str, masked: Masked) -> bool:
    """Whether every entity of the source appears unchanged in a translation."""
    return all(re.search(rf"(?<!\w){re.escape(e)}(?!\w)", translated) for e in masked.entities)
