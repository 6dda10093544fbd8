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


# -- hostile input and rough handling (issue 14) ----------------------------------------------


def test_a_nul_byte_anywhere_is_refused():
    data = ("x" * 5000 + "\x00 Sola money").encode()
    with pytest.raises(InputError, match="NUL byte at offset 5000"):
        decode_bytes(data, "late.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"count": ' + "9" * 5000 + "}", "invalid JSON: Exceeds the limit"),
        ('{"a": ', "invalid JSON at line 1"),
    ],
)
def test_load_json_failures_are_one_line(text, message):
    from respell.textio import load_json

    with pytest.raises(InputError, match=message) as info:
        load_json(text, "x.json")
    assert str(info.value).startswith("x.json: ") and "\n" not in str(info.value)


def test_csv_rows_failures_are_one_line():
    from respell.textio import csv_rows

    with pytest.raises(InputError, match=r"x.csv:3: not readable as CSV: field larger"):
        list(csv_rows("text\nLiz Sly\n" + "x" * 200_000 + "\n", "x.csv"))
    assert list(csv_rows("text\rLiz Sly\r\n", "x.csv")) == [["text"], ["Liz Sly"]]


@pytest.mark.parametrize("suffix", ["", "/x", "../x", "a/b", " .bak", "\x00"])
def test_backup_suffix_must_end_a_file_name(tmp_path, suffix):
    from respell.errors import OptionError

    path = tmp_path / "episode.txt"
    path.write_text("old")
    with pytest.raises(OptionError, match="--backup takes a suffix"):
        atomic_write(path, "new", backup=suffix)
    assert os.listdir(tmp_path) == ["episode.txt"] and path.read_text() == "old"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_atomic_write_keeps_owner_and_group(tmp_path):
    path = tmp_path / "episode.txt"
    path.write_text("old")
    os.chown(path, 1234, 5678)
    atomic_write(path, "new")
    st = path.stat()
    assert (st.st_uid, st.st_gid, path.read_text()) == (1234, 5678, "new")


def test_atomic_write_says_other_hard_links_keep_the_old_text(tmp_path, caplog):
    path = tmp_path / "episode.txt"
    path.write_text("old")
    os.link(path, tmp_path / "other.txt")
    atomic_write(path, "new", backup=".orig")
    assert (tmp_path / "other.txt").read_text() == "old" == (tmp_path / "episode.txt.orig").read_text()
    assert "had 1 other hard link: it keeps the old text" in caplog.text
    caplog.clear()
    atomic_write(path, "newer")  # the new file has one name only
    assert "hard link" not in caplog.text


def test_atomic_write_parents_and_a_file_in_the_way(tmp_path):
    atomic_write(tmp_path / "a" / "b" / "x.txt", "text", parents=True)
    assert (tmp_path / "a" / "b" / "x.txt").read_text() == "text"
    (tmp_path / "file").write_text("")
    with pytest.raises(RespellError, match=r"cannot write .*file/sub/x.txt: .*file is not a directory"):
        atomic_write(tmp_path / "file" / "sub" / "x.txt", "text", parents=True)


def test_read_only_files(tmp_path):
    from respell.textio import is_read_only

    path = tmp_path / "episode.txt"
    path.write_text("x")
    assert not is_read_only(path) and not is_read_only(tmp_path / "missing.txt")
    path.chmod(0o444)
    assert is_read_only(path)  # by its mode, even for root, whom access() lets write
