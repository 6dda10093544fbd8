"""Process-wide state: everything respell keeps between calls, named in one place.

respell's functions take immutable data and return new data; what they keep
for the life of the process is listed here, each kept because building it for
every call would cost more than the call. None of it changes a result: a
fresh process gives the same bytes.

* **The phoneme alphabet** (:mod:`respell.phoneset`): each IPA symbol gets its
  one-character code when first met, and keeps it; the costs of the phoneme distance
  are tables over these codes (:mod:`respell.similarity`, and the C version's copy).
* **Memo caches** (:func:`respell._memo.memo`) on the hot functions: a word's
  phonemes, its Zipf frequency, a pair's phoneme similarity, blocking keys. Plain
  dicts the collector does not walk; each empties itself when full (bounded memory,
  no eviction bookkeeping).
* **The forms table** (:meth:`respell.index.Forms.current`): every spoken form
  compiled so far, shared by all lexicons, so that the index of a list seen before
  costs a few look-ups per name. A new table starts when one holds two million forms.
* **Blocking-key bits** (:func:`respell.index.key_mask`): which bit stands for which
  key, fixed once given so masks stay comparable.
* **Lexicon indexes** (:meth:`respell.index.LexiconIndex.of`): one per live lexicon,
  dropped with it (a weak reference), never pickled with it.
* **The phoneme table** (:mod:`respell.phonetics`): the shipped pronunciations of
  common words are read only once this process has converted ``TABLE_AFTER`` new
  words (reading costs about a quarter second); they are what espeak-ng gives, or
  are not used.
* **espeak-ng** (:mod:`respell.phonetics`): the library is loaded once and called
  under a lock, since it is not thread-safe.
* **wordfreq's table** (:func:`respell.words.zipf_table`) and **the decision model**
  (:func:`respell.decide.decision_model`): read once.
* **The garbage collector** is paused while :func:`respell.fix` runs
  (:func:`collector_paused`).

:data:`LOCK` is held by whoever adds to the shared tables (the forms table, the
key bits), so that threads sharing them keep their columns aligned.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Held while adding to the shared tables (re-entrant: adding forms assigns key bits).
LOCK = threading.RLock()

_pause_lock = threading.Lock()
_pausing = 0  # calls inside collector_paused now, in all threads
_we_disabled = False  # whether the first of them turned the collector off


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then set it back as it was.

    Matching makes many short-lived objects without cycles, which reference
    counting frees; the cyclic collector would only walk the caches again and again
    (about 5 % of the time with big lists). The collector is one switch for the
    whole process: it is turned off by the first block to enter and on again by the
    last to leave, so threads correcting at once do not turn it on under each other,
    and a collector someone else turned off stays off.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _pausing, _we_disabled
    with _pause_lock:
        if _pausing == 0:
            _we_disabled = gc.isenabled()
            if _we_disabled:
                gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pausing -= 1
            if _pausing == 0 and _we_disabled:
                gc.enable()
