"""Learning: rewrites from implicit feedback, with their evidence, per household and promoted.

Watches what understanding made of each turn (``intent.recognized``), what completed
(``dialogue.completed``) and barge-ins (``speech.stop``). A turn fails when it is out of scope
or meets friction: "no, ..." right after it, or the person talking over the answer. A turn
that completes soon after a failed one on the same device and means about the same (sentence
embeddings, ``policies.rewrites.is_rephrase``) is a rephrase: the two are aligned and the
rewrite is kept in KV (``learning`` bucket) with its evidence. Friction right after a rewrite
was applied rolls it back. A household's rewrite counts as a vote for every household; with
enough independent votes (and words the scrubber leaves alone) it is promoted.

The recent turns are short-lived context (30 s) and stay in memory: one replica (SINGLETON).
Rewrites, votes, stats and added intents live in KV and survive a restart.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import msgpack

from agents import nlu
from agents.base import Agent, on
from agents.learned import (
    GLOBAL,
    LEARNING_BUCKET,
    global_key,
    intent_key,
    load_list,
    rewrites_key,
)
from bus.messages import (
    DialogueCompleted,
    IntentAdded,
    IntentRecognized,
    LearningRewrite,
    Message,
    PrivacyForgotten,
    SpeechStop,
)
from policies import rewrites as rw
from policies.rewrites import GlobalRewrite, Rewrite

RECENT_TURNS = 8


@dataclass
class Turn:
    cid: str
    text: str
    device: str
    ts: float
    intent: str | None
    slots: list[str] = field(default_factory=list)  # the arguments understanding found
    rewrites: list[str] = field(default_factory=list)  # ids of rewrites applied
    failed: str | None = None  # the friction that showed it failed
    completed: bool = False
    used: bool = False  # already explained by a rewrite or a rollback


def stats_key(household: str) -> str:
    return f"{household}.stats"


class LearningAgent(Agent):
    NAME = "learning"
    PUBLISHES = (LearningRewrite,)
    SINGLETON = True  # recent turns are in memory

    async def on_start(self) -> None:
        self.recent: dict[str, deque[Turn]] = {}
        self._embedder: Any = None

    def similarity(self, a: str, b: str) -> float:
        if self._embedder is None:
            self._embedder = nlu.embedder()  # loaded on first need, not at start-up
        vectors = self._embedder.embed([a, b])
        return float(vectors[0] @ vectors[1])

    def _turns(self, household: str) -> deque[Turn]:
        return self.recent.setdefault(household, deque(maxlen=RECENT_TURNS))

    def _last(self, household: str, device: str, now: float, window: float,
              before: str | None = None) -> Turn | None:
        for turn in reversed(self._turns(household)):
            if turn.cid == before or turn.device != device:
                continue
            return turn if now - turn.ts <= window else None
        return None

    # -- KV -----------------------------------------------------------------------------
    async def _rewrites(self, household: str) -> list[Rewrite]:
        raw = await load_list(self.bus, LEARNING_BUCKET, rewrites_key(household))
        return [Rewrite.model_validate(r) for r in raw]

    async def _keep(self, household: str, rewrites: list[Rewrite]) -> None:
        await self.bus.kv_put(LEARNING_BUCKET, rewrites_key(household),
                              msgpack.packb([r.model_dump() for r in rewrites]))

    async def _count(self, household: str, **add: int) -> None:
        data = await self.bus.kv_get(LEARNING_BUCKET, stats_key(household))
        counts: dict[str, int] = {} if data is None else dict(msgpack.unpackb(data))
        for name, n in add.items():
            counts[name] = counts.get(name, 0) + n
        await self.bus.kv_put(LEARNING_BUCKET, stats_key(household), msgpack.packb(counts))

    # -- what happens ---------------------------------------------------------------------
    @on(IntentRecognized)
    async def recognized(self, msg: IntentRecognized) -> None:
        now = self.now(msg.household)
        ids = [a.removeprefix("rewrite:") for a in msg.applied if a.startswith("rewrite:")]
        turn = Turn(msg.correlation_id, msg.text, msg.device, now, msg.intent,
                    sorted(msg.slots), ids)
        previous = self._last(msg.household, msg.device, now, rw.ROLLBACK_WINDOW_S)
        if rw.correction(msg.text) and previous is not None:
            await self._friction(msg, previous, "correction")
        elif previous is not None and previous.completed and rw.immediate_rephrase(
                now - previous.ts, previous.intent, previous.slots, msg.intent, msg.slots):
            await self._friction(msg, previous, "rephrase")
        elif msg.intent is None:
            turn.failed = "out_of_scope"
        self._turns(msg.household).append(turn)
        await self._count(msg.household, requests=1, failures=int(turn.failed is not None))

    @on(SpeechStop)
    async def barge_in(self, msg: SpeechStop) -> None:
        now = self.now(msg.household)
        turn = self._last(msg.household, msg.device, now, rw.ROLLBACK_WINDOW_S)
        if turn is not None:
            await self._friction(msg, turn, "barge_in")

    async def _friction(self, cause: Message, turn: Turn, kind: str) -> None:
        """The turn failed after all; a rewrite applied in it is to blame and goes."""
        await self._count(cause.household, friction=1)
        turn.failed = turn.failed or kind
        if not turn.rewrites:
            return
        turn.used = True  # explained by the rewrite: nothing to learn from this failure
        rewrites, rolled = rw.roll_back(await self._rewrites(cause.household), turn.rewrites,
                                        kind, turn.text, self.now(cause.household))
        if rolled:
            await self._keep(cause.household, rewrites)
            records = [GlobalRewrite.model_validate(r)
                       for r in await load_list(self.bus, LEARNING_BUCKET, global_key())]
            if records:
                await self.bus.kv_put(LEARNING_BUCKET, global_key(), msgpack.packb(
                    [g.model_dump() for g in rw.unvote(records, [r.id for r in rolled],
                                                       cause.household)]))
        for r in rolled:
            await self._announce(cause, r, "rolled_back", kind)

    @on(DialogueCompleted)
    async def completed(self, msg: DialogueCompleted) -> None:
        turns = self._turns(msg.household)
        turn = next((t for t in reversed(turns) if t.cid == msg.correlation_id), None)
        if turn is None:
            return
        turn.completed = True
        now = self.now(msg.household)
        household = msg.household
        rewrites = await self._rewrites(household)
        if turn.rewrites:
            rewrites = rw.confirm(rewrites, turn.rewrites, now)
            await self._keep(household, rewrites)
        failed = self._last(household, turn.device, now, rw.REPHRASE_WINDOW_S, before=turn.cid)
        if failed is None or failed.failed is None or failed.used or failed.ts > turn.ts:
            return
        fixed = rw.strip_correction(turn.text) if rw.correction(turn.text) else turn.text
        if not rw.is_rephrase(turn.ts - failed.ts, self.similarity(failed.text, fixed),
                              failed.text, fixed):
            return
        rewrites, learned = rw.learn(rewrites, failed.text, fixed, failed.failed, now)
        if learned is None:
            return
        failed.used = True
        await self._keep(household, rewrites)
        await self._count(household, rewrites=1)
        await self._announce(msg, learned, "learned", failed.failed)
        records = [GlobalRewrite.model_validate(r)
                   for r in await load_list(self.bus, LEARNING_BUCKET, global_key())]
        records, promoted = rw.vote(records, learned, household, now)
        await self.bus.kv_put(LEARNING_BUCKET, global_key(),
                              msgpack.packb([g.model_dump() for g in records]))
        if promoted is not None:
            await self._announce(msg, learned, "promoted", failed.failed)

    async def _announce(self, cause: Message, r: Rewrite, status: str, friction: str) -> None:
        await self.publish(self.derive(
            cause, LearningRewrite, rewrite_id=r.id, said=r.said, meant=r.meant,
            status=status, whole=r.whole, friction=friction, evidence=len(r.evidence)))

    # -- few-shot intents and forgetting ---------------------------------------------------
    @on(IntentAdded)
    async def intent_added(self, msg: IntentAdded) -> None:
        """Kept in KV so understanding replicas that start later route it too."""
        scope = GLOBAL if msg.scope == "all" else msg.household
        await self.bus.kv_put(LEARNING_BUCKET, intent_key(scope, msg.intent),
                              msgpack.packb(msg.model_dump()))

    @on(PrivacyForgotten)
    async def forgotten(self, msg: PrivacyForgotten) -> None:
        self.recent.pop(msg.household, None)  # what was said today is gone: forget it here too
