"""Names by their form, and the recognizer's junk: table-driven over small documents."""

from __future__ import annotations

import pytest

from respell.extract import document_mentions, merge_mentions
from respell.names import in_running_text, junk_reason, mine_names, name_pieces, relabel

ARTICLE = """Sanctions were tightened again on Monday.
The sanctions hit Iran's banks, and Apple said its stores in Beirut stay open.
Financial Highlights
Second Quarter Results
Net sales rose, the net result fell. Liz Sly reports from Beirut for the Washington Post.
The US market and the us-versus-them mood. Target cut prices; the target was missed.
Target stores reopened.
Ensuring safety
Customs Clearance
Tonnes shipped
Jordan talks
NETWORK UPDATE
RETURN ON CAPITAL EMPLOYED
CULP AND AIM ON NASDAQ
Annualized returns
Manning said it. Peyton Manning agreed, in Reading.
Curbside Pickup
By Rachel Okafor, Washington Correspondent
Metro Desk
She told The Hollywood Reporter on Monday that the show, which ran for years, would end soon.
"""


@pytest.mark.parametrize(
    ("name", "label", "reason"),
    [
        # common words capitalised only at a sentence start or in a heading: alone, or
        # when the document writes them in lower case too
        ("Sanctions", "ORG", "common word"),
        ("Customs", "ORG", "common word"),
        ("Tonnes", "PERSON", "common word"),
        ("Customs Clearance", "ORG", None),  # "clearance" is not written in lower case
        ("Jordan", "GPE", None),  # a place
        ("Financial Highlights", "ORG", None),  # "highlights" never in lower case here
        ("Net", "ORG", "common word"),
        # names: capitalised inside a sentence, or never written in lower case
        ("Apple", "ORG", None),
        ("Beirut", "GPE", None),
        ("Iran", "GPE", None),  # a possessive counts as inside the sentence
        ("Washington Post", "ORG", None),
        ("US", "GPE", None),  # an acronym is not "us"
        ("Target", "ORG", None),  # the document also capitalises it mid-sentence
        ("Liz Sly", "PERSON", None),
        # common words set in capitals, as headings are
        ("NETWORK", "PERSON", "common words in capitals"),
        ("NETWORK UPDATE", "ORG", "common words in capitals"),
        ("RETURN ON CAPITAL EMPLOYED", "ORG", "common words in capitals"),
        ("CULP", "ORG", None),  # not a common word
        ("AIM", "ORG", None),  # short: an acronym, maybe
        ("NASDAQ", "ORG", None),
        # verb forms heading bullets
        ("Ensuring", "ORG", "common word"),
        ("Annualized", "ORG", "verb form"),
        ("Reading", "GPE", None),  # inside a sentence
        ("Manning", "PERSON", None),  # a surname of a full name in the document
        ("Pickup", "PERSON", "common word"),  # "Curbside Pickup" is no full name
        # a byline's role, not a name; a name ending in a role word inside a sentence is
        ("Washington Correspondent", "GPE", "a byline"),
        ("Metro Desk", "ORG", "a byline"),
        ("The Hollywood Reporter", "ORG", None),
        # fragments of sentences
        ("Liz Sly reports", "PERSON", "sentence fragment"),
        ("the quarter ended", "ORG", "sentence fragment"),
        ("Spire Alabama • Partially", "FAC", "sentence fragment"),
        ("Domestic Business Insurance: Select", "ORG", "sentence fragment"),
        ("One Two Three Four Five Six Seven Eight", "ORG", "sentence fragment"),
        ("Bank of America", "ORG", None),
        ("Osama bin Laden", "PERSON", None),
        ("Lloyd's of London", "ORG", None),
        ("iPhone", "PRODUCT", None),
        # addresses
        ("www.spireenergy.com", "ORG", "web or mail address"),
        ("John.Sweeney@dentsplysirona.com", "PERSON", "web or mail address"),
        ("Kohls.com", "ORG", "web or mail address"),
    ],
)
def test_junk_reason(name, label, reason):
    got = junk_reason(name, label, ARTICLE, name_parts=frozenset({"Peyton", "Manning"}))
    assert (got is None) == (reason is None), got
    if reason:
        assert got.startswith(reason)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Apple", "Shares of Apple rose.", True),
        ("Apple", "Apple rose. Pears fell.", False),
        ("Apple", "He said, Apple rose.", True),  # after a comma: still inside the sentence
        ("Apple", "shares of\nApple rose", False),  # a line start
        ("Apple", "of Apples", False),  # another word
        ("Apple", "of Apple's stores", True),
        ("Sanctions Update", "Sanctions Update", False),
    ],
)
def test_in_running_text(name, text, expected):
    assert in_running_text(name, text) is expected


