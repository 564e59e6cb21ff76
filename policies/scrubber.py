"""Personal data out of text: names, phone numbers, emails, street addresses, identifying numbers.

Used on everything Hearth writes down (the JetStream event log, logs, learning evidence) and
on everything that leaves a household (rewrite promotion). Agents keep the raw words live; only
what is recorded is scrubbed. Each finding is replaced by a tag (``[name]``, ``[phone]``,
``[email]``, ``[address]``, ``[id]``, ``[number]``) so a transcript still reads.

What is kept on purpose: the numbers of everyday requests (durations, clock times, dates,
temperatures, percentages, counts): they are short, and a request without them is useless
for replay. A number is treated as identifying when it is long (7+ digits: a phone number;
6+ digits or letters mixed with digits: an id) or when it follows words such as "account",
"passport", "card" or "pin". Names: household members' names given by the caller, a lexicon
of common given names, and names in context ("my name is ...", "call ...", "text ...").
Common words that are also names ("will", "may", "grace") count only when capitalised in the
middle of a sentence, where speech recognisers write names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Given names that are not also everyday words: matched in any case.
NAMES = _set("""
aaron adam adrian ahmed aisha alan albert alex alexander alexandra alice alicia amanda amelia
amir amy ana andrea andrew angela anna anne anthony antonio arthur ashley barbara ben benjamin
beth bob brian bruno carl carla carlos carol caroline catherine charles charlie chloe chris
christina christopher claire daniel david deborah dennis diana diego dmitri donna dorothy
edward elena elizabeth ella emily emma eric ethan eva fatima fernando francesca frank gabriel
george hannah harry heather helen henry hugo isabel isabella jack jacob james jane
jason jennifer jessica joao john jonathan jorge jose joseph joshua juan julia karen kate
katherine kevin laura leo liam linda lisa lucas lucia luis luke manuel margaret maria marie
mario martha mary matthew maya mehmet melissa michael michelle miguel mohammed nancy natalie
nathan nicholas nicole noah olivia oscar pablo patricia paul pedro peter priya rachel rebecca
richard robert ryan samuel sandra sarah sophia sophie stephen steven susan thomas timothy
tom valentina victoria william yusuf zoe bobby alicia dave dan jim joe sam ann ali omar
""")
# Names that are also common words: only when capitalised and not the first word.
AMBIGUOUS_NAMES = _set("""
will may mark rose bill grace joy summer april june august faith hope max pat
sue rob art don ray dawn iris lily ruby jade amber
""")
_STOP_AFTER_CUE = _set("""
me you him her them us it the a an my your our their this that back again up off on in at
to for and or but now later please mum mom dad mother father grandma grandpa sister brother
hearth someone anyone everyone somebody home work by from with about if when what
""")

EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Long runs of digits with the separators people and recognisers put between them.
PHONE_RE = re.compile(r"(?<![\w:])\+?\(?\d[\d\s().-]{5,}\d(?![\w:])")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPOKEN_DIGITS_RE = re.compile(rf"\b{_DIGIT_WORD}(?:[\s-]+{_DIGIT_WORD}){{6,}}\b",
                              re.IGNORECASE)
ID_CUE_RE = re.compile(
    r"\b(?P<cue>(?:social security|ssn|passport|account|card|credit card|licen[cs]e|pin|"
    r"id|membership|policy|customer|patient|tax|iban|sort code|registration)"
    r"(?:\s+(?:number|no\.?|code))?(?:\s+is)?[\s:#]+)(?P<value>(?=[A-Za-z-]*\d)[A-Za-z0-9-]+(?:\s(?=[A-Za-z-]*\d)[A-Za-z0-9-]+)*)",
    re.IGNORECASE,
)
MIXED_ID_RE = re.compile(r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{6,}\b")
LONG_NUMBER_RE = re.compile(r"\b\d{6,}\b")
ADDRESS_RE = re.compile(
    r"\b\d{1,5}[a-z]?\s+(?:[A-Za-z'-]+\s+){0,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|"
    r"dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|crescent|square|sq|rua|calle)\b\.?",
    re.IGNORECASE,
)
UK_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
NAME_CUE_RE = re.compile(
    r"\b(?P<cue>my name is|my name's|i'm called|i am called|call me|this is|"
    r"call|text|phone|ring|email|message|tell|remind|ask|invite|with)"
    r"\s+(?P<name>[A-Za-z][a-z'-]+)\b",
    re.IGNORECASE,
)
_STRONG_CUES = frozenset({"my name is", "my name's", "i'm called", "i am called", "call me"})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
TAG_RE = re.compile(r"\[(?:name|phone|email|address|id|number)\]")


@dataclass(frozen=True)
class Scrubbed:
    text: str
    found: tuple[str, ...]  # the kinds replaced, in order of finding ("phone", "name", ...)

    @property
    def changed(self) -> bool:
        return bool(self.found)


# Hearth's own identifiers are random, not personal, and logs need them: message and
# correlation ids (32 lower-case hex digits) and household/device ids such as "flat-3b9e2a".
OWN_ID_RE = re.compile(r"[0-9a-f]{32}|[a-z0-9]+(?:[-_][a-z0-9]+)+|\d{1,4}(?:am|pm)", re.IGNORECASE)


def _ours(token: str) -> bool:
    return bool(TAG_RE.fullmatch(token) or OWN_ID_RE.fullmatch(token))


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def scrub(text: str, names: Iterable[str] = ()) -> Scrubbed:
    """``text`` with personal data replaced by tags; ``names``: household members' names."""
    found: list[str] = []

    def tag(kind: str) -> str:
        found.append(kind)
        return f"[{kind}]"

    out = EMAIL_RE.sub(lambda m: tag("email"), text)
    out = ADDRESS_RE.sub(lambda m: tag("address"), out)
    out = UK_POSTCODE_RE.sub(lambda m: tag("address"), out)
    out = ID_CUE_RE.sub(lambda m: m.group("cue") + tag("id"), out)

    def phone(m: re.Match[str]) -> str:
        value = m.group(0)
        if _digits(value) < 7 or ISO_DATE_RE.match(value.strip()):
            return value
        return tag("phone")

    out = PHONE_RE.sub(phone, out)
    out = SPOKEN_DIGITS_RE.sub(lambda m: tag("number"), out)
    out = MIXED_ID_RE.sub(lambda m: m.group(0) if _ours(m.group(0)) else tag("id"), out)
    out = LONG_NUMBER_RE.sub(lambda m: tag("number"), out)
    out = _scrub_names(out, {n.lower() for n in names if n}, tag)
    return Scrubbed(out, tuple(found))


def _scrub_names(text: str, household: set[str], tag: Callable[[str], str]) -> str:
    flagged: set[tuple[int, int]] = set()
    for m in NAME_CUE_RE.finditer(text):
        word = m.group("name")
        lower = word.lower()
        if lower in _STOP_AFTER_CUE or TAG_RE.fullmatch(word):
            continue
        strong = m.group("cue").lower() in _STRONG_CUES
        if strong or (word[0].isupper() and m.start("name") > 0):
            flagged.add((m.start("name"), m.end("name")))
    pieces: list[str] = []
    last = 0
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        lower = word.lower().removesuffix("'s")
        is_name = (
            (m.start(), m.end()) in flagged
            or lower in household
            or lower in NAMES
            or (lower in AMBIGUOUS_NAMES and word[0].isupper() and _mid_sentence(text, m.start()))
        )
        if is_name and lower != "hearth":
            pieces.append(text[last:m.start()])
            pieces.append(tag("name") + ("'s" if word.lower().endswith("'s") else ""))
            last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".!?"


def is_clean(text: str) -> bool:
    """True when the scrubber finds nothing personal: safe to share beyond the household."""
    return not scrub(text).changed
