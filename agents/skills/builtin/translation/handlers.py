"""Interpreter sessions and the household's second language.

This skill records the session (and the second language) in its KV state; the translation
agent, turn-taking, audio perception and speech read it there (``agents.language_state``) and
do the interpreting. A session starts only for a pair Hearth can translate both ways with an
installed backend; otherwise the people hear which pair is missing.
"""

from __future__ import annotations

from agents.skills.sdk import Args, Reply, SkillContext, handles
from agents.translators import shared as shared_translators
from policies.languages import UnknownLanguage, code_of, name_of
from policies.translation_choice import session_support


def _codes(args: Args) -> tuple[str, str] | Reply:
    source, target = str(args.get("source") or "english"), str(args["target"])
    try:
        a, b = code_of(source), code_of(target)
    except UnknownLanguage as exc:
        return Reply(f"I don't know that language: {exc}.", ok=False)
    if a == b:
        a = "en" if b != "en" else a
    if a == b:
        return Reply("I need two different languages.", ok=False)
    return a, b


@handles("start")
async def start(ctx: SkillContext, args: Args) -> Reply:
    codes = _codes(args)
    if isinstance(codes, Reply):
        return codes
    a, b = codes
    support = session_support(shared_translators().described(), a, b)
    source, target = name_of(a).lower(), name_of(b).lower()
    if not support.ok:
        return Reply(support.say, ok=False, data={"source": source, "target": target,
                                                  "supported": False})
    await ctx.put("session", {"source": source, "target": target, "source_code": a,
                              "target_code": b, "device": ctx.device, "since": ctx.now(),
                              "by": ctx.speaker or "", "forward": support.forward,
                              "backward": support.backward})
    return Reply(f"Interpreting between {source.capitalize()} and {target.capitalize()}. "
                 "Say stop interpreting when you are done.",
                 data={"source": source, "target": target, "supported": True})


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


@handles("bilingual")
async def bilingual(ctx: SkillContext, args: Args) -> Reply:
    """The household also speaks ``language``: requests in it are answered in it."""
    try:
        code = code_of(str(args["language"]))
    except UnknownLanguage as exc:
        return Reply(f"I don't know that language: {exc}.", ok=False)
    if code == "en":
        await ctx.delete("second_language")
        return Reply("Okay, I'll answer in English only.", data={"language": "english"})
    translators = shared_translators()
    name = name_of(code)
    if translators.choose(code, "en") is None or translators.choose("en", code) is None:
        return Reply(f"I can't understand and answer in {name} yet.", ok=False,
                     data={"language": name.lower(), "supported": False})
    await ctx.put("second_language", {"code": code, "since": ctx.now(),
                                      "by": ctx.speaker or ""})
    return Reply(f"Okay, I'll also understand {name} and answer in it.",
                 data={"language": name.lower(), "supported": True})


@handles("english_only")
async def english_only(ctx: SkillContext, args: Args) -> Reply:
    await ctx.delete("second_language")
    return Reply("Okay, I'll answer in English only.", data={"language": "english"})
