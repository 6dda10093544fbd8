#!/usr/bin/env python3
"""Short lists in talk: news and podcast episodes, each with the dozen names a producer
types, transcribed by Whisper from synthesized speech; how many name words each system
repairs, and how many edits it gets wrong.

    python benchmarks/talk.py [--system respell|rapidfuzz|spaczz|none] [--min-score X]
        [--conditions tiny,base,tiny-fast-noisy] [--uncased] [--docs with|only] [--show] [--json]

The episodes and their recognizer transcripts are in ``talk_data/`` (see
``talk_data/make_talk.py``): 15 episodes of about a minute, three conditions (Whisper
tiny.en and base on a clean voice, tiny.en on a faster voice in noise). Each system
gets the transcript and the episode's names (as ``respell fix -e names.txt`` would:
a short list, so respell takes it as names known to be there) and nothing else.

Figures per condition and overall: WER, entity WER (the words of the names' mentions
in the spoken text, their surnames, given names and possessives said alone included,
found from the text's own spelling and capitals, not from respell's variants: see
``--scorer``), and edits right / wrong (:func:`respell.evaluate.entity_scores`). Case is
ignored. ``--uncased``
gives the systems the transcripts in lower case without punctuation, as recognizers
without capitals write them (rev-kaldi of Earnings-21). ``--show`` prints every edit with
its verdict.

``--docs with`` adds each episode's related document (``talk_data/articles/<id>.txt`` or
``.html``: a news article, press release or show notes page written for the episode,
with the bylines, credits and other people's names that real pages carry), read as
``respell fix --from-doc`` reads it, to the typed names; ``--docs only`` gives the
document alone. The peers get the same entities.

The speech is read, not spoken in conversation, and the texts were written to hold
the hard cases (names that are ordinary words, parts of names, a given name shared with
another person): a dev set for text-side repair on short lists, not a held-out one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peers
from talk_data.make_talk import CONDITIONS, SETS, episodes

from respell.evaluate import edit_labels, edits_between, entity_scores, normalize
from respell.evaluate.mentions import written_mentions

DOCS = ("none", "with", "only")
#: How the name words of the spoken text are found: ``written``, from the text's own
#: spelling and capitals (:func:`respell.evaluate.mentions.written_mentions`: the
#: default since round 14, so that a change to respell's variants cannot move the
#: figures); ``variants``, with respell's own variants of the names, as rounds 10-13
#: reported (a lower-case "mark" of Mark Carney counted, "Bumrah's" not).
SCORERS = ("written", "variants")


def run(system: str = "respell", *, conditions=tuple(CONDITIONS), min_score=None,
        uncased: bool = False, show: bool = False, docs: str = "none",
        which: str = "dev", ids=None, scorer: str = "written") -> dict:
    """Figures per condition and over all of them (see the module's docstring); ``which``
    set of episodes (``dev`` or ``test``), only those of ``ids`` when given; the name
    words found by ``scorer`` (see :data:`SCORERS`)."""
    if docs not in DOCS:
        raise ValueError(f"docs must be one of {', '.join(DOCS)}, got {docs!r}")
    folder = SETS[which]
    rows = {}
    eps = [ep for ep in episodes(folder) if ids is None or ep["id"] in ids]
    if not eps:
        raise ValueError(f"no episode of {', '.join(ids)} in the {which} set")
    lists = {ep["id"]: episode_list(ep, docs, folder) for ep in eps}
    for name in conditions:
        totals = {"words": 0, "errors": 0, "raw_errors": 0, "ne_words": 0, "ne_errors": 0,
                      "raw_ne_errors": 0, "edits_right": 0, "edits_wrong": 0}
        for ep in eps:
            asr = (folder / "asr" / name / f"{ep['id']}.txt").read_text(encoding="utf-8")
            if uncased:
                asr = without_case(asr)
            fixed = peers.make(system, lists[ep["id"]], min_score=min_score)(asr)
            found = (written_mentions(ep["text"], ep["names"]) if scorer == "written"
                     else None)
            raw = entity_scores(ep["text"], asr, ep["names"], mentions=found)
            s = entity_scores(ep["text"], fixed, ep["names"], original=asr, mentions=found)
            totals["words"] += s.words.ref_words
            totals["errors"] += s.words.errors
            totals["raw_errors"] += raw.words.errors
            totals["ne_words"] += s.entity_words.ref_words
            totals["ne_errors"] += s.entity_words.errors
            totals["raw_ne_errors"] += raw.entity_words.errors
            totals["edits_right"] += s.edits_right
            totals["edits_wrong"] += s.edits_wrong
            if show:
                _show(name, ep, asr, fixed)
        rows[name] = totals
    rows["all"] = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))}
    return {name: _rates(r) for name, r in rows.items()}


def episode_list(ep: dict, docs: str = "none", folder: Path = SETS["dev"]) -> list:
    """What a system is given for an episode: its typed names, its document's entities
    (as ``--from-doc`` reads it), or both."""
    from earnings21 import document_entities

    names = list(ep["names"]) if docs != "only" else []
    if docs == "none":
        return names
    return names + document_entities([article(ep, folder)])


def without_case(text: str) -> str:
    """``text`` as a recognizer without capitals writes it (``--uncased``): lower case,
    no punctuation but apostrophes and hyphens."""
    return re.sub(r"[^\w\s'-]", "", text.lower())


def article(ep: dict, folder: Path = SETS["dev"]) -> Path:
    """The episode's related document (see the module's docstring)."""
    found = sorted((folder / "articles").glob(f"{ep['id']}.*"))
    if not found:
        raise FileNotFoundError(f"no article for {ep['id']} in {folder / 'articles'}")
    return found[0]


def _rates(r: dict) -> dict:
    pct = lambda e, n: round(100 * e / max(n, 1), 2)
    return {"WER_raw": pct(r["raw_errors"], r["words"]), "WER": pct(r["errors"], r["words"]),
            "NE_WER_raw": pct(r["raw_ne_errors"], r["ne_words"]),
            "NE_WER": pct(r["ne_errors"], r["ne_words"]), "ne_words": r["ne_words"],
            "edits_right": r["edits_right"], "edits_wrong": r["edits_wrong"]}


def _show(condition: str, ep: dict, asr: str, fixed: str) -> None:
    src, hyp, ref = normalize(asr), normalize(fixed), normalize(ep["text"])
    edits = edits_between(src, hyp)
    for (i, j, rep), ok in zip(edits, edit_labels(src, ref, edits) if edits else []):
        new = " ".join(rep) if not isinstance(rep, str) else rep
        print(f"{condition}/{ep['id']}: {'right' if ok else 'WRONG'}  {' '.join(src[i:j])!r} -> {new!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--system", default="respell", choices=sorted(peers.SYSTEMS))
    ap.add_argument("--min-score", type=float, default=None)
    ap.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated")
    ap.add_argument("--uncased", action="store_true",
                    help="the transcripts in lower case, without punctuation")
    ap.add_argument("--docs", default="none", choices=DOCS,
                    help="with: the episode's article as well as its names; only: the article alone")
    ap.add_argument("--set", default="dev", choices=sorted(SETS),
                    help="dev: the episodes the rules were found on; test, test2, ..., test6: "
                         "episodes kept for checking them (never tuned on)")
    ap.add_argument("--ids", default=None, help="comma-separated episode ids (default: all)")
    ap.add_argument("--show", action="store_true", help="print every edit with its verdict")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    ap.add_argument("--scorer", default="written", choices=SCORERS,
                    help="how the name words are found: from the text's spelling and "
                         "capitals (default), or with respell's variants (rounds 10-13)")
    a = ap.parse_args(argv)
    figures = run(a.system, conditions=a.conditions.split(","), min_score=a.min_score,
                  uncased=a.uncased, show=a.show, docs=a.docs, which=a.set,
                  ids=a.ids.split(",") if a.ids else None, scorer=a.scorer)
    if a.json:
        print(json.dumps({"system": a.system, **figures}))
        return 0
    print(f"{'condition':16s} {'WER raw':>8s} {'WER':>6s} {'NE-WER raw':>11s} {'NE-WER':>7s}  right/wrong")
    for name, f in figures.items():
        print(f"{name:16s} {f['WER_raw']:8.2f} {f['WER']:6.2f} {f['NE_WER_raw']:11.2f} "
              f"{f['NE_WER']:7.2f}  {f['edits_right']}/{f['edits_wrong']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
