"""A title standing for a participant ("H.E. Deputy Prime Minister") is read as that person:
shown by `show`/`parse`, and lit up in snippets when the query names the person."""

from __future__ import annotations

import json

from click.testing import CliRunner

import searcher
from searcher.cli import cli
from searcher.ingest.names import find_references
from searcher.ingest.release import Participant

from .conftest import SEEDS


def titles(release) -> list[tuple[int, str, str]]:
    return [(r.paragraph, release.paragraphs[r.paragraph][r.start:r.end], r.key)
            for r in release.references() if r.by_title]


def test_a_title_alone_is_the_participant_holding_it():
    release = searcher.parse_file(SEEDS / "002_1b60594e8b6a4608.txt")
    # The apposition after his name in the lead describes him; the later titles stand for him.
    assert titles(release) == [(1, "H.E. Deputy Prime Minister", "prak sokhonn"),
                               (3, "H.E. Deputy Prime Minister", "prak sokhonn")]
    release = searcher.parse_file(SEEDS / "004_c5bea4f34a49b60c.txt")
    assert titles(release) == [(1, "His Excellency Deputy Prime Minister", "prak sokhonn")]


def test_names_are_references_too_however_written():
    release = searcher.parse_file(SEEDS / "004_c5bea4f34a49b60c.txt")
    named = {release.paragraphs[r.paragraph][r.start:r.end] for r in release.references()
             if not r.by_title and r.key == "prak sokhonn"}
    assert named == {"PRAK Sokhonn"}


def test_a_shared_office_goes_to_the_one_named_last():
    people = [Participant("Ana Lima", "ana lima", "Foreign Minister of Brazil", "Brazil"),
              Participant("Ben Otto", "ben otto", "Foreign Minister of Austria", "Austria")]
    paragraphs = ["Foreign Minister Ana Lima met Foreign Minister Ben Otto.",
                  "Ben Otto spoke first. Then the Foreign Minister thanked Ana Lima.",
                  "The Foreign Ministers agreed."]
    found = [(r.paragraph, paragraphs[r.paragraph][r.start:r.end], r.key)
             for r in find_references(paragraphs, people) if r.by_title]
    assert found == [(1, "the Foreign Minister", "ben otto")]  # plural: no one person


def test_snippets_light_up_the_title_standing_for_the_person_asked_for(seeds_index):
    hit = next(h for h in seeds_index.search("Sokhonn Norway", snippets=5)
               if h.release.id == "004_c5bea4f34a49b60c")
    lit = [s.text[a:b] for s in hit.snippets for a, b in s.highlights]
    assert "His Excellency Deputy Prime Minister" in lit
    other = seeds_index.search("Norway ASEAN", snippets=5).hits[0]
    assert "His Excellency Deputy Prime Minister" not in [
        s.text[a:b] for s in other.snippets for a, b in s.highlights]


def test_show_json_lists_the_references(seeds_index):
    result = CliRunner().invoke(cli, ["show", "002_1b60594e8b6a4608", "--json", "--index",
                                      str(seeds_index.root)])
    data = json.loads(result.output)
    by_title = [r for r in data["references"] if r["by_title"]]
    assert [(r["paragraph"], r["key"]) for r in by_title] == [(1, "prak sokhonn"),
                                                              (3, "prak sokhonn")]
