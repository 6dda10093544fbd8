"""Names in a document's text without a model: what NER misses, and what it gets wrong.

Slides and press releases name products, programmes and tickers that spaCy's
recognizer does not tag (:func:`mine_names`), and the recognizer tags words that are
no names at all: a sentence-initial common word ("Sanctions" as ORG), a slide
heading ("Financial Highlights"), a fragment of a sentence, a web address
(:func:`junk_reason`), or gives a surname the label of a place (:func:`relabel`).
The rules read the document itself (is the word written with a capital in the middle
of a sentence?) and wordfreq's frequencies (through :func:`respell.words.zipf`).

>>> mine_names("Culp, Inc. (NYSE: CULP) sells LumiSense and the Culp Home line in Haiti.")
[('CULP', 'ORG'), ('NYSE', 'ORG'), ('LumiSense', 'PRODUCT'), ('Culp Home', 'PRODUCT')]
>>> junk_reason("Sanctions", "ORG", "Sanctions were lifted. The sanctions had hurt.")
'common word, capitalised only at a sentence start or in a heading'
>>> junk_reason("Liz Sly", "PERSON", "Sanctions were lifted, Liz Sly reports.") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .entity import Entity
from .variants import TITLES, looks_like_person
from .words import POSSESSIVE, zipf

#: a word at least this common (wordfreq's Zipf scale) is an ordinary word, not a name
COMMON_ZIPF = 3.5
#: an -ing/-ed word at least this common, capitalised only at line starts, is a verb form
INFLECTED_ZIPF = 2.5
#: a capitalised word alone, inside a sentence, rarer than this is mined as a name
RARE_ZIPF = 3.0
#: a word of a person's name tagged as something else is relabelled below this frequency
RELABEL_ZIPF = 4.0
#: shortest all-caps word mined outside a ticker ("NYSE: SR")
MIN_ACRONYM = 4
#: longest run of capitalised words taken as one mined term
MAX_TERM_WORDS = 5
#: names of more words than this are sentence fragments
MAX_NAME_WORDS = 7

#: labels of places and peoples, whose names are often common words of wordfreq's list
PLACES = frozenset({"GPE", "LOC", "NORP", "FAC"})
# lower-case words that belong inside names ("Bank of America", "bin Laden", "van Gogh")
PARTICLES = frozenset(
    """of the and for de la le du da di del della van von der den al el bin ibn y e on in at
    upon und &""".split()  # noqa: SIM905
)
# the connectors a mined run of capitalised words may hold inside
_CONNECTORS = frozenset({"of", "and", "&", "for", "the", "de"})
_JOINS = frozenset({"of", "of the", "for", "for the", "&", "de"})
_EXCHANGES = r"NYSE(?: American| Arca| MKT)?|NASDAQ|Nasdaq|TSX(?:-V)?|TSXV|AMEX|OTCQX|OTCQB|LSE|ASX"
_TICKER = re.compile(rf"\b(?:{_EXCHANGES})\s*:\s*([A-Z][A-Z.]{{0,5}}[A-Z])\b")
_CAPS = re.compile(r"(?<![\w&.'’])([A-Z]+(?:&[A-Z]+)?)(?![\w&'’]|\.\w)")
_CAMEL = re.compile(r"(?<![\w'’-])((?:[a-z]{1,3}|[A-Z][a-z]+)[A-Z][A-Za-z]*[a-z][A-Za-z]*)(?![\w'’-])")
_SHORT_ABBREVIATION = re.compile(r"[A-Z][a-z]{0,2}\.")
_INFLECTED = re.compile(r"[A-Z][a-z]{2,}(?:ing|ed)")
_ROMAN = re.compile(r"[IVXLC]+")
_WORD = re.compile(r"[^\s,;:!?()\[\]{}\"“”|•·]+")
_LINK = re.compile(r"(?i)www\.|https?:|@|\.(?:com|net|org|gov|edu|io)\b")
_NOT_IN_NAMES = re.compile(r"[:|•=;?!<>\[\]{}]")


# -- where a name is written ----------------------------------------------------------------


def _occurrences(name: str, text: str) -> Iterator[re.Match]:
    # a possessive counts ("Iran's"); a longer word or a hyphenated compound does not
    return re.finditer(r"(?<![\w'’-])" + re.escape(name) + r"(?!\w|-\w)", text)


def seen_in_lower_case(word: str, text: str) -> bool:
    """Whether ``word`` is written in lower case as a word of ``text``.

    >>> seen_in_lower_case("Sanctions", "Sanctions bite. The sanctions hurt.")
    True
    """
    return next(_occurrences(word.lower(), text), None) is not None


def in_running_text(name: str, text: str) -> bool:
    """Whether ``name`` is written, as written here, after a lower-case word of the same
    line: inside a sentence, where only names take capitals, not at a sentence start or in
    a heading ("Second Quarter Results").

    >>> in_running_text("Apple", "Shares of Apple rose.")
    True
    >>> in_running_text("Sanctions", "Sanctions bite.\\nSanctions Update")
    False
    """
    for m in _occurrences(name, text):
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()].split()
        if before and re.fullmatch(r"[a-z][\w'’.-]*,?", before[-1]):
            return True
    return False


# -- junk among the recognizer's names ------------------------------------------------------


def _content_words(name: str) -> list[str]:
    return [w for w in name.split() if w.lower() not in PARTICLES]


_SEPARATOR = re.compile(
    r"\s*(?:[•·|:;=<>\[\]{}?!]|\s[-–—−]\s|^[-–—−]\s|\n\s*\n"
    # a byline's name and the dateline below it ("Rana Aziz\nJERUSALEM, Oct. 17"), and
    # a photo credit's photographer and agency ("Justin Sullivan/Getty Images", "AP
    # Photo/Eric Gay", "Lehrer / Getty"), not "AC/DC"
    r"|\n(?=[A-Z]{3,}\b)|(?<=[A-Za-z]{2})/(?=[A-Z][a-z])|\s/\s"
    # a sentence's end: after a number or a word of three letters or more that is no
    # title ("the Billboard Global 200. Rosé signed"; not "Robert F. Kennedy", "Gov. Newsom")
    r"|(?<=\d)\.\s+(?=[A-Z])|(?<=[a-z]{3})"
    + "".join(f"(?<!{t})" for t in ("Gov", "Sen", "Rep", "Gen", "Col", "Sgt", "Capt", "Prof",
                                    "Pres", "Amb", "Sec", "Inc", "Corp", "Ltd", "Bros"))
    + r"\.\s+(?=[A-Z]))\s*"
)
_LEADING_PARTICLES = frozenset({"bin", "ibn", "al", "el", "de", "da", "di", "du", "van", "von",
                                "la", "le", "del", "della", "der", "den"})


_INNER_POSSESSIVE = re.compile(r"['’]s\s+(?=\S)")


def owner(span: str) -> str:
    """A person's name that a recognizer ran on into what the person owns, as news writes
    it ("Olivia Rodrigo’s Guts is a year old"): the name alone.

    >>> owner("Olivia Rodrigo’s Guts"), owner("Olivia Rodrigo's"), owner("Jim Lehrer")
    ('Olivia Rodrigo', "Olivia Rodrigo's", 'Jim Lehrer')
    """
    m = _INNER_POSSESSIVE.search(span)
    return span[:m.start()] if m else span


_MARKED = re.compile(r"\b([A-Za-z][A-Za-z'’-]{3,})([1-9])\b")


def without_footnotes(name: str, text: str) -> str:
    """A name without the footnote marks that a PDF's text layer runs on to its words
    ("Adjusted EBITDA1" where the slide has a superscript 1): a digit after a word of four
    letters or more that ``text`` also has without it. "CET1" and "Q4" keep theirs.

    >>> text = "Adjusted EBITDA1 rose. EBITDA is a non-GAAP measure. CET1 ratio."
    >>> without_footnotes("Adjusted EBITDA1", text), without_footnotes("CET1", text)
    ('Adjusted EBITDA', 'CET1')
    >>> without_footnotes("Snapdragon8", "the Snapdragon8 chip")
    'Snapdragon8'
    """
    def unmarked(m: re.Match) -> str:
        word = m.group(1)
        alone = re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text)
        return word if alone else m.group()

    return _MARKED.sub(unmarked, name) if _MARKED.search(name) else name


def name_pieces(span: str) -> list[str]:
    """The parts of a recognised span that may be names: the span cut at separators (a
    bullet, a colon, a spaced dash, a blank line) and each part without the lower-case
    words and numbers at its ends, as a recognizer run over slides takes in its neighbours.

    >>> name_pieces("NextEra Energy Resources • Wind")
    ['NextEra Energy Resources', 'Wind']
    >>> name_pieces("a Health Division"), name_pieces("Coca-Cola FEMSA files")
    (['Health Division'], ['Coca-Cola FEMSA'])
    >>> name_pieces("Supply & Trading 731 150"), name_pieces("bin Laden")
    (['Supply & Trading'], ['bin Laden'])
    >>> name_pieces("Rana Aziz\\nJERUSALEM"), name_pieces("Justin Sullivan/Getty Images")
    (['Rana Aziz', 'JERUSALEM'], ['Justin Sullivan', 'Getty Images'])
    >>> name_pieces("AC/DC"), name_pieces("CANADIAN PRESS/Sean Kilpatrick")
    (['AC/DC'], ['CANADIAN PRESS', 'Sean Kilpatrick'])
    >>> name_pieces("Billboard Global 200. Rosé"), name_pieces("Gov. Gavin Newsom")
    (['Billboard Global', 'Rosé'], ['Gov. Gavin Newsom'])
    """
    out = []
    for part in _SEPARATOR.split(span):
        words = part.split()

        def loose(word: str, leading: bool) -> bool:
            if not any(ch.isalpha() for ch in word):
                return True  # a number, a stray sign
            if any(ch.isupper() for ch in word):
                return False
            return not (leading and word.lower() in _LEADING_PARTICLES)

        while words and loose(words[0], True):
            words.pop(0)
        while words and loose(words[-1], False):
            words.pop()
        if words:
            out.append(" ".join(words))
    return out


def junk_reason(name: str, label: str | None, text: str, *,
                name_parts: frozenset[str] = frozenset()) -> str | None:
    """Why ``name`` (as the recognizer tagged it in ``text``, tidied) is no name to listen
    for, or None when it is one. ``name_parts`` are the words of the people's full names
    found in the document ("Peyton Manning"): such a word alone is a name. Table-tested in
    tests/test_names.py.

    >>> junk_reason("Annual Report on Form", "LAW", "see the Annual Report on Form 10-K")
    >>> junk_reason("the quarter ended", "ORG", "x")
    'sentence fragment'
    >>> junk_reason("www.spireenergy.com", "ORG", "x")
    'web or mail address'
    """
    if _LINK.search(name):
        return "web or mail address"
    words = name.split()
    if len(words) > MAX_NAME_WORDS or _NOT_IN_NAMES.search(name):
        return "sentence fragment"
    lower = [w for w in words if w[:1].islower() and not any(ch.isupper() for ch in w)]
    if any(w.lower() not in PARTICLES for w in lower):
        return "sentence fragment"  # "the quarter ended", "Spire reported"
    content = _content_words(name)
    if not content:
        return "sentence fragment"
    if name in name_parts:
        return None
    if len(words) >= 2 and words[-1].lower() in _ROLES and _byline_only(name, text):
        return "a byline's role"  # "By Rachel Okafor, Washington Correspondent"
    # Common words capitalised here only at a sentence start, on a slide's line or in a
    # heading: "Sanctions were lifted", "Customs" (ORG), "Tonnes" (PERSON). A place or a
    # people is often a common word too (Beirut, Iran), and so is a name of several
    # words: those go only when the document also writes their words in lower case
    # ("the sanctions"). Only capitalised words count: "US", "iPhone" are other words
    # than "us", "iphone".
    if (
        all(w[1:].islower() and zipf(w) >= COMMON_ZIPF for w in content)
        and (
            (len(words) == 1 and label not in PLACES)
            or all(seen_in_lower_case(w, text) for w in content)
        )
        and not in_running_text(name, text)
    ):
        return "common word, capitalised only at a sentence start or in a heading"
    # Common words set in capitals, as headings are ("NETWORK", "RETURN ON CAPITAL
    # EMPLOYED"), unless inside a sentence; short ones may be acronyms ("AIM", "US").
    if (
        all(w.isupper() and len(w) >= 4 and zipf(w) >= COMMON_ZIPF for w in content)
        and not in_running_text(name, text)
    ):
        return "common words in capitals, as in a heading"
    # A verb form heading a bullet ("Postponing", "Annualized") is no name unless the
    # document writes it inside a sentence.
    if (
        len(words) == 1
        and _INFLECTED.fullmatch(name)
        and zipf(name) >= INFLECTED_ZIPF
        and not in_running_text(name, text)
    ):
        return "verb form, capitalised only at a line or sentence start"
    return None


def relabel(names: Iterable[tuple[str, str | None]], texts: Iterable[str] = ()) -> dict[str, str]:
    """Labels to correct among ``(name, label)`` pairs: a single word that is the first or
    last word of a multi-word PERSON name but carries another label (a surname tagged
    GPE) becomes PERSON, unless it is a common word (Jordan, Washington keep theirs). With
    the documents' ``texts``, so does a person's name tagged as something else (a name of
    two or three name words, "Alexei Navalny" as ORG) whose last word the documents also
    write alone, as news writes a person's surname after the first mention: a firm is
    not called by its last word ("Morgan Stanley" is no "Stanley").

    >>> relabel([("Suzanne Sitherwood", "PERSON"), ("Sitherwood", "GPE"), ("Spire", "ORG")])
    {'Sitherwood': 'PERSON'}
    >>> relabel([("Tulsi Gabbard", "ORG"), ("Morgan Stanley", "ORG")],
    ...         ["Tulsi Gabbard spoke. Gabbard's aides and Morgan Stanley agreed."])
    {'Tulsi Gabbard': 'PERSON'}
    """
    names = list(names)
    texts = list(texts)
    fixed = {name: "PERSON" for name, label in names
             if label not in (None, "PERSON") and _called_by_surname(name, texts)}
    parts = set()
    for name, label in names:
        words = name.split()
        if fixed.get(name, label) == "PERSON" and len(words) >= 2:
            parts.update((words[0], words[-1]))
    return fixed | {
        name: "PERSON"
        for name, label in names
        if label != "PERSON" and " " not in name and name in parts and zipf(name) < RELABEL_ZIPF
    }


def _called_by_surname(name: str, texts: list[str]) -> bool:
    """Whether ``name`` looks like a person's (two or three capitalised name words, none a
    word of firms or places) and ``texts`` write its last word alone, not after its others."""
    words = name.split()
    if not (texts and 2 <= len(words) <= 3 and looks_like_person(Entity(name))):
        return False
    surname = words[-1]
    if zipf(surname) >= RELABEL_ZIPF:
        return False  # "Masayoshi Son", "Jack Reed": a common word alone is no evidence
    alone = re.compile(rf"(?<![\w-])(?<!{re.escape(words[-2])} ){re.escape(surname)}(?![\w-])")
    return any(alone.search(text) for text in texts)


# -- names the recognizer misses ------------------------------------------------------------


# the last words of the roles bylines give their writers ("Science Correspondent")
_ROLES = frozenset({"correspondent", "correspondents", "reporter", "editor", "writer",
                    "columnist", "contributor", "desk", "photographer", "staff"})
_BYLINE_WORDS = 12  # a byline or credit is a short line


def _byline_only(name: str, text: str) -> bool:
    """Whether every place ``text`` writes ``name`` is a byline or credit: a short line, or
    after a comma (", Washington Correspondent"). "The Hollywood Reporter" inside a
    sentence is a name."""
    found = False
    for m in _occurrences(name, text):
        found = True
        if len(_line_of(text, m.start()).split()) > _BYLINE_WORDS \
                and not text[:m.start()].rstrip(" ").endswith(","):
            return False
    return found


def _tickers(text: str) -> Iterator[tuple[int, str, str]]:
    for m in _TICKER.finditer(text):
        yield m.start(1), m.group(1), "ORG"


def _line_of(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1:text.find("\n", pos) % (len(text) + 1)]


def _caps(text: str) -> Iterator[tuple[int, str, str]]:
    """All-caps words of four letters or more in lines that are not all capitals, that are
    not common words in capitals ("NETWORK") nor Roman numerals: acronyms and tickers
    ("CULP", "GAAP"). Shorter ones sound like too many others ("CFO", "CEF", "GDP",
    "GBP"): only as tickers after an exchange."""
    for m in _CAPS.finditer(text):
        word = m.group(1)
        letters = sum(ch.isalpha() for ch in word)
        if not MIN_ACRONYM <= letters <= 8 or _ROMAN.fullmatch(word):
            continue
        if zipf(word.replace("&", "")) >= COMMON_ZIPF:
            continue
        if re.search(r"[a-z]{2}", _line_of(text, m.start())):  # not a heading in capitals
            yield m.start(1), word, "ORG"


def _camel(text: str) -> Iterator[tuple[int, str, str]]:
    """CamelCase words ("PowerEdge", "iPhone"), not units (kWh) nor words that a PDF's
    reading glued together, as the document writes them apart elsewhere ("OrganicSales"
    beside "Organic Sales")."""
    for m in _CAMEL.finditer(text):
        word = m.group(1)
        if len(word) < 4:
            continue
        apart = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", word)
        if re.search(r"(?<!\w)" + re.escape(apart) + r"(?!\w)", text, flags=re.IGNORECASE):
            continue
        yield m.start(1), word, "PRODUCT"


def _is_cap(word: str) -> bool:
    """A capitalised word (not all capitals), each part of it if hyphenated ("Coca-Cola",
    not "US-denominated")."""
    return any(ch.islower() for ch in word) and all(p[:1].isupper() for p in word.split("-"))


def _terms(text: str) -> Iterator[tuple[int, str, str | None]]:
    """Runs of two to five capitalised words (with "of", "&", "for", "the" inside), one of
    them not a common word, written after a lower-case word of the same line: names of
    products, programmes and units inside a sentence, not headings ("Weather
    Normalization Adjustment Rider"); and single rare capitalised words there ("Pall")."""
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    i = 1
    while i < len(tokens):
        word, start, _ = tokens[i]
        prev, _, prev_end = tokens[i - 1]
        between = text[prev_end:start]
        if not (_is_cap(word) and re.fullmatch(r"[a-z][\w'’-]*", prev)
                and between.strip(" \t") == ""):
            i += 1
            continue
        run: list[str] = []
        j = i
        while j < len(tokens):
            w, _, end = tokens[j]
            if any(ch.isdigit() for ch in w):
                break  # a footnote mark or a number ("Gross Debt Reduction4")
            if _is_cap(w):
                if w.endswith(".") and not _SHORT_ABBREVIATION.fullmatch(w):
                    run.append(w[:-1])  # a sentence ends here ("... in Turkey. We")
                    break
                if POSSESSIVE.search(w):
                    run.append(w[:-2])  # "Iran's Quds Force": two names
                    break
                run.append(w)
                j += 1
            else:
                # "of", "of the", "for", "for the", "&", "de" between two capitalised words;
                # not "and": "Haiti and China", "HubSpot and the Global Access Program"
                k = j
                while k < len(tokens) and k - j < 2 and tokens[k][0].lower() in _CONNECTORS:
                    k += 1
                joined = " ".join(t[0].lower() for t in tokens[j:k])
                if not (run and joined in _JOINS and k < len(tokens) and _is_cap(tokens[k][0])
                        and text[end:tokens[k][1]].find("\n") < 0):
                    break
                run.extend(t[0] for t in tokens[j:k])
                j = k
                continue
            # a line end or punctuation after a word ends the run ("Culp, President")
            if j < len(tokens) and text[end:tokens[j][1]].strip(" \t") != "":
                break
            if text[end:end + 1] not in (" ", "\t", ""):
                break
        titled = bool(run) and run[0].lower().rstrip(".") in TITLES
        if titled:
            # a title before a person's name in running text ("Gov. Tim Walz of
            # Minnesota", "Mr. Walz"): the name, without the title and the place after it
            run = run[1:]
            cut = [k for k, w in enumerate(run) if w.lower() in _CONNECTORS]
            run = run[:cut[0]] if cut else run
        while run and run[-1].lower() in _CONNECTORS:
            run.pop()
        caps = [w for w in run if _is_cap(w)]
        if len(run) == 1 and zipf(run[0]) < RARE_ZIPF and not _CAMEL.fullmatch(run[0]):
            # one rare capitalised word inside a sentence ("filters from Pall"); no label
            yield start, run[0], None
        # a title-case run of common words only is a heading or a job title ("Chief
        # Financial Officer", "Adjusted Results"); real names among those NER tags
        elif 2 <= len(caps) <= MAX_TERM_WORDS and any(zipf(w) < COMMON_ZIPF for w in caps):
            # two or three rare words alone may be a person NER missed ("Oyunchimeg
            # Batbayar"): no label, so the lexicon guesses from the words
            person = titled or len(run) <= 3 and all(zipf(w) < COMMON_ZIPF for w in run)
            yield start, " ".join(run), None if person else "PRODUCT"
        i = max(j, i + 1)


def mine_names(text: str) -> list[tuple[str, str | None]]:
    """Names by their form, each occurrence once, in the order of the kinds: tickers after
    an exchange ("NYSE: CULP"), other all-caps acronyms, CamelCase product names
    ("PowerEdge", "iPhone") and capitalised multi-word terms inside sentences.

    >>> mine_names("We launched HubSpot and the Global Dermatology Program at GAAP cost.")
    [('GAAP', 'ORG'), ('HubSpot', 'PRODUCT'), ('Global Dermatology Program', 'PRODUCT')]
    """
    seen: set[tuple[int, str]] = set()
    out = []
    for miner in (_tickers, _caps, _camel, _terms):
        for start, name, label in miner(text):
            if (start, name) not in seen:
                seen.add((start, name))
                out.append((name, label))
    return out
