"""Which changes may be written: the rules a change passes whatever its score.

A match the model scores high can still be no edit worth making, or one that is never
right: a change of case alone over a common word ("us" -> "US"), a word the recognizer
got right in another form than the listed name ("Israelis" -> "Israeli"), punctuation at
a word's edge ("you" -> "You-"), a name where no such name stands ("said Brandy Berlaj"
is no "Brandy Pervez": :func:`out_of_place`). :func:`respell.proposals.proposals` asks these
before a match becomes a change; :func:`written_as` says how the name is written there.
Whether the words said are only written in another form is :mod:`respell.wordforms`.

>>> worth_respelling("you", "You-", True)
False
>>> written_as("QASSEM SOLEIMANI", "sola money", True)
'Qassem Soleimani'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .context import after_other_name
from .people import own_part
from .wordforms import ORDINARY_ZIPF
from .words import (
    FUNCTION_ZIPF,
    POSSESSIVE,
    WORD,
    Token,
    hyphened,
    letters,
    sentence_start,
    spaced,
    stem,
    zipf,
)

#: A word this common (Zipf) said alone is a document's name only where it sounds like the
#: whole of it (:func:`document_name_over_word`).
_VERY_COMMON_ZIPF = 5.0
_WHOLE_SOUND = 0.8


def document_name_over_word(original: str, replacement: str, psim: float) -> bool:
    """Whether a name a document gave would be written over one very common word (Zipf >=
    5) that sounds like only a part of it ("next" for NextEra: "next year", "the next
    phase"), or that it writes as an acronym ("your" -> EUR, "ask" -> ASC). A document's
    entries are weaker evidence than a typed list's: that the name is in the document
    says little of a word this common.

    >>> document_name_over_word("next", "NextEra", 0.72), document_name_over_word("ask", "ASC", 1.0)
    (True, True)
    >>> document_name_over_word("Nextera", "NextEra", 1.0)
    False
    """
    if len(original.split()) != 1 or zipf(original.lower()) < _VERY_COMMON_ZIPF:
        return False
    return psim < _WHOLE_SOUND or (replacement.isupper() and not original.isupper())


def acronym_over_name(original: str, replacement: str, sentence_start: bool) -> bool:
    """Whether a change writes an acronym over a name the recognizer wrote: one common word
    (Zipf >= 4) capitalised inside a sentence, for an all-caps word of other letters.
    Articles put tickers beside the names people say ("Alphabet (NASDAQ: GOOGL)"), and
    "Google" is no garble of GOOGL.

    >>> acronym_over_name("Google", "GOOGL", False), acronym_over_name("gap", "GAAP", False)
    (True, False)
    """
    said = WORD.findall(original)
    return (len(said) == 1 and replacement.isupper() and original[:1].isupper()
            and not original.isupper() and not sentence_start
            and letters(original) != letters(replacement) and zipf(said[0].lower()) >= _NAME_ZIPF)


_NAME_ZIPF = 4.0  # a capitalised word this common is a name the recognizer knows ("Google" 5.3)


# A case-only change of a word this common is never made ("us" -> "US", "who" -> "WHO");
# of one this common, only to a name the user listed whole ("apple" -> "Apple" only when
# the user typed Apple, never for a document's entry or a part of a longer name).
_NEVER_RECASE_ZIPF = 5.0
_RECASE_LISTED_ZIPF = 4.0
_RECASE_DOCUMENT_ZIPF = 3.0


def may_recase(original: str, kind: str, origin: str) -> bool:
    """Whether a change of case only (the same letters) may be made over ``original``.

    A document's entry or a part of a name written over a common word only because the
    document capitalised it ("sanctions" -> "Sanctions", a sentence-initial word spaCy
    took for an organisation) is never right; a very common word is not a name at all.

    >>> may_recase("chess", "part", "user"), may_recase("chess", "canonical", "user")
    (False, True)
    """
    words = original.split()
    zipfs = [zipf(w.lower()) for w in words]
    if len(words) == 1:
        if zipfs[0] >= _NEVER_RECASE_ZIPF:
            return False
        if origin != "user" or kind == "part":
            # nor is the generic head of a longer name ("chess" -> "Chess" of Norway Chess)
            return zipfs[0] < _RECASE_DOCUMENT_ZIPF
        return zipfs[0] < _RECASE_LISTED_ZIPF or kind in ("canonical", "alias")
    # several words: not a phrase of ordinary words after a document's capitals
    return origin == "user" or min(zipfs) < _RECASE_LISTED_ZIPF


#: the kinds of variant that are one part of a person's name
PERSON_PARTS = frozenset({"surname", "given_name", "short"})
_ACRONYM = re.compile(r"[A-Z]{3,}(?:['’]?s)?")  # "BJ" may be Vijay, "KC" Casey


def _phrase_ends(text: str, tokens: Sequence[Token], j: int) -> bool:
    """Whether a phrase ends before token ``j``: the text ends, a mark stands between, a
    function word or other very common word follows ("of", "on", "said", "please"), or a
    capitalised one ("the war in Ukraine" is no "the Warren Ukraine")."""
    if j >= len(tokens):
        return True
    after = tokens[j].text
    return bool(re.search(r"[^\w\s'’-]", text[tokens[j - 1].end:tokens[j].start])) or (
        after[:1].isupper() or zipf(after.lower()) >= FUNCTION_ZIPF
    )


def _repeats_neighbour(text: str, said: list[str], tokens: Sequence[Token], i: int, j: int,
                       name: str) -> bool:
    """Whether the name begins with the word before the words ``said`` (tokens ``i`` to
    ``j``) or ends with the word after them, which the words said do not, or holds the
    letters of a piece hyphened to them ("e-" of "e-commerce")."""
    written = WORD.findall(name)
    if not written or not said:
        return False
    before = tokens[i - 1].text.lower() if i else None
    after = tokens[j].text.lower() if j < len(tokens) else None
    # (where nothing but a space stands between: "Tulsi Gabbert. Gabbard ran" is Gabbard)
    if (before == written[0].lower() != said[0].lower() and spaced(text, tokens, i)
            or after == written[-1].lower() != said[-1].lower() and spaced(text, tokens, j)):
        return True
    # a piece of a hyphenated word the name holds already: "e-commerce" is no "e-eCommerce"
    whole, heard = letters(name), letters(" ".join(said))
    glued_before = before is not None and hyphened(text, tokens, i)
    glued_after = after is not None and hyphened(text, tokens, j)
    return (glued_before and whole.startswith(letters(before))
            and not heard.startswith(letters(before))
            or glued_after and whole.endswith(letters(after)) and not heard.endswith(letters(after)))


def _pronoun_clause(text: str, said: list[str], tokens: Sequence[Token], i: int, j: int,
                    name: str) -> bool:
    """Whether the words ``said`` (tokens ``i`` to ``j``) are, or follow, a pronoun and an
    ordinary word that make a clause: "I" and any such word, another subject pronoun
    ("you", "we", ...) and one that takes an object after it ("you crane your neck"),
    such a pronoun with "will" or "would" and the verb after it ("I'll sum it up"), or a
    word in lower case after "we", "they", "he" or "she" ("we hope Hicks will"); and
    the name is no "I ..." nor an "i" and a word (iRobot)."""
    first = name.split()[0].lower() if name.split() else ""
    if first == "i" or not said:
        return False
    pronoun = said[0].lower()
    # the words around, where nothing but a space stands between ("thank you. Ready? Your
    # next question" is no clause); an adverb after the pronoun leaves it the subject ("we
    # all sing a different song" is no "we all Singh")
    before = tokens[i - 1].text.lower() if i and spaced(text, tokens, i) else ""
    if before in _ADVERBS and i > 1 and spaced(text, tokens, i - 1) and (
        tokens[i - 2].text.lower() in _SUBJECTS
    ):
        before = tokens[i - 2].text.lower()
    # (a name's: a listed word in lower case may be that verb, "they survive the" ->
    # "they survived the" with "survived" listed)
    clause = name[:1].isupper() and j < len(tokens) and (
        tokens[j].text.lower() in _OBJECT_STARTS and spaced(text, tokens, j))
    if pronoun == "i" and len(said) > 1 or pronoun in _SUBJECTS and len(said) == 2 and clause:
        word = said[1]
    elif before == "i" and first[:1] in ("a", "e", "i", "o", "u") or (
        before in _SUBJECTS and len(said) == 1 and clause
    ) or name[:1].isupper() and (
        len(said) == 1 and before.replace("’", "'") in _WILL_WOULD
        or (before in _SUBJECTS and before != "you" or before == "i") and said[0][:1].islower()
    ):
        # the clause's verb alone: "you crane your neck" is no "you Ukraine", nor "I'll
        # sum it up" "I'll Sam it up", nor "we hope Hicks will" "we Hope Hicks will", nor
        # "I hug my face mask" "I Hugging Face mask" (a name may follow "you": "thank you
        # Chris")
        word = said[0]
    else:
        return False
    if re.match(r"i[A-Z]", name):
        return False  # "i robot" is iRobot: the name is written as "i" and a word
    return zipf(word.lower()) >= ORDINARY_ZIPF


def _verb_taken_in(said: list[str], name: str) -> bool:
    """Whether the words said end with a verb after a word with an 's, or with "is" where
    the name does not end with its sound."""
    last = said[-1].lower()
    if POSSESSIVE.search(said[-2]):
        return last in _VERBS_AFTER
    return last == "is" and not letters(name).endswith(("is", "ys", "iss", "ice", "ez", "es"))


#: Verbs that follow a subject: said after a word with an 's, they are no piece of a name.
_VERBS_AFTER = frozenset({"is", "was", "has", "had", "says", "said", "will", "would", "can",
                          "could", "did", "does", "thinks", "wants", "got"})
#: Subject pronouns besides "I", and the words that open a verb's object after them.
_SUBJECTS = frozenset({"you", "we", "they", "he", "she"})
#: Adverbs said between a subject pronoun and its verb ("we all sing", "they still hope").
_ADVERBS = frozenset({"all", "also", "always", "both", "just", "never", "often", "really",
                      "still", "then", "usually", "sometimes", "only", "even", "each"})
#: A subject pronoun with "will" or "would": a verb follows.
_WILL_WOULD = frozenset(f"{p}'{m}" for p in ("i", *_SUBJECTS) for m in ("ll", "d"))
_OBJECT_STARTS = frozenset({"my", "your", "his", "her", "its", "our", "their", "the", "a", "an",
                            "this", "these", "those", "it", "them", "him", "me", "us"})


#: The words of numbers said in full.
_NUMBERS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand million billion trillion""".split())  # noqa: SIM905
#: Possessive and plural demonstrative determiners: a person's name alone does not
#: follow them.
_POSSESSIVES = frozenset({"my", "your", "its", "our", "their", "these", "those"})


