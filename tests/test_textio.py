"""Reading inputs safely (binary, undecodable, empty, missing, BOM) and atomic writes."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from respell.errors import InputError, RespellError
from respell.textio import atomic_write, decode_bytes, read_text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Sola money", "Sola money"),
        (b"\xef\xbb\xbfSola money", "Sola money"),  # UTF-8 BOM dropped
        ("Quispe Mamani \u2013 Kuelap\r\n".encode(), "Quispe Mamani \u2013 Kuelap\r\n"),
        (b"", ""),
    ],
)
def test_decode_bytes_accepts_utf8(data, expected):
    assert decode_bytes(data, "x.txt") == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 in Beirut", "not valid UTF-8"),
        ("Beirut".encode("utf-16"), "is UTF-16, not UTF-8; convert it with: iconv"),
        ("Beirut".encode("utf-16-le"), "binary"),  # no byte-order mark: NUL bytes
    ],
)
def test_decode_bytes_refuses(data, message):
    with pytest.raises(InputError, match=message) as info:
        decode_bytes(data, "episode.txt")
    assert "episode.txt" in str(info.value)
    assert "\n" not in str(info.value)


@given(st.text())
def test_decode_bytes_round_trips_text_without_nul_or_bom(text):
    text = text.replace("\x00", "").lstrip("\ufeff")
    assert decode_bytes(text.encode("utf-8"), "x") == text


def test_read_text_reads_file(tmp_path):
    path = tmp_path / "episode.txt"
    path.write_bytes(b"\xef\xbb\xbfLiz sly on the bay loop.\n")
    assert read_text(path) == "Liz sly on the bay loop.\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "entity list not found"),
        (lambda p: p.write_bytes(b""), "entity list is empty"),
        (lambda p: p.write_bytes(b" \n\t\n"), "entity list is empty"),
        (lambda p: p.write_bytes(b"\x00\x01\x02"), "binary"),
        (lambda p: p.write_bytes(b"\xff\xfe\xfa"), "not valid UTF-8"),
        (lambda p: p.mkdir(), "is a directory"),
    ],
)
def test_read_text_bad_inputs(tmp_path, make, message):
    path = tmp_path / "names.txt"
    make(path)
    with pytest.raises(InputError, match=message) as info:
        read_text(path, what="entity list")
    assert info.value.exit_code == 2


def test_read_text_allow_empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    assert read_text(path, allow_empty=True) == ""


def test_read_text_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Torah for a\n")))
    assert read_text("-") == "Torah for a\n"


def test_read_text_empty_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InputError, match="<stdin>"):
        read_text("-", what="transcript")


# -- atomic_write -----------------------------------------------------------------------------


def test_atomic_write_new_file_uses_umask_mode(tmp_path):
    path = tmp_path / "fixed.txt"
    atomic_write(path, "Liz Sly in Beirut\r\n")
    assert path.read_bytes() == b"Liz Sly in Beirut\r\n"  # newlines written as given
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert os.listdir(tmp_path) == ["fixed.txt"]  # no temporary file left


def test_atomic_write_keeps_mode_and_backup(tmp_path):
    path = tmp_path / "episode.txt"
    path.write_text("Sola money")
    path.chmod(0o640)
    atomic_write(path, "Soleimani", backup=".bak")
    assert path.read_text() == "Soleimani"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    bak = tmp_path / "episode.txt.bak"
    assert bak.read_text() == "Sola money"
    # a second write replaces the old backup with the previous version
    atomic_write(path, "Qassem Soleimani", backup=".bak")
    assert bak.read_text() == "Soleimani"
    assert sorted(os.listdir(tmp_path)) == ["episode.txt", "episode.txt.bak"]


def test_atomic_write_without_backup_leaves_no_backup(tmp_path):
    path = tmp_path / "episode.txt"
    path.write_text("old")
    atomic_write(path, "new")
    assert os.listdir(tmp_path) == ["episode.txt"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"


def test_atomic_write_bad_target_is_one_line_error(tmp_path):
    with pytest.raises(RespellError, match="cannot write") as info:
        atomic_write(tmp_path / "no" / "such" / "dir" / "x.txt", "text")
    assert "\n" not in str(info.value)
    target = tmp_path / "a_directory"
    target.mkdir()
    with pytest.raises(RespellError, match="cannot write"):
        atomic_write(target, "text")
    assert os.listdir(target) == []
    assert sorted(os.listdir(tmp_path)) == ["a_directory"]  # temporary file removed


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "episode.txt"
    path.write_text("original")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(RespellError, match="No space left"):
        atomic_write(path, "new text")
    assert path.read_text() == "original"
    assert os.listdir(tmp_path) == ["episode.txt"]
