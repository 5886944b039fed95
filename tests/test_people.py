"""People, roles and countries on any release (issue 15): each case the issue names, on real
files, and the CLI's facets and ``show`` on the readouts naming only people."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from searcher import parse_file
from searcher.cli import cli
from searcher.ingest.corpus import unify_people
from searcher.ingest.mentions import find_mentions
from searcher.ingest.names import person_key, same_person
from searcher.ingest.participants import people_of

from .conftest import FIXTURES
from .labels import cases, same_name

STATEMENTS, PEOPLE = FIXTURES / "statements", FIXTURES / "people"
US = "United States"


def release(folder: Path, prefix: str):
    [path] = [p for p in folder.glob("*.md") if p.name.startswith(prefix)]
    return parse_file(path)


def names(r) -> list[str]:
    return [p.name for p in r.participants]


@pytest.fixture(scope="module")
def people_corpus():
    releases = [parse_file(p) for p in sorted(PEOPLE.glob("*.md"))]
    unify_people(releases)
    return {r.id[:10] + r.id[10:40]: r for r in releases}


# -- names that are not people ------------------------------------------------------------

@pytest.mark.parametrize("prefix, wanted", [
    ("2023-09-11-president-biden-announces-key-nominees", ["Joe Biden"]),  # not "Biden Announces Key Nominees"
    ("2023-11-09-president-biden-announces-key-nominees", ["Joe Biden"]),
    ("2021-04-28-president-biden-announces-16-key", ["Joe Biden"]),  # not "Biden Announces"
    ("2021-04-09-president-biden-to-sign-executive-order", ["Biden"]),  # not "Order Creating"
    ("2023-05-25-fact-sheet-biden", []),  # not "Strategy"
    ("2024-02-04-fact-sheet-biden", ["Biden"]),  # not "Agreement"
    ("2023-10-30-statement-from-president-joe-biden", ["Joe Biden"]),  # not "General Motors"
    ("2021-08-10-memorandum", ["Joseph R. Biden Jr."]),  # not "Authorization Act"
    ("2026-04-27-presidential-message", []),  # Grant is honoured, not taking part
])
def test_headline_words_are_not_people(prefix, wanted):
    assert names(release(STATEMENTS, prefix)) == wanted


@pytest.mark.parametrize("title, wanted", [
    ("President Biden Announces Nine New Nominees", ["Biden"]),
    ("Fact Sheets: President Biden's Agenda", []),
    ("Executive Order Addressing the Threat from Securities Investments that Finance Certain "
     "Companies of the People's Republic of China", []),
    ("Notice on the Continuation of the National Emergency", []),
    ("Memorandum on the National Strategy and Action Plan", []),
    ("A Proclamation on National Ovarian Cancer Awareness Month, 2021", []),
    ("A Proclamation on National Atomic Veterans Day, 2021", []),
    ("Memorandum on Providing Humanitarian Assistance to Certain Activities of Law Enforcement "
     "Officers", []),
])
def test_the_issues_non_people_in_title_case_are_no_one(title, wanted):
    """Headlines the issue quotes (the shared corpus holds none of these releases), read as
    a release's title with a lead naming no one."""
    participants, mentioned = people_of(title, ["The United States takes these steps today."],
                                        US)
    assert [p.name for p in participants] == wanted and set(mentioned) <= {"Biden"}


@pytest.mark.parametrize("title, name", [
    ("Statement from President Joe Biden Recognizing the Anniversary", "Joe Biden"),
    ("Vice President Harris Launches Nationwide Tour", "Harris"),
    ("President Biden Names Thirty-Second Round of Judicial Nominees", "Biden"),
    ("First Lady Melania Trump Concludes Second Day of U.K. State Visit", "Melania Trump"),
])
def test_a_name_glued_to_the_next_headline_word_ends_where_it_ends(title, name):
    [mention] = find_mentions(title, headline=True, known={("melania", "trump")})
    assert mention.name == name


def test_a_capitalised_verb_after_a_name_is_no_part_of_it():
    """Found on the held-out sample: "Today, President Biden Signed an executive order"."""
    [m] = find_mentions("Today, President Biden Signed an executive order to expand care.")
    assert m.name == "Biden"


