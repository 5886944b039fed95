"""The library surface: what a script that does `import searcher` gets."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import searcher

from .conftest import SEEDS


def test_public_names_are_exported():
    for name in ("Index", "Release", "Participant", "Hit", "Results", "Snippet", "open_index",
                 "build_index", "search", "parse_file", "SearcherError", "ReadError"):
        assert hasattr(searcher, name), name
    assert dataclasses.is_dataclass(searcher.Release) and dataclasses.is_dataclass(searcher.Hit)


def test_heavy_imports_wait_until_needed(tmp_path: Path):
    """``import searcher`` and an update that parses nothing load neither nltk (0.2 s) nor
    numpy (0.04 s): a script or ``searcher index`` pays for them only when it needs them."""
    searcher.build_index(documents=SEEDS, index=tmp_path / "ix")[0].close()
    code = ("import sys, searcher; "
            "searcher.update_index(documents=sys.argv[1], index=sys.argv[2]); "
            "print(sorted({'nltk', 'numpy'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, str(SEEDS), str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_open_index_builds_on_first_use_and_tells(tmp_path: Path):
    told: list[str] = []
    index = searcher.open_index(tmp_path / "ix", documents=SEEDS, notify=told.append)
    with index:
        assert len(index) == 5
    assert told == [f"no index yet in {tmp_path / 'ix'}: building it from {SEEDS}"]
    told.clear()
    with searcher.open_index(tmp_path / "ix", documents=SEEDS, notify=told.append):
        pass
    assert told == []


def test_open_index_without_build_raises(tmp_path: Path):
    with pytest.raises(searcher.IndexMissing):
        searcher.open_index(tmp_path / "none", build=False)


def test_one_shot_search_returns_typed_hits(tmp_path: Path):
    results = searcher.search("Ream naval base", index=tmp_path / "ix", documents=SEEDS)
    assert isinstance(results, searcher.Results) and results.total == 1
    hit = results.hits[0]
    assert isinstance(hit, searcher.Hit) and isinstance(hit.release, searcher.Release)
    assert hit.release.participants[1] == searcher.Participant(
        "Antony J. Blinken", "antony blinken", "Secretary of State of the United States",
        "United States")
    snippet = hit.snippets[0]
    assert isinstance(snippet, searcher.Snippet)
    assert "[Ream] [naval] [base]" in snippet.render("markers")
    assert "<mark>Ream</mark> <mark>naval</mark> <mark>base</mark>" in snippet.render("html")
    assert "[" not in snippet.render("text")


def test_release_by_id_round_trips(seeds_index):
    release = seeds_index.release("004_c5bea4f34a49b60c")
    parsed = searcher.parse_file(SEEDS / "004_c5bea4f34a49b60c.txt")
    assert release.paragraphs == parsed.paragraphs
    assert release.to_dict(paragraphs=False) | {"path": ""} == parsed.to_dict(paragraphs=False) | {"path": ""}
    assert seeds_index.release("nope") is None
    assert [r.id for r in seeds_index.releases()] == sorted(p.stem for p in SEEDS.iterdir())


def test_a_bad_file_is_reported_and_the_rest_indexed(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (docs / "notes.odt").write_bytes(b"PK")  # unknown suffix: not a release file at all
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert report.added == 5 and len(index) == 5
        assert sorted((Path(e.path).name, e.reason) for e in report.failed) == [
            ("binary.txt", "binary file (NUL bytes), not text"), ("empty.txt", "empty file")]


def test_rebuild_swaps_generations_atomically(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    first, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    (docs / "004_c5bea4f34a49b60c.txt").unlink()
    second, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with first, second:
        # The open reader keeps answering from the generation it opened.
        assert first.search("Huitfeldt").total == 1
        assert second.search("Huitfeldt").total == 0
    third, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    third.close()
    # The previous generation stays for readers that opened it; older ones go.
    generations = sorted(p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith("gen-"))
    assert generations == sorted([second.generation.name, third.generation.name])

