"""Correcting many transcripts, in this process or on several.

>>> texts = ["Liz sly flew to Big Dad", "General Sola money spoke"]
>>> [r.text for r in fix_many(texts, entities=["Liz Sly", "Baghdad", "Qassem Soleimani"])]
['Liz Sly flew to Baghdad', 'General Soleimani spoke']
"""

from __future__ import annotations

import operator
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .errors import OptionError, RespellError

if TYPE_CHECKING:  # pragma: no cover
    from .lexicon import Entity, Lexicon
    from .result import FixOptions, Result

    Entities = Lexicon | Iterable[str | Entity] | None
    Item = str | tuple[str, Entities] | tuple[str, Entities, Sequence[int]]

#: With ``chunksize=None`` a chunk holds at most this many items...
AUTO_CHUNK_ITEMS = 64
#: ... and ends once its texts hold this many characters, so that short utterances
#: travel many to a message while a long transcript goes alone (and is not held back
#: behind others in the same worker).
AUTO_CHUNK_CHARS = 20_000


def fix_many(
    items: Iterable[Item],
    *,
    entities: Entities = None,
    jobs: int | None = 1,
    min_score: float | None = None,
    options: FixOptions | None = None,
    chunksize: int | None = None,
    return_exceptions: bool = False,
) -> Iterator[Result]:
    """Correct many texts; yields one :class:`~respell.correct.Result` per item, in order.

    Each item is a text, corrected with ``entities`` (a
    :class:`~respell.lexicon.Lexicon` or a list of names, shared by all), or a
    ``(text, entities)`` pair with its own list (``None`` there means the shared
    one), or ``(text, entities, barriers)`` (see :func:`~respell.correct.fix`).
    The results are those of calling :func:`~respell.correct.fix` item by item.

    ``jobs`` is the number of processes: 1 (the default) corrects here, with no
    pool; ``None`` or 0 means one per available core. More processes than cores
    or than chunks of work would only wait for each other, so the pool has at
    most one per available core and one per chunk. With more, the shared
    lexicon is sent to each worker once, and items go in chunks of
    ``chunksize`` consecutive items (default: up to 64, fewer when their texts
    are long). Items are read from ``items`` only a few chunks ahead of the
    results, so a generator of texts is fine and results can be shown as they
    come. Workers are started fresh (not forked from this process), which is safe in
    notebooks and threaded programs; in a script, call this under
    ``if __name__ == "__main__":`` as for any process pool. Workers end with the
    pool: when the caller stops early, fails, or is killed (even by SIGKILL, which
    they notice), none is left running.

    An item that cannot be corrected raises its :class:`~respell.errors.RespellError`
    when its turn comes; with ``return_exceptions=True`` the error is yielded in
    place of its result and the others go on.

    >>> pairs = [("We met Liz sly", ["Liz Sly"]), ("We met Liz sly", ["Baghdad"])]
    >>> [r.text for r in fix_many(pairs)]
    ['We met Liz Sly', 'We met Liz sly']
    """
    from .lexicon import Lexicon
    from .result import FixOptions

    workers = resolve_jobs(jobs)
    options = FixOptions.of(options, min_score)
    if chunksize is not None and (
        isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1
    ):
        raise OptionError(f"chunksize must be a whole number of items, 1 or more; got {chunksize!r}")
    lexicon = Lexicon.coerce(entities)  # checked here, and built once for every item and worker
    if workers == 1:
        return _here(items, lexicon, options, return_exceptions)
    return _pooled(items, lexicon, options, workers, chunksize, return_exceptions)


def resolve_jobs(jobs: int | None) -> int:
    """The number of processes ``jobs`` asks for: ``None`` or 0 is one per available core.

    >>> resolve_jobs(2)
    2
    """
    if jobs is None:
        return available_cores()
    try:
        n = -1 if isinstance(jobs, bool) else operator.index(jobs)  # ints, numpy ints
    except TypeError:
        n = -1
    if n == 0:
        return available_cores()
    if n < 0:
        raise OptionError(f"jobs must be a whole number of processes: 1 for none, 0 for one "
                          f"per core, or more; got {jobs!r}")
    return n


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# -- in this process --------------------------------------------------------------------


def _here(items, lexicon, options, return_exceptions: bool) -> Iterator[Result]:
    for item in items:  # one at a time: a caller's generator reads its inputs as they are fixed
        yield _check(_outcome(item, lexicon, options), return_exceptions)


def _outcome(item, lexicon, options) -> Result | RespellError:
    from .correct import fix

    try:
        if isinstance(item, str):
            return fix(item, lexicon, options=options)
        if isinstance(item, tuple) and len(item) in (2, 3):
            text, entities, *barriers = item
            return fix(text, lexicon if entities is None else entities,
                       barriers=barriers[0] if barriers else (), options=options)
        raise OptionError(f"each item must be a text, a (text, entities) pair or a "
                          f"(text, entities, barriers) triple; got {type(item).__name__}")
    except RespellError as exc:
        return exc


def _check(outcome, return_exceptions: bool):
    if isinstance(outcome, RespellError) and not return_exceptions:
        raise outcome
    return outcome


# -- on a pool of processes -------------------------------------------------------------


