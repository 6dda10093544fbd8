#!/usr/bin/env python3
"""Earnings-21 entity benchmark: correct vendor ASR of each call, score entity errors.

    python benchmarks/earnings21.py --data ../shared/bench/earnings21 --vendor google \\
        --lists per-call --out /tmp/e21.google.percall [--system respell|rapidfuzz|spaczz|none] \\
        [--jobs N]
    python benchmarks/earnings21.py --data ../shared/bench/earnings21 --vendor google \\
        --conec ../shared/bench/conec --lists participants [--docs] --out /tmp/e21.google.known

DIR has the layout of ../shared/bench/earnings21 (metadata.csv, optional eval10.csv,
refs/, wer_tags/, asr/<vendor>/, bias_lists/). Lists:

* ``per-call``: each call's own named entities, taken from its reference
  annotations as ``e21.py export`` builds them, with the entity class as label
  (a user who knows the call knows what each name is). Written to
  OUTDIR/lists/<id>.jsonl so the run can be inspected and repeated.
* ``distractors``: bias_lists/distractor_list.txt (1,782 phrases, upper-case as
  published) for every call, without labels.
* ``participants`` (needs ``--conec``): ConEC's ``participants/<id>.txt``, the names
  and firms known before the call ("Brian Nagel - Oppenheimer"), given to respell as
  the file itself, as a user would paste it (``respell fix -e participants.txt``);
  the peers get the names before " - ".
* ``none``: no list (with ``--docs``: the documents alone).

``--docs`` (needs ``--conec``) adds each call's documents, ``<conec>/pdfs/<id>_N.pdf``
(or ``--doc-dir``), read by respell itself as ``respell fix --from-doc`` reads them;
the peers get the same entities. With ``--conec`` the run is scored against ConEC's
corrected references (``<conec>/refs``, ``<conec>/wer_tags``).

Writes OUTDIR/<id>.txt (so ``e21.py score --hyp-dir OUTDIR`` scores it too) and
prints WER, named-entity WER, per-class WER, entity-mention recall and time.
Scoring (same normalization and alignment as e21.py) reads the references only
after every call is corrected; the per-call lists come from the references, as
the benchmark defines them, but only the entity names and classes.

From Python::

    from benchmarks.earnings21 import run
    summary = run("../shared/bench/earnings21", vendor="google", lists="per-call",
                  out="/tmp/e21", system="respell", min_score=0.6)
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # peers.py beside this file

import peers

from respell.batch import resolve_jobs
from respell.errors import OptionError
from respell.evaluate import (
    EntityScores,
    Mention,
    edit_labels,
    edits_between,
    normalize,
    score_mentions,
)
from respell.lexicon import Entity

#: entity classes of Earnings-21 that count as named entities (as e21.py)
NAMED = ("PERSON", "ORG", "PRODUCT", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW",
         "LANGUAGE")
#: classes that go into a per-call entity list (as e21.py export)
LISTED = NAMED[:-1]
#: the recognizers of asr/
VENDORS = ["google", "microsoft", "amazon", "speechmatics", "rev-kaldi", "rev-espnet"]
#: classes reported one by one
REPORTED = ("PERSON", "ORG", "PRODUCT", "GPE", "NORP")


def split_ids(data: Path, split: str) -> list[str]:
    """Call ids of a split (``all``, ``dev`` = all but eval10, ``eval10``) present in DATA."""
    def ids(name: str) -> list[str]:
        path = data / name
        if not path.exists():
            return []
        return [r["file_id"] for r in csv.DictReader(io.StringIO(path.read_text("utf-8")))]

    everything, held_out = ids("metadata.csv"), ids("eval10.csv")
    present = {p.stem for p in (data / "refs").glob("*.nlp")}
    chosen = {"all": everything, "eval10": held_out,
              "dev": [i for i in everything if i not in held_out]}[split]
    return [i for i in chosen if i in present]


def read_nlp(text: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text), delimiter="|", quotechar=None))
    head, body = rows[0], rows[1:]
    return [dict(zip(head, r)) for r in body if r]


def vendor_text(data: Path, fid: str, vendor: str) -> str:
    """The vendor's transcript as plain text: tokens and their punctuation, space-separated."""
    rows = read_nlp((data / "asr" / vendor / f"{fid}.nlp").read_text("utf-8"))
    return " ".join(r["token"] + r.get("punctuation", "") for r in rows) + "\n"


