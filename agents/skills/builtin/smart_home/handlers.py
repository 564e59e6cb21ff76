"""Smart home: device state per household in KV (no real devices attached yet)."""

from __future__ import annotations

from typing import Any

from agents.skills.sdk import Args, Reply, SkillContext, handles

SCENES: dict[str, dict[str, Any]] = {
    "movie night": {"lights": ("living room", False), "tv": ("living room", True)},
    "good night": {"lights": ("*", False), "lock": "front door"},
    "good morning": {"lights": ("kitchen", True), "coffee machine": ("kitchen", True)},
    "dinner": {"lights": ("dining room", True)},
    "away": {"lights": ("*", False), "lock": "front door"},
}


def _room(ctx: SkillContext, args: Args) -> str:
    """The room asked for, else the room of the speaking device (``living_room`` -> ...)."""
    return str(args.get("room") or ctx.device.replace("_", " ").replace("-", " "))


def _phrase(device: str, room: str) -> str:
    return f"the {device} in the {room}"


async def _devices(ctx: SkillContext) -> dict[str, Any]:
    value = await ctx.get("devices", {})
    return dict(value)


async def _switch(ctx: SkillContext, device: str, room: str, on: bool) -> None:
    devices = await _devices(ctx)
    devices[f"{room}/{device}"] = {**devices.get(f"{room}/{device}", {}), "on": on}
    await ctx.put("devices", devices)


@handles("turn_on")
async def turn_on(ctx: SkillContext, args: Args) -> Reply:
    room, device = _room(ctx, args), str(args["device"])
    await _switch(ctx, device, room, True)
    return Reply(f"Turned on {_phrase(device, room)}.", data={"room": room, "device": device})


@handles("turn_off")
async def turn_off(ctx: SkillContext, args: Args) -> Reply:
    room, device = _room(ctx, args), str(args["device"])
    await _switch(ctx, device, room, False)
    return Reply(f"Turned off {_phrase(device, room)}.", data={"room": room, "device": device})


@handles("dim")
async def dim(ctx: SkillContext, args: Args) -> Reply:
    level = float(args["level"])
    if not 0 <= level <= 100:
        return Reply("Brightness goes from 0 to 100 percent.", ok=False)
    room = _room(ctx, args)
    devices = await _devices(ctx)
    devices[f"{room}/lights"] = {"on": level > 0, "brightness": level}
    await ctx.put("devices", devices)
    return Reply(f"The lights in the {room} are at {level:g} percent.",
                 data={"room": room, "level": level})


@handles("set_temperature")
async def set_temperature(ctx: SkillContext, args: Args) -> Reply:
    degrees = float(args["degrees"])
    if not 5 <= degrees <= 30:
        return Reply("I can set the thermostat between 5 and 30 degrees.", ok=False)
    await ctx.put("thermostat", degrees)
    return Reply(f"The thermostat is set to {degrees:g} degrees.", data={"degrees": degrees})


@handles("comfort")
async def comfort(ctx: SkillContext, args: Args) -> Reply:
    feeling = str(args["feeling"])
    degrees = float(await ctx.get("thermostat", 20.0))
    # What a person who feels cold most likely wants next: two degrees more (goal prediction
    # offers it from this skill's follow_ups), within what the thermostat can do.
    target = min(30.0, degrees + 2) if feeling == "cold" else max(5.0, degrees - 2)
    return Reply(f"The thermostat is set to {degrees:g} degrees.",
                 data={"degrees": degrees, "target": target, "feeling": feeling})


@handles("lock")
async def lock(ctx: SkillContext, args: Args) -> Reply:
    door = str(args["door"])
    await ctx.put(f"lock.{door.replace(' ', '_')}", True)
    return Reply(f"The {door} is locked.", data={"door": door})


@handles("unlock")
async def unlock(ctx: SkillContext, args: Args) -> Reply:
    door = str(args["door"])
    await ctx.put(f"lock.{door.replace(' ', '_')}", False)
    return Reply(f"The {door} is unlocked.", data={"door": door})


@handles("scene")
async def scene(ctx: SkillContext, args: Args) -> Reply:
    name = str(args["scene"])
    devices = await _devices(ctx)
    for device, setting in SCENES.get(name, {}).items():
        if device == "lock":
            await ctx.put(f"lock.{str(setting).replace(' ', '_')}", True)
            continue
        room, on = setting
        rooms = {k.split("/")[0] for k in devices} if room == "*" else {room}
        for r in rooms:
            devices[f"{r}/{device}"] = {**devices.get(f"{r}/{device}", {}), "on": on}
    await ctx.put("devices", devices)
    return Reply(f"{name.capitalize()} is on.", data={"scene": name})


@handles("status")
async def status(ctx: SkillContext, args: Args) -> Reply:
    if "door" in args:
        door = str(args["door"])
        locked = await ctx.get(f"lock.{door.replace(' ', '_')}", True)
        state = "locked" if locked else "unlocked"
        return Reply(f"The {door} is {state}.", data={"state": state})
    if "device" not in args and "room" not in args:
        degrees = await ctx.get("thermostat", 20.0)
        return Reply(f"The thermostat is set to {float(degrees):g} degrees.",
                     data={"state": f"{float(degrees):g}"})
    room, device = _room(ctx, args), str(args.get("device", "lights"))
    on = (await _devices(ctx)).get(f"{room}/{device}", {}).get("on", False)
    state = "on" if on else "off"
    return Reply(f"{_phrase(device, room).capitalize()} {'are' if device.endswith('s') else 'is'} "
                 f"{state}.", data={"state": state})
