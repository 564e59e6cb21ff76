"""Clean-up of raw ASR output: repetition loops, the assistant's name, confidence.

Whisper, decoding a short window, sometimes loops ("two minutes two minutes two") and small
models mishear an unusual name at the start of a command ("Hey Hart, ...", "A hearth, ...").
These rules repair only what is safe to repair: a repeated tail, and a name-like word in the
opening position right after a greeting.
"""

from __future__ import annotations

import math
import re

ASSISTANT_NAME = "Hearth"
HOTWORDS = "Hey Hearth, set a timer."  # decoder prompt: the name and the built-in commands
NO_SPEECH = 0.6  # Whisper's own no-speech probability above which a window is silence
GREETINGS = ("hey", "hi", "ok", "okay", "hay", "a", "eh", "pay")  # "pay": a clipped "hey"
# Ways a small model spells "Hearth" when it opens a command.
_NAME_LIKE = re.compile(
    r"^(hearth|hearths|harth|hart|harts|heart|hearts|harv|harz|hars|hurth|herth|earth|arth"
    r"|hearth's|harp|harf|hard)$",
    re.IGNORECASE,
)


_REAL_WORDS = frozenset({"heart", "hearts", "earth", "hard", "harp", "hart"})


def _key(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def collapse_repeats(text: str, max_n: int = 8) -> str:
    """Drop a repeated n-gram loop, including a cut-off repeat at the very end.

    "Do you want some coffee? Do you want some" -> "Do you want some coffee?"
    """
    words = text.split()
    keys = [_key(w) for w in words]
    changed = True
    while changed:
        changed = False
        for n in range(1, min(max_n, len(words) // 2) + 1):
            for i in range(0, len(words) - 2 * n + 1):
                if keys[i:i + n] == keys[i + n:i + 2 * n] and any(keys[i:i + n]):
                    del words[i + n:i + 2 * n]
                    del keys[i + n:i + 2 * n]
                    changed = True
                    break
            if changed:
                break
    # A tail that restarts the utterance from its beginning ("... coffee? Do you want").
    for n in range(len(words) // 2, 1, -1):
        if keys[-n:] == keys[:n]:
            words = words[:-n]
            break
    return " ".join(words)


def restore_name(text: str, name: str = ASSISTANT_NAME) -> str:
    """Put the assistant's name back where a command opens with a misheard form of it."""
    words = text.split()
    if not words:
        return text
    first = 1 if len(words) > 1 and _key(words[0]) in GREETINGS else 0
    if not _NAME_LIKE.match(_key(words[first])):
        return text
    # Real words ("heart rate", "hard to say") are kept unless a comma or a greeting marks
    # them as a name.
    if (first == 0 and len(words) > 1 and _key(words[0]) in _REAL_WORDS
            and not words[0].endswith(",")):
        return text
    tail = re.sub(r"^[\w']+", "", words[first])  # keep punctuation such as a comma
    fixed = [*words[:first], name + tail, *words[first + 1:]]
    if first == 1:
        # "A hearth" -> "Hey Hearth"; "Hey, Hearth" -> "Hey Hearth": one wake phrase.
        fixed[0] = "Hey" if _key(words[0]) in ("a", "hay", "eh", "pay") else words[0].rstrip(",")
    return " ".join(fixed)


# Right after the name, a command's verb misheard as a word no one says to an assistant:
# "Hey Hearth said a timer" is "Hey Hearth, set a timer".
_AFTER_NAME = re.compile(r"^((?:hey\s+)?hearth)(,?)\s+said\s+(a|an|the|my|it|up)\b",
                         re.IGNORECASE)


def fix_command_verb(text: str) -> str:
    return _AFTER_NAME.sub(lambda m: f"{m.group(1)}, set {m.group(3)}", text)


def clean(text: str, name: str = ASSISTANT_NAME) -> str:
    text = restore_name(collapse_repeats(" ".join(text.split())), name)
    return fix_command_verb(text) if name == ASSISTANT_NAME else text


def no_speech(no_speech_prob: float, threshold: float = NO_SPEECH) -> bool:
    return no_speech_prob >= threshold


def confidence(avg_logprob: float, no_speech_prob: float = 0.0) -> float:
    """A 0..1 confidence: the mean token probability, discounted by the no-speech score."""
    if math.isnan(avg_logprob):
        return 0.0
    p = math.exp(min(0.0, avg_logprob))
    return max(0.0, min(1.0, p * (1.0 - max(0.0, min(1.0, no_speech_prob)))))