def test_no_participant_of_a_labelled_release_is_a_phrase_the_labels_call_no_person():
    for case in cases():
        for phrase in case.label["not_people"]:
            assert not any(p.name.lower() == phrase.lower() for p in case.release.participants)


@pytest.mark.parametrize("word", ["Bureau", "Academy", "Dialogue", "Leadership", "Secretariat"])
def test_institution_words_are_no_participants(people_corpus, word):
    everyone = [p.name for r in list(people_corpus.values()) + [c.release for c in cases()]
                for p in r.participants]
    assert everyone and not any(word in n.split() for n in everyone)


def test_secretariat_is_the_office_not_the_name():
    r = release(FIXTURES / "whitehouse", "2023-09-14")
    akiba = next(p for p in r.participants if "Akiba" in p.name)
    assert akiba.name in ("Akiba Takeo", "Takeo Akiba") and "Secretariat" in akiba.role
    assert akiba.country == "Japan"


def test_congressional_leadership_is_four_leaders_not_a_person():
    r = release(FIXTURES / "readouts2", "2023-05-16")
    assert names(r)[1:] == ["Schumer", "McConnell", "McCarthy", "Jeffries"]
    assert {p.country for p in r.participants} == {US}


def test_no_role_ends_in_a_stray_comma():
    roles = [p.role for c in cases() for p in c.release.participants if p.role]
    assert roles and not [r for r in roles if r.rstrip() != r or r.endswith((",", ";", " and"))]


# -- countries ----------------------------------------------------------------------------

def test_the_vice_president_of_the_united_states_is_american(people_corpus):
    [m] = [m for m in find_mentions("Kamala Harris, Vice President of the United States, "
                                     "spoke.") if "Harris" in m.name]
    assert m.country == US and m.role == "Vice President of the United States"
    r = release(FIXTURES / "readouts2", "2022-11-21")
    assert ("Kamala Harris", US) in [(p.name, p.country) for p in r.participants]


def test_countries_stated_by_the_role_or_an_of_after_the_name(people_corpus):
    r = release(PEOPLE, "2023-05-26-readout-of-vice-president-harriss-call-with-president-g")
    assert [(p.name, p.country) for p in r.participants] == [
        ("Kamala Harris", US), ("Alejandro Giammattei", "Guatemala")]
    r = release(STATEMENTS, "2025-10-27")
    assert [(p.name, p.country) for p in r.participants] == [
        ("Donald J. Trump", US), ("Takaichi Sanae", "Japan")]  # "Prime Minister of Japan, ..."
    r = release(FIXTURES / "readouts2", "2021-05-10")  # "Jordanian Deputy Prime Minister"
    assert ("Ayman Safadi", "Jordan") in [(p.name, p.country) for p in r.participants]


def test_the_white_house_address_makes_the_actor_american():
    r = release(STATEMENTS, "2021-05-28")  # "Statement by Press Secretary Jen Psaki on ..."
    assert [(p.name, p.role, p.country) for p in r.participants] == [
        ("Jen Psaki", "Press Secretary", US)]


def test_susan_rice_is_named_and_no_participant_of_a_personnel_announcement(people_corpus):
    r = release(PEOPLE, "2023-05-05")
    assert names(r) == ["Biden"]  # appointees and the one thanked are mentioned
    assert {"Neera Tanden", "Stefanie Feldman", "Zayn Siddique", "Susan Rice"} <= set(r.mentions)


# -- keys: regnal numbers and suffixes ----------------------------------------------------

def test_keys_keep_regnal_numbers_and_suffixes():
    assert person_key("Abdullah II") == "abdullah ii"
    assert person_key("Joseph R. Biden, Jr.") == "biden joseph jr"
    assert not same_person(person_key("Abdullah II"), person_key("Abdullah Abdullah"))
    assert same_person(person_key("Joseph R. Biden"), person_key("Joseph R. Biden, Jr."))


