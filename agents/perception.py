"""Text-mode perception: device transcripts become utterances, vision cues become attention."""

from __future__ import annotations

from agents.base import Agent, on
from bus.messages import Attention, DeviceTranscript, DeviceVision, Utterance


class PerceptionAgent(Agent):
    NAME = "perception"
    PUBLISHES = (Utterance, Attention)

    @on(DeviceTranscript)
    async def heard(self, msg: DeviceTranscript) -> None:
        text = " ".join(msg.text.split())
        if not text:
            return
        await self.publish(
            self.derive(
                msg,
                Utterance,
                device=msg.device,
                speaker=msg.speaker,
                text=text,
                language=msg.language,
                loudness=msg.loudness,
                start_ts=max(0.0, msg.ts - msg.duration_s),
                end_ts=msg.ts,
            )
        )

    @on(DeviceVision)
    async def seen(self, msg: DeviceVision) -> None:
        await self.publish(
            self.derive(
                msg,
                Attention,
                device=msg.device,
                present=sorted(p.person for p in msg.people),
                looking=sorted(p.person for p in msg.people if p.looking_at_device),
            )
        )
