"""Where the agents read a household's language state from KV (no agent owns it alone).

- The interpreter session and the household's second language are kept by the translation
  skill in its state (bucket ``skills``, keys ``translation.<household>.session`` and
  ``...second_language``): turn-taking, audio perception, the translation agent and speech
  all read them here, so a restarted actor, or any replica, sees the same session.
- Which interactions are to be answered in another language (bucket ``household``, key
  ``<household>.reply-language.<correlation id>``): written by the translation agent when it
  put a request into English, read by speech to answer in the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgpack

from bus.transport import Bus
from policies.interpreting import Session, session_from
from policies.languages import UnknownLanguage, code_of

SKILL_BUCKET = "skills"
SKILL = "translation"
HOUSEHOLD_BUCKET = "household"


def _skill_key(household: str, key: str) -> str:
    return f"{SKILL}.{household}.{key}"  # as agents.skills.declared keeps a skill's state


async def _skill_state(bus: Bus, household: str, key: str) -> object:
    raw = await bus.kv_get(SKILL_BUCKET, _skill_key(household, key))
    return None if raw is None else msgpack.unpackb(raw)


async def session(bus: Bus, household: str) -> Session | None:
    value = await _skill_state(bus, household, "session")
    return session_from(value) if isinstance(value, dict) else None


async def second_language(bus: Bus, household: str) -> str | None:
    """The household's second language (ISO 639-1), or None when it speaks only English."""
    value = await _skill_state(bus, household, "second_language")
    if not isinstance(value, dict):
        return None
    try:
        code = code_of(str(value.get("code") or value.get("language") or ""))
    except UnknownLanguage:
        return None
    return None if code == "en" else code


@dataclass(frozen=True)
class Needs:
    """What a device's utterances need now: a session on it, or a bilingual household."""

    session: Session | None
    second: str | None

    @property
    def multilingual(self) -> bool:
        """Whether speech must be heard by a multilingual model (language detection)."""
        return self.session is not None or self.second is not None


async def needs(bus: Bus, household: str, device: str) -> Needs:
    found = await session(bus, household)
    if found is not None and found.device != device:
        found = None
    return Needs(found, await second_language(bus, household))


def _reply_key(household: str, correlation_id: str) -> str:
    return f"{household}.reply-language.{correlation_id}"


async def remember_reply_language(bus: Bus, household: str, correlation_id: str,
                                  language: str) -> None:
    await bus.kv_put(HOUSEHOLD_BUCKET, _reply_key(household, correlation_id), language.encode())


async def reply_language(bus: Bus, household: str, correlation_id: str) -> str | None:
    raw = await bus.kv_get(HOUSEHOLD_BUCKET, _reply_key(household, correlation_id))
    return raw.decode() if raw else None
