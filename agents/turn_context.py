"""What the turn-taking agent knows about one household while judging its utterances.

Devices and their rooms, who looked where and when (from ``perception.attention``), whether
the assistant awaits a reply, who talked to whom a moment ago. It turns an utterance into the
``Cues`` the addressee policy scores. In memory by design: every piece is rebuilt from
broadcast messages within seconds, and nothing here outlives a conversation.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bus.messages import Attention, DeviceOnline, DialogueState, Utterance
from policies.addressee_features import Cues, Gaze
from policies.addressee_turns import GazeObs, gaze_during

SIDE_TALK_S = 10.0  # a remark between people this recent means they are mid-conversation
GAZE_KEEP_S = 300.0
RECENT_KEEP_S = 60.0
FAINT = 0.3  # quieter than this: heard from another room, not part of the talk here


@dataclass(frozen=True)
class Spoken:
    ts: float
    speaker: str | None
    room: str
    addressed: bool
    loudness: float


@dataclass
class Household:
    rooms: dict[str, str] = field(default_factory=dict)  # device -> room
    announced: set[str] = field(default_factory=set)  # devices that said they are online
    cameras: set[str] = field(default_factory=set)  # devices with a camera
    names: set[str] = field(default_factory=set)  # people seen or heard, lowercase
    # device -> (open until, whom the question was for)
    open_question: dict[str, tuple[float, str | None]] = field(default_factory=dict)
    last_answer: dict[tuple[str, str | None], float] = field(default_factory=dict)
    gaze: dict[tuple[str, str], list[GazeObs]] = field(default_factory=dict)  # (room, person)
    present: dict[str, set[str]] = field(default_factory=dict)  # room -> people in view
    recent: deque[Spoken] = field(default_factory=lambda: deque(maxlen=64))

    # -- learning the home -----------------------------------------------------------------
    def room_of(self, device: str) -> str:
        return self.rooms.get(device, device)

    def devices_in(self, room: str) -> frozenset[str]:
        return frozenset(d for d, r in self.rooms.items() if r == room)

    def known_devices(self) -> set[str]:
        return self.announced | set(self.rooms)

    def has_camera(self, room: str) -> bool:
        return any(self.room_of(d) == room for d in self.cameras)

    def device_online(self, msg: DeviceOnline) -> None:
        self.announced.add(msg.device)
        self.rooms[msg.device] = msg.room or msg.device
        if msg.camera:
            self.cameras.add(msg.device)

    def heard(self, msg: Utterance) -> None:
        self.rooms.setdefault(msg.device, msg.room or msg.device)
        if msg.room:
            self.rooms[msg.device] = msg.room
        if msg.speaker:
            self.names.add(msg.speaker.lower())

    def dialogue(self, msg: DialogueState) -> None:
        self.last_answer[(msg.device, msg.speaker)] = msg.ts
        if msg.expecting_reply:
            self.open_question[msg.device] = (msg.open_until, msg.speaker)
        else:
            self.open_question.pop(msg.device, None)

    def attention(self, msg: Attention) -> None:
        room = msg.room or msg.device
        self.rooms.setdefault(msg.device, room)
        self.cameras.add(msg.device)
        now_present = set(msg.present)
        for person in self.present.get(room, set()) - now_present:
            self._observe(room, person, GazeObs(msg.ts, seen=False))
        self.present[room] = now_present
        for person in now_present:
            self.names.add(person.lower())
            obs = GazeObs(msg.since.get(person, msg.ts), seen=True,
                          device=msg.gaze.get(person), person=msg.gaze_person.get(person))
            self._observe(room, person, obs)

    def _observe(self, room: str, person: str, obs: GazeObs) -> None:
        history = self.gaze.setdefault((room, person), [])
        last = history[-1] if history else None
        if last is not None and (last.seen, last.device, last.person) == (
            obs.seen, obs.device, obs.person
        ):
            return  # the same gaze, seen again
        history.append(obs)
        cutoff = obs.ts - GAZE_KEEP_S
        while len(history) > 1 and history[1].ts < cutoff:
            history.pop(0)

    # -- judging ---------------------------------------------------------------------------
    def side_talk(self, room: str, now: float, speaker: str | None) -> bool:
        """People talk to each other here: someone else just made a remark not meant for
        the assistant, and nobody has spoken to the assistant since. The speaker's own
        ignored words do not count: a conversation takes two."""
        for spoken in reversed(self.recent):
            if spoken.ts < now - SIDE_TALK_S:
                return False
            if spoken.room != room or spoken.loudness < FAINT:
                continue
            if spoken.addressed:
                return False
            if spoken.speaker is not None and spoken.speaker != speaker:
                return True
        return False

    def note(self, ts: float, speaker: str | None, device: str, addressed: bool,
             loudness: float) -> None:
        self.recent.append(Spoken(ts, speaker, self.room_of(device), addressed, loudness))
        while self.recent and self.recent[0].ts < ts - RECENT_KEEP_S:
            self.recent.popleft()

    def gaze_of(self, msg: Utterance) -> tuple[Gaze | None, str | None]:
        """("device" | "person" | "away" | None, the device looked at) during ``msg``."""
        if msg.speaker is None:
            return None, None  # an unknown voice cannot be matched to a face
        room = self.room_of(msg.device)
        history = self.gaze.get((room, msg.speaker), [])
        return gaze_during(history, msg.start_ts, msg.end_ts,
                           self.devices_in(room) | {msg.device})

    def cues(self, text: str, msg: Utterance, now: float) -> tuple[Cues, str | None]:
        question = self.open_question.get(msg.device)
        follow_up = question is not None and question[0] >= now
        answered = [ts for (device, who), ts in self.last_answer.items()
                    if device == msg.device and who is not None and who == msg.speaker]
        gaze, looked_at = self.gaze_of(msg)
        cues = Cues(
            text=text,
            speaker=msg.speaker,
            names=frozenset(self.names),
            follow_up=follow_up,
            follow_up_speaker=question[1] if follow_up and question else None,
            since_assistant_s=now - max(answered) if answered else None,
            side_talk=self.side_talk(self.room_of(msg.device), now, msg.speaker),
            gaze=gaze,
            loudness=msg.loudness,
            direction_deg=msg.direction_deg,
            directed_style=msg.directed_style,
        )
        return cues, looked_at
