#!/usr/bin/env python3
"""Audio benchmark: respell's audio path side by side with plain Whisper and the
peers a user reaches for first, on the same clips, model and scorer.

    python benchmarks/audio_data/make_audio.py      # once: 64 clips, 33 minutes (see there)
    python benchmarks/audio.py [--model base] [--json out.json] [--limit N]

Each clip comes with the entity list a user would give (see make_audio.py). Systems:

  a   plain Whisper
  h   peer: faster-whisper's ``hotwords`` with the entity list (faster-whisper only)
  i   peer: Whisper's ``initial_prompt`` with the whole entity list
  c   plain Whisper, then ``respell fix``
  c+  plain Whisper, ``respell fix --audio`` (the text repair checked against the audio)
  w   respell's per-window prompts, no text repair (``respell transcribe --no-fix``)
  r   per-window prompts and text repair (``respell transcribe``, the default)
  d   per-window prompts, text repair and the audio check (``respell transcribe --confirm``)

The peers are called as their documentation shows, with faster-whisper's defaults
(beam 5, the previous text as context); respell's systems use its own settings.
Figures (respell.evaluate): WER, entity-token WER, entity-mention recall, each per
condition and voice too, and the real-time factor (processing seconds per audio
second, models loaded; c, c+, w, r and d include the passes they build on: w's
plain pass is a's). The audio check's log-likelihood ratio of every proposal is
kept with whether the proposal is right (``--json``), for its margins.

Transcriptions are cached under ``--cache`` (per model, backend and clip), so a run
can be resumed, and the repair and check re-run without decoding again
(``--fresh`` ignores the cache).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "audio_data"
SYSTEMS = ("a", "h", "i", "c", "c+", "w", "r", "d")
NAMES = {
    "a": "plain Whisper",
    "h": "peer: faster-whisper hotwords = entity list",
    "i": "peer: initial_prompt = entity list",
    "c": "plain Whisper + respell fix",
    "c+": "plain Whisper + respell fix --audio",
    "w": "respell window prompts, no repair",
    "r": "respell transcribe (window prompts + repair)",
    "d": "respell transcribe --confirm",
}


def lexicon_of(row: dict):
    from respell import Entity, Lexicon

    entries = [Entity(e["text"], label=e.get("label"), count=e.get("count", 1))
               if isinstance(e, dict) else e for e in row["list"]]
    return Lexicon.from_entries(entries)


def names_of(lexicon) -> list[str]:
    """The entity list as a user pastes it into a peer: the listed names, in order."""
    return list(dict.fromkeys(e.text for e in lexicon))


class Cache:
    """Transcriptions by (clip, system), one JSON file per model and backend."""

    def __init__(self, folder: Path, model: str, backend: str, *, fresh: bool) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{model.replace('/', '_')}-{backend}.json"
        self.data = {} if fresh or not self.path.is_file() else json.loads(self.path.read_text())

    def get(self, clip: str, system: str):
        return self.data.get(f"{clip}/{system}")

    def put(self, clip: str, system: str, value) -> None:
        self.data[f"{clip}/{system}"] = value
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False))
        tmp.replace(self.path)


def _to_json(t) -> dict:
    return {"seconds": t.seconds, "duration": t.duration, "segments": [
        {"start": s.start, "end": s.end, "text": s.text, "no_speech_prob": s.no_speech_prob,
         "avg_logprob": s.avg_logprob, "words": [[w.text, w.start, w.end, w.probability]
                                                 for w in s.words]}
        for s in t.segments]}


def _from_json(d: dict, model: str, backend: str):
    from respell.audio import Segment, Transcription, Word

    segs = tuple(Segment(i, s["start"], s["end"], s["text"],
                         tuple(Word(*w) for w in s["words"]), avg_logprob=s["avg_logprob"],
                         no_speech_prob=s["no_speech_prob"])
                 for i, s in enumerate(d["segments"]))
    return Transcription(segs, duration=d["duration"], model=model, backend=backend,
                         seconds=d["seconds"])


def _peer(backend, samples, **kwargs) -> tuple[str, float]:
    """(text, seconds) of faster-whisper / openai-whisper called directly."""
    t = time.perf_counter()
    if backend.name == "faster-whisper":
        segments, _ = backend.model.transcribe(samples, language="en", beam_size=5, **kwargs)
        text = " ".join(s.text.strip() for s in segments)
    else:
        import whisper

        out = whisper.transcribe(backend.model, samples, language="en", beam_size=5, best_of=5,
                                 fp16=False, verbose=None, **kwargs)
        text = out["text"].strip()
    return text, time.perf_counter() - t


def run(args) -> dict:
    from respell import fix
    from respell.audio import default_model, load_audio, load_backend, transcribe
    from respell.audio.confirm import ConfirmOptions, decide, judge
    from respell.evaluate import entity_scores, judge_changes

    gen = Path(args.data)
    manifest = gen / "manifest.jsonl"
    if not manifest.is_file():
        sys.exit(f"no {manifest}: run python benchmarks/audio_data/make_audio.py first")
    rows = [json.loads(line) for line in manifest.open(encoding="utf-8") if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    model = args.model or default_model()
    backend = load_backend(model, args.backend, args.device)  # load time is not counted
    systems = [s for s in args.systems.split(",") if s]
    if backend.name != "faster-whisper" and "h" in systems:
        systems.remove("h")  # openai-whisper has no hotwords
    cache = Cache(Path(args.cache), model, backend.name, fresh=args.fresh)
    opts = {"model": model, "backend": args.backend, "device": args.device}
    check = ConfirmOptions(**opts)
    variants = [tuple(float(x) for x in v.split(":")) for v in args.margins.split(",") if v]
    fix("warm up", lexicon_of(rows[0]))  # nor the matcher's first index
    totals: dict = {}
    seconds: dict[str, float] = defaultdict(float)
    audio_seconds = 0.0
    judged_log, examples = [], []

    def add(key, s):
        totals[key] = s if key not in totals else totals[key] + s

    for n, row in enumerate(rows, 1):
        samples = load_audio(gen / row["wav"])
        audio_seconds += len(samples) / 16000
        lexicon = lexicon_of(row)
        names = names_of(lexicon)
        hyp: dict[str, str] = {}
        spent: dict[str, float] = {}

        def transcription(system, row=row, samples=samples, lexicon=lexicon, **kw):
            cached = cache.get(row["id"], system)
            if cached is None:
                cached = _to_json(transcribe(samples, lexicon, progress=False, **opts, **kw))
                cache.put(row["id"], system, cached)
            return _from_json(cached, model, backend.name)

        plain = transcription("a", bias="none")
        hyp["a"], spent["a"] = plain.text, plain.seconds
        for peer, kw in (("h", {"hotwords": ", ".join(names)}),
                         ("i", {"initial_prompt": ", ".join(names)})):
            if peer in systems:
                got = cache.get(row["id"], peer)
                if got is None:
                    got = _peer(backend, samples, **kw)
                    cache.put(row["id"], peer, got)
                hyp[peer], spent[peer] = got
        biased = None
        if {"w", "r", "d"} & set(systems):
            biased = transcription("w", bias="window", first_pass=plain)
            hyp["w"], spent["w"] = biased.text, biased.seconds
        for name, base, heard, check_name in (("c", "a", plain, "c+"), ("r", "w", biased, "d")):
            if heard is None or not {name, check_name} & set(systems):
                continue
            t = time.perf_counter()
            repaired = fix(heard.text, lexicon)
            hyp[name], spent[name] = repaired.text, spent[base] + time.perf_counter() - t
            if check_name not in systems:
                continue
            t = time.perf_counter()
            judged = judge(repaired, samples, times=heard.word_times(), options=check)
            final = repaired if judged is None else decide(repaired, judged, check)
            hyp[check_name] = final.text
            spent[check_name] = spent[name] + time.perf_counter() - t
            for keep, promote in variants:  # other margins, on the same ratios
                other = replace(check, keep_margin=keep, promote_margin=promote)
                key = f"{check_name}@{keep:g}:{promote:g}"
                hyp[key] = (repaired if judged is None else decide(repaired, judged, other)).text
                spent[key] = spent[check_name]
            made = {(c.start, c.end, c.replacement) for c in repaired.changes}
            for delta, p in judged or ():
                right = judge_changes(repaired.source, [p], row["text"])[0]
                judged_log.append({"clip": row["id"], "system": check_name, "delta": delta,
                                   "score": p.score, "change": (p.start, p.end, p.replacement)
                                   in made, "right": right, "original": p.original,
                                   "replacement": p.replacement,
                                   "condition": row["condition"]})
        for name, text in hyp.items():
            s = entity_scores(row["text"], text, row["entities"])
            for key in ((name,), (name, "condition", row["condition"]),
                        (name, "voice", row["voice"])):
                add(key, s)
            seconds[name] += spent[name]
        examples.append({"id": row["id"], "condition": row["condition"], "voice": row["voice"],
                         **hyp})
        print(f"[{n}/{len(rows)}] {row['id']}: done", file=sys.stderr, flush=True)
    table = {
        name: {
            "system": NAMES.get(name) or f"{NAMES[name.split('@')[0]]}, margins {name.split('@')[1]}",
            "wer": round(100 * totals[(name,)].words.wer, 2),
            "entity_wer": round(100 * totals[(name,)].entity_words.wer, 2),
            "mention_recall": round(100 * totals[(name,)].recall, 2),
            "mentions": f"{totals[(name,)].mentions_correct}/{totals[(name,)].mentions}",
            "rtf": round(seconds[name] / audio_seconds, 3),
            "by_condition": _split(totals, name, "condition"),
            "by_voice": _split(totals, name, "voice"),
        }
        for name in dict.fromkeys([*systems, *(k[0] for k in totals)]) if (name,) in totals
    }
    return {
        "model": model,
        "backend": backend.name,
        "device": backend.device,
        "clips": len(rows),
        "audio_seconds": round(audio_seconds, 1),
        "table": table,
        "judged": judged_log,
        "examples": examples,
    }


def _split(totals, name, kind) -> dict:
    return {key[2]: {"recall": round(100 * s.recall, 1), "wer": round(100 * s.words.wer, 1)}
            for key, s in sorted(totals.items()) if len(key) == 3 and key[:2] == (name, kind)}


def margins(judged: list[dict]) -> str:
    """How the audio check's log-likelihood ratios split right and wrong proposals."""
    head = "| proposals | right, ratio < 0 | right, ratio >= 0 | wrong, ratio < 0 | wrong, ratio >= 0 |"
    lines = [head, "|---|---|---|---|---|"]
    for system in ("c+", "d"):
        for change in (True, False):
            rows = [j for j in judged if j["system"] == system and j["change"] == change]
            if not rows:
                continue
            count = [sum(1 for j in rows if j["right"] == r and (j["delta"] >= 0) == up)
                     for r in (True, False) for up in (False, True)]
            kind = "changes" if change else "candidates below the threshold"
            lines.append(f"| ({system}) {kind} | " + " | ".join(map(str, count)) + " |")
    return "\n".join(lines)


