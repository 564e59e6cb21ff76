"""What the scribe records of a message with words, and scrubbed log lines."""

from __future__ import annotations

import logging

import pytest
from conftest import envelope

from agents.log_privacy import install_log_scrubber
from agents.privacy import scrubbed_payload
from bus.jetstream import private_types
from bus.messages import IntentRecognized, Rejected, Utterance


def test_text_fields_and_slots_are_scrubbed_ids_kept() -> None:
    msg = IntentRecognized(**envelope(), device="kitchen", speaker="zorblax",
                           text="tell zorblax to call 555 123 4567", skill="reminders",
                           intent="reminders.add", slots={"what": "call Priya"},
                           confidence=0.9)
    payload, found = scrubbed_payload(msg)
    assert payload["text"] == "tell [name] to call [phone]"  # the speaker's id is a name
    assert payload["slots"] == {"what": "call [name]"}
    assert (payload["intent"], payload["device"], payload["id"]) == (
        "reminders.add", "kitchen", msg.id)
    assert sorted(set(found)) == ["name", "phone"]


def test_bytes_are_kept_as_a_length_and_prosody_is_dropped() -> None:
    rejected = Rejected(**envelope(), subject="hh.h1.x.y", reason="bad call Priya",
                        head=b"\x00secret", receiver="rx")
    payload, _ = scrubbed_payload(rejected)
    assert payload["head"] == "<7 bytes>"
    assert payload["reason"] == "bad call [name]"
    utterance = Utterance(**envelope(), device="kitchen", text="hi", start_ts=0.0, end_ts=1.0)
    assert scrubbed_payload(utterance)[0]["prosody"] is None


def test_every_type_with_words_is_covered() -> None:
    private = set(private_types())
    assert {"device.transcript", "perception.utterance", "turn.addressed", "intent.recognized",
            "skill.call", "response.say", "device.say"} <= private
    assert "privacy.record" not in private and "dialogue.state" not in private


def test_log_lines_are_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    install_log_scrubber()
    with caplog.at_level(logging.WARNING):
        logging.getLogger("hearth.test").warning("could not call %s on %s", "Priya",
                                                 "555 123 4567")
    assert caplog.records[-1].getMessage() == "could not call [name] on [phone]"