def _pooled(items, lexicon, options, workers, chunksize, return_exceptions) -> Iterator[Result]:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    chunks = _chunks(items, chunksize)
    workers = min(workers, available_cores())
    waiting = deque()  # chunks read but not yet sent
    for chunk in chunks:
        waiting.append(chunk)
        if len(waiting) >= workers:
            break
    workers = min(workers, len(waiting))
    if workers <= 1:  # one chunk of work (or one core): a pool would only add its start-up
        yield from _here((item for chunk in (*waiting, *chunks) for item in chunk), lexicon,
                         options, return_exceptions)
        return
    _check_main()
    context = _context()
    if context.get_start_method() == "forkserver":
        # started now, with no signal held back: the workers it forks inherit its mask
        from multiprocessing import forkserver

        forkserver.ensure_running()
    # Each worker watches this pipe: when this process ends, however it ends, the pipe
    # closes and the worker exits rather than wait for work forever.
    alive_r, alive_w = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker,
        initargs=(lexicon, options, alive_r),
    )
    sent: deque = deque()  # futures, in input order
    finished = False
    try:
        while waiting or sent:
            # Keep every worker busy with one chunk queued behind it, and hold at most
            # a few finished chunks that wait for an earlier one.
            while len(sent) < 4 * workers and sum(not f.done() for f in sent) < 2 * workers:
                if not waiting:
                    chunk = next(chunks, None)
                    if chunk is None:
                        break
                    waiting.append(chunk)
                with _signals_held():
                    sent.append(pool.submit(_fix_chunk, waiting.popleft()))
            head = sent[0]
            if not head.done():
                wait([f for f in sent if not f.done()], return_when=FIRST_COMPLETED)
                continue
            for outcome in sent.popleft().result():
                yield _check(outcome, return_exceptions)
        finished = True
    except BrokenProcessPool as exc:
        raise RespellError(
            "a worker process ended abruptly (out of memory? or, in a script, a call "
            "outside 'if __name__ == \"__main__\":'): try fewer jobs, or jobs=1"
        ) from exc
    finally:
        if not finished:  # stopped early, an error, Ctrl-C, SIGTERM: no result is wanted
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        alive_w.close()
        alive_r.close()


@contextmanager
def _signals_held():
    """Hold Ctrl-C, SIGTERM and SIGHUP back while a worker is being started: if this process
    ended then, the worker, still reading its start-up data, would find the pipe closed or
    the pool's semaphores gone and print a traceback. A signal that comes meanwhile is
    raised again as soon as the worker is known (so it is stopped with the others)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can be changed, and run, only in the main thread
        return
    caught: list[int] = []
    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        handler = signal.getsignal(signum) if signum is not None else None
        if handler not in (None, signal.SIG_IGN):
            previous[signum] = signal.signal(signum, lambda n, frame: caught.append(n))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _stop_workers(pool) -> None:
    """End the pool's workers now, rather than after the chunks they are correcting."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, AttributeError):  # pragma: no cover - already gone
            pass


def _context():
    """How workers are started.

    Not ``fork``: forking a process that runs threads (a Jupyter kernel, a progress
    bar's monitor, a caller's own) can copy a lock held by another thread and hang, and
    Python 3.12 warns about it. ``forkserver`` forks each worker from a small server
    process that has no threads, started once per program; where it does not exist
    (Windows) ``spawn`` starts each worker as a new interpreter. Either way a worker
    imports respell afresh and has its own caches, and what it gets is pickled.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _check_main() -> None:
    """Workers import the main script (as any process pool not made by fork does), so it
    must be a file: a script piped in (``python - < x.py``) would break every worker."""
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if getattr(main, "__spec__", None) is None and isinstance(path, str) and path.startswith("<"):
        raise OptionError(f"jobs above 1 start processes that import the main script, but it "
                          f"was read from {path}: save it to a file and run that, or use jobs=1")


def _chunks(items, chunksize: int | None) -> Iterator[list]:
    """Consecutive items in lists: neighbours often share words (one speaker, one talk),
    which a worker then phonemizes once."""
    size = chunksize or AUTO_CHUNK_ITEMS
    budget = AUTO_CHUNK_CHARS if chunksize is None else None
    chunk: list = []
    chars = 0
    for item in items:
        chunk.append(item)
        if budget is not None:
            text = item if isinstance(item, str) else item[0] if isinstance(item, tuple) else ""
            chars += len(text) if isinstance(text, str) else 0
        if len(chunk) >= size or (budget is not None and chars >= budget):
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


_worker_state: tuple | None = None  # (shared lexicon, options) in a worker process


def _start_worker(lexicon, options, alive=None) -> None:
    """A worker's initializer: keep the shared lexicon (sent once), leave Ctrl-C to the
    caller, which stops the pool (else every worker prints its own traceback), and exit
    when the caller's end of ``alive`` closes (the caller ended, even killed)."""
    global _worker_state
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_state = lexicon, options
    if alive is not None:
        threading.Thread(target=_exit_with_caller, args=(alive,), daemon=True,
                         name="respell-watch-caller").start()


def _exit_with_caller(alive) -> None:
    try:
        alive.recv()  # nothing is ever sent: this returns when the caller's end closes
    except (EOFError, OSError):
        pass
    os._exit(1)


def _fix_chunk(chunk: list) -> list:
    lexicon, options = _worker_state
    return [_outcome(item, lexicon, options) for item in chunk]
