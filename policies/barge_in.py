"""Barge-in: should the assistant stop talking because someone speaks over it?

A person who talks over the assistant for longer than a backchannel lasts, or whose words are
an interruption ("stop", "wait", "Hearth, ..."), stops it. A short backchannel ("mhm", "ok",
"yeah") is a listener's signal that they are following, so the assistant goes on. The decision
is taken frame by frame while the overlapping speech goes on (duration only), again on each
partial transcript, and finally on the utterance's transcript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

BACKCHANNELS = frozenset({
    "mhm", "mm", "mmm", "hm", "hmm", "mm-hmm", "mhmm", "uh-huh", "uh huh", "aha", "ah",
    "ok", "okay", "k", "yeah", "yes", "yep", "yup", "right", "sure", "i see", "got it",
    "alright", "all right", "cool", "nice", "oh", "wow", "ok ok", "yeah yeah", "uh", "um",
})
# Words that mean "stop talking" even in a short burst.
INTERRUPTIONS = frozenset({
    "stop", "wait", "hold", "cancel", "no", "quiet", "enough", "pause", "shut", "hearth",
    "sorry", "actually", "hang",
})


class BargeIn(Enum):
    STOP = "stop"  # stop speaking now
    WAIT = "wait"  # not decided yet: keep speaking, keep listening
    IGNORE = "ignore"  # a backchannel or noise: keep speaking


@dataclass(frozen=True)
class BargeInConfig:
    # Longer than "yeah", "okay" or "mhm" said at an ordinary pace (0.3-0.6 s).
    min_speech_s: float = 0.75
    max_backchannel_words: int = 3


@dataclass(frozen=True)
class Verdict:
    action: BargeIn
    reason: str


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:[-'][a-z]+)*", text.lower())


def is_backchannel(text: str, cfg: BargeInConfig = BargeInConfig()) -> bool:
    words = _words(text)
    if not words or len(words) > cfg.max_backchannel_words:
        return not words  # nothing recognisable counts as a backchannel too
    phrase = " ".join(words)
    return phrase in BACKCHANNELS or all(w in BACKCHANNELS for w in words)


def interrupts(text: str) -> bool:
    return any(w in INTERRUPTIONS for w in _words(text))


def decide(speech_s: float, text: str | None = None, final: bool = False,
           cfg: BargeInConfig = BargeInConfig()) -> Verdict:
    """Judge speech that overlaps the assistant's voice.

    ``speech_s`` is how long the person has been talking over it, ``text`` what the ASR made
    of it so far (None before any transcript), ``final`` whether the utterance has ended.
    """
    if text is not None and interrupts(text):
        return Verdict(BargeIn.STOP, f"interruption: {text.strip()!r}")
    if speech_s >= cfg.min_speech_s:
        return Verdict(BargeIn.STOP, f"talked over the assistant for {speech_s:.2f} s")
    if final:
        if text is not None and not is_backchannel(text, cfg):
            return Verdict(BargeIn.STOP, f"words over the assistant: {text.strip()!r}")
        return Verdict(BargeIn.IGNORE, "backchannel" if text else "too short to be a turn")
    return Verdict(BargeIn.WAIT, "listening")
