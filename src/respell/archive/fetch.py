"""Reading the inputs of an archive: local files, or URIs of any filesystem pyarrow opens.

respell's readers take local paths; a URI (``s3://bucket/ep1.srt``) is copied once
into a private temporary folder and read from there, so every input goes through
the same readers and checks.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import PurePosixPath

from ..errors import InputError, MissingDependencyError

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_uri(path: str) -> bool:
    """Whether ``path`` names a file through a filesystem URI (``s3://bucket/key``)."""
    return bool(_URI.match(path))


_CHUNK = 1 << 20


def need_pyarrow() -> None:
    """Raise one clear error when pyarrow (Parquet, remote filesystems) is missing."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "respell batch needs pyarrow (it writes changes.parquet): "
            "pip install 'respell[batch]'"
        ) from None


def _open(uri: str, what: str):
    need_pyarrow()
    import pyarrow as pa
    import pyarrow.fs as pafs

    try:
        fs, path = pafs.FileSystem.from_uri(uri)
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            raise InputError(f"{what} not found: {uri}")
        if info.type == pafs.FileType.Directory:
            raise InputError(f"{what} is a directory, not a file: {uri}")
        return fs.open_input_stream(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"cannot read {what} {uri}: {exc}") from None


def read_uri(uri: str, *, what: str = "file") -> bytes:
    """The bytes of a file named by a URI."""
    with _open(uri, what) as stream:
        return stream.read()


_copies: dict[str, str] = {}
_folder: str | None = None


def local_path(path: str, *, what: str = "file") -> str:
    """A local path to read ``path`` from: itself, or a private copy of a URI's file
    (made once per process, removed when the process ends)."""
    if not is_uri(path):
        return path
    if path in _copies:
        return _copies[path]
    global _folder
    if _folder is None:
        _folder = tempfile.mkdtemp(prefix="respell-batch-")
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    name = hashlib.sha256(path.encode()).hexdigest()[:16] + PurePosixPath(path).suffix
    dest = os.path.join(_folder, name)
    with _open(path, what) as stream, open(dest, "wb") as out:
        while chunk := stream.read(_CHUNK):
            out.write(chunk)
    _copies[path] = dest
    return dest


def file_sha256(path: str, *, what: str = "file") -> str:
    """SHA-256 of a (local) file's bytes, with respell's one-line errors."""
    from ..textio import read_bytes

    return hashlib.sha256(read_bytes(path, what=what)[0]).hexdigest()
