#!/usr/bin/env python3
"""What each source of entities adds, on ConEC's PDFs of the 33 Earnings-21 calls.

    python benchmarks/conec_entities.py [--conec ../shared/bench/conec] [--calls ID,...]
        [--show ID] [--json FILE]

For each call, respell reads the call's PDFs (slides, press release) itself, as
``respell fix --from-doc`` does, and builds its entity list four ways:

* ``NER``: spaCy's recognizer only, nothing dropped (respell 0.1.0's list);
* ``NER + mined``: plus the names mined by their form (tickers, CamelCase, capitalised
  terms inside sentences: ``respell.names.mine_names``);
* ``NER, junk dropped``: the recognizer's names less its junk (``junk_reason``);
* ``NER + mined, junk dropped``: both, respell's default.

Each list is scored against the call's ConEC reference (refs/ and wer_tags/: the words
of the named-entity mentions, classes PERSON ORG PRODUCT GPE NORP LOC FAC EVENT
WORK_OF_ART LAW LANGUAGE, as benchmarks/earnings21.py counts them). The reference only
scores; nothing of it reaches respell.

* ``entries``: list size, summed over the calls;
* ``NE recall``: of the reference's named-entity word occurrences, the share whose word
  (lower case, punctuation removed) is a word of some entry; ``PERSON`` ``ORG``
  ``PRODUCT``: the same per class; ``distinct``: the same over distinct words;
* ``absent``: the share of entries never said in the call (their words, in order, are
  nowhere in the reference transcript);
* ``non-NE``: the share of entries said only outside named-entity mentions (such as
  "EBITDA", "Adjusted Results": a case-only change waiting to happen);
* ``NE entries``: how many entries are said as (part of) a named-entity mention: the
  entries that can repair something.

The participants' names (the part before " - ", as the issue's ``-e participants``) and
ConEC's own wordlists are scored the same way for scale. ``--show ID`` prints one call's
lists with what each entry is.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CONEC = HERE.parent.parent / "shared" / "bench" / "conec"

#: classes of Earnings-21 that count as named entities (as benchmarks/earnings21.py)
NAMED = ("PERSON", "ORG", "PRODUCT", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW",
         "LANGUAGE")
REPORTED = ("PERSON", "ORG", "PRODUCT")
VARIANTS = {
    "NER": {"patterns": False, "clean": False},
    "NER + mined": {"patterns": True, "clean": False},
    "NER, junk dropped": {"patterns": False, "clean": True},
    "NER + mined, junk dropped": {"patterns": True, "clean": True},
}


def norm(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())
    return re.sub(r"[\W_]", "", word)


def reference(conec: Path, call: str) -> tuple[list[str], list[str | None]]:
    """The call's reference words (normalised) and each word's named class, if any."""
    tags = json.loads((conec / "wer_tags" / f"{call}.wer_tag.json").read_text("utf-8"))
    lines = (conec / "refs" / f"{call}.nlp").read_text("utf-8").splitlines()
    head = lines[0].split("|")
    words, classes = [], []
    for line in lines[1:]:
        row = dict(zip(head, line.split("|")))
        ids = json.loads(row.get("wer_tags", "[]").replace("'", '"') or "[]")
        named = [tags.get(i, {}).get("entity_type") for i in ids]
        named = [c for c in named if c in NAMED]
        for part in row["token"].split():
            if norm(part):
                words.append(norm(part))
                classes.append(named[0] if named else None)
    return words, classes


class CachedNLP:
    """The recognizer, remembering each chunk's entities: one run serves every variant."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.cache: dict[str, object] = {}

    def pipe(self, texts, batch_size=8):
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for text, doc in zip(todo, self.nlp.pipe(todo, batch_size=batch_size)):
            ents = [type("Span", (), {"text": e.text, "label_": e.label_})() for e in doc.ents]
            self.cache[text] = type("Doc", (), {"ents": ents})()
        return (self.cache[t] for t in texts)


def score(entries: list[str], words: list[str], classes: list[str | None]) -> dict:
    vocab = {norm(w) for e in entries for w in e.split()} - {""}
    named = [(w, c) for w, c in zip(words, classes) if c]
    out = {"entries": len(entries)}
    out["hit"] = sum(w in vocab for w, _ in named)
    out["named"] = len(named)
    for cls in REPORTED:
        out[f"{cls} hit"] = sum(w in vocab for w, c in named if c == cls)
        out[f"{cls} n"] = sum(1 for _, c in named if c == cls)
    distinct = {w for w, _ in named}
    out["distinct hit"] = len(distinct & vocab)
    out["distinct n"] = len(distinct)
    said = " " + " ".join(words) + " "
    mentions = set()  # runs of named words
    run: list[str] = []
    for w, c in [*zip(words, classes), ("", None)]:
        if c:
            run.append(w)
        elif run:
            mentions.add(f" {' '.join(run)} ")
            run = []
    absent = non_ne = 0
    for e in entries:
        key = " ".join(norm(w) for w in e.split() if norm(w))
        if not key or f" {key} " not in said:
            absent += 1
        elif not any(f" {key} " in m for m in mentions):
            non_ne += 1
    out["absent"] = absent
    out["non-NE"] = non_ne
    return out


