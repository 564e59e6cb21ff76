"""espeak-ng (Debian package ``espeak-ng``): robotic but speaks about a hundred languages."""

from __future__ import annotations

import functools
import shutil
import subprocess

import numpy as np

from agents.tts.base import SynthesisError, Synthesizer
from bus.audio_format import Samples, resample

ESPEAK_RATE = 22050


@functools.cache
def installed_languages() -> frozenset[str]:
    exe = shutil.which("espeak-ng")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, "--voices"], capture_output=True, text=True, check=False).stdout
    langs = set()
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            langs.add(parts[1].lower())
            langs.add(parts[1].split("-")[0].lower())
    return frozenset(langs)


def wav_samples(data: bytes) -> np.ndarray:
    """PCM16 samples of a WAV written to a pipe (its header sizes are not filled in)."""
    at = data.find(b"data")
    if at < 0:
        raise SynthesisError("espeak-ng wrote no audio")
    body = data[at + 8:]
    body = body[: len(body) - len(body) % 2]
    return np.frombuffer(body, dtype="<i2").astype(np.float32) / 32768.0


class EspeakSynthesizer(Synthesizer):
    name = "espeak"

    def __init__(self, variant: str = "", words_per_minute: int = 165, pitch: int = 50,
                 volume: float = 0.8) -> None:
        self.exe = shutil.which("espeak-ng")
        if self.exe is None:
            raise SynthesisError("espeak-ng is not installed (apt-get install espeak-ng)")
        self.variant = variant  # e.g. "f3", "m3": voice variants for distinct speakers
        self.wpm = words_per_minute
        self.pitch = pitch
        self.volume = volume

    def speaks(self, language: str) -> bool:
        return language.lower() in installed_languages()

    def synthesize(self, sentence: str, language: str = "en") -> Samples:
        if not self.speaks(language):
            raise SynthesisError(f"espeak-ng has no voice for {language!r}")
        voice = language + (f"+{self.variant}" if self.variant else "")
        assert self.exe is not None
        done = subprocess.run(
            [self.exe, "-v", voice, "-s", str(self.wpm), "-p", str(self.pitch), "--stdout",
             sentence],
            capture_output=True, check=False, timeout=30)
        if done.returncode != 0:
            raise SynthesisError(done.stderr.decode(errors="replace").strip()[:200])
        audio = wav_samples(done.stdout)
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        if peak > 0:
            audio = audio * (self.volume / peak)
        return resample(audio, ESPEAK_RATE)
