"""One agent class per declared skill, made on demand and importable by name.

``hearth.launch`` starts an actor from a class path (``module:Class``) in a fresh process, so
a skill's agent class must be importable there: ``agents.skills.hosted:Skill_weather`` is
built by this module's ``__getattr__`` from the skill name alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from agents.skills.declared import DeclaredSkillAgent
from agents.skills.timer import TimerSkill

_PREFIX = "Skill_"
_MADE: dict[str, type[DeclaredSkillAgent]] = {}
# Skills whose agent is a hand-written subclass (its own bucket, extra attributes).
CUSTOM: dict[str, type[DeclaredSkillAgent]] = {TimerSkill.SKILL: TimerSkill}


def agent_class(skill: str) -> type[DeclaredSkillAgent]:
    if skill in CUSTOM:
        return CUSTOM[skill]
    if skill not in _MADE:
        name = f"{_PREFIX}{skill}"
        cls = type(name, (DeclaredSkillAgent,), {
            "NAME": f"skill_{skill}", "SKILL": skill, "__module__": __name__,
            "__qualname__": name,
        })
        _MADE[skill] = cls
    return _MADE[skill]


def agent_classes(skills: Iterable[str]) -> tuple[type[DeclaredSkillAgent], ...]:
    return tuple(agent_class(s) for s in sorted(skills))


def __getattr__(name: str) -> type[DeclaredSkillAgent]:
    if name.startswith(_PREFIX):
        return agent_class(name[len(_PREFIX):])
    raise AttributeError(name)


def skill_agents(skill_dirs: Iterable[str] = ()) -> tuple[type[DeclaredSkillAgent], ...]:
    """One agent class per discovered skill: built-ins, entry points and ``skill_dirs``."""
    from agents.skills.catalog import discover  # the catalog reads files: only when asked

    return agent_classes(discover(list(skill_dirs)))
