"""Spoken durations and numbers: "five minutes", "an hour and a half", "90 seconds"."""

from __future__ import annotations

import re

_UNITS = {
    "ones": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen"],
    "tens": ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
             "ninety"],
}
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS["ones"])}
NUMBER_WORDS.update({w: 10 * i for i, w in enumerate(_UNITS["tens"]) if w})
NUMBER_WORDS.update({"a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a few": 3})

SECONDS_PER_UNIT = {"second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600}

_NUMBER_WORD_RE = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_NUMBER_RE = rf"(?:\d+(?:\.\d+)?|(?:{_NUMBER_WORD_RE})(?:[ -](?:{_NUMBER_WORD_RE}))?)"
_UNIT_RE = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)"
_PART_RE = re.compile(
    rf"\b(?P<num>{_NUMBER_RE})\s+(?P<unit>{_UNIT_RE})\b(?P<half>\s+and\s+a\s+half)?"
)
_HALF_UNIT_RE = re.compile(rf"\bhalf\s+an?\s+(?P<unit>{_UNIT_RE})\b")
# "a second timer" is an ordinal, not one second.
_ORDINAL_SECOND_RE = re.compile(r"\b(?:a|the)\s+second\s+(?=timer|alarm|reminder|one\b)")


def parse_number(text: str) -> float | None:
    """ "5", "2.5", "five", "twenty five", "twenty-five" -> a number; None otherwise."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in NUMBER_WORDS:  # also the multi-word ones: "a couple of"
        return float(NUMBER_WORDS[text])
    words = re.split(r"[ -]+", text)
    if not all(word in NUMBER_WORDS for word in words):
        return None
    return float(sum(NUMBER_WORDS[word] for word in words))


def parse_duration(text: str) -> float | None:
    """Total seconds of every duration phrase in ``text``, or None when there is none."""
    lowered = _ORDINAL_SECOND_RE.sub("the next ", text.lower())
    total = 0.0
    found = False
    for match in _HALF_UNIT_RE.finditer(lowered):
        total += SECONDS_PER_UNIT[match.group("unit").rstrip("s")] / 2
        found = True
    lowered = _HALF_UNIT_RE.sub(" ", lowered)  # so "an hour" is not counted again
    for match in _PART_RE.finditer(lowered):
        number = parse_number(match.group("num"))
        if number is None:
            continue
        unit = match.group("unit").rstrip("s")
        seconds = SECONDS_PER_UNIT[unit]
        total += number * seconds
        if match.group("half"):
            total += seconds / 2
        found = True
    return total if found else None


def speak_duration(seconds: float, adjective: bool = False) -> str:
    """300 -> "5 minutes", 90 -> "1 minute 30 seconds"; as an adjective 300 -> "5 minute"."""
    remaining = round(seconds)
    parts = []
    for name, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        count, remaining = divmod(remaining, size)
        if count:
            plural = "s" if count != 1 and not adjective else ""
            parts.append(f"{count} {name}{plural}")
    return " ".join(parts) or "0 seconds"
