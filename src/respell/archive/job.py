"""A ``respell batch`` run: the manifest in, every item's output, the changes table and
the summary out, on one of the engines."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..errors import OptionError, RespellError
from .manifest import Item, read_manifest
from .outdir import OutputFolder
from .progress import Progress
from .work import DONE, FAILED, UP_TO_DATE, Outcome, Settings, Task

log = logging.getLogger(__name__)

ENGINES = ("local", "ray")


@dataclass(frozen=True)
class BatchOptions:
    """Options of :func:`run_batch`.

    ``engine``: ``local`` (this machine: a pool of ``jobs`` processes, recordings
    transcribed on ``audio_jobs`` processes beside it) or ``ray`` (Ray Data
    on the cluster at ``address``, ``"auto"`` for the one ``ray start`` made; by
    default a Ray instance started on this machine for the run).
    ``jobs``: local repair processes (None or 0: one per core); ``audio_jobs``: local
    transcription processes (default 1). ``workers``: Ray repair actors
    (default: the cluster's CPUs); ``audio_workers``: Ray transcription actors, each
    with ``gpus_per_worker`` GPUs when given (on CPU otherwise).
    ``min_score``: the threshold of items without their own; ``whisper_model`` and
    ``bias``: how recordings are transcribed; ``force``: redo items that are up to date.

    >>> BatchOptions(engine="ray", workers=8, gpus_per_worker=1).settings.whisper_model
    'tiny.en'
    >>> BatchOptions(workers=8)
    Traceback (most recent call last):
    ...
    respell.errors.OptionError: --workers is for --engine ray: add it, or drop it
    """

    engine: str = "local"
    jobs: int | None = None
    audio_jobs: int | None = None
    address: str | None = None
    workers: int | None = None
    audio_workers: int | None = None
    gpus_per_worker: float | None = None
    min_score: float | None = None
    whisper_model: str = "tiny.en"
    bias: str = "window"
    device: str = "auto"
    force: bool = False
    progress: bool | None = None

    def __post_init__(self) -> None:
        from ..batch import resolve_jobs
        from ..correct import FixOptions

        if self.engine not in ENGINES:
            raise OptionError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        if self.engine == "local":
            ray_only = [name for name, value in (("address", self.address),
                                                 ("workers", self.workers),
                                                 ("audio_workers", self.audio_workers),
                                                 ("gpus_per_worker", self.gpus_per_worker))
                        if value is not None]
            if ray_only:
                flags = ", ".join("--" + n.replace("_", "-") for n in ray_only)
                one = len(ray_only) == 1
                raise OptionError(f"{flags} {'is' if one else 'are'} for --engine ray: add it, "
                                  f"or drop {'it' if one else 'them'}")
        elif self.jobs is not None or self.audio_jobs is not None:
            raise OptionError("--jobs and --audio-jobs are for --engine local; on Ray give "
                              "--workers and --audio-workers")
        try:
            resolve_jobs(self.jobs)
        except OptionError:
            raise OptionError(f"jobs must be 1 or more (0: one process per core), got "
                              f"{self.jobs!r}") from None
        for name in ("audio_jobs", "workers", "audio_workers"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise OptionError(f"{name} must be a whole number, 1 or more; got {value!r}")
        if self.gpus_per_worker is not None and not self.gpus_per_worker > 0:
            raise OptionError(f"gpus_per_worker must be above 0, got {self.gpus_per_worker!r}")
        if self.min_score is not None:
            FixOptions(min_score=self.min_score)
        from ..audio.biasing import BIAS_MODES

        if self.bias not in BIAS_MODES:
            raise OptionError(f"bias must be one of {', '.join(BIAS_MODES)}, got {self.bias!r}")

    @property
    def settings(self) -> Settings:
        """The options that travel to each worker with its items."""
        return Settings(self.min_score, self.whisper_model, self.bias, self.device)


@dataclass(frozen=True)
class BatchSummary:
    """What a run did (also written to ``OUTDIR/summary.json``).

    ``done``: items made in this run; ``up_to_date``: items whose output was already
    there for the same inputs, entities, options and respell version; ``failed``:
    ``{"id", "input", "error"}`` of each item that could not be made; ``edits``:
    the changes in all outputs of the manifest's items; ``rows``: rows of
    ``changes.parquet``.
    """

    outdir: str
    engine: str
    items: int
    done: int
    up_to_date: int
    failed: tuple[dict, ...]
    edits: int
    seconds: float
    peak_rss_mb: dict = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        """2 when some item failed (as ``respell fix`` with a bad file), else 0."""
        return 2 if self.failed else 0

    def to_dict(self) -> dict:
        from .. import __version__

        return {
            "respell_version": __version__,
            "engine": self.engine,
            "items": self.items,
            "done": self.done,
            "up_to_date": self.up_to_date,
            "failed": len(self.failed),
            "edits": self.edits,
            "seconds": round(self.seconds, 3),
            "peak_rss_mb": self.peak_rss_mb,
            "errors": list(self.failed),
        }

    def __str__(self) -> str:
        return (f"{self.items} items: {self.done} done, {self.up_to_date} up to date, "
                f"{len(self.failed)} failed; {self.edits} edits; {self.seconds:.1f} s")


def run_batch(manifest: str | os.PathLike, outdir: str | os.PathLike, *,
              options: BatchOptions | None = None, on_skip: Callable[[str], None] | None = None,
              **overrides) -> BatchSummary:
    """Repair every item of ``manifest`` into ``outdir`` (see :mod:`respell.archive`).

    Keyword ``overrides`` set fields of :class:`BatchOptions`. Items that fail are
    listed in the summary, with their one-line errors; the others are done. Each
    error is also given to ``on_skip`` as it happens (by default it is logged as a
    warning), or written above the progress bar when one is shown.
    """
    options = replace(options, **overrides) if options else BatchOptions(**overrides)
    from .fetch import need_pyarrow

    need_pyarrow()
    started = time.monotonic()
    items = _outputs_apart_from_inputs(read_manifest(manifest), outdir)
    with OutputFolder(outdir) as folder:
        previous: dict[int, int] = {}  # edits of the items already made
        tasks = []
        for item in items:
            if item.error is None:
                record = folder.record(item)
                if record is not None:
                    previous[item.index] = record["edits"]
                tasks.append(Task(item, None if options.force or record is None
                                  else record.get("key")))
        show = options.progress if options.progress is not None else sys.stderr.isatty()
        progress = Progress(len(items), enabled=show and options.engine == "local")
        sink = _Sink(folder, items, previous, progress, on_skip)
        for item in items:
            if item.error is not None:
                sink.accept(Outcome(item.index, FAILED, error=item.error))
        try:
            if options.engine == "ray":
                from .ray_engine import run_ray

                run_ray(tasks, options, sink.accept)
            else:
                _run_local(tasks, options, sink.accept)
        finally:
            sink.progress.close()
        summary = sink.summary(options.engine, time.monotonic() - started)
        folder.write_summary({**summary.to_dict(), "manifest": str(manifest)})
    return summary


def _outputs_apart_from_inputs(items: list[Item], outdir) -> list[Item]:
    """Items whose output would be written over an input of the manifest (a transcript,
    list, document or recording) fail: an input is never modified."""
    from pathlib import Path

    from .fetch import is_uri

    inputs = {os.path.realpath(p) for item in items
              for p in (item.transcript, item.audio, *item.lists, *item.docs)
              if p is not None and not is_uri(p)}
    root = Path(outdir)
    out = []
    for item in items:
        if item.error is None and os.path.realpath(root / item.output) in inputs:
            item = replace(item, error=f"{item.source}: its output {root / item.output} would "
                           "overwrite an input: give another output folder (-o)")
        out.append(item)
    return out


class _Sink:
    """Writes each outcome as it comes (output, then record) and keeps the count."""

    def __init__(self, folder: OutputFolder, items: list[Item], previous: dict[int, int],
                 progress: Progress, on_skip: Callable[[str], None] | None) -> None:
        self.folder = folder
        self.on_skip = on_skip
        self.items = items
        self.previous = previous
        self.progress = progress
        self.edits: dict[int, int] = {}  # items with an output: their edits
        self.status: dict[int, str] = {}
        self.errors: dict[int, str] = {}
        self.peak: dict[str, int] = {}

    def accept(self, outcome: Outcome) -> None:
        item = self.items[outcome.index]
        status, error = outcome.status, outcome.error
        if status == DONE:
            try:
                self.folder.write_item(item, outcome.output, outcome.record)
                self.edits[item.index] = outcome.record["edits"]
            except RespellError as exc:
                status, error = FAILED, str(exc)
        elif status == UP_TO_DATE:
            self.edits[item.index] = self.previous[item.index]
        if status == FAILED:
            self.errors[item.index] = error
            if self.progress.enabled:
                self.progress.write(f"respell: skipped {error}")
            elif self.on_skip is not None:
                self.on_skip(error)
            else:
                log.warning("skipped %s", error)
        self.status[item.index] = status
        if outcome.peak_rss_kb is not None:
            key = f"worker {outcome.pid}"
            self.peak[key] = max(self.peak.get(key, 0), outcome.peak_rss_kb)
        self.progress.update(len(outcome.record["changes"]) if status == DONE else 0)

    def summary(self, engine: str, seconds: float) -> BatchSummary:
        from .work import peak_rss_kb

        missing = [i for i in range(len(self.items)) if i not in self.status]
        if missing:  # an engine lost track of an item: say so rather than call the run complete
            for i in missing:
                self.errors[i] = f"{self.items[i].source}: no result came back for this item"
                self.status[i] = FAILED
        self.folder.write_changes(self.items[i] for i in sorted(self.edits))
        failed = tuple({"id": self.items[i].id,
                        "input": self.items[i].transcript or self.items[i].audio,
                        "error": self.errors[i]} for i in sorted(self.errors))
        counts = {s: sum(1 for v in self.status.values() if v == s) for s in (DONE, UP_TO_DATE)}
        peak = {"driver": round((peak_rss_kb() or 0) / 1024, 1)}
        if self.peak:
            peak["workers"] = round(max(self.peak.values()) / 1024, 1)
        return BatchSummary(str(self.folder.root), engine, len(self.items), counts[DONE],
                            counts[UP_TO_DATE], failed, sum(self.edits.values()),
                            seconds, peak)


# -- the local engine ------------------------------------------------------------------------


def _run_local(tasks: list[Task], options: BatchOptions, accept: Callable[[Outcome], None]) -> None:
    """Items on this machine: transcripts on ``jobs`` processes (here when 1), recordings
    on ``audio_jobs`` processes beside them; ``accept`` gets each outcome as it comes.

    A process does an item's whole work (read, repair, render; as a Ray actor does) and
    keeps the entity lists it loaded for the next items; this process only writes. With
    :func:`respell.fix_many`'s pool, which moves only the correction, reading, parsing and
    rendering here took a third of the CPU of a run over Earnings-21 calls and held the
    workers back (see benchmarks/README.md).
    """
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    from ..batch import resolve_jobs
    from .work import Lexicons, run_in_worker, run_item

    settings = options.settings
    text = [t for t in tasks if not t.item.is_audio]
    audio = [t for t in tasks if t.item.is_audio]
    jobs = min(resolve_jobs(options.jobs), len(text))
    lanes = []  # [pool, tasks not yet sent, how many may be in flight]
    here = iter(text if jobs <= 1 else ())
    if jobs > 1:
        lanes.append([_pool(jobs), iter(text), 2 * jobs])
    if audio:
        audio_jobs = min(options.audio_jobs or 1, len(audio))
        lanes.append([_pool(audio_jobs), iter(audio), audio_jobs])
    running: dict = {}  # future -> (lane, task)
    lexicons = Lexicons()
    try:
        while True:
            for lane in lanes:
                pool, waiting, room = lane
                while sum(1 for ln, _ in running.values() if ln is lane) < room:
                    task = next(waiting, None)
                    if task is None:
                        break
                    try:
                        running[pool.submit(run_in_worker, task, settings)] = (lane, task)
                    except BrokenProcessPool:
                        accept(_lost(task))
            task = next(here, None)
            if task is not None:
                accept(run_item(task, settings, lexicons))
            elif not running:
                return
            done, _ = wait(running, timeout=0 if task is not None else None,
                           return_when=FIRST_COMPLETED)
            for future in done:
                _, task = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    outcome = _lost(task)
                accept(outcome)
    except BaseException:
        for lane in lanes:  # Ctrl-C: stop the workers now, not when their items end
            for process in list(getattr(lane[0], "_processes", {}).values()):
                process.terminate()
        raise
    finally:
        for lane in lanes:
            lane[0].shutdown(wait=True, cancel_futures=True)


def _lost(task: Task) -> Outcome:
    from .work import failed

    what = "transcribing" if task.item.is_audio else "repairing"
    return failed(task, RespellError(f"the process {what} it ended abruptly (out of memory?): "
                                     f"try fewer --{'audio-' * task.item.is_audio}jobs"))


def _pool(workers: int):
    """Processes started fresh (``forkserver``, else ``spawn``), not forked from this one,
    which may run threads (as :func:`respell.fix_many`'s pool); Ctrl-C is left to this one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupt)


def _ignore_interrupt() -> None:
    """Ctrl-C is the main process's to handle: it stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
