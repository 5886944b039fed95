"""Parsed query -> every matching paragraph with its score, a posting list at a time.

Whoosh's matchers walk the matching documents one by one in Python, a few microseconds per
document per query leaf; a common word matches thousands of paragraphs in each of seven
fields. Here each leaf reads its postings whole, block by block (:mod:`.postings`), and
scores them as arrays with :mod:`.bm25`; branches combine sorted arrays of document
numbers. The result holds every match, so releases can be ranked, counted and grouped
without walking Whoosh's matchers again.

The arrays are numpy's, or for a small index plain Python lists acting as numpy's
(:mod:`.lists`, which spares a cold query numpy's import): the code is written once against
the array namespace ``xp`` that :func:`.backend.namespace` chooses, as the Python array API
standard has libraries do, and an array's namespace is its ``__array_namespace__()``.

This is the only scoring path: a kind of query it does not know raises
:class:`~searcher.errors.InternalError` rather than falling back to Whoosh's matchers,
which only the tests walk, as the reference (``tests/test_scoring.py``). What it reads
again and again is kept in the searcher's index's cache (:mod:`.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import InternalError
from . import bm25
from .arrays import TEXT_FIELDS, Segment
from .backend import namespace
from .cache import cache_of, clear_postings_cache
from .postings import phrase_postings

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

    Array = Any  # a numpy array, or a lists.Vector

__all__ = ["TEXT_FIELDS", "Matches", "clear_postings_cache", "evaluate",
           "one_per_release", "release_numbers", "release_view", "term_postings", "union"]


@dataclass(eq=False)  # arrays compare item by item, not as a whole
class Matches:
    """Matching documents (global document numbers, ascending, unique) and their scores, in
    two parts: ``scores`` from the paragraph's own text, ``rscores`` from its release's
    fields (title, people, countries, dates...), which every paragraph of a release carries
    alike and which a release must therefore count once (see :mod:`.ranking`)."""

    docs: Array
    scores: Array
    rscores: Array | None = None

    def __post_init__(self) -> None:
        if self.rscores is None:
            self.rscores = self.xp.zeros(len(self.docs))

    @classmethod
    def empty(cls, xp: ModuleType) -> Matches:
        return cls(xp.zeros(0, dtype=xp.int64), xp.zeros(0), xp.zeros(0))

    @property
    def xp(self) -> ModuleType:
        """The arrays' namespace: numpy or :mod:`.lists`."""
        return self.docs.__array_namespace__()

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def totals(self) -> Array:
        """Each paragraph's whole score: its text's and its release fields'."""
        return self.scores + self.rscores

    def plus(self, other: Matches) -> Matches:
        """These documents, with ``other``'s score added where it matches too (AndMaybe)."""
        _, mine, theirs = self.xp.intersect1d(self.docs, other.docs, assume_unique=True,
                                              return_indices=True)
        scores, rscores = self.scores.copy(), self.rscores.copy()
        scores[mine] += other.scores[theirs]
        rscores[mine] += other.rscores[theirs]
        return Matches(self.docs, scores, rscores)

    def scaled(self, factor: float | Array) -> Matches:
        return Matches(self.docs, self.scores * factor, self.rscores * factor)

    def shifted(self, amount: float) -> Matches:
        """Each score ``amount`` higher (the release fields' scores as they were)."""
        return Matches(self.docs, self.scores + amount, self.rscores)

    def as_release_scores(self, weight: float) -> Matches:
        """The whole scores, weighted, counted as release fields' (once a release)."""
        return Matches(self.docs, self.xp.zeros(len(self)), self.totals * weight)

    def top(self, n: int) -> tuple[Array, Array]:
        """The ``n`` best (docs, whole scores), best first; ties go to the lower number."""
        totals = self.totals
        order = self.xp.lexsort((self.docs, -totals))[:n]
        return self.docs[order], totals[order]


def evaluate(searcher: Searcher, q: Query, release_level: bool = False) -> Matches:
    """Every paragraph matching ``q`` (live, not deleted), with its score. With
    ``release_level``, title words score nothing here: the ranking scores them with the
    release's text as one document. (Coordination is the ranking's too.)"""
    return _Evaluator(searcher, release_level).run(q)


def release_view(searcher: Searcher) -> tuple[Array, Array, dict[str, Array]]:
    """See :meth:`.arrays.View.by_release`."""
    return cache_of(searcher).view(searcher, namespace(searcher)).by_release()


def term_postings(searcher: Searcher, fieldname: str, text: str) -> tuple[Array, Array]:
    """A term's postings over the whole searcher: (global document numbers, weights)."""
    parent = searcher.get_parent()
    xp = namespace(searcher)
    if fieldname not in parent.schema:
        return xp.zeros(0, dtype=xp.int64), xp.zeros(0)
    btext = parent.schema[fieldname].to_bytes(text)
    cache = cache_of(searcher)
    docs, weights = [xp.zeros(0, dtype=xp.int64)], [xp.zeros(0)]
    for segment in cache.segments(searcher, xp):
        ids, w = cache.postings(segment.reader, fieldname, btext, xp)
        if len(ids):
            docs.append(ids + segment.offset)
            weights.append(w)
    return xp.concatenate(docs), xp.concatenate(weights)


