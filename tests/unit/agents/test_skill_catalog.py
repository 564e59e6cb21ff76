"""agents/skills/catalog.py: discovery (folders, entry points) and errors naming file + line."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agents.skills import catalog
from agents.skills.catalog import SkillError, discover, load_handlers, load_skill, parse_spec

GOOD = textwrap.dedent("""\
    name: plants
    description: Watering the house plants.
    entities:
      plant: {values: {fern: [ferns], cactus: []}}
    apis:
      water:
        args:
          plant: {type: plant, required: true, prompt: "Which plant?"}
        result: {plant: str}
        samples: ["water the {plant}"]
    """)
HANDLERS = textwrap.dedent("""\
    from agents.skills.sdk import Reply, handles

    @handles("water")
    async def water(ctx, args):
        return Reply(f"Watered the {args['plant']}.", data={"plant": args["plant"]})
    """)


def make_skill(root: Path, yaml_text: str = GOOD, handlers: str | None = HANDLERS,
               name: str = "plants") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "skill.yaml").write_text(yaml_text)
    if handlers is not None:
        (folder / "handlers.py").write_text(handlers)
    return folder


def test_builtin_skills_load_with_their_handlers() -> None:
    skills = discover()
    assert {"timer", "smart_home", "weather", "facts", "reminders", "shopping",
            "translation"} <= set(skills)
    for skill in skills.values():
        assert set(load_handlers(skill)) == set(skill.spec.apis)


def test_a_folder_of_skills_and_a_single_skill_folder(tmp_path: Path) -> None:
    folder = make_skill(tmp_path / "many")
    assert "plants" in discover([tmp_path / "many"], builtin=False, plugins=False)
    assert "plants" in discover([folder], builtin=False, plugins=False)
    assert load_skill(folder).spec.intent("water") == "plants.water"


@pytest.mark.parametrize(("bad", "line", "field"), [
    (GOOD.replace("type: plant,", "type: plnat,"), 8, "apis.water.args.plant.type: unknown type"),
    (GOOD.replace('"water the {plant}"', '"water the {plnt}"'), 10,
     "apis.water.samples.0: {plnt} is not an argument"),
    (GOOD.replace("name: plants", "name: Plants!"), 1, "name: skill name 'Plants!' must"),
    (GOOD.replace(', prompt: "Which plant?"', ""), 8,
     "apis.water.args.plant: a required argument needs a prompt"),
    (GOOD.replace("description: Watering the house plants.\n", ""), None,
     "description: Field required"),
    (GOOD + "  extra: 1\n", 11, "apis.extra: Input should be a valid dictionary"),
    ("name: [unclosed", 1, "not valid YAML"),
])
def test_bad_declarations_name_the_file_line_and_field(bad: str, line: int | None,
                                                       field: str) -> None:
    with pytest.raises(SkillError) as err:
        parse_spec(bad, "skills/plants/skill.yaml")
    assert str(err.value).startswith(f"skills/plants/skill.yaml:{line}: " if line
                                     else "skills/plants/skill.yaml")
    assert field in str(err.value)


def test_an_api_without_samples_is_refused() -> None:
    bad = GOOD.replace('    samples: ["water the {plant}"]\n', "")
    with pytest.raises(SkillError, match="every API needs at least one sample"):
        parse_spec(bad, "s.yaml")


def test_missing_or_stray_handlers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SkillError, match="needs a handlers module"):
        load_skill(make_skill(tmp_path, handlers=None))
    stray = HANDLERS + textwrap.dedent("""\

        @handles("prune")
        async def prune(ctx, args):
            return None
        """)
    folder = make_skill(tmp_path, handlers=stray, name="plants2")
    with pytest.raises(SkillError, match=r"handlers.py:\d+: prune: handles 'prune'"):
        load_handlers(load_skill(folder))


def test_two_skills_with_one_name_are_refused(tmp_path: Path) -> None:
    make_skill(tmp_path / "a")
    make_skill(tmp_path / "b")
    with pytest.raises(SkillError, match="also declared in"):
        discover([tmp_path / "a", tmp_path / "b"], builtin=False, plugins=False)


def test_entry_points_name_a_package_or_a_folder(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_skill(tmp_path)
    points = [SimpleNamespace(name="plants", value="x:y", load=lambda: str(folder))]

    def fake(group: str) -> list[Any]:
        assert group == "hearth.skills"
        return points

    monkeypatch.setattr(catalog, "entry_points", fake)
    assert "plants" in catalog._discover([], builtin=False, plugins=True)
