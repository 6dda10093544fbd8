#!/usr/bin/env python3
"""respell under hostile input and rough handling: does every promise hold?

    python benchmarks/fuzz.py [--seed N] [--scale X] [--only CAT,...] [--show N] [--save DIR]

Runs a corpus of hostile cases by category and prints, for each, how many were
tried and how many broke a promise of the README, with the first few breaks.
The promises checked:

* bad input gets one ``respell: error: ...`` line and status 2, never a
  traceback; a batch skips the bad file with one line and goes on;
* nothing is written on an error, inputs are never modified (unless
  ``--in-place``), no output overwrites an input or another output, no
  temporary file is left behind;
* terminal escape sequences from the input are not printed raw, CSV cells
  do not start a spreadsheet formula;
* a transcript that parses is written back byte for byte (``render(())``), and
  a corrected one parses again in its format, with the corrected text and the
  same cue timing lines; an applied report gives exactly its changes;
* a core install (no extras) runs the commands that need no extra;
* a ``-j`` run killed by a signal leaves no process behind and no half file,
  and the pool is no larger than the work and the cores.

Categories (``--only``): cli-inputs, cli-lists, cli-reports, cli-paths,
injection, core-install, gen-txt, gen-srt, gen-vtt, gen-json, gen-nlp,
gen-lists, gen-reports, signals. ``cli-*``, ``injection`` are command lines
run in this process through ``respell.cli.main`` (each in a fresh folder);
``gen-*`` are generated mutants of good files run through the library
(``--scale`` multiplies how many); ``core-install`` and ``signals`` start real
``respell`` processes. The default run takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

NAMES = ["Qassem Soleimani", "Liz Sly", "Baghdad", "Tora Bora", "Pervez Musharraf", "Kyiv"]
SENTENCES = [
    "General Sola money was killed near Big Dad.",
    "We met Liz sly at Torah Bora last year.",
    "President Purvis Musharraf said little.",
    "He flew from Keev on Tuesday.",
    "Nothing to see here, move along.",
    "The general's men fled, and Liz sly wrote it up.",
]
TXT = "\n".join(SENTENCES[:3]) + "\n"
ESC = "\x1b[2J\x1b]0;pwned\x07\x1b[31m"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# -- good files of each format ----------------------------------------------------------------


def _stamp(seconds: float, sep: str = ",") -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def make_srt(lines: list[str], eol: str = "\n") -> str:
    blocks = [f"{n}{eol}{_stamp(2 * n)} --> {_stamp(2 * n + 1.5)}{eol}{line}{eol}"
              for n, line in enumerate(lines, 1)]
    return eol.join(blocks)


def make_vtt(lines: list[str], eol: str = "\n") -> str:
    blocks = ["WEBVTT" + eol]
    for n, line in enumerate(lines, 1):
        if n == 2:
            blocks.append(f"NOTE a comment{eol}")
        blocks.append(f"{_stamp(2 * n, '.')} --> {_stamp(2 * n + 1.5, '.')} align:start{eol}"
                      f"{line}{eol}")
    return eol.join(blocks)


def make_json(lines: list[str], words: bool = True, indent: int | None = 2) -> str:
    segments, t = [], 0.0
    for n, line in enumerate(lines):
        seg = {"id": n, "start": round(t, 2), "end": None, "text": " " + line, "tokens": [1, 2]}
        if words:
            seg["words"] = []
            for w in line.split():
                seg["words"].append({"word": " " + w, "start": round(t, 2), "end": round(t + .3, 2),
                                     "probability": 0.9})
                t += 0.3
        else:
            t += 2
        seg["end"] = round(t, 2)
        segments.append(seg)
    data = {"text": "".join(s["text"] for s in segments), "segments": segments, "language": "en"}
    return json.dumps(data, indent=indent, ensure_ascii=False)


def make_nlp(lines: list[str], eol: str = "\n") -> str:
    rows = ["token|speaker|ts|endTs|punctuation|case|tags"]
    t = 0.0
    for n, line in enumerate(lines):
        for w in line.split():
            m = re.match(r"^(.*?)([.,!?;:]*)$", w)
            tok, punct = m.group(1) or w, m.group(2) if m.group(1) else ""
            rows.append(f"{tok}|{1 + n % 2}|{t:.2f}|{t + .3:.2f}|{punct}|LC|[]")
            t += 0.3
    return eol.join(rows) + eol


def good_files(lines: list[str] = SENTENCES[:3]) -> dict[str, str]:
    return {"ep.txt": "\n".join(lines) + "\n", "ep.srt": make_srt(lines), "ep.vtt": make_vtt(lines),
            "ep.json": make_json(lines), "ep.nlp": make_nlp(lines)}


# -- running the command line in this process --------------------------------------------------


@dataclass
class Case:
    """One command line, with the files it starts from and what it should do."""

    category: str
    name: str
    argv: list[str]
    files: dict[str, bytes | str] = field(default_factory=dict)
    expect: str = "ok"  # ok: status 0; error: one error line, status 2; partial: batch skips; any
    stdin: bytes = b""
    outputs: tuple[str, ...] = ()  # files it may write or rewrite (relative to its folder)
    setup: Callable[[Path], None] | None = None
    check: Callable[[Path, int, bytes, str], list[str]] | None = None
    process: list[str] | None = None  # run as this command line in a real process instead


@dataclass
class Outcome:
    code: int
    out: bytes
    err: str
    crash: str = ""


def _snapshot(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = Path(dirpath, n)
            st = p.lstat()
            rel = str(p.relative_to(root))
            if stat.S_ISREG(st.st_mode):
                out[rel] = ("file", p.read_bytes(), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            else:
                out[rel] = ("dir", stat.S_IMODE(st.st_mode))
    return out


def describe(exc: BaseException, limit: int = 100) -> str:
    """One line for an exception that escaped: its type, message and where it was raised."""
    tb = traceback.extract_tb(exc.__traceback__)
    at = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {str(exc)[:limit]}{at}"


def run_cli(argv: list[str], stdin: bytes = b"") -> Outcome:
    """``respell ARGV`` in this process, its standard streams captured."""
    from respell.cli import main

    out_buf, err_buf = io.BytesIO(), io.BytesIO()
    fake_out = io.TextIOWrapper(out_buf, encoding="utf-8", write_through=True)
    fake_err = io.TextIOWrapper(err_buf, encoding="utf-8", errors="backslashreplace",
                                write_through=True)
    fake_in = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    root = logging.getLogger()
    saved = sys.stdin, sys.stdout, sys.stderr, root.handlers[:], root.level
    root.handlers[:] = []  # main() configures logging afresh onto the captured stderr
    sys.stdin, sys.stdout, sys.stderr = fake_in, fake_out, fake_err
    crash = ""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # noqa: BLE001 - anything else is a break
        code, crash = 1, describe(exc)
    finally:
        fake_out.flush()
        fake_err.flush()
        sys.stdin, sys.stdout, sys.stderr = saved[:3]
        root.handlers[:] = saved[3]
        root.setLevel(saved[4])
    return Outcome(code, out_buf.getvalue(), err_buf.getvalue().decode("utf-8", "replace"), crash)


def run_process(argv: list[str], cwd: Path, stdin: bytes = b"", env=None) -> Outcome:
    proc = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(SRC), **(env or {})}, check=False)
    err = proc.stderr.decode("utf-8", "replace")
    crash = ""
    if "Traceback (most recent call last)" in err:
        crash = err.strip().splitlines()[-1]
    return Outcome(proc.returncode, proc.stdout, err, crash)


def judge(case: Case, root: Path, before: dict, res: Outcome) -> list[str]:
    """The promises this run broke (empty: none)."""
    problems = []
    if res.crash:
        return [f"traceback: {res.crash}"]
    err_lines = [line for line in res.err.splitlines() if line.strip()]
    usage = any(line.startswith("usage:") for line in err_lines)
    if res.code not in (0, 2, 130):
        problems.append(f"exit status {res.code}")
    if case.expect == "ok" and res.code != 0:
        problems.append(f"expected success, got status {res.code}: {' | '.join(err_lines[-2:])}")
    if case.expect == "error":
        if res.code != 2:
            problems.append(f"expected an error, got status {res.code}")
        elif not usage:
            errors = [line for line in err_lines if line.startswith("respell: error: ")]
            if len(errors) != 1:
                problems.append(f"{len(errors)} 'respell: error:' lines: {err_lines[-3:]}")
    if case.expect == "partial" and res.code != 2:
        problems.append(f"expected status 2 with inputs skipped, got {res.code}")
    if not usage and not {"-i", "--interactive"} & set(case.argv):  # review talks on stderr
        stray = [line for line in err_lines if not line.startswith("respell: ")]
        if stray:
            problems.append(f"stderr line not from respell: {stray[0][:100]!r}")
    if "\x1b" in res.err:
        problems.append("raw escape sequence on stderr")
    after = _snapshot(root)
    allowed = set(case.outputs) if res.code == 0 or case.expect in ("partial", "any") else set()
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) == after.get(rel):
            continue
        if re.search(r"(^|/)\.[^/]+\.tmp$", rel):
            problems.append(f"temporary file left: {rel}")
        elif not any(rel == a.rstrip("/") or rel.startswith(a.rstrip("/") + "/") for a in allowed):
            what = "created" if rel not in before else "removed" if rel not in after else "modified"
            problems.append(f"{rel} {what}")
    if case.check is not None and not res.crash:
        problems += case.check(root, res.code, res.out, res.err)
    return problems


def run_case(case: Case, base: Path) -> list[str]:
    root = Path(tempfile.mkdtemp(prefix="case-", dir=base))
    for rel, content in case.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if case.setup:
        case.setup(root)
    before = _snapshot(root)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        if case.process is not None:
            res = run_process([*case.process, *case.argv], root, case.stdin)
        else:
            res = run_cli(case.argv, case.stdin)
    finally:
        os.chdir(cwd)
    problems = judge(case, root, before, res)
    with contextlib.suppress(OSError):
        _make_writable(root)
        shutil.rmtree(root)
    return problems


def _make_writable(root: Path) -> None:
    for dirpath, dirnames, _ in os.walk(root):
        for d in dirnames:
            with contextlib.suppress(OSError):
                os.chmod(Path(dirpath, d), 0o755)


# -- checks shared by cases ---------------------------------------------------------------------


def parses_as(rel: str, fmt: str | None = None, *, cues: int | None = None):
    """Check: the file ``rel`` (or standard output, ``-``) parses in its format."""

    def check(root: Path, code: int, out: bytes, err: str) -> list[str]:
        from respell.errors import RespellError
        from respell.formats import parse

        if code != 0:
            return []
        data = out if rel == "-" else (root / rel).read_bytes() if (root / rel).exists() else None
        if data is None:
            return [f"{rel} not written"]
        try:
            doc = parse(data.decode("utf-8"), format=fmt, path=None if rel == "-" else rel)
        except (RespellError, UnicodeDecodeError) as exc:
            return [f"output {rel} does not parse: {exc}"]
        if cues is not None and len(doc.times) != cues:
            return [f"output {rel} has {len(doc.times)} timed units, not {cues}"]
        return []

    return check


def no_raw_escapes(root: Path, code: int, out: bytes, err: str) -> list[str]:
    return ["raw escape sequence on stdout"] if b"\x1b" in out else []


def all_of(*checks):
    def check(*args):
        return [p for c in checks for p in c(*args)]

    return check


def csv_cells_safe(rel: str, *, apply_to: str | None = None, expect_file: str | None = None):
    """Check: no cell of the CSV report starts a formula; ``apply`` reads it back."""

    def check(root: Path, code: int, out: bytes, err: str) -> list[str]:
        path = root / rel
        if code != 0 or not path.exists():
            return [f"{rel} not written"] if code == 0 else []
        problems = []
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.reader(f):
                bad = [c for c in row if c.startswith(TRIGGERS)]
                if bad:
                    problems.append(f"CSV cell starts a formula: {bad[0][:40]!r}")
                    break
        if apply_to:
            cwd = os.getcwd()
            os.chdir(root)
            try:
                res = run_cli(["apply", rel, apply_to, "-o", "applied.out"])
            finally:
                os.chdir(cwd)
            if res.crash or res.code != 0:
                problems.append(f"apply of the CSV report failed: {res.crash or res.err.strip()}")
            elif expect_file and (root / "applied.out").read_bytes() != (root / expect_file).read_bytes():
                problems.append("apply of the CSV report differs from fix's output")
        return problems

    return check


def file_equals(rel: str, content: bytes):
    def check(root, code, out, err):
        if code != 0:
            return []
        path = root / rel
        if not path.exists():
            return [f"{rel} not written"]
        return [] if path.read_bytes() == content else [f"{rel} differs from what was expected"]

    return check


def stderr_says(*words: str):
    def check(root, code, out, err):
        return [] if all(w in err for w in words) else [f"stderr does not say {words}: {err!r}"[:200]]

    return check


# -- command-line corpora -----------------------------------------------------------------------

NUL_LATE = ("x" * 5000 + "\x00" + " Sola money\n").encode()
DEEP = "[" * 100_000 + "]" * 100_000


def transcripts() -> list[tuple[str, bytes | str, str, int | None]]:
    """``(name, content, expect, timed units of the output)`` of hostile transcripts."""
    g = good_files()
    lines = SENTENCES[:3]
    null_prob = json.loads(g["ep.json"])
    for w in null_prob["segments"][0]["words"]:
        w["probability"] = None
    str_prob = json.loads(g["ep.json"])
    for w in str_prob["segments"][0]["words"]:
        w["probability"] = "high"
    mixed_prob = json.loads(g["ep.json"])
    for w, p in zip(mixed_prob["segments"][0]["words"], [None, "high", 0.5, {}, 1e308, -1, True]):
        w["probability"] = p
    huge = json.loads(g["ep.json"])
    huge_text = json.dumps(huge).replace('"start": 0.0', '"start": 1e999')
    return [
        ("good.txt", g["ep.txt"], "ok", None),
        ("bom-crlf.txt", "\ufeff" + g["ep.txt"].replace("\n", "\r\n"), "ok", None),
        ("lone-cr.txt", g["ep.txt"].replace("\n", "\r"), "ok", None),
        ("u2028.txt", g["ep.txt"].replace("\n", "\u2028"), "ok", None),
        ("nel.txt", g["ep.txt"].replace("\n", "\x85"), "ok", None),
        ("empty.txt", b"", "error", None),
        ("blank.txt", " \n\t\n", "error", None),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 20, "error", None),
        ("nul-after-4k.txt", NUL_LATE, "error", None),
        ("latin1.txt", "General Sola money à Kyïv\n".encode("latin-1"), "error", None),
        ("utf16.txt", g["ep.txt"].encode("utf-16"), "error", None),
        ("one-long-line.txt", ("Sola money said nothing. " * 8000).strip(), "ok", None),
        ("good.srt", g["ep.srt"], "ok", 3),
        ("crlf-bom.srt", "\ufeff" + g["ep.srt"].replace("\n", "\r\n"), "ok", 3),
        ("u2028-in-cue.srt", g["ep.srt"].replace("killed near", "killed\u2028near"), "ok", 3),
        ("empty-cues.srt", make_srt(["", "", ""]).replace("\n\n\n", "\n\n"), "error", None),
        ("no-timing.srt", "hello there\nSola money\n", "error", None),
        ("timing-only.srt", "1\n00:00:01,000 --> 00:00:02,000\n", "error", None),
        ("good.vtt", g["ep.vtt"], "ok", 3),
        ("header-only.vtt", "WEBVTT\n", "error", None),
        ("no-header.vtt", make_srt(lines).replace(",", "."), "error", None),
        ("good.json", g["ep.json"], "ok", None),
        ("no-words.json", make_json(lines, words=False), "ok", 3),
        ("null-probability.json", json.dumps(null_prob), "ok", None),
        ("string-probability.json", json.dumps(str_prob), "ok", None),
        ("mixed-probability.json", json.dumps(mixed_prob), "ok", None),
        ("huge-number.json", huge_text, "ok", None),
        ("empty-segments.json", '{"text": "", "segments": []}', "error", None),
        ("empty-texts.json", '{"text": "", "segments": [{"start": 0, "end": 1, "text": ""}]}',
         "error", None),
        ("deep.json", '{"segments": ' + DEEP + "}", "error", None),
        ("array.json", "[1, 2, 3]", "error", None),
        ("not-json.json", "{segments: [", "error", None),
        ("good.nlp", g["ep.nlp"], "ok", None),
        ("header-only.nlp", "token|speaker|ts|endTs|punctuation|case|tags\n", "error", None),
        ("short-rows.nlp", "token|speaker|ts|endTs|punctuation|case|tags\nbay|1\n", "error", None),
        ("bad-times.nlp", g["ep.nlp"].replace("0.30", "soon"), "ok", None),
    ]


def cli_inputs() -> list[Case]:
    cases = []
    for name, content, expect, units in transcripts():
        files = {name: content, "names.txt": "\n".join(NAMES) + "\n"}
        ext = Path(name).suffix
        fmt = {".txt": "txt", ".srt": "srt", ".vtt": "vtt", ".json": "whisper-json", ".nlp": "nlp"}[ext]
        cases += [
            Case("cli-inputs", f"{name}: to stdout", ["fix", name, "-e", "names.txt"], files, expect,
                 check=parses_as("-", fmt, cues=units)),
            Case("cli-inputs", f"{name}: -o, --report json", ["fix", name, "-e", "names.txt", "-o",
                 "out" + ext, "--report", "r.json"], files, expect, outputs=("out" + ext, "r.json"),
                 check=parses_as("out" + ext, fmt, cues=units)),
            Case("cli-inputs", f"{name}: --diff, --report csv", ["fix", name, "-e", "names.txt",
                 "--diff", "--report", "r.csv"], files, expect, outputs=("r.csv",)),
            Case("cli-inputs", f"{name}: -o, --report html", ["fix", name, "-e", "names.txt", "-o",
                 "o" + ext, "--report", "r.html"], files, expect, outputs=("o" + ext, "r.html")),
            Case("cli-inputs", f"{name}: stdin", ["fix", "-", "-e", "names.txt", "--format", fmt],
                 {"names.txt": files["names.txt"]}, expect,
                 stdin=content.encode() if isinstance(content, str) else content),
        ]
    # batches: the bad ones are skipped, the others done, the report written
    good = {f"g{k}.txt": TXT for k in range(3)}
    bad = {"b.json": json.dumps({"segments": [{"text": " Sola money was here", "start": 0, "end": 1,
                                               "words": [{"word": " Sola", "start": 0, "end": .5,
                                                          "probability": None},
                                                         {"word": " money", "start": .5, "end": 1,
                                                          "probability": "x"},
                                                         {"word": " was", "start": 1, "end": 1.2},
                                                         {"word": " here", "start": 1.2, "end": 1.4}]}]}),
           "e.txt": "", "bin.srt": b"\x00\x00"}
    names = {"names.txt": "\n".join(NAMES) + "\n"}
    order = ["g0.txt", "b.json", "e.txt", "g1.txt", "bin.srt", "g2.txt"]
    for jobs in ("1", "2"):
        cases.append(Case("cli-inputs", f"batch of good and bad, -j {jobs}",
                          ["fix", *order, "-e", "names.txt", "-o", "out/", "--report", "r.json",
                           "-j", jobs], {**good, **bad, **names}, "partial",
                          outputs=("out/", "r.json"),
                          check=all_of(parses_as("out/g2.txt", "txt"), parses_as("out/b.json"),
                                       _report_lists(4))))
    return cases


def _report_lists(n: int):
    def check(root, code, out, err):
        path = root / "r.json"
        if not path.exists():
            return ["report not written"]
        files = json.loads(path.read_text())["files"]
        return [] if len(files) == n else [f"report lists {len(files)} files, not {n}"]

    return check


def lists() -> list[tuple[str, bytes | str, str]]:
    big = "x" * 200_000
    return [
        ("names.txt", "\n".join(NAMES) + "\n", "ok"),
        ("crlf-bom.txt", "\ufeff" + "\r\n".join(NAMES), "ok"),
        ("empty.txt", "", "error"),
        ("comments.txt", "# nothing\n  # here\n", "error"),
        ("binary.txt", b"\x00\xff" * 100, "error"),
        ("latin1.txt", "Kyïv\n".encode("latin-1"), "error"),
        ("nul-after-4k.txt", NUL_LATE, "error"),
        ("deep.json", DEEP, "error"),
        ("deep-entities.json", '{"entities": ' + DEEP + "}", "error"),
        ("deep-line.jsonl", '"Liz Sly"\n' + DEEP + "\n", "error"),
        ("count-inf.json", '[{"text": "Liz Sly", "count": 1e999}]', "any"),
        ("count-nan.json", '[{"text": "Liz Sly", "count": NaN}]', "any"),
        ("count-huge.json", '[{"text": "Liz Sly", "count": ' + "9" * 5000 + "}]", "any"),
        ("count-str.csv", "text,count\nLiz Sly,many\n", "error"),
        ("null-text.json", '[{"text": null}]', "error"),
        ("aliases-object.json", '[{"text": "Liz Sly", "aliases": {"a": 1}}]', "error"),
        ("entities-number.json", '{"entities": 5}', "error"),
        ("numbers.json", "[1, 2]", "error"),
        ("empty-list.json", "[]", "error"),
        ("big-cell.csv", f"text,label\nLiz Sly,PERSON\n{big},ORG\n", "any"),
        ("big-cell.tsv", f"text\tlabel\n\"{big}\tPERSON\n", "any"),
        ("quote-storm.csv", '"' * 5000, "any"),
        ("huge-name.txt", "Sola " * 50_000, "any"),
        ("many-names.txt", "\n".join(f"Name{k} Surname{k}" for k in range(3000)), "ok"),
        ("escapes.txt", f"{ESC}Liz Sly\nQassem Soleimani{ESC}\n", "ok"),
        ("dir.txt", None, "error"),
    ]


def cli_lists() -> list[Case]:
    cases = []
    for name, content, expect in lists():
        files = {"ep.txt": TXT}
        setup = None
        if content is None:
            def setup(root, name=name):
                (root / name).mkdir()
        else:
            files[name] = content
        cases.append(Case("cli-lists", name, ["fix", "ep.txt", "-e", name, "-o", "out.txt"], files,
                          expect, outputs=("out.txt",), setup=setup))
        cases.append(Case("cli-lists", f"{name} (eval)", ["eval", "ep.txt", "ep.txt", "-e", name],
                          files, expect, setup=setup))
    return cases


def _good_report(fmt_file: str, content: str) -> dict:
    import hashlib

    from respell import fix
    from respell.formats import parse
    from respell.report import FileReport, report_json

    doc = parse(content, path=fmt_file)
    result = fix(doc.text, NAMES, barriers=doc.barriers)
    sha = hashlib.sha256(content.encode()).hexdigest()
    return json.loads(report_json([FileReport(fmt_file, sha, doc.name, result)]))


def forged_reports() -> list[tuple[str, str, Callable | str, str]]:
    """``(name, transcript file, edit of a good report or raw text, expect)``."""

    def ch(edit):
        def apply(rep):
            c = rep["files"][0]["changes"]
            edit(c)
            return rep

        return apply

    def set0(key, value):
        return ch(lambda c: c[0].__setitem__(key, value))

    return [
        ("as made", "ep.txt", lambda r: r, "ok"),
        ("none kept", "ep.txt", ch(lambda c: c.clear()), "ok"),
        ("edited replacement", "ep.txt", set0("replacement", "SOLEIMANI"), "ok"),
        ("other sha", "ep.txt", lambda r: r["files"][0].__setitem__("input_sha256", "0" * 64) or r,
         "error"),
        ("start past end", "ep.txt", set0("start", 10_000), "error"),
        ("start negative", "ep.txt", set0("start", -5), "error"),
        ("start after end", "ep.txt", ch(lambda c: c[0].update(start=c[0]["end"] + 1)), "error"),
        ("start float", "ep.txt", set0("start", 8.0), "error"),
        ("start string", "ep.txt", set0("start", "8"), "error"),
        ("start bool", "ep.txt", set0("start", True), "error"),
        ("start 1e999", "ep.txt", "RAW:1e999", "error"),
        ("start 10**30", "ep.txt", set0("start", 10**30), "error"),
        ("original differs", "ep.txt", set0("original", "Sola honey"), "error"),
        ("overlapping", "ep.txt", ch(lambda c: c.append(dict(c[0], end=c[0]["end"] - 1,
                                                            original=c[0]["original"][:-1]))),
         "error"),
        ("duplicate", "ep.txt", ch(lambda c: c.append(dict(c[0]))), "error"),
        ("score string", "ep.txt", set0("score", "high"), "any"),
        ("replacement null", "ep.txt", set0("replacement", None), "error"),
        ("change not object", "ep.txt", ch(lambda c: c.append([1, 2])), "error"),
        ("files not list", "ep.txt", lambda r: r.__setitem__("files", {"a": 1}) or r, "error"),
        ("format unknown", "ep.txt", lambda r: r["files"][0].__setitem__("format", "pdf") or r,
         "error"),
        ("format wrong", "ep.txt", lambda r: r["files"][0].__setitem__("format", "srt") or r, "error"),
        ("deep", "ep.txt", "RAW:deep", "error"),
        ("not json", "ep.txt", "RAW:{files:", "error"),
        ("binary", "ep.txt", "RAW:binary", "error"),
        ("srt as made", "ep.srt", lambda r: r, "ok"),
        ("srt: replacement makes a cue", "ep.srt",
         set0("replacement", "X\n\n9\n00:09:00,000 --> 00:09:01,000\nInjected"), "error"),
        ("srt: replacement with a timing line", "ep.srt",
         set0("replacement", "X\n00:09:00,000 --> 00:09:01,000"), "error"),
        ("srt: insertion at a cue boundary", "ep.srt",
         ch(lambda c: c.append({"start": len(SENTENCES[0]), "end": len(SENTENCES[0]),
                                "original": "", "replacement": " extra"})), "any"),
        ("nlp: replacement with a pipe", "ep.nlp", set0("replacement", "Sole|imani"), "error"),
        ("nlp: replacement with a newline", "ep.nlp", set0("replacement", "Sole\nimani"), "ok"),
        ("json as made", "ep.json", lambda r: r, "ok"),
        ("vtt: replacement with -->", "ep.vtt", set0("replacement", "a --> b"), "error"),
    ]


def cli_reports() -> list[Case]:
    g = good_files()
    cases = []
    for name, target, edit, expect in forged_reports():
        content = g[target]
        rep = _good_report(target, content)
        if isinstance(edit, str):
            raw = edit[4:]
            text = json.dumps(rep)
            if raw == "1e999":
                text = re.sub(r'"start": \d+', '"start": 1e999', text, count=1)
            elif raw == "deep":
                text = text.replace('"changes": [', '"changes": [' + DEEP + ", ", 1)
            elif raw == "binary":
                text = "\x00" * 64
            else:
                text = raw
        else:
            text = json.dumps(edit(rep))
        fmt = Path(target).suffix
        files = {target: content, "rep.json": text}
        cases.append(Case("cli-reports", name, ["apply", "rep.json", target, "-o", "out" + fmt],
                          files, expect, outputs=("out" + fmt,),
                          check=parses_as("out" + fmt, cues=3 if fmt in (".srt", ".vtt") else None)))
    # CSV reports
    rep = _good_report("ep.txt", g["ep.txt"])
    sha = rep["files"][0]["input_sha256"]
    header = "input,start,end,original,replacement,input_sha256,format\n"
    first = rep["files"][0]["changes"][0]
    row = f"ep.txt,{first['start']},{first['end']},{first['original']},{first['replacement']},{sha},txt\n"
    for name, text, expect in [
        ("csv as made", header + row, "ok"),
        ("csv big cell", header + row + "ep.txt,1,2," + "x" * 200_000 + ",y," + sha + ",txt\n",
         "error"),
        ("csv quote storm", header + '"' * 5000, "error"),
        ("csv start 1e999", header + row.replace(f",{first['start']},", ",1e999,", 1), "error"),
        ("csv start nan", header + row.replace(f",{first['start']},", ",nan,", 1), "error"),
        ("csv binary", "\x00" * 100, "error"),
        ("csv empty", "", "error"),
        ("csv header only", header, "any"),
    ]:
        cases.append(Case("cli-reports", name, ["apply", "rep.csv", "ep.txt", "-o", "out.txt"],
                          {"ep.txt": g["ep.txt"], "rep.csv": text}, expect, outputs=("out.txt",),
                          check=parses_as("out.txt", "txt")))
    return cases


def cli_paths() -> list[Case]:
    g = good_files()
    names = "\n".join(NAMES) + "\n"
    base = {"ep.txt": g["ep.txt"], "names.txt": names, "ep.json": g["ep.json"]}
    rep = json.dumps(_good_report("ep.txt", g["ep.txt"]))

    def link(src, dst, hard=False):
        def setup(root):
            (os.link if hard else os.symlink)(root / src if hard else src, root / dst)

        return setup

    def chmod(rel, mode):
        def setup(root):
            os.chmod(root / rel, mode)

        return setup

    def mode_is(rel, mode):
        def check(root, code, out, err):
            got = stat.S_IMODE((root / rel).stat().st_mode)
            return [] if code or got == mode else [f"{rel} mode {oct(got)}, was {oct(mode)}"]

        return check

    fixed = None
    from respell import fix

    fixed = fix(g["ep.txt"], NAMES).text.encode()
    cases = [
        ("-o names the entity list", ["fix", "ep.txt", "-e", "names.txt", "-o", "names.txt"], "error"),
        ("-o names the input", ["fix", "ep.txt", "-e", "names.txt", "-o", "ep.txt"], "error"),
        ("-o ./ep.txt", ["fix", "ep.txt", "-e", "names.txt", "-o", "./ep.txt"], "error"),
        ("--report names the input", ["fix", "ep.json", "-e", "names.txt", "--report", "ep.json"],
         "error"),
        ("--report names the -o", ["fix", "ep.txt", "-e", "names.txt", "-o", "o.json",
                                   "--report", "o.json", "--format", "txt"], "error"),
        ("--report names the list", ["fix", "ep.txt", "-e", "l.json", "--report", "l.json"],
         "error"),
        ("-o symlink to the list", ["fix", "ep.txt", "-e", "names.txt", "-o", "ln.txt"], "error",
         link("names.txt", "ln.txt")),
        ("-o hard link to the input", ["fix", "ep.txt", "-e", "names.txt", "-o", "hl.txt"], "error",
         link("ep.txt", "hl.txt", hard=True)),
        ("apply -o the report", ["apply", "rep.json", "ep.txt", "-o", "rep.json"], "error"),
        ("apply -o the input", ["apply", "rep.json", "ep.txt", "-o", "ep.txt"], "error"),
        ("eval: nothing to write", ["eval", "ep.txt", "ep.txt"], "ok"),
        ("-o whose parent is a file", ["fix", "ep.txt", "-e", "names.txt", "-o", "ep.txt/x.txt"],
         "error"),
        ("-o DIR/ whose parent is a file", ["fix", "ep.txt", "ep.json", "-e", "names.txt", "-o",
                                            "names.txt/sub/"], "error"),
        ("-o in an unwritable place", ["fix", "ep.txt", "-e", "names.txt", "-o", "/proc/x/y.txt"],
         "error"),
        ("--report in an unwritable place", ["fix", "ep.txt", "-e", "names.txt", "--diff",
                                             "--report", "/proc/r.json"], "error"),
        ("--report is a directory", ["fix", "ep.txt", "-e", "names.txt", "--diff", "--report",
                                     "d.json"], "error", lambda root: (root / "d.json").mkdir()),
        ("--backup ''", ["fix", "ep.txt", "-e", "names.txt", "--in-place", "--backup", ""], "error"),
        ("--backup /x", ["fix", "ep.txt", "-e", "names.txt", "--in-place", "--backup", "/x"], "error"),
        ("--backup ../x", ["fix", "ep.txt", "-e", "names.txt", "--in-place", "--backup", "/../x"],
         "error"),
        ("--in-place read-only file", ["fix", "ep.txt", "-e", "names.txt", "--in-place"], "error",
         chmod("ep.txt", 0o444)),
        ("--in-place --force read-only file", ["fix", "ep.txt", "-e", "names.txt", "--in-place",
                                               "--force"], "ok", chmod("ep.txt", 0o444)),
        ("fix - -e -", ["fix", "-", "-e", "-"], "error", None, stderr_says("standard input")),
        ("fix - --from-doc -", ["fix", "-", "-e", "names.txt", "--from-doc", "-"], "error", None,
         stderr_says("standard input")),
        ("eval - x -e -", ["eval", "-", "ep.txt", "-e", "-"], "error", None,
         stderr_says("standard input")),
        ("apply - -", ["apply", "-", "-"], "error", None, stderr_says("standard input")),
        ("--backup names an input", ["fix", "ep.txt", "-e", "ep.txt.orig", "--in-place",
                                     "--backup", ".orig"], "error",
         lambda root: shutil.copy(root / "names.txt", root / "ep.txt.orig")),
        ("-j 0", ["fix", "ep.txt", "-e", "names.txt", "-j", "0", "-o", "o.txt"], "ok"),
        ("-j -1", ["fix", "ep.txt", "-e", "names.txt", "-j", "-1"], "error"),
        ("--min-score nan", ["fix", "ep.txt", "-e", "names.txt", "--min-score", "nan"], "error"),
        ("--min-score 2", ["fix", "ep.txt", "-e", "names.txt", "--min-score", "2"], "error"),
        ("--report .txt", ["fix", "ep.txt", "-e", "names.txt", "--report", "r.txt"], "error"),
        ("same input twice", ["fix", "ep.txt", "ep.txt", "-e", "names.txt", "-o", "out/"], "partial"),
        ("-o ''", ["fix", "ep.txt", "-e", "names.txt", "-o", ""], "any"),
    ]
    out = []
    for name, argv, expect, *more in cases:
        files = {**base, "rep.json": rep, "l.json": json.dumps(NAMES)}
        outputs = ("o.txt", "o.json", "out/", "ep.txt", "ep.txt.orig")
        setup, check = (more + [None, None])[:2]
        stdin = (names + TXT).encode() if "-" in argv else b""
        out.append(Case("cli-paths", name, argv, files, expect, outputs=outputs, setup=setup,
                        check=check, stdin=stdin))
    # --in-place: what it keeps
    out += [
        Case("cli-paths", "--in-place keeps the mode", ["fix", "ep.txt", "-e", "names.txt",
             "--in-place", "--backup", ".orig"], dict(base), "ok", outputs=("ep.txt", "ep.txt.orig"),
             setup=chmod("ep.txt", 0o640),
             check=all_of(mode_is("ep.txt", 0o640), file_equals("ep.txt", fixed),
                          file_equals("ep.txt.orig", g["ep.txt"].encode()))),
        Case("cli-paths", "--in-place says a hard link is split",
             ["fix", "ep.txt", "-e", "names.txt", "--in-place"], dict(base), "ok",
             outputs=("ep.txt",), setup=link("ep.txt", "other.txt", hard=True),
             check=stderr_says("hard link")),
        Case("cli-paths", "--in-place through a symlink keeps the link",
             ["fix", "ln.txt", "-e", "names.txt", "--in-place"], dict(base), "ok",
             outputs=("ep.txt",), setup=link("ep.txt", "ln.txt"),
             check=file_equals("ep.txt", fixed)),
    ]
    return out


def injection() -> list[Case]:
    names = "\n".join(NAMES) + "\n"
    evil = f"General Sola money{ESC} was killed.\nWe met Liz sly {ESC}there.\n"
    html_evil = 'General Sola money <script>alert(1)</script> met Liz sly <img src=x onerror=alert(2)>\n'
    label_csv = "text,label\nQassem Soleimani,=HYPERLINK(\"http://x\")\nLiz Sly,@SUM(1)\n"

    def html_safe(root, code, out, err):
        text = (root / "r.html").read_text() if (root / "r.html").exists() else ""
        bad = [s for s in ("<script>alert", "<img src=x") if s in text]
        return [f"HTML report carries {bad[0]!r} unescaped"] if bad else []

    return [
        Case("injection", "--diff on escape sequences", ["fix", "ep.txt", "-e", "names.txt",
             "--diff"], {"ep.txt": evil, "names.txt": names}, "ok", check=no_raw_escapes),
        Case("injection", "--diff --color always on escape sequences",
             ["fix", "ep.txt", "-e", "names.txt", "--diff", "--color", "always"],
             {"ep.txt": evil, "names.txt": names}, "ok",
             check=lambda r, c, o, e: ["input escape sequence printed raw"]
             if b"\x1b[2J" in o or b"\x1b]0;" in o else []),
        Case("injection", "-i on escape sequences", ["fix", "ep.txt", "-e", "names.txt", "-i",
             "-o", "o.txt"], {"ep.txt": evil, "names.txt": names}, "ok", stdin=b"y\ny\ny\n",
             outputs=("o.txt",)),
        Case("injection", "escape sequences in the list, --diff", ["fix", "ep.txt", "-e", "l.txt",
             "--diff"], {"ep.txt": TXT, "l.txt": f"{ESC}Liz Sly\nQassem Soleimani{ESC}\n"}, "ok",
             check=no_raw_escapes),
        Case("injection", "escape sequences in a missing file's name",
             ["fix", f"a{ESC}.txt", "-e", "names.txt"], {"names.txt": names}, "error"),
        Case("injection", "escape sequences in a bad list entry",
             ["fix", "ep.txt", "-e", "l.json"], {"ep.txt": TXT, "l.json": json.dumps([ESC, 5])},
             "error"),
        Case("injection", "CSV report: formula in a file name", ["fix", "=1+2.txt", "-e",
             "names.txt", "-o", "o.txt", "--report", "r.csv"], {"=1+2.txt": TXT, "names.txt": names},
             "ok", outputs=("o.txt", "r.csv"),
             check=csv_cells_safe("r.csv", apply_to="=1+2.txt", expect_file="o.txt")),
        Case("injection", "CSV report: formula in a label", ["fix", "ep.txt", "-e", "l.csv", "-o",
             "o.txt", "--report", "r.csv"], {"ep.txt": TXT, "l.csv": label_csv}, "ok",
             outputs=("o.txt", "r.csv"), check=csv_cells_safe("r.csv", apply_to="ep.txt",
                                                              expect_file="o.txt")),
        Case("injection", "CSV report: formula in the text", ["fix", "ep.txt", "-e", "l.txt", "-o",
             "o.txt", "--report", "r.csv"], {"ep.txt": "-Sola money\n@Liz sly\n+Big Dad\n",
                                             "l.txt": "=Qassem Soleimani\n@Liz Sly\n-Baghdad\n"},
             "ok", outputs=("o.txt", "r.csv"),
             check=csv_cells_safe("r.csv", apply_to="ep.txt", expect_file="o.txt")),
        Case("injection", "HTML report escapes markup", ["fix", "ep.txt", "-e", "l.txt", "--diff",
             "--report", "r.html"], {"ep.txt": html_evil,
                                     "l.txt": "Qassem Soleimani\nLiz Sly<script>alert(3)</script>\n"},
             "ok", outputs=("r.html",), check=html_safe),
    ]


def core_install() -> list[Case]:
    """The command line where only the core dependencies import (extras blocked)."""
    blocker = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('tqdm', 'spacy', 'faster_whisper', 'whisper', 'torch', "
        "'av', 'ctranslate2', 'ray'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from respell.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    g = good_files()
    files = {**{f"a{k}.txt": TXT for k in range(3)}, "names.txt": "\n".join(NAMES), **g}
    proc = [sys.executable, "-c", blocker]
    return [
        Case("core-install", "fix several files", ["fix", "a0.txt", "a1.txt", "a2.txt", "-e",
             "names.txt", "-o", "out/"], files, "ok", outputs=("out/",), process=proc),
        Case("core-install", "fix several files, --diff", ["fix", "a0.txt", "a1.txt", "-e",
             "names.txt", "--diff"], files, "ok", process=proc),
        Case("core-install", "fix several files, -j 2", ["fix", "a0.txt", "a1.txt", "a2.txt", "-e",
             "names.txt", "-o", "out/", "-j", "2"], files, "ok", outputs=("out/",), process=proc),
        Case("core-install", "fix one file, each format", ["fix", "ep.srt", "ep.vtt", "ep.json",
             "ep.nlp", "-e", "names.txt", "-o", "out/", "--report", "r.html"], files, "ok",
             outputs=("out/", "r.html"), process=proc),
        Case("core-install", "apply", ["apply", "r.json", "a0.txt", "-o", "o.txt"],
             {**files, "r.json": json.dumps(_good_report("a0.txt", TXT))}, "ok", outputs=("o.txt",),
             process=proc),
        Case("core-install", "eval", ["eval", "a0.txt", "a1.txt", "-e", "names.txt"], files, "ok",
             process=proc),
        Case("core-install", "--from-doc without spaCy", ["fix", "a0.txt", "--from-doc", "a1.txt"],
             files, "error", process=proc),
        Case("core-install", "transcribe without Whisper", ["transcribe", "x.wav", "-e", "names.txt"],
             {**files, "x.wav": b"RIFF"}, "error", process=proc),
    ]


# -- generated mutants through the library ----------------------------------------------------

HOSTILE = ["\x00", ESC, "\r", "\r\n", "\n", "\n\n", "\u2028", "\x85", "\x0b", "\x0c", "\ufeff",
           "-->", " --> ", "00:00:01,000 --> 00:00:02,000", "00:01.000 --> 00:02.000", "WEBVTT",
           "NOTE", "{", "}", "[", "]", '"', "\\", "\\u0000", "|", "||", "null", "1e999", "-1",
           "NaN", "é", "\U0001F600", "\u202e", " ", "\t", "'s", "Sola money", "Big Dad", "Liz sly",
           "0", "99999999999999999999", ":", ",", "<i>", "</i>", "&amp;", "\u0301", "ǅ", "ß"]


def mutate(rng: random.Random, text: str) -> str:
    """A few random edits of ``text``: cut, copy, insert hostile pieces, swap lines."""
    for _ in range(rng.randint(1, 4)):
        n = len(text)
        op = rng.randrange(7)
        a = rng.randint(0, n)
        b = min(n, a + rng.randint(0, 40))
        if op == 0:
            text = text[:a] + text[b:]
        elif op == 1:
            text = text[:a] + text[a:b] * rng.randint(2, 4) + text[a:]
        elif op in (2, 3):
            text = text[:a] + rng.choice(HOSTILE) + text[a:]
        elif op == 4:
            text = text[:a] + rng.choice(HOSTILE) + text[b:]
        elif op == 5:
            lines = text.splitlines(keepends=True)
            if len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                text = "".join(lines)
        else:
            text = text[:a]
    return text


def mutate_json(rng: random.Random, data):
    """A random structural edit of a JSON value (in place where it can)."""
    nodes = []

    def walk(v, parent, key):
        nodes.append((parent, key, v))
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, v, k)
        elif isinstance(v, list):
            for k, x in enumerate(v):
                walk(x, v, k)

    walk(data, None, None)
    for _ in range(rng.randint(1, 3)):
        parent, key, _ = rng.choice(nodes)
        if parent is None:
            continue
        pick = rng.randrange(9)
        new = [None, "", "x", -1, 1e308, 10**30, True, [], {"a": [[[[1]]]]}][pick]
        if rng.random() < 0.15 and isinstance(parent, dict):
            parent.pop(key, None)  # (an earlier edit may have taken it already)
            continue
        parent[key] = new
    return data


def _seed_lines(rng: random.Random) -> list[str]:
    """Sentences, one a line; now and then a line (a cue) ends inside a name."""
    lines = []
    for _ in range(rng.randint(1, 5)):
        line = rng.choice(SENTENCES)
        if rng.random() < 0.3:
            line = line.replace("Sola money", "Sola\nmoney").replace("Torah Bora", "Torah\nBora")
        lines.extend(line.split("\n"))
    return lines


def gen_documents(fmt: str, n: int, rng: random.Random, lexicon) -> tuple[int, list[str]]:
    """Mutants of good ``fmt`` files through parse, fix, render and parse again."""
    from respell import fix
    from respell.errors import RespellError
    from respell.formats import FORMATS, detect

    cls = FORMATS[fmt]
    breaks = []
    for k in range(n):
        lines = _seed_lines(rng)
        eol = rng.choice(["\n", "\r\n"])
        if fmt == "txt":
            raw = eol.join(lines) + rng.choice(["", eol])
        elif fmt == "srt":
            raw = make_srt(lines, eol)
        elif fmt == "vtt":
            raw = make_vtt(lines, eol)
        elif fmt == "nlp":
            raw = make_nlp(lines, eol)
        else:
            raw = make_json(lines, words=rng.random() < 0.7, indent=rng.choice([None, 2]))
            if rng.random() < 0.5:
                raw = json.dumps(mutate_json(rng, json.loads(raw)), indent=rng.choice([None, 1]))
        if rng.random() < 0.15:
            raw = "\ufeff" + raw
        if rng.random() < (0.4 if fmt == "whisper-json" else 0.8):
            raw = mutate(rng, raw)
        where = f"{fmt} #{k}"
        try:
            problem = _through_library(cls, raw, lexicon, fix, detect, RespellError)
        except Exception as exc:  # noqa: BLE001 - escaping the library is the break
            problem = describe(exc)
        if problem:
            breaks.append(f"{where}: {problem} | input {raw[:160]!r}")
            SAVED.append((f"{fmt}-{k}", raw))
    return n, breaks


def _through_library(cls, raw, lexicon, fix, detect, RespellError) -> str:
    try:
        doc = cls.parse(raw, source="x")
    except RespellError:
        return ""
    if doc.render(()) != raw:
        return "render(()) is not the input"
    result = fix(doc.text, lexicon, barriers=doc.barriers)
    if hasattr(doc, "writable"):  # as respell fix writes it (older versions wrote them all)
        result = result.with_changes(doc.writable(result.changes)[0])
    out = doc.render(result.changes)
    try:
        again = cls.parse(out, source="out")
    except RespellError as exc:
        return f"output does not parse: {exc}"
    if again.text != result.text:
        at = next((k for k, (a, b) in enumerate(zip(again.text, result.text)) if a != b),
                  min(len(again.text), len(result.text)))
        return (f"output's text is not the corrected text at {at}: "
                f"{again.text[at - 20:at + 40]!r} vs {result.text[at - 20:at + 40]!r}")
    if cls.name in ("txt", "srt", "vtt") and _breaks(out) != _breaks(raw):
        return f"line breaks not kept: {len(_breaks(raw))} in the input, {len(_breaks(out))} out"
    if cls.name in ("srt", "vtt"):
        if len(again.times) != len(doc.times):
            return "number of cues changed"
        if _verbatim(again) != _verbatim(doc):
            return "numbering, timing or other lines outside the cue texts changed"
    return ""


def _breaks(text: str) -> list[str]:
    """The line breaks of a text, in order (``\r\n`` as one)."""
    return re.findall(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", text)


def _view(doc, text: str | None = None) -> str:
    """A document's text view (or ``text`` in its place), as far as its format keeps it: a
    token file keeps words, not the spaces between them."""
    text = doc.text if text is None else text
    return " ".join(text.split()) if doc.name == "nlp" else text


def _verbatim(doc) -> list[str]:
    """A cue file's pieces outside the cue texts (numbers, timing lines, notes)."""
    return [p for k, p in enumerate(doc.pieces) if k not in set(doc.slot_pieces)]


