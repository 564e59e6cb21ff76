"""What a replay found: expectations passed or failed, turn decisions against ground truth."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ExpectationResult:
    line: int
    kind: str
    expected: str
    passed: bool
    latency_ms: float | None = None
    detail: str = ""
    wall: float = 0.0  # when it was settled (monotonic), for the transcript
    message_id: str | None = None  # the message that met (or broke) it, for the report


@dataclass
class Decision:
    line: int
    by: str
    text: str
    truth: str  # "assistant" or the person it was really said to
    correlation_id: str
    addressed: bool | None = None  # None: no decision arrived in time
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    reply_latency_ms: float | None = None
    answered_on: list[str] = field(default_factory=list)  # devices that took the turn
    heard_as: list[str] = field(default_factory=list)  # correlation ids of every transcript

    @property
    def correct(self) -> bool | None:
        if self.addressed is None:
            return None
        return self.addressed == (self.truth == "assistant")


@dataclass
class ScenarioResult:
    name: str
    file: str
    household: str
    expectations: list[ExpectationResult] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    error: str | None = None
    wall_s: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and all(e.passed for e in self.expectations)

    @property
    def addressee_accuracy(self) -> float | None:
        judged = [d.correct for d in self.decisions if d.correct is not None]
        missing = sum(1 for d in self.decisions if d.correct is None)
        if not judged and not missing:
            return None
        return sum(1 for c in judged if c) / (len(judged) + missing)

    def reply_latencies(self) -> list[float]:
        return [d.reply_latency_ms for d in self.decisions if d.reply_latency_ms is not None]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "household": self.household,
            "passed": self.passed,
            "error": self.error,
            "wall_s": round(self.wall_s, 3),
            "expectations": [
                {k: v for k, v in asdict(e).items() if k != "wall"} for e in self.expectations
            ],
            "decisions": [
                {**{k: v for k, v in asdict(d).items() if k not in ("correlation_id", "heard_as")},
                 "correct": d.correct}
                for d in self.decisions
            ],
            "addressee_accuracy": self.addressee_accuracy,
            "reply_latency_ms": self.reply_latencies(),
        }


def summary(results: list[ScenarioResult]) -> dict[str, Any]:
    """One JSON object for a whole replay: overall pass, per scenario detail, totals."""
    decisions = [d for r in results for d in r.decisions]
    judged = [d for d in decisions if d.correct is not None]
    latencies = [ms for r in results for ms in r.reply_latencies()]
    return {
        "passed": all(r.passed for r in results),
        "scenarios": [r.to_json() for r in results],
        "totals": {
            "scenarios": len(results),
            "scenarios_passed": sum(1 for r in results if r.passed),
            "expectations": sum(len(r.expectations) for r in results),
            "expectations_passed": sum(1 for r in results for e in r.expectations if e.passed),
            "decisions": len(decisions),
            "addressee_accuracy": (
                sum(1 for d in judged if d.correct) / len(decisions) if decisions else None
            ),
            "reply_latency_ms_p50": statistics.median(latencies) if latencies else None,
            "reply_latency_ms_max": max(latencies) if latencies else None,
        },
    }