def out_of_place(
    text: str, tokens: Sequence[Token], i: int, kind: str, original: str, name: str,
    has_case: bool, j: int | None = None,
) -> bool:
    """Whether the name (the variant ``name`` of that ``kind``) cannot stand where the
    words ``original`` are, tokens ``i`` to ``j`` of ``text`` (``j``: by default as many
    as ``original`` has words), whatever they sound like.

    >>> from .words import tokenize
    >>> t = "Torfinger said Brandy Berlaj would"
    >>> out_of_place(t, tokenize(t), 3, "given_name", "Berlaj", "Pervez", True)
    True
    >>> t = "we went to the cinema. Welcome to the cult conference call"
    >>> out_of_place(t, tokenize(t), 4, "surname", "cinema", "Sinema", False)
    True
    >>> out_of_place(t, tokenize(t), 8, "surname", "cult", "Culp", True)
    False
    >>> t = "I ran home"
    >>> out_of_place(t, tokenize(t), 0, "canonical", "I ran", "Iran", True)
    True
    >>> t = "you crane your neck. Thank you. Ready? Your turn"
    >>> toks = tokenize(t)
    >>> out_of_place(t, toks, 1, "canonical", "crane", "Ukraine", False)
    True
    >>> out_of_place(t, toks, 6, "given_name", "Ready", "Randy", True)
    False
    """
    said = WORD.findall(original)
    if j is None:
        j = i + len(said)
    if _repeats_neighbour(text, said, tokens, i, j, name):
        # a name written beside its own first or last word would write that word twice:
        # "of bond and specialty insurance" is no "of bond Bond & Specialty Insurance"
        return True
    if len(said) >= 2 and _verb_taken_in(said, name):
        # a word and the verb after it are a clause, not a name ending in s: "Seth Mayer's
        # is fine" and "Seth Mayer is fine" are "Seth Meyers is fine", not "Seth Meyers
        # fine" ("Khan Young is" may still be Khan Younis)
        return True
    if _pronoun_clause(text, said, tokens, i, j, name):
        # the pronoun "I" before an ordinary word is the recognizer's clause, not a piece
        # of a name: "I ran to the store" is no "Iran to the store", nor "I Iran to the
        # store" (a rare word after it may be the garble: "i dint of" for Identiv; and
        # "i robot" is iRobot, a name written as "i" and a word); so is another subject
        # pronoun with a verb and its object ("you crane your neck", while "the war in
        # you crane goes on" is Ukraine)
        return True
    if kind in ("given_name", "short") and has_case and after_other_name(text, tokens, i):
        # a given name said alone does not stand after another capitalised name word
        # ("said Brandy Berlaj" is no "said Brandy Pervez")
        return True
    if kind in PERSON_PARTS and has_case and _ACRONYM.fullmatch(original):
        # an acronym the recognizer wrote in capitals is a word it knows, no garbled
        # surname ("non-GAAP to GAAP" is no "non-Konop to Konop" for Drew Konop)
        return True
    if kind in PERSON_PARTS and said and _ordinary_phrase(text, tokens, i, j, said, has_case):
        # a person's surname or given name alone is no ordinary phrase's word: after "the"
        # or a possessive determiner, or a sentence's verb before its object
        return True
    if not has_case and _number_said(said, name):
        # a number said in a transcript without capitals is a number, not a name: "three
        # hundred yards" is no "three Andy Reid yards" (with capitals, the model reads
        # the lower case; "over two million seabirds" was Leanne Sievers)
        return True
    # "Soleimani's" said alone is never written as "Qassem Soleimani's": the words said
    # are a part of the name, written right, and nobody said the rest
    return own_part(original, name)


