"""The five seed releases, read field by field as a careful reader would label them."""

from __future__ import annotations

import datetime as dt

import pytest

from searcher import parse_file
from searcher.index.folder import release_files
from searcher.ingest.corpus import unify_people

from .conftest import SEEDS

D = dt.date
CAMBODIA_FM = "Deputy Prime Minister, Minister of Foreign Affairs and International Cooperation"

EXPECTED = {
    "000_ed51f6f203b24192": dict(
        title="Phone Conversation between His Excellency PRAK Sokhonn, Deputy Prime Minister, "
        "Minister of Foreign Affairs and International Cooperation of the Kingdom of Cambodia, "
        "and His Excellency MOTEGI Toshimitsu, Minister for Foreign Affairs of Japan",
        release_date=D(2020, 10, 21), event_date=D(2020, 10, 21), place="Phnom Penh",
        event_place=None, kind="telephone conversation",
        participants=[("PRAK Sokhonn", "prak sokhonn", "Cambodia"),
                      ("MOTEGI Toshimitsu", "motegi toshimitsu", "Japan")],
        countries=["Japan"], mentions=[], spokesperson=None, paragraphs=7,
        first="On 21 October 2020, His Excellency PRAK Sokhonn",
        last="mutual benefit of the two nations.",
    ),
    "001_bf54391174a1e620": dict(
        title="Deputy PM Prak Sokhonn Holds Bilateral Meeting with Japanese Foreign Minister",
        release_date=D(2022, 8, 4), event_date=D(2022, 8, 4), place="Phnom Penh",
        event_place="Phnom Penh", kind="meeting",
        participants=[("PRAK Sokhonn", "prak sokhonn", "Cambodia"),
                      ("HAYASHI Yoshimasa", "hayashi yoshimasa", "Japan")],
        countries=["Japan"], mentions=["Hun Sen"], spokesperson="Chum Sounry", paragraphs=4,
        first="His Excellency Prak Sokhonn, Deputy Prime Minister",
        last="issues of common concerns and interests.",
    ),
    "002_1b60594e8b6a4608": dict(
        title="Telephone Conversation between His Excellency Mr. PRAK SOKHONN, Deputy Prime "
        "Minister, Minister of Foreign Affairs and International Cooperation of Cambodia, and "
        "His Excellency Mr. Derek Chollet, Counselor of the U.S. Department of State",
        release_date=D(2021, 11, 24), event_date=D(2021, 11, 23), place="Phnom Penh",
        event_place=None, kind="telephone conversation",
        participants=[("PRAK Sokhonn", "prak sokhonn", "Cambodia"),
                      ("Derek Chollet", "chollet derek", "United States")],
        countries=["United States"], mentions=[], spokesperson=None, paragraphs=4,
        first="On 23 November 2021, His Excellency Mr. Prak Sokhonn",
        last="the Korean Peninsula, Myanmar etc...",
    ),
    "003_43396bd8d29e8cc7": dict(
        title="Meeting between H.E. Deputy Prime Minister Prak Sokhonn, Minister of Foreign "
        "Affairs and International Cooperation of Cambodia, and H.E. Anthony Blinken, Secretary "
        "of State of the United States on 13 May 2022, in Washington D.C.",
        release_date=D(2022, 5, 16), event_date=D(2022, 5, 13), place="Phnom Penh",
        event_place="Washington D.C.", kind="meeting",
        participants=[("PRAK Sokhonn", "prak sokhonn", "Cambodia"),
                      ("Antony J. Blinken", "antony blinken", "United States")],
        countries=["United States"], mentions=[], spokesperson=None, paragraphs=5,
        first="On the sideline of the ASEAN-U.S. Special Summit",
        last="the United States in all areas.",
    ),
    "004_c5bea4f34a49b60c": dict(
        title="Outcomes of the Video Call between His Excellency PRAK Sokhonn, Deputy Prime "
        "Minister, Minister of Foreign Affairs and International Cooperation of the Kingdom of "
        "Cambodia, and Her Excellency Anniken Huitfeldt, Minister of Foreign Affairs of the "
        "Kingdom of Norway on 14 February 2022",
        release_date=D(2022, 2, 15), event_date=D(2022, 2, 14), place="Phnom Penh",
        event_place=None, kind="video call",
        participants=[("PRAK Sokhonn", "prak sokhonn", "Cambodia"),
                      ("Anniken Huitfeldt", "anniken huitfeldt", "Norway")],
        countries=["Norway"], mentions=["Hun Sen"], spokesperson=None, paragraphs=4,
        first="On 14 February 2022, His Excellency PRAK Sokhonn",
        last="on regional and global issues.",
    ),
}


@pytest.fixture(scope="module")
def seeds():
    releases = [parse_file(p) for p in release_files(SEEDS)]
    unify_people(releases)
    return {r.id: r for r in releases}


def test_every_seed_is_read(seeds):
    assert sorted(seeds) == sorted(EXPECTED)


@pytest.mark.parametrize("release_id", sorted(EXPECTED))
@pytest.mark.parametrize("name", ["title", "release_date", "event_date", "place", "event_place",
                                  "kind", "countries", "mentions", "spokesperson"])
def test_seed_field(seeds, release_id, name):
    assert getattr(seeds[release_id], name) == EXPECTED[release_id][name]


@pytest.mark.parametrize("release_id", sorted(EXPECTED))
def test_seed_participants(seeds, release_id):
    got = [(p.name, p.key, p.country) for p in seeds[release_id].participants]
    assert got == EXPECTED[release_id]["participants"]
    assert seeds[release_id].participants[0].role.startswith(CAMBODIA_FM)


@pytest.mark.parametrize("release_id", sorted(EXPECTED))
def test_seed_paragraphs_are_clean(seeds, release_id):
    release, expected = seeds[release_id], EXPECTED[release_id]
    assert len(release.paragraphs) == expected["paragraphs"]
    assert release.paragraphs[0].startswith(expected["first"])
    assert release.paragraphs[-1].endswith(expected["last"])
    text = release.text
    for residue in ("KINGDOM OF CAMBODIA", "NATION RELIGION KING", "PRESS RELEASE", "**", "##",
                    "<sup>", "Phnom Penh, 2", "Fax", "mfaic.gov.kh", "Spokesperson"):
        assert residue not in text
    assert not release.warnings


def test_page_break_inside_a_sentence_is_mended(seeds):
    """Seed 001 has the ministry's address block in the middle of a sentence."""
    paragraph = seeds["001_bf54391174a1e620"].paragraphs[1]
    assert "commended Samdech Techo Prime Minister Hun Sen and Deputy PM Prak Sokhonn" in paragraph
    assert "implemented in the near future." in seeds["000_ed51f6f203b24192"].paragraphs[3]


def test_inline_html_does_not_split_words(seeds):
    assert "55th ASEAN Foreign Ministers' Meeting" in seeds["001_bf54391174a1e620"].paragraphs[0]


def test_one_person_one_key_however_written(seeds):
    keys = {p.key for r in seeds.values() for p in r.participants if "sokhonn" in p.key}
    assert keys == {"prak sokhonn"}


def test_typo_of_a_participant_is_not_a_new_person(seeds):
    """Seed 003 calls the Secretary of State "Blinken" and once "Blinens"."""
    release = seeds["003_43396bd8d29e8cc7"]
    assert "Blinens" in release.text
    # The shipped alias file knows the Secretary's name is Antony J. Blinken.
    assert [p.name for p in release.participants] == ["PRAK Sokhonn", "Antony J. Blinken"]
    assert release.mentions == []
