"""The shopping list: a list of items per household in KV."""

from __future__ import annotations

import re

from agents.skills.sdk import Args, Reply, SkillContext, handles


def _items(text: str) -> list[str]:
    """ "milk, eggs and some bread" -> ["milk", "eggs", "bread"]."""
    parts = re.split(r",|\band\b|\bplus\b", text.lower())
    out = []
    for part in parts:
        item = re.sub(r"^\s*(?:some|a|an|the|more)\s+", "", part.strip()).strip(" .!?")
        if item:
            out.append(item)
    return out


def _spoken(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@handles("add")
async def add(ctx: SkillContext, args: Args) -> Reply:
    items = _items(str(args["item"]))
    if not items:
        return Reply("What should I add?", ok=False, ask="item")
    current: list[str] = list(await ctx.get("list", []))
    added = [i for i in items if i not in current]
    await ctx.put("list", current + added)
    if not added:
        return Reply(f"{_spoken(items).capitalize()} is already on the list.", data={"added": []})
    return Reply(f"Added {_spoken(added)} to the shopping list.", data={"added": added})


@handles("remove")
async def remove(ctx: SkillContext, args: Args) -> Reply:
    items = _items(str(args["item"]))
    current: list[str] = list(await ctx.get("list", []))
    removed = [i for i in items if i in current]
    if not removed:
        return Reply(f"{_spoken(items).capitalize()} is not on the list.", ok=False,
                     data={"removed": []})
    await ctx.put("list", [i for i in current if i not in removed])
    return Reply(f"Removed {_spoken(removed)} from the shopping list.",
                 data={"removed": removed})


@handles("list")
async def read(ctx: SkillContext, args: Args) -> Reply:
    current: list[str] = list(await ctx.get("list", []))
    if not current:
        return Reply("Your shopping list is empty.", data={"items": []})
    return Reply(f"On your shopping list: {_spoken(current)}.", data={"items": current})


@handles("clear")
async def clear(ctx: SkillContext, args: Args) -> Reply:
    current: list[str] = list(await ctx.get("list", []))
    await ctx.delete("list")
    return Reply("The shopping list is empty now.", data={"removed": current})
