"""Turn-taking: was an utterance meant for the assistant, is the turn over, which device answers.

For every utterance it (1) waits, in bus time, when the words stop mid-thought ("set a timer
for...") and joins the rest of the turn from the same speaker on the same device; (2) scores
the finished turn with the addressee policy (gaze, wording, acoustics, dialogue state);
(3) when a home has several devices, waits a moment for the other devices' hearings of the same
words and lets exactly one answer: the one the speaker faces, else the loudest. It publishes
``turn.addressed`` or ``turn.ignored`` with the score, the reasons and the cue values.

Config (``turn_taking`` in the agent config): ``ablate`` (cue families to drop), ``policy``
("learned" or "rules"), ``hold_s``, ``arbitration_s`` and ``vision_settle_s`` (bus seconds).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agents import language_turns
from agents.base import Agent, on
from agents.sharding import owns
from agents.turn_context import Household
from bus.messages import (
    Attention,
    DeviceOnline,
    DialogueState,
    TurnAddressed,
    TurnIgnored,
    Utterance,
)
from policies.addressee import Verdict, check_ablation, make_policy
from policies.addressee_turns import (
    Hearing,
    join_fragments,
    looks_incomplete,
    pick_device,
    same_utterance,
)

# How long a pause mid-thought may last before the turn counts as over. In text mode the rest
# of the turn arrives only once it has been said, so this covers the pause and the words.
HOLD_S = 3.0
MAX_HOLDS = 3  # "hey hearth..." "set a timer for..." "...five minutes": then decide anyway
ARBITRATION_S = 0.25  # how long other devices' hearings of the same words may take to arrive
VISION_SETTLE_S = 0.15  # how long a camera's cue may lag behind the words it goes with
ANOTHER_DEVICE = "another device answers"


@dataclass
class Turn:
    """One speaker's turn on one device, possibly several fragments."""

    first: Utterance  # its correlation id is the turn's
    last: Utterance
    texts: list[str]
    holds: int = 0

    @property
    def text(self) -> str:
        return join_fragments(self.texts) if len(self.texts) > 1 else self.texts[0]


@dataclass
class Judged:
    turn: Turn
    verdict: Verdict
    hearing: Hearing
    expecting: bool  # this device awaits an answer from the speaker


@dataclass
class Group:
    """Hearings of one utterance by several devices, judged and decided together."""

    key: str
    speaker: str | None
    text: str
    turns: list[Turn] = field(default_factory=list)


def turn_config(config: Mapping[str, Any]) -> dict[str, Any]:
    section = config.get("turn_taking", {})
    return dict(section) if isinstance(section, Mapping) else {}


