"""Parsed query -> every matching paragraph with its score, a posting list at a time.

Whoosh's matchers walk the matching documents one by one in Python, a few microseconds per
document per query leaf; a common word matches thousands of paragraphs in each of seven
fields. Here each leaf reads its postings whole, block by block, and scores them as numpy
arrays with the same BM25F as :func:`searcher.search.query.weighting` (same idf, field lengths, B and
K1); branches combine sorted arrays of document numbers. The result holds every match, so
releases can be ranked, counted and grouped without walking Whoosh's matchers again.

Per-segment data that does not change while a segment lives (field lengths, which documents
are paragraphs, each document's release) is cached by segment id, so a searcher reopened
after an update only loads what the new segments hold.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..index.schema import BM25_B, BM25_K1, SEARCH_FIELDS

#: The text fields a release is scored on as one document (see :mod:`.ranking`).
TEXT_FIELDS = ("body", "title")

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


@dataclass
class Matches:
    """Matching documents (global document numbers, ascending, unique) and their scores, in
    two parts: ``scores`` from the paragraph's own text, ``rscores`` from its release's
    fields (title, people, countries, dates...), which every paragraph of a release carries
    alike and which a release must therefore count once (see :mod:`.ranking`)."""

    docs: np.ndarray
    scores: np.ndarray
    rscores: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.rscores is None:
            self.rscores = np.zeros(len(self.docs))

    @classmethod
    def empty(cls) -> Matches:
        return cls(_EMPTY_DOCS, _EMPTY_SCORES, _EMPTY_SCORES)

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def totals(self) -> np.ndarray:
        """Each paragraph's whole score: its text's and its release fields'."""
        return self.scores + self.rscores

    def plus(self, other: Matches) -> Matches:
        """These documents, with ``other``'s score added where it matches too (AndMaybe)."""
        _, mine, theirs = np.intersect1d(self.docs, other.docs, assume_unique=True,
                                         return_indices=True)
        scores, rscores = self.scores.copy(), self.rscores.copy()
        scores[mine] += other.scores[theirs]
        rscores[mine] += other.rscores[theirs]
        return Matches(self.docs, scores, rscores)

    def scaled(self, factor: float | np.ndarray) -> Matches:
        return Matches(self.docs, self.scores * factor, self.rscores * factor)

    def top(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` best (docs, whole scores), best first; ties go to the lower number."""
        totals = self.totals
        order = np.lexsort((self.docs, -totals))[:n]
        return self.docs[order], totals[order]


def evaluate(searcher: Searcher, q: Query, release_level: bool = False) -> Matches:
    """Every paragraph matching ``q`` (live, not deleted), with its score. With
    ``release_level``, title words score nothing here: the ranking scores them with the
    release's text as one document. (Coordination is the ranking's too.)"""
    return _Evaluator(searcher, release_level).run(q)


def release_view(searcher: Searcher) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """See :meth:`_View.by_release`."""
    return _view(searcher).by_release()


def term_postings(searcher: Searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings over the whole searcher: (global document numbers, weights)."""
    parent = searcher.get_parent()
    if fieldname not in parent.schema:
        return _EMPTY_DOCS, _EMPTY_SCORES
    btext = parent.schema[fieldname].to_bytes(text)
    docs, weights = [], []
    for s, offset in _leaves(searcher):
        ids, w = _cached_postings(s.reader(), fieldname, btext)
        if len(ids):
            docs.append(ids + offset)
            weights.append(w)
    if not docs:
        return _EMPTY_DOCS, _EMPTY_SCORES
    return np.concatenate(docs), np.concatenate(weights)


def release_numbers(searcher: Searcher) -> np.ndarray:
    """The release number of every document of ``searcher``, by global document number."""
    return _view(searcher).releases


def one_per_release(searcher: Searcher, docs: np.ndarray) -> np.ndarray:
    """One of ``docs`` for each release they belong to (the first of each, in order)."""
    _, firsts = np.unique(release_numbers(searcher)[docs], return_index=True)
    return docs[firsts]


class _View:
    """Arrays over one searcher's documents, by global document number, made once per
    searcher: its segments and deletions stay as they are while it lives."""

    def __init__(self, searcher: Searcher) -> None:
        leaves = [(s.reader(), offset, _segment_cache(s.reader()))
                  for s, offset in _leaves(searcher)]
        size = sum(cache.doccount for _, _, cache in leaves)
        self.live_paragraph = np.zeros(size, dtype=bool)
        for reader, offset, cache in leaves:
            self.live_paragraph[cache.paragraphs() + offset] = True
            deleted = reader.deleted_docs_set
            if deleted:
                self.live_paragraph[np.fromiter(deleted, dtype=np.int64) + offset] = False
        parts = [cache.column("release_num", ">i8") for _, _, cache in leaves]
        self.releases = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        self._leaves = leaves
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
                per_doc = np.concatenate([cache.lengths(name) for _, _, cache in self._leaves])
                if name == "body":
                    lengths[name] = np.bincount(inverse, weights=per_doc[live],
                                                minlength=len(numbers))
                else:  # repeated in each paragraph: once
                    lengths[name] = np.zeros(len(numbers))
                    np.maximum.at(lengths[name], inverse, per_doc[live])
            self._by_release = (index, numbers, lengths)
        return self._by_release  # type: ignore[return-value]


_VIEWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _view(searcher: Searcher) -> _View:
    view = _VIEWS.get(searcher)
    if view is None:
        view = _VIEWS[searcher] = _View(searcher)
    return view


# -- per-segment data -----------------------------------------------------------------------

class _SegmentCache:
    """What a segment holds that queries need as arrays, loaded on first use."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self.doccount = reader.doc_count_all()
        self._arrays: dict[str, np.ndarray] = {}

    def _load(self, key: str, load: Callable[[], np.ndarray]) -> np.ndarray:
        if key not in self._arrays:
            self._arrays[key] = load()
        return self._arrays[key]

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in ``fieldname`` (Whoosh's one-byte approximation)."""
        return self._load("len:" + fieldname, lambda: _LENGTHS[self._raw(
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
        """A fixed-width column as an array, documents past its end given 0."""
        perdoc = self.reader._perdoc
        out = np.zeros(self.doccount, dtype=np.dtype(dtype).newbyteorder("="))
        if not perdoc.has_column(fieldname):
            return out
        if fieldname not in perdoc._colfiles:  # Whoosh's own cache: closed with the reader
            perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
        colfile, offset, length = perdoc._colfiles[fieldname]
        data = np.frombuffer(colfile.get(offset, length), dtype=dtype)[: self.doccount]
        out[: len(data)] = data
        return out


def _length_table() -> np.ndarray:
    from whoosh.util.numeric import byte_to_length

    return np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


_LENGTHS = _length_table()
#: Segment id -> cache; segments are immutable, so an entry is good as long as its segment.
_CACHES: dict[str, _SegmentCache] = {}


def _segment_cache(reader: IndexReader) -> _SegmentCache:
    key = reader.segment().segment_id()  # random per segment, so unique across indexes too
    cache = _CACHES.get(key)
    if cache is None or cache.doccount != reader.doc_count_all():
        if len(_CACHES) > 64:
            _CACHES.clear()
        cache = _CACHES[key] = _SegmentCache(reader)
    cache.reader = reader  # the newest open reader of the segment (its files stay the same)
    return cache


#: Decoded postings kept for reuse, least recently used dropped first. Decoding Whoosh's
#: pickled, compressed blocks is most of a query's cost; a word searched again (common ones
#: are, in every query about them) then costs nothing to read.
POSTINGS_CACHE_BYTES = 64 * 2**20
_POSTINGS: OrderedDict[tuple[str, str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_cached_bytes = 0


_LOCK = threading.Lock()


def clear_postings_cache() -> None:
    """Forget every decoded posting list (benchmarks use it to measure first reads)."""
    global _cached_bytes
    with _LOCK:
        _POSTINGS.clear()
        _cached_bytes = 0


def _cached(key: tuple, load: Callable[[], tuple[np.ndarray, ...]]) -> tuple:
    """``load()``'s arrays, kept under ``key`` within :data:`POSTINGS_CACHE_BYTES`."""
    global _cached_bytes
    with _LOCK:  # queries may run in threads; the loading itself needs no lock
        found = _POSTINGS.get(key)
        if found is not None:
            _POSTINGS.move_to_end(key)
            return found
    found = load()
    with _LOCK:
        if key not in _POSTINGS:
            _POSTINGS[key] = found
            _cached_bytes += _nbytes(found)
        while _cached_bytes > POSTINGS_CACHE_BYTES and len(_POSTINGS) > 1:
            _cached_bytes -= _nbytes(_POSTINGS.popitem(last=False)[1])
    return found


def _nbytes(arrays) -> int:
    return sum(_nbytes(a) if isinstance(a, (list, tuple)) else a.nbytes for a in arrays)


def _cached_postings(reader: IndexReader, fieldname: str,
                     btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    return _cached((reader.segment().segment_id(), fieldname, btext),
                   lambda: _postings(reader, fieldname, btext)[:2])


def _phrase_postings(reader: IndexReader, fieldname: str, btexts: list[bytes],
                     slop: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The documents of one segment holding the phrase, and each word's weights there."""
    common = None
    for btext in btexts:
        ids = _cached_postings(reader, fieldname, btext)[0]
        common = ids if common is None else np.intersect1d(common, ids, assume_unique=True)
        if not len(common):
            return _EMPTY_DOCS, [_EMPTY_SCORES for _ in btexts]
    lists = [_postings(reader, fieldname, b, values=True) for b in btexts]
    where = [np.searchsorted(ids, common) for ids, _, _ in lists]
    decode = reader.schema[fieldname].format.decode_positions
    verdicts: dict[tuple[bytes, ...], bool] = {}  # a title repeats in each of its paragraphs
    keep = np.zeros(len(common), dtype=bool)
    for i in range(len(common)):
        values = tuple(vals[w[i]] for (_, _, vals), w in zip(lists, where))
        verdict = verdicts.get(values)
        if verdict is None:
            verdict = verdicts[values] = _in_order([decode(v) for v in values], slop)
        keep[i] = verdict
    return common[keep], [weights[w[keep]] for (_, weights, _), w in zip(lists, where)]


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    """The searcher's segments, as (searcher, first document number); an empty index has
    none."""
    return [(s, offset) for s, offset in searcher.leaf_searchers()
            if hasattr(s.reader(), "_perdoc")]


def _postings(reader: IndexReader, fieldname: str, btext: bytes,
              values: bool = False) -> tuple[np.ndarray, np.ndarray, list[bytes] | None]:
    """A term's postings in one segment, deleted documents included: (doc numbers, weights,
    encoded values if asked). Reads Whoosh's blocks whole instead of posting by posting."""
    if (fieldname, btext) not in reader:
        return _EMPTY_DOCS, _EMPTY_SCORES, [] if values else None
    m = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    ids: list[int] = []
    weights: list[float] = []
    vals: list[bytes] | None = [] if values else None
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            if vals is not None:
                m._read_values()
                vals.extend(m._values)
            m._next_block()
    else:  # another codec: the slow, general way
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if vals is not None:
                vals.append(m.value())
            m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), vals


# -- combining ------------------------------------------------------------------------------

def union(parts: list[Matches], need: int = 1) -> Matches:
    """Documents in at least ``need`` parts, their scores summed."""
    parts = [p for p in parts if len(p)]
    if len(parts) < need or not parts:
        return Matches.empty()
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p.docs for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    summed = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]),
                         minlength=len(unique))
    rsummed = np.bincount(inverse, weights=np.concatenate([p.rscores for p in parts]),
                          minlength=len(unique))
    if need > 1:
        keep = np.bincount(inverse, minlength=len(unique)) >= need
        return Matches(unique[keep], summed[keep], rsummed[keep])
    return Matches(unique, summed, rsummed)


def _intersection(parts: list[Matches]) -> Matches:
    parts = sorted(parts, key=len)
    result = parts[0]
    for part in parts[1:]:
        if not len(result):
            break
        common, mine, theirs = np.intersect1d(result.docs, part.docs, assume_unique=True,
                                              return_indices=True)
        result = Matches(common, result.scores[mine] + part.scores[theirs],
                         result.rscores[mine] + part.rscores[theirs])
    return result


def _without(a: Matches, b: Matches) -> Matches:
    keep = ~np.isin(a.docs, b.docs, assume_unique=True)
    return Matches(a.docs[keep], a.scores[keep], a.rscores[keep])


def _scaled(m: Matches, boost: float) -> Matches:
    return m if boost == 1.0 else m.scaled(boost)


def _constant(m: Matches, score: float) -> Matches:
    return Matches(m.docs, np.full(len(m), score))


# -- the evaluator --------------------------------------------------------------------------

class _Evaluator:
    def __init__(self, searcher: Searcher, release_level: bool = False) -> None:
        self.searcher, self.release_level = searcher, release_level
        self.parent = searcher.get_parent()
        self.leaves = [(s.reader(), offset, _segment_cache(s.reader()))
                       for s, offset in _leaves(searcher)]
        self.n_docs = max(1, self.parent.doc_frequency("doctype", "para"))

    def run(self, q: Query) -> Matches:
        found = self.node(q)
        keep = _view(self.searcher).live_paragraph[found.docs]
        return Matches(found.docs[keep], found.scores[keep], found.rscores[keep])

    def node(self, q: Query) -> Matches:
        from whoosh import query as Q

        from .querylang import MinimumMatch

        if isinstance(q, Q.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, MinimumMatch):
            parts = [self.node(s) for s in q.subqueries]
            found = union(parts, max(1, q.minmatch))
            return _scaled(found, q.boost)
        if isinstance(q, Q.And):
            positive = [s for s in q.subqueries if not isinstance(s, Q.Not)]
            negative = [s for s in q.subqueries if isinstance(s, Q.Not)]
            found = _intersection([self.node(s) for s in positive]) if positive \
                else self.every()
            for s in negative:  # as in Whoosh, a NOT that holds scores its boost
                found = _without(found, self.node(s.query))
                found = Matches(found.docs, found.scores + s.boost, found.rscores)
            return _scaled(found, q.boost)
        if isinstance(q, Q.Or):
            return _scaled(union([self.node(s) for s in q.subqueries]), q.boost)
        if isinstance(q, Q.AndNot):
            return _without(self.node(q.a), self.node(q.b))
        if isinstance(q, Q.AndMaybe):
            return self.node(q.a).plus(self.node(q.b))
        if isinstance(q, Q.Not):
            return _constant(_without(self.every(), self.node(q.query)), q.boost)
        if isinstance(q, Q.Phrase):
            return self.phrase(q)
        if isinstance(q, Q.ConstantScoreQuery):
            return _constant(self.node(q.child), q.score)
        if isinstance(q, Q.Every):
            return self.every()
        if q is Q.NullQuery:
            return Matches.empty()
        if isinstance(q, Q.NumericRange):
            found = self.node(q._compile_query(self.parent.reader()))
            return _constant(found, q.boost) if q.constantscore else found
        if isinstance(q, Q.MultiTerm):  # prefix, wildcard, fuzzy, term range
            return self.expanded(q)
        return self.whoosh(q)

    def term(self, fieldname: str, text: str | bytes, boost: float = 1.0) -> Matches:
        field = self.parent.schema[fieldname] if fieldname in self.parent.schema else None
        if field is None:
            return Matches.empty()
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        score = self._scorer(fieldname, btext, boost)
        parts = []
        for reader, offset, cache in self.leaves:
            ids, weights = _cached_postings(reader, fieldname, btext)
            if len(ids):
                parts.append((ids + offset, score(weights, cache, ids)))
        if not parts:
            return Matches.empty()
        docs = np.concatenate([d for d, _ in parts])
        scores = np.concatenate([sc for _, sc in parts])
        return self._split(fieldname, docs, scores)

    def _split(self, fieldname: str, docs: np.ndarray, scores: np.ndarray) -> Matches:
        """A field's scores in their place: the paragraph's text, its release's fields, or,
        for the title with ``release_level``, none here (the release scores its title and
        text as one document, see :mod:`.ranking`)."""
        zeros = np.zeros(len(docs))
        if fieldname == "body":
            return Matches(docs, scores, zeros)
        if fieldname == "title" and self.release_level:
            return Matches(docs, zeros, zeros)
        return Matches(docs, zeros, scores)

    def _scorer(self, fieldname: str, btext: bytes, boost: float):
        """weights -> scores for one term: BM25 in scorable fields, the weight elsewhere."""
        if not self.parent.schema[fieldname].scorable:
            return lambda weights, cache, ids: weights * boost
        n_term = self.parent.doc_frequency(fieldname, btext)
        idf = math.log(1 + (self.n_docs - n_term + 0.5) / (n_term + 0.5))
        avgfl = (self.parent.field_length(fieldname) / self.n_docs) or 1
        b = BM25_B.get(fieldname, 0.75)

        def score(weights: np.ndarray, cache: _SegmentCache, ids: np.ndarray) -> np.ndarray:
            lengths = cache.lengths(fieldname)[ids]
            norm = BM25_K1 * ((1 - b) + b * lengths / avgfl)
            return boost * idf * (weights * (BM25_K1 + 1)) / (weights + norm)

        return score

    def expanded(self, q: Query) -> Matches:
        """The terms a pattern or misspelling stands for, each scored as itself (as Whoosh
        does, whatever ``constantscore`` says)."""
        words = [w for w in q._btexts(self.parent.reader()) if w]
        return union([self.term(q.field(), w, q.boost) for w in words])

    def phrase(self, q: Query) -> Matches:
        """Documents holding the words in order, each within ``slop`` of the last; scored as
        the words' sum, like Whoosh's span matcher."""
        field = self.parent.schema[q.fieldname] if q.fieldname in self.parent.schema else None
        if field is None or not q.words:
            return Matches.empty()
        if not field.format.supports("positions"):
            from whoosh import query as Q

            return self.node(Q.And([Q.Term(q.fieldname, w) for w in q.words], boost=q.boost))
        btexts = [field.to_bytes(w) for w in q.words]
        scorers = [self._scorer(q.fieldname, b, q.boost) for b in btexts]
        parts = []
        for reader, offset, cache in self.leaves:
            docs, weights = _cached(
                (reader.segment().segment_id(), q.fieldname, b"\0".join(btexts), q.slop),
                lambda reader=reader: _phrase_postings(reader, q.fieldname, btexts, q.slop))
            if len(docs):
                scores = np.asarray(sum(score(w, cache, docs) for score, w in zip(scorers, weights)),
                                    dtype=np.float64)
                parts.append(self._split(q.fieldname, docs + offset, scores))
        return union(parts) if parts else Matches.empty()

    def every(self) -> Matches:
        docs = np.concatenate([np.arange(c.doccount, dtype=np.int64) + offset
                               for _, offset, c in self.leaves]) if self.leaves else _EMPTY_DOCS
        return Matches(docs, np.ones(len(docs)))

    def whoosh(self, q: Query) -> Matches:
        """Any other kind of query, through Whoosh's own matcher (the slow, general way)."""
        docs, scores = [], []
        for s, offset in _leaves(self.searcher):
            m = q.matcher(s, s.context())
            while m.is_active():
                docs.append(m.id() + offset)
                scores.append(m.score())
                m.next()
        return Matches(np.array(docs, dtype=np.int64), np.array(scores, dtype=np.float64))


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """Whether some position of each word follows the previous word's within ``slop``."""
    starts = set(positions[0])
    for following in positions[1:]:
        nxt = set()
        for p in following:
            if any(p - d in starts for d in range(1, slop + 1)):
                nxt.add(p)
        if not nxt:
            return False
        starts = nxt
    return True
