"""The output folder of ``respell batch``: outputs, records, the changes table, the summary.

::

    OUTDIR/<id>.<ext>            each repaired transcript, in its own format
    OUTDIR/changes.parquet       one row per change of every item in the manifest
    OUTDIR/summary.json          this run: items done, up to date, failed (with errors)
    OUTDIR/.respell/items/*.json one record per finished item: its key and changes
    OUTDIR/.respell/tmp/         files being written (emptied at the start of a run)

Every file is written to ``.respell/tmp`` and renamed into place, so a reader (or a
run killed at any moment) sees the old file or the new one, never half of one. An
item's record is written after its output: an output without its record is made
again, one with a record is done. Only one run at a time may use a folder.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OptionError, RespellError
from .manifest import Item

if TYPE_CHECKING:  # pragma: no cover
    from typing import Self

META = ".respell"

#: rows of changes.parquet gathered before they are written (a row group)
ROW_GROUP = 50_000
#: the columns of changes.parquet, in order
CHANGE_COLUMNS = (
    ("id", "string"), ("input", "string"), ("input_sha256", "string"), ("format", "string"),
    ("start", "int64"), ("end", "int64"), ("original", "string"), ("replacement", "string"),
    ("entity", "string"), ("label", "string"), ("score", "float64"), ("runner_up", "string"),
    ("runner_up_score", "float64"), ("reason", "string"), ("acoustic", "float64"),
)


class OutputFolder:
    """An output folder, held by this run from :meth:`open` to :meth:`close`."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.meta = self.root / META
        self.items = self.meta / "items"
        self.tmp = self.meta / "tmp"
        self._lock = None

    # -- holding the folder ------------------------------------------------------------------

    def open(self) -> Self:
        """Take the folder for this run, and clear what a killed run was writing."""
        try:
            self.items.mkdir(parents=True, exist_ok=True)
            self.tmp.mkdir(exist_ok=True)
        except OSError as exc:
            raise RespellError(f"cannot write to the output folder {self.root}: "
                               f"{exc.strerror or exc}") from None
        self._lock = open(self.meta / "lock", "a+")  # noqa: SIM115 - held until close()
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock, one run at a time by hand
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._lock.close()
                self._lock = None
                raise OptionError(f"{self.root} is in use by another respell batch run: let it "
                                  "finish, or give another output folder") from None
        for leftover in self.tmp.iterdir():  # from a run that was killed while writing
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        return self

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- records -----------------------------------------------------------------------------

    def record_path(self, item: Item) -> Path:
        # by output, which no two items share (two ids may: episode.txt and episode.srt)
        return self.items / (hashlib.sha256(item.output.encode("utf-8")).hexdigest()[:32] + ".json")

    def record(self, item: Item) -> dict | None:
        """The record of the item's finished output, if the output is still there as written."""
        try:
            record = json.loads(self.record_path(item).read_text(encoding="utf-8"))
            st = (self.root / item.output).stat()
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("output") != item.output:
            return None
        if record.get("output_size") != st.st_size or record.get("output_mtime_ns") != st.st_mtime_ns:
            return None  # changed or replaced since: made again
        return record

    def write_item(self, item: Item, output: str, record: dict) -> None:
        """Write an item's output, then its record (which marks it done)."""
        path = self.root / item.output
        self.write(path, output.encode("utf-8"))
        st = path.stat()
        record = {**record, "output_size": st.st_size, "output_mtime_ns": st.st_mtime_ns}
        self.write(self.record_path(item), json.dumps(record, ensure_ascii=False).encode("utf-8"))

    # -- writing -----------------------------------------------------------------------------

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to ``path`` atomically: a temporary file in this folder's
        ``.respell/tmp``, flushed to disk, renamed into place."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        except OSError as exc:
            raise RespellError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an output gets the usual mode
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise RespellError(f"cannot write {path}: {exc.strerror or exc}") from None
            raise

    def write_changes(self, items: Iterable[Item]) -> int:
        """``changes.parquet``: one row per change of the given items' records, in their
        order; returns the number of rows. Records are read one at a time and rows written
        in groups of :data:`ROW_GROUP`, so an archive of any size fits in memory."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in CHANGE_COLUMNS])
        fd, tmp = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        os.close(fd)
        rows = 0
        try:
            with pq.ParquetWriter(tmp, schema) as writer:
                columns: dict[str, list] = {name: [] for name, _ in CHANGE_COLUMNS}
                for item in items:
                    record = json.loads(self.record_path(item).read_text(encoding="utf-8"))
                    for change in record["changes"]:
                        row = {**change, "id": record["id"], "input": record["input"],
                               "input_sha256": record["input_sha256"], "format": record["format"]}
                        for name, _ in CHANGE_COLUMNS:
                            columns[name].append(row.get(name))
                        rows += 1
                    if len(columns["id"]) >= ROW_GROUP:
                        writer.write_table(pa.table(columns, schema=schema))
                        columns = {name: [] for name, _ in CHANGE_COLUMNS}
                if columns["id"] or not rows:
                    writer.write_table(pa.table(columns, schema=schema))
            path = self.root / "changes.parquet"
            if path.exists() and filecmp.cmp(tmp, path, shallow=False):
                Path(tmp).unlink()  # a run that changed nothing leaves the table as it was
            else:
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise RespellError(f"cannot write {self.root / 'changes.parquet'}: "
                                   f"{exc.strerror or exc}") from None
            raise
        return rows

    def write_summary(self, summary: dict) -> None:
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        self.write(self.root / "summary.json", text.encode("utf-8"))
