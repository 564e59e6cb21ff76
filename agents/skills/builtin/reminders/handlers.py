"""Reminders: announcements scheduled in bus time, at a clock time or after a duration."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from agents.skills.sdk import Args, Reply, SkillContext, handles
from bus.messages import new_id
from policies.durations import speak_duration


def _about(what: str) -> str:
    """ "to call mom" / "about the bins" -> "call mom" / "the bins"."""
    return re.sub(r"^(?:to|about|that i need to|that)\s+", "", what.strip().rstrip(".!?"))


def _due(ctx: SkillContext, args: Args) -> tuple[float, str] | None:
    if "after" in args:
        seconds = float(args["after"])
        return ctx.now() + seconds, f"in {speak_duration(seconds)}"
    if "time" not in args:
        return None
    hour, minute = (int(p) for p in str(args["time"]).split(":"))
    now = ctx.local_time()
    day = date.fromisoformat(str(args["date"])) if "date" in args else now.date()
    when = datetime.combine(day, time(hour, minute), tzinfo=ctx.tz)
    if when <= now and "date" not in args:
        when += timedelta(days=1)
    spoken = f"at {when:%H:%M}"
    if when.date() != now.date():
        spoken += " tomorrow" if when.date() == now.date() + timedelta(days=1) else (
            f" on {when:%A}")
    return when.timestamp(), spoken


def _content(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower())) - {"the", "a", "an", "to", "my", "of"}


@handles("add")
async def add(ctx: SkillContext, args: Args) -> Reply:
    what = _about(str(args["what"]))
    if "place" in args and "time" not in args and "after" not in args:
        # A location reminder: the proactive agent says it when the person's phone reports
        # the place (it learns of it from dialogue.completed with this data).
        place = str(args["place"])
        return Reply(f"OK, I'll remind you to {what} when you're at the {place}.",
                     data={"what": what, "place": place})
    due = _due(ctx, args)
    if due is None:
        return Reply("When should I remind you?", ok=False, ask="time")
    at, spoken = due
    if at <= ctx.now():
        return Reply("That time has already passed.", ok=False)
    reminder_id = new_id()[:8]
    await ctx.schedule(reminder_id, at, say=f"Reminder: {what}.", event="reminder.due",
                       label=what, device=ctx.device)
    return Reply(f"OK, I'll remind you to {what} {spoken}.",
                 data={"reminder_id": reminder_id, "due": at})


@handles("list")
async def list_reminders(ctx: SkillContext, args: Args) -> Reply:
    pending = ctx.scheduled()
    if not pending:
        return Reply("You have no reminders.", data={"reminders": []})
    parts = [f"{r.label} at {ctx.local_time(r.due):%H:%M}" for r in pending]
    return Reply("Your reminders: " + "; ".join(parts) + ".",
                 data={"reminders": [r.label for r in pending]})


@handles("cancel")
async def cancel(ctx: SkillContext, args: Args) -> Reply:
    pending = ctx.scheduled()
    if "what" in args:
        words = _content(_about(str(args["what"])))
        pending = [r for r in pending if words & _content(r.label)]
    if not pending:
        return Reply("There is no such reminder.", ok=False, data={"cancelled": []})
    for reminder in pending:
        await ctx.unschedule(reminder.id)
    what = f"the reminder to {pending[0].label}" if len(pending) == 1 else (
        f"{len(pending)} reminders")
    return Reply(f"Cancelled {what}.", data={"cancelled": [r.id for r in pending]})
