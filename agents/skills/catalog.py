"""Skill discovery and loading: built-in folders, user folders and ``hearth.skills`` entry points.

A skill is a folder with ``skill.yaml`` (see ``policies.skill_spec``) and ``handlers.py``.
Built-ins live in ``agents/skills/builtin/<name>/``; user folders are given in the agents'
config as ``skill_dirs`` (each either a skill folder or a folder of skill folders); a package
ships skills with an entry point in the ``hearth.skills`` group whose object is the skill's
package (its folder holds skill.yaml), a folder path, or a function returning one.
A declaration that is wrong fails here, naming the file, the line and the field.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from agents.skills.sdk import Handler, handled_api
from bus.yaml_lines import LineError, line_of, load_with_lines
from policies.skill_spec import SkillSpec

BUILTIN = Path(__file__).parent / "builtin"
DECLARATION = "skill.yaml"
HANDLERS = "handlers.py"
ENTRY_POINT_GROUP = "hearth.skills"
_PATH_IN_MESSAGE = re.compile(r"^(?:Value error, )?(?P<path>[\w.]+): (?P<rest>.*)$", re.DOTALL)


class SkillError(LineError):
    """A skill declaration or handler module that cannot be used."""


@dataclass(frozen=True)
class LoadedSkill:
    spec: SkillSpec
    folder: Path
    file: str  # the declaration's path, for messages

    @property
    def name(self) -> str:
        return self.spec.name


def parse_spec(text: str, file: str) -> SkillSpec:
    data, lines = load_with_lines(text, file, SkillError)
    if not isinstance(data, dict):
        raise SkillError(file, 1, "a skill declaration is a mapping with name, description, apis")
    try:
        return SkillSpec.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc: tuple[str | int, ...] = tuple(first["loc"])
        message = first["msg"]
        found = _PATH_IN_MESSAGE.match(message) if not loc else None
        if found is not None:  # a cross-field check names its own path in the message
            loc = tuple(int(p) if p.isdigit() else p for p in found.group("path").split("."))
            message = found.group("rest")
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        field = ".".join(str(p) for p in loc) or "(top level)"
        raise SkillError(file, line_of(lines, loc), f"{field}: {message}") from None


def load_skill(folder: str | Path) -> LoadedSkill:
    folder = Path(folder)
    path = folder / DECLARATION
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SkillError(str(path), None, f"cannot read: {err.strerror}") from None
    spec = parse_spec(text, str(path))
    if not (folder / HANDLERS).is_file():
        raise SkillError(str(folder / HANDLERS), None,
                         f"skill {spec.name!r} needs a handlers module beside its declaration")
    return LoadedSkill(spec, folder, str(path))


def _folders(root: Path) -> list[Path]:
    """A skill folder itself, or the skill folders inside it."""
    if (root / DECLARATION).is_file():
        return [root]
    if not root.is_dir():
        raise SkillError(str(root), None, "skill folder does not exist")
    return sorted(p for p in root.iterdir() if (p / DECLARATION).is_file())


def _entry_point_folders() -> list[Path]:
    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj: Any = ep.load()
        except Exception as err:
            raise SkillError(f"entry point {ep.name} ({ep.value})", None,
                             f"cannot be loaded: {err}") from None
        if isinstance(obj, ModuleType) and obj.__file__:
            out.append(Path(obj.__file__).parent)
        elif callable(obj):
            out.append(Path(obj()))
        else:
            out.append(Path(obj))
    return out


_DISCOVERED: dict[tuple[tuple[str, ...], bool, bool], dict[str, LoadedSkill]] = {}
_HANDLERS: dict[Path, dict[str, Handler]] = {}


def discover(skill_dirs: Sequence[str | Path] = (), *, builtin: bool = True,
             plugins: bool = True) -> dict[str, LoadedSkill]:
    """Every skill, by name: built-ins, then entry points, then the given folders.

    Read once per process and set of folders: agents starting in one process share it.
    """
    key = (tuple(str(Path(d).resolve()) for d in skill_dirs), builtin, plugins)
    if key not in _DISCOVERED:
        _DISCOVERED[key] = _discover(skill_dirs, builtin, plugins)
    return dict(_DISCOVERED[key])


def _discover(skill_dirs: Sequence[str | Path], builtin: bool,
              plugins: bool) -> dict[str, LoadedSkill]:
    roots: list[Path] = [BUILTIN] if builtin else []
    folders: list[Path] = [f for r in roots for f in _folders(r)]
    if plugins:
        folders += _entry_point_folders()
    for raw in skill_dirs:
        folders += _folders(Path(raw))
    skills: dict[str, LoadedSkill] = {}
    for folder in folders:
        skill = load_skill(folder)
        if skill.name in skills:
            raise SkillError(skill.file, None, f"skill {skill.name!r} is also declared in "
                             f"{skills[skill.name].file}")
        skills[skill.name] = skill
    return skills


def skill_dirs(config: Mapping[str, Any]) -> list[str]:
    value = config.get("skill_dirs", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def load_handlers(skill: LoadedSkill) -> dict[str, Handler]:
    """The handler of every declared API, from the skill's ``handlers.py`` (once a process)."""
    path = (skill.folder / HANDLERS).resolve()
    if path not in _HANDLERS:
        _HANDLERS[path] = _import_handlers(skill, path)
    return dict(_HANDLERS[path])


def _import_handlers(skill: LoadedSkill, path: Path) -> dict[str, Handler]:
    name = f"hearth_skill_{skill.name}_handlers"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SkillError(str(path), None, "cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        raise SkillError(str(path), None,
                         f"cannot be imported: {type(err).__name__}: {err}") from None
    return handlers_of(module, skill, str(path))


def handlers_of(module: ModuleType, skill: LoadedSkill, file: str) -> dict[str, Handler]:
    found: dict[str, Handler] = {}
    for attr, obj in vars(module).items():
        api = handled_api(obj)
        if api is None:
            continue
        if api not in skill.spec.apis:
            raise SkillError(file, _line(obj), f"{attr}: handles {api!r}, which "
                             f"{skill.file} does not declare")
        if not inspect.iscoroutinefunction(obj):
            raise SkillError(file, _line(obj), f"{attr}: a handler must be 'async def'")
        found[api] = obj
    missing = sorted(set(skill.spec.apis) - set(found))
    if missing:
        raise SkillError(file, None, f"no handler for API {missing[0]!r} "
                         "(mark one with @handles)")
    return found


def _line(obj: object) -> int | None:
    try:
        return inspect.getsourcelines(obj)[1]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return None


def names_of(skills: Iterable[LoadedSkill]) -> dict[str, list[str]]:
    return {s.name: s.spec.names() for s in skills}