def gen_lists(n: int, rng: random.Random) -> tuple[int, list[str]]:
    from respell import fix
    from respell.errors import RespellError
    from respell.lexicon import Lexicon

    breaks = []
    tmp = Path(tempfile.mkdtemp(prefix="lists-"))
    try:
        for k in range(n):
            kind = rng.choice([".txt", ".csv", ".tsv", ".json", ".jsonl"])
            if kind == ".txt":
                raw = "\n".join(NAMES)
            elif kind in (".csv", ".tsv"):
                sep = "," if kind == ".csv" else "\t"
                raw = sep.join(["text", "label", "aliases", "sounds_like", "count"]) + "\n" + "\n".join(
                    sep.join([name, "PERSON", "", "Sola money" if "Sol" in name else "", "2"])
                    for name in NAMES)
            else:
                recs = [{"text": name, "label": "PERSON", "aliases": [], "sounds_like": ["x y"],
                         "count": 1} for name in NAMES]
                if rng.random() < 0.6:
                    recs = mutate_json(rng, recs)
                raw = (json.dumps(recs) if kind == ".json"
                       else "\n".join(json.dumps(r) for r in (recs if isinstance(recs, list) else [recs])))
            if rng.random() < 0.7:
                raw = mutate(rng, raw)
            path = tmp / f"l{k}{kind}"
            path.write_bytes(raw.encode("utf-8", "surrogatepass"))
            try:
                try:
                    lex = Lexicon.load(path)
                except RespellError:
                    continue
                fix(TXT, lex)
            except Exception as exc:  # noqa: BLE001 - escaping the library is the break
                breaks.append(f"list {kind} #{k}: {describe(exc, 80)} | {raw[:120]!r}")
                SAVED.append((f"list-{k}{kind}", raw))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return n, breaks


