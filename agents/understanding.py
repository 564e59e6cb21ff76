"""Understanding: turns an addressed turn into a skill, an intent and slots."""

from __future__ import annotations

from agents.base import Agent, on
from bus.messages import IntentRecognized, TurnAddressed
from policies import keyword_router


class UnderstandingAgent(Agent):
    NAME = "understanding"
    PUBLISHES = (IntentRecognized,)

    @on(TurnAddressed)
    async def understand(self, msg: TurnAddressed) -> None:
        found = keyword_router.route(msg.text)
        await self.publish(
            self.derive(
                msg,
                IntentRecognized,
                device=msg.device,
                speaker=msg.speaker,
                text=msg.text,
                skill=found.skill,
                intent=found.intent,
                slots=found.slots,
                confidence=found.confidence,
            )
        )
