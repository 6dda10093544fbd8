"""The README's examples run: its Python blocks as doctests, its commands as written."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"^```python\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)
SH_BLOCKS = re.findall(r"^```sh\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


def test_readme_has_examples():
    assert len(PYTHON_BLOCKS) >= 3
    assert len(SH_BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_blocks(index, monkeypatch):
    """Each block runs after the ones before it, like cells of one notebook."""
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict = {}
    for i, block in enumerate(PYTHON_BLOCKS[: index + 1]):
        test = parser.get_doctest(block, globs, f"README block {i}", "README.md", 0)
        assert test.examples, f"README python block {i} has no >>> example"
        result = runner.run(test, out=sys.stdout.write, clear_globs=False)
        assert result.failed == 0, f"README python block {i} failed (see output above)"
        globs = test.globs  # the next block sees this one's names


def _setup_commands() -> list[str]:
    return [block.strip() for block in SH_BLOCKS if block.strip().startswith("pip install")]


def test_two_setup_commands_and_ci():
    first, second = _setup_commands()[:2]
    assert first.startswith("pip install -e '.[all]' && respell fix samples/")
    assert second.endswith("&& python -m pytest -q") and "'.[test]'" in second
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == second  # .ci/run runs exactly the README's test command


def _respell(command: str) -> subprocess.CompletedProcess:
    """A README command line, run with this checkout's respell (the package is installed)."""
    argv = shlex.split(command)
    assert argv[0] == "respell"
    return subprocess.run(
        [sys.executable, "-m", "respell", *argv[1:]],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


def test_first_setup_command_repairs_names_in_the_sample():
    """The part after 'pip install ... &&', run as written; the README shows the start of
    its real output (regenerate the block from the command when matching changes)."""
    proc = _respell(_setup_commands()[0].split("&&", 1)[1].strip())
    assert proc.returncode == 0, proc.stderr
    shown = re.findall(r"\{\+(.+?)\+\}", proc.stdout)
    for name in ("Qassem Soleimani", "Pervez Musharraf", "Tora Bora"):
        assert name in shown
    assert (ROOT / "samples" / "episode.txt").read_text(encoding="utf-8").count("Torbore") == 1
    block = README.split(_setup_commands()[0], 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[-1] == "..." and len(lines) > 4
    assert proc.stdout.splitlines()[: len(lines) - 1] == lines[:-1], (
        "the README shows other output than the command prints now:\n" + proc.stdout)


def test_sample_figures_are_what_eval_prints(tmp_path):
    """The table under the sample commands: WER and mentions before and after fix."""
    table = re.search(r"\| Whisper tiny.en \| ([\d.]+)% \| (\d+) of (\d+) \|\n"
                      r"\| after `respell fix` \| ([\d.]+)% \| (\d+) of \d+ \((\d+) edits right, "
                      r"(\d+) wrong\) \|", README)
    assert table, "the sample's table is not where the test looks for it"
    before = _respell("respell eval samples/reference.txt samples/episode.txt -e samples/names.txt")
    fixed = tmp_path / "fixed.txt"
    assert _respell(f"respell fix samples/episode.txt -e samples/names.txt -o {fixed}").returncode == 0
    after = _respell(f"respell eval samples/reference.txt {fixed} -e samples/names.txt "
                     "--original samples/episode.txt")
    wer0, ok0, total, wer1, ok1, right, wrong = table.groups()
    assert f"WER {wer0}%" in before.stdout and f"({ok0} of {total})" in before.stdout
    assert f"WER {wer1}%" in after.stdout and f"({ok1} of {total})" in after.stdout
    assert f"edits: {right} right, {wrong} wrong" in after.stdout
    cased = re.search(r"`--case-sensitive` the repair has (\d+) edits right and (\d+) wrong", README)
    assert cased, "the case-sensitive figures are not where the test looks for them"
    after = _respell(f"respell eval samples/reference.txt {fixed} -e samples/names.txt "
                     "--original samples/episode.txt --case-sensitive")
    assert "edits: {} right, {} wrong".format(*cased.groups()) in after.stdout