def markdown(out: dict) -> str:
    conditions = sorted({c for r in out["table"].values() for c in r["by_condition"]})
    head = ["system", "WER", "entity WER", "mention recall", "RTF"] + [
        f"{c} recall / WER" for c in conditions]
    lines = [
        (f"model {out['model']} ({out['backend']}, {out['device']}), {out['clips']} clips, "
         f"{out['audio_seconds'] / 60:.1f} min of audio"),
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for key, r in out["table"].items():
        cells = [f"({key}) {r['system']}", f"{r['wer']:.2f}", f"{r['entity_wer']:.2f}",
                 f"{r['mention_recall']:.2f} ({r['mentions']})", f"{r['rtf']:.3f}"]
        cells += [f"{r['by_condition'][c]['recall']:.1f} / {r['by_condition'][c]['wer']:.1f}"
                  if c in r["by_condition"] else "-" for c in conditions]
        lines.append("| " + " | ".join(cells) + " |")
    voices = sorted({v for r in out["table"].values() for v in r["by_voice"]})
    lines += ["", "mention recall by voice:", "",
              "| system | " + " | ".join(voices) + " |", "|---|" + "---|" * len(voices)]
    for key, r in out["table"].items():
        lines.append(f"| ({key}) | " + " | ".join(
            f"{r['by_voice'][v]['recall']:.1f}" if v in r["by_voice"] else "-"
            for v in voices) + " |")
    if out["judged"]:
        lines += ["", "the audio check's log-likelihood ratios:", "", margins(out["judged"])]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="respell audio benchmark")
    ap.add_argument("--data", default=str(DATA / "generated"), help="folder of make_audio.py")
    ap.add_argument("--model", help="Whisper model (default: respell's default model)")
    ap.add_argument("--backend", default="faster-whisper")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help=f"comma-separated, of {', '.join(SYSTEMS)}")
    ap.add_argument("--limit", type=int, default=0, help="first N clips only")
    ap.add_argument("--margins", default="", metavar="K:P,...",
                    help="also score the audio check with these keep:promote margins (nats)")
    ap.add_argument("--cache", default=str(DATA / "generated" / "cache"))
    ap.add_argument("--fresh", action="store_true", help="decode again, ignoring the cache")
    ap.add_argument("--json", metavar="FILE", help="also write the figures and outputs here")
    args = ap.parse_args(argv)
    out = run(args)
    print(markdown(out))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
