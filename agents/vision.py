"""Vision perception: camera cues become a per-room attention state.

Devices with a camera report who they see, their head pose and what it points at. This agent
merges the cameras of a room, remembers since when each person looks where they look, and
publishes ``perception.attention`` whenever a camera reports, so the turn-taking agent can
tell whether someone looked at a device while speaking.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.base import Agent, on
from agents.sharding import owns
from bus.messages import Attention, DeviceVision, SeenPerson

# Head yaw within this of the camera axis counts as looking at the camera's own device when
# the device does not say so itself.
LOOKING_YAW_DEG = 20.0


@dataclass(frozen=True)
class PersonView:
    camera: str  # the device whose camera saw them last
    device: str | None  # the device they look at
    person: str | None  # the person they look at
    since: float  # camera time at which this gaze began
    speaking: bool


def gaze_target(camera: str, seen: SeenPerson) -> str | None:
    """The device a person looks at, from the camera's own judgement or the head pose."""
    if seen.looking_at_device or (seen.looking_at is None and seen.looking_at_person is None
                                  and abs(seen.head_yaw_deg) <= LOOKING_YAW_DEG
                                  and abs(seen.head_pitch_deg) <= LOOKING_YAW_DEG):
        return camera
    return seen.looking_at


class VisionAgent(Agent):
    NAME = "vision"
    PUBLISHES = (Attention,)

    async def on_start(self) -> None:
        # (household, room) -> person -> what the room's cameras last saw of them
        self.rooms: dict[tuple[str, str], dict[str, PersonView]] = {}

    # Broadcast and owned per household: a room's cameras must meet in one replica.
    @on(DeviceVision, broadcast=True)
    async def seen(self, msg: DeviceVision) -> None:
        if not owns(self.config, self.replica, msg.household):
            return
        room = msg.room or msg.device
        views = self.rooms.setdefault((msg.household, room), {})
        in_view = {p.person for p in msg.people}
        for person in [p for p, v in views.items() if v.camera == msg.device and p not in in_view]:
            del views[person]  # left this camera's view
        for seen in msg.people:
            target = gaze_target(msg.device, seen)
            other = seen.looking_at_person
            before = views.get(seen.person)
            same = before is not None and (before.device, before.person) == (target, other)
            since = before.since if same and before is not None else msg.ts
            views[seen.person] = PersonView(msg.device, target, other, since, seen.speaking)
        await self.publish(self.derive(
            msg,
            Attention,
            device=msg.device,
            room=msg.room,
            present=sorted(views),
            looking=sorted(p for p, v in views.items() if v.device == msg.device),
            gaze={p: v.device for p, v in sorted(views.items()) if v.device is not None},
            gaze_person={p: v.person for p, v in sorted(views.items()) if v.person is not None},
            since={p: v.since for p, v in sorted(views.items())},
            speaking=sorted(p for p, v in views.items() if v.speaking),
        ))
