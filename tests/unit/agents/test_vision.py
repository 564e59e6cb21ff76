"""agents/vision.py: camera cues become per-room attention with gaze targets and timestamps."""

from __future__ import annotations

import pytest
from conftest import T0, AgentFactory, envelope, published, virtual_clock

from agents.perception import PerceptionAgent
from agents.vision import VisionAgent, gaze_target
from bus.memory import MemoryBus, MemoryHub
from bus.messages import Attention, DeviceVision, SeenPerson


def vision(device: str, ts: float, *people: SeenPerson, room: str | None = "kitchen",
           ) -> DeviceVision:
    return DeviceVision(**envelope(ts=ts, source=device), device=device, room=room,
                        people=list(people))


async def show(hub: MemoryHub, *msgs: DeviceVision) -> list[Attention]:
    bus = MemoryBus(hub, "camera")
    for msg in msgs:
        await bus.publish(msg)
        await hub.settle()
    return published(hub, Attention)


@pytest.fixture
async def agent(start_agent: AgentFactory) -> VisionAgent:
    agent: VisionAgent = await start_agent(VisionAgent, virtual_clock(T0))
    return agent


@pytest.mark.parametrize(
    ("seen", "target"),
    [
        (SeenPerson(person="a", looking_at_device=True), "cam"),
        (SeenPerson(person="a", head_yaw_deg=5.0), "cam"),  # head pose towards the camera
        (SeenPerson(person="a", head_yaw_deg=5.0, head_pitch_deg=60.0), None),  # at the floor
        (SeenPerson(person="a"), None),  # default yaw 90: looking aside
        (SeenPerson(person="a", looking_at="speaker"), "speaker"),
        (SeenPerson(person="a", head_yaw_deg=0.0, looking_at_person="b"), None),
    ],
)
def test_gaze_target(seen: SeenPerson, target: str | None) -> None:
    assert gaze_target("cam", seen) == target


async def test_attention_says_who_looks_where_and_since_when(
    hub: MemoryHub, agent: VisionAgent
) -> None:
    alice_at_cam = SeenPerson(person="alice", looking_at_device=True)
    bob_at_alice = SeenPerson(person="bob", looking_at_person="alice")
    out = await show(hub, vision("cam", T0, alice_at_cam, bob_at_alice),
                     vision("cam", T0 + 2, alice_at_cam,
                            SeenPerson(person="bob", looking_at="speaker")))
    first, second = out
    assert (first.present, first.looking, first.room) == (["alice", "bob"], ["alice"], "kitchen")
    assert first.gaze == {"alice": "cam"} and first.gaze_person == {"bob": "alice"}
    assert second.gaze == {"alice": "cam", "bob": "speaker"}
    # alice kept looking: her gaze began at T0; bob's changed at T0 + 2
    assert second.since == {"alice": T0, "bob": T0 + 2}


async def test_cameras_of_one_room_are_merged_and_people_leave_a_view(
    hub: MemoryHub, agent: VisionAgent
) -> None:
    out = await show(
        hub,
        vision("cam1", T0, SeenPerson(person="alice")),
        vision("cam2", T0 + 1, SeenPerson(person="bob", looking_at_device=True)),
        vision("cam1", T0 + 2),  # alice left cam1's view
        vision("hall_cam", T0 + 3, SeenPerson(person="carol"), room="hall"),
    )
    assert [a.present for a in out] == [["alice"], ["alice", "bob"], ["bob"], ["carol"]]
    assert (out[1].device, out[1].looking, out[1].gaze) == ("cam2", ["bob"], {"bob": "cam2"})
    assert out[3].room == "hall"


async def test_perception_no_longer_handles_vision(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    assert DeviceVision not in PerceptionAgent.HANDLERS
    await start_agent(PerceptionAgent, virtual_clock(T0))
    assert await show(hub, vision("cam", T0, SeenPerson(person="a"))) == []
