"""The trained understanding model for a set of skills: embeddings, classifier, slots.

Built once per process and set of skill folders (the embedder and the classifier are the
expensive parts), then shared by every understanding agent in that process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from datetime import date

from agents.embedder import Embedder
from agents.skills.catalog import LoadedSkill, discover, names_of
from bus.messages import Slots
from policies import routing
from policies.augment import prototypes
from policies.intent_classifier import IntentClassifier, Vectors, features
from policies.slots import extract

_LOCK = threading.Lock()
_EMBEDDER: Embedder | None = None
_SHARED: dict[tuple[str, ...], Understanding] = {}


def embedder() -> Embedder:
    global _EMBEDDER
    with _LOCK:
        if _EMBEDDER is None:
            _EMBEDDER = Embedder()
        return _EMBEDDER


class Understanding:
    def __init__(self, skills: Mapping[str, LoadedSkill], embed: Embedder,
                 threshold: float = routing.OOS_THRESHOLD,
                 min_similarity: float = routing.SIMILARITY_THRESHOLD) -> None:
        began = time.perf_counter()
        self.skills = dict(skills)
        self.embedder = embed
        self.threshold = threshold
        self.min_similarity = min_similarity
        self.names = names_of(self.skills.values())
        pairs = [p for s in self.skills.values() for p in prototypes(s.spec)]
        texts = [t for t, _ in pairs]
        self.labels = [label for _, label in pairs]
        self.vectors = embed.embed(texts)
        self.classifier = IntentClassifier().fit(features(self.vectors, texts), self.labels)
        self.templates: dict[str, list[str]] = {}
        for skill in self.skills.values():
            for template, intent in skill.spec.samples():
                self.templates.setdefault(intent, []).append(template)
        self.n_prototypes = len(pairs)
        self.build_s = time.perf_counter() - began

    def route(self, text: str) -> routing.Routed:
        explicit = routing.explicit_invocation(text, self.names)
        if explicit is not None:
            skill, rest = explicit
            x = features(self.embedder.embed_one(rest), [rest])
            return routing.decide_within(self.classifier, x, skill)
        vector = self.embedder.embed_one(text)
        prediction = self.classifier.predict(features(vector, [text]))[0]
        return routing.decide(prediction, self.similarity(vector, prediction.best),
                              self.threshold, self.min_similarity)

    def similarity(self, vector: Vectors, intent: str) -> float:
        return routing.nearest(vector, self.vectors, self.labels, intent)

    def slots(self, text: str, intent: str, today: date | None) -> Slots:
        skill = self.skills[routing.skill_of(intent)].spec
        api = skill.api_of(intent)
        if api is None:
            return {}
        found = extract(text, api.args, skill.entities, self.templates.get(intent, []), today)
        return {name: f.value for name, f in found.items()}

    def understand(self, text: str, today: date | None = None) -> tuple[routing.Routed, Slots]:
        routed = self.route(text)
        if routed.intent is None:
            return routed, {}
        return routed, self.slots(text, routed.intent, today)


def shared(skill_dirs: Sequence[str] = ()) -> Understanding:
    """The process's model for these skill folders (built on first use)."""
    key = tuple(skill_dirs)
    with _LOCK:
        found = _SHARED.get(key)
    if found is None:
        found = Understanding(discover(skill_dirs), embedder())
        with _LOCK:
            _SHARED[key] = found
    return found
