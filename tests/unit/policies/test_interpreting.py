"""policies/interpreting.py: session rules and entity placeholders."""

from __future__ import annotations

import pytest

from policies.interpreting import (
    Session,
    interprets,
    is_control,
    kept,
    protect,
    restore,
    session_from,
)


@pytest.mark.parametrize("text", [
    "Hey Hearth, stop interpreting", "stop translating please", "end the interpreter session",
    "Hearth, are you still translating?", "which languages are you interpreting",
    "pare de traduzir", "deja de traducir", "A-HARTH. Stop interpreting.",
])
def test_control_phrases(text: str) -> None:
    assert is_control(text)


@pytest.mark.parametrize("text", [
    "Where is the bathroom?", "Sim, por favor.", "I love translating poems",
    "Can you stop by tomorrow?",
])
def test_ordinary_words_are_interpreted(text: str) -> None:
    assert not is_control(text)


def test_session_from_kv_and_other_language() -> None:
    raw = {"source": "english", "target": "portuguese", "device": "kitchen", "since": 5.0}
    session = session_from(raw)
    assert session == Session("en", "pt", "kitchen", 5.0, "")
    assert session.other("en") == "pt" and session.other("pt") == "en"
    assert session_from({"source_code": "en", "target_code": "es", "device": "d"}) == Session(
        "en", "es", "d")
    assert session_from({"source": "english", "target": "klingon"}) is None
    assert session_from({"source": "english", "target": "english"}) is None
    assert session_from(None) is None
    assert interprets(session, "kitchen", "Olá")
    assert not interprets(session, "hall", "Olá")  # another device has no session
    assert not interprets(session, "kitchen", "stop interpreting")


def test_entities_go_through_placeholders() -> None:
    masked = protect("Remind John to call Maria at 7:30 about 3 apples.")
    assert masked.entities == ("John", "Maria", "7:30", "3")
    assert masked.text == "Remind Q1 to call Q2 at Q3 about Q4 apples."
    assert restore("Lembre Q1 de ligar para Q2 às Q3 sobre Q4 maçãs.", masked) == (
        "Lembre John de ligar para Maria às 7:30 sobre 3 maçãs.")
    assert restore("Lembre de ligar.", masked) is None  # a placeholder got lost
    assert kept("Lembre John de ligar para Maria às 7:30 sobre 3 maçãs.", masked)
    assert not kept("Lembre João de ligar para Maria às 7:30 sobre 3 maçãs.", masked)


def test_sentence_start_and_pronoun_are_not_names() -> None:
    masked = protect("Hello, I think Hearth is here.")
    assert masked.entities == ()
    ten = protect("Q" + "".join(f" {n}" for n in range(1, 12)))
    assert restore(ten.text, ten) == ten_text(ten.entities)


def ten_text(entities: tuple[str, ...]) -> str:
    return "Q" + "".join(f" {e}" for e in entities)
