"""One item's work, the same on every engine: read, (transcribe,) repair, render.

An item goes through :func:`transcribe` (a recording without a transcript),
:func:`prepare` (read its inputs, hash them, skip it when its output is up to date,
load its entities, parse the transcript), :func:`respell.fix`, then :func:`finish`
(render the repaired transcript and the record of its changes): :func:`run_item`.
Both engines run it in their workers (a process of the local pool, a Ray actor)
and write what it returns, so their outputs are the same byte for byte.

An item's key hashes what its output depends on: the input's bytes, the entity
lists' and documents' bytes and inline names, the options that change the
result, and respell's version. An output whose record holds the same key is up
to date and not made again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass, field

from ..errors import RespellError
from .fetch import file_sha256, local_path
from .manifest import AUDIO_FORMAT, Item

log = logging.getLogger(__name__)

DONE, UP_TO_DATE, FAILED = "done", "up to date", "failed"


@dataclass(frozen=True)
class Settings:
    """Run-wide options that shape the outputs (they are part of each item's key),
    and where transcription runs (which does not change the key)."""

    min_score: float | None = None
    whisper_model: str = "tiny.en"
    bias: str = "window"
    device: str = "auto"

    def to_dict(self) -> dict:
        """The settings as JSON-ready data (what travels to a Ray actor)."""
        return {"min_score": self.min_score, "whisper_model": self.whisper_model,
                "bias": self.bias, "device": self.device}


@dataclass(frozen=True)
class Task:
    """An item sent to work, with the key of its record already written (None: none,
    or ``--force``)."""

    item: Item
    previous: str | None = None

    def to_json(self) -> str:
        """The task as JSON (a row of the Ray dataset)."""
        return json.dumps({"item": self.item.to_dict(), "previous": self.previous})

    @classmethod
    def from_json(cls, text: str) -> Task:
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(Item.from_dict(data["item"]), data["previous"])


@dataclass(frozen=True)
class Outcome:
    """What became of an item: ``done`` (with the output text and its record),
    ``up to date`` or ``failed`` (with its one-line error)."""

    index: int
    status: str
    error: str | None = None
    output: str | None = field(default=None, repr=False)
    record: dict | None = field(default=None, repr=False)
    #: peak memory of the process that did the work (kB), and its id
    peak_rss_kb: int | None = None
    pid: int | None = None

    def to_json(self) -> str:
        """The outcome as JSON (how it comes back from a Ray actor)."""
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        """Inverse of :meth:`to_json`."""
        return cls(**json.loads(text))


@dataclass(frozen=True)
class Prepared:
    """An item ready for :func:`respell.fix`: its document, entities and options."""

    task: Task
    key: str
    input_sha256: str
    audio_sha256: str | None
    document: object  # respell.formats.Document
    lexicon: object  # respell.Lexicon
    options: object  # respell.FixOptions


def failed(task: Task, exc: BaseException) -> Outcome:
    """The outcome of an item that met an error: one line naming its input."""
    item = task.item
    msg = " ".join(str(exc).split()) or type(exc).__name__
    if item.source not in msg:
        msg = f"{item.source}: {msg}"
    return Outcome(item.index, FAILED, error=msg)


# -- entities --------------------------------------------------------------------------------


class Lexicons:
    """The entities of items, loaded once per distinct set of lists, names and documents
    and kept for the next items that share them (lists are often shared by thousands)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._lexicons: OrderedDict[str, object] = OrderedDict()
        self._hashes: dict[str, str] = {}

    def key(self, item: Item) -> str:
        """A hash of the bytes of the item's lists and documents and of its inline names."""
        parts = []
        for kind, paths in (("list", item.lists), ("doc", item.docs)):
            for path in paths:
                if path not in self._hashes:
                    what = "entity list" if kind == "list" else "document"
                    self._hashes[path] = file_sha256(local_path(path, what=what), what=what)
                parts.append([kind, self._hashes[path]])
        parts.append(["names", list(item.names)])
        return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False))

    def get(self, item: Item, key: str):
        """The :class:`~respell.Lexicon` of the item (``key`` from :meth:`key`)."""
        lexicon = self._lexicons.get(key)
        if lexicon is None:
            lexicon = _load(item)
            self._lexicons[key] = lexicon
            if len(self._lexicons) > self._size:
                self._lexicons.popitem(last=False)
        else:
            self._lexicons.move_to_end(key)
        return lexicon


