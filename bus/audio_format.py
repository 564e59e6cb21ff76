"""The audio format on the bus: 16 kHz mono PCM16 little-endian, in frames of 20-40 ms.

Devices, the simulator and the audio agents all convert through here, so the byte layout of
``device.audio`` and ``device.speaker`` payloads is written down once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16000
FRAME_SAMPLES = 512  # 32 ms: also the window Silero VAD takes at 16 kHz
FRAME_S = FRAME_SAMPLES / SAMPLE_RATE
MIN_FRAME_BYTES = 2 * SAMPLE_RATE * 20 // 1000  # 20 ms
MAX_FRAME_BYTES = 2 * SAMPLE_RATE * 40 // 1000  # 40 ms

Samples = npt.NDArray[np.float32]


def to_float(pcm: bytes) -> Samples:
    """PCM16 bytes -> float32 samples in [-1, 1)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def to_pcm16(samples: npt.NDArray[np.floating]) -> bytes:
    clipped = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 32767.0 / 32768.0)
    return (clipped * 32768.0).round().astype("<i2").tobytes()


def resample(samples: npt.NDArray[np.floating], src_rate: int,
             dst_rate: int = SAMPLE_RATE) -> Samples:
    """Linear-interpolation resampling; TTS output (22.05 kHz) to the bus rate.

    Going down, a short moving average first keeps the worst aliasing out; speech energy
    sits well below 8 kHz, so this is plenty for ASR and for a device speaker.
    """
    x = np.asarray(samples, dtype=np.float32)
    if src_rate == dst_rate or x.size == 0:
        return x.copy()
    if dst_rate < src_rate:
        x = np.convolve(x, np.full(3, 1.0 / 3.0, dtype=np.float32), mode="same")
    n_out = round(x.size * dst_rate / src_rate)
    positions = np.arange(n_out, dtype=np.float64) * (src_rate / dst_rate)
    return np.interp(positions, np.arange(x.size), x).astype(np.float32)


def frames(samples: npt.NDArray[np.floating], size: int = FRAME_SAMPLES) -> list[Samples]:
    """Split into frames of ``size`` samples, the last one padded with silence."""
    x = np.asarray(samples, dtype=np.float32)
    out = []
    for start in range(0, x.size, size):
        chunk = x[start:start + size]
        if chunk.size < size:
            chunk = np.pad(chunk, (0, size - chunk.size))
        out.append(chunk)
    return out


def rms_dbfs(samples: npt.NDArray[np.floating]) -> float:
    """Loudness of a block in dB relative to full scale (-100 for silence)."""
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return -100.0
    rms = float(np.sqrt(np.mean(x * x)))
    return max(-100.0, 20.0 * float(np.log10(rms + 1e-12)))
