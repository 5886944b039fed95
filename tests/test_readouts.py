"""A second source: White House readouts (YAML front matter, hard-wrapped, no honorifics),
read field by field against metadata checked by hand, and the accuracy per field over them
and the seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searcher import parse_file
from searcher.ingest.corpus import unify_people

from .conftest import FIXTURES, SEEDS
from .test_seed_metadata import EXPECTED as SEED_EXPECTED

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
#: 25 more, drawn at random (seed 11) and labelled by reading title and lead: (kind,
#: participants as (name, country), counterpart countries). Titles and release dates of these
#: are checked against the file's own front matter.
MORE = {
    "2021-04-21-readout-of-president-joseph-r-biden-jr-call-with-prime-minister-justin":
        ("telephone conversation", [BIDEN, ("Justin Trudeau", "Canada")], ["Canada"]),
    "2021-08-20-readout-of-president-joe-bidens-call-with-prime-minister-mario-draghi":
        ("telephone conversation", [BIDEN, ("Mario Draghi", "Italy")], ["Italy"]),
    "2021-08-27-readout-of-president-joseph-r-biden-jr-s-meeting-with-prime-minister":
        ("meeting", [BIDEN, ("Naftali Bennett", "Israel")], ["Israel"]),
    "2021-12-15-readout-of-investment-roundtable":
        ("meeting", [("Gina McCarthy", US), ("Brian Deese", US)], []),
    "2022-03-19-readout-of-homeland-security-advisor-dr-liz-sherwood-randalls-visit":
        ("visit", [("Liz Sherwood-Randall", US)], ["Kosovo"]),
    "2022-03-24-joint-readout-by-the-united-states-and-the-european-council":
        ("meeting", [BIDEN], ["European Union"]),
    "2022-03-30-readout-of-president-bidens-call-with-president-zelenskyy":
        ("telephone conversation", [BIDEN, ("Volodymyr Zelenskyy", "Ukraine")], ["Ukraine"]),
    "2022-10-28-readout-of-ceo-roundtable": ("meeting", [], []),
    "2023-05-26-readout-of-third-meeting-of-the-ukraine-donor":
        ("meeting", [("Mike Pyle", US), ("Sergii Marchenko", "Ukraine"),
                     ("Gert Jan Koopman", "European Union")], ["Ukraine", "European Union"]),
    "2023-09-14-readout-of-national-security-advisor-jake-sullivans-call":
        ("telephone conversation", [("Jake Sullivan", US), ("Akiba Takeo", "Japan"),
                                    ("Cho Tae-yong", "South Korea")], ["Japan", "South Korea"]),
    "2023-09-21-readout-of-president-bidens-meeting-president-zelenskyy":
        ("meeting", [BIDEN, ("Volodymyr Zelenskyy", "Ukraine")], ["Ukraine"]),
    "2023-09-21-readout-of-senior-administration-officials-meeting-with-president-gustavo":
        # The lead names who met: three U.S. officials, Petro and his Foreign Minister.
        ("meeting", [("Jon Finer", US), ("Liz Sherwood-Randall", US), ("Richard Verma", US),
                     ("Gustavo Petro", "Colombia"), ("Álvaro Leyva", "Colombia")], ["Colombia"]),
    "2023-09-23-readout-of-workforce-roundtable": ("meeting", [], []),
    "2023-10-18-readout-of-president-joseph-r-biden-jr-call-with-president-abdel-fattah":
        ("telephone conversation", [BIDEN, ("Abdel Fattah Al-Sisi", "Egypt")], ["Egypt"]),
    "2023-10-27-readout-of-president-joe-bidens-meeting-with-peoples-republic-of-china":
        ("meeting", [BIDEN, ("Wang Yi", "China")], ["China"]),
    "2023-12-07-readout-of-national-security-advisor-to-the-vice-president-phil-gordons":
        ("meeting", [("Phil Gordon", US)], []),
    "2023-12-08-readout-of-white-house-event": ("meeting", [], []),
    "2024-01-29-readout-of-national-security-advisor-sullivans-meeting-with-nato":
        ("meeting", [("Jake Sullivan", US), ("Jens Stoltenberg", None)], []),
    "2024-02-29-readout-of-president-bidens-call-with-amir-sheikh-tamim":
        ("telephone conversation", [BIDEN, ("Tamim Bin Hamad Al-Thani", "Qatar")], ["Qatar"]),
    "2024-04-18-readout-of-principal-deputy-national-security-advisor-jon-finers":
        ("meeting", [("Jon Finer", US), ("Denys Shmyhal", "Ukraine")], ["Ukraine"]),
    "2024-05-06-readout-of-president-joe-bidens-call-with-prime-minister-netanyahu":
        ("telephone conversation", [BIDEN, ("Benjamin Netanyahu", "Israel")], ["Israel"]),
    "2024-06-07-readout-of-white-house-convening-on-contraception": ("meeting", [], []),
    "2024-07-19-readout-of-white-house-office-of-gun-violence": ("meeting", [], []),
    "2024-07-30-readout-of-president-joe-bidens-call-with-president-luiz-inacio-lula":
        ("telephone conversation", [BIDEN, ("Luiz Inácio Lula da Silva", "Brazil")], ["Brazil"]),
    "2024-09-25-readout-of-president-bidens-pull-aside-with-president-zelenskyy":
        ("meeting", [BIDEN, ("Volodymyr Zelenskyy", "Ukraine")], ["Ukraine"]),
}
#: Each labelled participant's office, as the release states it (checked by reading the
#: lead). A role is right when it holds this office ("... of Japan" may follow).
ROLE_OF = {
    "Joseph R. Biden": "President", "Justin Trudeau": "Prime Minister",
    "Vladimir Putin": "President", "Kamala D. Harris": "Vice President",
    "Benjamin Netanyahu": "Prime Minister", "Ursula von der Leyen": "European Commission President",
    "Frederiksen": "Prime Minister", "Mario Draghi": "Prime Minister",
    "Naftali Bennett": "Prime Minister", "Gina McCarthy": "National Climate Advisor",
    "Brian Deese": "National Economic Council Director",
    "Liz Sherwood-Randall": "Homeland Security Advisor", "Volodymyr Zelenskyy": "President",
    "Mike Pyle": "Deputy National Security Advisor for International Economics",
    "Sergii Marchenko": "Finance Minister",
    "Gert Jan Koopman": "Director-General for Neighborhood and Enlargement Negotiations",
    "Jake Sullivan": "National Security Advisor", "Akiba Takeo": "Secretary General",
    "Cho Tae-yong": "National Security Office Director", "Gustavo Petro": "President",
    "Abdel Fattah Al-Sisi": "President", "Wang Yi": "Foreign Minister",
    "Phil Gordon": "National Security Advisor to the Vice President",
    "Jens Stoltenberg": "Secretary General", "Tamim Bin Hamad Al-Thani": "Amir",
    "Jon Finer": "Principal Deputy National Security Advisor", "Denys Shmyhal": "Prime Minister",
    "Luiz Inácio Lula da Silva": "President", "Álvaro Leyva": "Foreign Minister",
    "Richard Verma": "Deputy Secretary of State for Management and Resources",
    "PRAK Sokhonn": "Deputy Prime Minister, Minister of Foreign Affairs and International "
                    "Cooperation",
    "MOTEGI Toshimitsu": "Minister for Foreign Affairs",
    "HAYASHI Yoshimasa": "Minister of Foreign Affairs", "Derek Chollet": "Counselor",
    "Antony J. Blinken": "Secretary of State", "Anniken Huitfeldt": "Minister of Foreign Affairs",
}

#: Accuracy stated for each field over the 38 labelled releases (5 seeds, 30 readouts, 3 saved
#: web pages), as
#: measured; the test fails below it. README: "Ingestion accuracy".
LEVELS = {"title": 1.0, "release_date": 1.0, "kind": 0.95, "participants": 0.85, "countries": 0.95,
          "roles": 0.9}
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


def labelled(readouts) -> list[tuple]:
    import yaml

    seeds, pages = read(SEEDS), read(FIXTURES / "html")
    out = [(readouts[i], e) for i, e in EXPECTED.items()]
    out += [(seeds[i], {**e, "participants": [(n, c) for n, _, c in e["participants"]]})
            for i, e in SEED_EXPECTED.items()]
    # Saved web pages carrying three seeds' text (nav, banners, footer, scripts around it).
    out += [(pages[i], {**SEED_EXPECTED[i],
                        "participants": [(n, c) for n, _, c in SEED_EXPECTED[i]["participants"]]})
            for i in pages]
    for prefix, (kind, participants, countries) in MORE.items():
        [release_id] = [i for i in readouts if i.startswith(prefix)]
        front = yaml.safe_load(Path(readouts[release_id].path).read_text().split("---")[1])
        out.append((readouts[release_id], {
            "title": " ".join(front["title"].replace("\u2019", "'").split()),
            "release_date": dt.date.fromisoformat(str(front["date"])),
            "kind": kind, "participants": participants, "countries": countries}))
    return out


def role_right(release, name: str) -> bool:
    role = next((p.role for p in release.participants if p.name == name), None) or ""
    return ROLE_OF[name].lower() in role.lower()


def accuracy(readouts) -> dict[str, float]:
    """Per field, the share of releases read right; for roles, the share of the labelled
    participants (a participant not found counts as a wrong role)."""
    cases = labelled(readouts)
    measured = {name: sum(value(r, name) == e[name] for r, e in cases) / len(cases)
                for name in FIELDS}
    people = [(r, n) for r, e in cases for n, _ in e["participants"]]
    measured["roles"] = sum(role_right(r, n) for r, n in people) / len(people)
    return measured


def test_the_labelled_set_is_complete(readouts):
    assert len(labelled(readouts)) == 38 and len(readouts) == 30


def test_accuracy_per_field_over_seeds_and_readouts(readouts):
    """Every field at or above its stated level over the 38 labelled releases."""
    measured = accuracy(readouts)
    print("accuracy per field:", {k: round(v, 3) for k, v in measured.items()})
    for name, level in LEVELS.items():
        assert measured[name] >= level, (name, measured[name], level)


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
    from searcher.ingest.names import find_people_by_office

    assert [(p.name, p.role) for p in find_people_by_office(text)] == [(name, role)]


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
    from searcher.ingest.names import find_people_by_office

    text = ("Advisor Mike Pyle, together with Finance Minister of Ukraine, Sergii Marchenko, "
            "and others")
    people = [(p.name, p.role, p.country) for p in find_people_by_office(text)]
    assert ("Sergii Marchenko", "Finance Minister of Ukraine", "Ukraine") in people
