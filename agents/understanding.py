"""Understanding: turns an addressed turn into a skill, an intent and slots, without the
skill being named (sentence embeddings + few-shot prototypes from each skill's samples)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from agents import nlu
from agents.base import on
from agents.learned import LearnedUnderstanding
from agents.skills.catalog import skill_dirs
from bus.messages import IntentRecognized, TurnAddressed


class UnderstandingAgent(LearnedUnderstanding):  # + rewrites, concepts, added intents
    NAME = "understanding"
    PUBLISHES = (IntentRecognized,)

    async def on_start(self) -> None:
        # Embeds every skill's prototypes once per process (a few seconds), before any turn.
        self.model = nlu.shared(skill_dirs(self.config))
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC
        await self.load_learned()  # intents added from examples (agents/learned.py)

    @on(TurnAddressed)
    async def understand(self, msg: TurnAddressed) -> None:
        if msg.interpret:
            return  # interpreter session: the words are the translation agent's
        today = datetime.fromtimestamp(self.now(msg.household), self.timezone).date()
        text, applied = await self.before_understanding(msg.household, msg.text)  # rewrites
        routed, slots = self.model.understand(text, today)
        routed, slots, more = await self.after_understanding(msg.household, text, routed,
                                                             slots, today)
        await self.publish(
            self.derive(
                msg,
                IntentRecognized,
                device=msg.device,
                speaker=msg.speaker,
                text=text,
                skill=routed.skill,
                intent=routed.intent,
                slots=slots,
                confidence=min(1.0, max(0.0, routed.confidence)),
                runner_up=routed.runner_up,
                applied=applied + more,
            )
        )
