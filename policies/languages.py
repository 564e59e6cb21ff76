"""Languages: names and ISO 639 codes, and telling which of a few languages a text is in.

Hearth names languages by ISO 639-1 codes (``en``, ``es``, ``pt``) everywhere; people say
their names ("Spanish", "português"). Apertium names its pairs with ISO 639-3 codes
(``eng-spa``), so the three-letter codes are kept here too.

Identification from text only has to choose between the two languages of a session (or
English and the household's second language), never among a hundred: a count of very common
function words and of letters only one of the languages uses is enough for that and costs
microseconds. Speech is identified by Whisper instead (see ``utterance_language``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    code3: str  # ISO 639-3 (Apertium)
    name: str  # English name, lower case
    names: tuple[str, ...] = ()  # other ways people say it (endonym, adjectives)


LANGUAGES: tuple[Language, ...] = (
    Language("en", "eng", "english", ("inglés", "ingles", "inglês", "anglès")),
    Language("es", "spa", "spanish", ("español", "espanol", "castellano", "espanhol",
                                      "castilian")),
    Language("pt", "por", "portuguese", ("português", "portugues", "portugués",
                                         "brazilian portuguese", "brazilian")),
    Language("ca", "cat", "catalan", ("català", "catala", "catalán")),
    Language("gl", "glg", "galician", ("galego", "gallego")),
    Language("fr", "fra", "french", ("français", "francais", "francés")),
    Language("de", "deu", "german", ("deutsch", "alemán", "alemão")),
    Language("it", "ita", "italian", ("italiano",)),
    Language("nl", "nld", "dutch", ("nederlands",)),
    Language("ja", "jpn", "japanese", ("日本語", "japonés", "japonês")),
    Language("zh", "zho", "chinese", ("mandarin", "中文")),
    Language("ru", "rus", "russian", ("русский",)),
    Language("ar", "ara", "arabic", ("العربية",)),
    Language("hi", "hin", "hindi", ()),
    Language("ko", "kor", "korean", ("한국어",)),
    Language("pl", "pol", "polish", ("polski",)),
    Language("tr", "tur", "turkish", ("türkçe",)),
    Language("eo", "epo", "esperanto", ()),
    Language("eu", "eus", "basque", ("euskara",)),
    Language("ro", "ron", "romanian", ("română",)),
)

_BY_KEY: dict[str, Language] = {}
for _lang in LANGUAGES:
    for _key in (_lang.code, _lang.code3, _lang.name, *_lang.names):
        _BY_KEY.setdefault(_key.casefold(), _lang)


class UnknownLanguage(ValueError):
    """A language name or code Hearth does not know."""


def lookup(name_or_code: str) -> Language:
    """"Spanish", "es", "spa", "español", "pt-BR", "eng" -> the language."""
    key = " ".join(name_or_code.casefold().replace("_", "-").split())
    lang = _BY_KEY.get(key) or _BY_KEY.get(key.split("-")[0])
    if lang is None:
        raise UnknownLanguage(f"unknown language {name_or_code!r}")
    return lang


def code_of(name_or_code: str) -> str:
    return lookup(name_or_code).code


def name_of(code: str) -> str:
    """"pt" -> "Portuguese" (the code itself, upper-cased, when unknown)."""
    try:
        return lookup(code).name.capitalize()
    except UnknownLanguage:
        return code.upper()


def code3_of(code: str) -> str:
    return lookup(code).code3


def from_code3(code3: str) -> str | None:
    """An Apertium language token ("spa", "pt", "eng_US") -> ISO 639-1, or None."""
    try:
        return lookup(code3.split("_")[0]).code
    except UnknownLanguage:
        return None


# -- which of a few languages a text is in --------------------------------------------------
def _vocab(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The most frequent short words of each language, minus the ones its neighbours share.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _vocab("the a an and is are of to in it you i we what where how do does can "
                    "please my your this that with for on at be have has was will would "
                    "there here hello hi thanks thank yes no not hey"),
    "es": _vocab("el la los las un una y es son del en que por para con mi tu usted "
                    "dónde donde cómo como qué hola gracias sí está estás estoy hay pero "
                    "muy bien tengo tiene quiero puedes pon ponme favor nosotros yo "
                    "ustedes también hasta luego buenos buenas días noches de al su sus "
                    "nuestra nuestro más ya cuando cuál quién lista añade agrega"),
    "pt": _vocab("o a os as um uma e é são do da dos das no na em que por para com "
                    "meu minha você vocês onde como olá obrigado obrigada sim não está "
                    "estou tem tenho quero pode bom boa dia noite muito também eu nós "
                    "isso aqui ali até logo ótimo coloque favor de à ao aos se seu sua "
                    "nossa nosso mais mas já quando qual quem lista adicione acenda"),
    "ca": _vocab("el la els les un una i és són del de en que per amb meu teu on com "
                    "hola gràcies sí no està tinc vull pots molt bé també jo nosaltres"),
    "fr": _vocab("le la les un une et est sont du de des en que pour avec mon ton où "
                    "comment bonjour merci oui non je nous vous très bien aussi"),
    "de": _vocab("der die das ein eine und ist sind von zu in mit mein dein wo wie "
                    "hallo danke ja nein ich wir sie sehr gut auch nicht"),
    "it": _vocab("il lo la gli le un una e è sono del di in che per con mio tuo dove "
                    "come ciao grazie sì no io noi voi molto bene anche"),
}
# Letters (after case folding) that one language writes and the others here rarely do.
_LETTERS: dict[str, str] = {
    "es": "ñ¿¡",
    "pt": "ãõç",
    "ca": "·",
    "de": "ßü",
    "fr": "œ",
}
# Accented letters English does not write: some evidence for any other language.
_ACCENTED = frozenset("áéíóúàèìòùâêîôûãõçñüï")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text.casefold()))


def scores(text: str, candidates: Iterable[str]) -> dict[str, float]:
    """Evidence for each candidate language (function words + telltale letters)."""
    words = _words(text)
    folded = text.casefold()
    out: dict[str, float] = {}
    for code in candidates:
        vocab = _FUNCTION_WORDS.get(code, frozenset())
        score = float(sum(1 for w in words if w in vocab))
        score += 1.5 * sum(folded.count(ch) for ch in _LETTERS.get(code, ""))
        if code != "en":
            score += 0.5 * sum(1 for ch in folded if ch in _ACCENTED)
        out[code] = score
    return out


def identify(text: str, candidates: Sequence[str], default: str | None = None) -> str:
    """Which of ``candidates`` the text is in; ``default`` (else the first) on a tie."""
    if not candidates:
        raise ValueError("identify() needs at least one candidate language")
    fallback = default if default is not None and default in candidates else candidates[0]
    found = scores(text, candidates)
    best = max(found.values())
    winners = [c for c in candidates if found[c] == best]
    if best <= 0 or (len(winners) > 1 and fallback in winners):
        return fallback
    return winners[0]


def utterance_language(text: str, candidates: Sequence[str], asr_language: str | None) -> str:
    """The language of an utterance among ``candidates``.

    Whisper's detection (audio mode) wins when it names one of the candidates: it heard the
    sounds. Otherwise (text mode, or Whisper guessed a neighbour such as Galician for
    Portuguese) the words decide.
    """
    if asr_language is not None:
        try:
            heard = code_of(asr_language)
        except UnknownLanguage:
            heard = asr_language
        if heard in candidates:
            return heard
    return identify(text, candidates)
