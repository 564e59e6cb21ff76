"""Text-to-speech backends behind one ``Synthesizer`` interface (see ``base``)."""

from agents.tts.base import SynthesisError, Synthesizer, split_sentences
from agents.tts.registry import BACKENDS, make_synthesizer

__all__ = ["BACKENDS", "SynthesisError", "Synthesizer", "make_synthesizer", "split_sentences"]
