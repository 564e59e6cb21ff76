"""What understanding applies from self-learning: rewrites, taught concepts, added intents.

A mixin of the understanding agent (kept apart so understanding.py only carries two hooks).

- Before routing: the household's active rewrites, then the promoted ones of every household
  (``policies.rewrites.apply``), read from KV on every turn so a rewrite learned or rolled
  back by the learning agent counts at once on every replica.
- After routing: a "<name> mode" span that no skill knows, or a concept the household
  taught, sends the request to the ``memory`` skill (which asks to be taught, or applies the
  concept); an intent added from examples wins when the words are closer to its prototypes
  than to the classifier's choice (``policies.few_shot``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import msgpack

from agents import nlu
from agents.base import Agent, on
from bus.messages import IntentAdded, Slots
from policies import concepts, few_shot, routing
from policies import rewrites as rw
from policies.concepts import Concept
from policies.rewrites import GlobalRewrite, Rewrite
from policies.slots import ROOMS, find_listed

log = logging.getLogger(__name__)

LEARNING_BUCKET = "learning"
GLOBAL = "_global"
SKILLS_BUCKET = "skills"  # the memory skill keeps the taught concepts in its skill state
MEMORY_SKILL = "memory"
APPLY_CONCEPT = "memory.apply_concept"
# Only requests for these (or none) can be about lights in a mode; a timer never is.
_CONCEPT_SKILLS = (None, "smart_home", MEMORY_SKILL)


def rewrites_key(household: str) -> str:
    return f"{household}.rewrites"


def global_key() -> str:
    return f"{GLOBAL}.rewrites"


def concepts_key(household: str) -> str:
    return f"{MEMORY_SKILL}.{household}.concepts"  # DeclaredSkillAgent's state key layout


def intent_key(scope: str, intent: str) -> str:
    return f"{scope}.intent.{intent}"


async def load_list(bus: Any, bucket: str, key: str) -> list[dict[str, Any]]:
    data = await bus.kv_get(bucket, key)
    if data is None:
        return []
    value = msgpack.unpackb(data)
    return list(value) if isinstance(value, list) else []


async def load_concepts(bus: Any, household: str) -> dict[str, Concept]:
    data = await bus.kv_get(SKILLS_BUCKET, concepts_key(household))
    if data is None:
        return {}
    raw = msgpack.unpackb(data)
    return {name: Concept.model_validate(c) for name, c in dict(raw).items()}


class LearnedUnderstanding(Agent):
    """Handlers and hooks the understanding agent inherits (it sets ``self.model``)."""

    model: nlu.Understanding

    async def load_learned(self) -> None:
        self.added: dict[str, dict[str, few_shot.Added]] = {}  # scope -> intent -> prototypes
        for key in await self.bus.kv_keys(LEARNING_BUCKET):
            if ".intent." not in key:
                continue
            data = await self.bus.kv_get(LEARNING_BUCKET, key)
            if data is not None:
                try:
                    self._add(IntentAdded.model_validate(msgpack.unpackb(data)))
                except Exception:  # one bad entry must not stop understanding
                    log.exception("skipping the stored intent %s", key)

    @on(IntentAdded, broadcast=True)  # every replica routes the new intent at once
    async def intent_added(self, msg: IntentAdded) -> None:
        self._add(msg)

    def _add(self, msg: IntentAdded) -> None:
        call = msg.call or msg.intent
        if call not in self.model.labels and call not in self.model.templates:
            log.warning("intent %s calls %s, which no skill declares", msg.intent, call)
        texts = few_shot.prototype_texts(msg.examples, msg.intent)
        scope = GLOBAL if msg.scope == "all" else msg.household
        self.added.setdefault(scope, {})[msg.intent] = few_shot.Added(
            msg.intent, self.model.embedder.embed(texts), call, dict(msg.slots))

    async def before_understanding(self, household: str, text: str) -> tuple[str, list[str]]:
        own = [Rewrite.model_validate(r)
               for r in await load_list(self.bus, LEARNING_BUCKET, rewrites_key(household))]
        shared = [GlobalRewrite.model_validate(r)
                  for r in await load_list(self.bus, LEARNING_BUCKET, global_key())]
        mine = {r.said for r in own if r.status == "active"}
        # The household's own rewrites first; a promoted one never overrides them.
        rewritten, ids = rw.apply(text, [*own, *(g for g in shared if g.said not in mine)])
        return rewritten, [f"rewrite:{i}" for i in ids]

    async def after_understanding(self, household: str, text: str, routed: routing.Routed,
                                  slots: Slots, today: date | None
                                  ) -> tuple[routing.Routed, Slots, list[str]]:
        about = await self._concept(household, text, routed)
        if about is not None:
            intent, new_slots = about
            return (routing.Routed(MEMORY_SKILL, intent, 1.0, routed.intent), new_slots,
                    [f"concept:{new_slots.get('concept', '')}"])
        added = [*self.added.get(household, {}).values(), *self.added.get(GLOBAL, {}).values()]
        if not added or routed.explicit:
            return routed, slots, []
        vector = self.model.embedder.embed_one(text)
        base = self.model.similarity(vector, routed.intent) if routed.intent else 0.0
        match = few_shot.best(vector, added, base)
        if match is None:
            return routed, slots, []
        call = match.added.call
        found = self.model.slots(text, call, today) if call in self.model.labels else {}
        return (routing.Routed(routing.skill_of(call), call, match.similarity, routed.intent),
                {**found, **match.added.slots}, [f"intent:{match.added.intent}"])

    async def _concept(self, household: str, text: str,
                       routed: routing.Routed) -> tuple[str, Slots] | None:
        """(memory intent, slots) when the request is about a taught or unknown mode."""
        if routed.skill not in _CONCEPT_SKILLS or routed.intent == f"{MEMORY_SKILL}.forget_today":
            return None
        taught = await load_concepts(self.bus, household)
        name = concepts.known(text, taught) or concepts.span(text)
        managed = concepts.command(text, name)
        if managed is not None:  # "forget study mode", "change it to ...", "what modes ..."
            action, definition = managed
            slots: Slots = {} if name is None else {"concept": name}
            if definition is not None:
                slots["definition"] = definition
            return f"{MEMORY_SKILL}.{action}_concept" if action != "list" else (
                f"{MEMORY_SKILL}.list_concepts"), slots
        if name is None or (name not in taught and concepts.grounded(name, self._vocabulary())):
            return None
        rest = text.lower().replace("-", " ").replace(name, " ")  # "study" is no room (office)
        rooms = find_listed(rest, ROOMS)
        slots = {"concept": name}
        if rooms:
            slots["room"] = rooms[0].value
        return APPLY_CONCEPT, slots

    def _vocabulary(self) -> list[str]:
        """Every value and synonym a skill declares (a scene called "movie mode" is known)."""
        out: list[str] = []
        for skill in self.model.skills.values():
            for entity in skill.spec.entities.values():
                for canon, synonyms in entity.values.items():
                    out += [canon, *synonyms]
        return out
