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

from .api import build_index, open_index, search, update_index, watch
from .engine import Index
from .errors import BadOption, IndexBusy, IndexMissing, ReadError, SearcherError
from .index.build import IndexReport
from .ingest.names import Reference
from .ingest.parse import parse_file
from .ingest.release import Participant, Release
from .search.options import SearchOptions
from .search.results import Hit, Results
from .search.snippets import Snippet

__version__ = "0.1.0"

__all__ = [
    "BadOption", "Hit", "Index", "IndexBusy", "IndexMissing", "IndexReport", "Participant",
    "ReadError", "Reference", "Release", "Results", "SearchOptions", "SearcherError", "Snippet",
    "build_index", "open_index", "parse_file", "search", "update_index", "watch",
]
