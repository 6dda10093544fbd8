"""Words of a transcript: tokens with offsets, how common a word is, its letters.

The first floor of matching: :mod:`respell.match` cuts spans out of these
tokens, :mod:`respell.index` describes the lexicon's names with the same
frequencies and letters, and :mod:`respell.correct` compares spellings by
their letters.

>>> [t.text for t in tokenize("Sola money's car, in Beirut.")]
['Sola', "money's", 'car', 'in', 'Beirut']
>>> letters("Tora-Bora's"), stem("Bick's")
('toraboras', 'Bick')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

from ._memo import memo

WORD = re.compile(r"\w+(?:['’]\w+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
#: A word at least this common (Zipf) is a function word or as good as one ("of", "the",
#: "you", "please").
FUNCTION_ZIPF = 5.5
#: A possessive 's at a word's (or a name's) end, as written: "Navalny's", "Kelce’s".
POSSESSIVE = re.compile(r"['’]s$")

#: An ordinary word: once in a million words or more often (Zipf 3).
COMMON_ZIPF = 3.0

#: What recognizers write for a speaker's hesitation. Never part of a name's sound: in
#: ConEC's calls every edit that took one in was wrong ("vj um" -> Vijay Kumar, "um at" ->
#: Matt). Not "er" and "ah", which recognizers also write for syllables ("next er" is
#: NextEra).
FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "erm", "hm", "hmm", "mm", "mhm"})


@dataclass(frozen=True)
class Token:
    """A word of a transcript and its character offsets: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Word tokens with their character offsets.

    >>> [t.text for t in tokenize("Sola money's car, in Beirut.")]
    ['Sola', "money's", 'car', 'in', 'Beirut']
    """
    return [Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def stem(word: str) -> str:
    """A word without a possessive 's: "Bick's" -> "Bick"."""
    return _POSSESSIVE.sub("", word)


def spaced(text: str, tokens: Sequence[Token], k: int) -> bool:
    """Whether only whitespace stands between token ``k - 1`` and token ``k`` of ``text``
    (no mark: "you crane" is, "you. Crane" is not)."""
    return not text[tokens[k - 1].end:tokens[k].start].strip()


def hyphened(text: str, tokens: Sequence[Token], k: int) -> bool:
    """Whether token ``k`` is joined to token ``k - 1`` by a hyphen alone, as the pieces
    of one hyphenated word are ("anti-vaccine")."""
    return text[tokens[k - 1].end:tokens[k].start] == "-"


def sentence_start(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Whether token ``i`` opens a sentence (its capital letter then says nothing)."""
    before = text[tokens[i - 1].end:tokens[i].start] if i else ""
    return i == 0 or any(ch in ".?!:\n" for ch in before)


def letters(text: str) -> str:
    """The lower-case letters and digits of ``text``, in order.

    >>> letters("Procter & Gamble"), letters("covid-19")
    ('proctergamble', 'covid19')
    """
    low = text.lower()
    if low.isalnum():  # most words: nothing to drop
        return low
    return "".join(ch for ch in low if ch.isalnum())


# -- word frequencies ------------------------------------------------------------------------

# wordfreq's English list, read once per process (see zipf_table and respell.state).
_ZIPF: dict[str, float] | None = None
_DIGIT = re.compile(r"\d")
_PARTS = re.compile(r"[^\W_]+")  # the letter and digit runs of a token


def zipf_table() -> dict[str, float]:
    """Word -> Zipf frequency for wordfreq's English list, read once.

    Read from wordfreq's data file directly (a gzipped msgpack list of
    centibel buckets, as its ``read_cBpack`` documents) because importing
    wordfreq and building its frequency dict takes three times as long; any
    surprise there falls back to wordfreq's own API.
    """
    global _ZIPF
    if _ZIPF is None:
        try:
            import gzip
            from importlib.util import find_spec
            from pathlib import Path

            import msgpack

            (folder,) = find_spec("wordfreq").submodule_search_locations  # without importing it
            packed = gzip.decompress((Path(folder) / "data" / "large_en.msgpack.gz").read_bytes())
            header, *buckets = msgpack.unpackb(packed, raw=False)
            if header.get("format") != "cB" or header.get("version") != 1:
                raise ValueError("unknown wordfreq data format")
        except Exception:  # noqa: BLE001 - any trouble: the slower, supported path
            from wordfreq import get_frequency_list

            buckets = get_frequency_list("en", wordlist="best")
        table: dict[str, float] = {}
        for cb, bucket in enumerate(buckets):  # bucket k: frequency 10 ** (-k / 100)
            if bucket:
                table.update(zip(bucket, repeat(round(9 - cb / 100, 2))))
        _ZIPF = table
    return _ZIPF


@memo(1_000_000)
def zipf(word: str) -> float:
    """Zipf frequency of a word in wordfreq's English list (0 for unknown words, about 7 for
    'the'), without importing wordfreq.

    A word the list lacks as written is looked up case-folded, then by its shape with
    digits as 0 (the list keeps most numbers only so: "2021" -> "0000", the frequency of
    four-digit numbers); a word of several parts ("co-op", "covid-19") is as common as
    its rarest part.

    >>> zipf("the") > 7 > zipf("2021") > zipf("covid-19") > zipf("trefzger") == 0
    True
    """
    table = zipf_table()
    folded = word.casefold()
    shape = _DIGIT.sub("0", folded)
    for form in (word, folded, shape):
        found = table.get(form)
        if found is not None:
            return found
    parts = _PARTS.findall(shape)
    if parts and parts != [shape]:
        return min(map(zipf, parts))
    return 0.0


def rarest_zipf(text: str, default: float = 0.0) -> float:
    """The Zipf frequency of the rarest word of ``text`` (``default`` when it has none).

    >>> rarest_zipf("the trefzger said"), rarest_zipf("", default=3.5)
    (0.0, 3.5)
    """
    return min((zipf(w.lower()) for w in WORD.findall(text)), default=default)
