#!/usr/bin/env python3
"""Time and peak memory of ``respell fix`` on very long transcripts.

    python benchmarks/long_text.py [--words 1000000,10000000] [--single-line] [--json]

Each size is the bundled sample episode (samples/episode.txt, 345 words, 40 of
them garbled names) repeated to that many words, corrected with
samples/names.txt by the ``respell fix`` command in a fresh process (``-o``
to a file in a temporary folder). ``--single-line`` joins the lines into one,
the hardest case for splitting the text. Reported: wall seconds, words per
second, the process's peak resident memory (``ru_maxrss``, measured in a process
of its own), the number of lines the correction changed and the start of the
output's SHA-256 (so two versions of respell can be compared on the same input).
Run one size at a time on a shared machine: the 10M-word one needs minutes.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "samples" / "episode.txt"
NAMES = ROOT / "samples" / "names.txt"


def build(words: int, folder: Path, single_line: bool) -> tuple[Path, int]:
    """The sample repeated to about ``words`` words; returns the file and its word count."""
    text = SAMPLE.read_text(encoding="utf-8")
    if single_line:
        text = " ".join(text.split()) + " "
    per = len(text.split())
    copies = max(1, round(words / per))
    path = folder / f"long-{words}{'-1line' if single_line else ''}.txt"
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(text for _ in range(copies))
    return path, per * copies


_WRAPPER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - t0
sys.stdout.write(repr((proc.returncode, seconds,
                       resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, proc.stderr)))
"""


def measure(path: Path, n_words: int, folder: Path) -> dict:
    """``respell fix`` on ``path`` in a process of its own (so its peak memory is its own)."""
    out = folder / "out.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    wrapped = subprocess.run(
        [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "respell", "fix", str(path),
         "-e", str(NAMES), "-o", str(out)], env=env, capture_output=True, text=True, check=True)
    code, seconds, peak_kb, stderr = ast.literal_eval(wrapped.stdout)
    row = {"file": path.name, "words": n_words, "seconds": round(seconds, 1),
           "words_per_s": round(n_words / seconds), "exit": code, "peak_mb": round(peak_kb / 1024),
           "stderr": stderr.strip()[-300:]}
    if code == 0:
        digest, changed = hashlib.sha256(), 0
        with open(path, encoding="utf-8", newline="") as a, open(out, encoding="utf-8",
                                                                   newline="") as b:
            for old, new in zip(a, b):
                digest.update(new.encode("utf-8"))
                changed += old != new
        row["output_sha256"] = digest.hexdigest()[:16]
        row["lines_changed"] = changed
        out.unlink()
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", default="1000000,10000000",
                    help="comma-separated sizes in words (default: %(default)s)")
    ap.add_argument("--single-line", action="store_true", help="the whole text on one line")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="respell-long-") as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.words.split(",")):
            path, n = build(size, folder, args.single_line)
            rows.append(measure(path, n, folder))
            path.unlink()
            if not args.json:
                r = rows[-1]
                print(f"{r['file']}: {r['words']:,} words, {r['seconds']} s "
                      f"({r['words_per_s']:,} words/s), peak {r['peak_mb']} MB, exit {r['exit']}"
                      + (f", {r['lines_changed']} lines changed, output {r['output_sha256']}"
                         if r["exit"] == 0 else f": {r['stderr']}"), flush=True)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
