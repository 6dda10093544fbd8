"""Reading inputs safely and writing outputs atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .errors import InputError, RespellError

_BOM = "\ufeff"


def decode_bytes(data: bytes, name: str) -> str:
    """Decode transcript bytes as UTF-8 (with or without BOM), refusing binary data.

    >>> decode_bytes("Sola money".encode(), "x.txt")
    'Sola money'
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and _is_utf16(data):  # Windows tools write these
        raise InputError(f"{name}: is UTF-16, not UTF-8; convert it with: iconv -f UTF-16 -t UTF-8")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text (found NUL bytes)")
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


def atomic_write(path: str | os.PathLike, text: str, *, backup: str | None = None) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half.

    With ``backup`` (a suffix such as ``.bak``) the previous file is kept beside it.
    """
    path = Path(path)
    if path.is_symlink():  # write through the link: the link stays, its target changes
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise RespellError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not path.exists():  # mkstemp makes 0600; a new file gets the usual mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        else:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
            if backup:
                bak = path.with_name(path.name + backup)
                if bak.exists():
                    bak.unlink()
                os.link(path, bak)
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise RespellError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
