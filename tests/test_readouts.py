"""A second source: White House readouts (YAML front matter, hard-wrapped, no honorifics),
read field by field against metadata checked by hand. The accuracy per field over these and
every other labelled release is tests/test_ingestion_accuracy.py's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searcher import parse_file
from searcher.ingest.corpus import unify_people

from .conftest import FIXTURES

READOUTS = FIXTURES / "whitehouse"
D = dt.date
US = "United States"
BIDEN = ("Joseph R. Biden", US)

EXPECTED = {
    "2021-01-22-readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada": dict(
        title="Readout of President Joe Biden Call with Prime Minister Justin Trudeau of Canada",
        release_date=D(2021, 1, 22), kind="telephone conversation",
        participants=[BIDEN, ("Justin Trudeau", "Canada")], countries=["Canada"]),
    "2021-01-26-readout-of-president-joseph-r-biden-jr-call-with-president-vladimir-putin-of-russia": dict(
        title="Readout of President Joseph R. Biden, Jr. Call with President Vladimir Putin of Russia",
        release_date=D(2021, 1, 26), kind="telephone conversation",
        participants=[BIDEN, ("Vladimir Putin", "Russia")], countries=["Russia"]),
    "2021-03-04-readout-of-vice-president-kamala-harris-call-with-prime-minister-benjamin-netanyahu-of-israel": dict(
        title="Readout of Vice President Kamala Harris Call with Prime Minister Benjamin Netanyahu of Israel",
        release_date=D(2021, 3, 4), kind="telephone conversation",
        participants=[("Kamala D. Harris", US), ("Benjamin Netanyahu", "Israel")],
        countries=["Israel"]),
    "2021-03-05-readout-of-president-joseph-r-biden-jr-call-with-european-commission-president-ursula-von-der-leyen": dict(
        title="Readout of President Joseph R. Biden, Jr. Call with European Commission President "
              "Ursula von der Leyen",
        release_date=D(2021, 3, 5), kind="telephone conversation",
        participants=[BIDEN, ("Ursula von der Leyen", "European Union")],
        countries=["European Union"]),
    "2023-06-05-readout-of-president-bidens-meeting-with-prime-minister-frederiksen-of-denmark": dict(
        title="Readout of President Biden's Meeting with Prime Minister Frederiksen of Denmark",
        release_date=D(2023, 6, 5), kind="meeting",
        participants=[BIDEN, ("Frederiksen", "Denmark")], countries=["Denmark"]),
}
FIELDS = ["title", "release_date", "kind", "participants", "countries"]


def read(folder: Path) -> dict:
    releases = [parse_file(p) for p in sorted(folder.iterdir())
                if p.suffix in (".md", ".txt", ".html")]
    unify_people(releases)
    return {r.id: r for r in releases}


def value(release, name: str):
    if name == "participants":
        return [(p.name, p.country) for p in release.participants]
    return getattr(release, name)


@pytest.fixture(scope="module")
def readouts():
    return read(READOUTS)


@pytest.mark.parametrize("release_id", sorted(EXPECTED))
@pytest.mark.parametrize("name", FIELDS)
def test_readout_field(readouts, release_id, name):
    assert value(readouts[release_id], name) == EXPECTED[release_id][name]


def test_readouts_keep_their_text(readouts):
    putin = readouts[sorted(EXPECTED)[1]]
    assert putin.paragraphs[0].startswith("President Joseph R. Biden, Jr. spoke today with "
                                          "President Vladimir Putin of Russia.")
    assert putin.paragraphs[-1].endswith("consistent communication going forward.")
    assert "###" not in putin.text and "\n" not in putin.paragraphs[0]


@pytest.mark.parametrize("text, name, role", [
    ("Co-Chairs National Climate Advisor Gina McCarthy and", "Gina McCarthy",
     "National Climate Advisor"),
    ("and National Economic Council Director Brian Deese met", "Brian Deese",
     "National Economic Council Director"),
    ("National Security Advisor to the Vice President Dr. Phil Gordon met", "Phil Gordon",
     "National Security Advisor to the Vice President"),
    ("On Tuesday, President Biden spoke with", "Biden", "President"),
])
def test_office_words_before_a_name_are_its_role(text, name, role):
    from searcher.ingest.mentions import find_mentions

    assert [(p.name, p.role) for p in find_mentions(text)] == [(name, role)]


def test_a_release_published_on_a_government_domain_is_that_governments(tmp_path):
    """The White House's address makes a readout American, whatever countries the text
    names most (the Sullivan readout names North Korea's launches more than anyone)."""
    from searcher.ingest.metadata import country_of_address

    assert country_of_address({"source_url": "https://www.whitehouse.gov/x"}) == US
    assert country_of_address({"source_url": "https://www.mfaic.gov.kh/x"}) is None
    assert country_of_address({}) is None
    path = READOUTS / ("2023-09-14-readout-of-national-security-advisor-jake-sullivans-call-"
                       "with-the-national-security-advisors-of-japan-and-the-republic-of-korea.md")
    release = parse_file(path)
    assert [(p.name, p.country) for p in release.participants] == [
        ("Jake Sullivan", US), ("Akiba Takeo", "Japan"), ("Cho Tae-yong", "South Korea")]


def test_an_office_going_on_past_a_comma_names_the_person_after_it():
    from searcher.ingest.mentions import find_mentions

    text = ("Advisor Mike Pyle, together with Finance Minister of Ukraine, Sergii Marchenko, "
            "and others")
    people = [(p.name, p.role, p.country) for p in find_mentions(text)]
    assert ("Sergii Marchenko", "Finance Minister of Ukraine", "Ukraine") in people
