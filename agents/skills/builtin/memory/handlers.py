"""Memory: modes the household taught (interactive teaching) and "forget what I said today".

A mode nobody taught is asked about ("I don't know what study mode is. Can you teach me?");
the answer is the definition (``policies.concepts.extract``), kept in this skill's state for
the household, applied at once and whenever the mode comes up again. Applying a mode sets the
room's lights in the smart home's device state, so "are the lights on in the kitchen?" knows.
Forgetting today's words is done by the privacy agent, which sees this call; this handler
only answers.
"""

from __future__ import annotations

from typing import Any

import msgpack

from agents.skills.sdk import Args, Reply, SkillContext, handles
from policies import concepts
from policies.concepts import Concept, Definition

SMART_HOME_DEVICES = "smart_home.{household}.devices"  # the smart_home skill's state layout


def _name(value: Any) -> str:
    said = str(value)
    return concepts.span(said) or " ".join(said.lower().split())


def _room(ctx: SkillContext, args: Args) -> str:
    return str(args.get("room") or ctx.device.replace("_", " ").replace("-", " "))


async def _taught(ctx: SkillContext) -> dict[str, Concept]:
    raw = await ctx.get("concepts", {})
    return {name: Concept.model_validate(c) for name, c in dict(raw).items()}


async def _keep(ctx: SkillContext, taught: dict[str, Concept]) -> None:
    await ctx.put("concepts", {n: c.model_dump() for n, c in taught.items()} or None)


async def _set_lights(ctx: SkillContext, room: str, definition: Definition) -> None:
    # The lights are the smart home's: write where its status API reads them.
    agent = ctx._agent
    key = SMART_HOME_DEVICES.format(household=ctx.household)
    data = await agent.bus.kv_get("skills", key)
    devices: dict[str, Any] = {} if data is None else dict(msgpack.unpackb(data))
    setting: dict[str, Any] = {"on": definition.on}
    if definition.level is not None:
        setting["brightness"] = definition.level
    if definition.color is not None:
        setting["color"] = definition.color
    devices[f"{room}/lights"] = {**devices.get(f"{room}/lights", {}), **setting}
    await agent.bus.kv_put("skills", key, msgpack.packb(devices))


def _data(name: str, room: str, d: Definition, taught: bool) -> dict[str, Any]:
    return {"concept": name, "room": room, "level": d.level if d.level is not None else -1,
            "color": d.color or "", "lit": d.on, "taught": taught}


@handles("apply_concept")
async def apply_concept(ctx: SkillContext, args: Args) -> Reply:
    name, room = _name(args["concept"]), _room(ctx, args)
    taught = await _taught(ctx)
    if name in taught:
        d = taught[name].definition
        await _set_lights(ctx, room, d)
        return Reply(f"{name.capitalize()} in the {room}: {d.describe()}.",
                     data=_data(name, room, d, False))
    said = args.get("definition")
    if said is None:
        return Reply(f"I don't know what {name} is. Can you teach me?", ask="definition")
    definition = concepts.extract(str(said))
    if definition is None:
        return Reply(f"Sorry, I didn't get that. What is {name}: a colour, a brightness?",
                     ask="definition")
    taught[name] = Concept(name=name, definition=definition, taught=ctx.now(),
                           speaker=ctx.speaker)
    await _keep(ctx, taught)
    await _set_lights(ctx, room, definition)
    return Reply(f"Got it: {name} is {definition.describe()}. The {room} is in {name} now.",
                 data=_data(name, room, definition, True))


@handles("list_concepts")
async def list_concepts(ctx: SkillContext, args: Args) -> Reply:
    taught = await _taught(ctx)
    if not taught:
        return Reply("You haven't taught me any modes yet.", data={"concepts": []})
    said = "; ".join(f"{n}: {c.definition.describe()}" for n, c in sorted(taught.items()))
    return Reply(f"You taught me {said}.", data={"concepts": sorted(taught)})


@handles("forget_concept")
async def forget_concept(ctx: SkillContext, args: Args) -> Reply:
    name = _name(args["concept"])
    taught = await _taught(ctx)
    if taught.pop(name, None) is None:
        return Reply(f"I don't know {name} anyway.", ok=False)
    await _keep(ctx, taught)
    return Reply(f"OK, I've forgotten {name}.", data={"concept": name})


@handles("change_concept")
async def change_concept(ctx: SkillContext, args: Args) -> Reply:
    name = _name(args["concept"])
    definition = concepts.extract(str(args["definition"]))
    if definition is None:
        return Reply(f"Sorry, what should {name} be: a colour, a brightness?",
                     ask="definition")
    taught = await _taught(ctx)
    taught[name] = Concept(name=name, definition=definition, taught=ctx.now(),
                           speaker=ctx.speaker)
    await _keep(ctx, taught)
    return Reply(f"OK, {name} is {definition.describe()} now.", data={"concept": name})


@handles("forget_today")
async def forget_today(ctx: SkillContext, args: Args) -> Reply:
    return Reply("OK. I've deleted what was said here today, and what I learned from it.")
