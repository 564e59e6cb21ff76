"""The ``Translator`` interface: text in one language -> text in another, offline.

Every backend declares the directed pairs it serves (ISO 639-1 codes, ``("en", "pt")``), so
``policies.translation_choice`` can pick the best one per pair and direction without loading
anything. Speech translation (Whisper) takes audio instead of text and says so with
``speech_only``.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from policies.translation_choice import BackendPairs, Pair


class TranslationError(RuntimeError):
    """A backend that is not installed, a pair it does not serve, or a failed run."""


class Translator(abc.ABC):
    name: str = "translator"
    speech_only: bool = False

    @property
    @abc.abstractmethod
    def pairs(self) -> frozenset[Pair]:
        """The directed pairs this backend translates."""

    @abc.abstractmethod
    def translate(self, text: str, source: str, target: str) -> str:
        """One text (one or a few sentences) from ``source`` into ``target``."""

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Several independent sentences (backends override this when batching is faster)."""
        return [self.translate(t, source, target) for t in texts]

    def describe(self) -> BackendPairs:
        return BackendPairs(self.name, self.pairs, self.speech_only)

    def check(self, source: str, target: str) -> None:
        if (source, target) not in self.pairs:
            raise TranslationError(f"{self.name} does not translate {source} -> {target}")
