"""Turn-taking: decides for every utterance whether it was meant for the assistant."""

from __future__ import annotations

from agents.base import Agent, on
from bus.messages import DialogueState, TurnAddressed, TurnIgnored, Utterance
from policies import turn_rules


class TurnTakingAgent(Agent):
    NAME = "turn_taking"
    PUBLISHES = (TurnAddressed, TurnIgnored)

    async def on_start(self) -> None:
        # (household, device) -> bus time until which the assistant awaits a reply there
        self.open_until: dict[tuple[str, str], float] = {}

    @on(DialogueState, broadcast=True)
    async def dialogue_changed(self, msg: DialogueState) -> None:
        key = (msg.household, msg.device)
        if msg.expecting_reply:
            self.open_until[key] = msg.open_until
        else:
            self.open_until.pop(key, None)

    @on(Utterance)
    async def decide(self, msg: Utterance) -> None:
        follow_up = self.open_until.get((msg.household, msg.device), 0.0) >= self.now(msg.household)
        verdict = turn_rules.decide(msg.text, follow_up)
        cls = TurnAddressed if verdict.addressed else TurnIgnored
        await self.publish(
            self.derive(
                msg,
                cls,
                device=msg.device,
                speaker=msg.speaker,
                text=verdict.text,
                utterance_id=msg.id,
                score=verdict.score,
                reasons=verdict.reasons,
            )
        )
