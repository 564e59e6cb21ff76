"""Slot extraction: numbers, durations, clock times, dates, rooms, devices, languages, a skill's
own entity types, and free text placed by the skill's sample templates.

Every finder returns spans, so one phrase fills one slot ("five minutes" is a duration, not
also the number five) and dialogue can tell an answer ("ten minutes") from a new request
("cancel the ten minute timer") by how much of the utterance the slots cover.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bus.messages import SlotValue
from policies.durations import NUMBER_WORDS, parse_duration, parse_number
from policies.skill_spec import PLACEHOLDER_RE, Arg, EntityType

ROOMS: dict[str, list[str]] = {
    "kitchen": [], "living room": ["lounge", "sitting room", "living-room"],
    "bedroom": ["master bedroom", "bed room"], "kids room": ["kids' room", "children's room"],
    "bathroom": ["bath room", "toilet"], "hallway": ["hall", "corridor", "entrance"],
    "office": ["study"], "dining room": [], "garage": [], "garden": ["backyard", "yard"],
    "basement": ["cellar"], "attic": [], "nursery": [], "guest room": [], "porch": [],
}
DEVICES: dict[str, list[str]] = {
    "lights": ["light", "lamp", "lamps", "ceiling light"], "plug": ["socket", "outlet"],
    "thermostat": ["heating", "temperature"], "lock": ["door lock"],
    "tv": ["television", "telly"], "fan": [], "heater": [], "blinds": ["shades"],
    "kettle": [], "coffee machine": ["coffee maker"],
}
LANGUAGES: dict[str, list[str]] = {
    "english": [], "spanish": ["castilian"], "french": [], "german": [], "italian": [],
    "portuguese": [], "dutch": [], "chinese": ["mandarin"], "japanese": [], "korean": [],
    "russian": [], "arabic": [], "hindi": [], "polish": [], "swedish": [], "turkish": [],
    "greek": [], "catalan": [],
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words that carry no content: ignored when measuring how much of an utterance slots cover.
FILLER = frozenset([
    "a", "an", "the", "and", "or", "but", "to", "for", "of", "in", "on", "at", "my", "me",
    "i", "it", "its", "it's", "is", "are", "be", "please", "just", "now", "hey", "hearth",
    "ok", "okay", "no", "yes", "yeah", "so", "then", "um", "uh", "well", "make", "change",
    "set", "instead", "actually", "that", "this", "one", "what", "about", "how",
])
_NUMBER_WORDS = {w: n for w, n in NUMBER_WORDS.items() if w not in
                 ("a", "an", "a couple of", "couple of", "a few")}
_NUM_WORD_RE = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"(?<![\w.])(?:-?\d+(?:\.\d+)?|(?:{_NUM_WORD_RE})(?:[ -](?:{_NUM_WORD_RE}))?)(?![\w])")
_TIME_RE = re.compile(
    rf"\b(?:at )?(?:(?P<noon>noon|midday|midnight)"
    rf"|(?P<half>half past|quarter past|quarter to) (?P<hh>\d{{1,2}}|{_NUM_WORD_RE})"
    rf"(?: ?(?P<ap2>am|pm|a\.m\.|p\.m\.))?"
    rf"|(?P<h>\d{{1,2}})(?::(?P<m>\d{{2}}))? ?(?P<ap>am|pm|a\.m\.|p\.m\.|o'clock)"
    rf"|(?P<h24>\d{{1,2}}):(?P<m24>\d{{2}})"
    rf"|(?P<hw>{_NUM_WORD_RE})(?: (?P<mw>fifteen|thirty|forty five|forty-five|o five))?"
    rf" ?(?P<apw>am|pm|a\.m\.|p\.m\.|o'clock)"
    rf"|at (?P<at>\d{{1,2}}|{_NUM_WORD_RE})(?![\w:]))"
    rf"(?: in the (?P<part>morning|afternoon|evening)| tonight)?"
)


@dataclass(frozen=True)
class Found:
    value: SlotValue
    start: int
    end: int


# -- finders by type ----------------------------------------------------------------------
def find_listed(text: str, values: Mapping[str, Sequence[str]]) -> list[Found]:
    """Listed values and their synonyms, longest phrase first, on word boundaries."""
    lowered = text.lower()
    phrases = sorted(((p.lower(), canon) for canon, syns in values.items()
                      for p in (canon, *syns)), key=lambda x: len(x[0]), reverse=True)
    out: list[Found] = []
    for phrase, canon in phrases:
        for match in re.finditer(rf"(?<![\w]){re.escape(phrase)}(?![\w])", lowered):
            if not any(f.start < match.end() and match.start() < f.end for f in out):
                out.append(Found(canon, match.start(), match.end()))
    return sorted(out, key=lambda f: f.start)


def find_patterns(text: str, patterns: Sequence[str]) -> list[Found]:
    out: list[Found] = []
    for pattern in patterns:
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            group = "value" if "value" in match.re.groupindex else 0
            out.append(Found(match.group(group), match.start(group), match.end(group)))
    return sorted(out, key=lambda f: f.start)


def find_numbers(text: str) -> list[Found]:
    out = []
    for match in _NUMBER_RE.finditer(text.lower()):
        number = parse_number(match.group(0))
        if number is not None:
            value: SlotValue = int(number) if number == int(number) else number
            out.append(Found(value, match.start(), match.end()))
    return out


_ALL_NUM_RE = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_DURATION_PART_RE = re.compile(
    rf"\b(?:(?:\d+(?:\.\d+)?|(?:{_ALL_NUM_RE})(?:[ -](?:{_ALL_NUM_RE}))?)\s+"
    r"|half\s+an?\s+)(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b(?:\s+and\s+a\s+half)?")
_JOIN_RE = re.compile(r"^(?:\s*,?\s*(?:and\s+)?)$")


def find_durations(text: str) -> list[Found]:
    """One duration per run of parts ("an hour and ten minutes"), valued by parse_duration."""
    lowered = text.lower()
    runs: list[tuple[int, int]] = []
    for m in _DURATION_PART_RE.finditer(lowered):
        if runs and _JOIN_RE.match(lowered[runs[-1][1]:m.start()]):
            runs[-1] = (runs[-1][0], m.end())
        else:
            runs.append((m.start(), m.end()))
    out = []
    for start, end in runs:
        seconds = parse_duration(text[start:end])
        if seconds is not None:
            out.append(Found(seconds, start, end))
    return out


def _hour(token: str) -> int | None:
    number = parse_number(token)
    return None if number is None or number != int(number) else int(number)


def find_times(text: str) -> list[Found]:
    """Clock times as "HH:MM": "7 am", "7:30pm", "half past six", "noon", "at 6 in the evening"."""
    out = []
    for m in _TIME_RE.finditer(text.lower()):
        g = m.groupdict()
        minute = 0
        if g["noon"]:
            hour = 0 if g["noon"] == "midnight" else 12
            ampm = None
        elif g["half"]:
            hour = _hour(g["hh"]) or 0
            minute = {"half past": 30, "quarter past": 15, "quarter to": -15}[g["half"]]
            ampm = g["ap2"]
        elif g["h"]:
            hour, minute, ampm = int(g["h"]), int(g["m"] or 0), g["ap"]
        elif g["h24"]:
            hour, minute, ampm = int(g["h24"]), int(g["m24"]), None
        elif g["hw"]:
            hour = _hour(g["hw"]) or 0
            minute = int(parse_number(g["mw"].replace("o ", "")) or 0) if g["mw"] else 0
            ampm = g["apw"]
        else:
            hour = _hour(g["at"] or "") or 0
            ampm = None
        ampm = (ampm or "").replace(".", "")
        part = g["part"] or ("evening" if m.group(0).endswith("tonight") else None)
        if ampm == "pm" or (part in ("afternoon", "evening") and not ampm):
            hour = hour % 12 + 12
        elif ampm == "am":
            hour = hour % 12
        total = (hour * 60 + minute) % (24 * 60)
        if hour > 24 or minute >= 60:
            continue
        out.append(Found(f"{total // 60:02d}:{total % 60:02d}", m.start(), m.end()))
    return out


def find_dates(text: str, today: date | None) -> list[Found]:
    """Dates as ISO strings relative to ``today``; without it nothing can be placed."""
    if today is None:
        return []
    lowered = text.lower()
    out = []
    rules: list[tuple[str, date]] = [
        (r"\bday after tomorrow\b", today + timedelta(days=2)),
        (r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", today),
        (r"\btomorrow(?: (?:morning|afternoon|evening|night))?\b", today + timedelta(days=1)),
    ]
    for i, day in enumerate(WEEKDAYS):
        ahead = (i - today.weekday()) % 7 or 7
        rules.append((rf"\b(?:on |next |this )?{day}\b", today + timedelta(days=ahead)))
    taken: list[tuple[int, int]] = []
    for pattern, when in rules:
        for m in re.finditer(pattern, lowered):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                out.append(Found(when.isoformat(), m.start(), m.end()))
    for m in re.finditer(rf"\bin (\d+|{_NUM_WORD_RE}) days?\b", lowered):
        n = parse_number(m.group(1))
        if n is not None:
            out.append(Found((today + timedelta(days=int(n))).isoformat(), m.start(), m.end()))
    return sorted(out, key=lambda f: f.start)


_DATE_RE = (rf"(?:day after tomorrow|today|tonight|this (?:morning|afternoon|evening)|"
            rf"tomorrow(?: (?:morning|afternoon|evening|night))?|"
            rf"(?:on |next |this )?(?:{'|'.join(WEEKDAYS)})|in (?:\d+|{_NUM_WORD_RE}) days?)")
_UNNAMED = re.compile(r"\?P<\w+>")


def _alternation(values: Mapping[str, Sequence[str]]) -> str:
    phrases = sorted({p.lower() for c, syns in values.items() for p in (c, *syns)},
                     key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p) for p in phrases) + ")"


def type_regex(type_name: str, entities: Mapping[str, EntityType]) -> str:
    """A regex (no groups of its own) for the phrases ``find_type`` reads as ``type_name``,
    so a template can place each argument by its type ("{what} {date} at {time}")."""
    if type_name in entities:
        entity = entities[type_name]
        parts = [_alternation(entity.values)] if entity.values else []
        parts += [f"(?:{_UNNAMED.sub('', p)})" for p in entity.patterns]
        return "(?:" + "|".join(parts) + ")"
    part = _DURATION_PART_RE.pattern
    fixed = {
        "number": _NUMBER_RE.pattern,
        "duration": rf"(?:{part})(?:\s*,?\s*(?:and\s+)?(?:{part}))*",
        "time": _UNNAMED.sub("", _TIME_RE.pattern),
        "date": _DATE_RE,
        "room": _alternation(ROOMS),
        "device": _alternation(DEVICES),
        "language": _alternation(LANGUAGES),
    }
    return fixed.get(type_name, ".+?")


def find_type(text: str, type_name: str, entities: Mapping[str, EntityType],
              today: date | None = None) -> list[Found]:
    """Every phrase of ``text`` that reads as a value of ``type_name``."""
    if type_name in entities:
        entity = entities[type_name]
        found = find_listed(text, entity.values) + find_patterns(text, entity.patterns)
        return sorted(found, key=lambda f: f.start)
    finders = {
        "number": lambda: find_numbers(text),
        "duration": lambda: find_durations(text),
        "time": lambda: find_times(text),
        "date": lambda: find_dates(text, today),
        "room": lambda: find_listed(text, ROOMS),
        "device": lambda: find_listed(text, DEVICES),
        "language": lambda: find_listed(text, LANGUAGES),
    }
    return finders[type_name]() if type_name in finders else []


# Types that contain others are looked for first ("five minutes" before "five").
_PRIORITY = ("entity", "duration", "time", "date", "room", "device", "language", "number")


def _rank(arg: Arg, entities: Mapping[str, EntityType]) -> int:
    kind = "entity" if arg.type in entities else arg.type
    return _PRIORITY.index(kind) if kind in _PRIORITY else len(_PRIORITY)


def _overlaps(found: Found, taken: Iterable[Found]) -> bool:
    return any(found.start < t.end and t.start < found.end for t in taken)


def extract(text: str, args: Mapping[str, Arg], entities: Mapping[str, EntityType],
            templates: Sequence[str] = (), today: date | None = None) -> dict[str, Found]:
    """The arguments ``text`` fills.

    A sample template that matches places its arguments (so "how many {target} in a
    {source}" tells the two units apart); the rest are found by type, two arguments of one
    type taking its phrases in order. Free text is taken only where a template puts it, or,
    for a required argument, as the longest run of words the samples never use.
    """
    out = _by_template(text, args, entities, templates, today)
    typed = sorted((n for n, a in args.items() if a.type != "text" and n not in out),
                   key=lambda n: _rank(args[n], entities))
    by_type: dict[str, list[Found]] = {}
    for name in typed:
        type_name = args[name].type
        if type_name not in by_type:
            by_type[type_name] = find_type(text, type_name, entities, today)
        for found in by_type[type_name]:
            if not _overlaps(found, out.values()):
                out[name] = found
                break
    required_free = [n for n, a in args.items()
                     if a.type == "text" and a.required and n not in out]
    if required_free:
        vocabulary = {w for t in templates for w in _words(PLACEHOLDER_RE.sub(" ", t))}
        rest = _rest(text, vocabulary, list(out.values()))
        if rest is not None:
            out[required_free[0]] = rest
    return out


def _by_template(text: str, args: Mapping[str, Arg], entities: Mapping[str, EntityType],
                 templates: Sequence[str], today: date | None) -> dict[str, Found]:
    best: dict[str, Found] = {}
    for template in templates:
        names = PLACEHOLDER_RE.findall(template)
        if not names or any(n not in args for n in names) or len(set(names)) != len(names):
            continue
        match = _template_regex(template, args, entities).search(text.lower())
        if match is None:
            continue
        got: dict[str, Found] = {}
        for name in names:
            start, end = match.start(name), match.end(name)
            if args[name].type == "text":
                found = _trim(text, start, end, [])
            else:
                inside = find_type(text[start:end], args[name].type, entities, today)
                found = (Found(inside[0].value, inside[0].start + start, inside[0].end + start)
                         if inside else None)
            if found is None:
                break
            got[name] = found
        else:
            if len(got) > len(best):
                best = got
    return best


def _template_regex(template: str, args: Mapping[str, Arg],
                    entities: Mapping[str, EntityType]) -> re.Pattern[str]:
    parts = []
    last = 0
    for m in PLACEHOLDER_RE.finditer(template):
        parts.append(_literal(template[last:m.start()]))
        name = m.group(1)
        parts.append(f"(?P<{name}>{type_regex(args[name].type, entities)})")
        last = m.end()
    parts.append(_literal(template[last:]))
    return re.compile(r"(?:^|\b)" + "".join(parts) + r"\s*[.!?]*$", re.IGNORECASE)


def _literal(chunk: str) -> str:
    words = _words(chunk)
    if not words:
        return r"\s*"
    # Whole words only: "at" in a template must not match inside "water".
    body = r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b"
    lead = r"\W*" if chunk[:1].isspace() else ""
    trail = r"\W*" if chunk[-1:].isspace() else ""
    return lead + body + trail


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _trim(text: str, start: int, end: int, taken: list[Found]) -> Found | None:
    """Cut other slots' phrases and edge filler off a free-text span."""
    for t in taken:
        if t.start <= start < t.end:
            start = t.end
        if t.start < end <= t.end or (start < t.start < end and t.end >= end - 1):
            end = min(end, t.start)
    tokens = [(m.start() + start, m.end() + start)
              for m in re.finditer(r"[\w']+", text[start:end])]
    edge = FILLER | {"at", "by", "on", "in", "for", "from", "with", "until"}
    while tokens and text[tokens[0][0]:tokens[0][1]].lower() in edge:
        tokens.pop(0)
    while tokens and text[tokens[-1][0]:tokens[-1][1]].lower() in edge:
        tokens.pop()
    if not tokens:
        return None
    return Found(text[tokens[0][0]:tokens[-1][1]], tokens[0][0], tokens[-1][1])


def _rest(text: str, known: set[str], taken: list[Found]) -> Found | None:
    """The longest run of words the samples never use and no other slot took; filler words
    may sit inside a run ("water the plants") but not at its ends."""
    best: tuple[int, int] | None = None
    run: list[tuple[int, int, bool]] = []  # (start, end, is filler)

    def close() -> None:
        nonlocal best
        while run and run[-1][2]:
            run.pop()
        if run and (best is None or run[-1][1] - run[0][0] > best[1] - best[0]):
            best = (run[0][0], run[-1][1])
        run.clear()

    for m in re.finditer(r"[\w']+", text):
        word = m.group(0).lower()
        if any(t.start <= m.start() < t.end for t in taken) or (
                word in known and word not in FILLER):
            close()
        elif word in FILLER:
            if run:
                run.append((m.start(), m.end(), True))
        else:
            run.append((m.start(), m.end(), False))
    close()
    return None if best is None else Found(text[best[0]:best[1]], best[0], best[1])


def coverage(text: str, found: Iterable[Found]) -> float:
    """The share of content words of ``text`` that lie inside the found slot phrases."""
    spans = list(found)
    content = [m for m in re.finditer(r"[\w']+", text) if m.group(0).lower() not in FILLER]
    if not content:
        return 1.0 if spans else 0.0
    inside = sum(1 for m in content if any(f.start <= m.start() < f.end for f in spans))
    return inside / len(content)
