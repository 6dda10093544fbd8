"""The manifest of ``respell batch``: one row per item of the archive.

A manifest is JSONL (one object a line), CSV (a header row) or Parquet, with
these columns (others are kept for your records and ignored):

* ``transcript``: the transcript to repair (any format ``respell fix`` reads), and/or
* ``audio``: a recording, transcribed first (Whisper, prompted with the entities)
  when the row has no transcript;
* ``entities``: entity lists (paths ending in ``.txt``, ``.csv``, ``.tsv``, ``.json``
  or ``.jsonl``) and inline names, in one list; in CSV one cell, separated by ``;``
  or ``|``; in JSONL an inline entity may be an object (``{"text": ..., "label": ...}``);
* ``docs``: related documents whose named entities are added (spaCy, ``respell[ner]``);
* ``id`` (optional): the item's name, unique in the manifest, and where its output
  goes in the output folder (the input's extension is added if the id lacks it); by
  default the transcript's (or recording's) path relative to the manifest's folder;
* ``format`` (optional): the transcript's format (``txt``, ``srt``, ``vtt``,
  ``whisper-json``, ``nlp``; default: detected), or for a recording the format to
  write (default ``whisper-json``);
* ``min_score`` (optional): this item's threshold.

Relative paths are relative to the manifest's folder. A path may also be a URI
of any filesystem pyarrow opens (``s3://``, ``gs://``, ``hdfs://``, ``file://``).

>>> import json
>>> rows = [{"transcript": "shows/ep1.srt", "entities": ["names.txt", "Liz Sly"]}]
>>> text = "\\n".join(json.dumps(r) for r in rows)
>>> item = parse_manifest(text, "/data/manifest.jsonl")[0]
>>> item.id, item.output, item.lists, item.names
('shows/ep1.srt', 'shows/ep1.srt', ('/data/names.txt',), ('Liz Sly',))
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import InputError, OptionError
from .fetch import is_uri

log = logging.getLogger(__name__)

#: the manifest's columns
COLUMNS = ("id", "transcript", "audio", "entities", "docs", "format", "min_score")
#: manifest kinds by extension
KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
         ".parquet": "parquet", ".pq": "parquet"}
#: an ``entities`` entry ending in one of these is a list file; anything else is a name
LIST_SUFFIXES = (".txt", ".csv", ".tsv", ".json", ".jsonl")
#: what a recording's transcript is written as, by default
AUDIO_FORMAT = "whisper-json"
AUDIO_EXTENSIONS = {"whisper-json": ".json", "srt": ".srt", "vtt": ".vtt", "txt": ".txt"}



@dataclass(frozen=True)
class Item:
    """One row of the manifest, checked, with its paths resolved.

    ``error`` is set (and the rest may be empty) when the row itself is unusable;
    such an item is reported as failed and the others go on.
    """

    index: int
    id: str
    output: str = ""  # the output's path relative to the output folder
    transcript: str | None = None
    audio: str | None = None
    lists: tuple[str, ...] = ()
    names: tuple = ()  # inline names (str) and entity objects (dict)
    docs: tuple[str, ...] = ()
    format: str | None = None
    min_score: float | None = None
    error: str | None = field(default=None, compare=False)

    @property
    def is_audio(self) -> bool:
        """Whether the item is transcribed first (a recording and no transcript)."""
        return self.transcript is None and self.audio is not None

    @property
    def source(self) -> str:
        """The input named in messages."""
        return self.transcript or self.audio or self.id

    def to_dict(self) -> dict:
        """The item as JSON-ready data (what travels to a worker)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Item:
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        for key in ("lists", "names", "docs"):
            data[key] = tuple(data.get(key) or ())
        return cls(**data)


