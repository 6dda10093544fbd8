#!/usr/bin/env python3
"""``respell batch`` on whole benchmark sets: local on 1 and 2 processes, and Ray.

    python benchmarks/batch.py --bench ../shared/bench [--work /tmp/respell-batch-bench] \\
        [--sets e21,librispeech] [--runs local1,local2,ray] [--rounds 3] [--rtf tiny.en,base] \\
        [--json out.json]

Manifests are built under --work from the data in --bench, which is read in place
(nothing is copied into the repository):

* ``e21``: every Earnings-21 call x every recognizer in ``asr/`` (33 x 6 = 198 items);
  each item is the recognizer's ``.nlp`` file itself, with the call's own entity list
  built from its reference annotations exactly as ``earnings21.py`` builds it (written
  to WORK/e21/lists/<id>.jsonl).
* ``librispeech``: the 2,620 test-clean hypotheses of the baseline RNN-T grouped into
  one text file per speaker and chapter (87 files, one utterance a line), each with the
  union of its utterances' N=100 biasing lists.

Each round runs every engine once, in a fresh process (``python -m respell batch
--force``), in an order that turns from round to round; the figures are medians over
rounds and the ratios are taken round by round (the machine is shared, so single
times are noisy). While a run goes, every process it starts (pool workers, Ray's
services and actors) is sampled from /proc every 0.2 s for its peak memory (VmHWM) and
CPU time. The outputs of all engines are compared byte for byte.

``--rtf`` measures Whisper's real-time factor on samples/episode.ogg (2 min, CPU, this
machine's cores), model loaded, with the entity-prompted two-pass transcription that
``respell batch`` uses and with plain Whisper.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # earnings21.py beside this file

RUNS = {
    "local1": ["-j", "1"],
    "local2": ["-j", "2"],
    "ray": ["--engine", "ray"],
}


# -- manifests -------------------------------------------------------------------------------


def build_e21(bench: Path, work: Path) -> tuple[Path, float]:
    """The Earnings-21 manifest, and the hours of audio behind its items."""
    import earnings21

    data = bench / "earnings21"
    ids = earnings21.split_ids(data, "all")
    vendors = sorted(p.name for p in (data / "asr").iterdir() if p.is_dir())
    lists = work / "e21" / "lists"
    lists.mkdir(parents=True, exist_ok=True)
    rows, seconds = [], 0.0
    for fid in ids:
        path = lists / f"{fid}.jsonl"
        ents = earnings21.call_entities(data, fid)
        path.write_text("".join(json.dumps({"text": e.text, "label": e.label}) + "\n"
                                for e in ents), encoding="utf-8")
        seconds += _call_seconds(data, fid)
        for vendor in vendors:
            asr = data / "asr" / vendor / f"{fid}.nlp"
            if asr.exists():
                rows.append({"transcript": str(asr), "entities": str(path),
                             "id": f"{vendor}/{fid}"})
    manifest = work / "e21" / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    hours = seconds * len(rows) / len(ids) / 3600  # each recognizer heard the same calls
    return manifest, hours


def _call_seconds(data: Path, fid: str) -> float:
    """A call's length: the last end time of the reference's or Google's tokens."""
    for path in (data / "refs" / f"{fid}.nlp", data / "asr" / "google" / f"{fid}.nlp"):
        rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter="|",
                                   quoting=csv.QUOTE_NONE))
        ends = []
        for r in rows:
            try:
                ends.append(float(r.get("endTs") or ""))
            except ValueError:
                continue
        if ends:
            return max(ends)
    return 0.0


def build_librispeech(bench: Path, work: Path) -> tuple[Path, float]:
    data = bench / "librispeech_bias"
    lists: dict[str, list[str]] = {}
    for line in (data / "test-clean.biasing_100.tsv").read_text("utf-8").splitlines():
        cols = line.split("\t")
        lists[cols[0]] = json.loads(cols[3])  # id and biasing list only (columns 1 and 4)
    groups: dict[str, list[tuple[str, str]]] = {}
    for line in (data / "test-clean.b1.rnnt_baseline.tsv").read_text("utf-8").splitlines():
        uid, _, hyp = line.partition("\t")
        groups.setdefault(uid.rsplit("-", 1)[0], []).append((uid, hyp))
    text_dir, list_dir = work / "ls" / "text", work / "ls" / "lists"
    text_dir.mkdir(parents=True, exist_ok=True)
    list_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for chapter, utts in sorted(groups.items()):
        utts.sort()
        (text_dir / f"{chapter}.txt").write_text("".join(h + "\n" for _, h in utts if h.strip())
                                                 or "-\n", encoding="utf-8")
        words = sorted({w for uid, _ in utts for w in lists.get(uid, ())})
        (list_dir / f"{chapter}.txt").write_text("".join(w + "\n" for w in words),
                                                 encoding="utf-8")
        rows.append({"transcript": f"text/{chapter}.txt", "entities": f"lists/{chapter}.txt"})
    manifest = work / "ls" / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return manifest, 5.4  # test-clean is 5.4 hours


