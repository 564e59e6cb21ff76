"""Taking the assistant's own voice out of a device microphone.

Devices send, with every microphone frame, what their loudspeaker played during it (the
loopback reference, ``echo_ref``). The echo in the microphone is that reference, delayed by the
acoustic path and scaled. The canceller keeps the recent reference, finds the delay by
cross-correlation and the gain by least squares while the device is playing, and subtracts
the estimate. What remains (the residual) is the room without the assistant: a person talking
over it stays, the assistant's voice does not. A residual that is still mostly echo (the
estimate has not settled, the room is not linear) is suppressed: during playback a frame
counts only when its residual is well above what is left of the echo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bus.audio_format import SAMPLE_RATE

Samples = npt.NDArray[np.float32]


@dataclass
class EchoCanceller:
    max_delay_s: float = 0.05
    window_s: float = 0.5  # history used to estimate delay and gain
    reestimate_every: int = 8  # frames between estimates while playing
    suppress_ratio: float = 0.35  # residual / echo energy below which a frame is echo
    min_explained: float = 0.5  # share of the microphone energy an accepted echo path explains
    delay: int = 0
    gain: float = 0.0
    _ref: Samples = field(default_factory=lambda: np.zeros(0, np.float32))
    _mic: Samples = field(default_factory=lambda: np.zeros(0, np.float32))
    _frames: int = 0
    _settled: bool = False  # a delay and gain have been estimated for this playback
    playing_frames: int = 0

    def _keep(self, buf: Samples, new: Samples, limit: int) -> Samples:
        out = np.concatenate([buf, new])
        return out[-limit:] if out.size > limit else out

    def process(self, mic: Samples, ref: Samples | None) -> tuple[Samples, bool]:
        """Cancel one frame. Returns the residual and whether the frame is echo only."""
        n = mic.size
        max_delay = int(self.max_delay_s * SAMPLE_RATE)
        hist = int(self.window_s * SAMPLE_RATE) + max_delay + n
        if ref is None or ref.size != n:
            ref = np.zeros(n, np.float32)
        self._ref = self._keep(self._ref, ref, hist)
        self._mic = self._keep(self._mic, mic, hist)
        playing = bool(np.any(self._ref[-(n + max_delay):] != 0.0))
        if not playing:
            self.playing_frames = 0
            return mic, False
        self.playing_frames += 1
        self._frames += 1
        if not self._settled or self._frames % self.reestimate_every == 0:
            self._settled = self._estimate(max_delay) or self._settled
        if not self._settled:
            # Playing, but the echo path is not known yet (a quiet start, or someone talking
            # from the first moment): a frame no louder than what the loudspeaker played can
            # be all echo and does not count as speech; a louder one is someone else.
            recent = self._ref[-(n + max_delay):]
            return mic, float(np.mean(mic * mic)) <= float(np.mean(recent * recent))
        # The reference aligned with this frame: ref[t - delay].
        end = self._ref.size - self.delay
        aligned = self._ref[max(0, end - n):end]
        if aligned.size < n:
            aligned = np.pad(aligned, (n - aligned.size, 0))
        echo = self.gain * aligned
        residual = (mic - echo).astype(np.float32)
        echo_energy = float(np.mean(echo * echo))
        res_energy = float(np.mean(residual * residual))
        only_echo = echo_energy > 1e-9 and res_energy < self.suppress_ratio * echo_energy
        return residual, only_echo

    def _estimate(self, max_delay: int) -> bool:
        """Delay by cross-correlation over the window, then the least-squares gain."""
        mic, ref = self._mic.astype(np.float64), self._ref.astype(np.float64)
        if float(np.dot(ref, ref)) < 0.5:  # ~0.1 s of speech: less gives a chancy delay
            return False
        size = 1 << int(np.ceil(np.log2(mic.size + ref.size)))
        corr = np.fft.irfft(np.fft.rfft(mic, size) * np.conj(np.fft.rfft(ref, size)), size)
        lags = corr[: max_delay + 1]  # mic lags the reference by 0..max_delay samples
        delay = int(np.argmax(np.abs(lags)))
        shifted = np.concatenate([np.zeros(delay), ref[: ref.size - delay]])
        denom = float(np.dot(shifted, shifted))
        if denom < 1e-9:
            return False
        gain = float(np.dot(mic, shifted) / denom)
        # Accept only an echo path that explains much of what the microphone hears: a weak
        # fit comes from too little sound or from someone talking over it.
        explained = gain * gain * denom / max(float(np.dot(mic, mic)), 1e-12)
        if explained < self.min_explained:
            return False
        self.delay, self.gain = delay, gain
        return True
