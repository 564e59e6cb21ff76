"""Interpreter sessions: this skill only records the session in KV and answers; the
translation agent (a later piece) reads the session and does the interpreting."""

from __future__ import annotations

from agents.skills.sdk import Args, Reply, SkillContext, handles


@handles("start")
async def start(ctx: SkillContext, args: Args) -> Reply:
    source, target = str(args["source"]), str(args["target"])
    if source == target:
        source = "english" if target != "english" else source
    if source == target:
        return Reply("I need two different languages.", ok=False)
    await ctx.put("session", {"source": source, "target": target, "device": ctx.device,
                              "since": ctx.now(), "by": ctx.speaker or ""})
    return Reply(f"Interpreting between {source.capitalize()} and {target.capitalize()}. "
                 "Say stop interpreting when you are done.",
                 data={"source": source, "target": target})


@handles("stop")
async def stop(ctx: SkillContext, args: Args) -> Reply:
    session = await ctx.get("session")
    if session is None:
        return Reply("I wasn't interpreting.", ok=False, data={"stopped": False})
    await ctx.delete("session")
    return Reply("Stopped interpreting.", data={"stopped": True})


@handles("status")
async def status(ctx: SkillContext, args: Args) -> Reply:
    session = await ctx.get("session")
    if session is None:
        return Reply("No interpreter session is running.", data={"active": False})
    return Reply(f"I'm interpreting between {str(session['source']).capitalize()} and "
                 f"{str(session['target']).capitalize()}.", data={"active": True})