def _annotated(data: Path, fid: str) -> list[tuple[str, str | None, str | None]]:
    """(token, mention id, class) of each reference token; named classes only."""
    rows = read_nlp((data / "refs" / f"{fid}.nlp").read_text("utf-8"))
    tags = json.loads((data / "wer_tags" / f"{fid}.wer_tag.json").read_text("utf-8"))
    out = []
    for r in rows:
        ids = json.loads(r.get("wer_tags", "[]").replace("'", '"') or "[]")
        named = [i for i in ids if tags.get(i, {}).get("entity_type") in NAMED]
        out.append((r["token"], named[0] if named else None,
                    tags[named[0]]["entity_type"] if named else None))
    return out


def call_entities(data: Path, fid: str) -> list[Entity]:
    """The call's own named entities with their class (the ``per-call`` list)."""
    mentions: list[tuple[str, str]] = []
    cur: list[str] = []
    cur_id = cur_cls = None
    for tok, mid, cls in [*_annotated(data, fid), ("", None, None)]:
        if mid != cur_id and cur:
            mentions.append((" ".join(cur), cur_cls))
            cur = []
        if mid is not None and cls in LISTED:
            cur.append(tok)
            cur_cls = cls
        cur_id = mid
    labels: dict[str, Counter] = {}
    for text, cls in mentions:
        text = text.strip(" ,.")
        if text:
            labels.setdefault(text, Counter())[cls] += 1
    return [Entity(t, labels[t].most_common(1)[0][0], count=sum(labels[t].values()))
            for t in sorted(labels)]


def distractors(data: Path) -> list[Entity]:
    """The published distractor list (oracle phrases of all 44 calls + 769 others)."""
    lines = (data / "bias_lists" / "distractor_list.txt").read_text("utf-8").splitlines()
    return [Entity(line.strip()) for line in lines if line.strip()]


def reference(data: Path, fid: str) -> tuple[list[str], list[Mention]]:
    """Normalized reference words and the named-entity mentions among them."""
    words: list[str] = []
    where: dict[str, list[int]] = {}
    label: dict[str, str] = {}
    for tok, mid, cls in _annotated(data, fid):
        for w in normalize(tok):
            if mid is not None:
                where.setdefault(mid, []).append(len(words))
                label[mid] = cls
            words.append(w)
    mentions = [Mention(p[0], p[-1] + 1, label[m], tuple(p)) for m, p in where.items()]
    return words, mentions


def run(
    data: str | Path,
    *,
    vendor: str = "google",
    lists: str = "per-call",
    out: str | Path,
    system: str = "respell",
    min_score: float | None = None,
    split: str = "dev",
    calls: list[str] | None = None,
    score_it: bool = True,
    jobs: int = 1,
    conec: str | Path | None = None,
    docs: bool = False,
    doc_dir: str | Path | None = None,
) -> dict:
    """Correct every call of the split, write OUTDIR/<id>.txt, score; returns a summary.

    respell with ``jobs`` other than 1 corrects the calls on :func:`respell.fix_many`'s
    process pool; ``seconds`` is then the wall time of the whole correction and the
    slowest call is not timed. The other systems always run in this process.
    """
    data, out = Path(data), Path(out)
    ids = calls or split_ids(data, split)
    if not ids:
        raise SystemExit(f"no calls of split {split!r} in {data}")
    if (lists in ("participants", "none") or docs) and conec is None:
        raise SystemExit(f"--lists {lists}{' --docs' if docs else ''} needs --conec DIR")
    if lists == "none" and not docs:
        raise SystemExit("--lists none needs --docs")
    refs = Path(conec) if conec is not None else data  # ConEC runs: its corrected references
    known = None
    if conec is not None and (lists in ("participants", "none") or docs):
        doc_dir = Path(doc_dir) if doc_dir is not None else Path(conec) / "pdfs"
        known = KnownLists(Path(conec), doc_dir, participants=lists == "participants",
                           docs=docs, for_respell=system == "respell")
    out.mkdir(parents=True, exist_ok=True)
    if system == "respell" and resolve_jobs(jobs) != 1:
        summary = _correct_pooled(data, ids, vendor=vendor, lists=lists, out=out,
                                  min_score=min_score, jobs=resolve_jobs(jobs), known=known)
        summary["docs"] = docs
        if score_it:
            summary.update(score(refs, out, ids, vendor=vendor, asr=data))
        return summary
    shared = None
    build = 0.0
    if lists == "distractors":  # one corrector for all calls: its build time counts once
        start = time.perf_counter()
        shared = peers.make(system, distractors(data), min_score=min_score)
        build = time.perf_counter() - start
    seconds: dict[str, float] = {}
    for fid in ids:
        text = vendor_text(data, fid, vendor)
        start = time.perf_counter()
        if shared is None:
            ents = known(fid) if known is not None else call_entities(data, fid)
            _export(out, fid, ents)
            start = time.perf_counter()  # time the correction, not the list export
            fixed = peers.make(system, ents, min_score=min_score)(text)
        else:
            fixed = shared(text)
        seconds[fid] = time.perf_counter() - start
        (out / f"{fid}.txt").write_text(fixed, encoding="utf-8")
    summary = {
        "system": system, "vendor": vendor, "lists": lists, "docs": docs,
        "min_score": min_score, "calls": len(ids), "jobs": 1,
        "seconds": round(build + sum(seconds.values()), 2),
        "max_call_seconds": round(max(seconds.values()), 2),
    }
    if score_it:  # references are read only now, after all correction is done
        summary.update(score(refs, out, ids, vendor=vendor, asr=data))
    return summary


