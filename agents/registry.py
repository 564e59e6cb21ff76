"""Every agent kind Hearth runs, in the order the flow passes through them."""

from __future__ import annotations

from agents.audio_perception import AudioPerceptionAgent
from agents.base import Agent
from agents.dialogue import DialogueAgent
from agents.echo import EchoAgent
from agents.perception import PerceptionAgent
from agents.skills.hosted import skill_agents
from agents.speech import SpeechAgent
from agents.turn_taking import TurnTakingAgent
from agents.understanding import UnderstandingAgent
from agents.vision import VisionAgent

FLOW_AGENTS: tuple[type[Agent], ...] = (
    PerceptionAgent,
    VisionAgent,
    TurnTakingAgent,
    UnderstandingAgent,
    DialogueAgent,
    *skill_agents(),  # one actor per skill: built-ins and `hearth.skills` entry points
    SpeechAgent,
)

# Audio mode: microphone frames -> utterances (VAD + Whisper). Started by `hearth up --audio`,
# `hearth replay --audio` and stacks that ask for audio, so text-only runs load no ASR model.
AUDIO_AGENTS: tuple[type[Agent], ...] = (AudioPerceptionAgent,)

BENCH_AGENTS: tuple[type[Agent], ...] = (EchoAgent,)

BY_NAME: dict[str, type[Agent]] = {
    a.NAME: a for a in FLOW_AGENTS + AUDIO_AGENTS + BENCH_AGENTS
}