def test_king_abdullah_ii_is_not_abdullah_abdullah(people_corpus):
    jordan = next(r for k, r in people_corpus.items() if "king-abdullah" in r.id)
    afghan = next(r for k, r in people_corpus.items() if "chairman-abdullah" in r.id)
    [king] = [p for p in jordan.participants if "Abdullah" in p.name]
    [chairman] = [p for p in afghan.participants if "Abdullah" in p.name]
    assert (king.name, king.key, king.role, king.country) == ("Abdullah II", "abdullah ii",
                                                              "King", "Jordan")
    assert (chairman.key, chairman.country) == ("abdullah abdullah", "Afghanistan")


def test_a_bare_name_resolves_to_a_full_one_of_its_own_country():
    from searcher.ingest.release import Participant, Release

    def one(rid, *people):
        return Release(rid, "", "t", ["x"], participants=[Participant(n, person_key(n), r, c)
                                                           for n, r, c in people])
    releases = [one(f"j{i}", ("Abdullah II", "King", "Jordan")) for i in range(5)]
    releases.append(one("a", ("Abdullah", "Chairman", "Afghanistan")))
    unify_people(releases)
    assert releases[-1].participants[0].key == "abdullah"
    assert releases[0].participants[0].key == "abdullah ii"


# -- the CLI names only people --------------------------------------------------------------

@pytest.fixture(scope="module")
def readouts_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("readouts")
    docs = root / "documents"
    for folder in ("whitehouse", "readouts2"):
        shutil.copytree(FIXTURES / folder, docs / folder, ignore=shutil.ignore_patterns(
            "labels.yaml", "LICENSE", "SOURCE"))
    labels = {}
    for folder in ("whitehouse", "readouts2"):
        labels.update(yaml.safe_load((FIXTURES / folder / "labels.yaml").read_text("utf-8")))
    result = CliRunner().invoke(cli, ["index", "--documents", str(docs), "--index",
                                      str(root / "ix")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return docs, root / "ix", labels


def _people_of(labels: dict) -> list[str]:
    return [p["name"] for e in labels.values() for p in e["participants"]] + \
        [m for e in labels.values() for m in e["mentions"]]


def test_facets_on_the_readouts_list_only_people(readouts_index):
    docs, ix, labels = readouts_index
    result = CliRunner().invoke(cli, ["query", "readout", "--facets", "--json", "--limit", "1",
                                      "--documents", str(docs), "--index", str(ix)],
                                catch_exceptions=False)
    facets = json.loads(result.stdout)["facets"]["participant"]
    known = _people_of(labels)
    assert len(facets) >= 40
    strangers = [n for n in facets if not any(same_name(n, k) for k in known)]
    assert strangers == []


def test_show_on_the_readouts_lists_only_people(readouts_index):
    docs, ix, labels = readouts_index
    known = _people_of(labels)
    for stem in sorted(labels)[::5]:
        folder = "whitehouse" if (docs / "whitehouse" / f"{stem}.md").exists() else "readouts2"
        result = CliRunner().invoke(cli, ["show", f"{folder}/{stem}", "--json", "--documents",
                                          str(docs), "--index", str(ix)],
                                    catch_exceptions=False)
        shown = json.loads(result.stdout)
        listed = [p["name"] for p in shown["participants"]] + shown["mentions"]
        assert [n for n in listed if not any(same_name(n, k) for k in known)] == [], stem
        assert not any(re.search(r",\s*$", p["role"] or "") for p in shown["participants"])


def test_people_shaped_hostile_files_are_read_and_indexed(tmp_path):
    """Runs of capitals and offices with no end (each held a name, an office or a role open
    and took minutes or hours before names, offices and roles were bounded) parse within the
    build's time limit, like any file."""
    from .test_hostile import run_searcher

    docs = tmp_path / "docs"
    docs.mkdir()
    bodies = {"capitals.txt": "Abc " * 5_000, "offices.txt": "President " * 3_000,
              "honorifics.txt": "Mr. Abc, " * 2_000, "complements.txt": "Secretary of State of " * 1_000,
              "names.txt": "Prime Minister John Smith and " * 700}
    for name, body in bodies.items():
        (docs / name).write_text(f"A Title\n\n{body}\n")
    result = run_searcher("index", "--json", "--documents", str(docs), "--index",
                          str(tmp_path / "ix"))
    report = json.loads(result.stdout)
    assert report["errors"] == [] and report["added"] == len(bodies), result.stderr