def gen_reports(n: int, rng: random.Random) -> tuple[int, list[str]]:
    """Forged reports (mutated JSON and CSV) applied to the file they claim."""
    from respell import fix
    from respell.correct import apply_changes
    from respell.errors import RespellError
    from respell.formats import parse
    from respell.report import FileReport, load_report_csv, load_report_text, report_csv

    g = good_files()
    made = {}
    for target in ("ep.txt", "ep.srt", "ep.json", "ep.nlp", "ep.vtt"):
        rep = _good_report(target, g[target])
        doc = parse(g[target], path=target)
        result = fix(doc.text, NAMES, barriers=doc.barriers)
        csv_text = report_csv([FileReport(target, rep["files"][0]["input_sha256"], doc.name, result)])
        made[target] = (rep, csv_text, doc)
    breaks = []
    for k in range(n):
        target = rng.choice(sorted(made))
        rep, csv_text, doc = made[target]
        as_csv = rng.random() < 0.35
        if as_csv:
            raw = mutate(rng, csv_text)
        else:
            data = json.loads(json.dumps(rep))
            for c in data["files"][0]["changes"]:
                if rng.random() < 0.5:
                    key = rng.choice(["start", "end", "original", "replacement"])
                    c[key] = rng.choice([c[key], -1, 0, 10**6, len(doc.text), "", "Tora Bora",
                                         "x\ny", "\n\n", "|", None, 1.5, c.get("start", 0) + 1,
                                         "a --> b"])
            if rng.random() < 0.3:
                data = mutate_json(rng, data)
            raw = json.dumps(data)
            if rng.random() < 0.3:
                raw = mutate(rng, raw)
        try:
            try:
                loaded = (load_report_csv if as_csv else load_report_text)(raw, "r")
                entry = loaded.entry_for(rep["files"][0]["input_sha256"], target)
                out = doc.render(entry.changes)
            except RespellError:
                continue
            again = parse(out, format=doc.name)
            want = apply_changes(doc.text, entry.changes)
            if _view(again) != _view(doc, want):
                breaks.append(f"report #{k} ({target}): applied text differs from its changes "
                              f"({again.text[:60]!r} vs {want[:60]!r})")
            elif len(again.times) != len(doc.times) and doc.name in ("srt", "vtt"):
                breaks.append(f"report #{k} ({target}): number of cues changed")
        except Exception as exc:  # noqa: BLE001 - escaping the library is the break
            breaks.append(f"report #{k} ({target}, {'csv' if as_csv else 'json'}): "
                          f"{describe(exc, 80)}")
            SAVED.append((f"report-{k}{'.csv' if as_csv else '.json'}", raw))
    return n, breaks


