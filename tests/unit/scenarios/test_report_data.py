"""The report's data: lanes, marks, causes and checks from hand-made messages, on no bus."""

from __future__ import annotations

import json
import re
from typing import Literal

from bus.messages import (
    DeviceSay,
    DeviceTranscript,
    IntentRecognized,
    Message,
    Rejected,
    SkillCall,
    SkillResult,
    TurnAddressed,
    TurnIgnored,
    Utterance,
    derive,
)
from scenarios.recorder import Seen
from scenarios.report import build_section, kind_of, render_html
from scenarios.results import Decision, ExpectationResult, ScenarioResult

T0 = 1_795_000_000.0
H = "h1"


class Suggestion(Message):
    """A message type the report has never heard of (a later agent's)."""

    type: Literal["goal.suggestion"] = "goal.suggestion"
    suggestion: str


def conversation() -> tuple[list[Seen], ScenarioResult]:
    said = DeviceTranscript(household=H, ts=T0, source="kitchen", device="kitchen",
                            text="hey hearth, set a timer for 2 minutes", speaker="alice")
    heard = derive(said, Utterance, source="perception", ts=T0 + 0.001, device="kitchen",
                   speaker="alice", text=said.text, start_ts=T0 - 1, end_ts=T0)
    turn = derive(heard, TurnAddressed, source="turn_taking", ts=T0 + 0.002, device="kitchen",
                  speaker="alice", text="set a timer for 2 minutes", utterance_id=heard.id,
                  score=1.0, reasons=["wake word"])
    intent = derive(turn, IntentRecognized, source="understanding", ts=T0 + 0.003,
                    device="kitchen", text=turn.text, skill="timer", intent="timer.set",
                    slots={"duration_s": 120.0}, confidence=0.9)
    call = derive(intent, SkillCall, source="dialogue", ts=T0 + 0.004, skill="timer",
                  intent="timer.set", device="kitchen", slots={"duration_s": 120.0})
    result = derive(call, SkillResult, source="skill_timer", ts=T0 + 0.005, skill="timer",
                    intent="timer.set", ok=True, say="Timer set for 2 minutes.")
    say = derive(result, DeviceSay, source="speech", ts=T0 + 0.006, device="kitchen",
                 text="Timer set for 2 minutes.", response_id="r1")
    chat = DeviceTranscript(household=H, ts=T0 + 1, source="kitchen", device="kitchen",
                            text="lovely </script><script>alert(1)</script>", speaker="bob")
    ignored = derive(chat, TurnIgnored, source="turn_taking", ts=T0 + 1.001, device="kitchen",
                     speaker="bob", text=chat.text, utterance_id="u2", score=0.0)
    bad = Rejected(household=H, ts=T0 + 1.002, source="perception", subject="hh.h1.x.y",
                   reason="not msgpack", head=b"\x00\x01\x02\x03\x04", receiver="perception")
    hint = Suggestion(household=H, ts=T0 + 1.003, source="goals", suggestion="tea timer?")
    # Arrival order differs from ts order for the last two: the report follows arrival.
    order = [said, heard, turn, intent, call, result, say, chat, ignored, hint, bad]
    seen = [Seen(100.0 + i * 0.01, m) for i, m in enumerate(order)]
    run = ScenarioResult("demo", "demo.yaml", H, wall_s=1.5)
    run.decisions = [
        Decision(3, "alice", said.text, "assistant", said.correlation_id, True, 1.0,
                 ["wake word"], 21.0),
        # Bob was really talking to the assistant: ignoring him was wrong.
        Decision(7, "bob", chat.text, "assistant", chat.correlation_id, False, 0.0, []),
    ]
    run.expectations = [
        ExpectationResult(4, "say", "say 'timer set'", True, 12.5, "kitchen said ...",
                          wall=100.065, message_id=say.id),
        ExpectationResult(8, "silent", "silence", True, None, "nothing matched", wall=100.095),
        ExpectationResult(9, "say", "say 'never'", False, None, "nothing was said",
                          wall=100.2),
    ]
    return seen, run


