"""Streaming Silero VAD, from the ONNX file that ships inside faster-whisper.

The model is recurrent: each 32 ms window (512 samples at 16 kHz, plus 64 samples of context
from the window before) updates a per-stream state. One ONNX session serves every stream.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bus.audio_format import FRAME_SAMPLES

CONTEXT_SAMPLES = 64


def silero_path() -> Path:
    from faster_whisper.utils import get_assets_path

    return Path(get_assets_path()) / "silero_vad_v6.onnx"


@dataclass
class VadState:
    h: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros((1, 1, 128), np.float32))
    c: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros((1, 1, 128), np.float32))
    context: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((1, CONTEXT_SAMPLES), np.float32))


class SileroVad:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        import onnxruntime as ort  # imported here: the text-only flow never pays for it

        opts = ort.SessionOptions()
        # A window costs ~0.2 ms; one thread keeps it from fighting the ASR for the cores.
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 4
        self.session = ort.InferenceSession(
            str(path or silero_path()), sess_options=opts, providers=["CPUExecutionProvider"])

    def prob(self, state: VadState, window: npt.NDArray[np.float32]) -> float:
        """Speech probability of one 512-sample window; updates ``state``."""
        if window.shape != (FRAME_SAMPLES,):
            raise ValueError(f"VAD windows are {FRAME_SAMPLES} samples, not {window.shape}")
        chunk = window.reshape(1, -1).astype(np.float32, copy=False)
        out, state.h, state.c = self.session.run(
            None, {"input": np.concatenate([state.context, chunk], axis=1),
                   "h": state.h, "c": state.c})
        state.context = chunk[:, -CONTEXT_SAMPLES:]
        return float(np.ravel(out)[0])
