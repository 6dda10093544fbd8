"""Words to phonemes (espeak-ng IPA), cached, and a phoneme edit distance.

Each phoneme is encoded as one character so that rapidfuzz can compare
phoneme strings directly; :func:`reduce` maps them further to broad sound
classes (voicing and vowel quality merged) for fast candidate blocking.

>>> ipa("Soleimani")
'sˌoʊlɪmˈɑːni'
>>> phoneme_similarity(phonemes("Sola money"), phonemes("Soleimani")) > 0.7
True
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from ._memo import memo
from .errors import MissingDependencyError

_lock = threading.Lock()
_lib = None

# Multi-character IPA symbols that are one phoneme; longest first.
_MULTI = ("aɪə", "aʊə", "oʊ", "eɪ", "aɪ", "aʊ", "ɔɪ", "tʃ", "dʒ", "ɑː", "iː", "uː", "ɔː", "ɜː", "əʊ", "eə", "ɪə", "ʊə")
_MULTI_RE = re.compile("|".join(map(re.escape, _MULTI)) + r"|.", re.DOTALL)
_DROP = set("ˈˌ-‿ .,'") | {"ː"}

# Broad classes: (class char, group) per phoneme. Vowels share groups by quality,
# consonants by place/manner with voicing merged.
_CONSONANT_CLASSES = {
    "p": "P", "b": "P",
    "t": "T", "d": "T", "ɾ": "T", "ʔ": "T",
    "k": "K", "ɡ": "K", "g": "K", "x": "K",
    "f": "F", "v": "F",
    "θ": "H", "ð": "H",
    "s": "S", "z": "S",
    "ʃ": "C", "ʒ": "C", "tʃ": "C", "dʒ": "C",
    "m": "M", "n": "N", "ŋ": "N",
    "l": "L", "ɹ": "R", "r": "R",
    "w": "W", "j": "Y", "h": "",
}
_VOWEL_CLASSES = {
    # front/close
    "i": "I", "iː": "I", "ɪ": "I", "ᵻ": "I", "e": "I", "ɪə": "I", "i.": "I",
    # mid/central
    "ə": "A", "ɐ": "A", "ʌ": "A", "ɜː": "A", "ɚ": "A", "ɛ": "A", "æ": "A", "a": "A", "eə": "A", "ɜ": "A",
    # back/round
    "u": "U", "uː": "U", "ʊ": "U", "o": "U", "oʊ": "U", "ɔ": "U", "ɔː": "U", "ɑ": "U", "ɑː": "U",
    "ɒ": "U", "əʊ": "U", "ʊə": "U",
    # diphthongs
    "eɪ": "E", "aɪ": "Y", "aɪə": "Y", "aʊ": "W", "aʊə": "W", "ɔɪ": "U",
}
_WEAK = {"ə", "ɐ", "ᵻ", "ɪ", "h", "ʔ"}  # cheap to insert or delete

_symbol_to_code: dict[str, str] = {}
_code_to_symbol: dict[str, str] = {}


# str.translate tables from phoneme codes to broad classes and to consonant classes.
_TO_CLASS: dict[int, str] = {}
_TO_CONSONANT: dict[int, str] = {}


_FIRST_CODE = 0x4E00


def _code(symbol: str) -> str:
    code = _symbol_to_code.get(symbol)
    if code is None:
        code = chr(_FIRST_CODE + len(_symbol_to_code))  # one char per phoneme
        _symbol_to_code[symbol] = code
        _code_to_symbol[code] = symbol
        klass = _class_of(symbol)
        _TO_CLASS[ord(code)] = klass
        _TO_CONSONANT[ord(code)] = "" if klass in ("I", "A", "U", "E", "Y", "W") else klass
    return code


def _load():
    global _lib
    if _lib is not None:
        return _lib
    try:
        import espeakng_loader
    except ImportError:  # pragma: no cover - it is a hard dependency
        raise MissingDependencyError(
            "espeak-ng is needed for phonetic matching: pip install espeakng-loader"
        ) from None
    lib = ctypes.cdll.LoadLibrary(espeakng_loader.get_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [
        ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int,
    ]
    # AUDIO_OUTPUT_SYNCHRONOUS = 2: no audio device is opened.
    if lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0) <= 0:
        raise MissingDependencyError("espeak-ng failed to initialise (espeakng-loader data missing?)")
    if lib.espeak_SetVoiceByName(VOICE.encode()) != 0:
        raise MissingDependencyError(f"espeak-ng has no {VOICE} voice")
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    _lib = lib
    return lib


VOICE = "en-us"


def espeak_version() -> str:
    """The version of the espeak-ng library in use ("1.52.0")."""
    return _load().espeak_Info(None).decode("ascii", "replace")


# Pronunciations of wordfreq's common English words, made ahead of time by the same
# espeak-ng (tools/make_phoneme_table.py): a look-up there costs a tenth of a conversion.
TABLE_FILE = "phonemes-en-us.txt.gz"
# Loading it costs about 0.25 s, the time of converting 5,000 words: worth it once this
# many new words have come in one process (a long list, or many lists).
_TABLE_AFTER = 10_000
_table: dict[str, str] | None = None
_converted = 0  # new words converted in this process so far


def _common_ipa() -> dict[str, str]:
    """word -> IPA from the shipped table; empty if it is missing or was made by another
    espeak-ng version or voice (its pronunciations could differ from this one's)."""
    global _table
    if _table is None:
        import gzip
        import json
        import logging
        from importlib import resources

        try:
            raw = (resources.files("respell") / "data" / TABLE_FILE).read_bytes()
            first, _, rest = gzip.decompress(raw).decode("utf-8").partition("\n")
            header = json.loads(first)
            lines = rest.split("\n")
            n = header["words"]
            table = dict(zip(lines[:n], lines[n:2 * n]))
        except (OSError, ValueError, KeyError):
            logging.getLogger(__name__).warning("phoneme table unreadable; converting every word")
            header, table = {}, {}
        if header.get("espeak") != espeak_version() or header.get("voice") != VOICE:
            table = {}
        _table = table
    return _table


# Function words spoken in their weak form inside phrases (espeak gives citation forms).
_WEAK_FORMS = {"a": "ə", "the": "ðə", "of": "əv", "to": "tə", "and": "ənd", "for": "fɚ", "an": "ən"}


@memo(500_000)
def ipa(word: str) -> str:
    """espeak-ng's IPA for a word or phrase (US English), stress marks included."""
    key = word.lower()
    if key in _WEAK_FORMS:
        return _WEAK_FORMS[key]
    return " ".join(p.strip() for p in _espeak_clauses(word) if p.strip())


def _espeak_clauses(text: str) -> list[str]:
    """espeak-ng's IPA for ``text``, one string per clause."""
    lib = _load()
    with _lock:
        buf = ctypes.c_char_p(text.encode("utf-8"))
        ptr = ctypes.pointer(buf)
        parts = []
        while ptr.contents.value:
            out = lib.espeak_TextToPhonemes(ptr, 1, 0x02)  # UTF-8 text, IPA output
            if out:
                parts.append(out.decode("utf-8", "replace"))
    return parts


_BATCH = 64


def word_phonemes(words: list[str]) -> list[str]:
    """:func:`phonemes` of many lower-case words at once: the same strings, faster (measured
    here: about 30 us a new word against 50 one by one).

    New words go to espeak-ng in comma-separated batches (a comma ends a clause,
    so no word's sound leaks into the next: no linking r); a batch that does not
    come back one clause per word is done word by word.
    """
    global _converted
    cache = _word_phonemes.cache
    out = list(map(cache.get, words))
    if None not in out:
        return out
    new = list(dict.fromkeys(
        w for w, c in zip(words, out) if c is None and w.isalpha() and w not in _WEAK_FORMS
    ))
    _converted += len(new)
    if _converted >= _TABLE_AFTER and (table := _common_ipa()):
        known = [w for w in new if w in table]
        if known:
            put = _word_phonemes.put
            for w in known:
                put(w, _codes_of(table[w]))
            new = [w for w in new if w not in cache]
    chunks = [new[k:k + _BATCH] for k in range(0, len(new), _BATCH)]
    converted = [_espeak_clauses(", ".join(c)) if len(c) > 1 else [] for c in chunks]
    for chunk, parts in zip(chunks, converted):
        if len(parts) == len(chunk):
            for word, part in zip(chunk, parts):
                _word_phonemes.put(word, _codes_of(part.strip()))
    return [c if c is not None else _word_phonemes(w) for w, c in zip(words, map(cache.get, words))]


def is_plain_word(text: str) -> bool:
    """One word of letters that :func:`phonemes` would take as it is (no cleaning needed)."""
    return text.isalpha() and (text.isascii() or unicodedata.is_normalized("NFKC", text))


def clean_text(word: str) -> str:
    """The text :func:`phonemes` converts: compatibility forms folded, punctuation to spaces."""
    word = unicodedata.normalize("NFKC", word).replace("’", "'")
    return re.sub(r"[^\w' ]+", " ", word).strip()


@memo(500_000)
def phonemes(text: str) -> str:
    """Phoneme string of ``text``, one character per phoneme (see :func:`symbols`).

    Words are converted one at a time and cached, so repeated words are free.
    """
    if not text.isalpha():  # one plain word needs no cleaning
        text = clean_text(text)
    return "".join(_word_phonemes.each(text.lower().split()))


@memo(1_000_000)
def _word_phonemes(word: str) -> str:
    if _table and word in _table:  # only once the table is loaded
        return _codes_of(_table[word])
    return _codes_of(ipa(word))


# espeak-ng leaves the r of an r-coloured vowel implicit ("for" fɚ, "bird" bˈɜːd) but
# writes it out elsewhere ("Bora" bˈɔːɹə); made explicit, the two compare alike.
_R_COLOURED = re.compile("ɚɹ?|ɜː(?!ɹ)")


def _explicit_r(match: re.Match) -> str:
    return "ɜːɹ" if match.group().startswith("ɜ") else "əɹ"


def _codes_of(ipa_text: str) -> str:
    ipa_text = _R_COLOURED.sub(_explicit_r, ipa_text)
    code = _symbol_to_code.get
    return "".join([
        code(sym) or _code(sym) for sym in _MULTI_RE.findall(ipa_text)
        if sym not in _DROP and not sym.isspace()
    ])


def symbols(codes: str) -> list[str]:
    """The IPA symbols behind a phoneme string (for reports and debugging)."""
    return [_code_to_symbol[c] for c in codes]


def _class_of(symbol: str) -> str:
    if symbol in _CONSONANT_CLASSES:
        return _CONSONANT_CLASSES[symbol]
    if symbol in _VOWEL_CLASSES:
        return _VOWEL_CLASSES[symbol]
    base = symbol[:1]
    if base in "aeiouɑɔəɛɪʊʌæɐɜɚᵻɒ":
        return "A"
    return symbol.upper()[:1] or "?"


def _code_class(code: str) -> str:
    return _TO_CLASS[ord(code)]


def reduce(codes: str) -> str:
    """Broad sound classes of a phoneme string (voicing merged, vowels in 5 groups, h dropped)."""
    return codes.translate(_TO_CLASS)


def consonant_skeleton(codes: str) -> str:
    """The consonant classes of a phoneme string, in order (used as index keys)."""
    return codes.translate(_TO_CONSONANT)


def _is_vowel(code: str) -> bool:
    return _code_class(code) in ("I", "A", "U", "E", "Y") and _code_to_symbol[code] not in ("w", "j")


@memo(200_000)
def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    va, vb = _is_vowel(a), _is_vowel(b)
    ca, cb = _code_class(a), _code_class(b)
    if va and vb:
        return 0.25 if ca == cb else 0.5
    if va != vb:
        return 1.0
    if ca == cb:
        return 0.3  # voicing or flap
    near = {frozenset("TK"), frozenset("PT"), frozenset("MN"), frozenset("LR"), frozenset("SC"),
            frozenset("FH"), frozenset("SH"), frozenset("TC"), frozenset("RW"), frozenset("FP")}
    return 0.6 if frozenset((ca, cb)) in near else 1.0


@memo(20_000)
def _indel_cost(a: str) -> float:
    sym = _code_to_symbol[a]
    if sym in _WEAK:
        return 0.4
    return 0.7 if _is_vowel(a) else 1.0


class _SubRow(dict):
    """code -> substitution cost from one phoneme, filled on first use."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        super().__init__()
        self.code = code

    def __missing__(self, other: str) -> float:
        cost = self[other] = _sub_cost(self.code, other)
        return cost


_SUB_ROWS: dict[str, _SubRow] = {}  # code -> its row


def _sub_row(code: str) -> _SubRow:
    row = _SUB_ROWS.get(code)
    if row is None:
        row = _SUB_ROWS[code] = _SubRow(code)
    return row


def phoneme_distance(a: str, b: str) -> float:
    """Weighted edit distance between phoneme strings: similar sounds substitute cheaply."""
    if a == b:
        return 0.0
    indel = _indel_cost.cache  # the memo's own dict
    try:
        ins_b = list(map(indel.__getitem__, b))
        del_a = list(map(indel.__getitem__, a))
    except KeyError:  # a phoneme not costed yet
        ins_b = list(map(_indel_cost, b))
        del_a = list(map(_indel_cost, a))
    prev = [0.0]
    for cost in ins_b:
        prev.append(prev[-1] + cost)
    rows = _SUB_ROWS
    for ca, del_ca in zip(a, del_a):
        row = rows.get(ca)
        if row is None:
            row = _sub_row(ca)
        left = prev[0] + del_ca
        cur = [left]
        # min of: delete ca, insert cb, substitute (compared by hand: min() costs a call)
        for diag, up, ins, cb in zip(prev, prev[1:], ins_b, b):
            best = up + del_ca
            other = left + ins
            if other < best:  # noqa: PLR1730 - min() costs a call per cell
                best = other
            other = diag + row[cb]
            if other < best:  # noqa: PLR1730 - min() costs a call per cell
                best = other
            cur.append(best)
            left = best
        prev = cur
    return prev[-1]


_MIN_BATCH = 64  # pairs of one shape; fewer are cheaper one by one


def warm_similarities(pairs: Iterable[tuple[str, str]]) -> None:
    """Compute :func:`phoneme_similarity` for many pairs at once and cache the results.

    The same dynamic programme, run with numpy over all pairs of similar lengths
    together (the same operations in the same order, so the same floats): for a
    long transcript against a big list this is most of the phonetic work.
    """
    cache = phoneme_similarity.cache
    todo = [p for p in dict.fromkeys(pairs) if p not in cache and p[0] and p[1] and p[0] != p[1]]
    if _phonedist is not None:  # one pair at a time in C is faster than numpy's batches
        put = phoneme_similarity.put
        for a, b in todo:
            put((a, b), _c_similarity(a, b))
        return
    if len(todo) < _MIN_BATCH:
        return
    groups: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for a, b in todo:
        groups.setdefault(((len(a) + 3) // 4, (len(b) + 3) // 4), []).append((a, b))
    for group in groups.values():
        if len(group) >= _MIN_BATCH:
            for pair, sim in zip(group, _similarities(group)):
                phoneme_similarity.put(pair, sim)


def _code_table(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Phoneme strings as a padded table of code numbers (0 past each end), and their lengths."""
    lengths = np.fromiter(map(len, strings), np.int64, len(strings))
    codes = np.frombuffer("".join(strings).encode("utf-32-le"), np.uint32).astype(np.int64)
    table = np.zeros((len(strings), int(lengths.max())), np.int64)
    rows = np.repeat(np.arange(len(strings)), lengths)
    table[rows, np.arange(len(codes)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = (
        codes - _FIRST_CODE
    )
    return table, lengths


_COST_ARRAYS: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros((0, 0)))


def _cost_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_indel_cost` and :func:`_sub_cost` of the first ``n`` codes, as numpy arrays."""
    global _COST_ARRAYS
    indel, sub = _COST_ARRAYS
    if len(indel) < n:
        codes = [chr(_FIRST_CODE + k) for k in range(n)]
        indel = np.array([_indel_cost(c) for c in codes])
        sub = np.array([[_sub_cost(a, b) for b in codes] for a in codes])
        _COST_ARRAYS = indel, sub
    return indel, sub


def _similarities(pairs: list[tuple[str, str]]) -> list[float]:
    """phoneme_similarity of each pair (non-empty strings), vectorised over the pairs."""
    firsts, seconds = zip(*pairs)
    a_ids, len_a = _code_table(firsts)
    b_ids, len_b = _code_table(seconds)
    indel, sub = _cost_arrays(int(max(a_ids.max(), b_ids.max())) + 1)
    n = len(pairs)
    ins_b, del_a = indel[b_ids], indel[a_ids]
    # row 0 of the table, then one row per phoneme of a (as phoneme_distance does)
    prev = np.zeros((n, b_ids.shape[1] + 1))
    for j in range(b_ids.shape[1]):
        prev[:, j + 1] = prev[:, j] + ins_b[:, j]
    dist = np.zeros(n)
    for i in range(a_ids.shape[1]):
        sub_i = sub[a_ids[:, i][:, None], b_ids]
        cur = np.empty_like(prev)
        left = cur[:, 0] = prev[:, 0] + del_a[:, i]
        for j in range(b_ids.shape[1]):
            left = np.minimum(
                np.minimum(prev[:, j + 1] + del_a[:, i], left + ins_b[:, j]), prev[:, j] + sub_i[:, j]
            )
            cur[:, j + 1] = left
        prev = cur
        done = np.nonzero(len_a == i + 1)[0]
        dist[done] = prev[done, len_b[done]]
    # the normaliser, summed left to right like sum() does
    norm_a, norm_b = np.zeros(n), np.zeros(n)
    for i in range(a_ids.shape[1]):
        norm_a = np.where(i < len_a, norm_a + del_a[:, i], norm_a)
    for j in range(b_ids.shape[1]):
        norm_b = np.where(j < len_b, norm_b + ins_b[:, j], norm_b)
    return np.maximum(0.0, 1.0 - dist / np.maximum(norm_a, norm_b)).tolist()


try:  # the same distance in C, built when the package is installed with a compiler
    from . import _phonedist
except ImportError:  # pragma: no cover - depends on the build
    _phonedist = None


def _c_similarity(a: str, b: str) -> float | None:
    """phoneme_similarity in C; None when the C version is not built."""
    if _phonedist is None:
        return None
    sim = _phonedist.similarity(a, b)
    if sim is None:  # a phoneme it has no costs for yet
        count = len(_symbol_to_code)
        indel, sub = _cost_arrays(count)
        _phonedist.set_costs(indel[:count].tobytes(), sub[:count, :count].tobytes(), count,
                             _FIRST_CODE)
        sim = _phonedist.similarity(a, b)
    return sim


@memo(1_000_000)
def phoneme_similarity(a: str, b: str) -> float:
    """1 - weighted distance / the cost of deleting the longer string; in [0, 1]."""
    sim = _c_similarity(a, b)
    if sim is not None:
        return sim
    return _py_similarity(a, b)


def _py_similarity(a: str, b: str) -> float:
    """:func:`phoneme_similarity` in Python (what the C version must give)."""
    if not a and not b:
        return 1.0
    indel = _indel_cost.cache  # the memo's own dict: no call per phoneme
    try:
        norm = max(sum(map(indel.__getitem__, a)), sum(map(indel.__getitem__, b)))
    except KeyError:  # a phoneme not costed yet
        norm = max(sum(map(_indel_cost, a)), sum(map(_indel_cost, b)))
    return max(0.0, 1.0 - phoneme_distance(a, b) / norm)
