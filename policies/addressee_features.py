"""The cues the addressee policy weighs, as numbers: what was said, seen, heard and asked.

Every cue belongs to one family (linguistic, dialogue, vision, acoustic) so a family can be
dropped for an ablation. A cue that could not be observed is 0, never a guess: a device without
a camera says nothing about gaze, which is different from "the speaker looked away".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from policies.wake_words import WAKE_WORDS, strip_wake_word

Family = Literal["linguistic", "dialogue", "vision", "acoustic"]
FAMILIES: tuple[Family, ...] = ("linguistic", "dialogue", "vision", "acoustic")
Gaze = Literal["device", "person", "away"]


@dataclass(frozen=True)
class Feature:
    name: str
    family: Family
    label: str  # the reason, as a person would say it
    low_label: str = ""  # the reason when the value is below zero (a graded cue)
    also_needs: Family | None = None  # a cue combining two families is dropped with either


FEATURES: tuple[Feature, ...] = (
    Feature("wake_word", "linguistic", "wake word"),
    Feature("assistant_mentioned", "linguistic", "talks about the assistant"),
    Feature("other_vocative", "linguistic", "speaks to someone by name"),
    Feature("room_question", "linguistic", "asks the people in the room"),
    Feature("skill_command", "linguistic", "a command for a skill"),
    Feature("skill_question", "linguistic", "a question for a skill"),
    Feature("skill_ref", "linguistic", "mentions a skill"),
    Feature("polite_request", "linguistic", "a request"),
    Feature("question", "linguistic", "a question"),
    Feature("chat", "linguistic", "conversational phrasing"),
    Feature("statement", "linguistic", "a statement, not a request or a question"),
    # A bare answer ("ten minutes", "yes") means something only when someone asked: it is
    # scored together with the dialogue state, never on its own.
    Feature("unasked_answer", "linguistic", "a short answer nobody asked the assistant for",
            also_needs="dialogue"),
    Feature("follow_up", "dialogue", "reply to the assistant's question"),
    # The words and the dialogue together: a bare answer means something only when asked.
    Feature("answers_question", "dialogue", "answers the assistant's question",
            also_needs="linguistic"),
    Feature("continues", "dialogue", "continues a dialogue with the assistant"),
    Feature("side_talk", "dialogue", "people are talking to each other"),
    Feature("gaze_device", "vision", "looking at the device"),
    Feature("gaze_person", "vision", "looking at another person"),
    Feature("gaze_away", "vision", "looking away from the device"),
    Feature("facing", "acoustic", "voice aimed at the device"),
    Feature("facing_away", "acoustic", "voice aimed away from the device"),
    Feature("loudness", "acoustic", "speaks up", "speaks softly"),
    Feature("faint", "acoustic", "faint, from afar"),
    Feature("unknown_voice", "acoustic", "a voice nobody in the home has"),
    Feature("directed_style", "acoustic", "device-directed speaking style",
            "conversational speaking style"),
)
NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}

# What a home assistant can do (today's skills and the ones people expect of one).
_SKILL = (
    r"timers?|alarms?|remind(?:er|ers)?|lights?|lamps?|weather|forecast|rain|temperature|"
    r"thermostat|heating|shopping list|grocery list|to-?do list|music|songs?|playlist|"
    r"radio|podcast|volume|news|what time is it|the time|(?:time|long) (?:is )?left|"
    r"left on the|recipe|"
    r"convert|spell|define|translate|call|unit"
)
_SKILL_RE = re.compile(rf"\b(?:{_SKILL})\b")
_COMMAND_VERB = (
    r"set|start|stop|cancel|pause|resume|turn|switch|dim|play|add|remind|wake|show|tell|"
    r"put|read|call|list|snooze|make|create|delete|remove|check|give"
)
# An imperative, possibly after "please", "now", "and" or "can/could/would you".
_COMMAND_RE = re.compile(
    rf"^(?:(?:and|now|so|please|just|also|then|okay|ok)[,\s]+)*"
    rf"(?:(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:{_COMMAND_VERB})\b"
    rf"|(?:i|we)\s*(?:need|want|would like|'d like)\s+(?:a|an|some|to)\b)"
)
_QUESTION_START_RE = re.compile(
    r"^(?:what|what's|whats|how|when|where|who|which|why|is|are|was|were|do|does|did|can|"
    r"could|would|will|should|have|has)\b"
)
_STATEMENT_START = frozenset({
    "i", "i'm", "i'll", "i've", "i'd", "you", "you're", "you've", "you'll", "he", "he's", "she",
    "she's", "it", "it's", "its", "we", "we're", "we've", "we'll", "they", "they're", "they've",
    "this", "that", "that's", "there", "there's", "these", "those", "the", "a", "an", "my",
    "your", "his", "her", "our", "their", "so", "and", "but", "or", "if", "when", "because",
    "until", "then", "yesterday", "today", "tomorrow", "tonight", "last", "maybe", "also",
    "still", "just", "not", "no", "yes", "yeah", "yep", "nope", "sure", "well", "oh", "ah",
    "okay", "ok", "right", "great", "cool", "thanks", "sorry", "actually", "honestly", "anyway",
    "let's", "lets", "dinner", "lunch", "breakfast", "everything", "nothing", "something",
    "someone", "everyone", "nobody", "mum", "mom", "dad", "grandma", "grandpa", "one", "two",
})
_ELLIPTIC_RE = re.compile(r"^(?:and )?(?:a |another |one more )?(?:timer|alarm|reminder) for\b")
_POLITE_RE = re.compile(r"\b(?:please|can you|could you|would you|will you)\b")
_CHAT_RE = re.compile(
    r"^(?:yeah|yes|yep|no|nope|nah|sure|well|oh|ah|haha|lol|hmm|right|great|cool|thanks|"
    r"thank you|sorry|morning|good morning|hi|hello|i|i'm|i'll|i've|i'd|we|we're|we'll|"
    r"let's|he|she|they|it's|that's|this is|you know|did you|have you|were you|you|your|"
    r"my|our|mum|mom|dad|honey|sweetie|guys|kids|come on|look|wow|ok so|okay so|and then|"
    r"yesterday|last)\b"
)
_ROOM_RE = re.compile(
    r"\b(?:anyone|anybody|everyone|everybody|you guys|you two|you all|y'all|who wants|"
    r"who's coming|who else|somebody|some of you|any of you)\b"
)
_NARRATIVE_RE = re.compile(r"\b(?:said|told|asked|was|were|had|did|yesterday|last night)\b")
_SHORT_ANSWER_RE = re.compile(
    r"^(?:yes|yeah|yep|no|nope|sure|okay|ok|please|thanks|thank you|that's right|"
    r"(?:(?:for|about|make it|maybe)\s+)?(?:a|an|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|half|\d+)"
    r"(?:[ -]\w+)?\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)?(?:\s+and\s+a\s+half)?)"
    r"[\s.!?]*$"
)
# Words that open a sentence with a capital and a comma but are not a person's name.
_NOT_NAMES = frozenset({
    "yes", "no", "okay", "ok", "well", "so", "oh", "hey", "please", "sure", "thanks", "right",
    "now", "look", "listen", "great", "also", "and", "but", "anyway", "actually", "honestly",
    "alright", "fine", "wait", "sorry", "hmm", "then", "first", "morning", "hi", "hello",
    "yeah", "nope", "cool", "wow", "ah", "um", "uh", "guess", "maybe", "seriously",
})
_KIN = frozenset({
    "mum", "mom", "dad", "honey", "sweetie", "darling", "love", "kids", "guys", "grandma",
    "grandpa", "granny", "buddy", "mate", "sis", "bro", "dear", "babe",
})
_ASSISTANT = tuple(w.split()[-1] for w in WAKE_WORDS)


@dataclass(frozen=True)
class Cues:
    """Everything known about one utterance on one device when it is judged (pure data)."""

    text: str
    speaker: str | None = None
    names: frozenset[str] = frozenset()  # household members' names, lowercase
    # dialogue state
    follow_up: bool = False  # the assistant awaits a reply on this device
    follow_up_speaker: str | None = None  # from whom (None: anyone)
    since_assistant_s: float | None = None  # since the assistant last answered this speaker
    side_talk: bool = False  # people were just talking to each other here
    # vision: None when no camera sees the speaker
    gaze: Gaze | None = None
    # acoustics
    loudness: float = 0.6
    direction_deg: float | None = None
    directed_style: float | None = None


CONTINUE_S = 20.0  # a request this soon after the assistant answered the same person


def _vocative_names(raw: str) -> list[str]:
    """Words in the vocative position: "Bob, ...", "..., Bob?", "hey Bob", "thanks Bob"."""
    found: list[str] = []
    head = re.match(r"^\s*(?:hey|hi|oi|okay|ok|so)?\s*([A-Za-z][\w'-]*)\s*[,!:]", raw)
    if head:
        found.append(head.group(1))
    tail = re.search(r",\s*([A-Za-z][\w'-]*)\s*[?.!]*\s*$", raw)
    if tail:
        found.append(tail.group(1))
    for match in re.finditer(r"\b(?:hey|thanks|thank you|sorry|right)\s+([A-Za-z][\w'-]*)", raw,
                             flags=re.IGNORECASE):
        found.append(match.group(1))
    return found


def _addresses_other(raw: str, names: frozenset[str]) -> bool:
    for word in _vocative_names(raw):
        low = word.lower()
        if low in _ASSISTANT or low in _NOT_NAMES:
            continue
        # An unknown word counts as a name only when it is written like one ("Bob"), not
        # when it is a mangled transcript ("A-heart", "HARF").
        if low in names or low in _KIN or re.fullmatch(r"[A-Z][a-z]+", word):
            return True
    return False


# The device spoken *about*: "does it do timers?", "that thing", "ask the speaker".
_ABOUT_DEVICE_RE = re.compile(
    r"\b(?:(?:that|this|the|your|her|his|their) (?:thing|speaker|device|assistant|gadget|"
    r"machine|screen)|one of those|does it|can it|will it|did it)\b"
)


def _mentions_assistant(rest: str) -> bool:
    """The assistant named or pointed at in the sentence, not called ("Hearth said...")."""
    if _ABOUT_DEVICE_RE.search(rest):
        return True
    return any(re.search(rf"\b{re.escape(name)}\b", rest) for name in _ASSISTANT)


def _is_statement(low: str, names: frozenset[str]) -> bool:
    """A sentence that opens with its subject or a linking word ("the timer went off", "I
    think...", "until then..."), not with a verb: an imperative ("book me a flight") opens
    with the verb, whatever the verb is."""
    if _ELLIPTIC_RE.match(low):  # "a timer for ten minutes": a request without its verb
        return False
    first = re.split(r"[\s,]+", low, maxsplit=1)[0]
    return first in _STATEMENT_START or first in names or first in _KIN


def linguistic(text: str, names: frozenset[str] = frozenset()) -> dict[str, float]:
    raw = " ".join(text.split())
    woke, rest = strip_wake_word(raw)
    low = rest.lower().strip(" ,.!?:;")
    tail_call = re.search(rf",\s*(?:{'|'.join(_ASSISTANT)})\s*[?.!]*\s*$", raw, re.IGNORECASE)
    if tail_call:
        woke = True
        low = low[: low.rfind(",")].strip(" ,.!?") if "," in low else low
    skill = bool(_SKILL_RE.search(low))
    question = raw.rstrip().endswith("?") or bool(_QUESTION_START_RE.match(low))
    command = bool(_COMMAND_RE.match(low))
    words = len(low.split())
    chat = bool(_CHAT_RE.match(low)) or (bool(_NARRATIVE_RE.search(low)) and not command)
    return {
        "wake_word": float(woke),
        "assistant_mentioned": float(not woke and _mentions_assistant(low)),
        "other_vocative": float(_addresses_other(raw, names)),
        "room_question": float(bool(_ROOM_RE.search(low))),
        "skill_command": float(command and skill),
        "skill_question": float(question and skill and not command),
        "skill_ref": float(skill),
        "polite_request": float(bool(_POLITE_RE.search(low))),
        "question": float(question),
        "chat": float(chat and not command),
        # People ask an assistant or tell it to do things; they make remarks to each other.
        "statement": float(words > 2 and not (question or command or _POLITE_RE.search(low))
                           and _is_statement(low, names)),
        "short_answer": float(words <= 4 and bool(_SHORT_ANSWER_RE.match(low))),
    }


def dialogue(cues: Cues) -> dict[str, float]:
    mine = cues.follow_up_speaker is None or cues.follow_up_speaker == cues.speaker
    recent = cues.since_assistant_s is not None and cues.since_assistant_s <= CONTINUE_S
    return {
        "follow_up": 1.0 if cues.follow_up and mine else 0.5 if cues.follow_up else 0.0,
        "continues": float(recent and not cues.follow_up),
        "side_talk": float(cues.side_talk),
    }


def vision(gaze: Gaze | None) -> dict[str, float]:
    return {
        "gaze_device": float(gaze == "device"),
        "gaze_person": float(gaze == "person"),
        "gaze_away": float(gaze == "away"),
    }


def acoustic(loudness: float, direction_deg: float | None,
             directed_style: float | None, voice_known: bool = True) -> dict[str, float]:
    return {
        "facing": float(direction_deg is not None and direction_deg <= 45.0),
        "facing_away": float(direction_deg is not None and direction_deg >= 100.0),
        # centred on a normal speaking level, so an unmeasured default adds nothing
        "loudness": round(max(-0.6, min(0.4, loudness - 0.6)) / 0.4, 4),
        "faint": float(loudness < 0.3),
        "directed_style": 0.0 if directed_style is None else round(2 * directed_style - 1, 4),
        # speaker recognition found no household member: a TV, a radio, a guest
        "unknown_voice": float(not voice_known),
    }


def extract(cues: Cues) -> dict[str, float]:
    """All cue values of one utterance, in ``NAMES`` order."""
    words = linguistic(cues.text, cues.names)
    talk = dialogue(cues)
    values = {
        **words,
        **talk,
        "answers_question": words["short_answer"] * talk["follow_up"],
        "unasked_answer": words["short_answer"] * (1.0 - talk["follow_up"]),
        **vision(cues.gaze),
        **acoustic(cues.loudness, cues.direction_deg, cues.directed_style,
                   cues.speaker is not None),
    }
    return {name: values[name] for name in NAMES}


def ablate(values: dict[str, float], families: frozenset[str]) -> dict[str, float]:
    """The cue values with whole families dropped (set to "not observed")."""
    def dropped(name: str) -> bool:
        feature = BY_NAME[name]
        return feature.family in families or feature.also_needs in families

    return {k: (0.0 if dropped(k) else v) for k, v in values.items()}
