"""Turn boundaries and device arbitration: when a turn is over, and which device answers it.

Pure helpers for the turn-taking agent: does a transcript sound unfinished (hold, do not cut
the speaker off), are two transcripts the same utterance heard by two devices, which device
should answer, and where the speaker was looking while speaking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from policies.addressee_features import Gaze
from policies.wake_words import strip_wake_word

# Words a finished sentence rarely ends with: "set a timer for...", "remind me to".
_DANGLING = frozenset({
    "for", "to", "a", "an", "the", "and", "or", "but", "of", "with", "at", "in", "on", "my",
    "your", "our", "um", "uh", "erm", "er", "so", "because", "if", "that", "when", "by",
    "from", "into", "than", "some", "like", "about", "is", "are", "me", "set", "add",
})
GAZE_LEAD_S = 0.3  # a glance at the device this long before speaking still counts
GAZE_TOLERANCE_S = 0.05  # camera and microphone clocks are not perfectly aligned


def looks_incomplete(text: str) -> bool:
    """True when the words stop mid-thought: worth holding for the rest of the turn."""
    stripped = text.strip()
    if not stripped or stripped.endswith(("...", "…", "-", "—", ",")):
        return True
    woke, rest = strip_wake_word(stripped)
    if woke and not rest.strip(" ,.!?"):
        return True  # "Hey Hearth" and a pause: the request follows
    if stripped.endswith(("?", "!", ".")):
        return False
    words = re.findall(r"[a-z']+", stripped.lower())
    return bool(words) and words[-1] in _DANGLING


def join_fragments(parts: Iterable[str]) -> str:
    """ "set a timer for..." + "...five minutes" -> "set a timer for five minutes"."""
    cleaned = [p.strip().strip(".…").strip() for p in parts]
    return " ".join(p.rstrip(",-—").strip() for p in cleaned if p)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def same_utterance(a: str, b: str, min_ratio: float = 0.8) -> bool:
    """Two devices' transcripts of one utterance (ASR may differ in a word or two)."""
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return False
    return x == y or SequenceMatcher(None, x, y).ratio() >= min_ratio


@dataclass(frozen=True)
class Hearing:
    """One device's hearing of an utterance, as arbitration sees it."""

    device: str
    loudness: float
    direction_deg: float | None = None
    gazed: bool = False  # the speaker looked at this very device


def pick_device(hearings: Sequence[Hearing]) -> tuple[int, str]:
    """Which device answers: the one the speaker faces, else the loudest (index, reason)."""
    if not hearings:
        raise ValueError("no device heard anything")
    order = sorted(range(len(hearings)), key=lambda i: hearings[i].device)  # stable ties
    gazed = [i for i in order if hearings[i].gazed]
    if gazed:
        best = max(gazed, key=lambda i: hearings[i].loudness)
        return best, "the speaker looks at this device"
    aimed = [i for i in order if (hearings[i].direction_deg or 181.0) <= 45.0]
    if aimed:
        best = min(aimed, key=lambda i: hearings[i].direction_deg or 0.0)
        return best, "the voice is aimed at this device"
    return max(order, key=lambda i: hearings[i].loudness), "heard loudest here"


@dataclass(frozen=True)
class GazeObs:
    """What a camera saw of one person at ``ts``: seen or not, and what they looked at."""

    ts: float
    seen: bool
    device: str | None = None  # the device they looked at
    person: str | None = None  # the person they looked at


def gaze_during(history: Sequence[GazeObs], start: float, end: float,
                devices: frozenset[str]) -> tuple[Gaze | None, str | None]:
    """Where the speaker looked while speaking (or just before), and at which device.

    ``devices`` are the Hearth devices that count as "the device" (the one that heard and
    the others in its room). Returns (None, None) when no camera saw the speaker.
    """
    ordered = sorted(history, key=lambda o: o.ts)
    begin = start - GAZE_LEAD_S
    in_effect = [o for o in ordered if o.ts <= begin + GAZE_TOLERANCE_S][-1:]
    window = in_effect + [o for o in ordered
                          if begin + GAZE_TOLERANCE_S < o.ts <= end + GAZE_TOLERANCE_S]
    window = [o for o in window if o.seen]
    if not window:
        return None, None
    at_device = [o.device for o in window if o.device in devices]
    if at_device:
        return "device", at_device[-1]
    if window[-1].person is not None:
        return "person", None
    return "away", None
