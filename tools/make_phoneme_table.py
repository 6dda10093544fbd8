#!/usr/bin/env python3
"""Make src/respell/data/phonemes-en-us.txt.gz: espeak-ng's IPA for common English words.

    python tools/make_phoneme_table.py [--out src/respell/data/phonemes-en-us.txt.gz]

The words are the lower-case ASCII words of wordfreq's English list (about
289,000); each is converted by the espeak-ng that respell runs, exactly as
``respell.phonetics.word_phonemes`` converts a new word, and the file records
that espeak-ng's version: respell uses the table only with the same version.
Looking a word up there costs about a tenth of converting it, which is most of
the time spent on long lists of ordinary words (LibriSpeech's biasing lists).

Every word is converted twice, in batches of different neighbours; the few whose
conversion depends on them (2 of 289,000 with espeak-ng 1.52: "its" after some
words reads "sˈɪts") are converted alone instead.

wordfreq's word list is CC-BY-SA 4.0 (see its README); the pronunciations come
from espeak-ng's GPL-3.0 dictionaries, like every phoneme respell computes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

from respell import phonetics
from respell.words import zipf_table

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/respell/data" / phonetics.TABLE_FILE


def words() -> list[str]:
    """wordfreq's lower-case ASCII English words, most common first."""
    table = zipf_table()
    return [w for w in sorted(table, key=lambda w: (-table[w], w))
            if w.isascii() and w.isalpha() and w == w.lower() and w not in phonetics.WEAK_FORMS]


def convert(batch: list[str]) -> dict[str, str]:
    """IPA of each word, as word_phonemes converts new words (comma-separated batches)."""
    out = {}
    for k in range(0, len(batch), phonetics.BATCH):
        chunk = batch[k:k + phonetics.BATCH]
        parts = phonetics.espeak_batch(chunk)
        if parts is None:  # as word_phonemes does: one by one
            parts = [phonetics.ipa.__wrapped__(w) for w in chunk]
        out.update(zip(chunk, parts))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    start = time.perf_counter()
    todo = words()
    ipa = convert(todo)
    again = list(todo)
    random.Random(0).shuffle(again)
    other = convert(again)
    differ = [w for w in todo if other[w] != ipa[w]]
    ipa.update((w, phonetics.ipa.__wrapped__(w)) for w in differ)
    print(f"{len(ipa)} words in {time.perf_counter() - start:.1f} s; converted alone: {differ}",
          file=sys.stderr)
    kept = [w for w in todo if ipa[w]]
    header = {"espeak": phonetics.espeak_version(), "voice": phonetics.VOICE, "words": len(kept)}
    body = "\n".join([json.dumps(header), *kept, *(ipa[w] for w in kept)]) + "\n"
    args.out.write_bytes(gzip.compress(body.encode("utf-8"), 9, mtime=0))
    print(f"wrote {args.out}: {args.out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
