"""Facts about the whole transcript, measured once, between finding the spans and judging them.

Whether the transcript is cased at all decides what a capital letter says about a
span and how a name is written back; the address cues ("thanks, X", "X, please go
ahead") are looked up once per token rather than once per candidate. Evidence that
needs the whole transcript (one spelling per transcript, say) is a step of this
kind too: measured here, read by the decision model, never threaded through the
span search.

>>> from respell.words import tokenize
>>> facts = transcript_facts(tokenize("Thanks, can. The call is over."), (), 12)
>>> facts.cased, facts.cue_before[1], facts.lexicon_size
(True, True, 12)
>>> transcript_facts(tokenize("thanks can the call is over"), (), 12).cased
False
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from . import context
from .features import TranscriptFacts
from .words import COMMON_ZIPF, Token, zipf


def transcript_facts(
    tokens: Sequence[Token], written_right: Collection[int], lexicon_size: int, *,
    known: bool = False, n_entities: int = 0, users_size: int = 0,
) -> TranscriptFacts:
    """The facts of a transcript cut into ``tokens``.

    ``written_right`` holds the tokens of listed names already written exactly as
    listed (:attr:`respell.match.Spans.written_right`); ``lexicon_size`` is the number
    of variants the transcript is matched against; ``known`` and ``n_entities`` say
    whether its list holds names known to be there, and how many the user gave;
    ``users_size`` the variants of those the user gave, where documents added more.
    """
    return TranscriptFacts(
        cased=is_cased(tokens, written_right),
        lexicon_size=lexicon_size,
        cue_before=tuple(context.name_cues(tokens)),
        cue_after=tuple(context.cue_after(tokens, j) for j in range(len(tokens) + 1)),
        known=known,
        n_entities=n_entities,
        users_size=users_size,
    )


def is_cased(tokens: Sequence[Token], written_right: Collection[int] = ()) -> bool:
    """Whether the transcript uses capital letters, judged by ordinary words only ("The",
    "I") outside the listed names already written right (``written_right``, token numbers).

    A correction writes a name, or replaces a rare garble ("Abidabad"), so either way
    the next pass judges the case as this one did.

    >>> from respell.words import tokenize
    >>> is_cased(tokenize("The call")), is_cased(tokenize("the call with Liz Sly"), {3, 4})
    (True, False)
    """
    return any(
        k not in written_right and any(ch.isupper() for ch in tok.text)
        and zipf(tok.text.lower()) >= COMMON_ZIPF
        for k, tok in enumerate(tokens)
    )
