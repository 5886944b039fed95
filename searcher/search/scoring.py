"""Parsed query -> every matching paragraph with its score, a posting list at a time.

Whoosh's matchers walk the matching documents one by one in Python, a few microseconds per
document per query leaf; a common word matches thousands of paragraphs in each of seven
fields. Here each leaf reads its postings whole, block by block (:mod:`.postings`), and
scores them as numpy arrays with :mod:`.bm25`; branches combine sorted arrays of document
numbers. The result holds every match, so releases can be ranked, counted and grouped
without walking Whoosh's matchers again.

This is the only scoring path: a kind of query it does not know raises
:class:`~searcher.errors.InternalError` rather than falling back to Whoosh's matchers,
which only the tests walk, as the reference (``tests/test_scoring.py``). What it reads
again and again is kept in the searcher's index's cache (:mod:`.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import bm25
from .walk import Walker
from .arrays import TEXT_FIELDS, Segment
from .cache import cache_of, clear_postings_cache
from .postings import EMPTY_DOCS as _EMPTY_DOCS
from .postings import EMPTY_SCORES as _EMPTY_SCORES
from .postings import phrase_postings

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

__all__ = ["TEXT_FIELDS", "Matches", "clear_postings_cache", "evaluate",
           "one_per_release", "release_numbers", "release_view", "term_postings", "union"]


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

    def shifted(self, amount: float) -> Matches:
        """Each score ``amount`` higher (the release fields' scores as they were)."""
        return Matches(self.docs, self.scores + amount, self.rscores)

    def as_release_scores(self, weight: float) -> Matches:
        """The whole scores, weighted, counted as release fields' (once a release)."""
        return Matches(self.docs, np.zeros(len(self)), self.totals * weight)

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
    """See :meth:`.cache.View.by_release`."""
    return cache_of(searcher).view(searcher).by_release()


def term_postings(searcher: Searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings over the whole searcher: (global document numbers, weights)."""
    parent = searcher.get_parent()
    if fieldname not in parent.schema:
        return _EMPTY_DOCS, _EMPTY_SCORES
    btext = parent.schema[fieldname].to_bytes(text)
    cache = cache_of(searcher)
    docs, weights = [], []
    for segment in cache.segments(searcher):
        ids, w = cache.postings(segment.reader, fieldname, btext)
        if len(ids):
            docs.append(ids + segment.offset)
            weights.append(w)
    if not docs:
        return _EMPTY_DOCS, _EMPTY_SCORES
    return np.concatenate(docs), np.concatenate(weights)


def release_numbers(searcher: Searcher) -> np.ndarray:
    """The release number of every document of ``searcher``, by global document number."""
    return cache_of(searcher).view(searcher).releases


def one_per_release(searcher: Searcher, docs: np.ndarray) -> np.ndarray:
    """One of ``docs`` for each release they belong to (the first of each, in order)."""
    _, firsts = np.unique(release_numbers(searcher)[docs], return_index=True)
    return docs[firsts]


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


def _within(a: Matches, b: Matches) -> Matches:
    keep = np.isin(a.docs, b.docs, assume_unique=True)
    return Matches(a.docs[keep], a.scores[keep], a.rscores[keep])


def _scaled(m: Matches, boost: float) -> Matches:
    return m if boost == 1.0 else m.scaled(boost)


def _constant(m: Matches, score: float) -> Matches:
    return Matches(m.docs, np.full(len(m), score))


# -- the evaluator --------------------------------------------------------------------------

class _Evaluator(Walker):
    """A query tree scored over numpy arrays, one posting list at a time."""

    home = "searcher.search.scoring"
    union, intersection = staticmethod(union), staticmethod(_intersection)
    without, within = staticmethod(_without), staticmethod(_within)
    scaled, constant = staticmethod(_scaled), staticmethod(_constant)
    empty = staticmethod(Matches.empty)

    def __init__(self, searcher: Searcher, release_level: bool = False) -> None:
        self.searcher, self.release_level = searcher, release_level
        self.parent = searcher.get_parent()
        self.cache = cache_of(searcher)
        self.segments = self.cache.segments(searcher)
        self.n_docs = max(1, self.cache.doc_frequency(self.parent.reader(), "doctype", "para"))

    def run(self, q: Query) -> Matches:
        found = self.node(q)
        keep = self.cache.view(self.searcher).live_paragraph[found.docs]
        return Matches(found.docs[keep], found.scores[keep], found.rscores[keep])

    def term(self, fieldname: str, text: str | bytes, boost: float = 1.0) -> Matches:
        field = self.parent.schema[fieldname] if fieldname in self.parent.schema else None
        if field is None:
            return Matches.empty()
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        score = self._scorer(fieldname, btext, boost)
        parts = []
        for segment in self.segments:
            ids, weights = self.cache.postings(segment.reader, fieldname, btext)
            if len(ids):
                parts.append((ids + segment.offset, score(weights, segment, ids)))
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
            return lambda weights, segment, ids: weights * boost
        idf, avgfl = bm25.statistics(self.parent, fieldname, btext, self.n_docs,
                                     self.cache.doc_frequency(self.parent.reader(), fieldname,
                                                              btext))
        b = bm25.field_b(fieldname)

        def score(weights: np.ndarray, segment: Segment, ids: np.ndarray) -> np.ndarray:
            return bm25.scores(weights, segment.lengths(fieldname)[ids], idf, avgfl, b, boost)

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
        for segment in self.segments:
            reader = segment.reader
            docs, weights = self.cache.cached(
                (reader.segment().segment_id(), q.fieldname, b"\0".join(btexts), q.slop),
                lambda reader=reader: phrase_postings(
                    reader, q.fieldname, btexts, q.slop,
                    lambda b: self.cache.postings(reader, q.fieldname, b)[0]))
            if len(docs):
                scores = np.asarray(sum(score(w, segment, docs)
                                        for score, w in zip(scorers, weights)),
                                    dtype=np.float64)
                parts.append(self._split(q.fieldname, docs + segment.offset, scores))
        return union(parts) if parts else Matches.empty()

    def every(self) -> Matches:
        docs = np.concatenate([np.arange(s.doccount, dtype=np.int64) + s.offset
                               for s in self.segments]) if self.segments else _EMPTY_DOCS
        return Matches(docs, np.ones(len(docs)))
