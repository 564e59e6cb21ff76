"""The replay engine: plays a scenario against a running Hearth and checks what it does.

It drives device simulators, moves the household's virtual clock, records every message of
the household, and checks each expectation in its time window. Ground truth (``to:``) stays
here: it is compared with the decisions, never published.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable

from bus.clock import BusClock, announce_virtual_time
from bus.messages import (
    ALL_TYPES,
    DeviceSay,
    IntentRecognized,
    Message,
    SkillCall,
    TurnDecision,
)
from bus.transport import Bus
from devices.sim import DeviceSimulator, speaking_time
from scenarios import audio_mode, hearing
from scenarios.model import (
    TURN_GAP_S,
    Advance,
    Expect,
    Expectation,
    Locate,
    Look,
    Move,
    Publish,
    Say,
    Scenario,
    Wait,
)
from scenarios.recorder import Recorder
from scenarios.results import Decision, ExpectationResult, ScenarioResult

DECISION_TIMEOUT_S = 5.0
CLOCK_SETTLE_S = 0.2  # lets every agent take the virtual clock before the first step
VISION_SETTLE_S = 1.0  # at most this long for a camera's cue to become attention


def household_for(scenario: Scenario) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", scenario.name).strip("-")[:40] or "scenario"
    return f"{slug}-{uuid.uuid4().hex[:6]}"


def _same(actual: object, wanted: object) -> bool:
    if isinstance(actual, int | float) and isinstance(wanted, int | float):
        return abs(float(actual) - float(wanted)) < 1e-6
    if isinstance(actual, list) and isinstance(wanted, list):
        # A list in `where` names items that must all be there (reasons: ["wake word"]).
        return all(item in actual for item in wanted)
    return actual == wanted


def matcher(exp: Expectation) -> Callable[[Message], bool]:
    """What message would satisfy (or, when absent, violate) an expectation."""

    def on_device(msg: DeviceSay) -> bool:
        return exp.device is None or msg.device == exp.device

    if exp.kind == "say":
        phrase = (exp.say or "").lower()
        return lambda m: isinstance(m, DeviceSay) and on_device(m) and phrase in m.text.lower()
    if exp.kind == "silent":
        return lambda m: isinstance(m, DeviceSay) and on_device(m)
    if exp.kind == "event":
        return lambda m: m.type == exp.event and all(
            _same(getattr(m, k, None), v) for k, v in exp.where.items()
        )

    def intent_matches(m: Message) -> bool:
        if not isinstance(m, IntentRecognized | SkillCall):
            return False
        if exp.intent is not None and m.intent != exp.intent:
            return False
        return all(_same(m.slots.get(k), v) for k, v in (exp.slot or {}).items())

    return intent_matches


class ScenarioRunner:
    def __init__(self, bus: Bus, scenario: Scenario, household: str | None = None,
                 audio: bool | None = None) -> None:
        self.bus = bus
        self.scenario = scenario
        # Audio mode: devices stream synthesized speech (scenarios/audio_mode.py).
        self.audio = scenario.mode == "audio" if audio is None else audio
        self.household = household or household_for(scenario)
        self.clock = BusClock()
        self.recorder = Recorder(bus, self.household)
        self.sims: dict[str, DeviceSimulator] = {}
        self.location = {p.id: p.at for p in scenario.people}
        self.looking: dict[str, str | None] = {}
        self.result = ScenarioResult(scenario.name, scenario.file, self.household)
        self._anchor = (0, 0.0)  # (recorder index, monotonic time) of the last action step
        self.step_walls: list[tuple[float, str]] = []  # (monotonic, note) for the transcript

    async def run(self) -> ScenarioResult:
        began = time.monotonic()
        self.clock.set_virtual(self.household, self.scenario.start.timestamp())
        await self.recorder.start()
        for spec in self.scenario.devices:
            self.sims[spec.id] = await audio_mode.simulator(self.audio, self.scenario)(
                self.bus, self.household, spec.id, spec.kind, self.clock, room=spec.room,
                camera=hearing.has_camera(self.scenario, spec.id),
            ).start()
        try:
            await self._publish_clock()
            await asyncio.sleep(CLOCK_SETTLE_S)
            if any(sim.camera for sim in self.sims.values()):
                await self._show_people()  # cameras see who is there from the start
            for step in self.scenario.timeline:
                if isinstance(step, Expect):
                    await self._expect(step)
                    continue
                self._anchor = (self.recorder.mark(), time.monotonic())
                if isinstance(step, Say):
                    await self._say(step)
                elif isinstance(step, Advance):
                    await self._advance(step)
                elif isinstance(step, Wait):
                    await asyncio.sleep(step.wait)
                elif isinstance(step, Look):
                    self.looking[step.look] = step.at
                    await self._show_people()
                elif isinstance(step, Move):
                    self.location[step.move] = step.to
                    await self._show_people()
                elif isinstance(step, Locate):  # a phone reports where its owner is
                    await self.sims[step.device].locate(step.locate, step.place)
                elif isinstance(step, Publish):  # a tool's message (hearth learn intent)
                    await self.bus.publish(ALL_TYPES[step.publish["type"]].model_validate({
                        "household": self.household, "source": "replay",
                        "ts": self.clock.now(self.household), **step.publish}))
        except Exception as exc:  # report, do not crash a multi-scenario replay
            self.result.error = f"{type(exc).__name__}: {exc}"
        finally:
            for sim in self.sims.values():
                await sim.stop()
            await self.recorder.stop()
        self._reply_latencies()
        self.result.wall_s = time.monotonic() - began
        return self.result

    async def _publish_clock(self) -> None:
        await announce_virtual_time(
            self.bus, self.household, self.clock.now(self.household), source="replay"
        )

    def _device_of(self, step: Say) -> str:
        device = step.device or self.location.get(step.by) or self.scenario.devices[0].id
        return device

    async def _pass_time(self, seconds: float) -> None:
        self.clock.set_virtual(self.household, self.clock.now(self.household) + seconds)
        await self._publish_clock()

    async def _say(self, step: Say) -> None:
        # Every device that hears the say publishes its own transcript (and fragments of one
        # turn are published after their pauses); each device decides, and the scenario's
        # decision is "addressed" when any device answered.
        primary = self._device_of(step)
        hearers = hearing.hearers(step, primary)
        speaker = hearing.speaker_id(self.scenario, step.by)
        cids: dict[str, list[str]] = {h.device: [] for h in hearers}
        for i, text in enumerate([step.say, *step.then]):
            if self.scenario.talk_time:
                await self._pass_time((step.pause if i else TURN_GAP_S) + speaking_time(text))
            elif i:
                await asyncio.sleep(step.pause)
            for h in hearers:
                heard = await self.sims[h.device].hear(
                    text, speaker=speaker, loudness=h.loudness, direction_deg=h.direction_deg,
                    directed_style=step.style)
                cids[h.device].append(heard.correlation_id)
        if self.audio:  # the line takes as long as it takes to say: windows start after it
            spoken = await audio_mode.finish_speaking(self.sims.values(), self._anchor[1])
            self._anchor = (self._anchor[0], spoken)
        first = cids[primary][0]
        decision = Decision(step.line, step.by, step.text, step.to, first,
                            heard_as=[c for ids in cids.values() for c in ids])
        self.result.decisions.append(decision)
        decided: dict[str, TurnDecision] = {}
        deadline = time.monotonic() + DECISION_TIMEOUT_S
        while len(decided) < len(cids):
            seen = await self.recorder.wait_for(
                self._anchor[0],
                lambda m: isinstance(m, TurnDecision) and m.device not in decided
                and m.correlation_id in cids.get(m.device, ()),
                max(0.0, deadline - time.monotonic()),
            )
            if seen is None or not isinstance(seen.msg, TurnDecision):
                break
            decided[seen.msg.device] = seen.msg
        top = hearing.combine(decided, primary)
        if top is not None:
            decision.addressed = top.type == "turn.addressed"
            decision.score = top.score
            decision.reasons = list(top.reasons)
            decision.correlation_id = top.correlation_id
            decision.answered_on = sorted(
                d.device for d in decided.values() if d.type == "turn.addressed")

    async def _advance(self, step: Advance) -> None:
        self.clock.set_virtual(self.household, self.clock.now(self.household) + step.advance)
        self.step_walls.append((time.monotonic(), f"advance {step.advance:g}s"))
        await self._publish_clock()

    async def _show_people(self) -> None:
        """Cameras report who is in their room and where each person looks."""
        mark = self.recorder.mark()
        for spec in self.scenario.devices:
            if self.sims[spec.id].camera:
                sent = await self.sims[spec.id].see(
                    hearing.seen_by(self.scenario, spec.id, self.location, self.looking))
                # A look comes before the words that follow it: let vision take it in first.
                await self.recorder.wait_for(mark, _caused_by(sent.id), VISION_SETTLE_S)

    async def _expect(self, step: Expect) -> None:
        exp = step.expect
        since, anchor_wall = self._anchor
        deadline = anchor_wall + exp.within
        match = matcher(exp)
        negative = exp.absent or exp.kind == "silent"
        if exp.count is not None:  # exactly so many in the whole window
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            hits = [s for s in self.recorder.seen[since:] if s.wall <= deadline and match(s.msg)]
            passed = len(hits) == exp.count
            hit = hits[-1] if hits else None
            detail = f"{len(hits)} matched: {[_brief(s.msg) for s in hits]}"
            latency = None
        elif negative:
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            hit = self.recorder.find(since, match)
            hit = hit if hit is not None and hit.wall <= deadline else None
            passed = hit is None
            detail = "nothing matched" if passed else f"but got {_brief(hit.msg)}"  # type: ignore[union-attr]
            latency = None
        else:
            hit = await self.recorder.wait_for(since, match, max(0.0, deadline - time.monotonic()))
            passed = hit is not None
            latency = (hit.wall - anchor_wall) * 1000 if hit is not None else None
            detail = _brief(hit.msg) if hit is not None else self._nearest_miss(since, exp)
        self.result.expectations.append(ExpectationResult(
            step.line, exp.kind, exp.describe(), passed, latency, detail, time.monotonic(),
            message_id=hit.msg.id if hit is not None else None,
        ))

    def _nearest_miss(self, since: int, exp: Expectation) -> str:
        said = [s.msg.text for s in self.recorder.seen[since:] if isinstance(s.msg, DeviceSay)]
        if exp.kind == "say":
            return f"nothing matched; said: {said}" if said else "nothing was said"
        return "no matching message in the window"

    def _reply_latencies(self) -> None:
        first_reply: dict[str, float] = {}
        asked: dict[str, float] = {}
        for seen in self.recorder.seen:
            cid = seen.msg.correlation_id
            if seen.msg.type == "device.transcript":
                asked.setdefault(cid, seen.wall)
            elif isinstance(seen.msg, DeviceSay):
                first_reply.setdefault(cid, seen.wall)
        for decision in self.result.decisions:
            cid = decision.correlation_id
            if decision.addressed and cid in first_reply and cid in asked:
                decision.reply_latency_ms = (first_reply[cid] - asked[cid]) * 1000


def _caused_by(cause: str) -> Callable[[Message], bool]:
    return lambda m: m.causation_id == cause


def _brief(msg: Message) -> str:
    if isinstance(msg, DeviceSay):
        return f"{msg.device} said {msg.text!r}"
    if isinstance(msg, IntentRecognized | SkillCall):
        return f"{msg.type} {msg.intent} {dict(msg.slots)}"
    return msg.type


async def replay(bus: Bus, scenarios: list[Scenario],
                 on_result: Callable[[ScenarioRunner], None] | None = None,
                 audio: bool | None = None) -> list[ScenarioResult]:
    results = []
    for scenario in scenarios:
        runner = ScenarioRunner(bus, scenario, audio=audio)
        results.append(await runner.run())
        if on_result is not None:
            on_result(runner)
    return results
