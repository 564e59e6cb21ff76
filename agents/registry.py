"""Every agent kind Hearth runs, in the order the flow passes through them."""

from __future__ import annotations

from agents.audio_perception import AudioPerceptionAgent
from agents.base import Agent
from agents.dialogue import DialogueAgent
from agents.echo import EchoAgent
from agents.goal_prediction import GoalPredictionAgent
from agents.learning import LearningAgent
from agents.perception import PerceptionAgent
from agents.privacy import PrivacyAgent
from agents.proactive import ProactiveAgent
from agents.skills.hosted import skill_agents
from agents.speech import SpeechAgent
from agents.translation import TranslationAgent
from agents.turn_taking import TurnTakingAgent
from agents.understanding import UnderstandingAgent
from agents.vision import VisionAgent
from agents.watchdog import WatchdogAgent

FLOW_AGENTS: tuple[type[Agent], ...] = (
    PerceptionAgent,
    VisionAgent,
    TurnTakingAgent,
    UnderstandingAgent,
    DialogueAgent,
    GoalPredictionAgent,  # anticipation: latent goals after a request
    ProactiveAgent,  # anticipation: hunches, location reminders, routines
    *skill_agents(),  # one actor per skill: built-ins and `hearth.skills` entry points
    TranslationAgent,  # interpreter sessions, bilingual households
    LearningAgent,  # rewrites from implicit feedback (issue 8)
    PrivacyAgent,  # scrubbed event log, forgetting (issue 8)
    SpeechAgent,
    WatchdogAgent,  # retries a stuck interaction once, then answers with an honest failure
)

# Audio mode: microphone frames -> utterances (VAD + Whisper). Started by `hearth up --audio`,
# `hearth replay --audio` and stacks that ask for audio, so text-only runs load no ASR model.
AUDIO_AGENTS: tuple[type[Agent], ...] = (AudioPerceptionAgent,)

BENCH_AGENTS: tuple[type[Agent], ...] = (EchoAgent,)

BY_NAME: dict[str, type[Agent]] = {
    a.NAME: a for a in FLOW_AGENTS + AUDIO_AGENTS + BENCH_AGENTS
}