def read_manifest(path: str | os.PathLike) -> list[Item]:
    """Read and check a manifest (JSONL, JSON list, CSV or Parquet, by extension).

    A manifest that cannot be read at all raises :class:`~respell.errors.InputError`;
    a bad row becomes an :class:`Item` with its ``error`` set.
    """
    name = str(path)
    kind = KINDS.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise InputError(f"manifest must end in .jsonl, .csv or .parquet (or .json), got {name!r}")
    data = _read_bytes(name)
    if kind == "parquet":
        rows = _parquet_rows(data, name)
    else:
        from ..textio import decode_bytes

        text = decode_bytes(data, name)
        return parse_manifest(text, name, kind=kind)
    return _items(rows, name)


def parse_manifest(text: str, name: str, *, kind: str | None = None) -> list[Item]:
    """Check the rows of a manifest given as text (JSONL, JSON or CSV); see :func:`read_manifest`."""
    kind = kind or KINDS.get(PurePosixPath(name).suffix.lower(), "jsonl")
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        rows = [(n, r) for n, r in enumerate(rows, 2) if any((v or "").strip() for v in r.values()
                                                            if isinstance(v, str))]
    elif kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
        if not isinstance(data, list):
            raise InputError(f"{name}: a JSON manifest is a list of objects, one per item; "
                             "or write one object a line (.jsonl)")
        rows = list(enumerate(data, 1))
    else:
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                rows.append((n, f"invalid JSON: {exc.msg}"))
    return _items(rows, name)


def _read_bytes(name: str) -> bytes:
    if is_uri(name):
        from .fetch import read_uri

        return read_uri(name, what="manifest")
    from ..textio import read_bytes

    return read_bytes(name, what="manifest")[0]


def _parquet_rows(data: bytes, name: str) -> list[tuple[int, dict]]:
    from .fetch import need_pyarrow

    need_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{name}: not a readable Parquet file: {exc}") from None
    return list(enumerate(table.to_pylist(), 1))


def _items(rows: Iterable[tuple[int, object]], name: str) -> list[Item]:
    rows = list(rows)
    if not rows:
        raise InputError(f"manifest has no items: {name}")
    folder = _folder(name)
    unknown: set[str] = set()
    where_row = "line" if name.lower().endswith((".jsonl", ".ndjson", ".csv")) else "row"
    items: list[Item] = []
    outputs: dict[str, int] = {}
    ids: dict[str, int] = {}
    for index, (n, row) in enumerate(rows):
        where = f"{name}:{n}" if where_row == "line" else f"{name}: row {n}"
        try:
            if isinstance(row, str):
                raise OptionError(row)
            if not isinstance(row, dict):
                raise OptionError(f"expected an object with a transcript or audio, got {row!r}")
            row = {str(k).strip().lower(): v for k, v in row.items()}
            unknown.update(k for k in row if k not in COLUMNS)
            item = _item(index, row, folder)
        except (OptionError, InputError) as exc:
            items.append(Item(index, f"#{n}", error=f"{where}: {exc}"))
            continue
        same_id = ids.setdefault(item.id, index)
        same_output = outputs.setdefault(item.output, index)
        if same_id != index or same_output != index:
            item = Item(index, item.id, error=f"{where}: item {items[min(same_id, same_output)].id}"
                        " has the same id or output: give each item its own id")
        items.append(item)
    if unknown:
        log.info("%s: columns not used: %s", name, ", ".join(sorted(unknown)))
    return items


def _folder(name: str) -> str:
    if is_uri(name):
        return name.rsplit("/", 1)[0]
    return str(Path(name).resolve().parent)


def _resolve(path: str, folder: str) -> str:
    path = path.strip()
    if is_uri(path):
        return path
    path = os.path.expanduser(path)
    if os.path.isabs(path):
        return os.path.normpath(path)
    if is_uri(folder):
        return posixpath.normpath(f"{folder}/{path}").replace(":/", "://", 1)
    return os.path.normpath(os.path.join(folder, path))


