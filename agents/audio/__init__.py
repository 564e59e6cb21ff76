"""Signal processing and models behind the audio perception agent (VAD, ASR, echo, prosody)."""
