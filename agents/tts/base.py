"""The ``Synthesizer`` interface: text in, 16 kHz audio out, one sentence at a time.

A backend yields each sentence's audio as soon as it is made, so the speech agent can start
streaming the first sentence while the next is still being synthesized. Backends: Piper (the
default, offline), espeak-ng (any language it knows), and room for Coqui TTS (see the README:
it does not import on this machine's CPU torch).
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterator

from bus.audio_format import Samples

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


class SynthesisError(RuntimeError):
    """A backend that is not installed, or a language it cannot speak."""


def split_sentences(text: str) -> list[str]:
    """Sentences (and ``;``-separated clauses) of ``text``, in order, without empties."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


class Synthesizer(abc.ABC):
    name: str = "synthesizer"

    @abc.abstractmethod
    def speaks(self, language: str) -> bool:
        """Whether this backend has a voice for ``language`` (e.g. "en", "de")."""

    @abc.abstractmethod
    def synthesize(self, sentence: str, language: str = "en") -> Samples:
        """One sentence -> float32 samples at 16 kHz (bus/audio_format.SAMPLE_RATE)."""

    def sentences(self, text: str, language: str = "en") -> Iterator[tuple[str, Samples]]:
        """Each sentence of ``text`` with its audio, made lazily one after the other."""
        for sentence in split_sentences(text):
            yield sentence, self.synthesize(sentence, language)
