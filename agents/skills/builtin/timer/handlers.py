"""Timers and alarms: announcements scheduled in bus time through the skill context."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from agents.skills.sdk import Args, Reply, Scheduled, SkillContext, handles
from bus.messages import new_id
from policies.durations import speak_duration

MAX_TIMER_S = 24 * 3600.0


def _timers(ctx: SkillContext) -> list[Scheduled]:
    return [e for e in ctx.scheduled() if e.event == "timer.fired"]


def _alarms(ctx: SkillContext) -> list[Scheduled]:
    return [e for e in ctx.scheduled() if e.event == "alarm.rang"]


def _called(timer: Scheduled) -> str:
    """ "eggs" or "5 minute", as in "the ... timer"."""
    return timer.label or speak_duration(float(timer.data["duration_s"]), adjective=True)


@handles("set")
async def set_timer(ctx: SkillContext, args: Args) -> Reply:
    duration = float(args["duration_s"])
    if not 0 < duration <= MAX_TIMER_S:
        return Reply("I can set timers from one second to a day.", ok=False)
    instead = ""
    if "replaces" in args and await ctx.unschedule(str(args["replaces"])):
        instead = " instead"
    name = str(args.get("name", "")).strip().lower()
    timer_id = new_id()[:8]
    label = f"{name} timer" if name else f"{speak_duration(duration, adjective=True)} timer"
    await ctx.schedule(timer_id, ctx.now() + duration, say=f"Your {label} is done.",
                       event="timer.fired", label=name,
                       data={"timer_id": timer_id, "duration_s": duration})
    head = f"{name.capitalize()} timer" if name else "Timer"
    say = f"{head} set for {speak_duration(duration)}{instead}."
    return Reply("OK, " + say[0].lower() + say[1:] if instead else say,
                 data={"timer_id": timer_id, "duration_s": duration})


@handles("cancel")
async def cancel_timer(ctx: SkillContext, args: Args) -> Reply:
    timers = _timers(ctx)
    if not timers:
        return Reply("There are no timers running.", ok=False, data={"cancelled": []})
    chosen = timers
    if "name" in args:
        name = str(args["name"]).lower()
        chosen = [t for t in timers if t.label == name]
        if not chosen:
            return Reply(f"There is no {name} timer running.", ok=False,
                         data={"cancelled": []})
    elif "duration_s" in args:  # "cancel the 3 minute timer": only that one
        duration = float(args["duration_s"])
        chosen = [t for t in timers if t.data["duration_s"] == duration]
        if not chosen:
            spoken = speak_duration(duration, adjective=True)
            return Reply(f"There is no {spoken} timer running.", ok=False,
                         data={"cancelled": []})
    for timer in chosen:
        await ctx.unschedule(timer.id)
    what = "timer" if len(chosen) == 1 else f"{len(chosen)} timers"
    return Reply(f"Cancelled the {what}.", data={"cancelled": [t.id for t in chosen]})


@handles("list")
async def list_timers(ctx: SkillContext, args: Args) -> Reply:
    timers = _timers(ctx)
    if "name" in args:
        timers = [t for t in timers if t.label == str(args["name"]).lower()] or timers
    if not timers:
        return Reply("There are no timers running.", data={"timers": []})
    now = ctx.now()
    parts = [f"{speak_duration(max(0.0, t.due - now))} left on the {_called(t)} timer"
             for t in timers]
    return Reply("; ".join(parts) + ".", data={"timers": [t.id for t in timers]})


def _next_at(ctx: SkillContext, clock: str, on: str | None) -> datetime:
    hour, minute = (int(p) for p in clock.split(":"))
    now = ctx.local_time()
    day = date.fromisoformat(on) if on else now.date()
    when = datetime.combine(day, time(hour, minute), tzinfo=ctx.tz)
    if when <= now and on is None:
        when += timedelta(days=1)
    return when


def _speak_clock(when: datetime) -> str:
    return when.strftime("%H:%M")


@handles("set_alarm")
async def set_alarm(ctx: SkillContext, args: Args) -> Reply:
    when = _next_at(ctx, str(args["time"]), args.get("date"))
    if when.timestamp() <= ctx.now():
        return Reply("That time has already passed.", ok=False)
    alarm_id = new_id()[:8]
    clock = _speak_clock(when)
    await ctx.schedule(alarm_id, when.timestamp(), say=f"Your {clock} alarm is going off.",
                       event="alarm.rang", label=clock, data={"time": clock})
    day = "tomorrow" if when.date() == ctx.local_time().date() + timedelta(days=1) else (
        "today" if when.date() == ctx.local_time().date() else when.strftime("%A"))
    return Reply(f"Alarm set for {clock} {day}.", data={"alarm_id": alarm_id, "time": clock})


@handles("cancel_alarm")
async def cancel_alarm(ctx: SkillContext, args: Args) -> Reply:
    alarms = _alarms(ctx)
    if "time" in args:
        alarms = [a for a in alarms if a.label == args["time"]]
    if not alarms:
        return Reply("There is no such alarm.", ok=False, data={"cancelled": []})
    for alarm in alarms:
        await ctx.unschedule(alarm.id)
    what = f"the {alarms[0].label} alarm" if len(alarms) == 1 else f"{len(alarms)} alarms"
    return Reply(f"Cancelled {what}.", data={"cancelled": [a.id for a in alarms]})


@handles("list_alarms")
async def list_alarms(ctx: SkillContext, args: Args) -> Reply:
    alarms = _alarms(ctx)
    if not alarms:
        return Reply("You have no alarms set.", data={"alarms": []})
    clocks = [a.label for a in alarms]
    listed = clocks[0] if len(clocks) == 1 else ", ".join(clocks[:-1]) + " and " + clocks[-1]
    plural = "an alarm" if len(clocks) == 1 else "alarms"
    return Reply(f"You have {plural} at {listed}.", data={"alarms": clocks})
