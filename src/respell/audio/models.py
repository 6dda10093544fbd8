"""Whisper backends: faster-whisper (CTranslate2) and openai-whisper (torch).

Both do the same two things for respell: transcribe a stretch of audio under an
initial prompt, with word timestamps, and score texts by teacher forcing (the
summed log-probability of each text's tokens given the audio and a prompt).
They are loaded once per (backend, model, device) and cached.

Heavy imports (ctranslate2, faster_whisper, torch, whisper) happen here, inside
the functions that need them.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import MissingDependencyError, OptionError
from .segments import Segment, Word
from .weights import HOW_TO_GET, PACKAGED, ct2_folder, is_ct2_folder, whisper_checkpoint

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
#: longest audio one decoder pass sees, in seconds
WINDOW_SECONDS = 30.0
#: Whisper's prompt may hold at most half its 448-token context, less one
MAX_PROMPT_TOKENS = 223

BACKENDS = ("faster-whisper", "openai-whisper")


def load_audio(audio: str | os.PathLike | np.ndarray) -> np.ndarray:
    """Decode any audio file (through PyAV, no ffmpeg binary needed) to 16 kHz mono float32."""
    if isinstance(audio, np.ndarray):
        return audio.astype(np.float32, copy=False)
    from ..errors import InputError

    path = Path(audio)
    if not path.is_file():
        raise InputError(f"audio file not found: {path}")
    try:
        from faster_whisper import decode_audio
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingDependencyError(
            "decoding audio needs faster-whisper: pip install 'respell[audio]'"
        ) from exc
    try:
        return decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many kinds
        raise InputError(f"cannot decode audio {path}: {exc}") from exc


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


@functools.lru_cache(maxsize=4)
def load_backend(model: str = "tiny.en", backend: str = "faster-whisper", device: str = "auto"):
    """The backend object for ``model`` (a name such as ``tiny.en`` or ``base``, a
    CTranslate2 folder, or a ``.pt`` file), cached.

    Raises :class:`MissingDependencyError` naming how to get weights when none are found.
    """
    if backend == "faster-whisper":
        return FasterWhisperBackend(model, device)
    if backend == "openai-whisper":
        return OpenAIWhisperBackend(model, device)
    raise OptionError(f"unknown Whisper backend {backend!r}: use one of {', '.join(BACKENDS)}")


class FasterWhisperBackend:
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

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``."""
        return self.tokenizer.encode(text)

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        prompt: str | None = None,
        carry_prompt: bool = False,
        language: str | None = None,
        beam_size: int = 5,
        vad: bool = False,
    ):
        """Yield :class:`Segment` for ``audio``, decoded under ``prompt`` (on every
        window when ``carry_prompt``, else on the first)."""
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

    def _prefix(self, prompt: str | None, longest: int) -> list[int]:
        tok = self.tokenizer
        return _prefix(tok, prompt, room=448 - longest)

    def score(self, audio: np.ndarray, texts: Sequence[str], *, prompt: str | None = None):
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
        results = self.model.model.align(
            batch,
            self._prefix(prompt, max(len(t) for t in tokens)),
            tokens,
            [max(frames // 2, 1)] * len(texts),
        )
        return [
            float(np.log(np.maximum(np.asarray(r.text_token_probs, dtype=np.float64), 1e-12)).sum())
            for r in results
        ]


def _prefix(tok, prompt: str | None, *, room: int) -> list[int]:
    """Decoder prefix: the prompt (cut from the left to fit ``room`` tokens with the
    start sequence) then the start sequence without timestamps."""
    start = list(tok.sot_sequence) + [tok.no_timestamps]
    keep = min(MAX_PROMPT_TOKENS, room - len(start) - 1)
    if room < len(start):
        raise OptionError(f"text to score is longer than Whisper's {room} free tokens")
    if not prompt or keep <= 0:
        return start
    return [tok.sot_prev] + tok.encode(" " + prompt.strip())[-keep:] + start


class OpenAIWhisperBackend:
    """openai-whisper on torch; CTranslate2 weights are converted to its format once."""

    name = "openai-whisper"

    def __init__(self, model: str, device: str = "auto") -> None:
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
        self.multilingual = self.model.is_multilingual
        from whisper.tokenizer import get_tokenizer

        self.tokenizer = get_tokenizer(
            self.multilingual,
            num_languages=self.model.num_languages,
            language="en",
            task="transcribe",
        )

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``."""
        return self.tokenizer.encode(text)

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        prompt: str | None = None,
        carry_prompt: bool = False,
        language: str | None = None,
        beam_size: int = 5,
        vad: bool = False,
    ):
        """Yield :class:`Segment` for ``audio`` (see :meth:`FasterWhisperBackend.transcribe`)."""
        import whisper

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

    def score(self, audio: np.ndarray, texts: Sequence[str], *, prompt: str | None = None):
        """Teacher-forced log-probability of each text given ``audio`` (≤ 30 s)."""
        import torch
        import whisper

        tok = self.tokenizer
        seqs = [tok.encode(" " + t.strip()) for t in texts]
        room = self.model.dims.n_text_ctx - max(len(q) for q in seqs)
        prefix = _prefix(tok, prompt, room=room)
        width = len(prefix) + max(len(s) for s in seqs)
        tokens = torch.full((len(seqs), width), tok.eot, dtype=torch.long)
        for i, s in enumerate(seqs):
            tokens[i, : len(prefix) + len(s)] = torch.tensor(prefix + s)
        mel = whisper.log_mel_spectrogram(
            whisper.pad_or_trim(torch.from_numpy(np.ascontiguousarray(audio))),
            self.model.dims.n_mels,
        )[:, : 2 * self.model.dims.n_audio_ctx].to(self.device)
        with torch.no_grad():
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
