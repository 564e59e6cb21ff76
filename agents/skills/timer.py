"""The timer skill's agent: the declared skill ``builtin/timer`` with its own KV bucket.

Timers and alarms fire in bus time, several at once, and live in the ``timers`` bucket so a
restarted actor re-arms them. The API handlers are in ``builtin/timer/handlers.py``.
"""

from __future__ import annotations

from agents.skills.declared import DeclaredSkillAgent
from agents.skills.sdk import Scheduled


class TimerSkill(DeclaredSkillAgent):
    NAME = "skill_timer"
    SKILL = "timer"
    SCHEDULE_BUCKET = "timers"

    @property
    def timers(self) -> dict[str, Scheduled]:
        """Armed timers and alarms by KV key."""
        return self.armed
