"""The audio path: Whisper transcription biased to the entities, and acoustic
confirmation of text corrections. The only package that imports torch or Whisper,
always inside the functions that need them.

Modules, bottom up: ``weights`` (finding and converting Whisper weights offline),
``segments`` (what a transcription is made of), ``backends`` (faster-whisper and
openai-whisper behind one protocol), ``progress`` (the bar), ``biasing`` (the
prompted transcription, :func:`transcribe`), ``confirm`` (the acoustic check) and
``pipeline`` (all of it, into a transcript file).

>>> from respell.audio import transcribe, confirm  # doctest: +SKIP
>>> t = transcribe("episode.wav", ["Qassem Soleimani"])  # doctest: +SKIP
"""

from __future__ import annotations

from .backends import BACKENDS, WhisperBackend, load_audio, load_backend
from .biasing import BIAS_MODES, TranscribeOptions, transcribe
from .confirm import ConfirmOptions, align_words, confirm
from .progress import Progress
from .segments import Segment, Transcription, Word
from .weights import default_model

__all__ = [
    "BACKENDS",
    "BIAS_MODES",
    "ConfirmOptions",
    "Progress",
    "Segment",
    "TranscribeOptions",
    "Transcription",
    "WhisperBackend",
    "Word",
    "align_words",
    "confirm",
    "default_model",
    "load_audio",
    "load_backend",
    "transcribe",
]
