"""What ``hearth replay`` adds around the replay engine: progress bars and the HTML report."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from bus.transport import Bus
from hearth.progress import Reporter, Stage
from hearth.watch import ReplyTap
from scenarios.replay import ScenarioRunner
from scenarios.report import section_from_runner, write_report
from scenarios.results import ScenarioResult


class ReplayExtras:
    """``with extras:`` around the stack; ``attach`` once it runs, ``shown`` per scenario."""

    def __init__(self, count: int, report: str | None, progress: Reporter | None = None) -> None:
        self.count = count
        self.report = report
        self.progress = progress if progress is not None else Reporter()
        self.sections: list[dict[str, Any]] = []
        self._tap: ReplyTap | None = None
        self._starting: Stage | None = None
        self._steps: Stage | None = None

    def __enter__(self) -> ReplayExtras:
        self.progress.__enter__()
        self._starting = self.progress.stage("starting Hearth")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.__exit__(exc_type, exc, tb)

    async def attach(self, bus: Bus) -> None:
        if self._starting is not None:
            self._starting.finish()
        if self.count > 1:
            self._steps = self.progress.stage(f"replaying {self.count} scenarios", self.count)
        if self.report is not None:
            self._tap = await ReplyTap(bus).start()

    async def detach(self) -> None:
        if self._tap is not None:
            await self._tap.stop()

    def shown(self, runner: ScenarioRunner, text: str, out: TextIO) -> None:
        """A scenario finished: print its transcript, keep its report section, step the bar."""
        self.progress.echo(text, out)
        if self.report is not None:
            replies = self._tap.take(runner.household) if self._tap is not None else []
            self.sections.append(section_from_runner(runner, replies))
        if self._steps is not None:
            self._steps.advance()

    def write(self, results: list[ScenarioResult]) -> Path | None:
        if self.report is None:
            return None
        return write_report(self.report, self.sections, results).resolve()
