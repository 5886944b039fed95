"""The file suffixes release files have: those a reader exists for
(:data:`searcher.ingest.readers.READERS`, held equal to this by the tests). Light: scanning a
documents folder, which a query does to see whether the index is current, needs only these,
not the readers and the parsers they import."""

from __future__ import annotations

RELEASE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"})
