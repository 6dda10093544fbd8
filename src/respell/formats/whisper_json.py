"""Whisper JSON (the result dict of openai-whisper's ``transcribe``, as its CLI writes it).

The text view is the segments' ``text`` joined by newlines, each segment
boundary a barrier. The file is edited span by span: a changed segment gets
its new ``text``; when the segment has ``words`` (``word_timestamps=True``),
the words a change touches are rewritten, a multi-word repair taking the
first word's ``start`` and the last word's ``end`` (and the lowest
``probability`` of them); the top-level ``text`` is rebuilt when it was the
concatenation of the segments. Everything else, including numbers' spelling,
spacing and key order, stays byte-identical. Segment ``tokens`` (token ids)
are left as they were.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import FormatError
from ..result import Change
from . import _jsonpos
from ._jsonpos import Node
from .base import (
    Document,
    Timing,
    apply_local,
    check_changes,
    join_slots,
    overlapping_groups,
    retime,
    split_by_slots,
    split_words,
    strip_bom,
)

log = logging.getLogger(__name__)
_SEP = "\n"


@dataclass(frozen=True)
class _Segment:
    text: Node
    words: Node | None  # the array node, when word times align with the text
    spans: tuple[tuple[int, int], ...]  # each word's range in the segment text


@dataclass(frozen=True)
class WhisperJSON(Document):
    """openai-whisper result JSON: ``text``, ``segments`` (``start``, ``end``, ``text``,
    optional ``words`` with ``word``, ``start``, ``end``, ``probability``).

    >>> raw = '{"text": " Sola money", "segments": [{"start": 0.0, "end": 1.0, "text": " Sola money"}]}'
    >>> WhisperJSON.parse(raw).text
    ' Sola money'
    """

    name = "whisper-json"
    extensions = (".json",)
    unit = "segment"

    raw: str = field(default="", repr=False)
    segments: tuple[_Segment, ...] = field(default=(), repr=False)
    slot_spans: tuple[tuple[int, int], ...] = field(default=(), repr=False)
    top_text: Node | None = field(default=None, repr=False)
    ascii_only: bool = field(default=True, repr=False)

    @classmethod
    def sniff(cls, raw: str) -> bool:
        head = strip_bom(raw)[0].lstrip()[:4096]
        return head.startswith("{") and '"segments"' in strip_bom(raw)[0]

    @classmethod
    def parse(cls, raw: str, *, source: str = "<input>") -> WhisperJSON:
        raw, bom = strip_bom(raw)
        root = _jsonpos.parse(raw, name=source)
        segs = root.get("segments")
        if segs is None or segs.kind != "array":
            raise FormatError(f"{source}: not Whisper JSON: no 'segments' list at the top level")
        segments, texts, seg_times = [], [], []
        for n, seg in enumerate(segs.value):
            text = seg.get("text")
            if text is None or text.kind != "string":
                raise FormatError(f"{source}: segment {n} has no 'text' string")
            words, spans = _align_words(seg.get("words"), text.value, source, n)
            segments.append(_Segment(text, words, spans))
            texts.append(text.value)
            seg_times.append((_number(seg.get("start")), _number(seg.get("end"))))
        view, slots, barriers = join_slots(texts, _SEP)
        times: list[Timing] = []
        for seg, (s, _e), (t0, t1) in zip(segments, slots, seg_times):
            if seg.words is not None:
                for w, (ws, we) in zip(seg.words.value, seg.spans):
                    word = w.get("word").value
                    lead = len(word) - len(word.lstrip())
                    times.append(Timing(s + ws + lead, s + we, _number(w.get("start")),
                                        _number(w.get("end"))))
            elif t0 is not None and t1 is not None:
                times.append(Timing(s, _e, t0, t1))
        top = root.get("text")
        top = top if top is not None and top.kind == "string" and top.value == "".join(texts) else None
        return cls(view, barriers, tuple(t for t in times if t.t0 is not None and t.t1 is not None),
                   bom, raw, tuple(segments), tuple(slots), top, raw.isascii())

    def render(self, changes: Sequence[Change] = ()) -> str:
        changes = check_changes(self.text, changes)
        by_slot = split_by_slots(changes, self.slot_spans, self.unit)
        edits: list[tuple[int, int, str]] = []
        new_texts = [seg.text.value for seg in self.segments]
        for k, local in by_slot.items():
            seg = self.segments[k]
            new_texts[k] = apply_local(seg.text.value, local)
            edits.append((seg.text.start, seg.text.end, self._dump(new_texts[k])))
            if seg.words is not None:
                edits.extend(self._word_edits(seg, local))
        if by_slot and self.top_text is not None:
            edits.append((self.top_text.start, self.top_text.end, self._dump("".join(new_texts))))
        return self._with_bom(apply_local(self.raw, sorted(edits)))

    def line_of(self, offset: int) -> int | None:
        return None  # a JSON file's lines say little; the time is shown instead

    def _dump(self, text: str) -> str:
        return json.dumps(text, ensure_ascii=self.ascii_only)

    def _word_edits(self, seg: _Segment, local) -> list[tuple[int, int, str]]:
        items = seg.words.value
        out = []
        for i, j, group in overlapping_groups(local, seg.spans):
            base = seg.spans[i][0]
            region = seg.text.value[base:seg.spans[j - 1][1]]
            region = apply_local(region, [(s - base, e - base, r) for s, e, r in group])
            words = split_words(region)
            old = items[i:j]
            times = retime([(self._lit(w.get("start")), self._lit(w.get("end"))) for w in old],
                           len(words))
            # the merged word is as sure as the least sure of its words (numbers only: a
            # null or a string is no probability, and is left as it was)
            prob = min((p for p in (w.get("probability") for w in old) if _is_number(p)),
                       key=lambda n: n.value, default=None)
            new_items = []
            for n, (word, (t0, t1)) in enumerate(zip(words, times)):
                template = old[min(n, len(old) - 1)]
                subs = [(template.get("word"), self._dump(word)),
                        (template.get("start"), t0), (template.get("end"), t1)]
                if prob is not None and _is_number(template.get("probability")) \
                        and len(words) < len(old):
                    subs.append((template.get("probability"), self._lit(prob)))
                new_items.append(_substitute(self.raw, template, subs))
            if new_items:
                sep = self.raw[items[0].end:items[1].start] if len(items) > 1 else ", "
                out.append((old[0].start, old[-1].end, sep.join(new_items)))
            elif j < len(items):
                out.append((old[0].start, items[j].start, ""))
            elif i > 0:
                out.append((items[i - 1].end, old[-1].end, ""))
            else:
                out.append((old[0].start, old[-1].end, ""))
        return out

    def _lit(self, node: Node | None) -> str:
        return self.raw[node.start:node.end] if node is not None else "null"


def _substitute(raw: str, template: Node, subs: list[tuple[Node | None, str]]) -> str:
    """The source text of ``template`` with some of its member values replaced."""
    local = sorted(
        (n.start - template.start, n.end - template.start, text) for n, text in subs if n is not None
    )
    return apply_local(raw[template.start:template.end], local)


def _is_number(node: Node | None) -> bool:
    return node is not None and node.kind == "number"


def _number(node: Node | None) -> float | None:
    if not _is_number(node):
        return None
    return float(node.value)


def _align_words(words: Node | None, text: str, source: str, n: int):
    """Find each word in the segment text; ``(None, ())`` when they do not line up."""
    if words is None or words.kind != "array" or not words.value:
        return None, ()
    spans, pos = [], 0
    for w in words.value:
        word = w.get("word") if w.kind == "object" else None
        if word is None or word.kind != "string" or w.get("start") is None or w.get("end") is None:
            log.warning("%s: segment %d: words lack word/start/end; word times not used", source, n)
            return None, ()
        at = text.find(word.value, pos)
        if at < 0 or text[pos:at].strip():
            log.warning("%s: segment %d: words do not match the segment text; "
                        "word times not updated", source, n)
            return None, ()
        spans.append((at, at + len(word.value)))
        pos = at + len(word.value)
    return words, tuple(spans)