class KnownLists:
    """Each call's list as a user who knows the call would give it: ConEC's participants
    file and/or the entities respell finds in the call's documents.

    For respell the participants file is read by respell itself (``respell fix -e``),
    and the documents as ``--from-doc`` reads them; the peers get the names before
    " - " and the same document entities. Neither sees a reference.
    """

    def __init__(self, conec: Path, doc_dir: Path, *, participants: bool, docs: bool,
                 for_respell: bool):
        self.conec, self.doc_dir = conec, doc_dir
        self.participants, self.docs, self.for_respell = participants, docs, for_respell

    def documents(self, fid: str) -> list[Path]:
        return sorted(p for p in self.doc_dir.glob(f"{fid}_*")
                      if p.suffix.lower() in (".pdf", ".txt", ".md", ".html"))

    def __call__(self, fid: str) -> list[Entity]:
        from respell.lexicon import Lexicon

        ents: list[Entity] = []
        path = self.conec / "participants" / f"{fid}.txt"
        if self.participants:
            if self.for_respell:
                ents.extend(Lexicon.load(path).entities)
            else:
                for line in path.read_text("utf-8").splitlines():
                    name = line.split(" - ", 1)[0].strip()
                    if name:
                        ents.append(Entity(name))
        if self.docs:
            found = self.documents(fid)
            if found:
                ents.extend(document_entities(found))
        return ents


def document_entities(paths: list[Path]) -> list[Entity]:
    """The entities respell takes from documents, as ``respell fix --from-doc`` does (a
    document without text or entities is left out, as the CLI warns and goes on)."""
    from respell.lexicon import Lexicon

    try:
        return list(Lexicon.from_documents(*paths, on_error=lambda *_: None).entities)
    except TypeError:  # a respell whose from_documents has no on_error yet
        return list(Lexicon.from_documents(*paths).entities)


def _export(out: Path, fid: str, ents: list[Entity]) -> None:
    (out / "lists").mkdir(exist_ok=True)
    (out / "lists" / f"{fid}.jsonl").write_text(
        "".join(json.dumps({k: v for k, v in dataclasses.asdict(e).items() if v not in ((), None)
                            and k not in ("count", "context")}) + "\n" for e in ents),
        encoding="utf-8",
    )


def _correct_pooled(data: Path, ids: list[str], *, vendor: str, lists: str, out: Path,
                    min_score: float | None, jobs: int, known: KnownLists | None = None) -> dict:
    """respell over every call on ``jobs`` processes: the same files as one by one."""
    from respell.batch import fix_many

    shared = distractors(data) if lists == "distractors" else None

    def items():
        for fid in ids:
            text = vendor_text(data, fid, vendor)
            if shared is not None:
                yield text
            else:
                ents = known(fid) if known is not None else call_entities(data, fid)
                _export(out, fid, ents)
                yield text, ents

    start = time.perf_counter()
    for fid, result in zip(ids, fix_many(items(), entities=shared, jobs=jobs,
                                         min_score=min_score)):
        (out / f"{fid}.txt").write_text(result.text, encoding="utf-8")
    return {
        "system": "respell", "vendor": vendor, "lists": lists, "min_score": min_score,
        "calls": len(ids), "jobs": jobs, "seconds": round(time.perf_counter() - start, 2),
        "max_call_seconds": None,
    }


