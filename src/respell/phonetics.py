"""Words to phonemes: espeak-ng's IPA (US English), as phoneme strings, cached.

A phoneme string holds one character per phoneme (:mod:`respell.phoneset`), so
that rapidfuzz and the phoneme edit distance (:mod:`respell.similarity`) compare
phonemes directly. The alphabet's classes and the distance are importable from
here too, the one module the matcher needs for sounds.

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
from collections.abc import Sequence

from ._memo import memo
from .errors import MissingDependencyError
from .phoneset import codes_of, consonant_skeleton, reduce, symbols
from .similarity import phoneme_distance, phoneme_similarity, warm_similarities

__all__ = [
    "BATCH", "TABLE_FILE", "VOICE", "WEAK_FORMS", "clean_text", "consonant_skeleton",
    "espeak_batch", "espeak_version", "ipa", "is_plain_word", "phoneme_distance",
    "phoneme_similarity", "phonemes", "reduce", "symbols", "warm_similarities", "word_phonemes",
]

# process-wide (see respell.state): espeak-ng, loaded once, not thread-safe
_lock = threading.Lock()
_lib = None

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
# process-wide (see respell.state)
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


#: Function words spoken in their weak form inside phrases (espeak gives citation forms).
WEAK_FORMS = {"a": "ə", "the": "ðə", "of": "əv", "to": "tə", "and": "ənd", "for": "fɚ", "an": "ən"}


@memo(500_000)
def ipa(word: str) -> str:
    """espeak-ng's IPA for a word or phrase (US English), stress marks included."""
    key = word.lower()
    if key in WEAK_FORMS:
        return WEAK_FORMS[key]
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


#: Words converted in one call to espeak-ng by :func:`word_phonemes`.
BATCH = 64


def espeak_batch(words: Sequence[str]) -> list[str] | None:
    """espeak-ng's IPA of each of a few words, converted in one call; None when they do not
    come back one clause each.

    The words are sent as comma-separated clauses: a comma ends a clause, so no
    word's sound leaks into the next (no linking r, as in "happier asia").

    >>> espeak_batch(["beirut", "soleimani"]) == [ipa("beirut"), ipa("soleimani")]
    True
    """
    parts = _espeak_clauses(", ".join(words))
    if len(parts) != len(words):
        return None
    return [part.strip() for part in parts]


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
        w for w, c in zip(words, out) if c is None and w.isalpha() and w not in WEAK_FORMS
    ))
    _converted += len(new)
    if _converted >= _TABLE_AFTER and (table := _common_ipa()):
        known = [w for w in new if w in table]
        if known:
            put = _word_phonemes.put
            for w in known:
                put(w, codes_of(table[w]))
            new = [w for w in new if w not in cache]
    for chunk in (new[k:k + BATCH] for k in range(0, len(new), BATCH)):
        parts = espeak_batch(chunk) if len(chunk) > 1 else None  # one word: as ipa() does it
        if parts is not None:
            for word, part in zip(chunk, parts):
                _word_phonemes.put(word, codes_of(part))
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
        return codes_of(_table[word])
    return codes_of(ipa(word))
