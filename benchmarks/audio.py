#!/usr/bin/env python3
"""Audio benchmark: does the audio path recover names that Whisper and text repair miss?

    python benchmarks/audio_data/make_audio.py      # once: synthesize the clips (~30 s)
    python benchmarks/audio.py [--model tiny.en] [--json out.json]

Data: benchmarks/audio_data/texts.jsonl (entity-dense passages written for
respell) spoken by piper's joe voice, every other clip degraded to telephone band
with noise (see make_audio.py). The entity list given to every system is the same
for all clips: every passage's entities plus distractors.txt, shuffled with a
fixed seed (a show's name list, not ordered by where names occur).

Systems:
  a  plain Whisper
  b  Whisper with the entities as prompt (most frequent first, on every window)
  c  plain Whisper, then respell's text repair
  c+ plain Whisper, text repair, acoustic confirmation
  w  Whisper with per-window entity prompts (respell.audio.transcribe)
  d  full pipeline: per-window prompts, text repair, acoustic confirmation

Figures (respell.evaluate): WER, entity-token WER (reference words inside
mentions that are wrong), entity-mention recall (mentions whose words are all
right), real-time factor (processing seconds per audio second, models loaded).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "audio_data"
SYSTEMS = ("a", "b", "c", "c+", "w", "d")
NAMES = {
    "a": "plain Whisper",
    "b": "Whisper + entity prompt",
    "c": "plain Whisper + text repair",
    "c+": "plain + text repair + audio confirm",
    "w": "Whisper + per-window prompts",
    "d": "full pipeline (window prompts + repair + confirm)",
}


def entity_list(rows: list[dict]) -> list[str]:
    names = [e for r in rows for e in r["entities"]]
    names += (DATA / "distractors.txt").read_text(encoding="utf-8").split("\n")
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    random.Random(0).shuffle(names)
    return names


def run(args) -> dict:
    from respell.audio import confirm, load_audio, load_backend, transcribe
    from respell.correct import fix
    from respell.evaluate import entity_scores
    from respell.lexicon import Lexicon

    gen = Path(args.data)
    manifest = gen / "manifest.jsonl"
    if not manifest.is_file():
        sys.exit(f"no {manifest}: run python benchmarks/audio_data/make_audio.py first")
    rows = [json.loads(line) for line in manifest.open(encoding="utf-8") if line.strip()]
    if args.limit:
        rows = rows[: args.limit]
    lexicon = Lexicon.from_entries(entity_list(rows))
    opts = {"model": args.model, "backend": args.backend, "device": args.device}
    load_backend(args.model, args.backend, args.device)  # load time is not counted
    fix(  # nor the matcher's index
        "warm up", lexicon
    )
    totals: dict[str, object] = {}
    seconds = dict.fromkeys(SYSTEMS, 0.0)
    by_condition: dict[tuple[str, str], object] = {}
    audio_seconds = 0.0
    examples = []
    for row in rows:
        samples = load_audio(gen / row["wav"])
        audio_seconds += len(samples) / 16000
        hyp = {}
        t = time.perf_counter()
        plain = transcribe(samples, bias="none", **opts)
        hyp["a"] = plain.text
        seconds["a"] += time.perf_counter() - t
        t = time.perf_counter()
        hyp["b"] = transcribe(samples, lexicon, bias="prompt", **opts).text
        seconds["b"] += time.perf_counter() - t
        t = time.perf_counter()
        repaired = fix(plain.text, lexicon)
        hyp["c"] = repaired.text
        seconds["c"] += time.perf_counter() - t + seconds_of(plain)
        t = time.perf_counter()
        hyp["c+"] = confirm(repaired, samples, times=plain.word_times(), **opts).text
        seconds["c+"] += time.perf_counter() - t + seconds_of(plain)
        t = time.perf_counter()
        biased = transcribe(samples, lexicon, bias="window", **opts)
        hyp["w"] = biased.text
        seconds["w"] += time.perf_counter() - t
        t = time.perf_counter()
        result = confirm(fix(biased.text, lexicon), samples, times=biased.word_times(), **opts)
        hyp["d"] = result.text
        seconds["d"] += time.perf_counter() - t + seconds_of(biased)
        for name in SYSTEMS:
            s = entity_scores(row["text"], hyp[name], row["entities"])
            totals[name] = s if name not in totals else totals[name] + s
            key = (name, row["condition"])
            by_condition[key] = s if key not in by_condition else by_condition[key] + s
        examples.append({"id": row["id"], "condition": row["condition"], **hyp})
        print(f"{row['id']}: done", file=sys.stderr)
    table = {
        name: {
            "system": NAMES[name],
            "wer": round(100 * totals[name].words.wer, 2),
            "entity_wer": round(100 * totals[name].entity_words.wer, 2),
            "mention_recall": round(100 * totals[name].recall, 2),
            "mentions": f"{totals[name].mentions_correct}/{totals[name].mentions}",
            "recall_clean": round(100 * by_condition[(name, "clean")].recall, 1),
            "recall_telephone": round(100 * by_condition[(name, "telephone")].recall, 1),
            "rtf": round(seconds[name] / audio_seconds, 3),
        }
        for name in SYSTEMS
    }
    return {
        "model": args.model,
        "backend": args.backend,
        "device": load_backend(args.model, args.backend, args.device).device,
        "clips": len(rows),
        "audio_seconds": round(audio_seconds, 1),
        "entities": len(lexicon),
        "table": table,
        "examples": examples,
    }


def seconds_of(transcription) -> float:
    return transcription.seconds


def markdown(out: dict) -> str:
    lines = [
        (
            f"model {out['model']} ({out['backend']}, {out['device']}), {out['clips']} clips, "
            f"{out['audio_seconds']} s of audio, {out['entities']} entities in the list"
        ),
        "",
        "| system | WER | entity WER | mention recall | clean | telephone | RTF |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, r in out["table"].items():
        lines.append(
            f"| ({key}) {r['system']} | {r['wer']:.2f} | {r['entity_wer']:.2f} | "
            f"{r['mention_recall']:.2f} ({r['mentions']}) | {r['recall_clean']:.1f} | "
            f"{r['recall_telephone']:.1f} | {r['rtf']:.3f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="respell audio benchmark")
    ap.add_argument("--data", default=str(DATA / "generated"), help="folder of make_audio.py")
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--backend", default="faster-whisper")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--limit", type=int, default=0, help="first N clips only")
    ap.add_argument("--json", metavar="FILE", help="also write the figures and outputs here")
    args = ap.parse_args(argv)
    out = run(args)
    print(markdown(out))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