def participants(conec: Path, call: str) -> list[str]:
    path = conec / "participants" / f"{call}.txt"
    if not path.exists():
        return []
    return [ln.split(" - ")[0].strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def wordlist(conec: Path, call: str) -> list[str]:
    path = conec / "wordlists" / f"{call}.txt"
    if not path.exists():
        return []
    return [ln.split()[0] for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def run(conec: Path, calls: list[str] | None = None, show: str | None = None) -> dict:
    from respell.errors import InputError
    from respell.extract import extract_entities, load_model

    ids = sorted(p.name.split(".")[0] for p in (conec / "refs").glob("*.nlp"))
    ids = [i for i in ids if not calls or i in calls]
    nlp = CachedNLP(load_model())
    totals: dict[str, Counter] = {}
    with_pdfs = 0
    skipped = []
    start = time.perf_counter()
    for call in ids:
        words, classes = reference(conec, call)
        pdfs = sorted((conec / "pdfs").glob(f"{call}_*.pdf"))
        lists = {"participants": participants(conec, call),
                 "ConEC wordlist": wordlist(conec, call)}
        if pdfs:
            with_pdfs += 1
        for name, options in VARIANTS.items():
            entities = []
            if pdfs:
                try:
                    entities = extract_entities(
                        pdfs, nlp=nlp, on_error=lambda p, e: skipped.append((p, str(e))),
                        **options)
                except InputError:
                    entities = []  # none readable (the scan alone)
            lists[name] = [e.text for e in entities]
            if show == call:
                print(f"\n## {name} ({len(entities)})")
                said = " " + " ".join(words) + " "
                for e in entities:
                    key = " ".join(norm(w) for w in e.text.split() if norm(w))
                    mark = "said" if f" {key} " in said else "ABSENT"
                    print(f"  {e.text!r:45} {e.label or '-':8} x{e.count:<3} {mark:6} "
                          f"{','.join(s.split(':')[0] for s in e.sources)}")
        for name, entries in lists.items():
            totals.setdefault(name, Counter()).update(score(entries, words, classes))
    seconds = time.perf_counter() - start
    return {"totals": totals, "calls": len(ids), "with_pdfs": with_pdfs,
            "skipped": sorted(set(skipped)), "seconds": seconds}


def table(totals: dict[str, Counter]) -> str:
    def pct(a, b):
        return f"{100 * a / b:.1f}" if b else "-"

    cols = ["entries", "NE recall", *REPORTED, "distinct", "absent", "non-NE", "NE entries"]
    out = ["| list | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, t in totals.items():
        cells = [str(t["entries"]), pct(t["hit"], t["named"]),
                 *[pct(t[f"{c} hit"], t[f"{c} n"]) for c in REPORTED],
                 pct(t["distinct hit"], t["distinct n"]),
                 pct(t["absent"], t["entries"]), pct(t["non-NE"], t["entries"]),
                 str(t["entries"] - t["absent"] - t["non-NE"])]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--conec", type=Path, default=DEFAULT_CONEC, help="the conec/ folder")
    ap.add_argument("--calls", help="comma-separated call ids (default: every call with a reference)")
    ap.add_argument("--show", metavar="ID", help="print this call's lists, entry by entry")
    ap.add_argument("--json", type=Path, help="also write the totals here")
    args = ap.parse_args(argv)
    if not (args.conec / "refs").is_dir():
        print(f"no refs/ in {args.conec}: pass --conec DIR", file=sys.stderr)
        return 2
    result = run(args.conec, args.calls.split(",") if args.calls else None, args.show)
    print(f"{result['calls']} calls, {result['with_pdfs']} with PDFs; "
          f"{result['seconds']:.0f} s (reading and NER, under load)")
    for path, why in result["skipped"]:
        print(f"skipped {Path(path).name}: {why}")
    print(table(result["totals"]))
    if args.json:
        args.json.write_text(json.dumps({k: dict(v) for k, v in result["totals"].items()},
                                        indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