def _ordinary_phrase(text: str, tokens: Sequence[Token], i: int, j: int, said: list[str],
                     has_case: bool) -> bool:
    """Whether the words ``said`` (tokens ``i`` to ``j``), an ordinary word first, make a
    phrase with the words around that a person's surname or given name alone would not."""
    before = tokens[i - 1].text.lower() if i else ""
    ordinary = zipf(said[0].lower()) >= ORDINARY_ZIPF
    if before == "the" and ordinary and _phrase_ends(text, tokens, j):
        # "the" and itself where an ordinary word was heard: "went to the cinema." is no
        # "the Sinema", "the price of rice" no "the Rice of rice". Before another word it
        # may name a thing ("the Culp conference call"); after "a" the article is often a
        # piece of the garble ("a sector noted" for "as Hector noted", "over a gym" for
        # "over to Jim"); and a rare word may be the garble ("at the greasy" for Grisi).
        return True
    if (before in _POSSESSIVES and spaced(text, tokens, i) and ordinary
            and _phrase_ends(text, tokens, j)):
        # after a possessive determiner: "make sure your walls are solid" is no "your
        # Walz", nor "these bridges between songs" "these Bridgers"; before another word
        # it may name a firm ("our Culp China location"), and "his" and "her" are left out
        # ("back to his pool" was "Ms. Poole")
        return True
    # a common word that opens a sentence before an object is the sentence's verb ("Read
    # the room, I guess." is no "Reid the room"; without capitals, where no sentence
    # shows, "thank you fill the next question" may be Phil)
    return (has_case and len(said) == 1 and sentence_start(text, tokens, i)
            and j < len(tokens) and tokens[j].text.lower() in _OBJECT_STARTS
            and spaced(text, tokens, j) and zipf(said[0].lower()) >= FUNCTION_ZIPF - 1)


