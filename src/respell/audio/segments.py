"""What a Whisper transcription is made of: words, segments, the whole transcription.

>>> w = Word("Beirut", 1.0, 1.4, 0.9)
>>> s = Segment(0, 0.8, 1.6, "in Beirut", (Word("in", 0.8, 1.0, 0.9), w))
>>> t = Transcription((s,), language="en", duration=2.0, model="tiny.en", backend="test")
>>> t.text, t.word_times()
('in Beirut', [(0, 2, 0.8, 1.0), (3, 9, 1.0, 1.4)])
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One recognized word, its time span in seconds and Whisper's probability."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    """One Whisper segment. ``prompt`` is the initial prompt it was decoded under."""

    id: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0
    tokens: tuple[int, ...] = ()
    temperature: float = 0.0
    prompt: str = ""

    def shifted(
        self, offset: float, *, id: int | None = None, prompt: str | None = None
    ) -> Segment:
        """The segment moved ``offset`` seconds later (for windows cut out of longer audio)."""
        from dataclasses import replace

        words = tuple(replace(w, start=w.start + offset, end=w.end + offset) for w in self.words)
        return replace(
            self,
            id=self.id if id is None else id,
            start=self.start + offset,
            end=self.end + offset,
            words=words,
            prompt=self.prompt if prompt is None else prompt,
        )


@dataclass(frozen=True)
class Transcription:
    """A transcription of one audio file: its segments and how they were made.

    ``dropped`` holds segments removed as hallucinations (prompt echoes on silence,
    repetition loops), kept for inspection.
    """

    segments: tuple[Segment, ...]
    language: str = "en"
    duration: float = 0.0
    model: str = ""
    backend: str = ""
    options: object = None
    dropped: tuple[Segment, ...] = field(default=(), repr=False)
    seconds: float = field(default=0.0, compare=False)

    @property
    def text(self) -> str:
        """The segment texts joined by single spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def real_time_factor(self) -> float:
        """Processing time over audio duration (0 when unknown)."""
        return self.seconds / self.duration if self.duration else 0.0

    def word_times(self) -> list[tuple[int, int, float, float]]:
        """(char_start, char_end, t0, t1) of every word in :attr:`text`.

        Words Whisper reports without timing inherit their segment's span.
        """
        out: list[tuple[int, int, float, float]] = []
        pos = 0
        text = self.text
        for seg in (s for s in self.segments if s.text.strip()):
            words = [w for w in seg.words if w.text.strip()]
            if not words:
                words = [Word(t, seg.start, seg.end) for t in seg.text.split()]
            for w in words:
                token = w.text.strip()
                at = text.find(token, pos)
                if at < 0:
                    continue
                out.append((at, at + len(token), round(w.start, 3), round(w.end, 3)))
                pos = at + len(token)
        return out

    def to_whisper_dict(self) -> dict:
        """The transcription in openai-whisper's result layout (``whisper.transcribe``)."""
        return {
            "text": "".join(" " + s.text.strip() for s in self.segments if s.text.strip()),
            "segments": [
                {
                    "id": i,
                    "seek": int(s.start * 100),
                    "start": round(s.start, 3),
                    "end": round(s.end, 3),
                    "text": " " + s.text.strip(),
                    "tokens": list(s.tokens),
                    "temperature": s.temperature,
                    "avg_logprob": s.avg_logprob,
                    "compression_ratio": s.compression_ratio,
                    "no_speech_prob": s.no_speech_prob,
                    "words": [
                        {
                            "word": w.text if w.text.startswith(" ") else " " + w.text,
                            "start": round(w.start, 3),
                            "end": round(w.end, 3),
                            "probability": round(w.probability, 4),
                        }
                        for w in s.words
                    ],
                }
                for i, s in enumerate(x for x in self.segments if x.text.strip())
            ],
            "language": self.language,
        }

    def __repr__(self) -> str:
        head = self.text[:60] + ("..." if len(self.text) > 60 else "")
        return (
            f"Transcription({len(self.segments)} segments, {self.duration:.1f} s, "
            f"model={self.model!r}, {head!r})"
        )
