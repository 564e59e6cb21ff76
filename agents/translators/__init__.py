"""Offline translation backends behind one ``Translator`` interface (see ``base``)."""

from agents.translators.base import TranslationError, Translator
from agents.translators.registry import BACKENDS, Translated, Translators, shared

__all__ = ["BACKENDS", "Translated", "TranslationError", "Translator", "Translators", "shared"]
