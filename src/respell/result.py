"""The data of a correction: options, changes, the Result, and applying changes to a text.

The lowest floor of the engine: formats, reports, review, display and audio read
and write these records without depending on how the changes were found
(:mod:`respell.correct`).

>>> change = Change(8, 18, "Sola money", "Soleimani", "Qassem Soleimani", "PERSON", 0.91)
>>> result = Result("General Sola money.", "General Soleimani.", (change,))
>>> result
Result(1 changes: 'Sola money'->'Soleimani')
>>> apply_changes(result.source, result.changes) == result.text
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace

from .errors import OptionError

#: Default decision threshold on the calibrated score, chosen on ../shared/bench dev data
#: (see benchmarks/README.md).
DEFAULT_MIN_SCORE = 0.35


@dataclass(frozen=True)
class FixOptions:
    """Options of :func:`~respell.correct.fix`. ``min_score`` in [0, 1]: higher means fewer,
    surer edits."""

    min_score: float = DEFAULT_MIN_SCORE
    max_span_words: int = 4

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_score <= 1.0:
            raise OptionError(f"min_score must be between 0 and 1, got {self.min_score}")
        if not 1 <= self.max_span_words <= 8:
            raise OptionError(f"max_span_words must be between 1 and 8, got {self.max_span_words}")

    @classmethod
    def of(cls, options: FixOptions | None = None, min_score: float | None = None) -> FixOptions:
        """``options`` (the defaults when None) with ``min_score`` instead, when it is given:
        how every entry point reads its ``options=`` and ``min_score=`` arguments.

        >>> FixOptions.of(None, 0.5).min_score, FixOptions.of(FixOptions(max_span_words=2), 0.5)
        (0.5, FixOptions(min_score=0.5, max_span_words=2))
        >>> FixOptions.of() == FixOptions()
        True
        """
        options = cls() if options is None else options
        return options if min_score is None else replace(options, min_score=min_score)


@dataclass(frozen=True)
class Change:
    """One correction: ``source[start:end]`` (``original``) becomes ``replacement``.

    ``score`` is the calibrated probability that the change is right;
    ``runner_up`` the best other entity for the same words, if any.
    ``acoustic`` is set when audio confirmed or judged the change.
    ``sources`` are the entity's (:attr:`respell.entity.Entity.sources`): where it came from.
    """

    start: int
    end: int
    original: str
    replacement: str
    entity: str
    label: str | None
    score: float
    runner_up: str | None = None
    runner_up_score: float | None = None
    reason: str = ""
    acoustic: float | None = None
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The change as a JSON-ready dict (the report's record)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Change:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        names = cls.__dataclass_fields__.keys()
        data = {k: v for k, v in data.items() if k in names}
        if isinstance(data.get("sources"), list):
            data["sources"] = tuple(data["sources"])  # as JSON writes a tuple
        return cls(**data)


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`fix`: corrected ``text``, the ``changes`` and the options used."""

    source: str = field(repr=False)
    text: str = field(repr=False)
    changes: tuple[Change, ...]
    options: FixOptions = field(default_factory=FixOptions)
    candidates: tuple[Change, ...] = field(default=(), repr=False)

    @property
    def source_sha256(self) -> str:
        """Hash of the input text, stored in reports so they are applied to the same input."""
        return sha256_text(self.source)

    def with_changes(self, changes: Iterable[Change]) -> Result:
        """A Result with another set of changes (e.g. a reviewed subset) applied to the source."""
        changes = tuple(sorted(changes, key=lambda c: c.start))
        return replace(self, changes=changes, text=apply_changes(self.source, changes))

    def __repr__(self) -> str:
        edits = ", ".join(f"{c.original!r}->{c.replacement!r}" for c in self.changes[:5])
        more = f", ... {len(self.changes) - 5} more" if len(self.changes) > 5 else ""
        return f"Result({len(self.changes)} changes: {edits}{more})"

    def _repr_html_(self) -> str:
        from .display import result_html  # the one view above this floor: notebooks ask for it

        return result_html(self, standalone=False)


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``text``, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply_changes(source: str, changes: Sequence[Change]) -> str:
    """Apply non-overlapping changes to ``source``; bytes outside them are kept as they are.

    >>> apply_changes("so la money", [Change(0, 11, "so la money", "Soleimani", "Soleimani", None, 0.9)])
    'Soleimani'
    """
    ordered = sorted(changes, key=lambda c: c.start)
    check_changes(source, ordered)
    out, pos = [], 0
    for ch in ordered:
        out.append(source[pos:ch.start])
        out.append(ch.replacement)
        pos = ch.end
    out.append(source[pos:])
    return "".join(out)