def score(data: Path, hyp_dir: Path, ids: list[str], *, vendor: str | None = None,
          asr: Path | None = None) -> dict:
    """WER, NE-WER, per-class WER and mention recall of HYP_DIR/<id>.txt, as e21.py scores.

    References come from DATA/refs and DATA/wer_tags. With ``vendor``, also how many
    word edits from the vendor's text (in ASR/asr/<vendor>, ASR defaulting to DATA)
    were right.
    """
    asr = data if asr is None else asr
    total = None
    right = wrong = 0
    for fid in ids:
        ref, mentions = reference(data, fid)
        hyp = normalize((hyp_dir / f"{fid}.txt").read_text("utf-8"))
        s = score_mentions(ref, hyp, mentions)
        total = s if total is None else total + s
        if vendor:
            src = normalize(vendor_text(asr, fid, vendor))
            if src != hyp:
                edits = edits_between(src, hyp)
                labels = edit_labels(src, ref, edits)
                right += sum(labels)
                wrong += len(labels) - sum(labels)
    out = figures(total)
    if vendor:
        out.update(edits_right=right, edits_wrong=wrong)
    return out


def figures(s: EntityScores) -> dict:
    out = {"WER": s.words.percent, "NE-WER": s.entity_words.percent,
           "mention_recall": round(100 * s.recall, 2)}
    for c in REPORTED:
        if c in s.by_label:
            out[c] = s.by_label[c].percent
    out["ne_tokens"] = s.entity_words.ref_words
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="folder with the earnings21 layout")
    p.add_argument("--vendor", default="google", choices=VENDORS)
    p.add_argument("--lists", default="per-call",
                   choices=["per-call", "distractors", "participants", "none"])
    p.add_argument("--conec", default=None, metavar="DIR",
                   help="ConEC's folder (participants/, pdfs/, refs/, wer_tags/): needed by "
                   "--lists participants|none and --docs; the run is then scored against "
                   "its corrected references")
    p.add_argument("--docs", action="store_true",
                   help="add the entities respell reads from each call's documents "
                   "(CONEC/pdfs/<id>_N.pdf, as --from-doc)")
    p.add_argument("--doc-dir", default=None, metavar="DIR",
                   help="take the documents <id>_N.{pdf,txt,md,html} from DIR instead")
    p.add_argument("--out", required=True, help="write OUTDIR/<id>.txt here")
    p.add_argument("--system", default="respell", choices=sorted(peers.SYSTEMS))
    p.add_argument("--min-score", type=float, default=None, help="decision threshold (0-1)")
    p.add_argument("--split", default="dev", choices=["all", "dev", "eval10"])
    p.add_argument("--calls", default=None, help="comma-separated call ids (a subset)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="processes for respell (default 1; 0: one per core); the time is then "
                   "the wall time of the whole correction. The other systems always run in "
                   "one process")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    a = p.parse_args(argv)
    try:
        resolve_jobs(a.jobs)
    except OptionError as exc:
        p.error(str(exc))
    s = run(a.data, vendor=a.vendor, lists=a.lists, out=a.out, system=a.system,
            min_score=a.min_score, split=a.split, calls=a.calls.split(",") if a.calls else None,
            jobs=a.jobs, conec=a.conec, docs=a.docs, doc_dir=a.doc_dir)
    if a.json:
        print(json.dumps(s))
        return 0
    print(f"system {s['system']}  vendor {s['vendor']}  lists {s['lists']}"
          f"{' + docs' if s['docs'] else ''}  "
          f"min_score {s['min_score']}  calls {s['calls']}")
    if s["max_call_seconds"] is None:
        print(f"time {s['seconds']:.2f} s  (wall, {s['jobs']} processes)")
    else:
        print(f"time {s['seconds']:.2f} s  (slowest call {s['max_call_seconds']:.2f} s)")
    print(f"WER {s['WER']:.2f}  NE-WER {s['NE-WER']:.2f}  mention recall "
          f"{s['mention_recall']:.2f}  ({s['ne_tokens']} entity tokens)")
    print("  ".join(f"{c} {s[c]:.2f}" for c in REPORTED if c in s))
    print(f"edits {s['edits_right']} right, {s['edits_wrong']} wrong")
    return 0


if __name__ == "__main__":
    sys.exit(main())
