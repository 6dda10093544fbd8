"""The spoken variants of a name: parts said alone, short given names, the article, number."""

from __future__ import annotations

import pytest

from respell.diminutives import short_forms
from respell.entity import Entity
from respell.lexicon import Lexicon
from respell.variants import derive_variants, name_parts


def kinds(entity: Entity, known: bool = True) -> dict[str, str]:
    return {v.text: v.kind for v in derive_variants([entity], known=known)}


@pytest.mark.parametrize(("name", "parts"), [
    ("Bagram Air Base", ["Bagram"]),
    ("New York Times", ["York Times", "Times"]),  # "New" is no name's edge
    ("Goldman Sachs", ["Goldman", "Sachs"]),
    ("Raymond James & Associates", ["Raymond James", "Raymond"]),  # "James" too common
    ("Bank of America", []),  # "Bank" is generic; "America" not its head alone
    ("European Parliament", []),  # a common modifier is no name alone
    ("Lahore University of Management Sciences", ["Lahore", "Sciences"]),
])
def test_parts_are_the_name_like_runs_of_words(name, parts):
    assert name_parts(name) == parts


def test_parts_only_for_lists_of_names_known_to_be_there():
    assert kinds(Entity("Bagram Air Base", "FAC"))["Bagram"] == "part"
    assert "Bagram" not in kinds(Entity("Bagram Air Base", "FAC"), known=False)


def test_a_leading_article_is_left_to_the_running_text():
    found = kinds(Entity("The New York Times", "ORG"))
    assert "The New York Times" not in found and found["New York Times"] == "canonical"
    assert found["Times"] == "part"
    # one word after the article, or a name that capitalises it everywhere: kept whole
    assert kinds(Entity("The Who"))["The Who"] == "canonical"
    assert kinds(Entity("The Hague", "GPE"))["The Hague"] == "canonical"


@pytest.mark.parametrize(("name", "other"), [
    ("Kenyan", "Kenyans"), ("Pakistanis", "Pakistani"), ("Afghan", "Afghans"),
    ("Israeli", "Israelis"), ("Kurds", "Kurd"),
])
def test_a_demonym_is_heard_in_both_numbers(name, other):
    assert kinds(Entity(name, "NORP"))[other] == "number"


def test_short_given_names_of_a_person():
    found = kinds(Entity("Kenneth Bowling", "PERSON"))
    assert found["Ken"] == "short" and found["Ken Bowling"] == "short_full"
    assert found["Kenneth"] == "given_name" and found["Bowling"] == "surname"
    # an ordinary word, or a short form with another first letter, is only recognised
    william = kinds(Entity("William Smith", "PERSON"))
    assert william["Will"] == william["Will Smith"] == "spelled"
    # a name typed without a label whose first word is a given name is a person's
    assert kinds(Entity("Kenneth Bowling"))["Ken"] == "short"
    assert "Ken" not in kinds(Entity("Kenneth Bowling"), known=False)  # not in a catalog


@pytest.mark.parametrize(("name", "given"), [
    ("Jamelle Bouie", "given_name"),  # a rare first word: a given name
    ("Liz Sly", "given_name"),  # a given name the nicknames table knows
    ("Hunter Biden", "spelled"),  # a common word first: only recognised where it stands
    ("Golden Gate", "spelled"),
    ("Will Hurd", "spelled"),  # a given name, but a very common word
])
def test_the_first_word_of_a_typed_name(name, given):
    assert kinds(Entity(name))[name.split()[0]] == given
    # a label decides where there is one; a document's unlabelled entry is no typed name
    assert kinds(Entity(name, "ORG")).get(name.split()[0]) in (None, "part")
    mined = Entity(name, sources=("pattern:slides.pdf",))
    assert kinds(mined).get(name.split()[0]) in (None, "spelled", "part")


def test_short_forms_are_shorter_and_flag_ordinary_words():
    assert short_forms("Kenneth") == (("Ken", True), ("Kenny", True))
    assert dict(short_forms("Robert"))["Bob"] is True
    assert dict(short_forms("David")).get("Day") is False
    assert short_forms("Zebulonius") == ()
    # within a letter of the name and long itself: another name or spelling, no short form
    assert "Alexander" not in dict(short_forms("Alexandria"))
    assert "Kimberly" not in dict(short_forms("Kimberley"))
    assert dict(short_forms("Steven"))["Steve"] and "Dave" in dict(short_forms("David"))
    # longer said than the name: another name ("Clara" for Claire), not a short form
    assert "Clara" not in dict(short_forms("Claire")) and "Clare" in dict(short_forms("Claire"))


