"""Facts about the whole transcript, measured once, between finding the spans and judging them.

Whether the transcript is cased at all decides what a capital letter says about a
span and how a name is written back; the address cues ("thanks, X", "X, please go
ahead") are looked up once per token rather than once per candidate. Evidence that
needs the whole transcript (one spelling per transcript, say) is a step of this
kind too: measured here, read by the decision model, never threaded through the
span search.

>>> from respell.words import tokenize
>>> from respell.index import LexiconIndex
>>> from respell.lexicon import Lexicon
>>> index = LexiconIndex.of(Lexicon.from_entries(["Ken", "Dan"]))
>>> facts = transcript_facts(tokenize("Thanks, can. The call is over."), (), index)
>>> facts.cased, facts.cue_before[1], facts.lexicon_size, facts.known
(True, True, 2, True)
>>> transcript_facts(tokenize("thanks can the call is over"), (), index).cased
False
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from . import context
from .features import TranscriptFacts
from .words import COMMON_ZIPF, Token, zipf


def transcript_facts(
    tokens: Sequence[Token], written_right: Collection[int], index
) -> TranscriptFacts:
    """The facts of a transcript cut into ``tokens``, matched against ``index`` (a
    :class:`~respell.index.LexiconIndex`).

    ``written_right`` holds the tokens of listed names already written exactly as
    listed (:attr:`respell.match.Spans.written_right`).
    """
    # Whether the transcript is cased at all, judged by ordinary words only ("The", "I"):
    # a correction writes a name, or replaces a rare garble ("Abidabad"), so either way
    # the next pass judges the case as this one did.
    cased = any(
        k not in written_right and any(ch.isupper() for ch in tok.text)
        and zipf(tok.text.lower()) >= COMMON_ZIPF
        for k, tok in enumerate(tokens)
    )
    return TranscriptFacts(
        cased=cased,
        lexicon_size=len(index.entries),
        cue_before=tuple(context.name_cues(tokens)),
        cue_after=tuple(context.cue_after(tokens, j) for j in range(len(tokens) + 1)),
        known=index.known,
        n_entities=index.n_entities,
    )
