#!/usr/bin/env python3
"""Whisper's cost on a GPU (or any device): model load time, and seconds per second of
audio of ``respell transcribe`` with the openai-whisper backend, with its accuracy.

    python benchmarks/gpu_transcribe.py [--device cuda] [--model tiny.en] [--repeats 3]
        [--modes window,none] [--loads 3] [--process-loads 2] [--json out.json]
    python benchmarks/gpu_transcribe.py --clips benchmarks/audio_data/generated --limit 20
        [--systems a,c,w,r] [--device cuda] [--model tiny.en] [--json clips.json]

On a GPU machine: ``pip install -e '.[whisper]'`` with the machine's CUDA build of
torch, the weights as for any offline use (``respell[audio]`` for tiny.en; a
CTranslate2 folder or an openai-whisper ``.pt`` file also does, given as ``--model``),
then the first line above. It prints one line a measurement and a summary, and writes
every figure and output text to ``--json``.

What it does, in one process (as a transcription worker would):

* **load**: the first load of the model in the process (CUDA's start, the conversion
  of CTranslate2 weights when not yet cached, numba's compilation of the timestamp
  DTW), then ``--loads`` loads again of the converted weights, each a new backend
  object moved to the device (min and median); with ``--process-loads N``, N fresh
  processes each report their imports and their first load with the weights cached:
  what a new worker pays before its first recording.
* **transcribe**: what ``respell transcribe AUDIO -e NAMES --backend openai-whisper
  --device DEVICE --bias MODE -q`` does (``respell.audio.pipeline.transcribe_and_fix``
  with the text repair; the audio check only with ``--confirm``, as there), once untimed
  to warm up (kernels compiled on first use, the matcher's caches), then ``--repeats``
  times per mode: the transcription's own seconds (``Transcription.seconds``, both
  passes in the window mode) and the whole call's, divided by the audio's length, min
  and median; the GPU's peak memory; each repeat's WER and mention recall against
  ``--reference`` (``respell.evaluate.entity_scores``, as ``respell eval`` scores them)
  and every distinct text (fp16 on a GPU need not give the same one every time).
* **--clips DIR**: ``benchmarks/audio.py`` on that clip set with this backend and
  device (its WER, entity WER, mention recall and RTF per system).

Audio is decoded by respell's ``load_audio`` (PyAV). Where PyAV is not installed, a
``.npy`` file of 16 kHz float32 samples (``np.save(path, load_audio(AUDIO))`` made
elsewhere) or a 16 kHz 16-bit mono WAV file (the clip set's) is read without it: the
WAV samples divided by 32,768, as PyAV's resampler gives them (checked equal on the 64
clips).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RATE = 16000


def read_audio(path: str | os.PathLike) -> np.ndarray:
    """16 kHz mono float32 samples of ``path``: respell's ``load_audio``, or without
    PyAV a ``.npy`` file of such samples or a 16 kHz 16-bit mono WAV file."""
    path = Path(path)
    if path.suffix == ".npy":
        return np.load(path).astype(np.float32, copy=False)
    try:
        import av  # noqa: F401
    except ImportError:
        if path.suffix.lower() == ".wav":
            return read_wav(path)
        raise SystemExit(f"{path}: decoding it needs PyAV (pip install av), or pass a .npy "
                         "of its 16 kHz float32 samples or a 16 kHz 16-bit mono WAV") from None
    from respell.audio import load_audio

    return load_audio(path)


def read_wav(path: Path) -> np.ndarray:
    """A 16 kHz 16-bit mono WAV file's samples as float32 in [-1, 1)."""
    with wave.open(str(path)) as w:
        if (w.getframerate(), w.getsampwidth(), w.getnchannels()) != (RATE, 2, 1):
            raise SystemExit(f"{path}: not 16 kHz 16-bit mono ({w.getframerate()} Hz, "
                             f"{8 * w.getsampwidth()}-bit, {w.getnchannels()} channels)")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / np.float32(32768)


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def _stats(values: list[float]) -> dict:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3),
            "all": [round(v, 3) for v in values]}


