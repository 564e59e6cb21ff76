"""Any local CTranslate2 translation model directory a user provides (e.g. an OPUS-MT or
NLLB model converted with ``ct2-transformers-converter``): ``model.bin`` plus a tokenizer.

Which pairs it serves is written in ``hearth-translate.json`` beside the model::

    {"pairs": [["en", "de"]],
     "target_prefix": {"de": "deu_Latn"},      # multilingual models only
     "source_suffix": ["</s>"]}               # tokens to append to the source, if needed

Tokenizers: ``tokenizer.json`` (HF ``tokenizers``; a ``target_tokenizer.json`` for the
target side when it differs), or ``source.spm`` / ``target.spm`` when ``sentencepiece`` is
installed. Nothing is fetched: the directory is all there is.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agents.translators.base import TranslationError, Translator
from policies.translation_choice import Pair

MANIFEST = "hearth-translate.json"


class _Tok:
    """Text <-> subword tokens (strings, as CTranslate2 wants them)."""

    def __init__(self, path: Path) -> None:
        self.kind = path.suffix
        self.impl: Any
        if path.suffix == ".json":
            from tokenizers import Tokenizer

            self.impl = Tokenizer.from_file(str(path))
        else:
            try:
                import sentencepiece
            except ImportError as exc:
                raise TranslationError(f"{path.name} needs sentencepiece") from exc
            self.impl = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, text: str) -> list[str]:
        if self.kind == ".json":
            return list(self.impl.encode(text, add_special_tokens=False).tokens)
        return list(self.impl.encode(text, out_type=str))

    def decode(self, tokens: Sequence[str]) -> str:
        if self.kind == ".json":
            ids = [self.impl.token_to_id(t) for t in tokens]
            return str(self.impl.decode([i for i in ids if i is not None]))
        return str(self.impl.decode(list(tokens)))


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise TranslationError(f"{folder} has no {MANIFEST} saying which pairs it serves")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise TranslationError(f"{path}: {exc}") from exc
    pairs = data.get("pairs")
    if not isinstance(pairs, list) or not pairs or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in pairs):
        raise TranslationError(f"{path}: 'pairs' must be a list of [source, target] codes")
    return dict(data)


class Ct2Directory(Translator):
    name = "ct2-dir"

    def __init__(self, folder: str | Path, threads: int = 2) -> None:
        self.folder = Path(folder).expanduser()
        if not (self.folder / "model.bin").is_file():
            raise TranslationError(f"{self.folder} is not a CTranslate2 model (no model.bin)")
        manifest = read_manifest(self.folder)
        self._pairs = frozenset((str(a), str(b)) for a, b in manifest["pairs"])
        self.target_prefix: dict[str, str] = dict(manifest.get("target_prefix") or {})
        self.source_suffix: list[str] = list(manifest.get("source_suffix") or [])
        if (self.folder / "tokenizer.json").is_file():
            self.src_tok = _Tok(self.folder / "tokenizer.json")
            tgt = self.folder / "target_tokenizer.json"
            self.tgt_tok = _Tok(tgt) if tgt.is_file() else self.src_tok
        elif (self.folder / "source.spm").is_file():
            self.src_tok = _Tok(self.folder / "source.spm")
            self.tgt_tok = _Tok(self.folder / "target.spm")
        else:
            raise TranslationError(f"{self.folder} has no tokenizer.json or source.spm")
        import ctranslate2

        self.engine = ctranslate2.Translator(str(self.folder), device="cpu",
                                             inter_threads=1, intra_threads=threads)
        self._lock = threading.Lock()

    @property
    def pairs(self) -> frozenset[Pair]:
        return self._pairs

    def translate(self, text: str, source: str, target: str) -> str:
        return self.translate_batch([text], source, target)[0]

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.check(source, target)
        batch = [self.src_tok.encode(t) + self.source_suffix for t in texts]
        prefix = self.target_prefix.get(target)
        # A sentence is rarely three times longer in another language: the cap stops a model
        # that loops long before its 256-token limit.
        longest = max((len(b) for b in batch), default=0)
        with self._lock:
            results = self.engine.translate_batch(
                batch, target_prefix=[[prefix]] * len(batch) if prefix else None,
                beam_size=2, max_decoding_length=min(256, 3 * longest + 16))
        out = []
        for r in results:
            tokens = [t for t in r.hypotheses[0] if t != prefix and not _special(t)]
            out.append(self.tgt_tok.decode(tokens).strip())
        return out


def _special(token: str) -> bool:
    """<s>, </s>, <unk>, <pad>: markers, not words."""
    return len(token) > 2 and token.startswith("<") and token.endswith(">")
