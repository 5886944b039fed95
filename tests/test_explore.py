"""searcher.explore (suggestions, people, whole-release highlights) and searcher.live
(an index shared by threads, following commits made elsewhere)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import searcher
from searcher import explore
from searcher.live import SharedIndex

from .conftest import SEEDS
from .serving import wait_until

S001 = "001_bf54391174a1e620"


def test_suggest_completes_people_countries_and_title_words(seeds_index):
    found = explore.suggest(seeds_index, "ho")
    assert [(s.kind, s.text) for s in found] == [("word", "Holds")]
    people = explore.suggest(seeds_index, "talks with bli")
    assert people[0] == explore.Suggestion("person", "Antony J. Blinken", 1, len("talks with "),
                                           "antony blinken")
    assert [s.text for s in explore.suggest(seeds_index, "Sokhonn PRAK")] == ["PRAK Sokhonn"]
    assert explore.suggest(seeds_index, "united st")[0].text == "United States"
    assert explore.suggest(seeds_index, "   ") == []
    assert len(explore.suggest(seeds_index, "a", limit=2)) == 2


def test_person_summary_names_counterparts_countries_and_dates(seeds_index):
    person = explore.person(seeds_index, "PRAK Sokhonn")  # any case: keys are folded
    assert person is not None and person.key == "prak sokhonn"
    assert len(person.releases) == 5 and person.countries == ["Cambodia"]
    assert [r.release_date.isoformat() for r in person.releases] == [
        "2022-08-04", "2022-05-16", "2022-02-15", "2021-11-24", "2020-10-21"]
    blinken = next(c for c in person.counterparts if c.key == "antony blinken")
    assert (blinken.country, blinken.releases) == ("United States", ["003_43396bd8d29e8cc7"])
    assert person.counterpart_countries["Japan"] == 2
    assert explore.person(seeds_index, "nobody at all") is None
    top = explore.directory(seeds_index).top("person", 2)
    assert [(s.text, s.releases) for s in top] == [("PRAK Sokhonn", 5), ("Anniken Huitfeldt", 1)]


def test_highlight_lights_up_what_the_results_do(seeds_index):
    hit = seeds_index.search('"ASEAN Chairmanship" Japan').hits[0]
    lit = explore.highlight(seeds_index, '"ASEAN Chairmanship" Japan', hit.release.paragraphs)
    assert hit.snippets
    for snippet in hit.snippets:  # each result snippet's highlights stand in its paragraph
        whole = lit[snippet.paragraph]
        marked = {whole.text[a:b] for a, b in whole.highlights}
        assert {snippet.text[a:b] for a, b in snippet.highlights} <= marked
    assert explore.highlight(seeds_index, "", ["text"])[0].highlights == []


def test_source_link_only_for_web_addresses(tmp_path: Path):
    good = tmp_path / "a.md"
    good.write_text("---\ntitle: A\nsource_url: https://example.gov/a\n---\n\nText here.\n")
    bad = tmp_path / "b.md"
    bad.write_text("---\ntitle: B\nsource_url: 'javascript:alert(1)'\n---\n\nText here.\n")
    assert explore.source_link(searcher.parse_file(good)) == "https://example.gov/a"
    assert explore.source_link(searcher.parse_file(bad)) is None
    hostile = searcher.parse_file(good)
    hostile.source_url = "javascript:alert(1)"  # as a script may give one
    assert explore.source_link(hostile) is None


def test_shared_index_follows_commits_and_serves_threads(tmp_path: Path):
    docs = tmp_path / "documents"
    shutil.copytree(SEEDS, docs)
    searcher.build_index(documents=docs, index=tmp_path / "ix")[0].close()
    seen: list[Path] = []
    shared = SharedIndex(tmp_path / "ix", on_refresh=seen.append)
    assert shared.search("Zanzibar").total == 0
    assert shared.suggest("zan") == []  # the directory of this commit
    errors: list[BaseException] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                assert shared.search("ASEAN", facets=True).total >= 4
                shared.suggest("sok")
            except BaseException as exc:  # any failure in a thread fails the test
                errors.append(exc)
                return

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n in range(3):  # commits by another Index while the threads read
            (docs / f"z{n}.txt").write_text(
                f"Zanzibar Talks {n}\n\nPhnom Penh, {n + 3} March 2023\n\nThe Zanzibar talks went "
                f"on for {n + 2} days in room {n * 7}.\n")
            searcher.update_index(documents=docs, index=tmp_path / "ix")[0].close()
            assert shared.search("Zanzibar").total == n + 1
        rebuilt, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")  # a new generation
        rebuilt.close()
        assert shared.search("Zanzibar").total == 3
        assert shared.stats()["generation"] == rebuilt.generation.name
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert len(seen) == 4 and seen[-1] == rebuilt.generation
    # Suggestions follow too, read in the background: the old directory answers meanwhile.
    assert wait_until(lambda: [s.text for s in shared.suggest("zan")] == ["Zanzibar"])
    shared.close()
