"""The one place subjects are built: ``hh.<household>.<domain>[.<key>].<event>``.

A message type ``"perception.utterance"`` travels on ``hh.h1.perception.utterance``; a type
with a subject key (a device id, a skill name) gets that value as an extra token after the
domain: ``hh.h1.device.kitchen.audio``, ``hh.h1.skill.timer.call``.
"""

from __future__ import annotations

from bus.messages.base import Message, check_token

PREFIX = "hh"
ALL = f"{PREFIX}.>"


def _split_type(type_name: str) -> tuple[str, str]:
    domain, _, event = type_name.partition(".")
    if not domain or not event or "." in event:
        raise ValueError(f"message type {type_name!r} must be '<domain>.<event>'")
    return domain, event


def build(household: str, type_name: str, key: str | None = None) -> str:
    """Subject for a message type in one household (``*`` allowed as wildcard tokens)."""
    domain, event = _split_type(type_name)
    if household != "*":
        check_token(household, "household")
    if key is None:
        return f"{PREFIX}.{household}.{domain}.{event}"
    if key != "*":
        check_token(key, "subject key")
    return f"{PREFIX}.{household}.{domain}.{key}.{event}"


def subject_for(msg: Message) -> str:
    return build(msg.household, msg.type, msg.subject_key())


def pattern(cls: type[Message], household: str = "*", key: str = "*") -> str:
    """Subscription pattern for a message class, wildcarding what is not given."""
    return build(household, cls.type_name(), key if cls.SUBJECT_KEY else None)


def household_of(subject: str) -> str | None:
    parts = subject.split(".")
    if len(parts) >= 2 and parts[0] == PREFIX:
        return parts[1]
    return None


def household_all(household: str) -> str:
    check_token(household, "household")
    return f"{PREFIX}.{household}.>"
