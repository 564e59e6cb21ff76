"""Generated multi-party scenes: labelled training data for the addressee weights.

Seeded and reproducible. Each scene is a small household (two or three people, one device or
two in adjacent rooms, with or without a camera) where people chat, mention skills to each
other, ask the room, tell stories with the assistant's name, and now and then ask the
assistant, with or without the wake word. Cues are drawn to be informative but noisy: people
often look at the device they speak to, but not always; side remarks are sometimes said
towards the device. The hand-written library scenes (scenarios/library/turns_*.yaml) use
their own wording; those in ``hearth.bench_turns.HELD_OUT`` never meet these weights in fitting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from scenarios.model import ASSISTANT, EVERYONE, Scenario

NAMES = ("anna", "ben", "chloe", "david", "ella", "felix", "grace", "henry", "isla", "jonas",
         "kira", "liam", "maya", "noah", "olga", "pablo", "rita", "tariq")
DURATIONS = ("two minutes", "five minutes", "ten minutes", "fifteen minutes", "twenty minutes",
             "half an hour", "an hour", "ninety seconds", "three minutes", "seven minutes",
             "twelve minutes", "twenty five minutes", "forty minutes", "six minutes")
FOOD = ("pasta", "rice", "eggs", "potatoes", "bread", "cake", "soup", "pizza", "cookies", "tea",
        "chicken", "vegetables", "muffins", "noodles")
THINGS = ("keys", "phone", "glasses", "charger", "wallet", "umbrella", "book", "scarf")
WAKE = ("Hey Hearth, ", "Hearth, ", "OK Hearth, ", "Okay Hearth, ")

REQUESTS = (
    "set a timer for {dur}", "start a timer for {dur}", "timer for {dur}, please",
    "can you set a timer for {dur}", "please start a timer for {dur} for the {food}",
    "set a timer for {dur} for the {food}", "how much time is left on the timer",
    "how long is left", "what timers are running", "cancel the timer", "stop the timer",
    "what's the weather like today", "will it rain tomorrow", "turn on the kitchen lights",
    "turn off the lights", "play some music", "add {food} to the shopping list",
    "remind me to call {name} at six", "what time is it", "turn the volume down",
    "what's the temperature outside", "could you play the radio", "tell me a joke",
    "how do you spell {word}", "what's the capital of {country}", "who won the game last night",
    "I need a timer for {dur}", "what's on my shopping list", "is it going to be windy today",
    "how many grams are in a pound", "what does a {animal} say",
)
CHAT = (
    "did you {act} already", "I think we should {act} after dinner", "that was delicious",
    "can you pass me the {food}", "where did you put my {thing}", "I'm so tired today",
    "let's {act} tomorrow", "how was work", "we need more {food}", "the {food} smells great",
    "I can't find my {thing} anywhere", "are you coming to the party on Saturday",
    "don't forget to {act}", "yes, that sounds good", "no, I already did that",
    "this {food} is a bit salty", "I'll be back in a minute", "have you seen the news",
    "could you hold this for a second", "wait, I'm almost done",
)
ACTS = ("feed the cat", "water the plants", "call grandma", "take out the bins",
        "do the dishes", "book the tickets", "walk the dog", "pay the bills")
SKILL_CHAT = (
    "the timer went off ages ago", "did you set a timer for the {food}",
    "I'll set an alarm for six", "it's supposed to rain tomorrow",
    "can you turn off the lights when you go up", "put some music on, would you",
    "set a timer for the {food}, will you", "what's the weather like at your mum's",
    "I always use a timer for the {food}", "the music is too loud",
    "add {food} to the list on the fridge", "remind me to {act} later, okay",
    "how long is left on your parking", "ten minutes for the {food} should be fine",
    "the weather was terrible all week", "set the table please, dinner's in {dur}",
)
ROOM = ("does anyone want more {food}", "who wants {food}", "has anybody seen my {thing}",
        "is anyone else cold", "who's coming for a walk")
STORIES = (
    "yesterday Hearth set a timer for the wrong time", "my sister's Hearth plays music all day",
    "I asked Hearth about the weather and it said sunny, then it poured",
    "the Hearth at work keeps mishearing my name", "Hearth woke us up at six for no reason",
    "does that thing do timers too", "is that one of those speakers that listens to you",
)
TV_LINES = ("set your timers for the big sale tonight", "and now, the weather for tomorrow",
            "will it rain this weekend? stay tuned", "turn up the volume for this one",
            "what time is it? it's time for the news", "call now and get two for one",
            "remind your family to vote on Sunday", "play along at home with our quiz")
TV = "tv"
GUEST = "guest"


@dataclass(frozen=True)
class Profile:
    """How a kind of utterance tends to be said: where people look, aim, and how loud."""

    at_device: float
    at_person: float
    aimed: float
    styled: float
    loudness: float


# People use the wake word precisely when other cues are missing: looking elsewhere, busy.
REQUEST = Profile(0.9, 0.07, 0.85, 0.8, 0.66)
WAKE_REQUEST = Profile(0.55, 0.3, 0.55, 0.6, 0.66)
ANSWER = Profile(0.6, 0.25, 0.6, 0.6, 0.62)
ROOM_QUESTION = Profile(0.3, 0.4, 0.35, 0.3, 0.62)  # eyes sweep the room, the device too
SIDE = Profile(0.1, 0.75, 0.15, 0.15, 0.58)
TV_VOICE = Profile(0.0, 0.0, 0.05, 0.1, 0.42)

ANSWER_TO_PERSON = ("{dur}? that's too long", "maybe {dur}", "about {dur}, I guess", "{dur}",
                    "yes", "no", "sure", "okay", "in {dur}")
QUESTION_TO_PERSON = ("how long do the {food} need", "when are we leaving",
                      "how long until dinner", "are you ready", "do you want {food}")
WORDS = ("necessary", "rhythm", "separate", "broccoli")
COUNTRIES = ("France", "Peru", "Canada", "Japan")
ANIMALS = ("cow", "duck", "fox", "sheep")


def _fill(template: str, rng: random.Random, names: list[str]) -> str:
    return template.format(dur=rng.choice(DURATIONS), food=rng.choice(FOOD),
                           thing=rng.choice(THINGS), act=rng.choice(ACTS),
                           name=rng.choice([n for n in names if n != GUEST]).capitalize(),
                           word=rng.choice(WORDS),
                           country=rng.choice(COUNTRIES), animal=rng.choice(ANIMALS))


def _sentence(text: str, question: bool) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith(("?", ".", "!")) else text + ("?" if question else ".")


class _Scene:
    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.people = rng.sample(NAMES, rng.choice((2, 2, 3)))
        self.camera = rng.random() < 0.5
        self.two_devices = rng.random() < 0.2
        self.measures_direction = rng.random() < 0.5
        self.measures_style = rng.random() < 0.4
        self.tv = rng.random() < 0.25
        self.guest = rng.random() < 0.15  # a visitor: devices do not know the voice
        if self.guest:
            self.people.append(GUEST)
        self.index = index
        self.timeline: list[dict[str, Any]] = []
        self.gaze: dict[str, str | None] = {}

    # -- cues ------------------------------------------------------------------------------
    def _look(self, person: str, at: str | None) -> None:
        if self.camera and self.gaze.get(person, "?") != at:
            self.timeline.append({"look": person, "at": at})
            self.gaze[person] = at

    def _acoustics(self, profile: Profile) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {}
        loud = rng.gauss(profile.loudness, 0.08)
        out["loudness"] = round(min(0.95, max(0.25, loud)), 2)
        if self.measures_direction:
            aimed = rng.random() < profile.aimed
            out["direction_deg"] = round(rng.uniform(0, 45) if aimed else rng.uniform(55, 180))
        if self.measures_style:
            styled = rng.random() < profile.styled
            out["style"] = round(rng.uniform(0.55, 0.95) if styled else rng.uniform(0.1, 0.45), 2)
        return out

    def _gaze_for(self, person: str, profile: Profile, listener: str | None) -> None:
        r = self.rng.random()
        if r < profile.at_device:
            self._look(person, "home")
        elif r < profile.at_device + profile.at_person and listener is not None:
            self._look(person, listener)
        else:
            self._look(person, None)

    def say(self, person: str, text: str, to: str, profile: Profile,
            question: bool = False) -> None:
        listener = None if to in (ASSISTANT, EVERYONE) else to
        if listener is None and person != TV:
            listener = self.rng.choice([p for p in self.people if p != person])
        if person != TV:
            self._gaze_for(person, profile, listener)
        step: dict[str, Any] = {"say": _sentence(text, question), "by": person, "to": to,
                                **self._acoustics(profile)}
        if self.two_devices:
            step["heard_by"] = [{"device": "next_room",
                                 "loudness": round(step["loudness"] * self.rng.uniform(0.3, 0.6),
                                                   2)}]
        self.timeline.append(step)
        if to == ASSISTANT:  # let the answer come before anyone speaks again
            self.timeline.append({"expect": {"event": "device.say", "within": 1.5}})

    # -- episodes --------------------------------------------------------------------------
    def other(self, person: str) -> str:
        return self.rng.choice([p for p in self.people if p != person])

    def request(self, person: str) -> None:
        rng = self.rng
        text = _fill(rng.choice(REQUESTS), rng, self.people)
        question = text.split()[0] in ("how", "what", "what's", "will", "can", "could")
        r = rng.random()
        profile = WAKE_REQUEST
        if r < 0.4:
            text = rng.choice(WAKE) + text
        elif r < 0.48:
            text = f"{text}, Hearth"
        else:
            profile = REQUEST
        self.say(person, text, ASSISTANT, profile, question)

    def chat(self, person: str) -> None:
        rng = self.rng
        listener = self.other(person)
        pool = rng.choice((CHAT, CHAT, SKILL_CHAT, SKILL_CHAT, ROOM, STORIES))
        text = _fill(rng.choice(pool), rng, self.people)
        question = pool is ROOM or text.split()[0] in ("did", "can", "where", "how", "are",
                                                        "have", "could", "what's", "does", "is")
        to = EVERYONE if pool is ROOM else listener
        if pool is not ROOM and listener != GUEST and rng.random() < 0.3:
            text = (f"{listener.capitalize()}, {text}" if rng.random() < 0.75
                    else f"{text}, {listener.capitalize()}")
        self.say(person, text, to, ROOM_QUESTION if pool is ROOM else SIDE, question)

    def question_and_answer(self, person: str) -> None:
        """A question to a person and a short answer, which looks like a reply to Hearth."""
        friend = self.other(person)
        self.say(person, _fill(self.rng.choice(QUESTION_TO_PERSON), self.rng, self.people),
                 friend, SIDE, question=True)
        self.say(friend, _fill(self.rng.choice(ANSWER_TO_PERSON), self.rng, self.people), person,
                 SIDE)

    def television(self) -> None:
        self.say(TV, self.rng.choice(TV_LINES), EVERYONE, TV_VOICE)

    def follow_up(self, person: str) -> None:
        rng = self.rng
        opener = "set a timer" if rng.random() < 0.7 else "start a timer"
        woke = rng.random() < 0.7
        self.say(person, (rng.choice(WAKE) if woke else "") + opener, ASSISTANT,
                 WAKE_REQUEST if woke else REQUEST)
        self.say(person, rng.choice(DURATIONS), ASSISTANT, ANSWER)
        if rng.random() < 0.5:
            friend = self.other(person)
            self.say(friend, _fill(rng.choice(ANSWER_TO_PERSON), rng, self.people), person, SIDE)

    def continuation(self, person: str) -> None:
        self.request(person)
        self.say(person, f"and another timer for {self.rng.choice(DURATIONS)}", ASSISTANT,
                 REQUEST)

    def build(self, start: datetime) -> Scenario:
        rng = self.rng
        for _ in range(rng.randint(3, 5)):
            who = rng.choice(self.people)
            if self.tv and rng.random() < 0.4:
                self.television()
            kind = rng.random()
            if kind < 0.45:
                for _ in range(rng.randint(1, 4)):
                    self.chat(who)
                    who = self.other(who)
            elif kind < 0.55:
                self.question_and_answer(who)
            elif kind < 0.8:
                self.request(who)
            elif kind < 0.9:
                self.follow_up(who)
            else:
                self.continuation(who)
        devices = [{"id": "home", "kind": "screen" if self.camera else "speaker",
                    "room": "kitchen"}]
        if self.two_devices:
            devices.append({"id": "next_room", "kind": "speaker", "room": "lounge"})
        return Scenario.model_validate({
            "name": f"generated-turns-{self.index:03d}",
            "file": f"generated/turns_gen_{self.index:03d}",
            "start": start,
            "talk_time": True,
            "devices": devices,
            "people": [{"id": p, "at": "home", "voice_known": p != GUEST} for p in self.people]
            + ([{"id": TV, "at": "home", "voice_known": False}] if self.tv else []),
            "timeline": [{**step, "line": i + 1} for i, step in enumerate(self.timeline)],
        })


def generate(n: int, seed: int = 7) -> list[Scenario]:
    """``n`` labelled scenes, the same ones for the same seed."""
    rng = random.Random(seed)
    start = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    return [_Scene(rng, i).build(start + timedelta(hours=i)) for i in range(n)]