# -- signals during -j --------------------------------------------------------------------------


def _session_processes(sid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # field 6 of stat is the session
            out.append(int(entry))
    return out


def signals(trials: int, rng: random.Random) -> tuple[int, list[str]]:
    """Kill ``respell fix -j 2`` at a random moment; then look for what is left."""
    if not Path("/proc").is_dir():
        return 0, []
    tmp = Path(tempfile.mkdtemp(prefix="signals-"))
    breaks = []
    tried = 0
    try:
        long_text = "\n".join(rng.choice(SENTENCES) for _ in range(400)) + "\n"
        files = [f"t{k:02d}.txt" for k in range(16)]
        for f in files:
            (tmp / f).write_text(long_text.replace("Keev", f"Keev {f}"))
        (tmp / "names.txt").write_text("\n".join(NAMES) + "\n")
        from respell import fix

        expected = {f: fix((tmp / f).read_text(), NAMES).text.encode() for f in files[:2]}
        argv = [sys.executable, "-m", "respell", "fix", *files, "-e", "names.txt", "-o", "out/",
                "-j", "2"]
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        plan = [signal.SIGTERM, signal.SIGKILL, signal.SIGINT] * ((trials + 2) // 3)
        for k, sig in enumerate(plan[:trials]):
            shutil.rmtree(tmp / "out", ignore_errors=True)
            proc = subprocess.Popen(argv, cwd=tmp, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, start_new_session=True)
            time.sleep(rng.uniform(1.0, 3.0))
            tried += 1
            proc.send_signal(sig)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                breaks.append(f"{sig.name} #{k}: respell did not exit within 20 s")
                proc.kill()
                proc.wait()
            time.sleep(3)
            left = _session_processes(proc.pid)
            if left:
                breaks.append(f"{sig.name} #{k}: {len(left)} processes still running 3 s after "
                              f"the main one ended")
                for pid in left:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
            err = proc.stderr.read().decode("utf-8", "replace")
            proc.stderr.close()
            if "Traceback" in err:
                breaks.append(f"{sig.name} #{k}: traceback on stderr: "
                              f"{err.strip().splitlines()[-1][:100]}")
            out = tmp / "out"
            for p in sorted(out.iterdir()) if out.is_dir() else ():
                if p.name.endswith(".tmp"):
                    if sig != signal.SIGKILL:
                        breaks.append(f"{sig.name} #{k}: temporary file left: {p.name}")
                elif p.name in expected and p.read_bytes() != expected[p.name]:
                    breaks.append(f"{sig.name} #{k}: {p.name} is not the whole output")
        # the pool's size: no more processes than files and cores
        for jobs in ("64",):
            tried += 1
            shutil.rmtree(tmp / "out", ignore_errors=True)
            few = files[:3]
            proc = subprocess.Popen([*argv[:4], *few, *argv[4 + len(files):-1], jobs], cwd=tmp,
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    start_new_session=True)
            most = 0
            while proc.poll() is None:
                most = max(most, len(_session_processes(proc.pid)))
                time.sleep(0.05)
            proc.stderr.close()
            from respell.batch import available_cores

            # the main process, the forkserver, the resource tracker and the workers
            limit = 3 + min(len(few), available_cores())
            if most > limit:
                breaks.append(f"-j {jobs} on {len(few)} files: {most} processes at once "
                              f"(at most {limit} make sense here)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tried, breaks


# -- the run ----------------------------------------------------------------------------------

SAVED: list[tuple[str, str]] = []
CLI = {"cli-inputs": cli_inputs, "cli-lists": cli_lists, "cli-reports": cli_reports,
       "cli-paths": cli_paths, "injection": injection, "core-install": core_install}
GEN = {"gen-txt": "txt", "gen-srt": "srt", "gen-vtt": "vtt", "gen-json": "whisper-json",
       "gen-nlp": "nlp"}
CATEGORIES = (*CLI, *GEN, "gen-lists", "gen-reports", "signals")


def run(only=None, *, seed: int = 0, scale: float = 1.0, show: int = 3, progress=True) -> dict:
    """Run the corpus; ``{category: {"tried": n, "broke": m, "breaks": [...], "seconds": s}}``."""
    from respell.lexicon import Lexicon

    lexicon = Lexicon.from_entries(NAMES)
    table = {}
    base = Path(tempfile.mkdtemp(prefix="respell-fuzz-"))
    try:
        for cat in only or CATEGORIES:
            rng = random.Random(f"{seed}-{cat}")  # a category's cases do not depend on the others
            t0 = time.perf_counter()
            if cat in CLI:
                cases = CLI[cat]()
                breaks = []
                for case in cases:
                    problems = run_case(case, base)
                    if problems:
                        breaks.append(f"{case.name}: {'; '.join(problems)}")
                tried = len(cases)
            elif cat in GEN:
                with _quiet():
                    tried, breaks = gen_documents(GEN[cat], int(1000 * scale), rng, lexicon)
            elif cat == "gen-lists":
                with _quiet():
                    tried, breaks = gen_lists(int(600 * scale), rng)
            elif cat == "gen-reports":
                with _quiet():
                    tried, breaks = gen_reports(int(1500 * scale), rng)
            elif cat == "signals":
                tried, breaks = signals(max(3, int(6 * scale)), rng)
            else:
                raise SystemExit(f"unknown category {cat!r}: choose from {', '.join(CATEGORIES)}")
            table[cat] = {"tried": tried, "broke": len(breaks), "breaks": breaks,
                          "seconds": round(time.perf_counter() - t0, 1)}
            if progress:
                print(f"{cat:13s} {tried:5d} tried {len(breaks):5d} broke "
                      f"({table[cat]['seconds']} s)", file=sys.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return table


@contextlib.contextmanager
def _quiet():
    """The library's warnings (a block kept as is, word times not used) would flood the run."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the generated cases")
    ap.add_argument("--only", help="comma-separated categories: " + ", ".join(CATEGORIES))
    ap.add_argument("--show", type=int, default=3, help="breaks shown per category")
    ap.add_argument("--save", metavar="DIR", help="write the generated inputs that broke here")
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    args = ap.parse_args()
    only = args.only.split(",") if args.only else None
    table = run(only, seed=args.seed, scale=args.scale, show=args.show)
    if args.json:
        print(json.dumps(table))
    else:
        print("\n| category | tried | broke |\n|---|---:|---:|")
        for cat, row in table.items():
            print(f"| {cat} | {row['tried']} | {row['broke']} |")
        total = sum(r["tried"] for r in table.values()), sum(r["broke"] for r in table.values())
        print(f"| all | {total[0]} | {total[1]} |")
        for cat, row in table.items():
            for line in row["breaks"][: args.show]:
                print(f"{cat}: {line}")
            if len(row["breaks"]) > args.show:
                print(f"{cat}: ... {len(row['breaks']) - args.show} more")
    if args.save and SAVED:
        Path(args.save).mkdir(parents=True, exist_ok=True)
        for name, raw in SAVED:
            Path(args.save, name).write_bytes(raw.encode("utf-8", "surrogatepass"))
    return 1 if any(r["broke"] for r in table.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
