"""Entity and its provenance: where each came from, kept through lists, merges and reports."""

from __future__ import annotations

import pickle

import pytest

from respell.entity import ORIGINS, Entity, split_source
from respell.lexicon import Lexicon, read_entity_file


@pytest.mark.parametrize(
    ("sources", "origin"),
    [
        ((), "user"),
        (("user:names.txt",), "user"),
        (("ner:a.pdf",), "ner"),
        (("pattern:a.pdf", "ner:b.html"), "ner"),
        (("pattern:a.pdf",), "pattern"),
        (("pattern:a.pdf", "user:names.txt"), "user"),
        (("ner",), "ner"),  # a kind without a document
    ],
)
def test_origin_is_the_strongest_kind(sources, origin):
    assert Entity("Spire", sources=sources).origin == origin
    assert ORIGINS.index(origin) >= 0


def test_lists_read_from_files_are_the_users(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Liz Sly\nBeirut\n")
    assert [e.sources for e in read_entity_file(path)] == [(f"user:{path}",)] * 2


def test_sources_in_records_are_kept(tmp_path):
    path = tmp_path / "names.jsonl"
    path.write_text('{"text": "Spire", "sources": ["ner:a.pdf", "pattern:b.pdf"]}\n'
                    '{"text": "Liz Sly"}\n')
    got = {e.text: e.sources for e in read_entity_file(path)}
    assert got == {"Spire": ("ner:a.pdf", "pattern:b.pdf"), "Liz Sly": (f"user:{path}",)}


def test_merging_unites_sources_and_the_users_entry_wins(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Spire\n")
    typed = Lexicon.load(path)
    mined = Lexicon.from_entries([Entity("Spire", "ORG", count=3, sources=("ner:a.pdf",)),
                                  Entity("Culp", "ORG", sources=("pattern:a.pdf",))])
    both = {e.text: e for e in typed + mined}
    assert both["Spire"].sources == (f"user:{path}", "ner:a.pdf")
    assert both["Spire"].origin == "user" and both["Spire"].count == 4
    assert both["Culp"].origin == "pattern"


def test_plain_names_and_pickles_keep_working():
    lex = Lexicon.from_entries(["Liz Sly", "Beirut"])
    assert all(e.sources == () and e.origin == "user" for e in lex)
    ent = Entity("Spire", sources=("ner:a.pdf",))
    assert pickle.loads(pickle.dumps(ent)) == ent


def test_changes_and_reports_carry_the_entitys_sources(tmp_path):
    import json

    import respell
    from respell.cli import main
    from respell.report import FileReport, load_report_csv, load_report_text, report_csv

    lex = Lexicon.from_entries([Entity("Beirut", "GPE", sources=("ner:article.pdf",)),
                                Entity("Liz Sly", "PERSON")])
    result = respell.fix("our loop sly reports from bay root.", entities=lex)
    by_entity = {c.entity: c.sources for c in result.changes}
    assert by_entity == {"Beirut": ("ner:article.pdf",), "Liz Sly": ()}
    entry = FileReport("ep.txt", "0" * 64, "txt", result)
    back = load_report_csv(report_csv([entry]), "r.csv").files[0].changes
    assert {c.entity: c.sources for c in back} == by_entity
    # the command: a list of yours and a document's names, each change says which
    (tmp_path / "ep.txt").write_text("our loop sly reports from bay root.\n")
    (tmp_path / "names.jsonl").write_text(
        '{"text": "Beirut", "label": "GPE", "sources": ["ner:article.pdf"]}\n'
        '{"text": "Liz Sly", "label": "PERSON"}\n')
    report = tmp_path / "changes.json"
    assert main(["fix", str(tmp_path / "ep.txt"), "-e", str(tmp_path / "names.jsonl"),
                 "--report", str(report), "--diff"]) == 0
    changes = json.loads(report.read_text())["files"][0]["changes"]
    assert {c["entity"]: c["sources"] for c in changes} == {
        "Beirut": ["ner:article.pdf"], "Liz Sly": [f"user:{tmp_path / 'names.jsonl'}"]}
    loaded = load_report_text(report.read_text(), "changes.json").files[0].changes
    assert all(isinstance(c.sources, tuple) for c in loaded)


@pytest.mark.parametrize(
    ("source", "parts"),
    [("ner:a.pdf", ("ner", "a.pdf")), ("user:C:/lists/n.txt", ("user", "C:/lists/n.txt")),
     ("pattern", ("pattern", None)), ("user:", ("user", None))],
)
def test_split_source(source, parts):
    assert split_source(source) == parts
