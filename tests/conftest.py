"""Shared fixtures: real copies of the seed releases and real Whoosh indexes in temp dirs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import searcher

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "documents"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> searcher.Index:
    """One index of the five seeds for the whole session (read-only tests share it)."""
    root = tmp_path_factory.mktemp("seeds")
    docs = root / "documents"
    shutil.copytree(SEEDS, docs)
    index, _ = searcher.build_index(documents=docs, index=root / "index")
    yield index
    index.close()


@pytest.fixture(scope="session")
def segmented_index(tmp_path_factory: pytest.TempPathFactory) -> searcher.Index:
    """Seeds and 30 readouts in three segments, with some releases replaced (deletions), for
    the whole session (read-only tests share it)."""
    root = tmp_path_factory.mktemp("segmented")
    docs = root / "docs"
    docs.mkdir()
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, docs)
    index, _ = searcher.build_index(documents=docs, index=root / "ix")
    readouts = sorted((FIXTURES / "whitehouse").glob("*.md"))
    for batch in (readouts[:15], readouts[15:]):
        for f in batch:
            shutil.copy(f, docs)
        index.update(docs)
    for f in readouts[:5]:  # changed files: their old documents are deleted, not removed
        (docs / f.name).write_text(f.read_text(encoding="utf-8") + "\n\nA closing line.\n",
                                   encoding="utf-8")
    index.update(docs)
    yield index
    index.close()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder holding a copy of the seeds in documents/, as the current directory."""
    shutil.copytree(SEEDS, tmp_path / "documents")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHER_INDEX", raising=False)
    monkeypatch.delenv("SEARCHER_DOCUMENTS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path
