"""SearchOptions: one object from the command line and the library to the scorer, checked
when made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import searcher
from searcher.cli import cli
from searcher.search.options import SearchOptions, parse_when


@pytest.mark.parametrize("given, iso", [
    ("2022", "2022"), ("2022-03", "2022-03"), ("2022-3", "2022-03"), ("March 2022", "2022-03"),
    ("Mar 2022", "2022-03"), ("2022-05-13", "2022-05-13"), ("13 May 2022", "2022-05-13"),
    ("May 13, 2022", "2022-05-13"), (dt.date(2022, 5, 13), "2022-05-13"),
    (dt.datetime(2022, 5, 13, 9, 30), "2022-05-13"),
])
def test_dates_in_the_forms_people_write(given, iso):
    assert parse_when(given) == iso


@pytest.mark.parametrize("given, says", [
    ("2022-13", "there is no month 13"), ("2022-02-30", "2022-02 has no day 30"),
    ("2022-13-45", "there is no month 13"), ("Smarch 2022", "not a date"), ("soon", "not a date"),
    (20220513, "not a date"),
])
def test_dates_that_are_none_are_refused_by_name(given, says):
    with pytest.raises(searcher.BadOption, match=says):
        SearchOptions("x", date_from=given)


@pytest.mark.parametrize("options, says", [
    ({"limit": -1}, "limit must be from 1 to 1000, not -1"), ({"limit": 0}, "limit"),
    ({"page": -1}, "page must be at least 1"), ({"offset": -5}, "offset"),
    ({"sort": "newest"}, "unknown sort 'newest'"), ({"limit": True}, "whole number"),
    ({"date_from": "2022-06", "date_to": "2022-01"}, "wrong way round"),
])
def test_bad_options_fail_before_searching(seeds_index, options, says):
    with pytest.raises(searcher.BadOption, match=says):
        seeds_index.search("ASEAN", **options)
    assert isinstance(searcher.BadOption("x"), ValueError)


def test_one_object_or_keywords_give_the_same_search(seeds_index):
    made = SearchOptions("ASEAN", limit=2, offset=1, sort="-date", date_from="March 2022")
    by_object = seeds_index.search(made)
    by_keywords = seeds_index.search("ASEAN", limit=2, offset=1, sort="-date",
                                     date_from=dt.date(2022, 3, 1))
    assert [h.release.id for h in by_object] == [h.release.id for h in by_keywords]
    assert by_object.options is made and by_object.offset == 1 and by_object.page == 1
    assert made.describe_filters() == "from 2022-03"


def test_the_library_reads_no_synonyms_variable_but_the_command_line_maps_it(
        workdir: Path, monkeypatch: pytest.MonkeyPatch):
    mine = workdir / "synonyms.txt"
    mine.write_text("zebra, Norway\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["index"]).exit_code == 0
    monkeypatch.setenv("SEARCHER_SYNONYMS", str(mine))
    with searcher.open_index("index", documents=None) as index:
        assert index.search("zebra").total == 0  # the variable is the command line's
        assert index.search("zebra", synonyms=mine).total == 1
    found = CliRunner().invoke(cli, ["query", "zebra", "-l"], catch_exceptions=False)
    assert found.stdout == "004_c5bea4f34a49b60c\n"