def marks_by_type(section: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for mark in section["marks"]:  # type: ignore[attr-defined]
        out.setdefault(mark["type"], []).append(mark)
    return out


def test_a_lane_per_person_device_and_agent_in_that_order() -> None:
    seen, run = conversation()
    section = build_section(run, seen, people=["alice", "carol"], devices=["kitchen"])
    lanes = [(lane["id"], lane["kind"]) for lane in section["lanes"]]
    assert lanes == [
        ("alice", "person"), ("carol", "person"), ("bob", "person"),  # bob only spoke
        ("kitchen", "device"),
        ("perception", "agent"), ("turn_taking", "agent"), ("understanding", "agent"),
        # speech has no lane: what it published (device.say) sits on the device's lane.
        ("dialogue", "agent"), ("skill_timer", "agent"), ("goals", "agent"),
        ("checks", "checks"),
    ]


def test_marks_sit_on_the_speaker_the_device_or_the_source() -> None:
    seen, run = conversation()
    section = build_section(run, seen, people=["alice"], devices=["kitchen"])
    by_type = marks_by_type(section)
    assert [m["lane"] for m in by_type["device.transcript"]] == ["alice", "bob"]
    assert by_type["device.say"][0]["lane"] == "kitchen"
    assert by_type["turn.addressed"][0]["lane"] == "turn_taking"
    assert by_type["device.say"][0]["label"] == '"Timer set for 2 minutes."'
    assert by_type["turn.addressed"][0]["label"] == "addressed 1.00 (wake word)"
    assert by_type["intent.recognized"][0]["label"] == "timer.set duration_s=120 (0.90)"
    # In arrival order, numbered, with times relative to the first arrival.
    assert [m["n"] for m in section["marks"]] == list(range(len(seen)))
    assert section["marks"][0]["wall"] == 0.0
    assert [m["type"] for m in section["marks"]][-2:] == ["goal.suggestion", "system.rejected"]


def test_every_message_type_gets_a_kind_and_a_label() -> None:
    assert kind_of("turn.addressed") == "addressed"
    assert kind_of("turn.ignored") == "ignored"
    assert kind_of("skill.result") == "skill"
    assert kind_of("translation.done") == "translation"
    assert kind_of("goal.suggestion") == "suggestion"
    assert kind_of("weather.report") == "other"
    seen, run = conversation()
    hint = marks_by_type(build_section(run, seen))["goal.suggestion"][0]
    assert hint["kind"] == "suggestion"
    assert hint["label"] == '"tea timer?"'


def test_causes_link_marks_and_decisions_are_scored_against_truth() -> None:
    seen, run = conversation()
    section = build_section(run, seen)
    ids = {m["id"]: m for m in section["marks"]}
    by_type = marks_by_type(section)
    say = by_type["device.say"][0]
    result = ids[say["cause"]]
    assert result["type"] == "skill.result"
    assert ids[result["cause"]]["type"] == "skill.call"
    assert by_type["turn.addressed"][0]["verdict"] == "right"
    wrong = by_type["turn.ignored"][0]
    assert (wrong["verdict"], wrong["truth"]) == ("wrong", "assistant")


def test_checks_point_at_the_message_that_met_them_or_at_when_they_settled() -> None:
    seen, run = conversation()
    section = build_section(run, seen)
    say_n = marks_by_type(section)["device.say"][0]["n"]
    met, silent, failed = section["checks"]
    assert (met["at"], met["passed"], met["latency_ms"]) == (say_n, True, 12.5)
    assert section["marks"][say_n]["checks"] == [{"line": 4, "passed": True}]
    assert silent["at"] is None and silent["after"] == 9  # settled after the 10th arrival
    assert failed["passed"] is False and failed["after"] == len(seen) - 1


def test_summary_counts_expectations_accuracy_and_latency() -> None:
    seen, run = conversation()
    summary = build_section(run, seen)["summary"]
    assert summary["messages"] == len(seen)
    assert (summary["expectations_passed"], summary["expectations"]) == (2, 3)
    assert (summary["decisions_correct"], summary["decisions"]) == (1, 2)
    assert summary["addressee_accuracy"] == 0.5
    assert summary["reply_latency_ms_p50"] == 21.0


def test_bytes_are_replaced_by_their_length() -> None:
    seen, run = conversation()
    rejected = marks_by_type(build_section(run, seen))["system.rejected"][0]
    assert rejected["msg"]["head"] == "<5 bytes>"
    json.dumps(rejected)  # nothing left that JSON cannot hold


def test_a_message_seen_twice_is_one_mark() -> None:
    seen, run = conversation()
    section = build_section(run, [*seen, Seen(200.0, seen[0].msg)])
    assert len(section["marks"]) == len(seen)


def test_the_page_is_self_contained_and_carries_the_data_safely() -> None:
    seen, run = conversation()
    page = render_html([build_section(run, seen, people=["alice"])], [run], title="A <b> test")
    assert "<title>A &lt;b&gt; test</title>" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)  # nothing to fetch
    assert "@import" not in page and "url(http" not in page
    # A message text cannot close the data element early.
    assert page.count("</script>") == 2
    raw = re.search(r'<script type="application/json" id="hearth-data">(.*?)</script>',
                    page, re.S)
    assert raw is not None
    data = json.loads(raw.group(1))
    assert data["totals"]["scenarios"] == 1
    [section] = data["sections"]
    assert any("alert(1)" in m["label"] for m in section["marks"])
    assert "function drawTimeline" in page  # the page draws the SVG itself


class Frame(Message):
    """A high-rate audio frame type (any type ending in .audio or .speaker)."""

    type: Literal["test.audio"] = "test.audio"
    device: str
    pcm: bytes


def test_runs_of_audio_frames_fold_into_one_mark() -> None:
    def frame(i: int, at: float) -> Frame:
        return Frame(household=H, ts=at, source="kitchen", device="kitchen", pcm=bytes(640),
                     correlation_id="c1")

    first = [frame(i, T0 + i * 0.02) for i in range(50)]  # one second of audio
    later = [frame(i, T0 + 5 + i * 0.02) for i in range(10)]  # a new run after a pause
    heard = derive(first[-1], Utterance, source="perception", ts=T0 + 1.1, device="kitchen",
                   text="hi", start_ts=T0, end_ts=T0 + 1)
    seen = [Seen(100.0 + i * 0.001, m) for i, m in enumerate([*first, heard, *later])]
    run = ScenarioResult("frames", "f.yaml", H)
    run.expectations = [ExpectationResult(2, "event", "event test.audio", True, 1.0, "",
                                          wall=100.0005, message_id=first[10].id)]
    section = build_section(run, seen)
    kinds = [(m["type"], m.get("frames")) for m in section["marks"]]
    assert kinds == [("test.audio", 50), ("perception.utterance", None), ("test.audio", 10)]
    audio, utterance, _ = section["marks"]
    assert audio["kind"] == "audio" and audio["label"] == "50 frames, 0.98 s"
    assert audio["msg"]["pcm"] == "<640 bytes>"
    assert utterance["cause"] == audio["id"]  # caused by the last frame: points at its run
    assert section["checks"][0]["at"] == 0 and section["checks"][0]["after"] == 0
