"""Every agent kind Hearth runs, in the order the flow passes through them."""

from __future__ import annotations

from agents.base import Agent
from agents.dialogue import DialogueAgent
from agents.echo import EchoAgent
from agents.perception import PerceptionAgent
from agents.skills.timer import TimerSkill
from agents.speech import SpeechAgent
from agents.turn_taking import TurnTakingAgent
from agents.understanding import UnderstandingAgent

FLOW_AGENTS: tuple[type[Agent], ...] = (
    PerceptionAgent,
    TurnTakingAgent,
    UnderstandingAgent,
    DialogueAgent,
    TimerSkill,
    SpeechAgent,
)

BENCH_AGENTS: tuple[type[Agent], ...] = (EchoAgent,)

BY_NAME: dict[str, type[Agent]] = {a.NAME: a for a in FLOW_AGENTS + BENCH_AGENTS}
