"""The audio path: Whisper transcription biased to the entities, and acoustic
confirmation of text corrections. The only module that imports torch or Whisper,
always inside the functions that need them.

>>> from respell.audio import transcribe, confirm  # doctest: +SKIP
>>> t = transcribe("episode.wav", ["Qassem Soleimani"])  # doctest: +SKIP
"""

from __future__ import annotations

from .confirm import ConfirmOptions, align_words, confirm
from .models import BACKENDS, load_audio, load_backend
from .segments import Segment, Transcription, Word
from .transcribe import BIAS_MODES, TranscribeOptions, transcribe

__all__ = [
    "BACKENDS",
    "BIAS_MODES",
    "ConfirmOptions",
    "Segment",
    "TranscribeOptions",
    "Transcription",
    "Word",
    "align_words",
    "confirm",
    "load_audio",
    "load_backend",
    "transcribe",
]
