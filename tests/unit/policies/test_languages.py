"""policies/languages.py: names and codes, and telling two languages apart from words."""

from __future__ import annotations

import pytest

from policies.languages import (
    UnknownLanguage,
    code3_of,
    code_of,
    from_code3,
    identify,
    name_of,
    utterance_language,
)


@pytest.mark.parametrize(("said", "code"), [
    ("Spanish", "es"), ("español", "es"), ("spa", "es"), ("es", "es"), ("pt-BR", "pt"),
    ("Brazilian Portuguese", "pt"), ("português", "pt"), ("eng", "en"), ("pt_BR", "pt"),
    ("JAPANESE", "ja"), ("català", "ca"),
])
def test_names_and_codes(said: str, code: str) -> None:
    assert code_of(said) == code


def test_unknown_language_is_an_error_that_names_it() -> None:
    with pytest.raises(UnknownLanguage, match="klingon"):
        code_of("klingon")


def test_apertium_tokens_and_names() -> None:
    assert code3_of("es") == "spa"
    assert from_code3("eng_US") == "en" and from_code3("pt") == "pt"
    assert from_code3("xyz") is None
    assert name_of("pt") == "Portuguese" and name_of("zz") == "ZZ"


@pytest.mark.parametrize(("text", "candidates", "expected"), [
    ("Welcome to our home. Would you like some coffee?", ("en", "pt"), "en"),
    ("Sim, por favor. Onde fica o banheiro?", ("en", "pt"), "pt"),
    ("Hearth, adicione leite à lista de compras.", ("en", "pt"), "pt"),
    ("Hearth, pon un temporizador de cinco minutos", ("en", "es"), "es"),
    ("¿Dónde está la estación?", ("es", "en"), "es"),
    ("The bus leaves at 8:15.", ("en", "es"), "en"),
    ("Muito obrigado, a casa é muito bonita.", ("es", "pt"), "pt"),
    ("La casa es muy bonita y tengo dos hermanos.", ("pt", "es"), "es"),
])
def test_identify_between_two_languages(text: str, candidates: tuple[str, str],
                                        expected: str) -> None:
    assert identify(text, candidates) == expected


def test_no_evidence_falls_back_to_the_default_or_first() -> None:
    assert identify("OK 42", ("en", "pt")) == "en"
    assert identify("OK 42", ("en", "pt"), default="pt") == "pt"
    with pytest.raises(ValueError):
        identify("hello", ())


def test_whisper_language_wins_when_it_is_a_candidate() -> None:
    # audio mode: Whisper heard Portuguese even though the words look English-ish
    assert utterance_language("OK, Hearth", ("en", "pt"), "pt") == "pt"
    # a neighbour the session does not have: the words decide
    assert utterance_language("Onde fica o banheiro?", ("en", "pt"), "gl") == "pt"
    # text mode (no ASR language): the words decide
    assert utterance_language("Onde fica o banheiro?", ("en", "pt"), None) == "pt"
