"""YAML loading that remembers the line of every value, so errors can name the line.

The loader itself lives in ``bus.yaml_lines`` (skill declarations use it too); this module
keeps the scenario-facing names.
"""

from __future__ import annotations

from typing import Any

from bus.yaml_lines import LineError, Path_, line_of
from bus.yaml_lines import load_with_lines as _load_with_lines

__all__ = ["Path_", "ScenarioError", "line_of", "load_with_lines"]


class ScenarioError(LineError):
    """A scenario file that cannot be used, with the file and line that are wrong."""


def load_with_lines(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML; return the data and a map from each value's path to its line number."""
    return _load_with_lines(text, file, ScenarioError)
