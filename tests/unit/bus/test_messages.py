"""bus/messages: the envelope, derive(), and the validation at the edge."""

from __future__ import annotations

import re

import pytest
from conftest import T0, envelope
from pydantic import ValidationError

from bus.messages import (
    ALL_TYPES,
    DeviceTranscript,
    IntentRecognized,
    Ping,
    SkillCall,
    TurnDecision,
    Utterance,
    derive,
    new_id,
)
from bus.messages.base import SCHEMA_VERSION


def _transcript(**fields: object) -> DeviceTranscript:
    return DeviceTranscript(**{**envelope(), "device": "kitchen", "text": "hi", **fields})


def test_derive_keeps_household_and_interaction_and_names_the_cause() -> None:
    parent = _transcript(household="house-7", source="kitchen")
    child = derive(parent, Utterance, source="perception", ts=T0 + 1, device="kitchen",
                   text="hi", start_ts=T0, end_ts=T0 + 1)
    assert isinstance(child, Utterance)
    assert child.household == "house-7"
    assert child.correlation_id == parent.correlation_id
    assert child.causation_id == parent.id
    assert child.id not in (parent.id, parent.correlation_id)
    assert (child.source, child.ts) == ("perception", T0 + 1)


def test_derive_chains_keep_the_first_correlation_id() -> None:
    first = _transcript()
    second = derive(first, Utterance, source="p", ts=T0, device="kitchen", text="hi",
                    start_ts=T0, end_ts=T0)
    third = derive(second, IntentRecognized, source="u", ts=T0, device="kitchen", text="hi",
                   skill=None, intent=None, confidence=0.0)
    assert third.correlation_id == first.correlation_id
    assert third.causation_id == second.id
    assert second.causation_id == first.id


def test_derive_lets_explicit_fields_win() -> None:
    parent = _transcript()
    child = derive(parent, Ping, source="s", ts=T0, household="h2", correlation_id="c-9",
                   seq=1, sent=0.0)
    assert (child.household, child.correlation_id, child.causation_id) == ("h2", "c-9", parent.id)


def test_envelope_defaults() -> None:
    a = Ping(**envelope(), seq=1, sent=0.0)
    b = Ping(**envelope(), seq=1, sent=0.0)
    assert re.fullmatch(r"[0-9a-f]{32}", a.id)
    assert re.fullmatch(r"[0-9a-f]{32}", a.correlation_id)
    assert a.id != b.id
    assert a.correlation_id != b.correlation_id
    assert a.id != a.correlation_id
    assert a.causation_id is None
    assert a.v == SCHEMA_VERSION == 1
    assert a.type == "system.ping"
    assert new_id() != new_id()


@pytest.mark.parametrize("type_name", sorted(ALL_TYPES))
def test_type_literal_is_the_type_name(type_name: str) -> None:
    cls = ALL_TYPES[type_name]
    assert cls.type_name() == type_name
    assert cls.model_fields["type"].default == type_name


def test_the_abstract_turn_decision_has_no_type_name() -> None:
    with pytest.raises(TypeError, match="no literal type"):
        TurnDecision.type_name()


def test_a_message_cannot_claim_another_type() -> None:
    with pytest.raises(ValidationError, match="type"):
        Ping(**envelope(), type="system.pong", seq=1, sent=0.0)


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Ping(**envelope(), seq=1, sent=0.0, color="red")


@pytest.mark.parametrize("device", ["kitchen", "K-2", "living_room", "x" * 64, "0"])
def test_device_transcript_accepts_token_devices(device: str) -> None:
    msg = _transcript(device=device)
    assert msg.device == device
    assert msg.subject_key() == device


@pytest.mark.parametrize(
    "device", ["", "kitchen.main", "*", ">", "a b", "x" * 65, "küche", "a/b", "dev\r"]
)
def test_device_transcript_rejects_non_token_devices(device: str) -> None:
    with pytest.raises(ValidationError, match="device"):
        _transcript(device=device)


@pytest.mark.parametrize("field", ["device", "household"])
def test_a_token_with_a_trailing_newline_is_rejected(field: str) -> None:
    with pytest.raises(ValidationError):
        _transcript(**{field: "kitchen\n"})


def test_device_transcript_defaults_and_limits() -> None:
    msg = _transcript()
    assert (msg.loudness, msg.duration_s, msg.language, msg.speaker) == (0.6, 1.5, "en", None)
    assert _transcript(text="x" * 2000).text == "x" * 2000
    with pytest.raises(ValidationError, match="text"):
        _transcript(text="x" * 2001)
    with pytest.raises(ValidationError, match="loudness"):
        _transcript(loudness=1.5)
    with pytest.raises(ValidationError, match="duration_s"):
        _transcript(duration_s=-0.1)


@pytest.mark.parametrize("household", ["", "a.b", "h 1", "*"])
def test_every_message_validates_its_household(household: str) -> None:
    with pytest.raises(ValidationError, match="household"):
        Ping(**envelope(household=household), seq=1, sent=0.0)


@pytest.mark.parametrize("ts", [-0.001, 32503680000.0, 1e12])
def test_absurd_timestamps_are_refused(ts: float) -> None:
    with pytest.raises(ValidationError, match=r"outside 1970\.\.3000"):
        Ping(**envelope(ts=ts), seq=1, sent=0.0)


def test_timestamp_bounds_are_inclusive_at_zero() -> None:
    assert Ping(**envelope(ts=0.0), seq=1, sent=0.0).ts == 0.0
    assert Ping(**envelope(ts=32503679999.0), seq=1, sent=0.0).ts == 32503679999.0


def test_skill_name_is_a_token_and_the_subject_key() -> None:
    call = SkillCall(**envelope(), skill="timer", intent="timer.set", device="kitchen")
    assert call.subject_key() == "timer"
    assert SkillCall.REPLY is not None
    assert SkillCall.REPLY.type_name() == "skill.result"
    with pytest.raises(ValidationError, match="skill"):
        SkillCall(**envelope(), skill="timer.x", intent="timer.set", device="kitchen")


def test_a_plain_message_has_no_subject_key() -> None:
    assert Ping(**envelope(), seq=1, sent=0.0).subject_key() is None
