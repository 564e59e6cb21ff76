"""Acoustic features of an utterance: loudness, duration, speech rate, pitch and energy.

Pitch is found per 40 ms frame by normalised autocorrelation between 70 and 400 Hz; a frame
is voiced when the correlation peak is strong and the frame is not near silence. Everything is
vectorised numpy: a few milliseconds for a few seconds of speech.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from bus.audio_format import SAMPLE_RATE, rms_dbfs
from bus.messages import Prosody

FRAME = 640  # 40 ms
HOP = 320  # 20 ms
F0_MIN, F0_MAX = 70.0, 400.0
SLICES = 8


def loudness_01(dbfs: float) -> float:
    """dBFS -> 0..1 as the text-mode ``loudness`` (-60 dBFS and below is 0, 0 dBFS is 1)."""
    return float(min(1.0, max(0.0, (dbfs + 60.0) / 60.0)))


def _frames(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    if x.size < FRAME:
        x = np.pad(x, (0, FRAME - x.size))
    count = 1 + (x.size - FRAME) // HOP
    idx = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    out: npt.NDArray[np.float64] = x[idx].astype(np.float64)
    return out


def pitch_track(x: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.float64],
                                                      npt.NDArray[np.float64]]:
    """Per-frame F0 in Hz (0 = unvoiced) and per-frame RMS."""
    frames = _frames(x)
    frames = frames - frames.mean(axis=1, keepdims=True)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    window = np.hanning(FRAME)
    spec = np.fft.rfft(frames * window[None, :], 2 * FRAME, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :FRAME]
    ac = ac / np.maximum(ac[:, :1], 1e-12)
    # Divide out the window's own autocorrelation (Boersma 1993), or long lags (low voices)
    # look less periodic than they are.
    w_ac = np.fft.irfft(np.abs(np.fft.rfft(window, 2 * FRAME)) ** 2)[:FRAME]
    ac = ac / np.maximum(w_ac / w_ac[0], 1e-3)[None, :]
    lo, hi = int(SAMPLE_RATE / F0_MAX), int(SAMPLE_RATE / F0_MIN)
    band = ac[:, lo:hi]
    lag = np.argmax(band, axis=1) + lo
    peak = band[np.arange(band.shape[0]), lag - lo]
    floor = max(1e-4, float(np.max(rms)) * 0.1)
    voiced = (peak > 0.5) & (rms > floor)
    f0 = np.where(voiced, SAMPLE_RATE / lag, 0.0)
    return f0, rms


def _semitones(f: npt.NDArray[np.float64], ref: float) -> npt.NDArray[np.float64]:
    return 12.0 * np.log2(f / ref)


def measure(x: npt.NDArray[np.float32], words: int) -> Prosody:
    duration = x.size / SAMPLE_RATE
    f0, rms = pitch_track(x)
    voiced = f0 > 0
    voiced_f0 = f0[voiced]
    pitch = float(np.median(voiced_f0)) if voiced_f0.size >= 3 else None
    pitch_range = end_slope = None
    if pitch is not None:
        st = _semitones(voiced_f0, pitch)
        pitch_range = float(np.percentile(st, 90) - np.percentile(st, 10))
        times = np.nonzero(voiced)[0] * HOP / SAMPLE_RATE
        tail = times >= times[-1] - 0.5
        if int(np.count_nonzero(tail)) >= 4:
            end_slope = float(np.polyfit(times[tail], st[tail], 1)[0])
    slices = np.array_split(np.arange(rms.size), SLICES)
    energy = np.array([float(np.mean(rms[s])) if s.size else 0.0 for s in slices])
    energy = energy / max(float(energy.max()), 1e-12)
    pitch_contour = []
    for s in slices:
        v = f0[s][f0[s] > 0] if s.size else np.zeros(0)
        pitch_contour.append(round(float(np.median(v)), 1) if v.size else 0.0)
    return Prosody(
        loudness_dbfs=round(rms_dbfs(x), 2),
        duration_s=round(duration, 3),
        speech_rate_wps=round(words / duration, 3) if duration > 0 else 0.0,
        voiced_ratio=round(float(np.mean(voiced)) if voiced.size else 0.0, 3),
        pitch_hz=round(pitch, 1) if pitch is not None else None,
        pitch_range_st=round(pitch_range, 2) if pitch_range is not None else None,
        pitch_end_slope_st_s=round(end_slope, 2) if end_slope is not None else None,
        energy_contour=[round(float(e), 3) for e in energy],
        pitch_contour=pitch_contour,
    )
