"""devices/voices.py: a person who speaks another language speaks it (espeak-ng voice)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from devices import voices


def test_english_keeps_its_voice_and_others_get_espeak() -> None:
    piper = voices.profile_for(0)
    assert voices.in_language(piper, "en") is piper
    pt = voices.in_language(piper, "pt")
    assert (pt.backend, pt.language, pt.rate) == ("espeak", "pt", 130)
    es = voices.in_language(voices.profile_for(3), "es")
    assert (es.variant, es.language) == ("f3", "es")  # an espeak person keeps their variant


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_portuguese_speech_is_synthesized() -> None:
    audio = voices.speak("Bom dia, tudo bem?", voices.in_language(voices.profile_for(1), "pt"))
    assert audio.dtype == np.float32 and audio.size > 16000 * 0.8  # about a second or more
    assert float(np.max(np.abs(audio))) == pytest.approx(1.0, abs=1e-3)
