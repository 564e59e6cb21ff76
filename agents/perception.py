"""Text-mode perception: device transcripts become utterances (vision lives in agents/vision.py)."""

from __future__ import annotations

from agents.base import Agent, on
from bus.messages import DeviceTranscript, Utterance


class PerceptionAgent(Agent):
    NAME = "perception"
    PUBLISHES = (Utterance,)

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
                room=msg.room,
                direction_deg=msg.direction_deg,
                directed_style=msg.directed_style,
            )
        )
