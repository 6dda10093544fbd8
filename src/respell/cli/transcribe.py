"""``respell transcribe``: Whisper biased to the entities, then text repair and audio check."""

from __future__ import annotations

import argparse
import sys

from ..errors import OptionError
from . import check_outputs

EXAMPLES = """\
examples:
  respell transcribe episode.mp3 -e names.txt --from-doc article.txt -o episode.json
  respell transcribe episode.wav -e names.txt -o episode.srt --confirm
  respell transcribe episode.wav -e names.txt --model base --bias prompt -o episode.vtt
"""


def add_parser(subparsers) -> None:
    from ..audio.backends import BACKENDS
    from ..audio.biasing import BIAS_MODES
    from ..audio.pipeline import OUTPUT_FORMATS
    from .fix import add_lexicon_options

    p = subparsers.add_parser(
        "transcribe",
        help="transcribe audio with Whisper biased to the entities, then repair names",
        description="Transcribe with Whisper (each 30-second window prompted with the entities "
        "that window seems to mention), repair the names with the text matcher and, with "
        "--confirm, make the proposals below the threshold that the audio clearly supports.",
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
    p.add_argument("--model", metavar="NAME",
                   help="Whisper model name (tiny.en, base, ...) or a CTranslate2 folder or "
                   ".pt file (default: base when its weights are installed, as "
                   "respell[audio-base] and respell[all] do, else tiny.en)")
    p.add_argument("--backend", choices=BACKENDS, default="faster-whisper",
                   help="Whisper implementation (default: %(default)s)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: %(default)s)")
    p.add_argument("--bias", choices=BIAS_MODES, default="window",
                   help="how the entities prompt Whisper (default: %(default)s)")
    p.add_argument("--no-fix", action="store_true", help="skip the text repair")
    p.add_argument("--confirm", action="store_true",
                   help="let the audio promote proposals below the threshold (after the "
                   "biased transcription it withdraws no change: see README, Audio)")
    p.add_argument("--min-score", type=float, metavar="X",
                   help="text repair: only make changes scoring at least X (0-1)")
    p.add_argument("--report", metavar="FILE", help="write the changes to FILE (.json/.csv/.html)")
    p.add_argument("--progress", action="store_true",
                   help="show the progress bar even when standard error is not a terminal")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar and no summary line")
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
        progress=False if args.quiet else (True if args.progress else None),
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
    if not args.quiet:
        print(f"respell: {summary(out)}", file=sys.stderr)
    return 0


def summary(out) -> str:
    """One line on a finished transcription: the model, the audio's length, the real-time
    factor, the names the output spells and the changes made.

    >>> from respell.audio.pipeline import Repaired
    >>> from respell.audio.segments import Segment, Transcription
    >>> from respell.correct import Result
    >>> t = Transcription((Segment(0, 0, 2, " Liz Sly in Beirut."),), duration=125.0,
    ...                   model="base", backend="faster-whisper", seconds=50.0)
    >>> r = Result("Liz Sly in Beirut.", "Liz Sly in Beirut.", ())
    >>> print(summary(Repaired(t, None, r, names=("Liz Sly", "Beirut", "Paris"), seconds=50.0)))
    Whisper base (faster-whisper): 2:05 of audio in 50 s (real-time factor 0.40); 2 of 3 names heard (2 mentions), 0 changes
    """
    t = out.transcription
    minutes, seconds = divmod(round(t.duration), 60)
    found = out.names_found()
    mentions = sum(found.values())
    changes = len(out.result.changes)
    head = (f"Whisper {t.model} ({t.backend}): {minutes}:{seconds:02d} of audio in "
            f"{out.seconds or t.seconds:.0f} s (real-time factor {out.real_time_factor:.2f})")
    if not out.names:
        return f"{head}; no entity list"
    return (f"{head}; {len(found)} of {len(out.names)} names heard ({mentions} mention"
            f"{'s' * (mentions != 1)}), {changes} change{'s' * (changes != 1)}")