@pytest.mark.parametrize(
    ("span", "pieces"),
    [
        ("NextEra Energy Resources • Wind", ["NextEra Energy Resources", "Wind"]),
        ("Domestic Business Insurance: Select", ["Domestic Business Insurance", "Select"]),
        ("FEMSA Comercio - Fuel Division", ["FEMSA Comercio", "Fuel Division"]),
        ("Coca-Cola FEMSA files", ["Coca-Cola FEMSA"]),
        ("a Health Division", ["Health Division"]),
        ("Road Logistics and", ["Road Logistics"]),
        ("757 928 CORPORATE & INVESTMENT BANKING", ["CORPORATE & INVESTMENT BANKING"]),
        ("pipeline miles", []),
        ("bin Laden", ["bin Laden"]),
        ("de Gaulle", ["de Gaulle"]),
        ("Blanka-Graff", ["Blanka-Graff"]),
        # a paragraph ends a name, and a photo credit is its photographer and its agency;
        # a wrapped line does not end one, but a dateline below a byline does
        ("Justin Sullivan/Getty Images\n\nSAN FRANCISCO", ["Justin Sullivan", "Getty Images",
                                                           "SAN FRANCISCO"]),
        ("AP Photo/Eric Gay", ["AP Photo", "Eric Gay"]),
        ("AC/DC", ["AC/DC"]),
        ("Detlef\nTrefzger", ["Detlef Trefzger"]),
        ("Daniel Hartley and Rana Aziz\nJERUSALEM", ["Daniel Hartley and Rana Aziz", "JERUSALEM"]),
    ],
)
def test_name_pieces(span, pieces):
    assert name_pieces(span) == pieces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tickers after an exchange, and acronyms in ordinary lines
        ("Culp, Inc. (NYSE: CULP) reported", [("CULP", "ORG"), ("NYSE", "ORG")]),
        ("the ISRS rulings and non-GAAP measures", [("ISRS", "ORG"), ("GAAP", "ORG")]),
        ("costs of SG&A and CFO pay rose", []),  # three letters: too many sound alike
        ("NYSE: SR and SR again", [("SR", "ORG"), ("NYSE", "ORG")]),  # a ticker: any length
        # CamelCase, unless the reading glued words the document writes apart
        ("OrganicSales rose; Organic Sales grew", []),
        ("the LIHEAP-funded help", [("LIHEAP", "ORG")]),
        # not: common words in capitals, headings in capitals, Roman numerals, the CEO
        ("FINANCIAL HIGHLIGHTS FOR THE QUARTER", []),
        ("our CEO said NET sales in phase II", []),
        # CamelCase products
        ("sales of PowerEdge servers and the iPhone", [("PowerEdge", "PRODUCT"),
                                                       ("iPhone", "PRODUCT")]),
        ("in kWh and mAh", []),
        # capitalised runs inside sentences, with one rarer word at least
        ("the Gross Debt Reduction4 plan", []),  # a footnote mark ends the run
        ("under the Weather Normalization Adjustment Rider in",
         [("Weather Normalization Adjustment Rider", "PRODUCT")]),
        ("a rise at Spire Storage. Adjusted", [("Spire Storage", "PRODUCT")]),
        ("growth of Iran's Quds Force", []),  # a possessive ends the run
        ("exports to Haiti and China rose", []),  # "and" joins no names
        ("Culp, President and Chief Executive Officer", []),  # common words only
        ("we met Oyunchimeg Batbayar there", [("Oyunchimeg Batbayar", None)]),  # a person?
        ("filters from Pall and Cytiva", [("Pall", None), ("Cytiva", None)]),
        ("Second Quarter Results\nNet Sales", []),  # headings
        ("the Board of Directors", []),
        # a title before a person's name: the name, without the title and the place after
        ("she chose Gov. Tim Walz of Minnesota as her running mate",
         [("Tim Walz", None)]),
        ("said Mr. Walz, a former teacher", [("Walz", None)]),
    ],
)
def test_mine_names(text, expected):
    assert mine_names(text) == expected


