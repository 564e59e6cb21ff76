"""Few-shot prototypes from a skill's samples, augmented without a model.

Two cheap augmentations turn a dozen samples into a few hundred training sentences:
slot substitution (each ``{arg}`` filled with several values of its type, so "{room}" teaches
kitchen, bedroom and office alike) and paraphrase templates (polite and indirect carriers such
as "could you ...", "I'd like to ...", "... please"). A fixed seed keeps it reproducible.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from policies.skill_spec import PLACEHOLDER_RE, Api, SkillSpec
from policies.slots import DEVICES, LANGUAGES, ROOMS

EXAMPLES: dict[str, tuple[str, ...]] = {
    "number": ("two", "5", "twenty", "three", "12"),
    "duration": ("five minutes", "10 minutes", "an hour", "thirty seconds", "two hours",
                 "a minute and a half", "twenty minutes"),
    "time": ("7 am", "6:30", "half past eight", "noon", "9 pm", "seven in the morning"),
    "date": ("tomorrow", "today", "on friday", "next monday", "the day after tomorrow"),
    "room": tuple(ROOMS),
    "device": tuple(DEVICES),
    "language": tuple(LANGUAGES),
    "text": ("this", "that thing", "the usual"),
}
REQUEST_CARRIERS = ("can you {}", "could you {}", "please {}", "{} please", "i want to {}",
                    "i'd like to {}", "would you {}", "hey, {}", "{} for me", "go ahead and {}")
QUESTION_CARRIERS = ("{}", "can you tell me {}", "do you know {}", "i wonder {}",
                     "tell me {}", "quick question, {}")
_QUESTION_WORDS = ("what", "how", "when", "where", "which", "who", "is", "are", "do", "does",
                   "will", "any", "can", "should")


def fill(template: str, api: Api, spec: SkillSpec, rng: random.Random) -> str:
    """One concrete utterance from a template: each placeholder gets a value of its type."""

    def value(match: re.Match[str]) -> str:
        arg = api.args[match.group(1)]
        options: Sequence[str] = arg.examples
        if not options and arg.type in spec.entities:
            entity = spec.entities[arg.type]
            options = [p for canon, syns in entity.values.items() for p in (canon, *syns)]
        if not options:
            options = EXAMPLES.get(arg.type, ("it",))
        return rng.choice(list(options))

    return PLACEHOLDER_RE.sub(value, template)


def carry(text: str, rng: random.Random) -> str:
    """The utterance inside a polite or indirect carrier phrase."""
    first = text.split(" ", 1)[0].lower()
    carriers = QUESTION_CARRIERS if first in _QUESTION_WORDS else REQUEST_CARRIERS
    return rng.choice(carriers).format(text)


def prototypes(spec: SkillSpec, per_sample: int = 6, seed: int = 0) -> list[tuple[str, str]]:
    """(utterance, intent) pairs: each sample as written, filled and carried ``per_sample``
    times. Duplicates are dropped."""
    rng = random.Random(f"{spec.name}:{seed}")
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    for template, intent in spec.samples():
        api = spec.api_of(intent)
        assert api is not None  # samples() only yields declared APIs
        variants = [fill(template, api, spec, rng) for _ in range(per_sample)]
        variants = [variants[0], *(carry(v, rng) if i % 2 else v
                                   for i, v in enumerate(variants[1:], 1))]
        for text in variants:
            key = (text.lower(), intent)
            if key not in seen:
                seen.add(key)
                out.append((text, intent))
    return out
