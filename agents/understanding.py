"""Understanding: turns an addressed turn into a skill, an intent and slots, without the
skill being named (sentence embeddings + few-shot prototypes from each skill's samples)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from agents import nlu
from agents.base import Agent, on
from agents.skills.catalog import skill_dirs
from bus.messages import IntentRecognized, TurnAddressed


class UnderstandingAgent(Agent):
    NAME = "understanding"
    PUBLISHES = (IntentRecognized,)

    async def on_start(self) -> None:
        # Embeds every skill's prototypes once per process (a few seconds), before any turn.
        self.model = nlu.shared(skill_dirs(self.config))
        tz_name = self.config.get("timezone")
        self.timezone: tzinfo = ZoneInfo(str(tz_name)) if tz_name else UTC

    @on(TurnAddressed)
    async def understand(self, msg: TurnAddressed) -> None:
        today = datetime.fromtimestamp(self.now(msg.household), self.timezone).date()
        routed, slots = self.model.understand(msg.text, today)
        await self.publish(
            self.derive(
                msg,
                IntentRecognized,
                device=msg.device,
                speaker=msg.speaker,
                text=msg.text,
                skill=routed.skill,
                intent=routed.intent,
                slots=slots,
                confidence=min(1.0, max(0.0, routed.confidence)),
                runner_up=routed.runner_up,
            )
        )
