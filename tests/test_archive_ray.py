"""``respell batch --engine ray``: the same bytes as the local engine, on a Ray instance
with 2 CPUs started once for this module (about 10 s), over a dozen small items with
a bad one, a missing file and a recording (the sample's first 17 seconds, transcribed by
tiny.en once per engine). Run alone with ``python -m pytest -m ray``."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import pytest

from respell.archive import run_batch

pytestmark = pytest.mark.ray

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pq = pytest.importorskip("pyarrow.parquet")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RATE = 16_000
CLIP_SECONDS = 16.9  # ends between two of the sample's sentences


@pytest.fixture(scope="module")
def ray_instance():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _clip(folder: Path) -> Path | None:
    """The sample's first seconds as a WAV file, or None without faster-whisper and tiny.en."""
    try:
        from respell.audio import load_audio
        from respell.audio.weights import ct2_folder
    except ImportError:
        return None
    if ct2_folder("tiny.en") is None:
        return None
    samples = load_audio(SAMPLES / "episode.ogg")[: int(RATE * CLIP_SECONDS)]
    path = folder / "clip.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((samples.clip(-1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    for name in ("episode.txt", "episode.srt", "episode.json", "names.txt"):
        shutil.copy(SAMPLES / name, root / name)
    text = (SAMPLES / "episode.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    vtt = "WEBVTT\n\n" + "".join(f"00:00:{k:02d}.000 --> 00:00:{k + 1:02d}.000\n{p}\n\n"
                                 for k, p in enumerate(paragraphs[:6]))
    (root / "part.vtt").write_text(vtt, encoding="utf-8")
    for k, p in enumerate(paragraphs[:4]):
        (root / f"para{k}.txt").write_text(p + "\n", encoding="utf-8")
    (root / "people.jsonl").write_text('{"text": "Qassem Soleimani", "label": "PERSON"}\n'
                                       '{"text": "Pervez Musharraf", "label": "PERSON"}\n',
                                       encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x00\x01 binary")
    rows = [
        {"transcript": "episode.txt", "entities": "names.txt"},
        {"transcript": "episode.srt", "entities": ["names.txt"], "min_score": 0.6},
        {"transcript": "episode.json", "entities": ["people.jsonl", "Tora Bora"], "id": "j/one"},
        {"transcript": "part.vtt", "entities": "names.txt"},
        *({"transcript": f"para{k}.txt", "entities": "names.txt" if k % 2 else "people.jsonl"}
          for k in range(4)),
        {"transcript": "para0.txt", "entities": ["Liz Sly", "Baghdad"], "id": "inline"},
        {"transcript": "binary.txt", "entities": "names.txt"},
        {"transcript": "missing.srt", "entities": "names.txt"},
        {"transcript": "episode.txt", "entities": "nowhere.txt", "id": "nolist"},
    ]
    clip = _clip(root)
    if clip is not None:
        rows.append({"audio": "clip.wav", "entities": "names.txt", "format": "srt"})
    (root / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                         encoding="utf-8")
    return root, clip is not None


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".respell" not in p.parts and p.name != "summary.json"}


@pytest.fixture(scope="module")
def runs(archive, ray_instance):
    root, audio = archive
    local = run_batch(root / "manifest.jsonl", root / "local", jobs=2, progress=False)
    on_ray = run_batch(root / "manifest.jsonl", root / "ray", engine="ray", progress=False)
    return root, audio, local, on_ray


def test_ray_and_local_give_the_same_bytes(runs):
    root, audio, local, on_ray = runs
    assert (on_ray.done, on_ray.up_to_date) == (local.done, local.up_to_date) == (9 + audio, 0)
    assert on_ray.failed == local.failed and len(local.failed) == 3
    same = outputs(root / "local")
    assert outputs(root / "ray") == same
    assert "changes.parquet" in same and len(same) == 10 + audio
    assert on_ray.edits == local.edits == pq.read_table(root / "ray/changes.parquet").num_rows
    errors = {e["id"]: e["error"] for e in on_ray.failed}
    assert "binary file" in errors["binary.txt"] and "transcript not found" in errors["missing.srt"]
    assert "entity list not found" in errors["nolist"]


def test_the_recording_is_transcribed_and_repaired(runs):
    root, audio, *_ = runs
    if not audio:
        pytest.skip("faster-whisper or the tiny.en weights are not installed")
    srt = (root / "ray/clip.srt").read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,000 --> ")
    assert "Soleimani" in srt and "Baghdad" in srt  # tiny.en alone writes neither
    rows = [r for r in pq.read_table(root / "ray/changes.parquet").to_pylist() if r["id"] == "clip.wav"]
    assert rows and {r["format"] for r in rows} == {"srt"}


def test_a_second_ray_run_finds_everything_up_to_date(runs):
    root, audio, *_ = runs
    before = outputs(root / "ray")
    again = run_batch(root / "manifest.jsonl", root / "ray", engine="ray", progress=False)
    assert (again.done, again.up_to_date, len(again.failed)) == (0, 9 + audio, 3)
    assert outputs(root / "ray") == before