# -- watching a run --------------------------------------------------------------------------


class Watch(threading.Thread):
    """Samples every descendant of ``pid``: peak memory (VmHWM) and CPU time, by role."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = pid
        self.seen: dict[int, dict] = {}
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.2)

    def sample(self) -> None:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                parents[int(entry)] = (int(fields[1]), fields)
        family = {self.root}
        changed = True
        while changed:
            changed = False
            for pid, (ppid, _) in parents.items():
                if ppid in family and pid not in family:
                    family.add(pid)
                    changed = True
        for pid in sorted(family):  # parents (older, lower ids) before their children
            if pid not in parents:
                continue
            fields = parents[pid][1]
            cpu = (int(fields[11]) + int(fields[12])) / self.tick
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            hwm = next((int(line.split()[1]) for line in status.splitlines()
                        if line.startswith("VmHWM:")), 0)
            if pid not in self.seen:
                parent = self.seen.get(parents[pid][0], {}).get("role")
                self.seen[pid] = {"role": _role(pid, self.root, cmd, parent), "hwm": 0, "cpu": 0.0}
            info = self.seen[pid]
            info["hwm"] = max(info["hwm"], hwm)
            info["cpu"] = max(info["cpu"], cpu)

    def finish(self) -> dict:
        self.stop.set()
        self.join()
        roles: dict[str, dict] = {}
        for info in self.seen.values():
            r = roles.setdefault(info["role"], {"processes": 0, "peak_mb": 0.0, "cpu_s": 0.0})
            r["processes"] += 1
            r["peak_mb"] = max(r["peak_mb"], round(info["hwm"] / 1024, 1))
            r["cpu_s"] = round(r["cpu_s"] + info["cpu"], 2)
        return roles


def _role(pid: int, root: int, cmd: str, parent: str | None) -> str:
    """driver, worker (a pool's process or a Ray actor), or the machinery around them."""
    if pid == root:
        return "driver"
    if parent == "forkserver":
        return "worker"  # forked by the forkserver: a process of a pool
    if "forkserver" in cmd:
        return "forkserver"
    if "ray::" in cmd or "default_worker.py" in cmd:
        return "worker"
    if any(s in cmd for s in ("raylet", "gcs_server", "dashboard", "ray/_private", "log_monitor",
                              "monitor.py", "runtime_env")):
        return "ray services"
    return "other"


def run_once(manifest: Path, out: Path, engine: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "respell", "batch", str(manifest), "-o",
                             str(out), "--force", "--no-progress", *RUNS[engine]], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watch = Watch(proc.pid)
    watch.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    roles = watch.finish()
    if proc.returncode not in (0, 2):
        raise SystemExit(f"{engine} failed ({proc.returncode}):\n{err[-2000:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"engine": engine, "wall_s": round(wall, 2), "run_s": summary["seconds"],
            "items": summary["items"], "done": summary["done"], "failed": summary["failed"],
            "edits": summary["edits"], "processes": roles,
            "cpu_s": round(sum(r["cpu_s"] for r in roles.values()), 2)}


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and ".respell" not in p.parts and p.name != "summary.json":
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def bench_set(name: str, manifest: Path, hours: float, work: Path, runs: list[str],
              rounds: int) -> dict:
    results: dict[str, list[dict]] = {r: [] for r in runs}
    digests = {}
    for k in range(rounds):
        order = runs[k % len(runs):] + runs[:k % len(runs)]
        for engine in order:
            out = work / "out" / name / engine
            res = run_once(manifest, out, engine)
            results[engine].append(res)
            digests[engine] = digest(out)
            print(f"  {name} round {k + 1} {engine}: {res['wall_s']} s wall, {res['cpu_s']} s CPU, "
                  f"{res['edits']} edits", file=sys.stderr)
    report = {"set": name, "items": results[runs[0]][0]["items"], "audio_hours": round(hours, 2),
              "identical_outputs": len(set(digests.values())) == 1, "runs": {}}
    for engine, rs in results.items():
        wall = statistics.median(r["wall_s"] for r in rs)
        cpu = statistics.median(r["cpu_s"] for r in rs)
        peak = {role: max(r["processes"].get(role, {}).get("peak_mb", 0) for r in rs)
                for role in {role for r in rs for role in r["processes"]}}
        report["runs"][engine] = {
            "wall_s": [r["wall_s"] for r in rs], "median_wall_s": wall,
            "median_run_s": statistics.median(r["run_s"] for r in rs),
            "items_per_s": round(rs[0]["items"] / wall, 2),
            "edits_per_s": round(rs[0]["edits"] / wall, 1), "edits": rs[0]["edits"],
            "median_cpu_s": cpu, "cpu_s_per_audio_hour": round(cpu / hours, 2) if hours else None,
            "cpu_s_by_role": {role: statistics.median(r["processes"].get(role, {}).get("cpu_s", 0)
                                                      for r in rs) for role in peak},
            "peak_mb": peak, "failed": rs[0]["failed"],
        }
    pairs = {"local2_vs_local1": ("local1", "local2"), "ray_vs_local2": ("local2", "ray"),
             "ray_vs_local1": ("local1", "ray")}
    for label, (a, b) in pairs.items():
        if a in results and b in results:
            ratios = [rb["wall_s"] / ra["wall_s"] for ra, rb in zip(results[a], results[b])]
            report[label] = {"ratios": [round(x, 3) for x in ratios],
                             "median": round(statistics.median(ratios), 3)}
    return report


# -- Whisper's real-time factor --------------------------------------------------------------


def rtf(models: list[str]) -> list[dict]:
    """Each model in a fresh process, so that its peak memory is its own."""
    out = []
    for model in models:
        proc = subprocess.run([sys.executable, __file__, "--rtf-one", model], check=True,
                              capture_output=True, text=True)
        out.extend(json.loads(proc.stdout))
        for row in out[-2:]:
            print(f"  rtf {row}", file=sys.stderr)
    return out


def rtf_one(model: str) -> list[dict]:
    import resource

    from respell import Lexicon
    from respell.audio import load_audio, transcribe
    from respell.audio.backends import load_backend

    audio = load_audio(ROOT / "samples" / "episode.ogg")
    lexicon = Lexicon.load(ROOT / "samples" / "names.txt")
    load_backend(model, device="cpu")  # loading is not part of the factor
    out = []
    for bias in ("window", "none"):
        start, cpu = time.perf_counter(), time.process_time()
        t = transcribe(audio, lexicon, model=model, bias=bias, device="cpu")
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        out.append({"model": model, "bias": bias, "audio_s": round(t.duration, 1),
                    "wall_s": round(wall, 2), "rtf": round(wall / t.duration, 3),
                    "cpu_s": round(used, 2), "cpu_rtf": round(used / t.duration, 3),
                    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--work", default="/tmp/respell-batch-bench")
    ap.add_argument("--sets", default="e21,librispeech")
    ap.add_argument("--runs", default="local1,local2,ray")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rtf", default="", help="Whisper models to time, e.g. tiny.en,base")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--rtf-one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.rtf_one:
        print(json.dumps(rtf_one(args.rtf_one)))
        return 0
    bench, work = Path(args.bench), Path(args.work)
    runs = [r for r in args.runs.split(",") if r]
    unknown = set(runs) - set(RUNS)
    if unknown:
        ap.error(f"unknown runs: {', '.join(sorted(unknown))}")
    report: dict = {"cores": os.cpu_count(), "sets": []}
    builders = {"e21": build_e21, "librispeech": build_librispeech}
    for name in [s for s in args.sets.split(",") if s and s != "none"]:
        manifest, hours = builders[name](bench, work)
        report["sets"].append(bench_set(name, manifest, hours, work, runs, args.rounds))
        print(json.dumps(report["sets"][-1], indent=1))
    if args.rtf:
        report["rtf"] = rtf(args.rtf.split(","))
        print(json.dumps(report["rtf"], indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
