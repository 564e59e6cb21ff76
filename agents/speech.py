"""Speech: says responses on devices (text mode: the device is told the words)."""

from __future__ import annotations

from agents.base import Agent, on
from bus.messages import DeviceSay, ResponseSay, SpeechFinished, SpeechStarted


class SpeechAgent(Agent):
    NAME = "speech"
    PUBLISHES = (SpeechStarted, DeviceSay, SpeechFinished)

    @on(ResponseSay)
    async def say(self, msg: ResponseSay) -> None:
        await self.publish(
            self.derive(msg, SpeechStarted, device=msg.device, text=msg.text, response_id=msg.id)
        )
        await self.publish(
            self.derive(
                msg, DeviceSay, device=msg.device, text=msg.text, language=msg.language,
                response_id=msg.id,
            )
        )
        await self.publish(self.derive(msg, SpeechFinished, device=msg.device, response_id=msg.id))
