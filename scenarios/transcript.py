"""A readable transcript of a replay: who said what, each decision, and every check."""

from __future__ import annotations

from datetime import UTC, datetime

from bus.describe import describe
from bus.messages import (
    AgentError,
    Clock,
    DeviceSay,
    DeviceTranscript,
    IntentRecognized,
    Rejected,
    TurnDecision,
    Utterance,
)
from scenarios.replay import ScenarioRunner


def _hms(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%H:%M:%S")


def render(runner: ScenarioRunner) -> list[str]:
    result = runner.result
    truth = {d.correlation_id: d for d in result.decisions}
    events: list[tuple[float, str]] = []
    for seen in runner.recorder.seen:
        msg = seen.msg
        line: str | None = None
        if isinstance(msg, DeviceTranscript):
            d = truth.get(msg.correlation_id)
            to = f" → {d.truth}" if d else ""
            line = f"[{_hms(msg.ts)}] {msg.speaker or '?'}{to} @{msg.device}: \"{msg.text}\""
        elif isinstance(msg, Utterance) and msg.prosody is not None:  # heard as audio
            d = truth.get(msg.correlation_id)
            said = f" (said: \"{d.text}\")" if d and d.text != msg.text else ""
            line = (f"[{_hms(msg.ts)}] {msg.speaker or '?'} @{msg.device} heard: "
                    f"\"{msg.text}\" ({msg.confidence:.2f}){said}")
        elif isinstance(msg, TurnDecision):
            d = truth.get(msg.correlation_id)
            verdict = "ADDRESSED" if msg.type == "turn.addressed" else "ignored"
            mark = "" if d is None or d.correct is None else (" ✓" if d.correct else " ✗ wrong")
            line = f"           turn: {verdict} {msg.score:.2f} ({', '.join(msg.reasons)}){mark}"
        elif isinstance(msg, IntentRecognized):
            line = f"           intent: {describe(msg)}"
        elif isinstance(msg, DeviceSay):
            line = f"[{_hms(msg.ts)}] {msg.device} ◀ Hearth: \"{msg.text}\""
        elif isinstance(msg, Clock):
            line = f"-- clock → {_hms(msg.now)}"
        elif isinstance(msg, Rejected | AgentError):
            line = f"!! {describe(msg)}"
        if line is not None:
            events.append((seen.wall, line))
    for exp in result.expectations:
        took = f", {exp.latency_ms:.0f} ms" if exp.latency_ms is not None else ""
        mark = "✓" if exp.passed else "✗"
        events.append((exp.wall, f"    {mark} expect (line {exp.line}) {exp.expected}{took}"
                                  + ("" if exp.passed else f": {exp.detail}")))
    events.sort(key=lambda e: e[0])
    status = "PASS" if result.passed else "FAIL"
    head = f"== {result.name} ({result.file}) household {result.household}"
    lines = [head, *(text for _, text in events)]
    if result.error:
        lines.append(f"!! scenario error: {result.error}")
    acc = result.addressee_accuracy
    acc_text = f", addressee accuracy {acc:.0%}" if acc is not None else ""
    lines.append(f"== {status}: {sum(e.passed for e in result.expectations)}/"
                 f"{len(result.expectations)} expectations{acc_text}, {result.wall_s:.1f} s")
    return lines