def _load(item: Item):
    from ..errors import EntityListError
    from ..lexicon import Lexicon

    parts = []
    if item.lists:
        parts.append(Lexicon.load(*(local_path(p, what="entity list") for p in item.lists)))
    if item.names:
        parts.append(Lexicon.from_entries(list(item.names)))
    if item.docs:
        parts.extend(_documents(item, others=bool(parts)))
    lexicon = parts[0]
    for part in parts[1:]:
        lexicon = lexicon + part
    if not lexicon:
        raise EntityListError("no usable entity in the item's lists, names or documents")
    return lexicon


def _documents(item: Item, *, others: bool) -> list:
    """The Lexicon of the item's documents (none when every one is without text and the
    item has lists or names): as ``fix --from-doc`` does, a document without text (empty,
    a scan) is a warning beside other documents or lists, a bad one an error."""
    from ..errors import InputError, NoTextError
    from ..lexicon import Lexicon

    paths = [local_path(p, what="document") for p in item.docs]
    left_out = []

    def without_text(path: str, exc: RespellError) -> None:
        if not isinstance(exc, NoTextError):
            raise exc
        left_out.append(path)
        log.warning("%s: %s: left out, the item's other documents and lists are used",
                    item.id, exc)

    several = others or len(paths) > 1
    try:
        return [Lexicon.from_documents(*paths, on_error=without_text if several else None)]
    except InputError:
        if others and len(left_out) == len(paths):
            return []
        raise


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def item_key(item: Item, settings: Settings, input_sha256: str, lists_key: str) -> str:
    """The hash an up-to-date output's record holds (see the module's docstring)."""
    from .. import __version__
    from ..correct import DEFAULT_MIN_SCORE

    score = _min_score(item, settings)
    parts = {
        "respell": __version__,
        "input": input_sha256,
        "entities": lists_key,
        "format": item.format,
        "min_score": DEFAULT_MIN_SCORE if score is None else score,
    }
    if item.is_audio:
        parts["whisper"] = [settings.whisper_model, settings.bias]
    return _sha(json.dumps(parts, sort_keys=True))


def _min_score(item: Item, settings: Settings) -> float | None:
    return item.min_score if item.min_score is not None else settings.min_score


def fix_options(item: Item, settings: Settings):
    """The :class:`~respell.FixOptions` an item is repaired with."""
    from ..correct import FixOptions

    score = _min_score(item, settings)
    return FixOptions() if score is None else FixOptions(min_score=score)


# -- the steps -------------------------------------------------------------------------------


def transcribe(task: Task, settings: Settings, lexicons: Lexicons) -> Outcome | tuple[str, str, str]:
    """Transcribe a recording, prompted with the item's entities: ``(transcript text,
    sha256 of the recording, item key)``, or the outcome when it is up to date or failed."""
    item = task.item
    try:
        path = local_path(item.audio, what="audio file")
        audio_sha = file_sha256(path, what="audio file")
        lists_key = lexicons.key(item)
        key = item_key(item, settings, audio_sha, lists_key)
        if key == task.previous:
            return Outcome(item.index, UP_TO_DATE)
        from ..audio.pipeline import transcribe_and_fix

        _seed_decoders()
        heard = transcribe_and_fix(path, lexicons.get(item, lists_key),
                                   format=item.format or AUDIO_FORMAT, fix_text=False,
                                   acoustic=False, progress=False, model=settings.whisper_model,
                                   bias=settings.bias, device=settings.device)
        return heard.document.render(()), audio_sha, key
    except RespellError as exc:
        return failed(task, exc)


