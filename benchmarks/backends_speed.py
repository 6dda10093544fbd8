"""The two Whisper backends' speed on the same audio, model and mode, paired.

    python benchmarks/backends_speed.py [--audio samples/episode.ogg] [--model tiny.en]
        [--modes none,window] [--rounds 2] [--settle 0.5]

Each measurement runs in a fresh process: the model is loaded first, then
``respell.audio.transcribe`` of the audio, with the names of ``--names``, is timed
(wall and CPU seconds of the whole process, every thread included). Backends take turns
within a round, so each openai-whisper run has a faster-whisper run beside it, and the
ratio of wall times is taken pair by pair. Before each run the script waits (up to two
minutes) for the 1-minute load average to fall under ``--settle``, since torch's thread
count is chosen from it when the model loads; ``--threads N`` sets
``RESPELL_TORCH_THREADS`` instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("faster-whisper", "openai-whisper")


def child(audio: str, names: str, model: str, backend: str, mode: str) -> dict:
    from respell.audio.backends import load_audio, load_backend
    from respell.audio.biasing import transcribe
    from respell.lexicon import Lexicon

    lexicon = Lexicon.load(names)
    samples = load_audio(audio)
    loaded = load_backend(model, backend)
    wall, cpu = time.perf_counter(), time.process_time()
    t = transcribe(samples, lexicon, model=model, backend=backend, bias=mode, progress=False)
    return {"backend": backend, "mode": mode, "wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2), "words": len(t.text.split()),
            "threads": getattr(loaded, "threads", None)}


def settle(limit: float, patience: float = 120.0) -> float:
    start = time.monotonic()
    while os.getloadavg()[0] >= limit and time.monotonic() - start < patience:
        time.sleep(5)
    return os.getloadavg()[0]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--audio", default=str(ROOT / "samples" / "episode.ogg"))
    p.add_argument("--names", default=str(ROOT / "samples" / "names.txt"))
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--modes", default="none,window")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--settle", type=float, default=0.5, help="load average to wait for")
    p.add_argument("--threads", type=int, help="RESPELL_TORCH_THREADS for openai-whisper")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.audio, args.names, args.model, *args.child)))
        return
    env = dict(os.environ)
    if args.threads:
        env["RESPELL_TORCH_THREADS"] = str(args.threads)
    for mode in args.modes.split(","):
        for r in range(args.rounds):
            walls = {}
            for backend in BACKENDS if r % 2 == 0 else BACKENDS[::-1]:
                load = settle(args.settle)
                out = subprocess.run(
                    [sys.executable, __file__, "--audio", args.audio, "--names", args.names,
                     "--model", args.model, "--child", backend, mode],
                    env=env, capture_output=True, text=True, check=True)
                row = json.loads(out.stdout.strip().splitlines()[-1])
                row["load_before"] = round(load, 2)
                walls[backend] = row["wall_s"]
                print(json.dumps(row), flush=True)
            print(f"{mode} round {r + 1}: openai-whisper / faster-whisper wall "
                  f"{walls['openai-whisper'] / walls['faster-whisper']:.2f}", flush=True)


if __name__ == "__main__":
    main()
