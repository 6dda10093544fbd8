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
from collections.abc import Iterable

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


def _code(symbol: str) -> str:
    code = _symbol_to_code.get(symbol)
    if code is None:
        code = chr(0x4E00 + len(_symbol_to_code))  # one char per phoneme
        _symbol_to_code[symbol] = code
        _code_to_symbol[code] = symbol
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
    if lib.espeak_SetVoiceByName(b"en-us") != 0:
        raise MissingDependencyError("espeak-ng has no en-us voice")
    _lib = lib
    return lib


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


def prefetch(texts: Iterable[str]) -> None:
    """Convert the new words of many texts at once: the same phonemes, about twice as fast.

    Words go to espeak-ng in comma-separated batches (a comma ends a clause, so
    no word's sound leaks into the next: no linking r); a batch that does not
    come back one clause per word is left for the word-by-word path.
    """
    done = _word_phonemes.cache
    todo = dict.fromkeys(
        w for text in texts for w in _clean_word(text).lower().split()
        if w not in done and w.isalpha() and w not in _WEAK_FORMS
    )
    words = [w for w in todo if w not in ipa.cache]
    if len(words) < 8:
        return
    for k in range(0, len(words), _BATCH):
        chunk = words[k:k + _BATCH]
        parts = _espeak_clauses(", ".join(chunk))
        if len(parts) == len(chunk):
            for word, part in zip(chunk, parts):
                ipa.put(word, part.strip())


def _clean_word(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).replace("’", "'")
    return re.sub(r"[^\w' ]+", " ", word).strip()


@memo(500_000)
def phonemes(text: str) -> str:
    """Phoneme string of ``text``, one character per phoneme (see :func:`symbols`).

    Words are converted one at a time and cached, so repeated words are free.
    """
    out = []
    for word in _clean_word(text).split():
        out.append(_word_phonemes(word.lower()))
    return "".join(out)


@memo(1_000_000)
def _word_phonemes(word: str) -> str:
    codes = []
    for sym in _MULTI_RE.findall(ipa(word)):
        if sym in _DROP or sym.isspace():
            continue
        codes.append(_code(sym))
    return "".join(codes)


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


@memo(4096)
def _code_class(code: str) -> str:
    return _class_of(_code_to_symbol[code])


@memo(1_000_000)
def reduce(codes: str) -> str:
    """Broad sound classes of a phoneme string (voicing merged, vowels in 5 groups, h dropped)."""
    return "".join(_code_class(c) for c in codes)


@memo(1_000_000)
def consonant_skeleton(codes: str) -> str:
    """The consonant classes of a phoneme string, in order (used as index keys)."""
    return "".join(k for k in (_code_class(c) for c in codes) if k and k not in "IAUEYW")


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


_SUB_ROWS: dict[str, dict[str, float]] = {}  # code -> code -> substitution cost
_INDEL: dict[str, float] = {}


def _sub_row(code: str) -> dict[str, float]:
    row = _SUB_ROWS.get(code)
    if row is None:
        row = _SUB_ROWS[code] = {}
    return row


def phoneme_distance(a: str, b: str) -> float:
    """Weighted edit distance between phoneme strings: similar sounds substitute cheaply."""
    if a == b:
        return 0.0
    indel = _INDEL
    for c in a + b:
        if c not in indel:
            indel[c] = _indel_cost(c)
    ins_b = [indel[c] for c in b]
    prev = [0.0]
    for cost in ins_b:
        prev.append(prev[-1] + cost)
    for ca in a:
        del_a = indel[ca]
        row = _sub_row(ca)
        subs = [row[cb] if cb in row else row.setdefault(cb, _sub_cost(ca, cb)) for cb in b]
        left = prev[0] + del_a
        cur = [left]
        for j, sub in enumerate(subs):
            # min of: delete ca, insert cb, substitute
            left = min(prev[j + 1] + del_a, left + ins_b[j], prev[j] + sub)
            cur.append(left)
        prev = cur
    return prev[-1]


@memo(1_000_000)
def phoneme_similarity(a: str, b: str) -> float:
    """1 - weighted distance / the cost of deleting the longer string; in [0, 1]."""
    if not a and not b:
        return 1.0
    norm = max(sum(_indel_cost(c) for c in a), sum(_indel_cost(c) for c in b))
    return max(0.0, 1.0 - phoneme_distance(a, b) / norm)
