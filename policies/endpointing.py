"""Endpointing: where an utterance starts and ends in a stream of voice-activity scores.

A frame counts as speech once its probability is above ``start_threshold`` for a few frames
in a row, and speech goes on until it falls below ``end_threshold`` (hysteresis keeps a
soft syllable from ending the utterance). The utterance ends after a stretch of silence whose
length depends on what has been said: a command that sounds complete ends after a short
pause, while "Hey Hearth," or "set a timer for" waits longer for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A trailing word after which the sentence clearly goes on.
_HANGING = re.compile(
    r"\b(and|or|but|for|to|the|a|an|of|in|on|at|with|my|your|set|is|um|uh|like|so)\W*$",
    re.IGNORECASE,
)
_NAME_ONLY = re.compile(r"^\W*((hey|hi|ok|okay|hello|a)\W+)?\w*\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class EndpointConfig:
    start_threshold: float = 0.5
    end_threshold: float = 0.35
    start_frames: int = 2  # consecutive speech frames that open an utterance
    silence_s: float = 0.3  # pause that ends a complete-sounding utterance
    hold_silence_s: float = 0.8  # pause that ends an utterance that sounds unfinished
    # Start transcribing this far into a pause: earlier is faster, but Whisper mishears the
    # last word more often when the audio stops right after it.
    speculate_after_s: float = 0.1
    max_utterance_s: float = 15.0  # cut (and transcribe) an utterance that goes on and on
    min_speech_s: float = 0.12  # shorter bursts are clicks, not speech
    pre_roll_s: float = 0.2  # audio kept before the onset, so the first phoneme is whole
    partial_every_s: float = 1.0  # partial transcripts while speech goes on


def sounds_unfinished(text: str | None) -> bool:
    """True when the words so far leave the sentence open (or nothing was recognised)."""
    if text is None:
        return True
    stripped = text.strip()
    if not stripped:
        return True
    if stripped.endswith((",", "-", "...")):
        return True
    # Only a name or a greeting plus a name: "Hey Hearth."
    if _NAME_ONLY.match(stripped):
        return True
    return bool(_HANGING.search(stripped))


def silence_needed(text: str | None, cfg: EndpointConfig = EndpointConfig()) -> float:
    """How long a pause must last to end the utterance, given its words so far."""
    return cfg.hold_silence_s if sounds_unfinished(text) else cfg.silence_s


@dataclass
class Hysteresis:
    """Frame-by-frame speech/non-speech with hysteresis (the state of one stream)."""

    cfg: EndpointConfig
    in_speech: bool = False
    run: int = 0  # consecutive frames above start_threshold while not in speech

    def step(self, prob: float) -> bool:
        """Feed one frame's speech probability; True when the frame is speech."""
        if self.in_speech:
            if prob < self.cfg.end_threshold:
                self.in_speech = False
                self.run = 0
            return self.in_speech
        self.run = self.run + 1 if prob >= self.cfg.start_threshold else 0
        if self.run >= self.cfg.start_frames:
            self.in_speech = True
        return self.in_speech
