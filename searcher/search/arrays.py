"""Arrays a query needs over a segment's documents, and over a searcher's.

Loaded from Whoosh's columns (:mod:`.postings`) on first use, as arrays of the scorer's
namespace ``xp`` (numpy or :mod:`.lists`, :func:`.backend.namespace`), and kept in the
index's cache (:mod:`.cache`), which makes the objects here.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..index.schema import SEARCH_FIELDS
from .model import TEXT_FIELDS
from .postings import column, lengths_of

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

    from .cache import _Arrays

__all__ = ["TEXT_FIELDS", "Segment", "View"]


class Segment:
    """One segment as a searcher holds it: its reader, its first document number in the
    searcher, and the arrays it has (of ``xp``, loaded through this reader on first use)."""

    __slots__ = ("reader", "offset", "doccount", "xp", "_arrays")

    def __init__(self, reader: IndexReader, offset: int, arrays: _Arrays,
                 xp: ModuleType) -> None:
        self.reader, self.offset, self._arrays, self.xp = reader, offset, arrays, xp
        self.doccount = arrays.doccount

    def _load(self, key: str, load: Callable[[], Any]) -> Any:
        return self._arrays.load(f"{self.xp.__name__}:{key}", load)

    def lengths(self, fieldname: str) -> Any:
        """Each document's length in ``fieldname`` (Whoosh's one-byte approximation)."""
        return self._load("len:" + fieldname, lambda: lengths_of(self.xp)[self._raw(
            f"_{fieldname}_len", "u1")])

    def column(self, fieldname: str, dtype: str) -> Any:
        return self._load("col:" + fieldname, lambda: self._raw(fieldname, dtype))

    def paragraphs(self) -> Any:
        """Document numbers of the paragraph documents: those with any text field (release
        records have none; a release without text has one paragraph of its fields only).
        Read from the fields' length columns, a byte a document, rather than by decoding a
        posting for every paragraph."""
        def load() -> Any:
            any_text = self.xp.zeros(self.doccount, dtype=self.xp.bool_)
            for name in SEARCH_FIELDS:
                any_text |= self._raw(f"_{name}_len", "u1") > 0
            return self.xp.flatnonzero(any_text)

        return self._load("para", load)

    def _raw(self, fieldname: str, dtype: str) -> Any:
        return column(self.reader, fieldname, dtype, self.doccount, self.xp)


class View:
    """Arrays over one searcher's documents, by global document number, made once per
    searcher: its segments and deletions stay as they are while it lives."""

    def __init__(self, segments: list[Segment], xp: ModuleType) -> None:
        self.xp = xp
        size = sum(s.doccount for s in segments)
        self.live_paragraph = xp.zeros(size, dtype=xp.bool_)
        for s in segments:
            self.live_paragraph[s.paragraphs() + s.offset] = True
            deleted = s.reader.deleted_docs_set
            if deleted:
                self.live_paragraph[xp.asarray(sorted(deleted), dtype=xp.int64)
                                    + s.offset] = False
        parts = [s.column("release_num", ">i8") for s in segments]
        self.releases = xp.concatenate(parts) if parts else xp.zeros(0, dtype=xp.int64)
        self._segments = segments
        self._by_release: tuple[Any, ...] | None = None

    def by_release(self) -> tuple[Any, Any, dict[str, Any]]:
        """(each document's release index, -1 for none; the live releases' numbers; each
        text field's length per release): the release as one document, for release-level
        BM25F. A release's body is all its paragraphs; its title stands once."""
        if self._by_release is None:
            xp = self.xp
            live = xp.flatnonzero(self.live_paragraph)
            numbers, inverse = xp.unique(self.releases[live], return_inverse=True)
            index = xp.full(len(self.releases), -1, dtype=xp.int64)
            index[live] = inverse
            lengths = {}
            for name in TEXT_FIELDS:
                per_doc = xp.concatenate([s.lengths(name) for s in self._segments])
                if name == "body":
                    lengths[name] = xp.bincount(inverse, weights=per_doc[live],
                                                minlength=len(numbers))
                else:  # repeated in each paragraph: once
                    lengths[name] = xp.zeros(len(numbers))
                    xp.maximum.at(lengths[name], inverse, per_doc[live])
            self._by_release = (index, numbers, lengths)
        return self._by_release  # type: ignore[return-value]