def _seed_decoders(seed: int = 0) -> None:
    """Start each recording from the same random state. On a window it cannot decode
    surely, Whisper samples at rising temperatures; unseeded, a recording would not give
    the same text on two engines, or on a rerun with ``--force``."""
    import sys

    if "ctranslate2" in sys.modules or _importable("ctranslate2"):
        import ctranslate2

        ctranslate2.set_random_seed(seed)
    if "torch" in sys.modules:  # the openai-whisper backend, when it was loaded
        sys.modules["torch"].manual_seed(seed)


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def prepare(task: Task, settings: Settings, lexicons: Lexicons, *,
            transcribed: tuple[str, str, str] | None = None) -> Prepared | Outcome:
    """Read (or take the ``transcribed`` text of) an item, check whether its output is up
    to date, load its entities and parse it."""
    from ..formats import parse, read_input

    item = task.item
    try:
        lists_key = lexicons.key(item)
        if transcribed is None:
            raw, sha = read_input(local_path(item.transcript, what="transcript"))
            audio_sha = None
            key = item_key(item, settings, sha, lists_key)
            if key == task.previous:
                return Outcome(item.index, UP_TO_DATE)
            path = item.transcript
        else:
            raw, audio_sha, key = transcribed
            sha = _sha(raw)
            path = None
        fmt = item.format or (AUDIO_FORMAT if item.is_audio else None)
        document = parse(raw, format=fmt, path=path)
        return Prepared(task, key, sha, audio_sha, document, lexicons.get(item, lists_key),
                        fix_options(item, settings))
    except RespellError as exc:
        return failed(task, exc)


def finish(prepared: Prepared, result) -> Outcome:
    """Render a repaired item (``result`` of :func:`respell.fix`) and the record of its
    changes."""
    from .. import __version__

    task = prepared.task
    item = task.item
    kept, refused = prepared.document.writable(result.changes)  # as respell fix leaves out
    if refused:  # a change the file cannot hold (a cue that would start like a timing line)
        result = result.with_changes(kept)
    try:
        output = prepared.document.render(result.changes)
    except RespellError as exc:
        return failed(task, exc)
    record = {
        "id": item.id,
        "key": prepared.key,
        "output": item.output,
        "output_sha256": _sha(output),
        "input": item.source,
        "input_sha256": prepared.input_sha256,
        "audio_sha256": prepared.audio_sha256,
        "format": prepared.document.name,
        "min_score": result.options.min_score,
        "respell_version": __version__,
        "edits": len(result.changes),
        "changes": [c.to_dict() for c in result.changes],
    }
    return Outcome(item.index, DONE, output=output, record=record)


def run_item(task: Task, settings: Settings, lexicons: Lexicons, *,
             transcribed: tuple[str, str, str] | None = None) -> Outcome:
    """All of an item's work in this process: transcription (unless ``transcribed``
    gives what :func:`transcribe` returned), then the steps of the repair."""
    from ..correct import fix

    if task.item.is_audio and transcribed is None:
        transcribed = transcribe(task, settings, lexicons)
        if isinstance(transcribed, Outcome):
            return with_memory(transcribed)
    prepared = prepare(task, settings, lexicons, transcribed=transcribed)
    if isinstance(prepared, Outcome):
        return with_memory(prepared)
    try:
        result = fix(prepared.document.text, prepared.lexicon, barriers=prepared.document.barriers,
                     options=prepared.options)
    except RespellError as exc:
        return with_memory(failed(task, exc))
    return with_memory(finish(prepared, result))


def with_memory(outcome: Outcome) -> Outcome:
    """The outcome with this process's peak memory, for the summary."""
    from dataclasses import replace

    return replace(outcome, peak_rss_kb=peak_rss_kb(), pid=os.getpid())


def peak_rss_kb() -> int | None:
    """This process's peak resident memory in kB (None where the system does not say)."""
    try:
        import resource
        import sys
    except ImportError:  # pragma: no cover - Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


_process_lexicons: Lexicons | None = None


def run_in_worker(task: Task, settings: Settings) -> Outcome:
    """:func:`run_item` with this process's shared cache of entities (a pool's worker)."""
    global _process_lexicons
    if _process_lexicons is None:
        _process_lexicons = Lexicons()
    return run_item(task, settings, _process_lexicons)
