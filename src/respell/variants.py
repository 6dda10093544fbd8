"""Spoken variants of a known entity: the forms it may be heard as, and what to write.

A listed "Qassem Soleimani" is also heard as "Soleimani"; "Kenneth Bowling" as "Ken
Bowling" and "Ken"; "The New York Times" as "the Times"; "Kenyan" as "Kenyans". Each
:class:`Variant` says what the matcher compares with the transcript and what is
written when it matches. :class:`~respell.lexicon.Lexicon` derives them once per list.

>>> [(v.text, v.kind) for v in derive_variants([Entity("Qassem Soleimani")])]
[('Qassem Soleimani', 'canonical'), ('Soleimani', 'surname')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from .diminutives import is_given_name, short_forms
from .entity import Entity
from .words import zipf

# Words that mark a multi-word name as an organisation or place, never a person,
# so no surname variant is derived from it.
_NOT_PERSON_WORDS = frozenset(
    """inc corp corporation co company ltd llc plc group bank holdings partners capital
    university college institute school hospital foundation association society council
    committee agency department ministry party army navy force fund trust airlines motors
    energy systems technologies international global of the and for de la le el al river
    lake mount mountain island street road city county state republic kingdom sea ocean
    gulf bay strait coast desert valley province region north south east west new san santa
    los las parliament senate congress court assembly union league federation prize award
    festival museum church mosque temple airport station""".split()  # noqa: SIM905
)
# More words no person's name holds, though each may be the part of a name said alone
# ("the Times"): "Bagram Air Base" has no surname "Base".
_NOT_A_PERSON = _NOT_PERSON_WORDS | frozenset(
    """air base fort port square palace center centre times post news journal press media
    network radio television channel studios pictures records markets securities research
    associates services solutions technology industries investments financial management
    brothers labs laboratories pharmaceuticals therapeutics""".split()  # noqa: SIM905
)
# A typed name's first word is taken as a given name when rarer than this ("Jamelle",
# "Hector", "Juan"), or when a known given name rarer than the second ("Bob", not "Will").
_RARE_GIVEN, _COMMON_GIVEN = 4.3, 5.0
#: Variant kinds the shipped decision model was fitted with (it counts them as the list's size).
MODEL_KINDS = frozenset({"canonical", "alias", "surname", "given_name", "sounds_like"})
#: Variant kinds that are one part of a longer name, taken alone.
ONE_PART_KINDS = frozenset({"surname", "given_name", "short", "part"})
#: Variant kinds that are a whole name (as listed, an alias, without its middle names).
WHOLE_KINDS = frozenset({"canonical", "alias", "unmiddled"})
# A capitalised name word: "Rainer", "McGrew", "O'Brien", "Jean-Luc".
# An acronym that may be said letter by letter.
_ACRONYM = re.compile(r"[A-Z]{3,5}")
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[-'’][A-Z]?[a-z]+)*$")


class Variant(NamedTuple):
    """A form an entity may be heard as, and what to write when it is.

    ``kind`` is one of ``canonical``, ``alias``, ``surname``, ``given_name``, ``short``
    (a short given name, "Ken" for Kenneth), ``short_full`` ("Ken Bowling"), ``unmiddled``
    (the given name and surname alone, "Lars Jørgensen" for Lars Fruergaard Jørgensen), ``part`` (a
    part of a longer name said alone, "Bagram" of Bagram Air Base), ``number`` (the
    plural or singular of a demonym), ``sounds_like``, ``letters`` (an acronym said
    letter by letter, "B Y D" for BYD), or ``spelled``: a right spelling
    only (a short form that is an ordinary word too, "Will"), recognised where it stands
    and never written over other words.
    """

    text: str  # written in the output
    heard: str  # what the matcher compares with the transcript
    entity: int  # index into Lexicon.entities
    kind: str


def looks_like_person(ent: Entity) -> bool:
    """Whether a surname variant may be derived: a PERSON, or 2-3 capitalised name words."""
    words = ent.text.split()
    if not 2 <= len(words) <= 4:
        return False
    if ent.label is not None:
        return ent.label == "PERSON"
    if any(w.lower().strip(".,") in _NOT_A_PERSON for w in words):
        return False
    if len(surname_of(ent.text).rstrip(".")) < 2:
        return False  # "Regulation G" names a rule, not a person
    return all(_name_word(w) for w in words)


def _name_word(word: str) -> bool:
    """Whether a word is written as a name's: capitalised letters of any alphabet
    ("Jørgensen", "Héctor"), an initial ("F."), or a suffix after a surname ("Jr.")."""
    shape = "".join("A" if ch.isupper() else "a" if ch.isalpha() else ch for ch in word)
    return bool(_NAME_TOKEN.match(shape) or re.fullmatch(r"A\.", shape)
                or word.lower().rstrip(".") in NAME_SUFFIXES)


#: Suffixes written after a surname ("Kennedy Jr."), lower case, no dot.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def surname_of(name: str) -> str:
    """A person's surname: the name's last word, or the one before its suffix.

    >>> surname_of("Robert F. Kennedy Jr."), surname_of("Tulsi Gabbard")
    ('Kennedy', 'Gabbard')
    """
    words = name.split()
    if len(words) >= 2 and words[-1].rstrip(".").lower() in NAME_SUFFIXES:
        return words[-2].rstrip(",")
    return words[-1] if words else ""


@lru_cache(maxsize=4096)
def typed_person(ent: Entity) -> bool:
    """Whether an unlabelled name the user typed is taken as a person's: it looks like one
    and its first word is a given name ("Jamelle Bouie", "Bob Woodward"), so that the
    given name said alone ("thanks, Jamelle") is repaired as in a list that labels it.

    A given name is a word the ``nicknames`` table knows that is no very common word, or
    a rare word (most given names from outside that table: "Jamelle", "Ketanji"); a
    common first word ("Golden Gate", "Hunter Biden") stays only recognised where it is
    written right.

    >>> typed_person(Entity("Jamelle Bouie")), typed_person(Entity("Golden Gate"))
    (True, False)
    """
    if ent.label is not None or ent.origin != "user" or not looks_like_person(ent):
        return False
    if has_pinyin(ent.text.split()[0]):
        return False  # "Qin Gang": the family name first, heard as said (derive_variants)
    given = ent.text.split()[0].lower()
    if not given.isalpha() or len(given) < 3:
        return False
    common = zipf(given)
    return common < _RARE_GIVEN or (common < _COMMON_GIVEN and is_given_name(given))


def heard_as_written(ent: Entity, known: bool) -> bool:
    """Whether the entity's one variant is its name, heard as written: one word with no
    alias or misrecognition listed, and (in a list of names known to be there) no demonym,
    whose other number is heard too, nor pinyin or an acronym, heard as said."""
    return not (ent.aliases or ent.sounds_like or " " in ent.text
                or known and (ent.label == "NORP" or said_otherwise(ent.text)))


def derive_variants(entities: Iterable[Entity], *, known: bool = False) -> Iterator[Variant]:
    """Every variant of each entity, once (the first entity to claim a form keeps it).

    A list of names known to be in the transcript (``known``) gets the forms people say
    besides: parts of longer names, short given names, a demonym's other number, and
    names without their leading article; a catalog (a biasing list of names that may be
    there) gets the name, its aliases, a person's surname and given name.
    """
    seen: set[tuple[str, str]] = set()
    for i, ent in enumerate(entities):
        if heard_as_written(ent, known):
            key = (ent.text, ent.text.lower())  # the common case, fast
            if key not in seen:
                seen.add(key)
                yield Variant(ent.text, ent.text, i, "canonical")
            continue
        text = _without_article(ent.text) if known else ent.text
        forms = [(text, text, "canonical")]
        reading = pinyin_reading(text) if known else None
        if reading:  # "Xi Jinping" as said, not as English letters read ("zai")
            forms.append((text, reading, "canonical"))
            first = text.split()[0]
            family = pinyin_reading(first) if " " in text else None
            if family:  # the family name first: "Xi" alone
                forms.append((first, family, "surname"))
        spelled = letters_reading(text) if known else None
        if spelled:  # "BYD" said "B Y D"
            forms.append((text, spelled, "letters"))
        forms.extend((alias, alias, "alias") for alias in ent.aliases)
        if known and ent.label == "NORP" and " " not in text:
            forms.extend((other, other, "number") for other in _other_number(text))
        core, title = _without_title(text) if known else (text, "")
        who = ent if core == ent.text else replace(ent, text=core)
        if title and not looks_like_person(who):
            # a title only before a person's name: "General Electric Company" and "SEC
            # Regulation G" keep their first word
            core, title, who = text, "", ent
        if title:  # "Dr. Anthony Fauci" is said "Anthony Fauci" too
            forms.append((core, core, "alias"))
        person = " " in core and looks_like_person(who)
        if known and not person and " " in text and ent.origin != "pattern":
            # (not of a phrase mined by its capitals: "Global Potash Shipment Forecasts"
            # has no part anybody says alone)
            forms.extend((part, part, "part") for part in name_parts(text))
        if person:
            forms.extend(_person_forms(who, known, title))
        forms.extend((ent.text, heard, "sounds_like") for heard in ent.sounds_like)
        for text, heard, kind in forms:
            key = (text, heard.lower())
            if key not in seen and heard.strip():
                seen.add(key)
                yield Variant(text, heard, i, kind)


def _person_forms(ent: Entity, known: bool, title: str) -> Iterator[tuple[str, str, str]]:
    """A person's surname, given name and short given names (text, heard, kind); with the
    ``title`` the list gave the name ("President"), the title and surname too."""
    words = ent.text.split()
    typed = known and typed_person(ent)
    if known and ent.label is None and not typed:
        # "Golden" of Golden Gate, which may be no person: recognised as written right
        # where it stands, never written over other words
        yield words[0], words[0], "spelled"
    surname = surname_of(ent.text)
    yield surname, surname, "surname"
    middle = words[1:-2] if surname != words[-1] else words[1:-1]  # (before a suffix: "Jr.")
    if (typed or known and ent.label == "PERSON") and middle:
        both = _double_surname(middle, surname)
        if both:
            yield both, both, "surname"
    if (typed or known and ent.label == "PERSON") and middle and not any(
        w.lower() in _FUNCTION or "-" in w for w in middle
    ):
        # "Lars Jørgensen" for Lars Fruergaard Jørgensen, "Robert Kennedy" for Robert F.
        # Kennedy Jr.: people leave middle names and initials out (not a particle, nor a
        # first surname: "Derik Bruin" is no form of Derik De Bruin, nor "Borja Altamirano"
        # of Borja Garcia-Alarcon Altamirano)
        short_name = f"{words[0]} {surname}"
        yield short_name, short_name, "unmiddled"
    if title:  # "President Zelensky", said "president zelensky" (espeak reads "Sen." "sen")
        spoken = _SPOKEN_TITLES.get(title.lower().rstrip("."), title)
        yield f"{title} {surname}", f"{spoken} {surname}", "alias"
    given = words[0]
    # "Thanks, Rainer.": only for names the user (or NER) labelled PERSON (a list "Name -
    # role" labels its names so) or typed with a given name first: "Tora" of Tora Bora is
    # no given name
    if (ent.label == "PERSON" or typed) and len(given) >= 3 and given.isalpha():
        yield given, given, "given_name"
        # "Ken" and "Ken Bowling" for Kenneth Bowling: right where said, and written over
        # garbles of themselves unless they are ordinary words too ("Will")
        rest = " ".join(words[1:])
        for short, writable in short_forms(given) if known else ():
            yield short, short, "short" if writable else "spelled"
            yield f"{short} {rest}", f"{short} {rest}", "short_full" if writable else "spelled"


def _double_surname(middle: list[str], surname: str) -> str | None:
    """The surname with the word or particle before it, as people say such names ("López
    Obrador" of Andrés Manuel López Obrador, "García Márquez", "bin Laden", "van der
    Leyen"); None after an initial ("Robert F. Kennedy Jr."), a hyphenated word or a
    syllable of a given name ("Hae Min Lee" is Lee, not "Min Lee").

    >>> _double_surname(["Manuel", "López"], "Obrador"), _double_surname(["van", "der"], "Leyen")
    ('López Obrador', 'van der Leyen')
    >>> _double_surname(["F."], "Kennedy") is None
    True
    """
    before = []
    for word in reversed(middle):
        if word.lower() in _PARTICLES:
            before.insert(0, word)
            continue
        if not before and word[:1].isupper() and word.isalpha() and len(word) >= 4:
            before.insert(0, word)
        break
    return " ".join([*before, surname]) if before else None


_PARTICLES = frozenset("""da de del della di do dos das du des van von der den ter bin ibn al el
    la le""".split())  # noqa: SIM905


# Titles a list may put before a name ("Dr. Anthony Fauci", "Sen. Chuck Schumer"), and how
# the abbreviated ones that espeak-ng does not expand are said.
_SPOKEN_TITLES = {
    "sen": "senator", "gov": "governor", "rep": "representative", "gen": "general",
    "col": "colonel", "capt": "captain", "lt": "lieutenant", "sgt": "sergeant",
    "prof": "professor", "amb": "ambassador", "sec": "secretary", "pres": "president",
    "st": "saint",
}
#: Titles said before a person's name ("Dr.", "Gov.", "Senator"), lower case, no dot.
TITLES = frozenset(_SPOKEN_TITLES) | frozenset("""mr mrs ms miss mx dr doctor professor
    president senator governor representative congressman congresswoman judge justice
    secretary minister chancellor general colonel captain lieutenant sergeant admiral
    ambassador mayor sheriff sir dame lord lady rabbi imam sheikh father sister brother
    saint pope king queen prince princess""".split())  # noqa: SIM905


def _without_title(text: str) -> tuple[str, str]:
    """A name without the title a list put before it, and that title ("" when none).

    >>> _without_title("Dr. Anthony Fauci"), _without_title("President Zelensky")
    (('Anthony Fauci', 'Dr.'), ('President Zelensky', ''))
    >>> _without_title("SEC Regulation G")  # an acronym, no "Sec."
    ('SEC Regulation G', '')
    """
    words = text.split()
    if len(words) >= 3 and words[0].lower().rstrip(".") in TITLES and not words[0].isupper():
        return " ".join(words[1:]), words[0]
    return text, ""


# Words that make a part of a longer name generic rather than a name of its own: "Air
# Base", "Capital Markets", "Company". A part is never only these, nor begins or ends
# with a function word.
_GENERIC = _NOT_PERSON_WORDS | frozenset(["air", "base", "research", "markets", "market", "securities", "associates", "bank", "banks", "holdings", "services", "solutions", "technology", "technologies", "industries", "international", "corporation", "incorporated", "inc", "corp", "ltd", "llc", "plc", "sa", "ag", "nv", "lp", "co", "company", "companies", "group", "partners", "capital", "management", "investments", "investment", "financial", "global", "worldwide", "america", "americas", "american", "usa", "us", "national", "federal", "general", "first", "united", "royal", "central"])
_FUNCTION = frozenset(["of", "the", "and", "&", "for", "de", "la", "le", "el", "al", "del", "da", "di", "du", "van", "von", "der", "den", "y", "e", "a", "an", "in", "on", "at", "to",
                       "alla", "alle", "allo", "della", "delle", "dello", "degli", "dei", "des", "dos", "das", "do", "und", "zu", "zum", "zur"])
# Names whose leading "The" is written capitalised in running text too.
_CAPITAL_THE = frozenset({"the hague", "the gambia"})
_MAX_PART_WORDS = 6
_COMMONEST = 6.0  # "new", "one": never a name said alone
_COMMON_MODIFIER = 5.0  # a word this common is a name alone only as the name's head


# Pinyin syllables English spelling reads wrongly: x (sh), q before i (ch), zh (j).
_PINYIN = re.compile(r"\b(?:X(?=[iu])|Qi|Zh)[a-z]*\b")


def letters_reading(text: str) -> str | None:
    """An acronym as said letter by letter, as recognizers write it then ("GCP" -> "G C
    P"), or None for anything else: 3-5 capital letters (two, "US", "AI", are ordinary
    words too often to be read so).

    >>> letters_reading("BYD"), letters_reading("RFID"), letters_reading("US"), letters_reading("Nato")
    ('B Y D', 'R F I D', None, None)
    """
    return " ".join(text) if _ACRONYM.fullmatch(text) else None


def said_otherwise(text: str) -> bool:
    """Whether a name is said otherwise than English letters read it: pinyin, or an
    acronym said letter by letter (a list of names known to be there hears both)."""
    return has_pinyin(text) or _ACRONYM.fullmatch(text) is not None


def has_pinyin(text: str) -> bool:
    """Whether a word of ``text`` looks like a pinyin syllable English letters misread."""
    return _PINYIN.search(text) is not None


def pinyin_reading(text: str) -> str | None:
    """``text`` respelled as English letters say its pinyin ("Xi Jinping" -> "Shee
    Jinping", "Qin Gang" -> "Chin Gang", "Zhou" -> "Jou"), or None if it has no such word.

    >>> pinyin_reading("Xi Jinping"), pinyin_reading("Xinjiang"), pinyin_reading("Xavier")
    ('Shee Jinping', 'Shinjiang', None)
    """
    if not has_pinyin(text):
        return None

    def respell(m: re.Match) -> str:
        word = m.group()
        if word == "Xi":
            return "Shee"  # "Shi" reads "shy"
        if word.startswith("X"):
            return "Sh" + word[1:]
        if word.startswith("Qi"):
            return "Ch" + word[1:]
        return "J" + word[2:]

    return _PINYIN.sub(respell, text)


def _without_article(text: str) -> str:
    """A name without its leading article, which running text writes in lower case ("for
    the New York Times"); kept for the few names that capitalise it everywhere."""
    words = text.split()
    # "The Who", "The Guardian": one word after the article is no name without it
    if len(words) >= 3 and words[0].lower() == "the" and text.lower() not in _CAPITAL_THE:
        return " ".join(words[1:])
    return text


def name_parts(text: str) -> list[str]:
    """The parts of a longer name that speakers say alone: any run of its words that is
    itself name-like (not only generic words, no function word at either end).

    >>> name_parts("New York Times")
    ['York Times', 'Times']
    >>> name_parts("Bagram Air Base")
    ['Bagram']
    >>> name_parts("Bank of America")
    []
    >>> name_parts("Regulation G")  # a letter alone is no part
    ['Regulation']
    """
    words = text.split()
    if len(words) < 2 or len(words) > _MAX_PART_WORDS:
        return []
    out = []
    for size in range(len(words) - 1, 0, -1):
        for a in range(len(words) - size + 1):
            part = words[a:a + size]
            low = [w.lower().strip(".,") for w in part]
            if low[-1] in _FUNCTION or low[0] in _FUNCTION and not (
                a + size == len(words) and size >= 2 and low[0] in _PARTICLES
            ):  # a particle opens only a surname: "des Cars", "van Gogh" ("alla Scala" no)
                continue
            if low[0] in _GENERIC or low[-1] in _GENERIC:  # "Bagram Air", "James & Associates"
                continue
            if all(w in _GENERIC or w in _FUNCTION for w in low):
                continue
            if not any(w[:1].isupper() or w[:1].isdigit() for w in part):
                continue
            if size == 1 and (len(low[0]) < 2 or zipf(low[0]) >= _COMMONEST or (
                zipf(low[0]) >= _COMMON_MODIFIER and a + 1 < len(words)
            )):  # "New" of New York; "European" of European Parliament (but "the Times")
                continue
            out.append(" ".join(part))
    return out


def _other_number(word: str) -> list[str]:
    """The plural of a singular demonym and the singular of a plural one ("Kenyan" <->
    "Kenyans", "Pakistani" <-> "Pakistanis", "Kurd" <-> "Kurds"); nothing for those
    that do not change ("Chinese", "Swiss")."""
    if len(word) <= 3 or word.endswith(("ese", "ss", "sh", "ch", "x", "z")):
        return []
    return [word[:-1]] if word.endswith("s") else [word + "s"]
