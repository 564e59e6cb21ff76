"""Privacy: the scribe that records scrubbed copies of people's words, and forgetting.

Recording. The event stream does not record message types that carry words
(``bus.jetstream.private_types``); this agent receives each of them and publishes a
``privacy.record``: the message's fields with every text field scrubbed
(``policies.scrubber``; the speaker's own id counts as a name) and bytes reduced to their
length. That is what JetStream keeps. Messages of one household are handled in order (one
replica, one lane per household), so when "forget what I said today" arrives, everything said
before it is already in the stream and can be deleted with it.

Forgetting. On the ``memory.forget_today`` skill call (the memory skill answers the person),
this agent deletes the household's messages of the day (bus time, the household's midnight)
from the event stream, one by one by sequence, and what was derived from them: rewrites and
their evidence, votes towards promotion, stats, taught concepts and open dialogues. Then it
publishes ``privacy.forgotten`` with the counts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import msgpack

from agents.base import Agent
from agents.learned import (
    LEARNING_BUCKET,
    SKILLS_BUCKET,
    concepts_key,
    global_key,
    load_concepts,
    load_list,
    rewrites_key,
)
from bus import subjects
from bus.codec import DecodeError, decode
from bus.jetstream import EVENT_STREAM, PRIVATE_FIELDS, private_types
from bus.messages import (
    ALL_TYPES,
    Message,
    PrivacyForgotten,
    PrivacyRecord,
    SkillCall,
)
from policies import rewrites as rw
from policies.rewrites import GlobalRewrite, Rewrite
from policies.scrubber import scrub

log = logging.getLogger(__name__)

FORGET_INTENT = "memory.forget_today"
DIALOGUE_BUCKET = "dialogue"
FETCH_BATCH = 256


def scrub_value(value: Any, names: list[str], found: list[str]) -> Any:
    """A field's value with its words scrubbed; bytes become their length only."""
    if isinstance(value, str):
        cleaned = scrub(value, names)
        found.extend(cleaned.found)
        return cleaned.text
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {k: scrub_value(v, names, found) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(v, names, found) for v in value]
    return value


def scrubbed_payload(msg: Message) -> tuple[dict[str, Any], list[str]]:
    speaker = getattr(msg, "speaker", None)
    names = [speaker] if isinstance(speaker, str) else []
    found: list[str] = []
    payload: dict[str, Any] = {}
    for key, value in msg.model_dump(mode="python").items():
        payload[key] = scrub_value(value, names, found) if key in PRIVATE_FIELDS else value
    if isinstance(payload.get("prosody"), dict):
        payload["prosody"] = None  # a voice print is personal too; the record does not need it
    return payload, found


class PrivacyAgent(Agent):
    NAME = "privacy"
    PUBLISHES = (PrivacyRecord, PrivacyForgotten)
    SINGLETON = True  # one lane per household: records are in order before a forget

    async def on_start(self) -> None:
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC

    async def start(self) -> None:
        await super().start()
        # Every type that carries words, received here: subscriptions made from the list in
        # bus/jetstream.py so a new message type with a text field is covered by itself.
        for name in private_types():
            sub = await self.bus.subscribe(subjects.pattern(ALL_TYPES[name]),
                                           self._receiver(self.record), queue=self.NAME)
            self._subs.append(sub)

    async def record(self, msg: Message) -> None:
        if msg.source == self.source and msg.type in ("system.error", "system.rejected"):
            return  # this agent's own trouble: recording it could loop (the log has it)
        payload, found = scrubbed_payload(msg)
        await self.publish(PrivacyRecord(
            ts=msg.ts, household=msg.household, source=self.source,
            correlation_id=msg.correlation_id, causation_id=msg.id, record_type=msg.type,
            record_id=msg.id, payload=payload, found=sorted(set(found))))
        if isinstance(msg, SkillCall) and msg.intent == FORGET_INTENT:
            await self.forget(msg)

    def day_start(self, household: str) -> float:
        now = datetime.fromtimestamp(self.now(household), self.timezone)
        return datetime.combine(now.date(), time(0), self.timezone).timestamp()

    async def forget(self, cause: SkillCall) -> None:
        household = cause.household
        since = self.day_start(household)
        events = await self.delete_events(household, since)
        keys = await self.delete_derived(household, since)
        await self.publish(self.derive(cause, PrivacyForgotten, since=since, events=events,
                                       keys=keys, device=cause.device))

    async def delete_events(self, household: str, since: float) -> int:
        """Delete the household's recorded messages of bus time >= ``since``, by sequence."""
        js = getattr(self.bus, "js", None)
        if js is None:
            return 0  # the in-memory bus records nothing
        nc = getattr(self.bus, "nc", None)
        if nc is not None:
            await nc.flush()  # what this agent just recorded is in the stream
        deleted = 0
        sub = await js.pull_subscribe(subjects.household_all(household), stream=EVENT_STREAM)
        try:
            while True:
                try:
                    batch = await sub.fetch(FETCH_BATCH, timeout=0.5)
                except TimeoutError:
                    break
                for m in batch:
                    if await self._recorded_since(m.data, since):
                        await js.delete_msg(EVENT_STREAM, m.metadata.sequence.stream)
                        deleted += 1
                if len(batch) < FETCH_BATCH:
                    break
        finally:
            await sub.unsubscribe()
        return deleted

    async def _recorded_since(self, data: bytes, since: float) -> bool:
        try:
            return decode(data).ts >= since
        except DecodeError:
            return False

    async def delete_derived(self, household: str, since: float) -> int:
        changed = 0
        own = [Rewrite.model_validate(r)
               for r in await load_list(self.bus, LEARNING_BUCKET, rewrites_key(household))]
        kept = [r.model_copy(update={"evidence": [e for e in r.evidence if e.ts < since]})
                for r in own if r.created < since]
        if own:
            changed += 1
            if kept:
                await self.bus.kv_put(LEARNING_BUCKET, rewrites_key(household),
                                      msgpack.packb([r.model_dump() for r in kept]))
            else:
                await self.bus.kv_delete(LEARNING_BUCKET, rewrites_key(household))
        records = [GlobalRewrite.model_validate(g)
                   for g in await load_list(self.bus, LEARNING_BUCKET, global_key())]
        if records:
            after = rw.withdraw(records, household, since)
            if after != records:
                changed += 1
                await self.bus.kv_put(LEARNING_BUCKET, global_key(),
                                      msgpack.packb([g.model_dump() for g in after]))
        if await self.bus.kv_get(LEARNING_BUCKET, f"{household}.stats") is not None:
            await self.bus.kv_delete(LEARNING_BUCKET, f"{household}.stats")
            changed += 1
        taught = await load_concepts(self.bus, household)
        left = {n: c for n, c in taught.items() if c.taught < since}
        if left != taught:
            changed += 1
            if left:
                await self.bus.kv_put(SKILLS_BUCKET, concepts_key(household), msgpack.packb(
                    {n: c.model_dump() for n, c in left.items()}))
            else:
                await self.bus.kv_delete(SKILLS_BUCKET, concepts_key(household))
        for key in await self.bus.kv_keys(DIALOGUE_BUCKET):
            if key.startswith(f"{household}."):
                await self.bus.kv_delete(DIALOGUE_BUCKET, key)
                changed += 1
        return changed