def _versions() -> dict:
    import torch
    import whisper

    out = {"python": platform.python_version(), "torch": torch.__version__,
           "whisper": getattr(whisper, "__version__", "?"), "cpu_count": os.cpu_count()}
    if torch.cuda.is_available():
        out["gpu"] = torch.cuda.get_device_name(0)
        out["cuda"] = torch.version.cuda
    return out


def process_load(model: str, device: str) -> dict:
    """One fresh process's import and first-load seconds (the child of ``--process-loads``)."""
    t0 = time.perf_counter()
    import torch  # noqa: F401
    import whisper  # noqa: F401

    from respell.audio.backends import OpenAIWhisperBackend

    imported = time.perf_counter()
    OpenAIWhisperBackend(model, device)
    _sync(device)
    return {"import_s": round(imported - t0, 3), "load_s": round(time.perf_counter() - imported, 3)}


def loads(model: str, device: str, n: int, n_process: int) -> dict:
    from respell.audio import load_backend
    from respell.audio.backends import OpenAIWhisperBackend

    t = time.perf_counter()
    load_backend(model, "openai-whisper", device)  # cached: the transcriptions use it
    _sync(device)
    out = {"first_s": round(time.perf_counter() - t, 3)}
    print(f"load, first in this process: {out['first_s']:.2f} s", flush=True)
    again = []
    for _ in range(n):
        t = time.perf_counter()
        backend = OpenAIWhisperBackend(model, device)
        _sync(device)
        again.append(time.perf_counter() - t)
        del backend
    if again:
        out["again_s"] = _stats(again)
        print(f"load, again ({n}): min {min(again):.2f} s, median "
              f"{statistics.median(again):.2f} s", flush=True)
    fresh = []
    for _ in range(n_process):
        run = subprocess.run([sys.executable, __file__, "--child-load", model, device],
                             capture_output=True, text=True, check=True)
        fresh.append(json.loads(run.stdout.strip().splitlines()[-1]))
        print(f"load, fresh process: imports {fresh[-1]['import_s']:.2f} s, "
              f"load {fresh[-1]['load_s']:.2f} s", flush=True)
    if fresh:
        out["fresh_process"] = fresh
    return out


def transcriptions(args, samples: np.ndarray) -> dict:
    from respell import Lexicon
    from respell.audio.pipeline import transcribe_and_fix
    from respell.evaluate import entity_scores

    lexicon = Lexicon.load(args.names)
    reference = Path(args.reference).read_text(encoding="utf-8") if args.reference else None
    duration = len(samples) / RATE
    opts = {"model": args.model, "backend": "openai-whisper", "device": args.device,
            "format": "txt", "progress": False, "acoustic": args.confirm}

    def once(mode: str):
        t = time.perf_counter()
        out = transcribe_and_fix(samples, lexicon, bias=mode, **opts)
        _sync(args.device)
        return out, time.perf_counter() - t

    t = time.perf_counter()
    once(args.modes[0])  # warm-up: kernels compiled on first use, the matcher's caches
    warm = time.perf_counter() - t
    print(f"warm-up ({args.modes[0]}): {warm:.2f} s", flush=True)
    result = {"audio_s": round(duration, 2), "warmup_s": round(warm, 3),
              "confirm": args.confirm, "modes": {}}
    for mode in args.modes:
        if args.device.startswith("cuda"):
            import torch

            torch.cuda.reset_peak_memory_stats()
        heard, whole, texts, wers, right = [], [], [], [], []
        for r in range(args.repeats):
            out, seconds = once(mode)
            heard.append(out.transcription.seconds)
            whole.append(seconds)
            texts.append(out.text)
            line = (f"{mode} {r + 1}/{args.repeats}: transcription {heard[-1]:.2f} s "
                    f"({heard[-1] / duration:.4f} s per audio s), with repair {seconds:.2f} s")
            if reference is not None:  # scored after the clock stops
                s = entity_scores(reference, out.text, lexicon)
                wers.append(round(100 * s.words.wer, 2))
                right.append(s.mentions_correct)
                line += f"; WER {wers[-1]:.2f} %, mentions {right[-1]}/{s.mentions}"
            print(line, flush=True)
        # fp16 on a GPU need not give the same text every time: every distinct one is kept
        row = {"transcription_s": _stats(heard), "whole_s": _stats(whole),
               "g": _stats([h / duration for h in heard]),
               "g_whole": _stats([w / duration for w in whole]),
               "texts": list(dict.fromkeys(texts)),
               "changes": len(out.result.changes), "names_heard": len(out.names_found())}
        if args.device.startswith("cuda"):
            import torch

            row["gpu_peak_mb"] = round(torch.cuda.max_memory_allocated() / 2**20)
        if reference is not None:
            row.update(wer=wers, mentions=s.mentions, mentions_correct=right)
        result["modes"][mode] = row
        print(f"{mode}: g = {row['g']['min']:.4f} min / {row['g']['median']:.4f} median s per "
              f"audio s (transcription), {row['g_whole']['median']:.4f} with repair; "
              f"{len(row['texts'])} distinct text(s) in {args.repeats} repeats", flush=True)
    return result