def _number_said(said: list[str], name: str) -> bool:
    """Whether the words said hold a number word that the name holds none of (as words or
    digits: "covid nineteen" is COVID-19)."""
    return (name[:1].isupper() and any(w.lower() in _NUMBERS for w in said)
            and not any(ch.isdigit() for ch in name)
            and not any(w.lower() in _NUMBERS for w in WORD.findall(name)))


def _edges(text: str) -> str:
    """``text`` without the punctuation at its words' edges."""
    return " ".join(w.strip(_EDGE_PUNCTUATION) for w in text.split())


_EDGE_PUNCTUATION = "-'’.,;:!?\"“”()[]"


def worth_respelling(original: str, replacement: str, has_case: bool,
                     label: str | None = None) -> bool:
    """For a change that keeps every letter: is it more than punctuation noise?

    Capitalising a name in a cased transcript, joining or splitting a compound
    ("fire bugs" -> "firebugs"), an inner apostrophe ("robins" -> "robin's") and a name's
    s written as a possessive ("Jen's" -> Jens; not for a people, ``label`` NORP: "that
    European's approach" is no Europeans) are; "now" -> "now'" and "didn't" -> "didnt"
    are not.
    """
    if original.lower() == replacement.lower():
        return has_case and any(ch.isupper() for ch in replacement)
    if _edges(original).lower() == _edges(replacement).lower():
        return False  # only punctuation at a word's edge: "you" -> "You-", "now" -> "now'"
    if label != "NORP" and _s_of_the_name(original, replacement):
        return True
    if re.search(r"[\s-]", original) or re.search(r"[\s-]", replacement):
        # a compound joined or split, unless only apostrophes moved as well
        return original.lower().replace("'", "") != replacement.lower().replace("'", "")
    return bool(re.search(r"\w['’]\w", replacement)) and not re.search(r"['’]", original)


