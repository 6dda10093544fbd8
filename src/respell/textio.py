"""Reading inputs safely and writing outputs atomically."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError, OptionError, RespellError

log = logging.getLogger(__name__)

_BOM = "\ufeff"


def decode_bytes(data: bytes, name: str) -> str:
    """Decode transcript bytes as UTF-8 (with or without BOM), refusing binary data.

    >>> decode_bytes("Sola money".encode(), "x.txt")
    'Sola money'
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and _is_utf16(data):  # Windows tools write these
        raise InputError(f"{name}: is UTF-16, not UTF-8; convert it with: iconv -f UTF-16 -t UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:  # anywhere: a NUL byte would be copied into the output
        raise InputError(f"{name}: looks like a binary file, not text (NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "convert it with: iconv -f LATIN1 -t UTF-8"
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    return text


def _is_utf16(data: bytes) -> bool:
    try:
        data.decode("utf-16")
    except UnicodeDecodeError:
        return False
    return len(data) % 2 == 0


def read_bytes(path: str | os.PathLike, *, what: str = "file") -> tuple[bytes, str]:
    """The bytes of a file, or of standard input when ``path`` is ``-``, and the
    name to show for it in messages.

    Raises :class:`InputError` with one clear line for a missing or unreadable file.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} not found: {name}") from None
    except IsADirectoryError:
        raise InputError(f"{what} is a directory, not a file: {name}") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {name}: {exc.strerror}") from None
    return data, name


def read_text(path: str | os.PathLike, *, what: str = "file", allow_empty: bool = False) -> str:
    """Read a UTF-8 text file, or standard input when ``path`` is ``-``.

    Raises :class:`InputError` with one clear line for a missing, unreadable,
    binary, undecodable or (unless ``allow_empty``) empty file.
    """
    data, name = read_bytes(path, what=what)
    text = decode_bytes(data, name)
    if not allow_empty and not text.strip():
        raise InputError(f"{what} is empty: {name}")
    return text


def load_json(text: str, name: str, error: type[RespellError] = InputError):
    """``json.loads(text)``, with any failure (bad syntax, nesting too deep for the parser, a
    number too long to convert) raised as one line of ``error`` naming ``name``.

    >>> load_json('[1, "a"]', "x.json")
    [1, 'a']
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{name}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise error(f"{name}: JSON nested too deeply to read") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise error(f"{name}: invalid JSON: {str(exc).split(';')[0]}") from None


def csv_rows(text: str, name: str, *, delimiter: str = ",",
             error: type[RespellError] = InputError) -> Iterator[list[str]]:
    """The rows of a CSV (or TSV) text; a malformed one (a cell over the csv module's
    128 KiB limit, a line break inside an unquoted cell) raises one line of ``error``.

    >>> list(csv_rows('a,b\\n"c, d",e\\n', "x.csv"))
    [['a', 'b'], ['c, d', 'e']]
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise error(f"{name}:{reader.line_num}: not readable as CSV: {exc}") from None
        yield row


def check_backup_suffix(suffix: str | None) -> None:
    """Refuse a backup suffix that is not a plain ending of a file name (``.orig``, ``~``)."""
    if suffix is None:
        return
    if not suffix or suffix.strip() != suffix or "/" in suffix or os.sep in suffix \
            or "\x00" in suffix:
        raise OptionError(f"--backup takes a suffix added to the file's name, such as .orig or ~; "
                          f"got {suffix!r}")


def is_read_only(path: str | os.PathLike) -> bool:
    """Whether an existing file is marked read-only (no write permission bit), or this
    process may not write it. A missing file is not read-only."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def atomic_write(path: str | os.PathLike, text: str, *, backup: str | None = None,
                 parents: bool = False) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half.

    With ``backup`` (a suffix such as ``.bak``) the previous file is kept beside it;
    ``parents`` creates missing folders. A file written over keeps its mode, and its owner
    and group where this process may set them. The new file replaces the name: other hard
    links to the old file keep the old text (a warning says so).
    """
    with atomic_writer(path, backup=backup, parents=parents) as fh:
        fh.write(text)


class AtomicFile:
    """The file :func:`atomic_writer` yields: ``write`` text to it; set ``discard`` to
    leave the old file as it was."""

    def __init__(self, fh) -> None:
        self._fh = fh
        self.discard = False

    def write(self, text: str) -> None:
        self._fh.write(text)


@contextmanager
def atomic_writer(path: str | os.PathLike, *, backup: str | None = None,
                  parents: bool = False) -> Iterator[AtomicFile]:
    """:func:`atomic_write` for text written piece by piece: the pieces go to a temporary
    file beside ``path``, which replaces it once the block ends without an error (and
    without ``discard`` set); otherwise the temporary file is removed.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "fixed.txt"
    >>> with atomic_writer(out) as fh:
    ...     fh.write("Liz Sly ")
    ...     fh.write("in Beirut")
    >>> out.read_text()
    'Liz Sly in Beirut'
    """
    check_backup_suffix(backup)
    path = Path(path)
    if path.is_symlink():  # write through the link: the link stays, its target changes
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    if parents:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise RespellError(f"cannot write {path}: {_not_a_folder(directory)} is not a "
                               "directory") from None
        except OSError as exc:
            raise RespellError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise RespellError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            out = AtomicFile(fh)
            yield out
            fh.flush()
            os.fsync(fh.fileno())
        if out.discard:
            os.unlink(tmp)
            return
        _replace(tmp, path, backup)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise RespellError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _replace(tmp: str, path: Path, backup: str | None) -> None:
    """Put the written temporary file in the place of ``path``, as :func:`atomic_write` says."""
    try:
        old = path.stat()
    except FileNotFoundError:
        old = None
    if old is None:  # mkstemp makes 0600; a new file gets the usual mode
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    else:
        _keep_owner(tmp, old)
        os.chmod(tmp, stat.S_IMODE(old.st_mode))
        if backup:
            bak = path.with_name(path.name + backup)
            if bak.exists():
                bak.unlink()
            os.link(path, bak)
        others = path.stat().st_nlink - 1 - bool(backup)
        if others > 0:
            log.warning("%s had %d other hard link%s: %s the old text (the new file "
                        "replaces this name only)", path, others, "s" * (others != 1),
                        "they keep" if others != 1 else "it keeps")
    os.replace(tmp, path)


def _keep_owner(tmp: str, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group, as far as this process may."""
    if not hasattr(os, "chown"):  # pragma: no cover - Windows
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.chown(tmp, uid, gid)
            return
        except OSError:
            continue


def _not_a_folder(directory: Path) -> Path:
    """The first part of ``directory`` that exists but is not a folder."""
    for parent in (*reversed(directory.parents), directory):
        if parent.exists() and not parent.is_dir():
            return parent
    return directory
