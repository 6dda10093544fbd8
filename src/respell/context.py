"""What the words around a span say about it being a name: evidence beyond its sound.

A first name heard as a common word ("Thanks, can." for "Thanks, Ken.") sounds
no less like the word than like the name; what gives it away is where it stands.
Two kinds of evidence, from the transcript and the entity list only:

* an address or introduction cue next to the span ("thank you X", "over to X",
  "question comes from X", "Mr. X", "X, please go ahead", "as X mentioned");
* an anchor: a listed name's other word spelled right next to or inside the span
  ("Sebastian forward" for Sebastian Vogel).

(That the entity is already written right elsewhere in the transcript was tried
too and left out: it speaks against a candidate as often as for it, since a
recognizer that knows a word spells it right, and it cost repeated fixes like "Q3".)

>>> from respell.words import tokenize
>>> text = "Thanks, can. Next question comes from Sebastian forward with UBS."
>>> [t.text for t, cue in zip(tokenize(text), name_cues(tokenize(text))) if cue]
['can', 'Sebastian']
"""

from __future__ import annotations

from collections.abc import Sequence

from .words import spaced, zipf

# Words that, said just before a name, address or introduce a person; each is
# common in calls, meetings and interviews.
_CUES_BEFORE_2 = frozenset({
    "thank you", "over to", "back to", "line of", "comes from", "question from", "is from",
    "this is", "name is", "good morning", "good afternoon", "good evening",
})
_CUES_BEFORE_1 = frozenset({
    "thanks", "hi", "hey", "hello", "congrats", "congratulations", "mr", "mrs", "ms", "miss",
    "dr", "mister", "professor", "colleague", "ceo", "cfo", "coo", "let", "ask",
})
# ... and just after one: "Tom, please go ahead", "Seth Basham, your line is open",
# "as Steve mentioned".
_CUES_AFTER = (("go", "ahead"), ("please", "go"), ("please", "proceed"), ("your", "line"))
_CUES_AFTER_1 = frozenset({"mentioned", "noted", "said", "highlighted"})


def name_cues(tokens: Sequence) -> list[bool]:
    """For each token, whether an address or introduction cue stands just before it.

    Punctuation between the cue and the token does not matter ("Thanks. Dear.").

    >>> from respell.words import tokenize
    >>> name_cues(tokenize("thank you Tom and thanks Ken"))
    [False, False, True, False, False, True]
    """
    lower = [t.text.lower() for t in tokens]
    out = []
    for i in range(len(lower)):
        two = " ".join(lower[i - 2:i]) if i >= 2 else ""
        out.append(two in _CUES_BEFORE_2 or (i >= 1 and lower[i - 1] in _CUES_BEFORE_1))
    return out


def cue_after(tokens: Sequence, j: int) -> bool:
    """Whether the words from token ``j`` on ask the span's owner to speak ("please go ahead")
    or report what they said ("as Steve mentioned")."""
    nxt = tuple(t.text.lower() for t in tokens[j:j + 2])
    return nxt in _CUES_AFTER or (len(nxt) > 0 and nxt[0] in _CUES_AFTER_1)


def anchored(tokens: Sequence, i: int, j: int, variant_words: Sequence[str],
             full_words: Sequence[str], kind: str) -> float:
    """Whether another word of the span's entity is spelled right inside or beside the span.

    Inside: a word of a multi-word name among the span's words ("Sebastian forward"
    for "Sebastian Vogel"), the span being more than that word. Beside: the given
    name just before a surname candidate, the surname just after a given name.

    >>> from respell.words import tokenize
    >>> toks = tokenize("from Sebastian forward with UBS")
    >>> anchored(toks, 1, 3, ["Sebastian", "Vogel"], ["Sebastian", "Vogel"], "canonical")
    1.0
    >>> anchored(toks, 2, 3, ["Vogel"], ["Sebastian", "Vogel"], "surname")
    1.0
    >>> anchored(toks, 2, 3, ["Vogel"], ["Sebastian", "Vogel"], "canonical")
    0.0
    """
    var = {w.lower() for w in variant_words}
    span = {t.text.lower() for t in tokens[i:j]}
    if len(variant_words) >= 2 and j - i >= 2 and span & var and span != var:
        return 1.0
    if len(full_words) >= 2:
        if kind == "surname" and i >= 1:
            return float(tokens[i - 1].text.lower() == full_words[0].lower())
        if kind == "given_name" and j < len(tokens):
            return float(tokens[j].text.lower() == full_words[-1].lower())
    return 0.0


def before_other_name(text: str, tokens: Sequence, j: int) -> bool:
    """Whether token ``j`` is a capitalised word of the same sentence, right after the
    word before it (no punctuation between), and no common word: the place of another
    surname after a given name ("Silly Murphy", "Andhra Pradesh", "Temio Dola").

    >>> from respell.words import tokenize
    >>> t = "A film with Silly Murphy. Then Silly, Murphy said. Silly and I left."
    >>> toks = tokenize(t)
    >>> [(toks[k].text, before_other_name(t, toks, k)) for k in (4, 7, 11)]
    [('Murphy', True), ('Murphy', False), ('I', False)]
    """
    if j >= len(tokens) or j == 0:
        return False
    word = tokens[j].text
    if not word[:1].isupper() or not spaced(text, tokens, j):
        return False  # a lower-case word, or a mark between them
    if "\n" in text[tokens[j - 1].end:tokens[j].start]:
        return False  # (only white space stands between them: a line's end is a sentence's)
    return zipf(word.lower().rstrip(".")) < _COMMON_CAPITAL


# Titles, roles and kin words written capitalised before a given name ("Senator Bernie",
# "CFO Borja", "Uncle Bob"), and cue words that open a clause ("Thanks Bob").
_BEFORE_GIVEN = frozenset("""mr mrs ms miss dr mister doctor professor prof president senator
    sen governor gov judge justice rep representative congressman congresswoman secretary
    minister chancellor general gen colonel captain capt coach uncle aunt auntie father
    mother sister brother saint st king queen prince princess pope rabbi imam sheikh sir
    dame lord lady thanks thank hi hey hello dear ceo cfo coo cto cio cmo chairman chairwoman
    chair vp evp svp director officer manager analyst editor host anchor reporter
    correspondent producer author founder partner""".split())  # noqa: SIM905
# A capitalised word this common mid-sentence is the recognizer's stray capital ("we As
# Michelle said"), not a name.
_COMMON_CAPITAL = 5.0


def after_other_name(text: str, tokens: Sequence, i: int) -> bool:
    """Whether token ``i`` follows a capitalised word of the same sentence that is no title:
    the place of a surname ("Brandy Berlaj"), not of a given name said alone.

    >>> from respell.words import tokenize
    >>> t = "Then Brandy Berlaj left, said Senator Bernie. Bob came."
    >>> toks = tokenize(t)
    >>> [(toks[k].text, after_other_name(t, toks, k)) for k in (2, 6, 7)]
    [('Berlaj', True), ('Bernie', False), ('Bob', False)]
    """
    if i == 0:
        return False
    prev = tokens[i - 1]
    if not prev.text[:1].isupper() or not spaced(text, tokens, i):
        return False  # a lower-case word, or punctuation between them
    before = text[tokens[i - 2].end:prev.start] if i >= 2 else "."
    if i < 2 or any(ch in ".?!:\n" for ch in before):
        return False  # the capital opens a sentence and says nothing
    word = prev.text.lower().rstrip(".")
    return word not in _BEFORE_GIVEN and zipf(word) < _COMMON_CAPITAL
