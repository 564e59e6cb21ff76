"""Multilingual hearing: the base model tells a session's two languages apart on speech, and
Whisper's speech translation backend puts speech into English (real model, espeak-ng voices)."""

from __future__ import annotations

import shutil

import pytest

from agents.audio.asr import AsrConfig, WhisperAsr
from agents.translators import TranslationError
from agents.translators.whisper_translate import WhisperTranslate, model_installed
from devices import voices

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None or not model_installed(),
                                reason="needs espeak-ng and the multilingual Whisper model")


@pytest.fixture(scope="module")
def asr() -> WhisperAsr:
    return WhisperAsr.shared(AsrConfig(model="base", hotwords=""))


def test_session_languages_are_told_apart_on_speech(asr: WhisperAsr) -> None:
    pt = voices.speak("Bom dia, eu moro em São Paulo com a minha família.",
                      voices.in_language(voices.profile_for(1), "pt"))
    heard = asr.transcribe(pt, ("en", "pt"))
    assert heard.language == "pt"
    assert "família" in heard.text
    en = voices.speak("Welcome to our home. Would you like some coffee?", voices.profile_for(0))
    heard = asr.transcribe(en, ("en", "pt"))
    assert (heard.language, heard.text) == (
        "en", "Welcome to our home. Would you like some coffee?")


def test_whisper_translates_speech_into_english(asr: WhisperAsr) -> None:
    backend = WhisperTranslate()
    assert backend.speech_only and ("es", "en") in backend.pairs
    assert ("en", "es") not in backend.pairs  # into English only
    es = voices.speak("¿Dónde está la estación de tren?",
                      voices.in_language(voices.profile_for(0), "es"))
    assert "station" in backend.translate_speech(es, "es").lower()
    with pytest.raises(TranslationError, match="speech, not text"):
        backend.translate("hola", "es", "en")