def release_numbers(searcher: Searcher) -> Array:
    """The release number of every document of ``searcher``, by global document number."""
    return cache_of(searcher).view(searcher, namespace(searcher)).releases


def one_per_release(searcher: Searcher, docs: Array) -> Array:
    """One of ``docs`` for each release they belong to (the first of each, in order)."""
    _, firsts = namespace(searcher).unique(release_numbers(searcher)[docs], return_index=True)
    return docs[firsts]


# -- combining ------------------------------------------------------------------------------

def union(parts: list[Matches], need: int = 1, xp: ModuleType | None = None) -> Matches:
    """Documents in at least ``need`` parts, their scores summed; ``xp`` is needed only if
    there may be no parts."""
    xp = parts[0].xp if parts else xp
    parts = [p for p in parts if len(p)]
    if len(parts) < need or not parts:
        return Matches.empty(xp)
    if len(parts) == 1:
        return parts[0]
    docs = xp.concatenate([p.docs for p in parts])
    unique, inverse = xp.unique(docs, return_inverse=True)
    summed = xp.bincount(inverse, weights=xp.concatenate([p.scores for p in parts]),
                         minlength=len(unique))
    rsummed = xp.bincount(inverse, weights=xp.concatenate([p.rscores for p in parts]),
                          minlength=len(unique))
    if need > 1:
        keep = xp.bincount(inverse, minlength=len(unique)) >= need
        return Matches(unique[keep], summed[keep], rsummed[keep])
    return Matches(unique, summed, rsummed)


def _intersection(parts: list[Matches]) -> Matches:
    parts = sorted(parts, key=len)
    result = parts[0]
    for part in parts[1:]:
        if not len(result):
            break
        common, mine, theirs = result.xp.intersect1d(result.docs, part.docs,
                                                     assume_unique=True, return_indices=True)
        result = Matches(common, result.scores[mine] + part.scores[theirs],
                         result.rscores[mine] + part.rscores[theirs])
    return result


def _kept(a: Matches, b: Matches, matched: bool) -> Matches:
    """``a``'s documents that ``b`` matches (``matched``) or does not, with ``a``'s scores."""
    keep = a.xp.isin(a.docs, b.docs, assume_unique=True)
    keep = keep if matched else ~keep
    return Matches(a.docs[keep], a.scores[keep], a.rscores[keep])


def _scaled(m: Matches, boost: float) -> Matches:
    return m if boost == 1.0 else m.scaled(boost)


def _constant(m: Matches, score: float) -> Matches:
    return Matches(m.docs, m.xp.full(len(m), float(score)))


# -- the evaluator --------------------------------------------------------------------------

