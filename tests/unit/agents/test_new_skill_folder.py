"""A new skill dropped in a folder (YAML + handlers) is routed to by paraphrases that are not
in its samples, with the real embedder, and its agent serves the call."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import HOUSEHOLD, AgentFactory, envelope, published, virtual_clock

from agents import nlu
from agents.dialogue import DialogueAgent
from agents.skills.hosted import agent_class, skill_agents
from agents.understanding import UnderstandingAgent
from bus.memory import MemoryBus, MemoryHub
from bus.messages import IntentRecognized, ResponseSay, SkillCall, TurnAddressed

PLANTS = textwrap.dedent("""\
    name: plants
    description: Looks after the house plants.
    entities:
      plant:
        values: {fern: [ferns], cactus: [cacti], orchid: [orchids], basil: []}
    apis:
      water:
        description: Record that a plant was watered.
        args:
          plant: {type: plant, required: true, prompt: "Which plant?"}
        result: {plant: str}
        samples:
          - "water the {plant}"
          - "i watered the {plant}"
          - "log a watering for the {plant}"
      thirsty:
        description: Which plants need water.
        result: {plants: list}
        samples:
          - "which plants need water"
          - "are any plants dry"
          - "what should i water today"
    """)
HANDLERS = textwrap.dedent("""\
    from agents.skills.sdk import Reply, handles

    @handles("water")
    async def water(ctx, args):
        watered = list(await ctx.get("watered", []))
        await ctx.put("watered", watered + [args["plant"]])
        return Reply(f"Noted: the {args['plant']} is watered.", data={"plant": args["plant"]})

    @handles("thirsty")
    async def thirsty(ctx, args):
        watered = set(await ctx.get("watered", []))
        dry = [p for p in ("fern", "cactus", "orchid", "basil") if p not in watered]
        return Reply("Still dry: " + ", ".join(dry) + ".", data={"plants": dry})
    """)
# Paraphrases that are in none of the samples above.
PARAPHRASES = {
    "plants.water": ["I just gave the orchid some water", "the ferns have been watered",
                     "please note that I watered the basil"],
    "plants.thirsty": ["do my plants need watering", "is anything in the garden pots dry",
                       "which of the plants are thirsty"],
}


@pytest.fixture(scope="module")
def plants_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("user_skills")
    (root / "plants").mkdir()
    (root / "plants" / "skill.yaml").write_text(PLANTS)
    (root / "plants" / "handlers.py").write_text(HANDLERS)
    return root


def test_paraphrases_reach_the_new_skill(plants_dir: Path) -> None:
    model = nlu.shared([str(plants_dir)])
    assert "plants" in model.skills and "timer" in model.skills  # beside the built-ins
    for intent, texts in PARAPHRASES.items():
        for text in texts:
            routed, _slots = model.understand(text)
            assert routed.intent == intent, (text, routed)
    routed, slots = model.understand("I just gave the orchid some water")
    assert slots == {"plant": "orchid"}
    # The built-ins still win their own requests, and unrelated requests reach no skill.
    assert model.understand("set a timer for five minutes")[0].intent == "timer.set"
    assert model.understand("book me a flight to lisbon")[0].skill is None


def test_each_skill_gets_its_own_agent_class(plants_dir: Path) -> None:
    classes = {cls.SKILL: cls for cls in skill_agents([str(plants_dir)])}
    assert classes["plants"] is agent_class("plants")
    assert classes["plants"].NAME == "skill_plants"
    assert classes["timer"].NAME == "skill_timer"  # the timer skill keeps its own class
    # launch.py imports agents by class path in a fresh process: the path must resolve
    from hearth.launch import _class_path, _load_class

    assert _load_class(_class_path(classes["plants"])) is classes["plants"]


async def test_the_new_skill_answers_through_dialogue(
    plants_dir: Path, hub: MemoryHub, start_agent: AgentFactory
) -> None:
    config = {"skill_dirs": [str(plants_dir)]}
    for cls in (UnderstandingAgent, DialogueAgent, agent_class("plants")):
        await start_agent(cls, virtual_clock(), config=config)
    bus = MemoryBus(hub, "test")
    for text in ("the ferns have been watered", "which of the plants are thirsty"):
        await bus.publish(TurnAddressed(**envelope(), device="kitchen", speaker="ann",
                                        text=text, utterance_id="u", score=1.0))
        for _ in range(200):
            await hub.settle()
            if len(published(hub, ResponseSay)) >= 2 or (
                    text.startswith("the") and published(hub, ResponseSay)):
                break
    said = [m.text for m in published(hub, ResponseSay)]
    assert said == ["Noted: the fern is watered.", "Still dry: cactus, orchid, basil."]
    assert [c.intent for c in published(hub, SkillCall)] == ["plants.water", "plants.thirsty"]
    assert all(m.household == HOUSEHOLD for m in published(hub, IntentRecognized))
