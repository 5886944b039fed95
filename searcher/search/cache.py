"""What an :class:`~searcher.Index` keeps between queries, and who owns it: arrays per
segment and per searcher (:mod:`.arrays`), and decoded posting lists, each under the name
of its array namespace (numpy or :mod:`.lists`) too.

Each ``Index`` owns one :class:`IndexCache` and attaches it to every Whoosh searcher it
opens (:func:`attach`); the scorer finds it there (:func:`cache_of`), so caches live and go
with the index that made them, and two indexes open in one process share nothing. Threads
may query one index at once: the cache's shared state changes only under its lock, and
what is loaded outside the lock is added only if no other thread added it first.

- Per segment (by segment id; segments never change while they live): field lengths,
  which documents are paragraphs, each document's release number. A searcher reopened
  after an update loads only what its new segments hold.
- Per searcher: the same arrays over all its segments, with its deletions
  (:class:`.arrays.View`).
- Decoded posting lists, least recently used dropped first, within
  :data:`POSTINGS_CACHE_BYTES`. Decoding Whoosh's pickled, compressed blocks is most of a
  query's cost; a word searched again (common ones are, in every query about them) then
  costs nothing to read.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import InternalError

if TYPE_CHECKING:
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

    from .arrays import Segment, View

#: The most decoded postings one index keeps (bytes of their arrays).
POSTINGS_CACHE_BYTES = 64 * 2**20
#: Segments whose arrays one index keeps; past it they are all forgotten (a long-lived
#: index that has seen many merges).
MAX_SEGMENTS = 64
#: Words' document frequencies one index keeps (per segment); past it they are forgotten.
MAX_FREQUENCIES = 200_000
#: The attribute of a Whoosh searcher that holds its index's cache.
_ATTRIBUTE = "searcher_cache"

_LIVE: weakref.WeakSet[IndexCache] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


def clear_postings_cache() -> None:
    """Forget every open index's decoded posting lists (benchmarks use it to measure first
    reads)."""
    with _LIVE_LOCK:
        caches = list(_LIVE)
    for cache in caches:
        cache.clear_postings()


def segment_id(leaf: IndexReader) -> str | None:
    """The id of the segment a leaf reader reads, which the caches key by; None for an
    empty index's reader, which has no segment."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return None if segment is None else segment.segment_id()


def attach(searcher: Searcher, cache: IndexCache) -> Searcher:
    """``searcher`` with ``cache``, for the scorer to use."""
    setattr(searcher, _ATTRIBUTE, cache)
    return searcher


def cache_of(searcher: Searcher) -> IndexCache:
    """The cache of the index that opened ``searcher`` (or its parent)."""
    found = getattr(searcher.get_parent(), _ATTRIBUTE, None)
    if found is None:
        raise InternalError("this Whoosh searcher has no searcher cache: open it with "
                            "searcher.Index (Index.searcher())")
    return found


