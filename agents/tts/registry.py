"""Picking a backend: Piper where it has a voice for the language, espeak-ng otherwise."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agents.tts.base import SynthesisError, Synthesizer


def _piper(options: Mapping[str, Any]) -> Synthesizer:
    from agents.tts.piper import PiperSynthesizer

    return PiperSynthesizer(options.get("voice"), float(options.get("length_scale", 1.0)))


def _espeak(options: Mapping[str, Any]) -> Synthesizer:
    from agents.tts.espeak import EspeakSynthesizer

    return EspeakSynthesizer(str(options.get("variant", "")))


# Coqui TTS would register here; it does not import on this machine (see the README).
BACKENDS: dict[str, Callable[[Mapping[str, Any]], Synthesizer]] = {
    "piper": _piper,
    "espeak": _espeak,
}


def make_synthesizer(name: str, options: Mapping[str, Any] | None = None) -> Synthesizer:
    factory = BACKENDS.get(name)
    if factory is None:
        raise SynthesisError(f"unknown TTS backend {name!r} (known: {', '.join(BACKENDS)})")
    return factory(options or {})