def check_changes(source: str, ordered: Sequence[Change], error: type[Exception] = OptionError,
                  *, bounds: bool = False) -> None:
    """Raise ``error`` unless each of the ``ordered`` changes (in text order) finds its
    original words in ``source`` and none overlaps the one before (``bounds``: and each
    lies inside ``source``)."""
    pos = 0
    for ch in ordered:
        if bounds and not (0 <= ch.start <= ch.end <= len(source)):
            raise error(f"change at {ch.start}-{ch.end} is outside the text ({len(source)} chars)")
        if ch.start < pos:
            raise error(f"changes overlap at offset {ch.start}: {ch.original!r}")
        if source[ch.start:ch.end] != ch.original:
            raise error(
                f"change at {ch.start}-{ch.end} expects {ch.original!r}, "
                f"found {source[ch.start:ch.end]!r}"
            )
        pos = ch.end


def compose(first: Result, second: Result) -> Result:
    """``first`` followed by ``second`` (a correction of ``first.text``), as one Result on
    ``first.source``: each change of ``second`` that touches changes of ``first`` becomes
    one change with them ("Lee Kati Ferrante" then "Leocadia Ferrante": one change of
    "Lee Kati Affairante"), told by the later one's entity, score and reason.

    >>> a = Change(4, 14, "Sola money", "Soleimani", "Qassem Soleimani", "PERSON", 0.9)
    >>> one = Result("Gen Sola money Cassem", "Gen Soleimani Cassem", (a,))
    >>> b = Change(4, 23, "Soleimani Cassem", "Qassem Soleimani", "Qassem Soleimani", "PERSON", 0.8)
    >>> both = compose(one, Result(one.text, "Gen Qassem Soleimani", (b,)))
    >>> [(c.original, c.replacement) for c in both.changes]
    [('Sola money Cassem', 'Qassem Soleimani')]
    >>> apply_changes(both.source, both.changes) == both.text
    True
    """
    if not second.changes:
        return first
    # first's changes where they lie in first.text, and the groups of touching changes
    placed, shift = [], 0
    for c in sorted(first.changes, key=lambda c: c.start):
        placed.append((c.start + shift, c.start + shift + len(c.replacement), c))
        shift += len(c.replacement) - (c.end - c.start)
    groups: list[tuple[int, int, list[Change]]] = []  # [start, end) in first.text, second's
    for c in sorted(second.changes, key=lambda c: c.start):
        a, b = c.start, c.end
        for pa, pb, _ in placed:
            if pa < b and a < pb or pa == pb and a <= pa <= b:
                a, b = min(a, pa), max(b, pb)
        if groups and a < groups[-1][1]:
            ga, gb, members = groups.pop()
            a, b, members = min(a, ga), max(b, gb), [*members, c]
        else:
            members = [c]
        groups.append((a, b, members))
    kept = [c for pa, pb, c in placed
            if not any(a <= pa and pb <= b and (a < b or pa == pb) for a, b, _ in groups)]
    made = []
    for a, b, members in groups:
        start, end = _back(a, placed), _back(b, placed)
        later = max(members, key=lambda c: c.score)
        made.append(replace(
            later, start=start, end=end, original=first.source[start:end],
            replacement=second.text[_forward(a, second.changes):_forward(b, second.changes)],
        ))
    changes = tuple(sorted([*kept, *made], key=lambda c: c.start))
    candidates = tuple(c for c in first.candidates
                       if not any(m.start < c.end and c.start < m.end for m in made))
    return replace(first, text=second.text, changes=changes, candidates=candidates)


def _back(pos: int, placed: list[tuple[int, int, Change]]) -> int:
    """A position of the corrected text outside every change, in the source."""
    shift = 0
    for pa, pb, c in placed:
        if pb <= pos and not (pa == pb == pos and c.start == c.end):
            shift += len(c.replacement) - (c.end - c.start)
    return pos - shift


def _forward(pos: int, changes: Sequence[Change]) -> int:
    """A position of a text outside (or at the edge of) ``changes``, after they are made."""
    return pos + sum(len(c.replacement) - (c.end - c.start) for c in changes if c.end <= pos
                     and not (c.start == c.end == pos and pos == 0))
