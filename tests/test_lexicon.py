"""Entity lists: the file formats, bad files, merging and derived variants."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from respell.errors import EntityListError, InputError, RespellError
from respell.lexicon import Entity, Lexicon, Variant, looks_like_person, read_entity_file


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def simple(entities):
    return [(e.text, e.label, e.aliases, e.sounds_like, e.count) for e in entities]


# -- formats ----------------------------------------------------------------------------------

TXT = """\
# guests of the week
Qassem Soleimani
  Liz Sly   # Washington Post, Beirut

Tora Bora#cave complex
#Not an entity
"""

FORMAT_CASES = [
    (
        "names.txt",
        TXT,
        [
            ("Qassem Soleimani", None, (), (), 1),
            ("Liz Sly", None, (), (), 1),
            ("Tora Bora", None, (), (), 1),
        ],
    ),
    (
        "names.csv",
        (
            "text,label,aliases,sounds_like\n"
            'Qassem Soleimani,person,Qasem Soleimani;General Soleimani,"Sola money|so la money"\n'
            "Beirut,GPE,,bay loop\n"
        ),
        [
            (
                "Qassem Soleimani",
                "PERSON",
                ("Qasem Soleimani", "General Soleimani"),
                ("Sola money", "so la money"),
                1,
            ),
            ("Beirut", "GPE", (), ("bay loop",), 1),
        ],
    ),
    (
        "names.csv",  # header named differently, columns in another order, empty count cell
        "Label,Name,Count\nPERSON,Pervez Musharraf,\nLOC,Tora Bora,4\n",
        [("Pervez Musharraf", "PERSON", (), (), 1), ("Tora Bora", "LOC", (), (), 4)],
    ),
    (
        "names.csv",  # no header: first column the entity, second its label
        "Pervez Musharraf,person\nTora Bora\n\nBeirut, GPE\n",
        [
            ("Pervez Musharraf", "PERSON", (), (), 1),
            ("Tora Bora", None, (), (), 1),
            ("Beirut", "GPE", (), (), 1),
        ],
    ),
    (
        "names.tsv",
        "entity\ttype\tsounds_like\nLeocadia Ferrante\tPERSON\tlocated a\n",
        [("Leocadia Ferrante", "PERSON", (), ("located a",), 1)],
    ),
    (
        "names.tsv",  # no header; a comma inside a name is not a separator in TSV
        "Lloyd's of London, Ltd.\tORG\nKyiv\n",
        [("Lloyd's of London, Ltd.", "ORG", (), (), 1), ("Kyiv", None, (), (), 1)],
    ),
    (
        "names.json",
        json.dumps(
            [
                "Beirut",
                {"text": "Qassem  Soleimani", "label": "PERSON", "aliases": ["Soleimani"]},
                {"name": "Tora Bora", "sounds_like": "Torah for a", "count": 3},
            ]
        ),
        [
            ("Beirut", None, (), (), 1),
            ("Qassem Soleimani", "PERSON", ("Soleimani",), (), 1),
            ("Tora Bora", None, (), ("Torah for a",), 3),
        ],
    ),
    (
        "names.json",  # an object holding the list
        json.dumps({"entities": [{"text": "Kuelap", "label": "loc"}]}),
        [("Kuelap", "LOC", (), (), 1)],
    ),
    (
        "names.jsonl",
        (
            '{"text": "Xavier Quispe Mamani", "label": "PERSON", "aliases": ["Quispe"], '
            '"sounds_like": ["zavier quiz many"]}\n'
            "\n"
            '"Chachapoyas"\n'
            '{"text": "Wenner-Gren Foundation", "label": "ORG", "count": 2}\n'
        ),
        [
            ("Xavier Quispe Mamani", "PERSON", ("Quispe",), ("zavier quiz many",), 1),
            ("Chachapoyas", None, (), (), 1),
            ("Wenner-Gren Foundation", "ORG", (), (), 2),
        ],
    ),
    (
        "names.list",  # unknown suffix: sniffed from the content
        '{"text": "Enerhodar"}\n',
        [("Enerhodar", None, (), (), 1)],
    ),
    ("names.lst", '["Zaporizhzhia"]', [("Zaporizhzhia", None, (), (), 1)]),
    (
        "names.txt",
        "\ufeffUlaanbaatar\r\nGobi\r\n",
        [("Ulaanbaatar", None, (), (), 1), ("Gobi", None, (), (), 1)],
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), FORMAT_CASES)
def test_read_entity_file_formats(tmp_path, name, content, expected):
    assert simple(read_entity_file(write(tmp_path, name, content))) == expected


BAD_FILES = [
    ("names.json", "[1, 2]", EntityListError, r"names.json\[0\]: expected a string or an object"),
    ("names.json", '{"text": "Beirut"', EntityListError, "invalid JSON at line 1"),
    ("names.json", '{"name": "x"}', EntityListError, "expected a JSON list"),
    ("names.json", '[{"label": "PERSON"}]', EntityListError, "record without a 'text' field"),
    ("names.json", '[{"text": "Kyiv", "count": "many"}]', EntityListError, "count is not a number"),
    (
        "names.json",
        '[{"text": "Kyiv", "aliases": 3}]',
        EntityListError,
        "expected a string or a list",
    ),
    ("names.json", "[]", EntityListError, "no usable entry"),
    ("names.json", '["", "   "]', EntityListError, "no usable entry"),
    (
        "names.jsonl",
        '{"text": "Kyiv"}\n{"text": \n',
        EntityListError,
        r"names.jsonl:2: invalid JSON",
    ),
    (
        "names.jsonl",
        '{"text": "Kyiv"}\n[1]\n',
        EntityListError,
        r"names.jsonl:2: expected a string",
    ),
    ("names.csv", "text,label\n,PERSON\n", EntityListError, "record without a 'text' field"),
    ("names.txt", "# only a comment\n\n   # another\n", EntityListError, "no usable entry"),
    ("names.txt", "", InputError, "entity list is empty"),
    ("names.txt", "\n\n  \n", InputError, "entity list is empty"),
    # hostile input (issue 14): one line each, never a traceback
    ("names.json", "[" * 100_000 + "]" * 100_000, EntityListError, "nested too deeply"),
    ("names.json", '{"entities": ' + "[" * 100_000 + "]" * 100_000 + "}", EntityListError,
     "nested too deeply"),
    ("names.jsonl", '"Kyiv"\n' + "[" * 100_000 + "]" * 100_000, EntityListError,
     r"names.jsonl:2: JSON nested too deeply"),
    ("names.json", '[{"text": "Kyiv", "count": 1e999}]', EntityListError, "count is not a number"),
    ("names.json", '[{"text": "Kyiv", "count": ' + "9" * 5000 + "}]", EntityListError,
     "invalid JSON: Exceeds the limit"),
    ("names.csv", "text\nKyiv\n" + "x" * 200_000 + "\n", EntityListError,
     "names.csv:3: not readable as CSV: field larger"),
    ("names.txt", "Kyiv\n" + "x" * 5000 + "\x00", InputError, "NUL byte at offset 5005"),
    ("names.txt", b"Beirut\x00\x00\x01", InputError, "binary"),
    ("names.txt", b"Beyrouth caf\xe9\n", InputError, "not valid UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "error", "message"), BAD_FILES)
def test_bad_entity_files(tmp_path, name, content, error, message):
    path = write(tmp_path, name, content)
    with pytest.raises(error, match=message) as info:
        Lexicon.load(path)
    assert isinstance(info.value, RespellError) and info.value.exit_code == 2
    assert "\n" not in str(info.value)
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode())


def test_missing_entity_file(tmp_path):
    with pytest.raises(InputError, match="entity list not found: .*nope.txt"):
        Lexicon.load(tmp_path / "nope.txt")


def test_load_several_files_merges_duplicates(tmp_path):
    a = write(tmp_path, "a.txt", "Beirut\nLiz Sly\n")
    b = write(
        tmp_path, "b.jsonl", '{"text": "Beirut", "label": "GPE", "sounds_like": ["bay loop"]}\n'
    )
    lex = Lexicon.load(a, b)
    assert simple(lex) == [("Beirut", "GPE", (), ("bay loop",), 2), ("Liz Sly", None, (), (), 1)]


# -- building and combining -------------------------------------------------------------------


def test_a_typed_name_a_document_names_too_stays_the_users():
    # a name typed without sources (the Python API) was taken for a document's entry
    typed = Lexicon.from_entries(["Pete Hegseth", "Tulsi Gabbard"])
    found = Lexicon.from_entries([Entity("Pete Hegseth", "PERSON", sources=("ner:a.txt",)),
                                  Entity("Donald Trump", "PERSON", sources=("ner:a.txt",))])
    for lex in (typed + found, found + typed):
        origins = {e.text: e.origin for e in lex}
        assert origins == {"Pete Hegseth": "user", "Tulsi Gabbard": "user", "Donald Trump": "ner"}
        assert lex.n_user == 2
    hegseth = next(e for e in typed + found if e.text == "Pete Hegseth")
    assert hegseth.sources == ("user", "ner:a.txt") and hegseth.label == "PERSON"


@pytest.mark.parametrize("name, label, kept", [
    ("Emmanuelle Charpentier", "PRODUCT", None),  # a person's look, mislabelled
    ("CRISPR", "PERSON", None),                   # no person's look, labelled one
    ("Jennifer Doudna", "PERSON", "PERSON"),
    ("Broad Institute", "ORG", "ORG"),
])
def test_a_typed_name_keeps_its_look_against_a_documents_label(name, label, kept):
    found = Entity(name, label, sources=("ner:a.txt",))
    for entries in (["Walter Isaacson", name, found], [found, "Walter Isaacson", name]):
        lex = Lexicon.from_entries(entries)
        assert next(e.label for e in lex if e.text == name) == kept


def test_two_documents_labels_merge_as_before():
    a = Entity("Emmanuelle Charpentier", None, sources=("pattern:a.pdf",))
    b = Entity("Emmanuelle Charpentier", "PRODUCT", sources=("ner:b.pdf",))
    (merged,) = Lexicon.from_entries([a, b])
    assert merged.label == "PRODUCT" and merged.sources == ("pattern:a.pdf", "ner:b.pdf")


def test_from_entries_accepts_strings_entities_and_dicts():
    lex = Lexicon.from_entries(
        [
            "  Qassem   Soleimani ",
            Entity("Beirut", "GPE"),
            {"text": "Tora Bora", "label": "loc"},
            "",
            "--",
        ]
    )
    assert [(e.text, e.label) for e in lex] == [
        ("Qassem Soleimani", None),
        ("Beirut", "GPE"),
        ("Tora Bora", "LOC"),
    ]
    assert len(lex) == 3 and lex


def test_from_entries_rejects_other_types():
    with pytest.raises(EntityListError, match="cannot use int"):
        Lexicon.from_entries([3])


def test_empty_lexicon_is_falsy():
    assert not Lexicon.from_entries([])
    assert len(Lexicon.from_entries(["", "  "])) == 0


@pytest.mark.parametrize("names", [["Beirut", "Kyiv"], ["Liz Sly", "Beirut"]])
def test_a_pickled_lexicon_leaves_its_index_behind(names):
    from respell.correct import fix
    from respell.index import LexiconIndex

    lex = Lexicon.from_entries(names)
    index = LexiconIndex.of(lex)  # refers to every form compiled in this process
    copy = pickle.loads(pickle.dumps(lex))
    assert len(pickle.dumps(lex)) < 1000  # the index and its tables are not in it
    assert copy == lex and list(copy.variants) == list(lex.variants)
    assert LexiconIndex.of(copy) is not index and LexiconIndex.of(lex) is index
    assert fix("we met liz sly in bay root", copy) == fix("we met liz sly in bay root", lex)


def test_an_index_goes_with_its_lexicon():
    import weakref

    from respell.index import LexiconIndex

    lex = Lexicon.from_entries(["Liz Sly", "Beirut"])
    index = weakref.ref(LexiconIndex.of(lex))
    assert index() is LexiconIndex.of(lex)
    del lex  # no cycle holds either: reference counting frees both at once
    assert index() is None


def test_add_merges_and_keeps_first_label():
    left = Lexicon.from_entries([Entity("Beirut", None, count=2), Entity("Kyiv", "GPE")])
    right = Lexicon.from_entries([Entity("Beirut", "GPE", aliases=("Beyrouth",))])
    both = left + right
    assert simple(both) == [("Beirut", "GPE", ("Beyrouth",), (), 3), ("Kyiv", "GPE", (), (), 1)]
    assert len(left) == 2  # operands unchanged


# -- variants ---------------------------------------------------------------------------------


def variants(entity):
    lex = Lexicon.from_entries([entity])
    return [(v.text, v.heard, v.kind) for v in lex.variants]


@pytest.mark.parametrize(
    ("entity", "surname"),
    [
        (Entity("Qassem Soleimani", "PERSON"), "Soleimani"),
        (Entity("Qassem Soleimani"), "Soleimani"),  # no label: looks like a name
        # and the surname with the word before it, as a double surname is said
        (Entity("Xavier Quispe Mamani", "PERSON"), ["Mamani", "Quispe Mamani"]),
        (Entity("Martin Luther King Jr.", "PERSON"), ["King", "Luther King"]),
        (Entity("Farzana Qureshi", None), "Qureshi"),
        (Entity("J. Sly", None), "Sly"),
        # not persons: no surname alone
        (Entity("Tora Bora", "LOC"), None),
        (Entity("Brandhuber Logistik", "ORG"), None),
        (Entity("Wenner-Gren Foundation"), None),
        (Entity("Lahore University of Management Sciences"), None),
        (Entity("Red Sea"), None),
        (Entity("European Parliament"), None),
        (Entity("Sakharov Prize"), None),
        (Entity("New York"), None),
        (Entity("Osama bin Laden"), None),  # lowercase particle: not guessed without a label
        (Entity("Beirut", "PERSON"), None),  # one word: nothing shorter to derive
        (Entity("Hezbollah"), None),
        (Entity("the dispatch"), None),
    ],
)
def test_surname_variant_only_for_persons(entity, surname):
    derived = [text for text, heard, kind in variants(entity) if kind == "surname"]
    assert derived == (surname if isinstance(surname, list) else [surname] if surname else [])
    assert looks_like_person(entity) == (surname is not None)


def test_variant_kinds_and_targets():
    entity = Entity(
        "Qassem Soleimani",
        "PERSON",
        aliases=("General Soleimani",),
        sounds_like=("Sola money", "sola money"),
    )
    assert variants(entity) == [
        ("Qassem Soleimani", "Qassem Soleimani", "canonical"),
        ("General Soleimani", "General Soleimani", "alias"),
        ("Soleimani", "Soleimani", "surname"),
        ("Qassem", "Qassem", "given_name"),
        ("Qassem Soleimani", "Sola money", "sounds_like"),  # case-only repeat dropped
    ]


def test_variants_point_at_their_entity():
    lex = Lexicon.from_entries(
        ["Liz Sly", "Beirut", Entity("Tora Bora", sounds_like=("Torah for a",))]
    )
    for v in lex.variants:
        assert v.text in (lex.entities[v.entity].text, *lex.entities[v.entity].aliases) or (
            v.kind == "surname" and lex.entities[v.entity].text.endswith(v.text)
        ) or (v.kind in ("given_name", "spelled")
              and lex.entities[v.entity].text.startswith(v.text))


names = st.text(alphabet=st.characters(categories=("L", "Zs")), min_size=1, max_size=30)


@given(st.lists(names, max_size=15))
def test_merge_is_idempotent_and_unique(entries):
    lex = Lexicon.from_entries(entries)
    texts = [e.text for e in lex]
    assert len(texts) == len(set(texts))
    assert all(t == " ".join(t.split()) and t for t in texts)
    again = Lexicon.from_entries(lex.entities)
    assert again.entities == lex.entities
    assert sum(e.count for e in lex) == sum(1 for e in entries if " ".join(e.split()))


# -- plain-name lists (the fast path) -----------------------------------------------------


def test_plain_name_lexicon_behaves_like_the_general_one():
    names = ["Beirut", "Soleimani", "Leocadia", "Xavier"]
    plain = Lexicon.from_entries(names)
    general = Lexicon.from_entries([Entity(n) for n in names])
    assert plain == general
    assert list(plain.variants) == list(general.variants)
    assert plain.variants[-1] == Variant("Xavier", "Xavier", 3, "canonical")
    assert plain.entities[1] is plain.entities[1]  # made once
    assert [e.text for e in plain] == names


def test_plain_name_lexicon_counts_duplicates_like_the_general_one():
    lex = Lexicon.from_entries(["Beirut", "Beirut", " ", "Xavier"])
    assert [(e.text, e.count) for e in lex] == [("Beirut", 2), ("Xavier", 1)]


@pytest.mark.parametrize("entities", [None, [], (), Lexicon(())])
def test_coerce_takes_nothing_as_an_empty_lexicon(entities):
    assert len(Lexicon.coerce(entities)) == 0


def test_coerce_keeps_a_lexicon_and_refuses_one_string():
    from respell.errors import OptionError

    lex = Lexicon.from_entries(["Beirut"])
    assert Lexicon.coerce(lex) is lex
    assert [e.text for e in Lexicon.coerce(iter(["Liz Sly", Entity("Beirut", "GPE")]))] == [
        "Liz Sly", "Beirut"]
    with pytest.raises(OptionError, match="wrap it in a list"):
        Lexicon.coerce("Qassem Soleimani")


def test_entity_is_the_same_class_from_lexicon_and_entity():
    from respell import entity, lexicon

    assert lexicon.Entity is entity.Entity and lexicon.LABELS is entity.LABELS
