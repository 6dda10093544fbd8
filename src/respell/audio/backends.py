"""Whisper backends: faster-whisper (CTranslate2) and openai-whisper (torch).

Both do the same three things for respell (the :class:`WhisperBackend` protocol):
count tokens, decode a stretch of audio under a prompt into timed segments, and
score texts by teacher forcing (the summed log-probability of each text's tokens
given the audio and a prompt). They differ where their libraries do (CTranslate2's
``align`` against torch's forward pass, int8 against float32 on a CPU), so they are
two classes, loaded once per (backend, model, device) and cached.

Heavy imports (ctranslate2, faster_whisper, torch, whisper) happen here, inside
the functions that need them.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import MissingDependencyError, OptionError
from .segments import Segment, Word
from .weights import (
    HOW_TO_GET,
    PACKAGED,
    ct2_folder,
    ct2_shapes,
    default_model,
    is_ct2_folder,
    whisper_checkpoint,
)

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
#: longest audio one decoder pass sees, in seconds
WINDOW_SECONDS = 30.0
#: the longest prompt of every released Whisper model: half its 448-token decoder
#: context, less one (a backend reports its own model's limit as ``max_prompt_tokens``)
MAX_PROMPT_TOKENS = 223

BACKENDS = ("faster-whisper", "openai-whisper")


class WhisperBackend(Protocol):
    """What respell needs of a Whisper implementation.

    ``text_context`` is the model's decoder context in tokens (448 for every released
    Whisper) and ``max_prompt_tokens`` the longest prompt it takes (half of it, less one).
    """

    name: str
    model_name: str
    device: str
    text_context: int

    @property
    def max_prompt_tokens(self) -> int: ...

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``."""

    def decode(
        self,
        audio: np.ndarray,
        *,
        prompt: str | None = None,
        carry_prompt: bool = False,
        language: str | None = None,
        beam_size: int = 5,
        vad: bool = False,
    ) -> Iterator[Segment]:
        """Segments of ``audio`` (16 kHz float32), decoded under ``prompt``: on every
        30-second window when ``carry_prompt``, else on the first."""

    def score(
        self, audio: np.ndarray, texts: Sequence[str], *, prompt: str | None = None
    ) -> list[float]:
        """Teacher-forced log-probability of each of ``texts`` given ``audio`` (at most
        30 s) and ``prompt``."""


def load_audio(audio: str | os.PathLike | np.ndarray) -> np.ndarray:
    """Decode any audio or video file (through PyAV, no ffmpeg binary needed) to 16 kHz
    mono float32, frame by frame into one array: for an hour, 230 MB and no more."""
    if isinstance(audio, np.ndarray):
        return audio.astype(np.float32, copy=False)
    from ..errors import InputError

    path = Path(audio)
    if not path.is_file():
        raise InputError(f"audio file not found: {path}")
    try:
        import av
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingDependencyError(
            "decoding audio needs faster-whisper (PyAV): pip install 'respell[audio]'"
        ) from exc
    try:
        return _decode_file(av, path)
    except Exception as exc:  # PyAV raises many kinds
        raise InputError(f"cannot decode audio {path}: {exc}") from exc


