"""``hearth bench translate``: chrF, BLEU (sacrebleu) and sentences per second of a backend.

- ``hearth bench translate SRC TGT FILE_SRC FILE_TGT``: any two line-aligned parallel text
  files (ISO 639-1 codes); the best backend for the direction unless ``--backend`` names one.
- ``hearth bench translate --all``: every direction some installed backend serves, on the
  repository's own test sentences (``hearth/bench_data/translate``), with every backend that
  serves it (so the choice in ``policies.translation_choice`` can be checked against them);
  ``--speech`` adds Whisper's speech translation (X -> English) on the sentences spoken by
  espeak-ng (slow: the base model runs once per sentence). A direction no backend serves is
  measured through English when both halves are served ("apertium via en").

Speed is measured on a warm backend (one untimed sentence first), one sentence per call as
the assistant translates them, on whatever load the machine has (``load_avg_1m``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agents.translators import TranslationError, Translator, Translators
from policies.languages import UnknownLanguage, code_of
from policies.translation_choice import PIVOT, candidates

DATA = Path(__file__).resolve().parent / "bench_data" / "translate"
STEM = "household"


def read_lines(path: str | Path) -> list[str]:
    return [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]


def read_parallel(src_file: str | Path, tgt_file: str | Path) -> tuple[list[str], list[str]]:
    src, tgt = read_lines(src_file), read_lines(tgt_file)
    if len(src) != len(tgt):
        raise SystemExit(f"{src_file} has {len(src)} lines but {tgt_file} has {len(tgt)}: "
                         "parallel files must be line-aligned")
    kept = [(s, t) for s, t in zip(src, tgt, strict=True) if s and t]
    if not kept:
        raise SystemExit(f"{src_file}: no sentence pairs to score")
    return [s for s, _ in kept], [t for _, t in kept]


def score(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    import sacrebleu

    chrf = sacrebleu.corpus_chrf(list(hypotheses), [list(references)])
    bleu = sacrebleu.corpus_bleu(list(hypotheses), [list(references)])
    return {"chrf": round(float(chrf.score), 2), "bleu": round(float(bleu.score), 2)}


def _speech(engine: Translator, source: str, sentences: Sequence[str]) -> list[str]:
    from agents.translators.whisper_translate import WhisperTranslate
    from devices import voices

    assert isinstance(engine, WhisperTranslate)
    profile = voices.in_language(voices.profile_for(0), source)
    return [engine.translate_speech(voices.speak(s, profile), source) for s in sentences]


def bench_pair(translators: Translators, source: str, target: str, src_lines: Sequence[str],
               ref_lines: Sequence[str], backend: str | None = None) -> dict[str, Any]:
    """One direction with one backend: scores and speed."""
    name = backend or translators.choose(source, target)
    if name is None:
        raise TranslationError(f"no installed backend translates {source} -> {target}")
    if name.endswith(f" via {PIVOT}"):  # two backends chained through English
        translators.translate(src_lines[0], source, target)  # warm up, untimed
        began = time.perf_counter()
        hyps = [translators.translate(s, source, target).text for s in src_lines]
        return _result(source, target, name, "text", src_lines, ref_lines, hyps,
                       time.perf_counter() - began)
    if name not in translators.backends:
        raise TranslationError(f"backend {name!r} is not installed "
                               f"({translators.missing.get(name, 'unknown backend')})")
    engine = translators.get(name)
    engine.check(source, target)
    if engine.speech_only:
        _speech(engine, source, src_lines[:1])  # load the model, untimed
        began = time.perf_counter()
        hyps = _speech(engine, source, src_lines)
    else:
        engine.translate(src_lines[0], source, target)  # warm up, untimed
        began = time.perf_counter()
        hyps = [engine.translate(s, source, target) for s in src_lines]
    return _result(source, target, name, "speech (espeak-ng)" if engine.speech_only else "text",
                   src_lines, ref_lines, hyps, time.perf_counter() - began)


def _result(source: str, target: str, name: str, kind: str, src_lines: Sequence[str],
            ref_lines: Sequence[str], hyps: Sequence[str], elapsed: float) -> dict[str, Any]:
    return {
        "bench": "translate",
        "source": source,
        "target": target,
        "backend": name,
        "input": kind,
        "sentences": len(src_lines),
        **score(hyps, ref_lines),
        "sentences_per_s": round(len(src_lines) / elapsed, 2) if elapsed > 0 else None,
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "examples": [{"source": s, "output": h, "reference": r}
                     for s, h, r in list(zip(src_lines, hyps, ref_lines, strict=True))[:2]],
    }


def bench_files(source: str, target: str, src_file: str, tgt_file: str,
                backend: str | None = None, ct2_dirs: Sequence[str] = ()) -> dict[str, Any]:
    try:
        source, target = code_of(source), code_of(target)
    except UnknownLanguage as exc:
        raise SystemExit(f"hearth bench translate: {exc}") from exc
    src_lines, ref_lines = read_parallel(src_file, tgt_file)
    translators = Translators(ct2_dirs=ct2_dirs)
    try:
        result = bench_pair(translators, source, target, src_lines, ref_lines, backend)
    except TranslationError as exc:
        raise SystemExit(f"hearth bench translate: {exc}") from exc
    result["files"] = [src_file, tgt_file]
    return result


def bench_all(data: Path = DATA, speech: bool = False,
              ct2_dirs: Sequence[str] = ()) -> dict[str, Any]:
    """Every direction with every backend that serves it, on the repository's sentences."""
    translators = Translators(ct2_dirs=ct2_dirs)
    files = {p.suffix[1:]: p for p in sorted(data.glob(f"{STEM}.*")) if p.suffix != ".md"}
    described = translators.described()
    runs: list[dict[str, Any]] = []
    unserved: list[str] = []
    for source in files:
        for target in files:
            if source == target:
                continue
            names = candidates(described, source, target, have_audio=speech)
            if not any(n for n in names if n != "whisper"):
                pivot = translators.choose(source, target)  # through English, if it can
                names = [pivot, *names] if pivot else names
            if not names:
                unserved.append(f"{source}-{target}")
                continue
            src_lines, ref_lines = read_parallel(files[source], files[target])
            best = translators.choose(source, target)  # what the assistant uses for text
            for name in names:
                run = bench_pair(translators, source, target, src_lines, ref_lines, name)
                run["chosen"] = name == best
                runs.append(run)
    return {"bench": "translate", "data": str(data), "runs": runs,
            "no_backend": unserved, "missing_backends": translators.missing}


def summary(result: dict[str, Any]) -> str:
    runs = result.get("runs", [result])
    lines = [f"{'pair':8} {'backend':15} {'input':18} {'chrF':>6} {'BLEU':>6} {'sent/s':>8}"]
    for r in runs:
        lines.append(f"{r['source']}-{r['target']:5} {r['backend']:15} {r['input']:18} "
                     f"{r['chrf']:6.1f} {r['bleu']:6.1f} {r['sentences_per_s'] or 0:8.1f}")
    if result.get("no_backend"):
        lines.append("no backend: " + ", ".join(result["no_backend"]))
    return "\n".join(lines)
