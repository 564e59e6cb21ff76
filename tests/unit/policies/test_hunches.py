"""Hunches from the home's state: door at night, lights in an empty room, oven after a timer."""

from __future__ import annotations

from datetime import UTC, datetime

from policies.hunches import (
    EMPTY_FOR_S,
    OVEN_AFTER_TIMER_S,
    UNLOCKED_FOR_S,
    Home,
    hunches,
    next_check,
    room_name,
)

T = datetime(2026, 11, 23, 21, 30, tzinfo=UTC).timestamp()


def local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def test_rooms_of_devices_and_of_slots_are_one_room() -> None:
    assert room_name("living_room") == room_name("Living Room") == "living room"


def test_a_door_left_unlocked_at_night_is_a_hunch_with_its_fix() -> None:
    home = Home()
    home.completed("smart_home.unlock", {"door": "back door"}, {"door": "back door"}, T, None)
    assert hunches(home, T + UNLOCKED_FOR_S - 1, local(T)) == []  # just unlocked
    [hunch] = hunches(home, T + UNLOCKED_FOR_S, local(T + UNLOCKED_FOR_S))
    assert (hunch.key, hunch.intent, hunch.slots) == ("hunch.door_unlocked.back door",
                                                      "smart_home.lock", {"door": "back door"})
    assert hunch.say == "The back door is still unlocked. Shall I lock it?"
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert hunches(home, noon.timestamp(), noon) == []  # by day an open door is no news
    home.completed("smart_home.lock", {"door": "back door"}, {"door": "back door"}, T + 1, None)
    assert hunches(home, T + 2 * UNLOCKED_FOR_S, local(T + 2 * UNLOCKED_FOR_S)) == []


def test_lights_on_in_a_room_seen_empty_for_a_while() -> None:
    home = Home()
    home.completed("smart_home.turn_on", {}, {"room": "living room", "device": "lights"}, T,
                   "living_room")
    home.seen("living_room", 1, T + 10)
    assert hunches(home, T + 2 * EMPTY_FOR_S, local(T)) == []  # someone is there
    home.seen("living_room", 0, T + 60)
    assert next_check(home, T + 61) == T + 60 + EMPTY_FOR_S
    assert hunches(home, T + 60 + EMPTY_FOR_S - 1, local(T)) == []
    [hunch] = hunches(home, T + 60 + EMPTY_FOR_S, local(T))
    assert (hunch.intent, hunch.slots, hunch.room) == (
        "smart_home.turn_off", {"device": "lights", "room": "living room"}, "living room")
    home.seen("living room", 2, T + 3000)  # people came back
    assert hunches(home, T + 4000, local(T)) == []


def test_the_oven_still_on_long_after_a_timer() -> None:
    home = Home()
    home.completed("smart_home.turn_on", {"device": "oven"}, {"room": "kitchen",
                                                              "device": "oven"}, T, None)
    assert hunches(home, T + 7200, local(T)) == []  # no timer: it may be a slow roast
    home.timer_fired = T + 1200
    [hunch] = hunches(home, T + 1200 + OVEN_AFTER_TIMER_S + 60, local(T))
    assert hunch.say == ("The oven is still on, 16 minutes after your timer went off. "
                         "Shall I turn it off?")
    assert hunch.slots == {"device": "oven", "room": "kitchen"}
    home.completed("smart_home.turn_off", {"device": "oven"}, {"room": "kitchen",
                                                               "device": "oven"}, T + 9000, None)
    assert hunches(home, T + 9999, local(T)) == []


def test_good_night_switches_lights_off_and_locks_the_front_door() -> None:
    home = Home()
    home.completed("smart_home.turn_on", {}, {"room": "hall", "device": "lights"}, T, None)
    home.completed("smart_home.unlock", {}, {"door": "front door"}, T, None)
    home.completed("smart_home.scene", {"scene": "good night"}, {"scene": "good night"}, T,
                   None)
    assert home.on == {} and home.unlocked == {}
