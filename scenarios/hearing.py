"""Who hears and who sees what in a scenario room: the replay's model of a multi-device home.

A ``say`` is heard by the speaker's device and by every device in ``heard_by`` (by default at
half the loudness: the next room); cameras see the people in their room and where they look.
Only what a real device could sense leaves here; ``to:`` never does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bus.messages import SeenPerson, TurnDecision
from scenarios.model import Say, Scenario

NEXT_ROOM_LOUDNESS = 0.5  # a voice heard by another device is this much quieter by default


@dataclass(frozen=True)
class Hearer:
    device: str
    loudness: float
    direction_deg: float | None


def hearers(step: Say, primary: str) -> list[Hearer]:
    """The devices that hear ``step``: the speaker's own first."""
    out = [Hearer(primary, step.loudness, step.direction_deg)]
    for heard in step.heard_by:
        if heard.device == primary:
            continue
        loudness = heard.loudness
        if loudness is None:
            loudness = round(step.loudness * NEXT_ROOM_LOUDNESS, 3)
        out.append(Hearer(heard.device, loudness, heard.direction_deg))
    return out


def speaker_id(scenario: Scenario, person: str) -> str | None:
    """The speaker id a device reports: none for a voice it cannot recognise."""
    return person if scenario.person(person).voice_known else None


def room_of(scenario: Scenario, device: str) -> str:
    spec = scenario.device(device)
    return spec.room or spec.id


def has_camera(scenario: Scenario, device: str) -> bool:
    spec = scenario.device(device)
    return spec.kind == "screen" if spec.camera is None else spec.camera


def seen_by(scenario: Scenario, camera: str, location: Mapping[str, str | None],
            looking: Mapping[str, str | None]) -> list[SeenPerson]:
    """The people a camera sees (those in its room with a known face) and their gaze."""
    room = room_of(scenario, camera)
    devices = {d.id for d in scenario.devices}
    people = []
    for person, at in location.items():
        if at is None or room_of(scenario, at) != room or not speaker_id(scenario, person):
            continue
        target = looking.get(person)
        is_device = target in devices
        people.append(SeenPerson(
            person=person,
            looking_at_device=target == camera,
            head_yaw_deg=0.0 if target == camera else 90.0,
            looking_at=target if is_device and target != camera else None,
            looking_at_person=target if target is not None and not is_device else None,
        ))
    return people


def combine(decisions: Mapping[str, TurnDecision], primary: str) -> TurnDecision | None:
    """The decision that stands for one say heard by several devices: an answering one."""
    if not decisions:
        return None
    addressed = [d for d in decisions.values() if d.type == "turn.addressed"]
    if addressed:
        return addressed[0]
    return decisions.get(primary) or next(iter(decisions.values()))
