"""What every ``hearth`` subcommand shares: the default NATS address, where results are
printed, and the ``KIND=N`` replica option."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

DEFAULT_PORT = 4222
DEFAULT_NATS = f"nats://127.0.0.1:{DEFAULT_PORT}"


# Where results go. With --json, everything else printed to stdout while a command runs (Ray
# relays its workers' and raylet's lines there) is sent to stderr, so stdout stays one object.
_OUT: TextIO = sys.stdout


def results_to(stream: TextIO) -> None:
    """Send results (and only results) to ``stream`` from now on."""
    global _OUT
    _OUT = stream


def results_stream() -> TextIO:
    return _OUT


def emit(text: str) -> None:
    print(text, file=_OUT, flush=True)


def print_json(obj: Any) -> None:
    emit(json.dumps(obj, indent=2, default=str))


def parse_replicas(items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        name, _, count = item.partition("=")
        if not count.isdigit() or int(count) < 1:
            raise SystemExit(f"--replicas takes KIND=N with N >= 1, not {item!r}")
        out[name] = int(count)
    return out
