"""The HTML timeline report of a replay: one self-contained file, a section per scenario.

Python only gathers the facts (lanes, marks, causes, checks, a summary) into JSON; the page's
own script draws the swimlane SVG from that JSON when it opens, so the file needs no network
and the browser test proves the drawing, not just the markup. Bytes (audio, payload heads)
are replaced by their length before they are embedded.
"""

from __future__ import annotations

import html
import json
import statistics
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from bus.describe import describe, is_frame_type, plain, short
from bus.messages import DeviceSay, DeviceTranscript, Message, Utterance
from scenarios.recorder import Seen
from scenarios.replay import ScenarioRunner
from scenarios.results import Decision, ScenarioResult, summary

# Mark kinds the page knows how to draw; any other type falls back to its domain's kind.
KIND_BY_TYPE = {
    "device.transcript": "utterance",
    "perception.utterance": "perception",
    "turn.addressed": "addressed",
    "turn.ignored": "ignored",
    "intent.recognized": "intent",
    "response.say": "say",
    "device.say": "say",
    "system.rejected": "error",
    "system.error": "error",
}
KIND_BY_DOMAIN = {
    "device": "device",
    "perception": "perception",
    "turn": "turn",
    "intent": "intent",
    "skill": "skill",
    "dialogue": "dialogue",
    "response": "say",
    "speech": "speech",
    "goal": "suggestion",
    "proactive": "suggestion",
    "suggestion": "suggestion",
    "translation": "translation",
    "learning": "learning",
    "system": "system",
}
CHECKS_LANE = "checks"
FRAME_GAP_S = 0.5  # audio frames closer than this in bus time fold into one mark
LABEL_CHARS = 90


def kind_of(type_name: str) -> str:
    if is_frame_type(type_name):
        return "audio"
    return KIND_BY_TYPE.get(type_name) or KIND_BY_DOMAIN.get(type_name.partition(".")[0], "other")


def label_of(msg: Message) -> str:
    """What a mark says under itself; the lane already names who spoke or which device."""
    if isinstance(msg, DeviceTranscript | Utterance | DeviceSay):
        return f'"{msg.text}"'
    return describe(msg)


def lane_of(msg: Message) -> str:
    """Who a mark belongs to: the person who spoke, the device that speaks, else the source."""
    if isinstance(msg, DeviceTranscript) and msg.speaker:
        return msg.speaker
    if isinstance(msg, DeviceSay):
        return msg.device
    return msg.source


def _lanes(msgs: Sequence[Message], people: Sequence[str], devices: Sequence[str],
           with_checks: bool) -> list[dict[str, str]]:
    persons = list(dict.fromkeys([*people, *(m.speaker for m in msgs
                                             if isinstance(m, DeviceTranscript) and m.speaker)]))
    device_ids = list(dict.fromkeys([*devices, *(str(getattr(m, "device", "")) for m in msgs
                                                 if m.type.startswith("device."))]))
    used = list(dict.fromkeys(lane_of(m) for m in msgs))
    lanes = [{"id": p, "kind": "person"} for p in persons]
    lanes += [{"id": d, "kind": "device"} for d in device_ids if d and d not in persons]
    named = {lane["id"] for lane in lanes}
    # Agents in the order they first spoke, which follows the flow of a conversation.
    lanes += [{"id": a, "kind": "agent"} for a in used if a not in named]
    if with_checks:
        lanes.append({"id": CHECKS_LANE, "kind": "checks"})
    return lanes