class _Evaluator:
    """A query tree scored over arrays of the index's namespace, one posting list at a
    time: :meth:`node` holds the rule each kind of Whoosh query follows, the leaves (term,
    phrase, every paragraph, expanded patterns) read and score postings."""

    def __init__(self, searcher: Searcher, release_level: bool = False) -> None:
        self.searcher, self.release_level = searcher, release_level
        self.parent = searcher.get_parent()
        self.cache = cache_of(searcher)
        self.xp = namespace(searcher)
        self.segments = self.cache.segments(searcher, self.xp)
        self.n_docs = max(1, self.cache.doc_frequency(self.parent.reader(), "doctype", "para"))

    def union(self, parts: list[Matches], need: int = 1) -> Matches:
        return union(parts, need, self.xp)

    def empty(self) -> Matches:
        return Matches.empty(self.xp)

    def run(self, q: Query) -> Matches:
        found = self.node(q)
        keep = self.cache.view(self.searcher, self.xp).live_paragraph[found.docs]
        return Matches(found.docs[keep], found.scores[keep], found.rscores[keep])

    def node(self, q: Query) -> Matches:
        from whoosh import query as Q

        from .minmatch import MinimumMatch

        if isinstance(q, Q.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, MinimumMatch):
            parts = [self.node(s) for s in q.subqueries]
            return _scaled(self.union(parts, max(1, q.minmatch)), q.boost)
        if isinstance(q, Q.And):
            positive = [s for s in q.subqueries if not isinstance(s, Q.Not)]
            negative = [s for s in q.subqueries if isinstance(s, Q.Not)]
            found = _intersection([self.node(s) for s in positive]) if positive \
                else self.every()
            for s in negative:  # as in Whoosh, a NOT that holds scores its boost
                found = _kept(found, self.node(s.query), False).shifted(s.boost)
            return _scaled(found, q.boost)
        if isinstance(q, Q.Or):
            return _scaled(self.union([self.node(s) for s in q.subqueries]), q.boost)
        if isinstance(q, Q.AndNot):
            return _kept(self.node(q.a), self.node(q.b), False)
        if isinstance(q, Q.AndMaybe):
            return self.node(q.a).plus(self.node(q.b))
        if isinstance(q, Q.Require):  # a's documents that b matches too, scored by a alone
            return _kept(self.node(q.a), self.node(q.b), True)
        if isinstance(q, Q.Not):
            return _constant(_kept(self.every(), self.node(q.query), False), q.boost)
        if isinstance(q, Q.Phrase):
            return self.phrase(q)
        if isinstance(q, Q.ConstantScoreQuery):
            return _constant(self.node(q.child), q.score)
        if isinstance(q, Q.Every):
            return self.every()
        if q is Q.NullQuery:
            return self.empty()
        if isinstance(q, Q.NumericRange):
            found = self.node(q._compile_query(self.parent.reader()))
            return _constant(found, q.boost) if q.constantscore else found
        if isinstance(q, Q.MultiTerm):  # prefix, wildcard, fuzzy, term range
            return self.expanded(q)
        raise InternalError(f"the scorer has no rule for a {type(q).__module__}."
                            f"{type(q).__name__} query ({q}); add one in "
                            "searcher.search.scoring")

    def term(self, fieldname: str, text: str | bytes, boost: float = 1.0) -> Matches:
        field = self.parent.schema[fieldname] if fieldname in self.parent.schema else None
        if field is None:
            return self.empty()
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        score = self._scorer(fieldname, btext, boost)
        parts = []
        for segment in self.segments:
            ids, weights = self.cache.postings(segment.reader, fieldname, btext, self.xp)
            if len(ids):
                parts.append((ids + segment.offset, score(weights, segment, ids)))
        if not parts:
            return self.empty()
        docs = self.xp.concatenate([d for d, _ in parts])
        scores = self.xp.concatenate([sc for _, sc in parts])
        return self._split(fieldname, docs, scores)

    def _split(self, fieldname: str, docs: Array, scores: Array) -> Matches:
        """A field's scores in their place: the paragraph's text, its release's fields, or,
        for the title with ``release_level``, none here (the release scores its title and
        text as one document, see :mod:`.ranking`)."""
        zeros = self.xp.zeros(len(docs))
        if fieldname == "body":
            return Matches(docs, scores, zeros)
        if fieldname == "title" and self.release_level:
            return Matches(docs, zeros, self.xp.zeros(len(docs)))  # two: never one array
        return Matches(docs, zeros, scores)

    def _scorer(self, fieldname: str, btext: bytes, boost: float):
        """weights -> scores for one term: BM25 in scorable fields, the weight elsewhere."""
        if not self.parent.schema[fieldname].scorable:
            return lambda weights, segment, ids: weights * boost
        idf, avgfl = bm25.statistics(self.parent, fieldname, btext, self.n_docs,
                                     self.cache.doc_frequency(self.parent.reader(), fieldname,
                                                              btext))
        b = bm25.field_b(fieldname)

        def score(weights: Array, segment: Segment, ids: Array) -> Array:
            return bm25.scores(weights, segment.lengths(fieldname)[ids], idf, avgfl, b, boost)

        return score

    def expanded(self, q: Query) -> Matches:
        """The terms a pattern or misspelling stands for, each scored as itself (as Whoosh
        does, whatever ``constantscore`` says)."""
        words = [w for w in q._btexts(self.parent.reader()) if w]
        return self.union([self.term(q.field(), w, q.boost) for w in words])

    def phrase(self, q: Query) -> Matches:
        """Documents holding the words in order, each within ``slop`` of the last; scored as
        the words' sum, like Whoosh's span matcher."""
        field = self.parent.schema[q.fieldname] if q.fieldname in self.parent.schema else None
        if field is None or not q.words:
            return self.empty()
        if not field.format.supports("positions"):
            from whoosh import query as Q

            return self.node(Q.And([Q.Term(q.fieldname, w) for w in q.words], boost=q.boost))
        xp = self.xp
        btexts = [field.to_bytes(w) for w in q.words]
        scorers = [self._scorer(q.fieldname, b, q.boost) for b in btexts]
        parts = []
        for segment in self.segments:
            reader = segment.reader
            docs, weights = self.cache.cached(
                (reader.segment().segment_id(), xp.__name__, q.fieldname,
                 b"\0".join(btexts), q.slop),
                lambda reader=reader: phrase_postings(
                    reader, q.fieldname, btexts, q.slop,
                    lambda b: self.cache.postings(reader, q.fieldname, b, xp)[0], xp))
            if len(docs):
                scores = xp.asarray(sum(score(w, segment, docs)
                                        for score, w in zip(scorers, weights)),
                                    dtype=xp.float64)
                parts.append(self._split(q.fieldname, docs + segment.offset, scores))
        return self.union(parts)

    def every(self) -> Matches:
        xp = self.xp
        docs = xp.concatenate([xp.zeros(0, dtype=xp.int64)] + [
            xp.arange(s.doccount, dtype=xp.int64) + s.offset for s in self.segments])
        return Matches(docs, xp.ones(len(docs)))
