"""YAML loading that remembers the line of every value, so errors can name the line.

Scenario files and skill declarations both use it; it lives here, beside the message models,
because every layer that reads YAML (scenarios, agents) may import ``bus``.
"""

from __future__ import annotations

from typing import Any

import yaml

Path_ = tuple[str | int, ...]

_SCALARS = yaml.constructor.SafeConstructor()


class LineError(ValueError):
    """A file that cannot be used, with the file and line that are wrong."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line
        self.message = message


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _SCALARS.construct_object(key_node, deep=True)
            out[key] = _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return _SCALARS.construct_object(node, deep=True)


def load_with_lines(
    text: str, file: str, error: type[LineError] = LineError
) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML; return the data and a map from each value's path to its line number.

    Problems raise ``error`` (a ``LineError`` subclass such as ``ScenarioError``).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise error(file, line, f"not valid YAML: {problem}") from None
    if node is None:
        raise error(file, None, "the file is empty")
    lines: dict[Path_, int] = {}
    return _walk(node, (), lines), lines


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None