def _decode_file(av, path: Path) -> np.ndarray:
    with av.open(str(path), metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise ValueError("no audio stream")
        stream = container.streams.audio[0]
        seconds = float(stream.duration * stream.time_base) if stream.duration else None
        if seconds is None and container.duration:
            seconds = container.duration / 1_000_000
        out = np.empty(int((seconds or 60.0) * SAMPLE_RATE) + SAMPLE_RATE, dtype=np.float32)
        n = 0
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

        def put(frames) -> None:
            nonlocal out, n
            for frame in frames:
                chunk = frame.to_ndarray().reshape(-1)
                if n + len(chunk) > len(out):  # the container's duration was short
                    out = np.resize(out, max(2 * len(out), n + len(chunk)))
                out[n : n + len(chunk)] = chunk
                n += len(chunk)

        for frame in container.decode(stream):
            put(resampler.resample(frame))
        put(resampler.resample(None))
    if n == 0:
        raise ValueError("no audio samples")
    out.resize(n, refcheck=False)  # in place: no second copy of the signal
    return out


def _resolve(model: str) -> tuple[str, str]:
    """("ct2" | "pt" | "name", location) for a model name or path."""
    path = Path(os.path.expanduser(model))
    if path.exists():
        if path.is_dir() and is_ct2_folder(path):
            return "ct2", str(path)
        if path.is_file() and path.suffix == ".pt":
            return "pt", str(path)
        raise MissingDependencyError(
            f"{model} is neither a CTranslate2 model folder (model.bin + config.json) "
            "nor an openai-whisper .pt checkpoint"
        )
    if model in PACKAGED:
        folder = ct2_folder(model)
        if folder is not None:
            return "ct2", str(folder)
    return "name", model


def _device(device: str, *, torch_backend: bool) -> str:
    if device != "auto":
        return device
    if torch_backend:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def load_backend(
    model: str | None = None, backend: str = "faster-whisper", device: str = "auto"
) -> WhisperBackend:
    """The backend object for ``model`` (a name such as ``tiny.en`` or ``base``, a
    CTranslate2 folder, or a ``.pt`` file; None: :func:`default_model`), cached.

    Raises :class:`MissingDependencyError` naming how to get weights when none are found.
    """
    return _load_backend(model or default_model(), backend, device)


@functools.lru_cache(maxsize=4)
def _load_backend(model: str, backend: str, device: str) -> WhisperBackend:
    if backend == "faster-whisper":
        return FasterWhisperBackend(model, device)
    if backend == "openai-whisper":
        return OpenAIWhisperBackend(model, device)
    raise OptionError(f"unknown Whisper backend {backend!r}: use one of {', '.join(BACKENDS)}")


class _Tokens:
    """What both backends share: their tokenizer's counts and the prompt limit."""

    tokenizer: object
    text_context: int

    @property
    def max_prompt_tokens(self) -> int:
        """The longest prompt this model takes: half its decoder context, less one."""
        return self.text_context // 2 - 1

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``."""
        return self.tokenizer.encode(text)


class FasterWhisperBackend(_Tokens):
    """faster-whisper on CTranslate2: int8 on CPU, float16 on GPU."""

    name = "faster-whisper"

    def __init__(self, model: str, device: str = "auto") -> None:
        try:
            import ctranslate2  # noqa: F401
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise MissingDependencyError(
                "the faster-whisper backend needs faster-whisper: pip install 'respell[audio]'"
            ) from exc
        kind, where = _resolve(model)
        if kind == "pt":
            raise OptionError(
                f"{model} is an openai-whisper checkpoint: use --backend openai-whisper for it"
            )
        self.model_name = model
        self.device = _device(device, torch_backend=False)
        compute = "float16" if self.device == "cuda" else "int8"
        try:
            self.model = WhisperModel(where, device=self.device, compute_type=compute)
        except Exception as exc:
            if kind == "name":
                raise MissingDependencyError(
                    f"no weights for Whisper model {model!r} offline and the download failed "
                    f"({type(exc).__name__}): {HOW_TO_GET}"
                ) from exc
            raise MissingDependencyError(f"cannot load Whisper model {where}: {exc}") from exc
        from faster_whisper.tokenizer import Tokenizer

        self.multilingual = self.model.model.is_multilingual
        self.tokenizer = Tokenizer(
            self.model.hf_tokenizer, self.multilingual, task="transcribe", language="en"
        )
        self.text_context = self.model.max_length  # faster-whisper's guess, for a model by name
        if kind == "ct2":
            shape = ct2_shapes(Path(where) / "model.bin").get("decoder/position_encodings/encodings")
            self.text_context = shape[0] if shape else self.text_context

    def decode(
        self,
        audio: np.ndarray,
        *,
        prompt: str | None = None,
        carry_prompt: bool = False,
        language: str | None = None,
        beam_size: int = 5,
        vad: bool = False,
    ) -> Iterator[Segment]:
        """Yield :class:`Segment` for ``audio``, decoded under ``prompt`` (on every
        window when ``carry_prompt``, as faster-whisper's hotwords, else on the first)."""
        segments, _info = self.model.transcribe(
            audio,
            language=language or ("en" if self.multilingual else None),
            beam_size=beam_size,
            initial_prompt=None if carry_prompt else (prompt or None),
            hotwords=(prompt or None) if carry_prompt else None,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=vad,
        )
        for s in segments:
            yield Segment(
                id=s.id,
                start=float(s.start),
                end=float(s.end),
                text=s.text,
                words=tuple(
                    Word(w.word, float(w.start), float(w.end), float(w.probability))
                    for w in s.words or ()
                ),
                avg_logprob=float(s.avg_logprob),
                no_speech_prob=float(s.no_speech_prob),
                compression_ratio=float(s.compression_ratio),
                tokens=tuple(s.tokens),
                temperature=s.temperature or 0.0,
                prompt=prompt or "",
            )

    def score(
        self, audio: np.ndarray, texts: Sequence[str], *, prompt: str | None = None
    ) -> list[float]:
        """Teacher-forced log-probability of each text given ``audio`` (≤ 30 s)."""
        import ctranslate2

        fe = self.model.feature_extractor
        features = fe(audio[: int(WINDOW_SECONDS * SAMPLE_RATE)])
        frames = min(features.shape[-1], fe.nb_max_frames)
        padded = np.zeros((features.shape[0], fe.nb_max_frames), dtype=np.float32)
        padded[:, :frames] = features[:, :frames]
        encoded = np.array(
            self.model.model.encode(ctranslate2.StorageView.from_array(padded[None]), to_cpu=True)
        )
        tokens = [self.tokenizer.encode(" " + t.strip()) for t in texts]
        batch = ctranslate2.StorageView.from_array(
            np.ascontiguousarray(np.repeat(encoded, len(texts), axis=0))
        )
        room = self.text_context - max(len(t) for t in tokens)
        results = self.model.model.align(
            batch,
            _prefix(self.tokenizer, prompt, room=room, limit=self.max_prompt_tokens),
            tokens,
            [max(frames // 2, 1)] * len(texts),
        )
        return [
            float(np.log(np.maximum(np.asarray(r.text_token_probs, dtype=np.float64), 1e-12)).sum())
            for r in results
        ]


def _prefix(tok, prompt: str | None, *, room: int, limit: int) -> list[int]:
    """Decoder prefix: the prompt (at most ``limit`` tokens, cut from the left to fit
    ``room`` tokens with the start sequence) then the start sequence without timestamps."""
    start = list(tok.sot_sequence) + [tok.no_timestamps]
    keep = min(limit, room - len(start) - 1)
    if room < len(start):
        raise OptionError(f"text to score is longer than Whisper's {room} free tokens")
    if not prompt or keep <= 0:
        return start
    return [tok.sot_prev] + tok.encode(" " + prompt.strip())[-keep:] + start


class OpenAIWhisperBackend(_Tokens):
    """openai-whisper on torch (float32 on CPU, float16 on GPU); CTranslate2 weights are
    converted to its format once.

    Decoding goes through ``whisper.transcribe`` with four changes of cost, none of
    result (tested against plain openai-whisper): the beams share one copy of the
    audio's keys and values in cross-attention (openai-whisper broadcasts them, which
    copies them for every beam at every token: three quarters of its CPU time), the
    prompt is run through the decoder once rather than once per beam, the vocabulary
    projection is made only where a token is chosen, and the word timestamps reuse the
    encoder's output for the window instead of encoding it a second time. On a CPU,
    torch runs on ``threads`` threads (default: the idle cores, see :func:`torch_threads`).
    """

    name = "openai-whisper"

    def __init__(self, model: str, device: str = "auto", *, threads: int | None = None) -> None:
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise MissingDependencyError(
                "the openai-whisper backend needs openai-whisper and torch: "
                "pip install 'respell[whisper]'"
            ) from exc
        self.model_name = model
        self.device = _device(device, torch_backend=True)
        kind, where = _resolve(model)
        heads = None
        if kind == "ct2":
            path = whisper_checkpoint(where)
            heads = torch.load(path, map_location="cpu", weights_only=False).get("alignment_heads")
            where = str(path)
        elif kind == "name":
            cached = Path(os.path.expanduser("~/.cache/whisper")) / f"{model}.pt"
            if not cached.is_file() and model not in whisper.available_models():
                raise MissingDependencyError(f"unknown Whisper model {model!r}: {HOW_TO_GET}")
        try:
            self.model = whisper.load_model(where, device=self.device)
        except Exception as exc:
            raise MissingDependencyError(
                f"cannot load Whisper model {model!r} ({type(exc).__name__}: {exc}); {HOW_TO_GET}"
            ) from exc
        if heads:
            mask = torch.zeros(
                self.model.dims.n_text_layer, self.model.dims.n_text_head, dtype=torch.bool
            )
            for layer, head in heads:
                mask[layer, head] = True
            self.model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
        self.model.eval()
        from .openai_speed import speed_up, torch_threads

        self.threads = threads or torch_threads()
        self.text_context = self.model.dims.n_text_ctx
        speed_up(self.model)
        # numba compiles whisper's DTW (word timestamps) on first use, and that resets
        # torch's thread count in the middle of a transcription: compile it now
        from whisper.timing import dtw_cpu

        dtw_cpu(np.zeros((2, 2)))
        self.multilingual = self.model.is_multilingual
        from whisper.tokenizer import get_tokenizer

        self.tokenizer = get_tokenizer(
            self.multilingual,
            num_languages=self.model.num_languages,
            language="en",
            task="transcribe",
        )

    def decode(
        self,
        audio: np.ndarray,
        *,
        prompt: str | None = None,
        carry_prompt: bool = False,
        language: str | None = None,
        beam_size: int = 5,
        vad: bool = False,
    ) -> Iterator[Segment]:
        """Yield :class:`Segment` for ``audio`` (see :meth:`FasterWhisperBackend.decode`)."""
        import whisper

        with self._threads():
            result = whisper.transcribe(
                self.model,
                audio,
                language=language or "en",
                initial_prompt=prompt or None,
                carry_initial_prompt=carry_prompt,
                condition_on_previous_text=False,
                word_timestamps=True,
                beam_size=beam_size,
                best_of=beam_size,
                fp16=self.device == "cuda",
                verbose=None,
            )
        for s in result["segments"]:
            yield Segment(
                id=s["id"],
                start=s["start"],
                end=s["end"],
                text=s["text"],
                words=tuple(
                    Word(w["word"], w["start"], w["end"], w["probability"])
                    for w in s.get("words", ())
                ),
                avg_logprob=s["avg_logprob"],
                no_speech_prob=s["no_speech_prob"],
                compression_ratio=s["compression_ratio"],
                tokens=tuple(s["tokens"]),
                temperature=s["temperature"],
                prompt=prompt or "",
            )

    def _threads(self):
        """torch's thread count set to ``threads`` for the call, then put back."""
        import contextlib

        import torch

        @contextlib.contextmanager
        def scope():
            before = torch.get_num_threads()
            torch.set_num_threads(self.threads)
            try:
                yield
            finally:
                torch.set_num_threads(before)

        return scope()

    def score(
        self, audio: np.ndarray, texts: Sequence[str], *, prompt: str | None = None
    ) -> list[float]:
        """Teacher-forced log-probability of each text given ``audio`` (≤ 30 s)."""
        import torch
        import whisper

        tok = self.tokenizer
        seqs = [tok.encode(" " + t.strip()) for t in texts]
        room = self.model.dims.n_text_ctx - max(len(q) for q in seqs)
        prefix = _prefix(tok, prompt, room=room, limit=self.max_prompt_tokens)
        width = len(prefix) + max(len(s) for s in seqs)
        tokens = torch.full((len(seqs), width), tok.eot, dtype=torch.long)
        for i, s in enumerate(seqs):
            tokens[i, : len(prefix) + len(s)] = torch.tensor(prefix + s)
        mel = whisper.log_mel_spectrogram(
            whisper.pad_or_trim(torch.from_numpy(np.ascontiguousarray(audio))),
            self.model.dims.n_mels,
        )[:, : 2 * self.model.dims.n_audio_ctx].to(self.device)
        with torch.no_grad(), self._threads():
            features = self.model.embed_audio(mel[None].to(next(self.model.parameters()).dtype))
            logits = self.model.logits(
                tokens.to(self.device), features.expand(len(seqs), -1, -1)
            ).float()
            logp = torch.log_softmax(logits, dim=-1)
        out = []
        for i, s in enumerate(seqs):
            pos = torch.arange(len(prefix) - 1, len(prefix) - 1 + len(s))
            out.append(float(logp[i, pos, torch.tensor(s)].sum()))
        return out
