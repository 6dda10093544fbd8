"""``respell transcribe``: Whisper biased to the entities, then text repair and audio check."""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import OptionError
from . import check_outputs

log = logging.getLogger(__name__)

EXAMPLES = """\
examples:
  respell transcribe episode.mp3 -e names.txt --from-doc article.txt -o episode.json
  respell transcribe episode.wav -e names.txt -o episode.srt --confirm
  respell transcribe episode.wav -e names.txt --model base --bias prompt -o episode.vtt
"""


def add_parser(subparsers) -> None:
    from ..audio.models import BACKENDS
    from ..audio.pipeline import OUTPUT_FORMATS
    from ..audio.transcribe import BIAS_MODES
    from .fix import add_lexicon_options

    p = subparsers.add_parser(
        "transcribe",
        help="transcribe audio with Whisper biased to the entities, then repair names",
        description="Transcribe with Whisper (each 30-second window prompted with the entities "
        "that window seems to mention), repair the names with the text matcher and, with "
        "--confirm, keep only the corrections the audio supports.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("audio", metavar="AUDIO", help="audio or video file (anything PyAV decodes)")
    add_lexicon_options(p)
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file: .json (Whisper JSON), .srt, .vtt or .txt; default: "
                   "plain text on standard output")
    p.add_argument("--format", choices=sorted(OUTPUT_FORMATS),
                   help="output format (default: from the -o extension)")
    p.add_argument("--model", default="tiny.en", metavar="NAME",
                   help="Whisper model name (tiny.en, base, ...) or a CTranslate2 folder or "
                   ".pt file (default: %(default)s)")
    p.add_argument("--backend", choices=BACKENDS, default="faster-whisper",
                   help="Whisper implementation (default: %(default)s)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: %(default)s)")
    p.add_argument("--bias", choices=BIAS_MODES, default="window",
                   help="how the entities prompt Whisper (default: %(default)s)")
    p.add_argument("--no-fix", action="store_true", help="skip the text repair")
    p.add_argument("--confirm", action="store_true",
                   help="let the audio confirm or reject each text correction")
    p.add_argument("--min-score", type=float, metavar="X",
                   help="text repair: only make changes scoring at least X (0-1)")
    p.add_argument("--report", metavar="FILE", help="write the changes to FILE (.json/.csv/.html)")
    p.add_argument("--progress", action="store_true", help="always show a progress bar")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..audio.pipeline import format_for, transcribe_and_fix
    from ..lexicon import Lexicon
    from ..result import FixOptions
    from ..textio import atomic_write
    from .fix import load_lexicon

    fmt = args.format or format_for(args.output)
    check_outputs([("the recording", args.audio), *(("the entity list", e) for e in args.entities),
                   *(("the document", d) for d in args.from_doc)],
                  [("-o", args.output), ("--report", args.report)])
    fix_options = FixOptions(min_score=args.min_score) if args.min_score is not None else None
    if args.report:
        from ..report import check_kind

        check_kind(args.report)
    if args.no_fix and args.confirm:
        raise OptionError("--confirm judges the text repair: drop --no-fix or --confirm")
    lexicon = load_lexicon(args) if (args.entities or args.from_doc) else Lexicon(())
    if not lexicon and args.confirm:
        raise OptionError("--confirm needs entities: pass -e names.txt or --from-doc article.txt")
    out = transcribe_and_fix(
        args.audio,
        lexicon,
        format=fmt,
        fix_text=not args.no_fix,
        acoustic=args.confirm,
        fix_options=fix_options,
        progress=True if args.progress else None,
        model=args.model,
        backend=args.backend,
        device=args.device,
        bias=args.bias,
    )
    text = out.render()
    if args.output and args.output != "-":
        atomic_write(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if args.report:
        from ..report import FileReport, write_report
        from ..result import sha256_text

        # the report applies to the unrepaired transcript, as `respell fix` reports do
        raw = out.document.render(())
        name = args.output or "<stdout>"
        write_report(args.report, [FileReport(name, sha256_text(raw), out.document.name,
                                              out.result)])
    t = out.transcription
    log.info("%s: %.1f s of audio in %.1f s (real-time factor %.2f), %d change%s",
             args.audio, t.duration, t.seconds, t.real_time_factor, len(out.result.changes),
             "s" * (len(out.result.changes) != 1))
    return 0
