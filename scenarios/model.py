"""The scenario format: devices, people and a timeline of what happens and what is expected.

Each timeline step is a mapping with exactly one action key: ``say``, ``look``, ``move``,
``advance``, ``wait``, ``expect`` or ``locate`` (a phone reports a place). ``to:`` on a
``say`` is ground truth for scoring only; the replay engine never puts it on the bus.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bus.messages import ALL_TYPES
from bus.messages.base import TOKEN_RE
from scenarios.loader import ScenarioError, line_of, load_with_lines

_SPAN_RE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>ms|s|m|h|d)\s*$")
_SPAN_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
ASSISTANT = "assistant"
EVERYONE = "everyone"  # ground truth for a remark to the whole room (not the assistant)
TURN_GAP_S = 0.5  # with talk_time: the pause between one speaker's turn and the next


def parse_span(value: Any) -> float:
    """ "500ms", "2s", "5m", "1h", "2d" or a number of seconds -> seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (match := _SPAN_RE.match(value)):
        seconds = float(match.group("n")) * _SPAN_UNITS[match.group("unit")]
    else:
        raise ValueError(f"{value!r} is not a duration such as 500ms, 2s, 5m, 1h or 2d")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return seconds


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DeviceSpec(_Strict):
    id: str
    kind: Literal["speaker", "screen", "phone"] = "speaker"
    room: str | None = None
    camera: bool | None = None  # None: screens have a camera, speakers and phones do not

    @field_validator("id")
    @classmethod
    def _token(cls, value: str) -> str:
        if not TOKEN_RE.match(value):
            raise ValueError("device ids are letters, digits, '_' or '-'")
        return value


class PersonSpec(_Strict):
    id: str
    at: str | None = None  # the device nearest to them at the start
    language: str = "en"
    voice_known: bool = True  # False: devices cannot tell whose voice it is (a TV, a guest)


class Heard(_Strict):
    """Another device that hears a ``say``, with what it measures there."""

    device: str
    loudness: float | None = Field(default=None, ge=0.0, le=1.0)  # None: half as loud
    direction_deg: float | None = Field(default=None, ge=0.0, le=180.0)

    @model_validator(mode="before")
    @classmethod
    def _plain_id(cls, value: Any) -> Any:
        return {"device": value} if isinstance(value, str) else value


class Say(_Strict):
    line: int
    say: str = Field(min_length=1)
    by: str
    to: str  # ground truth: "assistant", "everyone" or a person's id (scoring only)
    device: str | None = None
    loudness: float = Field(default=0.6, ge=0.0, le=1.0)
    # What the device measures: where the voice points (0 = at the device), how
    # device-directed the speaking style sounds (0..1). Unset: the device cannot tell.
    direction_deg: float | None = Field(default=None, ge=0.0, le=180.0)
    style: float | None = Field(default=None, ge=0.0, le=1.0)
    heard_by: list[Heard] = Field(default_factory=list)  # other devices that hear it too
    then: list[str] = Field(default_factory=list)  # the rest of the turn, after pauses
    pause: float = 0.5  # between the fragments of the turn

    _pause = field_validator("pause", mode="before")(classmethod(lambda cls, v: parse_span(v)))

    @property
    def text(self) -> str:
        return " ".join([self.say, *self.then])


class Look(_Strict):
    line: int
    look: str  # who looks
    at: str | None  # a device id, a person's id, or null for looking away


class Move(_Strict):
    line: int
    move: str  # who moves
    to: str  # the device they are now next to


class Locate(_Strict):
    """A phone reports where its owner is (``device.location``): location reminders."""

    line: int
    locate: str  # whose phone
    place: str = Field(min_length=1)
    device: str  # the phone that reports it


class Publish(_Strict):
    """Put a message on the bus as a tool would (``hearth learn intent`` publishes
    ``learning.intent_added``): its type and fields; the replay adds household, time, source."""

    line: int
    publish: dict[str, Any]

    @field_validator("publish")
    @classmethod
    def _a_message(cls, value: dict[str, Any]) -> dict[str, Any]:
        kind = value.get("type")
        if kind not in ALL_TYPES:
            raise ValueError(f"publish needs the type of a message, not {kind!r}")
        ALL_TYPES[kind].model_validate({"household": "h", "ts": 0.0, "source": "replay",
                                        **value})
        return value


class Advance(_Strict):
    line: int
    advance: float

    _span = field_validator("advance", mode="before")(classmethod(lambda cls, v: parse_span(v)))


class Wait(_Strict):
    line: int
    wait: float

    _span = field_validator("wait", mode="before")(classmethod(lambda cls, v: parse_span(v)))


