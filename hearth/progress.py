"""Progress bars for long runs (replays, benches, model loading), drawn on stderr.

Bars appear only when a person is watching (stderr is a terminal), so pipes, CI logs and
``--json`` output stay clean. A bench takes a ``Reporter`` and calls ``stage(...)`` and
``advance()``; the default ``NO_PROGRESS`` does nothing, so library code never has to check::

    with Reporter() as progress:
        pings = progress.stage("latency pings", total=2000)
        for ...:
            pings.advance()
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

# Redraws are cheap but not free: a stage pushes its count to the bar about this many times.
UPDATES_PER_STAGE = 100


class Stage:
    """One bar (or a spinner when ``total`` is None); ``advance`` is safe in hot loops."""

    def __init__(self, progress: Progress | None, task: TaskID | None, total: int | None) -> None:
        self._progress = progress
        self._task = task
        self.total = total
        self.done = 0
        self._shown = 0
        self._every = max(1, (total or 0) // UPDATES_PER_STAGE)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._progress is None or self._task is None:
            return
        if self.done - self._shown >= self._every or self.done == self.total:
            self._progress.update(self._task, completed=self.done)
            self._shown = self.done

    def describe(self, description: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=description)

    def finish(self) -> None:
        """Mark the stage complete (a spinner stops and shows as done)."""
        if self._progress is not None and self._task is not None:
            total = self.total if self.total is not None else 1
            self._progress.update(self._task, total=total, completed=total)


class Reporter:
    """A group of progress bars on ``stream`` (stderr), or nothing when disabled.

    ``enabled=None`` means: only when the stream is a terminal.
    """

    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _isatty(self.stream) if enabled is None else enabled
        self._progress: Progress | None = None

    @property
    def active(self) -> bool:
        return self._progress is not None

    def __enter__(self) -> Reporter:
        if self.enabled and self._progress is None:
            console = Console(file=self.stream, force_terminal=True)
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                # Output printed to stdout while the bars run is shown above them, but only
                # when stdout is the same terminal: a redirected stdout must stay untouched.
                redirect_stdout=_isatty(sys.stdout) and _isatty(self.stream),
                redirect_stderr=_isatty(self.stream),
            )
            self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def stage(self, description: str, total: int | None = None) -> Stage:
        if self._progress is None:
            return Stage(None, None, total)
        task = self._progress.add_task(description, total=total)
        return Stage(self._progress, task, total)

    def echo(self, text: str, file: TextIO | None = None) -> None:
        """Print a line (to stdout by default) without tearing the bars apart."""
        target = file if file is not None else sys.stdout
        if self._progress is not None and _isatty(target):
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=target, flush=True)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or file-less stream
        return False


# For library code with nobody watching: every call is a no-op.
NO_PROGRESS = Reporter(enabled=False)
