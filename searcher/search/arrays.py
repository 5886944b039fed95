"""Arrays a query needs over a segment's documents, and over a searcher's.

Loaded from Whoosh's columns (:mod:`.postings`) on first use and kept in the index's cache
(:mod:`.cache`), which makes the objects here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..index.schema import SEARCH_FIELDS
from .model import TEXT_FIELDS
from .postings import LENGTHS, column

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

    from .cache import _Arrays

__all__ = ["TEXT_FIELDS", "Segment", "View"]


class Segment:
    """One segment as a searcher holds it: its reader, its first document number in the
    searcher, and the arrays it has (loaded through this reader on first use)."""

    __slots__ = ("reader", "offset", "doccount", "_arrays")

    def __init__(self, reader: IndexReader, offset: int, arrays: _Arrays) -> None:
        self.reader, self.offset, self._arrays = reader, offset, arrays
        self.doccount = arrays.doccount

    def _load(self, key: str, load: Callable[[], np.ndarray]) -> np.ndarray:
        return self._arrays.load(key, load)

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in ``fieldname`` (Whoosh's one-byte approximation)."""
        return self._load("len:" + fieldname, lambda: LENGTHS[self._raw(
            f"_{fieldname}_len", "u1")].astype(np.float64))

    def column(self, fieldname: str, dtype: str) -> np.ndarray:
        return self._load("col:" + fieldname, lambda: self._raw(fieldname, dtype))

    def paragraphs(self) -> np.ndarray:
        """Document numbers of the paragraph documents: those with any text field (release
        records have none; a release without text has one paragraph of its fields only).
        Read from the fields' length columns, a byte a document, rather than by decoding a
        posting for every paragraph."""
        def load() -> np.ndarray:
            lengths = [self._raw(f"_{name}_len", "u1") for name in SEARCH_FIELDS]
            return np.flatnonzero(np.logical_or.reduce(lengths))

        return self._load("para", load)

    def _raw(self, fieldname: str, dtype: str) -> np.ndarray:
        return column(self.reader, fieldname, dtype, self.doccount)


class View:
    """Arrays over one searcher's documents, by global document number, made once per
    searcher: its segments and deletions stay as they are while it lives."""

    def __init__(self, segments: list[Segment]) -> None:
        size = sum(s.doccount for s in segments)
        self.live_paragraph = np.zeros(size, dtype=bool)
        for s in segments:
            self.live_paragraph[s.paragraphs() + s.offset] = True
            deleted = s.reader.deleted_docs_set
            if deleted:
                self.live_paragraph[np.fromiter(deleted, dtype=np.int64) + s.offset] = False
        parts = [s.column("release_num", ">i8") for s in segments]
        self.releases = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        self._segments = segments
        self._by_release: tuple[np.ndarray, ...] | None = None

    def by_release(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """(each document's release index, -1 for none; the live releases' numbers; each
        text field's length per release): the release as one document, for release-level
        BM25F. A release's body is all its paragraphs; its title stands once."""
        if self._by_release is None:
            live = np.flatnonzero(self.live_paragraph)
            numbers, inverse = np.unique(self.releases[live], return_inverse=True)
            index = np.full(len(self.releases), -1, dtype=np.int64)
            index[live] = inverse
            lengths = {}
            for name in TEXT_FIELDS:
                per_doc = np.concatenate([s.lengths(name) for s in self._segments])
                if name == "body":
                    lengths[name] = np.bincount(inverse, weights=per_doc[live],
                                                minlength=len(numbers))
                else:  # repeated in each paragraph: once
                    lengths[name] = np.zeros(len(numbers))
                    np.maximum.at(lengths[name], inverse, per_doc[live])
            self._by_release = (index, numbers, lengths)
        return self._by_release  # type: ignore[return-value]