class IndexCache:
    """One index's caches (see the module's text)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._segments: dict[str, _Arrays] = {}
        self._views: weakref.WeakKeyDictionary[Any, dict[str, Any]] = \
            weakref.WeakKeyDictionary()
        self._postings: OrderedDict[tuple, tuple] = OrderedDict()
        self._bytes = 0
        self._frequencies: dict[tuple, int] = {}
        with _LIVE_LOCK:
            _LIVE.add(self)

    # -- segments and searchers ---------------------------------------------------------

    def arrays_of(self, reader: IndexReader) -> _Arrays:
        """The arrays loaded for ``reader``'s segment, shared by every reader of it."""
        key = reader.segment().segment_id()  # random per segment
        count = reader.doc_count_all()
        with self._lock:
            arrays = self._segments.get(key)
            if arrays is None or arrays.doccount != count:
                if len(self._segments) > MAX_SEGMENTS:
                    self._segments.clear()
                arrays = self._segments[key] = _Arrays(count, self._lock)
        return arrays

    def segment(self, reader: IndexReader, offset: int, xp: ModuleType) -> Segment:
        """One segment's reader with its cached arrays of ``xp``."""
        from .arrays import Segment

        return Segment(reader, offset, self.arrays_of(reader), xp)

    @staticmethod
    def leaves(searcher: Searcher) -> list[tuple[IndexReader, int]]:
        """The searcher's segments' readers, each with its first document number; an empty
        index has none."""
        from .reading import has_segment_files

        return [(s.reader(), offset) for s, offset in searcher.leaf_searchers()
                if has_segment_files(s.reader())]

    def segments(self, searcher: Searcher, xp: ModuleType) -> list[Segment]:
        """The searcher's segments, each with its first document number and arrays."""
        return [self.segment(reader, offset, xp) for reader, offset in self.leaves(searcher)]

    def view(self, searcher: Searcher, xp: ModuleType) -> View:
        """The arrays of ``xp`` over ``searcher``'s documents (see :class:`.arrays.View`)."""
        from .arrays import View

        return self.per_searcher(searcher, "arrays:" + xp.__name__,
                                 lambda: View(self.segments(searcher, xp), xp))

    def kept(self, searcher: Searcher) -> Kept:
        """What a searcher keeps between queries of the releases it shows (see :class:`Kept`)."""
        return self.per_searcher(searcher, "kept", Kept)

    def per_searcher(self, searcher: Searcher, kind: str, make: Callable[[], Any]) -> Any:
        """What ``make()`` makes of ``searcher`` (a view of its documents), made once per
        searcher and ``kind`` and kept while the searcher lives."""
        with self._lock:
            found = self._views.get(searcher, {}).get(kind)
        if found is None:
            made = make()
            with self._lock:
                found = self._views.setdefault(searcher, {}).setdefault(kind, made)
        return found

    def doc_frequency(self, reader: IndexReader, fieldname: str, text: str | bytes) -> int:
        """Whoosh's ``reader.doc_frequency``, each segment's figure kept: a segment's word
        list never changes, and a query asks for dozens (each field of each word, its
        spellings), each a hash lookup through every segment."""
        total = 0
        for leaf, _ in reader.leaf_readers():
            segment = segment_id(leaf)
            if segment is None:
                total += leaf.doc_frequency(fieldname, text)
                continue
            key = (segment, fieldname, text)
            found = self._frequencies.get(key)
            if found is None:
                found = leaf.doc_frequency(fieldname, text)
                if len(self._frequencies) >= MAX_FREQUENCIES:
                    self._frequencies.clear()
                self._frequencies[key] = found
            total += found
        return total

    # -- decoded postings ---------------------------------------------------------------

    def postings(self, reader: IndexReader, fieldname: str, btext: bytes,
                 xp: ModuleType) -> tuple[Any, Any]:
        """A term's postings in one segment as arrays of ``xp``: (doc numbers, weights),
        deleted ones too."""
        from .postings import postings

        return self.cached((reader.segment().segment_id(), xp.__name__, fieldname, btext),
                           lambda: postings(reader, fieldname, btext, xp=xp)[:2])

    def cached(self, key: tuple, load: Callable[[], tuple]) -> tuple:
        """``load()``'s arrays, kept under ``key`` within :data:`POSTINGS_CACHE_BYTES`."""
        with self._lock:  # the loading itself needs no lock
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = load()
        with self._lock:
            if key not in self._postings:
                self._postings[key] = found
                self._bytes += _nbytes(found)
            while self._bytes > POSTINGS_CACHE_BYTES and len(self._postings) > 1:
                self._bytes -= _nbytes(self._postings.popitem(last=False)[1])
        return found

    @property
    def held(self) -> int:
        """Bytes of decoded postings held."""
        return self._bytes

    def clear_postings(self) -> None:
        with self._lock:
            self._postings.clear()
            self._bytes = 0


#: Releases a searcher keeps decoded (its hits' releases: a page asked again, the next page,
#: a release opened from its hit).
RELEASES_KEPT = 256


class Kept:
    """What one searcher keeps of the releases it shows, whichever arrays scored them: its
    column readers and its hits' releases (no numpy: a small index's query imports none)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._columns: dict[str, Any] = {}
        self._releases: OrderedDict[Hashable, Any] = OrderedDict()

    def column(self, reader: IndexReader, fieldname: str) -> Any:
        """The searcher's Whoosh column reader for ``fieldname``, made once: making one reads
        every document's offset in the column (milliseconds on a large index)."""
        found = self._columns.get(fieldname)
        if found is None:
            made = reader.column_reader(fieldname)
            with self._lock:
                found = self._columns.setdefault(fieldname, made)
        return found

    def release(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """``load()``'s value for ``key`` (a release's id, or what else is read of a release),
        the last :data:`RELEASES_KEPT` kept."""
        with self._lock:
            if key in self._releases:
                self._releases.move_to_end(key)
                return self._releases[key]
        found = load()
        with self._lock:
            self._releases[key] = found
            while len(self._releases) > RELEASES_KEPT:
                self._releases.popitem(last=False)
        return found


class _Arrays:
    """The arrays loaded for one segment, shared by every reader of it (under keys naming
    their namespace)."""

    def __init__(self, doccount: int, lock: threading.Lock) -> None:
        self.doccount, self.lock = doccount, lock
        self.loaded: dict[str, Any] = {}

    def load(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``'s result, made once per segment (the making outside the lock)."""
        found = self.loaded.get(key)
        if found is None:
            made = make()
            with self.lock:
                found = self.loaded.setdefault(key, made)
        return found


def _nbytes(arrays) -> int:
    """Bytes held by decoded postings: arrays (``nbytes``), in tuples and lists of them."""
    return sum(a.nbytes if hasattr(a, "nbytes") else _nbytes(a) for a in arrays)
