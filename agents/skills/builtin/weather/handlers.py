"""Weather from the skill's local data file (weather.yaml beside this module)."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from agents.skills.sdk import Args, Reply, SkillContext, handles

PLACES = {"beach": " at the beach"}  # how a place that is no city is said
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Conditions in the data file that count as each condition a person may ask about.
MEANS = {
    "rain": ("light rain", "showers"), "snow": ("snow",), "sun": ("sunny",),
    "wind": ("windy",), "cold": ("cold", "snow"), "hot": ("hot",),
}


@functools.cache
def _data(folder: Path) -> dict[str, Any]:
    loaded = yaml.safe_load((folder / "weather.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _day(ctx: SkillContext, args: Args) -> tuple[date, str]:
    today = ctx.local_time().date()
    day = date.fromisoformat(str(args["date"])) if "date" in args else today
    if day == today:
        return day, "today"
    if day == today + timedelta(days=1):
        return day, "tomorrow"
    return day, f"on {WEEKDAYS[day.weekday()].capitalize()}"


def _lookup(ctx: SkillContext, args: Args) -> tuple[str, list[Any], str] | Reply:
    data = _data(ctx.folder)
    city = str(args.get("city", "home"))
    key = data["home"] if city == "home" else city
    if key not in data["cities"]:
        return Reply(f"I have no forecast for {city.title()}.", ok=False)
    day, spoken = _day(ctx, args)
    place = "" if city == "home" else PLACES.get(city, f" in {city.title()}")
    return spoken, data["cities"][key][WEEKDAYS[day.weekday()]], place


@handles("forecast")
async def forecast(ctx: SkillContext, args: Args) -> Reply:
    found = _lookup(ctx, args)
    if isinstance(found, Reply):
        return found
    spoken, (condition, high, low, rain), place = found
    return Reply(f"{spoken.capitalize()}{place}: {condition}, high of {high}, low of {low} "
                 "degrees.", data={"condition": condition, "high_c": high, "low_c": low,
                                   "rain_pct": rain})


@handles("will_it")
async def will_it(ctx: SkillContext, args: Args) -> Reply:
    found = _lookup(ctx, args)
    if isinstance(found, Reply):
        return found
    spoken, (condition, high, _low, rain), place = found
    asked = str(args["condition"])
    yes = condition in MEANS.get(asked, ()) or (asked == "rain" and rain >= 50)
    answer = "Yes" if yes else "No"
    return Reply(f"{answer}: {spoken}{place} the forecast is {condition}, high of {high}, "
                 f"{rain} percent chance of precipitation.",
                 data={"answer": yes, "condition": condition})


@handles("beach_day")
async def beach_day(ctx: SkillContext, args: Args) -> Reply:
    days = _data(ctx.folder).get("beach_days", {})
    if str(args.get("city", "beach")) != "beach" or not days:
        return Reply("I only have beach-day details for the beach.", ok=False)
    day, spoken = _day(ctx, args)
    water, uv, wind, tide = days[WEEKDAYS[day.weekday()]]
    return Reply(f"At the beach {spoken}: the sea is {water} degrees, UV index {uv}, wind "
                 f"{wind} kilometres an hour, high tide at {tide}.",
                 data={"water_c": water, "uv": uv, "wind_kmh": wind, "high_tide": str(tide)})
