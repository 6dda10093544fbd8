"""The Ray engine of ``respell batch``: Ray Data over the manifest's items. The only
module that imports Ray.

Items become a dataset of rows (each the JSON of a :class:`~respell.archive.work.Task`).
Recordings go first through a pool of transcription actors (with GPUs when
``gpus_per_worker`` is given), then every item through a pool of repair actors;
each actor keeps the entity lists it has loaded for the next items that share
them. Actors do the work of :mod:`respell.archive.work` (the same functions as the
local engine, hence the same bytes) and send back each item's outcome; this
process writes it into the output folder as it comes, so a run stopped at any
point keeps every item finished so far. Ray Data shows its own progress.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from ..errors import MissingDependencyError, RespellError
from .work import Outcome, Settings, Task


def _settings(data: dict) -> Settings:
    return Settings(**data)


class Transcriber:
    """A Ray Data actor: transcribes recordings (the Whisper model stays loaded)."""

    def __init__(self, settings: dict) -> None:
        from .work import Lexicons

        self.settings = _settings(settings)
        self.lexicons = Lexicons()

    def __call__(self, batch):
        import pyarrow as pa

        from .work import transcribe, with_memory

        heard, outcomes = [], []
        for text in batch.column("task").to_pylist():
            task = Task.from_json(text)
            out = transcribe(task, self.settings, self.lexicons)
            if isinstance(out, Outcome):
                heard.append("")
                outcomes.append(with_memory(out).to_json())
            else:
                heard.append(json.dumps(out))
                outcomes.append("")
        return pa.table({"task": batch.column("task"), "heard": heard, "outcome": outcomes})


class Repairer:
    """A Ray Data actor: reads, repairs and renders items (entity lists stay loaded)."""

    def __init__(self, settings: dict) -> None:
        from .work import Lexicons

        self.settings = _settings(settings)
        self.lexicons = Lexicons()

    def __call__(self, batch):
        import pyarrow as pa

        from .work import run_item

        outcomes = []
        for text, heard, done in zip(batch.column("task").to_pylist(),
                                     batch.column("heard").to_pylist(),
                                     batch.column("outcome").to_pylist()):
            if done:  # up to date or failed before repair
                outcomes.append(done)
                continue
            task = Task.from_json(text)
            transcribed = tuple(json.loads(heard)) if heard else None
            outcomes.append(run_item(task, self.settings, self.lexicons,
                                     transcribed=transcribed).to_json())
        return pa.table({"outcome": outcomes})


def run_ray(tasks: list[Task], options, accept: Callable[[Outcome], None]) -> None:
    """Run ``tasks`` on Ray (see the module's docstring); ``accept`` gets each outcome."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise MissingDependencyError(
            "--engine ray needs Ray Data: pip install 'respell[ray]' (or use --engine local)"
        ) from None
    if not tasks:
        return
    started_here = not ray.is_initialized()
    if started_here:
        try:
            ray.init(address=options.address, include_dashboard=False,
                     logging_level=logging.WARNING)
        except ConnectionError as exc:
            raise RespellError(f"cannot join the Ray cluster at {options.address}: {exc}") from None
    try:
        context = ray.data.DataContext.get_current()
        if options.progress is not None:
            context.enable_progress_bars = options.progress
        for outcome in _outcomes(ray, tasks, options):
            accept(outcome)
    finally:
        if started_here:
            ray.shutdown()


def _outcomes(ray, tasks: list[Task], options):
    from ray.data import ActorPoolStrategy

    settings = options.settings.to_dict()
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    audio = [{"task": t.to_json(), "heard": "", "outcome": ""} for t in tasks if t.item.is_audio]
    text = [{"task": t.to_json(), "heard": "", "outcome": ""} for t in tasks if not t.item.is_audio]
    streams = []
    if text:
        streams.append(ray.data.from_items(text))
    if audio:
        gpus = options.gpus_per_worker
        n = options.audio_workers or 1
        streams.append(ray.data.from_items(audio).map_batches(
            Transcriber, fn_constructor_kwargs={"settings": settings}, batch_size=1,
            batch_format="pyarrow", compute=ActorPoolStrategy(size=min(n, len(audio))),
            num_cpus=1, num_gpus=gpus or 0))
    rows = streams[0] if len(streams) == 1 else streams[0].union(*streams[1:])
    workers = options.workers or cpus
    if audio and not options.gpus_per_worker:
        # the transcription actors hold CPUs too: repairers start with what is left and
        # grow into the rest as transcription ends
        compute = ActorPoolStrategy(min_size=1, max_size=min(workers, len(tasks)))
    else:
        compute = ActorPoolStrategy(size=min(workers, len(tasks)))
    repaired = rows.map_batches(Repairer, fn_constructor_kwargs={"settings": settings},
                                batch_size=1, batch_format="pyarrow", compute=compute, num_cpus=1)
    for batch in repaired.iter_batches(batch_size=1, batch_format="pyarrow"):
        for text in batch.column("outcome").to_pylist():
            yield Outcome.from_json(text)
