"""Boilerplate learned from repetition across the corpus: a footer that stands in most
releases goes, wherever it falls; text a few releases share stays."""

from __future__ import annotations

from pathlib import Path

import searcher
from searcher.ingest.corpus import drop_boilerplate, learn_boilerplate
from searcher.ingest.release import Release

from .conftest import FIXTURES

FOOTER = "Press and Information Department, Ministry of Foreign Affairs of the Republic of Arcadia"
SHARED = "The two sides agreed to deepen cooperation on renewable energy and fisheries."


def corpus(folder: Path) -> list[Path]:
    """Eight real readouts; six end with the ministry's footer, one carries it inside a
    paragraph (as a page break leaves it), two share a sentence."""
    folder.mkdir()
    files = []
    for n, source in enumerate(sorted((FIXTURES / "whitehouse").glob("*.md"))[:8]):
        text = source.read_text("utf-8").rstrip("\n")
        if n < 6:
            text += f"\n\n{FOOTER}\n"
        if n == 6:  # mid-paragraph, as a page break leaves it
            front, _, body = text.partition("\n---\n")
            first, _, rest = body.strip().partition("\n\n")
            words = first.split()
            text = (f"{front}\n---\n\n{' '.join(words[:8])}\n{FOOTER}\n"
                    f"{' '.join(words[8:])}\n\n{rest}")
        if n in (1, 2):
            text += f"\n\n{SHARED}\n"
        target = folder / source.name
        target.write_text(text + "\n", encoding="utf-8")
        files.append(target)
    return files


def test_a_footer_in_most_releases_is_learned_and_dropped(tmp_path: Path):
    corpus(tmp_path / "docs")
    index, _ = searcher.build_index(documents=tmp_path / "docs", index=tmp_path / "ix")
    texts = [p for r in index.releases() for p in r.paragraphs]
    assert not [p for p in texts if "Arcadia" in p]
    assert index.search("Arcadia").total == 0
    assert index.search('"renewable energy and fisheries"').total == 2  # shared by two: kept
    source = sorted((FIXTURES / "whitehouse").glob("*.md"))[6]
    inside = index.release(source.stem)
    first = searcher.parse_file(source).paragraphs[0]
    assert inside.paragraphs[0] == first
    index.close()


def test_new_releases_lose_the_learned_footer_too(tmp_path: Path):
    files = corpus(tmp_path / "docs")
    index, _ = searcher.build_index(documents=tmp_path / "docs", index=tmp_path / "ix")
    late = sorted((FIXTURES / "whitehouse").glob("*.md"))[9]
    (tmp_path / "docs" / late.name).write_text(
        late.read_text("utf-8") + f"\n\n{FOOTER}\n", encoding="utf-8")
    assert index.update(tmp_path / "docs").added == 1
    assert index.search("Arcadia").total == 0
    assert index.release(late.stem).paragraphs == searcher.parse_file(late).paragraphs
    assert len(files) == 8
    index.close()


def test_learning_needs_a_share_of_the_corpus():
    def release(i: int, paragraphs: list[str]) -> Release:
        return Release(id=str(i), path=str(i), title=f"T{i}", paragraphs=paragraphs)

    releases = [release(i, [f"Text number {i}.", "Participants included:"]) for i in range(3)]
    releases += [release(i, [f"Text number {i}."]) for i in range(3, 20)]
    assert learn_boilerplate(releases) == []  # 3 of 20: under the share
    releases += [release(i, [f"Text {i}.", "Participants included:"]) for i in range(20, 30)]
    learned = learn_boilerplate(releases)
    assert learned == ["participants included"]  # 13 of 30
    drop_boilerplate(releases, learned)
    assert releases[0].paragraphs == ["Text number 0."]


def test_marks_alone_are_not_a_paragraph(tmp_path: Path):
    path = tmp_path / "r.md"
    path.write_text("---\ntitle: A title\ndate: 2022-05-13\n---\n\nFirst words here.\n\n"
                    "# # #\n\n* * *\n", encoding="utf-8")
    assert searcher.parse_file(path).paragraphs == ["First words here."]
