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

from typing import TYPE_CHECKING, Any

from .deferred import install as _defer_whoosh_modules

_defer_whoosh_modules()  # before anything imports Whoosh: see searcher.deferred

from .api import build_index, open_index, parse_file, search, update_index, watch  # noqa: E402
from .engine import Index  # noqa: E402
from .errors import BadOption, IndexBusy, IndexMissing, ReadError, SearcherError  # noqa: E402
from .ingest.release import Participant, Release  # noqa: E402
from .search.options import SearchOptions  # noqa: E402
from .search.results import Hit, Results  # noqa: E402
from .search.snippets import Snippet  # noqa: E402

if TYPE_CHECKING:
    from .index.build import IndexReport
    from .ingest.names import Reference

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # These live with the parsing and writing code, which a search does not import.
    if name == "IndexReport":
        from .index.build import IndexReport

        return IndexReport
    if name == "Reference":
        from .ingest.names import Reference

        return Reference
    raise AttributeError(f"module 'searcher' has no attribute {name!r}")

__all__ = [
    "BadOption", "Hit", "Index", "IndexBusy", "IndexMissing", "IndexReport", "Participant",
    "ReadError", "Reference", "Release", "Results", "SearchOptions", "SearcherError", "Snippet",
    "build_index", "open_index", "parse_file", "search", "update_index", "watch",
]
