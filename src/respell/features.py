"""What the decision model knows about one match, and about the whole transcript.

:func:`respell.match.find_matches` measures every (span, entity variant) pair it
keeps as :class:`Features`; :class:`TranscriptFacts` are measured once per
transcript. :mod:`respell.decide` reads both by name (:data:`FEATURES`, then
:data:`TRANSCRIPT_INPUTS`) and derives the model's columns from them
(:func:`respell.decide.transform`).

>>> FEATURES[:4]
('psim', 'rsim', 'csim', 'margin')
"""

from __future__ import annotations

from typing import NamedTuple


class Features(NamedTuple):
    """The evidence about one match: how alike span and variant are, and what they are.

    Similarities are in [0, 1]; Zipf frequencies run from 0 (a word wordfreq does not
    know) to about 7 ("the"). A NamedTuple rather than a frozen dataclass: as frozen
    and as typed, but built four to six times faster, and one is made for every pair
    kept (about 90,000 on the LibriSpeech 1,000-word lists); its fields in order are
    a row of the model's matrix.
    """

    psim: float  # phoneme similarity of span and variant (phonetics.phoneme_similarity)
    rsim: float  # similarity of their broad sound classes (the shortlist's measure)
    csim: float  # spelling similarity of their letters (rapidfuzz ratio / 100)
    margin: float  # psim minus the best psim of another entity for the same span
    rank: int  # the variant's place among the span's kept variants by psim (0: best)
    trim_gain: float  # how much better the span does without its first or last word
    span_zipf_max: float  # Zipf frequency of the span's most common word
    span_zipf_mean: float  # ... the mean over its words
    span_zipf_min: float  # ... of its rarest word
    edge_zipf: float  # of the more common of its first and last words (0: one word)
    ent_zipf: float  # mean Zipf frequency of the variant's words
    n_span: int  # words in the span
    n_ent: int  # words in the variant
    ent_phones: int  # phonemes of the variant
    span_phones: int  # phonemes of the span
    same_letters: bool  # the span has the variant's letters (a case or spacing fix)
    sounds_like: bool  # the variant is a misrecognition the list gives ("sounds_like")
    surname: bool  # the variant is a surname or a given name taken alone
    span_capital: bool  # the span's first word is capitalised
    span_all_capital: bool  # every word of the span is
    sentence_start: bool  # the span opens a sentence (so its capital says nothing)
    given_name: bool  # the variant is a given name taken alone
    ent_capital: bool  # the variant is capitalised
    name_cue: bool  # an address or introduction cue beside the span (respell.context)
    anchor: float  # another word of the entity spelled right in or beside the span
    ent_person: bool  # the entity is labelled PERSON
    # -- read by the known-list model only (respell.decide.known_log_odds) --------------
    part: bool = False  # the variant is a part of a longer name said alone ("Bagram")
    short_form: bool = False  # the variant is a short given name ("Ken" for Kenneth)
    from_document: bool = False  # the entity came from a related document (NER), not the user
    from_pattern: bool = False  # ... from a pattern mined from one (a ticker, a CamelCase name)
    edge_function: bool = False  # the span begins or ends with a function word ("a man")


#: The names of :class:`Features`, in order.
FEATURES: tuple[str, ...] = Features._fields


class TranscriptFacts(NamedTuple):
    """What holds for the whole transcript, measured once (:mod:`respell.transcript`).

    Transcript-wide evidence belongs here (and in the step that measures it), not in
    flags threaded through the span search.
    """

    cased: bool  # the transcript uses capital letters (judged on ordinary words)
    lexicon_size: int  # variants it is matched against
    cue_before: tuple[bool, ...]  # per token: an address cue just before it ("thanks, X")
    cue_after: tuple[bool, ...]  # per token position j: the words from j on call on a
    # speaker ("X, please go ahead") or report one ("as X mentioned")
    known: bool = False  # the list holds names known to be in it (Lexicon.known)
    n_entities: int = 0  # the user's entities in the list (not those from documents)
    # a known list with documents' entries too: the variants of the user's entities, the
    # size the model reads for their matches (0: the same as lexicon_size)
    users_size: int = 0


#: The facts of :class:`TranscriptFacts` the model reads, under the names it reads them by.
TRANSCRIPT_INPUTS = ("has_case", "lexicon_size")

# The shortlist's sound-class similarity (``rsim``) a pair needs to be compared at all;
# rapidfuzz drops pairs at exactly 0.6 (3 of 5 classes) otherwise. The decision model
# was trained on pairs at or above it.
SOUND_CLASS_CUTOFF = 0.599
# ... and what a pair of a name the user listed as known to be there needs, where the
# span holds a word rarer than WIDE_ZIPF (respell.match): a short list is searched wider.
WIDE_SOUND_CLASS_CUTOFF = 0.5
WIDE_ZIPF = 4.0
