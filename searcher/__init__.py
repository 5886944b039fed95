"""searcher: full-text search for diplomatic press releases, built on Whoosh.

    import searcher

    index = searcher.open_index("index", documents="documents")   # builds on first use
    for hit in index.search("ASEAN Chairmanship", limit=3):
        print(hit.release.title, hit.score)
        for snippet in hit.snippets:
            print("   ", snippet.render("ansi"))

The same functions back the ``searcher`` command line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import IndexBusy, IndexMissing, ReadError, SearcherError
from .index import Index, IndexReport
from .ingest import parse_file
from .query import Hit, Results
from .releases import Participant, Release
from .snippets import Snippet

__version__ = "0.1.0"

__all__ = [
    "Hit", "Index", "IndexBusy", "IndexMissing", "IndexReport", "Participant", "ReadError",
    "Release", "Results", "SearcherError", "Snippet", "build_index", "open_index", "parse_file",
    "search",
]


def build_index(documents: str | Path = "documents", index: str | Path = "index",
                progress: Callable[[Path], None] | None = None) -> tuple[Index, IndexReport]:
    """Build (or rebuild) the index at ``index`` from the release files under ``documents``."""
    return Index.build(documents, index, progress=progress)


def open_index(index: str | Path = "index", documents: str | Path | None = "documents",
               build: bool = True, notify: Callable[[str], None] | None = None,
               progress: Callable[[Path], None] | None = None) -> Index:
    """Open the index at ``index``; if there is none (or it is of another format) and ``build``
    is true, build it from ``documents`` first, telling ``notify`` why."""
    try:
        return Index.open(index)
    except IndexMissing as missing:
        if not build or documents is None:
            raise
        if notify:
            reason = "no index yet" if not Index.exists(index) else str(missing).split(";")[0]
            notify(f"{reason} in {index}: building it from {documents}")
        built, _ = Index.build(documents, index, progress=progress)
        return built


def search(text: str, index: str | Path = "index", documents: str | Path | None = "documents",
           limit: int = 10, page: int = 1) -> Results:
    """One-shot search: open (or build) the index, search, close."""
    with open_index(index, documents) as opened:
        return opened.search(text, limit=limit, page=page)