def test_known_by_size_unless_told():
    few = Lexicon.from_entries(["Liz Sly", "Beirut"])
    many = Lexicon.from_entries([f"Name{i}" for i in range(60)])
    assert few.known and not many.known
    assert not few.with_kind("catalog").known and many.with_kind("known").known
    with pytest.raises(Exception, match="list kind"):
        Lexicon(few.entities, kind="short")


def test_a_place_or_paper_of_capitalised_words_is_no_person():
    # "Bagram Air Base" had a surname "Base" and no part "Bagram"
    found = kinds(Entity("Bagram Air Base"), known=True)
    assert found["Bagram"] == "part" and "Base" not in found
    assert kinds(Entity("Washington Post"), known=True)["Post"] == "part"  # "the Post"
    assert kinds(Entity("Liz Sly"), known=True)["Sly"] == "surname"


def test_pinyin_names_are_heard_as_said_in_known_lists():
    found = {(v.heard, v.kind) for v in derive_variants([Entity("Xi Jinping")], known=True)}
    assert ("Shee Jinping", "canonical") in found and ("Shee", "surname") in found
    assert ("Qin", "given_name") not in kinds(Entity("Qin Gang"))  # the family name comes first
    assert {v.heard for v in derive_variants([Entity("Xi Jinping")])} == {"Xi Jinping", "Jinping"}
    lexicon = Lexicon.from_entries(["Xinjiang"], kind="known")
    assert {v.heard for v in lexicon.variants} == {"Xinjiang", "Shinjiang"}


def test_acronyms_are_heard_letter_by_letter_in_known_lists():
    found = {(v.heard, v.kind) for v in derive_variants([Entity("RFID")], known=True)}
    assert found == {("RFID", "canonical"), ("R F I D", "letters")}
    assert {v.heard for v in derive_variants([Entity("RFID")])} == {"RFID"}  # a catalog
    assert {v.heard for v in derive_variants([Entity("US")], known=True)} == {"US"}
    # the plain names' fast path hears them too
    assert {v.heard for v in Lexicon.from_entries(["GCP"], kind="known").variants} == {
        "GCP", "G C P"}
    assert {v.heard for v in Lexicon.from_entries(["GCP"], kind="catalog").variants} == {"GCP"}


def test_a_title_the_list_gives_is_said_with_the_surname_or_left_out():
    found = {(v.text, v.heard, v.kind) for v in derive_variants([Entity("Sen. Kyrsten Sinema")], known=True)}
    assert ("Kyrsten Sinema", "Kyrsten Sinema", "alias") in found
    assert ("Sen. Sinema", "senator Sinema", "alias") in found  # espeak reads "Sen." as "sen"
    assert ("Sinema", "Sinema", "surname") in found and ("Kyrsten", "Kyrsten", "given_name") in found
    assert "Sen." not in {text for text, _, _ in found}  # the title is no given name
    # two words after a title may be a name of its own ("General Electric", "Dr. Pepper")
    assert kinds(Entity("President Zelensky"))["President Zelensky"] == "canonical"


@pytest.mark.parametrize("name", ["General Electric Company", "SEC Regulation G"])
def test_a_title_word_before_no_person_is_the_names_own(name):
    # a firm's or a rule's first word may be a title's ("General", "Sec."): kept
    found = kinds(Entity(name, "ORG" if "Company" in name else None))
    assert name in found and not any(k == "alias" for k in found.values()), found


def test_a_person_said_without_middle_names_or_suffix():
    assert kinds(Entity("Lars Fruergaard Jørgensen"))["Lars Jørgensen"] == "unmiddled"
    assert kinds(Entity("Robert F. Kennedy Jr."))["Robert Kennedy"] == "unmiddled"
    assert "Derik Bruin" not in kinds(Entity("Derik De Bruin", "PERSON"))  # a particle stays
    # a suffix after a comma
    assert kinds(Entity("Martin Luther King, Jr.", "PERSON"))["King"] == "surname"
