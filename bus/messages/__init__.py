"""All message models, one module per domain, and the union that decodes any of them."""

from __future__ import annotations

from typing import Annotated, Union, get_args

from pydantic import Field, TypeAdapter

from bus.messages.base import Message, derive, new_id
from bus.messages.device import (
    DeviceAudio,
    DeviceLocation,
    DeviceOnline,
    DevicePlayback,
    DeviceSay,
    DeviceSpeaker,
    DeviceTranscript,
    DeviceVision,
    SeenPerson,
)
from bus.messages.dialogue import DialogueCompleted, DialogueState, ResponseSay
from bus.messages.goal import GoalFeedback, GoalHeld, GoalSuggestion
from bus.messages.intent import IntentRecognized, Slots, SlotValue
from bus.messages.learning import IntentAdded, LearningRewrite
from bus.messages.perception import (
    Attention,
    AudioStats,
    PartialTranscript,
    Prosody,
    Utterance,
)
from bus.messages.privacy import PrivacyForgotten, PrivacyRecord
from bus.messages.skill import SkillCall, SkillEvent, SkillResult
from bus.messages.speech import SpeechFinished, SpeechStarted, SpeechStop
from bus.messages.system import AgentError, Clock, Ping, Pong, Rejected
from bus.messages.translation import Translated, TranslationFailed
from bus.messages.turn import TurnAddressed, TurnDecision, TurnIgnored

AnyMessage = Annotated[
    Union[  # noqa: UP007 - a Union reads better than a 20-way `|` here
        DeviceTranscript,
        DeviceVision,
        DeviceLocation,
        DeviceSay,
        DeviceOnline,
        Utterance,
        Attention,
        TurnAddressed,
        TurnIgnored,
        IntentRecognized,
        DialogueState,
        ResponseSay,
        DialogueCompleted,
        GoalSuggestion,
        GoalFeedback,
        GoalHeld,
        SkillCall,
        SkillResult,
        SkillEvent,
        SpeechStarted,
        SpeechFinished,
        SpeechStop,
        DeviceAudio,
        DeviceSpeaker,
        DevicePlayback,
        PartialTranscript,
        AudioStats,
        Rejected,
        AgentError,
        Clock,
        Ping,
        Pong,
        LearningRewrite,  # self-learning (issue 8)
        IntentAdded,
        PrivacyRecord,
        PrivacyForgotten,
        Translated,
        TranslationFailed,
    ],
    Field(discriminator="type"),
]

ANY_MESSAGE: TypeAdapter[AnyMessage] = TypeAdapter(AnyMessage)

# Every member of the union by its type name, read off the union so the list lives in one place.
ALL_TYPES: dict[str, type[Message]] = {
    cls.type_name(): cls for cls in get_args(get_args(AnyMessage)[0])
}

__all__ = [
    "ALL_TYPES",
    "ANY_MESSAGE",
    "AgentError",
    "AnyMessage",
    "Attention",
    "AudioStats",
    "Clock",
    "DeviceAudio",
    "DeviceLocation",
    "DeviceOnline",
    "DevicePlayback",
    "DeviceSay",
    "DeviceSpeaker",
    "DeviceTranscript",
    "DeviceVision",
    "DialogueCompleted",
    "DialogueState",
    "GoalFeedback",
    "GoalHeld",
    "GoalSuggestion",
    "IntentAdded",
    "IntentRecognized",
    "LearningRewrite",
    "Message",
    "PartialTranscript",
    "Ping",
    "Pong",
    "PrivacyForgotten",
    "PrivacyRecord",
    "Prosody",
    "Rejected",
    "ResponseSay",
    "SeenPerson",
    "SkillCall",
    "SkillEvent",
    "SkillResult",
    "SlotValue",
    "Slots",
    "SpeechFinished",
    "SpeechStarted",
    "SpeechStop",
    "Translated",
    "TranslationFailed",
    "TurnAddressed",
    "TurnDecision",
    "TurnIgnored",
    "Utterance",
    "derive",
    "new_id",
]
