"""``respell batch``: repair a whole archive from a manifest, locally or on Ray."""

from __future__ import annotations

import argparse
import logging
import sys

log = logging.getLogger(__name__)

EXAMPLES = """\
examples:
  respell batch manifest.jsonl -o fixed/                      # this machine, all cores
  respell batch manifest.csv -o fixed/ --engine ray --address auto   # a Ray cluster
  respell batch episodes.parquet -o fixed/ --engine ray --gpus-per-worker 1 --audio-workers 4

manifest columns (JSONL, CSV or Parquet; one row per item):
  transcript  a transcript to repair (txt, srt, vtt, whisper json, nlp), and/or
  audio       a recording, transcribed first when there is no transcript
  entities    entity lists (.txt .csv .tsv .json .jsonl) and inline names (CSV: a;b;c)
  docs        related documents (spaCy finds their names; needs respell[ner])
  id          the output's name in OUTDIR (default: the input's path, relative)
  format      the transcript's format, or the format a recording is written in
  min_score   this item's threshold

OUTDIR gets each repaired transcript, changes.parquet (one row per change) and
summary.json. Run again to finish an interrupted run: items already made for the
same inputs, entities, options and respell version are kept (--force redoes them).
"""


def add_parser(subparsers) -> None:
    from ..audio.biasing import BIAS_MODES
    from ..correct import DEFAULT_MIN_SCORE

    p = subparsers.add_parser(
        "batch",
        help="repair a whole archive listed in a manifest, on this machine or a Ray cluster",
        description="Repair every transcript (or recording, transcribed first) of a manifest "
        "into OUTDIR, with each item's own entities. Resumable: a run that was stopped is "
        "finished by running it again. Items that fail are listed in OUTDIR/summary.json and "
        "the exit status is 2.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("manifest", metavar="MANIFEST", help="the items: .jsonl, .csv or .parquet")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="the output folder")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: this machine (default); ray: Ray Data on a cluster")
    p.add_argument("--force", action="store_true", help="redo items that are up to date")
    p.add_argument("--min-score", type=float, metavar="X",
                   help=f"threshold of items without their own (default {DEFAULT_MIN_SCORE})")
    p.add_argument("--whisper-model", default="tiny.en", metavar="NAME",
                   help="Whisper model for recordings (default: %(default)s)")
    p.add_argument("--bias", choices=BIAS_MODES, default="window",
                   help="how the entities prompt Whisper (default: %(default)s)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    local = p.add_argument_group("local engine")
    local.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="repair on N processes (default 0: one per core)")
    local.add_argument("--audio-jobs", type=int, default=None, metavar="N",
                       help="transcribe N recordings at a time, each in its own process "
                       "(default 1)")
    ray = p.add_argument_group("ray engine")
    ray.add_argument("--address", metavar="ADDR",
                     help="the Ray cluster to join ('auto': the one 'ray start' made here); "
                     "default: start a Ray instance on this machine for the run")
    ray.add_argument("--workers", type=int, metavar="N",
                     help="repair actors (default: one per CPU of the cluster)")
    ray.add_argument("--audio-workers", type=int, metavar="N",
                     help="transcription actors (default 1)")
    ray.add_argument("--gpus-per-worker", type=float, metavar="G",
                     help="GPUs for each transcription actor (default: none, on CPU)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..archive import BatchOptions, run_batch

    options = BatchOptions(
        engine=args.engine,
        jobs=args.jobs,
        audio_jobs=args.audio_jobs,
        address=args.address,
        workers=args.workers,
        audio_workers=args.audio_workers,
        gpus_per_worker=args.gpus_per_worker,
        min_score=args.min_score,
        whisper_model=args.whisper_model,
        bias=args.bias,
        force=args.force,
        progress=False if args.no_progress else None,
    )
    summary = run_batch(args.manifest, args.output, options=options, on_skip=_skipped)
    print(f"respell: {summary} (see {args.output.rstrip('/')}/summary.json)", file=sys.stderr)
    return summary.exit_status


def _skipped(error: str) -> None:
    print(f"respell: skipped {error}", file=sys.stderr)