def _s_of_the_name(original: str, replacement: str) -> bool:
    """Whether a word of them holds a possessive that is the s of a name written without
    an apostrophe ("Jen's" is Jens, "Norge's bank" Norges Bank), the word before the 's no
    function word ("it's" is no ITS).

    >>> _s_of_the_name("Jen's", "Jens"), _s_of_the_name("it's", "ITS")
    (True, False)
    """
    words = original.split()
    for k, word in enumerate(words):
        if POSSESSIVE.search(word) and zipf(stem(word).lower()) < FUNCTION_ZIPF:
            bare = " ".join(words[:k] + [stem(word) + word[-1]] + words[k + 1:])
            if bare.lower() == replacement.lower() and any(ch.isupper() for ch in replacement):
                return True
    return False


#: A name in capitals of one word this long at most is an acronym, never calmed.
_ACRONYM_LETTERS = 6


def written_as(variant_text: str, span_text: str, has_case: bool) -> str:
    """The spelling to write: the entity's, with shouted lists calmed and sentence case kept.

    A name listed in capitals is shouted ("GOLDMAN SACHS" is written Goldman Sachs in a
    cased transcript), unless it is one short word, an acronym ("NATO", "OPEC", "UNICEF"),
    or the transcript writes it in capitals itself ("NATO's").

    An "and" said where the name writes "&" stays as said: "Coolers & Equipment" over
    "coolers and equipment" is written "Coolers and Equipment" (a transcript writes what
    was said; "AT&T", one word, is the name's own spelling).

    >>> written_as("NATO", "nato", True), written_as("NATO", "NATO's", True)
    ('NATO', 'NATO')
    >>> written_as("Procter & Gamble", "proctor and gamble", True)
    'Procter and Gamble'
    """
    out = variant_text
    said = POSSESSIVE.sub("", span_text)
    if " & " in out and _AND.search(said):
        out = out.replace(" & ", " and ")
    if has_case and any(ch.islower() for ch in said) and not any(ch.islower() for ch in out) and (
        len(out.split()) > 1 or len(out) > _ACRONYM_LETTERS
    ):
        out = " ".join(
            w if len(w) <= 3 or not w.isalpha() else w.capitalize() for w in out.split()
        )
    if span_text[:1].isupper() and out[:1].islower():
        out = out[:1].upper() + out[1:]
    if has_case and _SHOUTED.fullmatch(said):
        # a transcript's own capitals (a speaker's label, "JAMEL BOUIE:") are kept: the
        # spelling is the name's, the case the transcript's
        out = out.upper()
    return out


_AND = re.compile(r"\band\b", re.IGNORECASE)
#: Two words or more in capitals, of two letters or more each: a speaker's label or a
#: heading, not an acronym the recognizer heard ("BJ" for Vijay, "SBMS" for SBMs, "G CPS").
_SHOUTED = re.compile(r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)+")
