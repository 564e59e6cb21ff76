"""bus/audio_format and the audio messages: the byte layout of frames, checked at the edge."""

from __future__ import annotations

import msgpack
import numpy as np
import pytest
from conftest import envelope
from pydantic import ValidationError

from bus import audio_format as af
from bus.codec import DecodeError, decode, encode
from bus.messages import DeviceAudio, DeviceSpeaker


def test_pcm16_round_trip_and_clipping() -> None:
    x = np.array([0.0, 0.5, -0.5, 1.5, -1.5], np.float32)
    back = af.to_float(af.to_pcm16(x))
    assert np.allclose(back[:3], x[:3], atol=1 / 32768)
    assert back[3] == pytest.approx(32767 / 32768) and back[4] == -1.0


def test_resample_keeps_duration_and_a_tone() -> None:
    t = np.arange(22050) / 22050
    tone = np.sin(2 * np.pi * 440 * t).astype(np.float32)
    out = af.resample(tone, 22050)
    assert out.size == 16000
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(int(np.argmax(spectrum)) - 440) <= 1  # 1 Hz bins over one second


def test_frames_pad_the_last_one() -> None:
    parts = af.frames(np.ones(1000, np.float32))
    assert [p.size for p in parts] == [512, 512]
    assert parts[1][488:].sum() == 0.0


def test_levels() -> None:
    assert af.rms_dbfs(np.zeros(10)) == -100.0
    assert af.rms_dbfs(np.full(100, 0.5)) == pytest.approx(-6.02, abs=0.01)


def _frame(**fields: object) -> DeviceAudio:
    return DeviceAudio(**{**envelope(), "device": "kitchen", "seq": 0,
                          "pcm": b"\0\0" * 512, **fields})


def test_a_frame_is_20_to_40_ms_of_whole_samples() -> None:
    assert len(encode(_frame())) < 1500
    for bad in (b"\0" * 1023, b"\0" * 600, b"\0" * 1300):
        with pytest.raises(ValidationError):
            _frame(pcm=bad)
    with pytest.raises(ValidationError):
        _frame(seq=-1)
    with pytest.raises(ValidationError):
        _frame(echo_ref=b"\0" * 3)
    with pytest.raises(ValidationError):
        DeviceSpeaker(**envelope(), device="k", response_id="r", seq=0, offset_s=0.0,
                      pcm=b"\0")


def test_a_malformed_frame_is_refused_with_a_reason() -> None:
    raw = _frame().model_dump(mode="python")
    raw["pcm"] = b"\0" * 1023
    with pytest.raises(DecodeError, match="pcm"):
        decode(msgpack.packb(raw, use_bin_type=True))
    assert decode(encode(_frame())).type == "device.audio"
