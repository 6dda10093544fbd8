#!/usr/bin/env python3
"""Speed and scale of respell, against the obvious rapidfuzz corrector.

    python benchmarks/speed.py [--bench ../shared/bench] [--only NAME,...] [--json]

Each measurement runs in a fresh subprocess, so imports and caches start cold
and peak memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own:

* ``import``: ``import respell`` in a fresh interpreter, best of 7.
* ``12k-vs-1800``: a 12,000-word transcript (the first 12,000 words of the
  concatenated Earnings-21 Google transcripts) against the 1,782-phrase
  distractor list, end to end (lexicon built from the list, then ``fix``),
  for each system; also the ``respell fix`` command on the same files.
* ``100k-lexicon``: the first 100,000 entries of all_rare_words.txt against a
  10,000-word transcript (LibriSpeech baseline hypotheses, concatenated);
  respell only.
* ``e21-call``: the longest Earnings-21 call (Google) with the 1,782-phrase list.
* ``test-clean-1000``: all 2,620 test-clean utterances, each with its N=1000
  list (made with make_lists.py into a temporary folder).
* ``test-clean-1000-jobs2``: the same with ``respell.fix_many(..., jobs=2)``
  (respell only). ``cpu_s`` adds the workers' CPU time to this process's and
  ``workers_peak_mb`` is the largest worker's peak memory, read from /proc before
  they exit (Linux); ``peak_mb`` is this process's own.

Inputs are built from the benchmark data in a temporary folder, never in the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = HERE.parent.parent / "shared" / "bench"
TASKS = ("import", "12k-vs-1800", "100k-lexicon", "e21-call", "test-clean-1000",
         "test-clean-1000-jobs2")


# -- what runs inside a subprocess ----------------------------------------------------------


def _child(task: str, system: str, args: dict) -> dict:
    """One measurement; returns seconds and peak memory of this process."""
    import resource

    sys.path.insert(0, str(HERE))
    t0 = time.perf_counter()
    import peers

    if task == "correct":
        text = Path(args["text"]).read_text("utf-8")
        entities = [ln.strip() for ln in Path(args["list"]).read_text("utf-8").splitlines()
                    if ln.strip()]
        t1 = time.perf_counter()
        correct = peers.make(system, entities)
        t2 = time.perf_counter()
        fixed = correct(text)
        t3 = time.perf_counter()
        from rapidfuzz.distance import Levenshtein

        out = {"build_s": t2 - t1, "correct_s": t3 - t2, "end_to_end_s": t3 - t1,
               "word_edits": Levenshtein.distance(text.split(), fixed.split())}
    elif task == "utterances":
        lists, hyps = [], {}
        for line in Path(args["refs"]).read_text("utf-8").splitlines():
            cols = line.split("\t")
            lists.append((cols[0], json.loads(cols[3])))
        for line in Path(args["hyps"]).read_text("utf-8").splitlines():
            uid, _, text = line.partition("\t")
            hyps[uid] = text
        jobs = args.get("jobs", 1)
        t1, c1 = time.perf_counter(), time.process_time()
        if jobs == 1:
            for uid, words in lists:
                peers.make(system, words)(hyps[uid])
            workers = (0.0, 0.0)
        else:
            from respell.batch import fix_many

            results = fix_many(((hyps[uid], words) for uid, words in lists), jobs=jobs)
            for _ in lists:
                next(results)
            workers = _descendants()  # the workers are still there
            next(results, None)  # and now they are gone
        out = {"end_to_end_s": time.perf_counter() - t1, "utterances": len(lists), "jobs": jobs,
               "cpu_s": time.process_time() - c1 + workers[0] if workers else None}
        if jobs != 1:
            out["workers_peak_mb"] = workers[1] if workers else None
    else:
        raise SystemExit(f"unknown child task {task}")
    out["with_imports_s"] = time.perf_counter() - t0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _descendants() -> tuple[float, float] | None:
    """CPU seconds (user + system) and the largest peak memory (MB) of this process's
    descendants still running, from Linux's /proc; None elsewhere."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    children: dict[int, list[tuple[int, float]]] = {}
    try:
        pids = [int(d) for d in os.listdir("/proc") if d.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(
            (pid, (int(fields[11]) + int(fields[12])) / tick))
    cpu, peak, todo = 0.0, 0.0, [os.getpid()]
    while todo:
        for pid, seconds in children.get(todo.pop(), []):
            cpu += seconds
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                peak = max(peak, int(status.split("VmHWM:")[1].split()[0]) / 1024)
            except (OSError, IndexError):
                pass
            todo.append(pid)
    return cpu, peak


def _spawn(task: str, system: str, **args) -> dict:
    cmd = [sys.executable, __file__, "--child", json.dumps([task, system, args])]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- building inputs ------------------------------------------------------------------------


def _e21_text(bench: Path, fid: str) -> str:
    sys.path.insert(0, str(HERE))
    from earnings21 import vendor_text

    return vendor_text(bench / "earnings21", fid, "google")


def build_inputs(bench: Path, tmp: Path) -> dict[str, Path]:
    e21 = bench / "earnings21"
    ids = sorted(p.stem for p in (e21 / "asr" / "google").glob("*.nlp"))
    texts = {fid: _e21_text(bench, fid) for fid in ids}
    words = " ".join(texts[f] for f in ids).split()
    paths = {
        "t12k": tmp / "e21_12000_words.txt",
        "distractors": e21 / "bias_lists" / "distractor_list.txt",
        "t10k": tmp / "librispeech_10000_words.txt",
        "lex100k": tmp / "rare_100k.txt",
        "longest_call": tmp / "longest_call.txt",
    }
    paths["t12k"].write_text(" ".join(words[:12000]) + "\n")
    ls = bench / "librispeech_bias"
    hyp_words = " ".join(
        line.partition("\t")[2]
        for line in (ls / "test-clean.b1.rnnt_baseline.tsv").read_text().splitlines()
    ).split()
    paths["t10k"].write_text(" ".join(hyp_words[:10000]) + "\n")
    rare = (ls / "all_rare_words.txt").read_text().splitlines()[:100000]
    paths["lex100k"].write_text("\n".join(rare) + "\n")
    longest = max(ids, key=lambda f: len(texts[f].split()))
    paths["longest_call"].write_text(texts[longest])
    paths["longest_call_id"] = longest
    return paths


def _lists_1000(bench: Path, tmp: Path) -> Path:
    ls = bench / "librispeech_bias"
    out = tmp / "test-clean.biasing_1000.tsv"
    with out.open("w") as fh:
        subprocess.run([sys.executable, str(ls / "make_lists.py"),
                        str(ls / "test-clean.biasing_100.tsv"), "1000"], stdout=fh, check=True)
    return out


# -- measurements ---------------------------------------------------------------------------


def measure_import(repeat: int = 7) -> dict:
    """``import respell`` inside a fresh interpreter, and the whole interpreter start with it."""
    code = "import time; t = time.perf_counter(); import respell; print(time.perf_counter() - t)"
    inside, whole, bare = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout
        whole.append(time.perf_counter() - start)
        inside.append(float(out))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    return {"import_best_s": min(inside), "import_median_s": sorted(inside)[len(inside) // 2],
            "python_c_import_respell_best_s": min(whole), "python_c_pass_best_s": min(bare)}


def measure_cli(text: Path, names: Path, tmp: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "respell", "fix", str(text), "-e", str(names), "-o",
         str(tmp / "cli_out.txt")], capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    return {"wall_s": took} if proc.returncode == 0 else {"error": proc.stderr.strip()[-200:]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bench", default=str(DEFAULT_BENCH), help="the shared/bench folder")
    p.add_argument("--only", default=",".join(TASKS), help=f"comma-separated: {','.join(TASKS)}")
    p.add_argument("--systems", default="respell,rapidfuzz", help="systems to compare")
    p.add_argument("--json", action="store_true", help="print all results as one JSON object")
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        task, system, args = json.loads(a.child)
        print(json.dumps(_child(task, system, args)))
        return 0
    bench, only = Path(a.bench), a.only.split(",")
    systems = a.systems.split(",")
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}

    def report(name, value):
        results[name] = value
        if not a.json:
            print(f"{name}: {json.dumps(value)}", flush=True)

    with tempfile.TemporaryDirectory(prefix="respell-speed-") as tmpdir:
        tmp = Path(tmpdir)
        paths = build_inputs(bench, tmp) if set(only) - {"import"} else {}
        if "import" in only:
            report("import", measure_import())
        if "12k-vs-1800" in only:
            for system in systems:
                report(f"12k-vs-1800/{system}",
                       _spawn("correct", system, text=str(paths["t12k"]),
                              list=str(paths["distractors"])))
            if "respell" in systems:
                report("12k-vs-1800/respell-cli", measure_cli(paths["t12k"],
                                                              paths["distractors"], tmp))
        if "100k-lexicon" in only:
            # the rapidfuzz peer would make 30,000 extractOne calls over 100,000 choices
            for system in [s for s in systems if s == "respell"]:
                report(f"100k-lexicon/{system}",
                       _spawn("correct", system, text=str(paths["t10k"]),
                              list=str(paths["lex100k"])))
        if "e21-call" in only:
            for system in systems:
                r = _spawn("correct", system, text=str(paths["longest_call"]),
                           list=str(paths["distractors"]))
                r["call"] = paths["longest_call_id"]
                r["words"] = len(paths["longest_call"].read_text().split())
                report(f"e21-call/{system}", r)
        if "test-clean-1000" in only:
            refs = _lists_1000(bench, tmp)
            hyps = bench / "librispeech_bias" / "test-clean.b1.rnnt_baseline.tsv"
            for system in systems:
                report(f"test-clean-1000/{system}",
                       _spawn("utterances", system, refs=str(refs), hyps=str(hyps)))
        if "test-clean-1000-jobs2" in only and "respell" in systems:
            if "test-clean-1000" not in only:
                refs = _lists_1000(bench, tmp)
                hyps = bench / "librispeech_bias" / "test-clean.b1.rnnt_baseline.tsv"
            report("test-clean-1000-jobs2/respell",
                   _spawn("utterances", "respell", refs=str(refs), hyps=str(hyps), jobs=2))
    if a.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