class TurnTakingAgent(Agent):
    NAME = "turn_taking"
    PUBLISHES = (TurnAddressed, TurnIgnored)

    async def on_start(self) -> None:
        cfg = turn_config(self.config)
        self.ablate = check_ablation(frozenset(cfg.get("ablate") or ()))
        self.policy = make_policy(str(cfg.get("policy", "learned")))
        self.hold_s = float(cfg.get("hold_s", HOLD_S))
        self.arbitration_s = float(cfg.get("arbitration_s", ARBITRATION_S))
        self.vision_settle_s = float(cfg.get("vision_settle_s", VISION_SETTLE_S))
        self.homes: dict[str, Household] = {}
        self.turns: dict[tuple[str, str, str | None], Turn] = {}  # (household, device, speaker)
        self.groups: dict[str, list[Group]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._seq = itertools.count()

    def home(self, household: str) -> Household:
        return self.homes.setdefault(household, Household())

    def _lock(self, household: str) -> asyncio.Lock:
        # Handlers of a household already run one at a time; scheduled work must join them.
        return self._locks.setdefault(household, asyncio.Lock())

    # -- what every replica keeps up to date -----------------------------------------------
    @on(DialogueState, broadcast=True)
    async def dialogue_changed(self, msg: DialogueState) -> None:
        self.home(msg.household).dialogue(msg)

    @on(Attention, broadcast=True)
    async def attention(self, msg: Attention) -> None:
        self.home(msg.household).attention(msg)

    @on(DeviceOnline, broadcast=True)
    async def device_online(self, msg: DeviceOnline) -> None:
        self.home(msg.household).device_online(msg)

    # -- turns -----------------------------------------------------------------------------
    # Broadcast, and handled by the replica that owns the household: the fragments of a turn
    # and the hearings of one utterance by several devices must meet in one place.
    @on(Utterance, broadcast=True)
    async def heard(self, msg: Utterance) -> None:
        if not owns(self.config, self.replica, msg.household):
            return
        lang = await language_turns.route(self.bus, msg)
        if lang.kind == "translate":
            return  # the translation agent says it again in English; that one is judged
        async with self._lock(msg.household):
            self.home(msg.household).heard(msg)
            if lang.kind in ("interpret", "control"):
                await self._interpreted(msg, lang.language, lang.kind == "interpret")
                return
            key = (msg.household, msg.device, msg.speaker)
            turn = self.turns.pop(key, None)
            if turn is not None:
                self.scheduler.cancel(self._hold_key(key))
                turn.texts.append(msg.text)
                turn.last = msg
            else:
                turn = Turn(msg, msg, [msg.text])
            if looks_incomplete(turn.text) and turn.holds < MAX_HOLDS and self.hold_s > 0:
                turn.holds += 1
                self.turns[key] = turn
                self.scheduler.at(msg.household, self.now(msg.household) + self.hold_s,
                                  self._hold_key(key), lambda: self._turn_over(key))
                return
            await self._finish(turn)

    async def _interpreted(self, msg: Utterance, language: str, interpret: bool) -> None:
        """Interpreter session: every utterance there is for the assistant, as it stands
        (no hold for "unfinished" words: that test knows English only); words to interpret
        go to the translation agent, "stop interpreting" to understanding."""
        reason = (language_turns.INTERPRETER_SESSION if interpret
                  else language_turns.SESSION_CONTROL)
        await self.publish(self.derive(
            msg, TurnAddressed, device=msg.device, speaker=msg.speaker, text=msg.text,
            utterance_id=msg.id, score=1.0, reasons=[reason], interpret=interpret,
            language=language))
        self.home(msg.household).note(self.now(msg.household), msg.speaker, msg.device,
                                      True, msg.loudness)

    @staticmethod
    def _hold_key(key: tuple[str, str, str | None]) -> str:
        return f"hold:{key[0]}:{key[1]}:{key[2]}"

    async def _turn_over(self, key: tuple[str, str, str | None]) -> None:
        """The pause outlasted the hold: the turn is over as it stands."""
        async with self._lock(key[0]):
            turn = self.turns.pop(key, None)
            if turn is not None:
                await self._finish(turn)

    def _judge(self, turn: Turn) -> Judged:
        msg = turn.last
        cues, looked_at = self.home(msg.household).cues(turn.text, msg, self.now(msg.household))
        verdict = self.policy.judge(cues, self.ablate)
        return Judged(
            turn, verdict,
            Hearing(msg.device, msg.loudness, msg.direction_deg, looked_at == msg.device),
            expecting=cues.follow_up and verdict.features.get("follow_up", 0.0) >= 1.0,
        )

    def _settle_s(self, home: Household, msg: Utterance) -> float:
        """How long to wait before judging: for other devices' hearings, and for the camera.

        Sound and sight travel separate paths (perception and vision agents): a glance at the
        device just before speaking may reach this agent a moment after the words do.
        """
        wait = 0.0
        if len(home.known_devices()) > 1:
            wait = self.arbitration_s
        if home.has_camera(home.room_of(msg.device)):
            wait = max(wait, self.vision_settle_s)
        return wait

    async def _finish(self, turn: Turn) -> None:
        """The turn is over: judge it now, or once the other cues have had time to arrive."""
        msg = turn.last
        home = self.home(msg.household)
        wait = self._settle_s(home, msg)
        if wait <= 0:
            await self._decide([self._judge(turn)])
            return
        groups = self.groups.setdefault(msg.household, [])
        for group in groups:
            if (group.speaker == msg.speaker
                    and all(t.last.device != msg.device for t in group.turns)
                    and same_utterance(group.text, turn.text)):
                group.turns.append(turn)
                return
        group = Group(f"settle:{msg.household}:{next(self._seq)}", msg.speaker, turn.text, [turn])
        groups.append(group)
        self.scheduler.at(msg.household, self.now(msg.household) + wait, group.key,
                          lambda: self._arbitrate(msg.household, group))

    async def _arbitrate(self, household: str, group: Group) -> None:
        async with self._lock(household):
            groups = self.groups.get(household, [])
            if group in groups:
                groups.remove(group)
            await self._decide([self._judge(t) for t in group.turns])

    async def _decide(self, members: list[Judged]) -> None:
        """Publish one decision per device; at most one device answers."""
        best = max(members, key=lambda m: m.verdict.score)
        if len(members) == 1 or not best.verdict.addressed:
            for m in members:
                await self._publish(m, m.verdict.addressed, m.verdict.score, m.verdict.reasons)
            return
        expecting = [i for i, m in enumerate(members) if m.expecting]
        if expecting:
            winner, why = expecting[0], "this device asked the question"
        else:
            winner, why = pick_device([m.hearing for m in members])
        for i, m in enumerate(members):
            if i == winner:
                # its own reasons when it would have taken the turn alone; else the best's
                reasons = (m.verdict if m.verdict.addressed else best.verdict).reasons
                await self._publish(m, True, best.verdict.score, [*reasons, why])
            else:
                await self._publish(m, False, m.verdict.score,
                                    [ANOTHER_DEVICE, *m.verdict.reasons])

    async def _publish(self, judged: Judged, addressed: bool, score: float,
                       reasons: list[str]) -> None:
        turn = judged.turn
        msg = turn.last
        cls = TurnAddressed if addressed else TurnIgnored
        await self.publish(self.derive(
            msg, cls,
            correlation_id=turn.first.correlation_id,  # the turn began with its first words
            device=msg.device,
            speaker=msg.speaker,
            text=judged.verdict.text,
            utterance_id=msg.id,
            score=score,
            reasons=reasons,
            features=judged.verdict.features,
        ))
        self.home(msg.household).note(self.now(msg.household), msg.speaker, msg.device,
                                      addressed or ANOTHER_DEVICE in reasons, msg.loudness)
