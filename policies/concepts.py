"""Interactive teaching: spans Hearth cannot ground, and definitions taken from an answer.

"set the living-room light to study mode": "study mode" is no scene Hearth knows, so the
request goes to the ``concepts`` skill, which asks to be taught. The answer ("bright white at
80 percent") becomes a definition ``{color: white, level: 80}`` stored for the household and
applied now, and later wherever the name comes up again ("study mode in the kitchen").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from policies.slots import find_numbers


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


SUFFIXES = ("mode", "setting", "lighting", "vibe")
# "<one or two words> mode": the words before the suffix name the concept.
SPAN_RE = re.compile(
    rf"\b(?:(?:the|my|our|a)\s+)?(?P<name>[a-z][a-z'-]*(?:\s[a-z][a-z'-]*)?\s(?:{'|'.join(SUFFIXES)}))\b",
    re.IGNORECASE,
)
_NOT_A_NAME = _set("""
the a an to in on into of set put switch turn make lights light lamp lamps room kitchen
bedroom office bathroom hallway garage garden living dining and or please hearth it this that
forget delete remove change update what is are about use apply start activate
""")
COLORS = ("warm white", "cool white", "daylight", "white", "red", "orange", "yellow", "green",
          "blue", "purple", "pink", "amber", "teal")
_BRIGHT = {"bright": 100.0, "full": 100.0, "dim": 30.0, "dark": 10.0, "soft": 40.0,
           "low": 25.0, "medium": 50.0, "half": 50.0}
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)")
_OFF_RE = re.compile(r"\b(?:off|dark|no lights?)\b")


class Definition(BaseModel):
    """What a taught concept means for the lights of a room."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    on: bool = True
    level: float | None = None  # brightness in percent
    color: str | None = None
    said: str = ""  # the answer it was taken from

    def describe(self) -> str:
        if not self.on:
            return "lights off"
        parts = [f"{self.color} light" if self.color else "the lights"]
        if self.level is not None:
            parts.append(f"at {self.level:g} percent")
        return " ".join(parts)


class Concept(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    definition: Definition
    taught: float  # bus time
    speaker: str | None = None


def span(text: str) -> str | None:
    """The "<name> mode" phrase of a request, normalised ("study mode"), if there is one."""
    for m in SPAN_RE.finditer(text):
        name = " ".join(m.group("name").lower().replace("-", " ").split())
        first = name.split()[0]
        if first in _NOT_A_NAME:
            rest = name.split()[1:]
            if len(rest) < 2 or rest[0] in _NOT_A_NAME:
                continue
            name = " ".join(rest)
        return name
    return None


def grounded(name: str, vocabulary: Iterable[str]) -> bool:
    """True when a skill already knows the phrase (a scene called "movie mode")."""
    wanted = name.lower()
    return any(wanted == v.lower() for v in vocabulary)


def known(text: str, concepts: Mapping[str, Concept]) -> str | None:
    """The name of a taught concept said in ``text`` (longest first)."""
    lowered = " ".join(text.lower().replace("-", " ").split())
    for name in sorted(concepts, key=len, reverse=True):
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", lowered):
            return name
        bare = name.rsplit(" ", 1)[0] if name.endswith(SUFFIXES) else None
        if bare and re.search(rf"(?<![\w]){re.escape(bare)}\s+(?:{'|'.join(SUFFIXES)})\b",
                              lowered):
            return name
    return None


def extract(answer: str) -> Definition | None:
    """A definition from a teaching answer, or None when the answer says nothing usable.

    "bright white at 80 percent" -> white, 80; "warm white, dim" -> warm white, 30;
    "lights off" -> off. An explicit percentage wins over an adjective.
    """
    lowered = answer.lower()
    if _OFF_RE.search(lowered) and not _PERCENT_RE.search(lowered):
        return Definition(on=False, said=answer)
    color = next((c for c in COLORS if re.search(rf"\b{c}\b", lowered)), None)
    level: float | None = None
    percent = _PERCENT_RE.search(lowered)
    if percent:
        level = float(percent.group(1))
    else:
        spoken = [n for n in find_numbers(lowered) if "percent" in lowered[n.end:n.end + 9]]
        if spoken:
            level = float(spoken[0].value)
        else:
            level = next((v for w, v in _BRIGHT.items() if re.search(rf"\b{w}\b", lowered)),
                         None)
    if color is None and level is None:
        return None
    if level is not None and not 0 <= level <= 100:
        return None
    return Definition(level=level, color=color, said=answer)


_FORGET_RE = re.compile(r"\b(?:forget|delete|remove|unlearn|drop)\b", re.IGNORECASE)
_CHANGE_RE = re.compile(
    r"\b(?:change|redefine|update)\b.*?\b(?:to|as|into)\b\s+(?P<definition>.+)$", re.IGNORECASE)
_LIST_RE = re.compile(r"\bwhat (?:modes|concepts|settings)\b|\b(?:list|which) (?:my |the )?"
                      r"(?:modes|concepts)\b|\bwhat have i taught you\b", re.IGNORECASE)


def command(text: str, name: str | None) -> tuple[str, str | None] | None:
    """A request to manage taught concepts: ("forget"|"change", definition) for the named
    concept, ("list", None); None when ``text`` is no such request."""
    if _LIST_RE.search(text):
        return "list", None
    if name is None:
        return None
    if _FORGET_RE.search(text):
        return "forget", None
    change = _CHANGE_RE.search(text)
    if change:
        return "change", change.group("definition").strip(" .!?")
    return None