def _percentile_50(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _mark(n: int, msg: Message, wall: float, truth: dict[str, Decision]) -> dict[str, Any]:
    mark: dict[str, Any] = {
        "n": n,
        "id": msg.id,
        "type": msg.type,
        "kind": kind_of(msg.type),
        "lane": lane_of(msg),
        "ts": msg.ts,
        "wall": round(wall, 6),
        "label": short(label_of(msg), LABEL_CHARS),
        "cid": msg.correlation_id,
        "cause": msg.causation_id,
        "msg": plain(msg),
    }
    decision = truth.get(msg.correlation_id)
    if msg.type.startswith("turn.") and decision is not None:
        mark["truth"] = decision.truth
        if decision.correct is not None:
            mark["verdict"] = "right" if decision.correct else "wrong"
    return mark


def build_section(result: ScenarioResult, seen: Iterable[Seen], people: Sequence[str] = (),
                  devices: Sequence[str] = ()) -> dict[str, Any]:
    """Everything the page draws for one scenario, as JSON-ready data.

    ``seen`` is every message of the household with its arrival time (monotonic seconds);
    messages are placed in arrival order, which keeps every cause before its effects even
    when two agents' clocks differ by a millisecond, and spaced by their bus time ``ts``.
    """
    ordered = sorted({s.msg.id: s for s in seen}.values(), key=lambda s: s.wall)
    wall0 = ordered[0].wall if ordered else 0.0
    # A line heard by several devices has one decision but a transcript (and id) per device.
    truth = {cid: d for d in result.decisions
             for cid in (d.correlation_id, *getattr(d, "heard_as", ()))}
    marks: list[dict[str, Any]] = []
    index: dict[str, int] = {}  # message id -> its mark (frames share one mark per run)
    frames: dict[tuple[str, str, str], dict[str, Any]] = {}  # open frame runs
    for item in ordered:
        msg = item.msg
        key = (msg.type, lane_of(msg), msg.correlation_id)
        run = frames.get(key) if is_frame_type(msg.type) else None
        if run is not None and msg.ts - run["last_ts"] <= FRAME_GAP_S:
            run["frames"] += 1
            run["last_ts"] = msg.ts
            run["label"] = f"{run['frames']} frames, {msg.ts - run['ts']:.2f} s"
            index[msg.id] = run["n"]
            continue
        index[msg.id] = len(marks)
        mark = _mark(len(marks), msg, item.wall - wall0, truth)
        if is_frame_type(msg.type):
            mark.update(frames=1, last_ts=msg.ts, label="1 frame")
            frames[key] = mark
        marks.append(mark)
    ids = [m["id"] for m in marks]
    for mark in marks:  # a cause that was folded into a run of frames points at the run
        if mark["cause"] in index:
            mark["cause"] = ids[index[mark["cause"]]]
    walls = [s.wall for s in ordered]
    arrived = [index[s.msg.id] for s in ordered]
    checks = []
    for exp in result.expectations:
        at = index.get(exp.message_id) if exp.message_id else None
        last = bisect_right(walls, exp.wall) - 1  # the last message before it settled
        after = arrived[last] if last >= 0 else -1
        checks.append({
            "line": exp.line, "kind": exp.kind, "expected": exp.expected, "passed": exp.passed,
            "latency_ms": None if exp.latency_ms is None else round(exp.latency_ms, 3),
            "detail": exp.detail, "at": at, "after": after,
        })
        if at is not None:
            marks[at].setdefault("checks", []).append(
                {"line": exp.line, "passed": exp.passed})
    as_json = result.to_json()
    latencies = result.reply_latencies()
    return {
        "name": result.name,
        "file": result.file,
        "household": result.household,
        "passed": result.passed,
        "error": result.error,
        "lanes": _lanes([s.msg for s in ordered], people, devices, bool(checks)),
        "marks": marks,
        "checks": checks,
        "decisions": as_json["decisions"],
        "summary": {
            "messages": len(marks),
            "expectations": len(result.expectations),
            "expectations_passed": sum(1 for e in result.expectations if e.passed),
            "decisions": len(result.decisions),
            "decisions_correct": sum(1 for d in result.decisions if d.correct),
            "addressee_accuracy": result.addressee_accuracy,
            "reply_latency_ms_p50": _percentile_50(latencies),
            "reply_latency_ms_max": round(max(latencies), 3) if latencies else None,
            "wall_s": round(result.wall_s, 3),
        },
    }


def section_from_runner(runner: ScenarioRunner, extra: Iterable[Seen] = ()) -> dict[str, Any]:
    """A report section from a finished run; ``extra`` adds messages seen elsewhere (replies)."""
    scenario = runner.scenario
    return build_section(
        runner.result, [*runner.recorder.seen, *extra],
        people=[p.id for p in scenario.people], devices=[d.id for d in scenario.devices],
    )


def _asset(name: str) -> str:
    return (resources.files("scenarios") / "report_assets" / name).read_text(encoding="utf-8")


def _embed(data: Any) -> str:
    # Inside <script> only "</" and "<!--" could end or confuse the element; JSON allows \u003c.
    return json.dumps(data, default=str, separators=(",", ":")).replace("<", "\\u003c")


def render_html(sections: list[dict[str, Any]], results: list[ScenarioResult] | None = None,
                title: str = "Hearth replay") -> str:
    """The whole report page: inline CSS, script and data, nothing fetched."""
    data = {
        "title": title,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "totals": summary(results)["totals"] if results is not None else None,
        "sections": sections,
    }
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p id=\"meta\"></p></header>\n"
        "<main id=\"report\"><noscript>This report draws its timeline with JavaScript."
        "</noscript></main>\n<aside id=\"detail\" hidden></aside>\n"
        f"<script type=\"application/json\" id=\"hearth-data\">{_embed(data)}</script>\n"
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"
    )


def write_report(path: str | Path, sections: list[dict[str, Any]],
                 results: list[ScenarioResult] | None = None,
                 title: str = "Hearth replay") -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(sections, results, title), encoding="utf-8")
    return out
