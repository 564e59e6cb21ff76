"""``hearth watch`` lines: one per message, tagged by interaction, indented by cause."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Literal

import msgpack
from rich.text import Text

from bus.codec import encode
from bus.messages import (
    DeviceTranscript,
    Message,
    SkillCall,
    SkillResult,
    TurnAddressed,
    Utterance,
    derive,
)
from bus.subjects import subject_for
from hearth.watch import REPLY, WatchView, pattern

T0 = 1_795_000_000.0  # 2026-11-18 11:06:40 UTC


class AudioFrame(Message):
    """A high-rate frame type such as later audio agents will publish."""

    type: Literal["device.audio"] = "device.audio"
    device: str
    pcm: bytes


def flow() -> list[Message]:
    said = DeviceTranscript(household="h1", ts=T0, source="kitchen", device="kitchen",
                            text="hey hearth, set a timer", speaker="alice")
    heard = derive(said, Utterance, source="perception", ts=T0 + 0.001, device="kitchen",
                   speaker="alice", text=said.text, start_ts=T0 - 1, end_ts=T0)
    turn = derive(heard, TurnAddressed, source="turn_taking", ts=T0 + 0.002, device="kitchen",
                  speaker="alice", text="set a timer", utterance_id=heard.id, score=1.0,
                  reasons=["wake word"])
    return [said, heard, turn]


def text(lines: list[Text | str]) -> list[str]:
    return [line.plain if isinstance(line, Text) else line for line in lines]


def feed(view: WatchView, msg: Message) -> list[str]:
    return text(view.feed(subject_for(msg), encode(msg)))


def test_one_readable_line_per_message() -> None:
    view = WatchView(tz=UTC)
    said, _heard, turn = flow()
    [line] = feed(view, said)
    tag = said.correlation_id[:4]
    assert line.startswith(f"11:06:40.000 h1 {tag} kitchen")
    assert "device.transcript" in line
    assert line.endswith('alice @kitchen: "hey hearth, set a timer"')
    [line] = feed(view, turn)
    assert "turn_taking" in line and "turn.addressed" in line
    assert line.endswith("addressed 1.00 (wake word)")


def test_the_household_is_left_out_when_watching_one() -> None:
    said = flow()[0]
    [line] = feed(WatchView(tz=UTC, show_household=False), said)
    assert line.startswith(f"11:06:40.000 {said.correlation_id[:4]} kitchen")
    assert " h1 " not in line


def test_an_interaction_keeps_its_tag_and_colour_and_causes_indent() -> None:
    view = WatchView(tz=UTC)
    said, heard, turn = flow()
    lines = [view.feed(subject_for(m), encode(m))[0] for m in (said, heard, turn)]
    other = DeviceTranscript(household="h1", ts=T0, source="hall", device="hall", text="hi")
    [lone] = view.feed(subject_for(other), encode(other))
    tags = [view.tag(m.correlation_id) for m in (said, heard, turn, other)]
    assert tags[0] == tags[1] == tags[2]
    assert tags[3][0] == other.correlation_id[:4] and tags[3][1] != tags[0][1]
    plain = text([*lines, lone])
    tag = said.correlation_id[:4]
    assert plain[0].split(tag, 1)[1].startswith(" kitchen")
    assert plain[1].split(tag, 1)[1].startswith(" └ perception")
    assert plain[2].split(tag, 1)[1].startswith("   └ turn_taking")
    # The tag carries the interaction's colour.
    assert isinstance(lines[0], Text)
    assert any(tags[0][1] in str(span.style) for span in lines[0].spans)


def test_a_cause_never_seen_still_indents_once() -> None:
    view = WatchView(tz=UTC)
    turn = flow()[2]
    [line] = feed(view, turn)
    assert turn.correlation_id[:4] + " └ turn_taking" in line


def test_undecodable_payloads_are_shown_as_such() -> None:
    view = WatchView(tz=UTC, wall=lambda: T0)
    [line] = text(view.feed("hh.h1.device.kitchen.transcript", b"\xc1garbage"))
    assert line.startswith("11:06:40.000 !! undecodable on hh.h1.device.kitchen.transcript "
                           "(8 bytes): not msgpack")
    [line] = text(view.feed("hh.h1.x.y", msgpack.packb({"type": "nope.nope"})))
    assert "unknown message type 'nope.nope'" in line


def test_audio_frames_are_counted_not_printed() -> None:
    view = WatchView(tz=UTC, wall=lambda: T0)
    frame = AudioFrame(household="h1", ts=T0, source="kitchen", device="kitchen", pcm=b"\0" * 320)
    for _ in range(3):
        assert view.message("hh.h1.device.kitchen.audio", frame) == []
    said = flow()[0]
    lines = text(view.message(subject_for(said), said))
    assert lines[0] == "11:06:40.000 ♪ 3x device.audio on hh.h1.device.kitchen.audio"
    assert "device.transcript" in lines[1]
    assert view.flush() == []  # already summarised
    view.message("hh.h1.device.kitchen.audio", frame)
    assert text(view.flush()) == ["11:06:40.000 ♪ 1x device.audio on hh.h1.device.kitchen.audio"]


def test_json_lines_for_machines() -> None:
    view = WatchView(as_json=True)
    said = flow()[0]
    [line] = view.feed(subject_for(said), encode(said))
    assert isinstance(line, str)
    obj = json.loads(line)
    assert obj["subject"] == "hh.h1.device.kitchen.transcript"
    assert obj["message"]["text"] == "hey hearth, set a timer"
    assert obj["message"]["id"] == said.id
    [bad] = view.feed("hh.h1.x.y", b"\xc1")
    obj = json.loads(str(bad))
    assert (obj["subject"], obj["size"]) == ("hh.h1.x.y", 1)
    assert obj["error"].startswith("not msgpack")
    frame = AudioFrame(household="h1", ts=T0, source="kitchen", device="kitchen", pcm=b"\0" * 8)
    view.message("hh.h1.device.kitchen.audio", frame)
    view.message("hh.h1.device.kitchen.audio", frame)
    [summary] = view.flush()
    assert json.loads(str(summary)) == {"subject": "hh.h1.device.kitchen.audio",
                                        "frames": "device.audio", "count": 2}


def test_replies_on_inboxes_show_only_hearth_messages_of_the_household() -> None:
    view = WatchView(tz=UTC)
    call = SkillCall(household="h1", ts=T0, source="dialogue", skill="timer", intent="timer.set",
                     device="kitchen")
    result = derive(call, SkillResult, source="skill_timer", ts=T0, skill="timer",
                    intent="timer.set", ok=True, say="Timer set.")
    assert view.feed_reply("_INBOX.abc.1", b'{"type":"io.nats.jetstream.api"}', "h1") == []
    assert view.feed_reply("_INBOX.abc.2", encode(result), "h2") == []
    [line] = text(view.feed_reply("_INBOX.abc.3", encode(result), "h1"))
    assert "skill_timer" in line and "skill.result" in line
    assert line.endswith('timer ok: "Timer set."')
    [line] = WatchView(as_json=True).feed_reply("_INBOX.abc.3", encode(result), None)
    obj = json.loads(str(line))
    assert (obj["subject"], obj["message"]["type"]) == (REPLY, "skill.result")


def test_the_subscription_pattern() -> None:
    assert pattern("h1") == "hh.h1.>"
    assert pattern(None) == "hh.*.>"