def _values(value, column: str, *, objects: bool = False) -> list:
    """A cell as a list: CSV cells hold several values separated by ``;`` or ``|``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]
    if isinstance(value, dict) and objects:
        return [value]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
            elif isinstance(v, dict) and objects:
                out.append(v)
            elif v is not None and v != "":
                raise OptionError(f"{column}: expected paths{' or names' * objects}, got {v!r}")
        return out
    raise OptionError(f"{column}: expected a path or a list of them, got {value!r}")


def _one(value, column: str) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if not isinstance(value, str):
        raise OptionError(f"{column}: expected a path, got {value!r}")
    return value.strip() or None


def _item(index: int, row: dict, folder: str) -> Item:
    from ..correct import FixOptions

    transcript = _one(row.get("transcript"), "transcript")
    audio = _one(row.get("audio"), "audio")
    if transcript is None and audio is None:
        raise OptionError("no transcript or audio: give a path in one of those columns")
    transcript = _resolve(transcript, folder) if transcript else None
    audio = _resolve(audio, folder) if audio else None
    lists, names = [], []
    for entry in _values(row.get("entities"), "entities", objects=True):
        if isinstance(entry, str) and entry.lower().endswith(LIST_SUFFIXES):
            lists.append(_resolve(entry, folder))
        else:
            names.append(entry)
    docs = [_resolve(d, folder) for d in _values(row.get("docs"), "docs")]
    if not (lists or names or docs):
        raise OptionError("no entities: give lists or names in 'entities', or documents in 'docs'")
    fmt = _one(row.get("format"), "format")
    if fmt is not None:
        fmt = _check_format(fmt, audio=transcript is None)
    min_score = row.get("min_score")
    if isinstance(min_score, str):
        min_score = min_score.strip() or None
    if min_score is not None and not (isinstance(min_score, float) and math.isnan(min_score)):
        try:
            min_score = float(min_score)
        except (TypeError, ValueError):
            raise OptionError(f"min_score must be a number between 0 and 1, got {min_score!r}"
                              ) from None
        FixOptions(min_score=min_score)  # the range check, in one place
    else:
        min_score = None
    source = transcript or audio
    given = _one(row.get("id"), "id")
    ident = _default_id(source, folder) if given is None else _checked_id(given)
    if transcript is not None:
        suffix = PurePosixPath(transcript).suffix
    else:
        suffix = AUDIO_EXTENSIONS[fmt or AUDIO_FORMAT]
    stem = ident
    if given is None and transcript is None:  # rec/ep3.ogg is written as rec/ep3.json
        stem = str(PurePosixPath(ident).with_suffix("")) if PurePosixPath(ident).suffix else ident
    output = stem if suffix and stem.endswith(suffix) else stem + suffix
    return Item(index, ident, output, transcript, audio, tuple(lists), tuple(names), tuple(docs),
                fmt, min_score)


def _check_format(fmt: str, *, audio: bool) -> str:
    from ..formats import format_class

    name = format_class(fmt).name
    if audio and name not in AUDIO_EXTENSIONS:
        raise OptionError(f"format {fmt!r} cannot be written from a recording: use one of "
                          f"{', '.join(AUDIO_EXTENSIONS)}")
    return name


def _default_id(source: str, folder: str) -> str:
    """The source's path relative to the manifest's folder (or, outside it, its whole
    path without the root or scheme)."""
    if is_uri(source):
        rel = source.split("://", 1)[1]
    elif not is_uri(folder) and _inside(source, folder):
        rel = os.path.relpath(source, folder)
    elif is_uri(folder):
        rel = source
    else:
        rel = os.path.splitdrive(source)[1]
    parts = [p for p in PurePosixPath(rel.replace(os.sep, "/")).parts if p not in ("/", "", ".")]
    return str(PurePosixPath(*parts))


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive
        return False


def _checked_id(ident: str) -> str:
    path = PurePosixPath(ident.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts or ident.startswith("."):
        raise OptionError(f"id {ident!r} must be a relative name inside the output folder "
                          "(no leading / or ., no ..)")
    return str(path)
