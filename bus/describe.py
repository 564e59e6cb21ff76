"""Messages for people: a one-line description of any message, and a JSON-safe copy of it.

The HTML report and ``hearth watch`` both show messages, so the words live here once. Known
types get a hand-written description; any other type (a later agent's, say a suggestion or a
translation) is described from its fields, so new message types show up without a change here.
"""

from __future__ import annotations

from typing import Any

from bus.messages import (
    AgentError,
    Attention,
    Clock,
    DeviceLocation,
    DeviceSay,
    DeviceTranscript,
    DeviceVision,
    DialogueState,
    IntentRecognized,
    Message,
    Rejected,
    ResponseSay,
    SkillCall,
    SkillEvent,
    SkillResult,
    SpeechFinished,
    SpeechStarted,
    TurnDecision,
    Utterance,
)

ENVELOPE = frozenset(Message.model_fields)
# Fields that carry the gist of an unknown message type, tried in this order.
_GIST_FIELDS = ("text", "say", "translation", "suggestion", "intent", "event", "reason")
# Audio (and other high-rate frame) types are counted, not shown one by one.
FRAME_SUFFIXES = (".audio", ".speaker")
MAX_TEXT = 80


def is_frame_type(type_name: str) -> bool:
    return type_name.endswith(FRAME_SUFFIXES)


def short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str) -> str:
    return f'"{short(text)}"'


def _slots(slots: dict[str, Any]) -> str:
    return " ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                    for k, v in slots.items())


def _known(msg: Message) -> str | None:
    if isinstance(msg, DeviceTranscript):
        return f"{msg.speaker or '?'} @{msg.device}: {_quote(msg.text)}"
    if isinstance(msg, DeviceSay):
        return f"{msg.device} says {_quote(msg.text)}"
    if isinstance(msg, DeviceVision):
        seen = ", ".join(p.person + ("*" if p.looking_at_device else "") for p in msg.people)
        return f"{msg.device} sees {seen or 'nobody'}"
    if isinstance(msg, DeviceLocation):
        return f"{msg.person} is at {msg.place}"
    if isinstance(msg, Utterance):
        return f"{msg.speaker or '?'} @{msg.device}: {_quote(msg.text)}"
    if isinstance(msg, Attention):
        return f"{msg.device}: present {', '.join(msg.present) or '-'}; " \
               f"looking {', '.join(msg.looking) or '-'}"
    if isinstance(msg, TurnDecision):
        verdict = "addressed" if msg.type == "turn.addressed" else "ignored"
        return f"{verdict} {msg.score:.2f} ({', '.join(msg.reasons) or 'no reason'})"
    if isinstance(msg, IntentRecognized):
        what = msg.intent or "out of scope"
        slots = f" {_slots(msg.slots)}" if msg.slots else ""
        return f"{what}{slots} ({msg.confidence:.2f})"
    if isinstance(msg, SkillCall):
        return f"call {msg.skill}: {msg.intent} {_slots(msg.slots)}".rstrip()
    if isinstance(msg, SkillResult):
        return f"{msg.skill} {'ok' if msg.ok else 'not ok'}: {_quote(msg.say)}"
    if isinstance(msg, SkillEvent):
        return f"{msg.skill} {msg.event}: {_quote(msg.say)}"
    if isinstance(msg, ResponseSay):
        asks = " (asks)" if msg.expects_reply else ""
        return f"say on {msg.device}{' to ' + msg.to if msg.to else ''}: {_quote(msg.text)}{asks}"
    if isinstance(msg, DialogueState):
        return f"{msg.device}: {'awaits a reply' if msg.expecting_reply else 'not waiting'}"
    if isinstance(msg, SpeechStarted):
        return f"{msg.device} starts speaking"
    if isinstance(msg, SpeechFinished):
        return f"{msg.device} {'interrupted' if msg.interrupted else 'finished speaking'}"
    if isinstance(msg, Clock):
        return "clock set"
    if isinstance(msg, Rejected):
        return f"rejected on {msg.subject}: {msg.reason}"
    if isinstance(msg, AgentError):
        return f"{msg.agent}.{msg.handler} failed on {msg.message_type}: {msg.error}"
    return None


def generic(msg: Message) -> str:
    """A description read off the fields: the gist field if any, then a few short values."""
    fields = {k: v for k, v in plain(msg).items() if k not in ENVELOPE}
    for name in _GIST_FIELDS:
        value = fields.pop(name, None)
        if isinstance(value, str) and value:
            gist = _quote(value) if name in ("text", "say", "translation", "suggestion") else value
            rest = [f"{k}={v}" for k, v in fields.items()
                    if isinstance(v, str | int | float | bool) and len(str(v)) <= 24][:3]
            return " ".join([gist, *rest])
    parts = [f"{k}={v}" for k, v in fields.items()
             if isinstance(v, str | int | float | bool) and len(str(v)) <= 24]
    return " ".join(parts[:4])


def describe(msg: Message) -> str:
    """One line about ``msg`` without its type name, envelope or time."""
    return _known(msg) or generic(msg)


def jsonable(value: Any) -> Any:
    """``value`` with every ``bytes`` replaced by its length, so it fits in JSON and stays small."""
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def plain(msg: Message) -> dict[str, Any]:
    """The message as a JSON-safe dict (bytes fields become ``"<N bytes>"``)."""
    out = jsonable(msg.model_dump(mode="python"))
    assert isinstance(out, dict)
    return out