class Expectation(_Strict):
    """A checkable fact within a window after the last action step.

    Exactly one of: ``say`` (a phrase spoken on a device), ``event`` (a message type, with
    optional field values in ``where``), ``slot`` (slot values of the recognised intent),
    ``silent: true`` (nothing spoken). ``absent: true`` turns any of them into "must not".
    """

    say: str | None = None
    event: str | None = None
    where: dict[str, Any] = Field(default_factory=dict)
    slot: dict[str, Any] | None = None
    intent: str | None = None
    silent: bool = False
    device: str | None = None
    absent: bool = False
    within: float = 3.0
    count: int | None = Field(default=None, ge=0)  # exactly this many matches in the window

    _span = field_validator("within", mode="before")(classmethod(lambda cls, v: parse_span(v)))

    @field_validator("event")
    @classmethod
    def _known_event(cls, value: str | None) -> str | None:
        if value is not None and value not in ALL_TYPES:
            raise ValueError(f"unknown message type {value!r}")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Expectation:
        kinds = [k for k in ("say", "event", "slot", "intent") if getattr(self, k) is not None]
        if self.intent is not None and self.slot is not None:
            kinds.remove("intent")  # `intent` narrows a `slot` check
        if self.silent:
            kinds.append("silent")
        if len(kinds) != 1:
            raise ValueError("an expectation needs exactly one of say, event, slot, intent, silent")
        return self

    @property
    def kind(self) -> str:
        for k in ("say", "event", "slot", "intent"):
            if getattr(self, k) is not None:
                return k
        return "silent"

    def describe(self) -> str:
        neg = "no " if self.absent else ""
        if self.kind == "say":
            return f"{neg}say {self.say!r}" + (f" on {self.device}" if self.device else "")
        if self.kind == "event":
            where = "".join(f" {k}={v!r}" for k, v in self.where.items())
            return f"{neg}event {self.event}{where}"
        if self.kind == "slot":
            return f"{neg}slots {self.slot}" + (f" of {self.intent}" if self.intent else "")
        if self.kind == "intent":
            return f"{neg}intent {self.intent}"
        return "silence" + (f" on {self.device}" if self.device else "")


class Expect(_Strict):
    line: int
    expect: Expectation


Step = Say | Look | Move | Advance | Wait | Expect | Locate | Publish
_STEP_BY_KEY: dict[str, type[Step]] = {
    "say": Say, "look": Look, "move": Move, "advance": Advance, "wait": Wait, "expect": Expect,
    "locate": Locate, "publish": Publish,
}


class Scenario(_Strict):
    name: str
    description: str = ""
    file: str = ""
    start: datetime = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    devices: list[DeviceSpec] = Field(min_length=1)
    people: list[PersonSpec] = Field(default_factory=list)
    timeline: list[Step] = Field(min_length=1)
    # True: every say takes its speaking time of bus time (plus a short turn gap), as in a
    # real room; the default keeps says instantaneous, as the older scenarios expect.
    talk_time: bool = False
    # "audio": devices stream synthesized speech and play the assistant's voice
    # (scenarios/audio_mode.py); "text": devices send transcripts.
    mode: Literal["text", "audio"] = "text"

    @field_validator("start")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def device(self, device_id: str) -> DeviceSpec:
        return next(d for d in self.devices if d.id == device_id)

    def person(self, person_id: str) -> PersonSpec:
        return next(p for p in self.people if p.id == person_id)


def _validate_step(raw: Any, index: int, lines: dict[Any, int], file: str) -> Step:
    path: tuple[str | int, ...] = ("timeline", index)
    line = line_of(lines, path)
    if not isinstance(raw, dict):
        raise ScenarioError(file, line, "a timeline step must be a mapping such as {say: ...}")
    actions = [k for k in raw if k in _STEP_BY_KEY]
    if len(actions) != 1:
        known = ", ".join(_STEP_BY_KEY)
        raise ScenarioError(file, line, f"a timeline step needs exactly one of {known}")
    model = _STEP_BY_KEY[actions[0]]
    try:
        return model.model_validate({**raw, "line": line})
    except ValidationError as err:
        first = err.errors()[0]
        where = (*path, *first["loc"])
        field = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(file, line_of(lines, where), f"{field}: {first['msg']}") from None


def _check_references(scenario: Scenario, lines: dict[Any, int], file: str) -> None:
    devices = {d.id for d in scenario.devices}
    people = {p.id for p in scenario.people}
    for i, person in enumerate(scenario.people):
        if person.at is not None and person.at not in devices:
            raise ScenarioError(file, line_of(lines, ("people", i, "at")),
                                f"person {person.id!r} is at unknown device {person.at!r}")
    for step in scenario.timeline:
        who = {Say: "by", Look: "look", Move: "move", Locate: "locate"}.get(type(step))
        if who and getattr(step, who) not in people:
            raise ScenarioError(file, step.line, f"unknown person {getattr(step, who)!r}")
        named = [getattr(step, "device", None), getattr(step, "at", None)]
        if isinstance(step, Look) and step.at in people:
            named.remove(step.at)  # looking at a person, not at a device
        if isinstance(step, Say):
            named.extend(h.device for h in step.heard_by)
        if isinstance(step, Move):
            named.append(step.to)
        if isinstance(step, Expect):
            named.append(step.expect.device)
        for device in named:
            if device is not None and device not in devices:
                raise ScenarioError(file, step.line, f"unknown device {device!r}")
        if isinstance(step, Say) and step.to not in (ASSISTANT, EVERYONE) and (
            step.to not in people
        ):
            raise ScenarioError(
                file, step.line,
                f"'to' must be 'assistant', 'everyone' or a person, not {step.to!r}")
        if isinstance(step, Say) and step.device is None:
            at = scenario.person(step.by).at
            if at is None and len(devices) > 1:
                raise ScenarioError(file, step.line,
                                    f"{step.by} is at no device: give 'device:' or 'at:'")


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    data, lines = load_with_lines(text, file)
    if not isinstance(data, dict):
        raise ScenarioError(file, 1, "a scenario is a mapping with name, devices and timeline")
    raw_timeline = data.get("timeline")
    if not isinstance(raw_timeline, list):
        raise ScenarioError(file, line_of(lines, ("timeline",)), "timeline must be a list of steps")
    steps = [_validate_step(raw, i, lines, file) for i, raw in enumerate(raw_timeline)]
    try:
        scenario = Scenario.model_validate({**data, "timeline": steps, "file": file})
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(file, line_of(lines, tuple(first["loc"])),
                            f"{field}: {first['msg']}") from None
    _check_references(scenario, lines, file)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(str(path), None, f"cannot read: {err.strerror}") from None
    return parse_scenario(text, str(path))