def test_relabel_a_person_the_documents_call_by_surname():
    texts = [("Alexei Navalny died in prison. Navalny was 47. Morgan Stanley and Raymond James "
              "analysts, Masayoshi Son and Son's bank, and the Bank of Canada agreed.")]
    names = [("Alexei Navalny", "ORG"), ("Navalny", "ORG"), ("Morgan Stanley", "ORG"),
             ("Raymond James", "ORG"), ("Masayoshi Son", "ORG"), ("Bank of Canada", "ORG")]
    assert relabel(names, texts) == {"Alexei Navalny": "PERSON", "Navalny": "PERSON"}
    assert relabel(names) == {}  # without the texts, as before


def test_relabel_surname_tagged_as_place():
    names = [("Suzanne Sitherwood", "PERSON"), ("Sitherwood", "GPE"), ("Suzanne", "ORG"),
             ("Jordan", "GPE"), ("Michael Jordan", "PERSON"), ("Spire", "ORG")]
    assert relabel(names) == {"Sitherwood": "PERSON", "Suzanne": "PERSON"}


def test_document_mentions_sources_and_switches():
    text = "Sanctions bite. The sanctions hurt Spire and its LumiSense line."
    recognised = [("Sanctions", "ORG"), ("Spire", "ORG"), ("Spire and its", "ORG")]
    assert document_mentions(text, recognised, where="a.pdf") == [
        ("Spire", "ORG", "ner:a.pdf"), ("Spire", "ORG", "ner:a.pdf"),
        ("LumiSense", "PRODUCT", "pattern:a.pdf"),
    ]
    assert document_mentions(text, recognised, patterns=False, clean=False) == [
        ("Sanctions", "ORG", "ner"), ("Spire", "ORG", "ner"), ("Spire and its", "ORG", "ner"),
    ]
    assert document_mentions(text, recognised, labels=["PERSON"]) == [
        ("Spire", "ORG", "ner"), ("Spire", "ORG", "ner"),
    ]  # the recognizer's labels were chosen before; mined names obey labels


def test_merge_mentions_counts_a_name_both_recognised_and_mined_once_a_document():
    got = merge_mentions([
        ("Culp Home", "ORG", "ner:a.pdf"), ("Culp Home", "PRODUCT", "pattern:a.pdf"),
        ("Culp Home", "ORG", "ner:a.pdf"), ("Culp Home", "PRODUCT", "pattern:b.pdf"),
        ("LumiSense", None, "pattern:b.pdf"),
    ])
    assert [(e.text, e.label, e.count, e.sources, e.origin) for e in got] == [
        ("Culp Home", "ORG", 3, ("ner:a.pdf", "pattern:a.pdf", "pattern:b.pdf"), "ner"),
        ("LumiSense", None, 1, ("pattern:b.pdf",), "pattern"),
    ]


def test_a_surname_of_a_full_name_in_the_document_is_kept():
    text = "Manning threw.\nPeyton Manning retired.\nCurbside Pickup"
    recognised = [("Manning", "PERSON"), ("Peyton Manning", "PERSON"), ("Pickup", "PERSON")]
    assert [m[0] for m in document_mentions(text, recognised, patterns=False)] == [
        "Manning", "Peyton Manning"]


def test_a_person_run_on_into_what_they_own_is_the_person():
    text = "Olivia Rodrigo’s Guts is a year old. Dick's Sporting Goods sold out."
    recognised = [("Olivia Rodrigo’s Guts", "PERSON"), ("Dick's Sporting Goods", "ORG")]
    assert document_mentions(text, recognised, patterns=False) == [
        ("Olivia Rodrigo", "PERSON", "ner"), ("Dick's Sporting Goods", "ORG", "ner")]