def clips(args) -> dict:
    """benchmarks/audio.py on ``args.clips`` with this backend and device, its audio
    read by :func:`read_audio` (so without PyAV for the WAV clips); its figures."""
    import tempfile

    import respell.audio

    sys.path.insert(0, str(HERE))
    import audio as bench

    respell.audio.load_audio = read_audio  # audio.run imports it from respell.audio
    with tempfile.TemporaryDirectory() as tmp:
        argv = ["--data", args.clips, "--backend", "openai-whisper", "--device", args.device,
                "--systems", args.systems, "--cache", args.cache or tmp, "--fresh",
                "--json", str(Path(tmp) / "clips.json")]
        argv += ["--model", args.model] if args.model else []
        argv += ["--limit", str(args.limit)] if args.limit else []
        bench.main(argv)
        return json.loads((Path(tmp) / "clips.json").read_text(encoding="utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--audio", default=str(ROOT / "samples" / "episode.ogg"),
                    help="audio file, or .npy of 16 kHz float32 samples")
    ap.add_argument("--names", default=str(ROOT / "samples" / "names.txt"))
    ap.add_argument("--reference", default=str(ROOT / "samples" / "reference.txt"),
                    help="what was said, for WER and mention recall ('' to skip)")
    ap.add_argument("--model", default="tiny.en",
                    help="Whisper model name, CTranslate2 folder or .pt file")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--modes", default="window,none", help="--bias modes to time")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--confirm", action="store_true",
                    help="add the audio check, as respell transcribe --confirm does")
    ap.add_argument("--loads", type=int, default=3, help="loads again in this process")
    ap.add_argument("--process-loads", type=int, default=0, help="first loads in new processes")
    ap.add_argument("--clips", metavar="DIR", help="run benchmarks/audio.py on this clip set")
    ap.add_argument("--limit", type=int, default=0, help="--clips: first N clips")
    ap.add_argument("--systems", default="a,c,w,r", help="--clips: audio.py's systems")
    ap.add_argument("--cache", help="--clips: audio.py's cache folder (made fresh)")
    ap.add_argument("--json", metavar="FILE", help="write every figure and text here")
    ap.add_argument("--child-load", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_load:
        print(json.dumps(process_load(*args.child_load)))
        return 0
    args.modes = [m for m in args.modes.split(",") if m]
    out = {"device": args.device, "model": args.model, "versions": _versions()}
    print(json.dumps(out["versions"]), flush=True)
    if args.clips:
        out["clips"] = clips(args)
    else:
        samples = read_audio(args.audio)
        out["audio"] = str(args.audio)
        out["load"] = loads(args.model, args.device, args.loads, args.process_loads)
        out["transcribe"] = transcriptions(args, samples)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
