"""The scorer and ranking of a small index, in plain Python: no numpy.

Importing numpy costs a cold ``searcher query`` more than anything else it does (70-100 ms
of a 0.3 s query on the bundled documents), while a small index's postings are a few
hundred numbers, which Python adds up in less time than numpy takes to start. So an index of
at most :data:`.backend.PLAIN_UP_TO` documents is scored here (see :func:`.backend.scorer`),
a larger one by :mod:`.scoring` and :mod:`.ranking` over numpy arrays.

Both compute the same model (:mod:`.model`, :mod:`.bm25`) in the same order, operation for
operation: each numpy step of :mod:`.scoring` and :mod:`.ranking` is done here over lists in
the order numpy does it (``np.bincount`` adds a document's parts in the order they come,
from 0.0; ``np.lexsort`` sorts by its last key first), so that both give the very same
floating-point scores, not merely close ones. ``tests/test_plain_scoring.py`` holds them to
equal results, score for score, over a mix of queries. This module mirrors those two; a
change to the model is made in both.

The interface is :mod:`.ranking`'s: :func:`evaluate`, :class:`Matches`,
:func:`one_per_release`, :func:`rank_releases` and :func:`with_proximity`; the lists it
returns stand where numpy arrays stand (``len``, indexing, ``tolist()``).
"""

from __future__ import annotations

import sys
from array import array
from typing import TYPE_CHECKING

from ..index.schema import BM25_B, FIELD_BOOSTS, SEARCH_FIELDS
from . import bm25, model
from .cache import cache_of
from .model import TEXT_FIELDS, Word, query_words
from .reading import column_bytes, length_table, phrase_verdicts, posting_lists
from .walk import Walker

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

    from .cache import IndexCache, _Arrays

__all__ = ["Matches", "Ranking", "evaluate", "one_per_release", "rank_releases",
           "with_proximity"]

#: Whoosh's one-byte field length -> the length it stands for.
LENGTHS = length_table()


class Values(list):
    """A list standing where :mod:`.ranking` has a numpy array, with its ``tolist()``."""

    def tolist(self) -> list:
        return list(self)


# -- reading --------------------------------------------------------------------------------

class Segment:
    """One segment as a searcher holds it, its arrays as lists (see :class:`.arrays.Segment`,
    whose arrays these are; they are cached beside them, under keys of their own)."""

    __slots__ = ("reader", "offset", "doccount", "_arrays")

    def __init__(self, reader: IndexReader, offset: int, arrays: _Arrays) -> None:
        self.reader, self.offset, self._arrays = reader, offset, arrays
        self.doccount = arrays.doccount

    def lengths(self, fieldname: str) -> list[float]:
        """Each document's length in ``fieldname`` (Whoosh's one-byte approximation)."""
        return self._arrays.load("plain-len:" + fieldname, lambda: [
            LENGTHS[b] for b in self._bytes(f"_{fieldname}_len")])

    def release_numbers(self) -> list[int]:
        def load() -> list[int]:
            data = column_bytes(self.reader, "release_num")
            numbers = array("q")
            if data is not None:
                numbers.frombytes(bytes(data)[: 8 * self.doccount])
                if sys.byteorder == "little":  # stored big-endian (">i8")
                    numbers.byteswap()
            return numbers.tolist() + [0] * (self.doccount - len(numbers))

        return self._arrays.load("plain-col:release_num", load)

    def paragraphs(self) -> list[int]:
        """Document numbers of the paragraph documents: those with any text field (see
        :meth:`.arrays.Segment.paragraphs`)."""
        def load() -> list[int]:
            lengths = [self._bytes(f"_{name}_len") for name in SEARCH_FIELDS]
            return [d for d in range(self.doccount) if any(col[d] for col in lengths)]

        return self._arrays.load("plain-para", load)

    def _bytes(self, fieldname: str) -> bytes:
        """A one-byte column, documents past its end given 0."""
        data = column_bytes(self.reader, fieldname)
        data = bytes(data)[: self.doccount] if data is not None else b""
        return data + bytes(self.doccount - len(data))


def _segments(searcher: Searcher) -> list[Segment]:
    cache = cache_of(searcher)
    return [Segment(reader, offset, cache.arrays_of(reader))
            for reader, offset in cache.leaves(searcher)]


class View:
    """Lists over one searcher's documents, by global document number (see
    :class:`.arrays.View`)."""

    def __init__(self, segments: list[Segment]) -> None:
        size = sum(s.doccount for s in segments)
        live = bytearray(size)
        for s in segments:
            for d in s.paragraphs():
                live[d + s.offset] = 1
            deleted = s.reader.deleted_docs_set
            if deleted:
                for d in deleted:
                    live[d + s.offset] = 0
        self.live_paragraph = live
        self.releases: list[int] = [n for s in segments for n in s.release_numbers()]
        self._segments = segments
        self._by_release: tuple[list[int], list[int], dict[str, list[float]]] | None = None

    def by_release(self) -> tuple[list[int], list[int], dict[str, list[float]]]:
        """(each document's release index, -1 for none; the live releases' numbers, in order;
        each text field's length per release). See :meth:`.arrays.View.by_release`."""
        if self._by_release is None:
            live = [d for d, flag in enumerate(self.live_paragraph) if flag]
            numbers = sorted({self.releases[d] for d in live})
            place = {number: i for i, number in enumerate(numbers)}
            index = [-1] * len(self.releases)
            for d in live:
                index[d] = place[self.releases[d]]
            lengths = {}
            for name in TEXT_FIELDS:
                per_doc = [x for s in self._segments for x in s.lengths(name)]
                per_release = [0.0] * len(numbers)
                if name == "body":  # np.bincount: in document order, from 0.0
                    for d in live:
                        per_release[index[d]] += per_doc[d]
                else:  # repeated in each paragraph: once (np.maximum.at from 0.0)
                    for d in live:
                        if per_doc[d] > per_release[index[d]]:
                            per_release[index[d]] = per_doc[d]
                lengths[name] = per_release
            self._by_release = (index, numbers, lengths)
        return self._by_release


def _view(searcher: Searcher) -> View:
    return cache_of(searcher).per_searcher(searcher, "plain",
                                           lambda: View(_segments(searcher)))


def _postings(cache: IndexCache, segment: Segment, fieldname: str,
              btext: bytes) -> tuple[array, array]:
    """A term's postings in one segment (deleted documents too), kept with the index's
    decoded postings: (doc numbers, weights)."""
    def load() -> tuple[array, array]:
        ids, weights, _ = posting_lists(segment.reader, fieldname, btext)
        return array("q", ids), array("d", weights)

    return cache.cached((segment.reader.segment().segment_id(), "plain", fieldname, btext),
                        load)


def term_postings(searcher: Searcher, fieldname: str, text: str) -> tuple[list[int], list[float]]:
    """A term's postings over the whole searcher: (global document numbers, weights)."""
    parent = searcher.get_parent()
    if fieldname not in parent.schema:
        return [], []
    btext = parent.schema[fieldname].to_bytes(text)
    docs: list[int] = []
    weights: list[float] = []
    cache = cache_of(searcher)
    for segment in _segments(searcher):
        ids, w = _postings(cache, segment, fieldname, btext)
        docs.extend(d + segment.offset for d in ids)
        weights.extend(w)
    return docs, weights


def release_numbers(searcher: Searcher) -> list[int]:
    """The release number of every document of ``searcher``, by global document number."""
    return _view(searcher).releases


def one_per_release(searcher: Searcher, docs: list[int]) -> Values:
    """One of ``docs`` for each release they belong to (the first of each), in the order of
    the releases' numbers (as ``np.unique`` gives them)."""
    numbers = release_numbers(searcher)
    first: dict[int, int] = {}
    for d in docs:
        first.setdefault(numbers[d], d)
    return Values(first[n] for n in sorted(first))


# -- matches --------------------------------------------------------------------------------

class Matches:
    """Matching documents (ascending, unique) and their two scores, as lists: see
    :class:`.scoring.Matches`."""

    __slots__ = ("docs", "scores", "rscores")

    def __init__(self, docs: list[int], scores: list[float],
                 rscores: list[float] | None = None) -> None:
        self.docs = Values(docs)
        self.scores = Values(scores)
        self.rscores = Values([0.0] * len(docs) if rscores is None else rscores)

    @classmethod
    def empty(cls) -> Matches:
        return cls([], [], [])

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def totals(self) -> Values:
        return Values(s + r for s, r in zip(self.scores, self.rscores))

    def plus(self, other: Matches) -> Matches:
        """These documents, with ``other``'s score added where it matches too."""
        theirs = {d: i for i, d in enumerate(other.docs)}
        scores, rscores = list(self.scores), list(self.rscores)
        for i, d in enumerate(self.docs):
            j = theirs.get(d)
            if j is not None:
                scores[i] += other.scores[j]
                rscores[i] += other.rscores[j]
        return Matches(self.docs, scores, rscores)

    def scaled(self, factor: float) -> Matches:
        return Matches(self.docs, [s * factor for s in self.scores],
                       [r * factor for r in self.rscores])

    def shifted(self, amount: float) -> Matches:
        """Each score ``amount`` higher (the release fields' scores as they were)."""
        return Matches(self.docs, [x + amount for x in self.scores], self.rscores)

    def as_release_scores(self, weight: float) -> Matches:
        """The whole scores, weighted, counted as release fields' (once a release)."""
        return Matches(self.docs, [0.0] * len(self), [t * weight for t in self.totals])

    def top(self, n: int) -> tuple[Values, Values]:
        """The ``n`` best (docs, whole scores), best first; ties go to the lower number."""
        totals = self.totals
        order = sorted(range(len(self.docs)), key=lambda i: (-totals[i], self.docs[i]))[:n]
        return Values(self.docs[i] for i in order), Values(totals[i] for i in order)

    def _kept(self, keep: list[bool]) -> Matches:
        return Matches([d for d, k in zip(self.docs, keep) if k],
                       [s for s, k in zip(self.scores, keep) if k],
                       [r for r, k in zip(self.rscores, keep) if k])


def union(parts: list[Matches], need: int = 1) -> Matches:
    """Documents in at least ``need`` parts, their scores summed (in the parts' order, from
    0.0, as ``np.bincount`` sums them)."""
    parts = [p for p in parts if len(p)]
    if len(parts) < need or not parts:
        return Matches.empty()
    if len(parts) == 1:
        return parts[0]
    summed: dict[int, list[float]] = {}
    for part in parts:
        for d, s, r in zip(part.docs, part.scores, part.rscores):
            acc = summed.get(d)
            if acc is None:
                summed[d] = [0.0 + s, 0.0 + r, 1]
            else:
                acc[0] += s
                acc[1] += r
                acc[2] += 1
    docs = sorted(d for d, acc in summed.items() if acc[2] >= need)
    return Matches(docs, [summed[d][0] for d in docs], [summed[d][1] for d in docs])


def _intersection(parts: list[Matches]) -> Matches:
    parts = sorted(parts, key=len)
    result = parts[0]
    for part in parts[1:]:
        if not len(result):
            break
        theirs = {d: i for i, d in enumerate(part.docs)}
        docs, scores, rscores = [], [], []
        for i, d in enumerate(result.docs):
            j = theirs.get(d)
            if j is not None:
                docs.append(d)
                scores.append(result.scores[i] + part.scores[j])
                rscores.append(result.rscores[i] + part.rscores[j])
        result = Matches(docs, scores, rscores)
    return result


def _without(a: Matches, b: Matches) -> Matches:
    gone = set(b.docs)
    return a._kept([d not in gone for d in a.docs])


def _within(a: Matches, b: Matches) -> Matches:
    kept = set(b.docs)
    return a._kept([d in kept for d in a.docs])


def _scaled(m: Matches, boost: float) -> Matches:
    return m if boost == 1.0 else m.scaled(boost)


def _constant(m: Matches, score: float) -> Matches:
    return Matches(m.docs, [float(score)] * len(m))


def evaluate(searcher: Searcher, q: Query, release_level: bool = False) -> Matches:
    """Every paragraph matching ``q`` (live, not deleted), with its score: see
    :func:`.scoring.evaluate`."""
    return _Evaluator(searcher, release_level).run(q)


class _Evaluator(Walker):
    """:class:`.scoring._Evaluator`, over lists."""

    home = "searcher.search.plain"
    union, intersection = staticmethod(union), staticmethod(_intersection)
    without, within = staticmethod(_without), staticmethod(_within)
    scaled, constant = staticmethod(_scaled), staticmethod(_constant)
    empty = staticmethod(Matches.empty)

    def __init__(self, searcher: Searcher, release_level: bool = False) -> None:
        self.searcher, self.release_level = searcher, release_level
        self.parent = searcher.get_parent()
        self.cache = cache_of(searcher)
        self.segments = _segments(searcher)
        self.n_docs = max(1, self.cache.doc_frequency(self.parent.reader(), "doctype", "para"))

    def run(self, q: Query) -> Matches:
        found = self.node(q)
        live = _view(self.searcher).live_paragraph
        return found._kept([bool(live[d]) for d in found.docs])

    def term(self, fieldname: str, text: str | bytes, boost: float = 1.0) -> Matches:
        field = self.parent.schema[fieldname] if fieldname in self.parent.schema else None
        if field is None:
            return Matches.empty()
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        score = self._scorer(fieldname, btext, boost)
        docs: list[int] = []
        scores: list[float] = []
        for segment in self.segments:
            ids, weights = _postings(self.cache, segment, fieldname, btext)
            if len(ids):
                docs.extend(d + segment.offset for d in ids)
                scores.extend(score(weights, segment, ids))
        if not docs:
            return Matches.empty()
        return self._split(fieldname, docs, scores)

    def _split(self, fieldname: str, docs: list[int], scores: list[float]) -> Matches:
        zeros = [0.0] * len(docs)
        if fieldname == "body":
            return Matches(docs, scores, zeros)
        if fieldname == "title" and self.release_level:
            return Matches(docs, zeros, list(zeros))
        return Matches(docs, zeros, scores)

    def _scorer(self, fieldname: str, btext: bytes, boost: float):
        """weights -> scores for one term: BM25 (:func:`.bm25.scores`, a posting at a time)
        in scorable fields, the weight elsewhere."""
        if not self.parent.schema[fieldname].scorable:
            return lambda weights, segment, ids: [w * boost for w in weights]
        idf, avgfl = bm25.statistics(self.parent, fieldname, btext, self.n_docs,
                                     self.cache.doc_frequency(self.parent.reader(), fieldname,
                                                              btext))
        b = bm25.field_b(fieldname)
        formula = bm25.scores

        def score(weights, segment: Segment, ids) -> list[float]:
            lengths = segment.lengths(fieldname)
            return [formula(w, lengths[d], idf, avgfl, b, boost) for w, d in zip(weights, ids)]

        return score

    def expanded(self, q: Query) -> Matches:
        words = [w for w in q._btexts(self.parent.reader()) if w]
        return union([self.term(q.field(), w, q.boost) for w in words])

    def phrase(self, q: Query) -> Matches:
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
            docs, weights = self.cache.cached(
                (segment.reader.segment().segment_id(), "plain", q.fieldname,
                 b"\0".join(btexts), q.slop),
                lambda segment=segment: _phrase_postings(self.cache, segment, q.fieldname,
                                                         btexts, q.slop))
            if len(docs):
                per_word = [score(w, segment, docs) for score, w in zip(scorers, weights)]
                scores = [float(sum(column)) for column in zip(*per_word)]
                parts.append(self._split(q.fieldname, [d + segment.offset for d in docs],
                                         scores))
        return union(parts) if parts else Matches.empty()

    def every(self) -> Matches:
        docs = [d + s.offset for s in self.segments for d in range(s.doccount)]
        return Matches(docs, [1.0] * len(docs))


def _phrase_postings(cache: IndexCache, segment: Segment, fieldname: str,
                     btexts: list[bytes], slop: int) -> tuple[array, list[array]]:
    """The documents of one segment holding the phrase, and each word's weights there (see
    :func:`.postings.phrase_postings`)."""
    common: list[int] | None = None
    for btext in btexts:
        ids = _postings(cache, segment, fieldname, btext)[0]
        common = list(ids) if common is None else sorted(set(common) & set(ids))
        if not common:
            return array("q"), [array("d") for _ in btexts]
    keep, weights = phrase_verdicts(segment.reader, fieldname, btexts, slop, common)
    return (array("q", [d for d, k in zip(common, keep) if k]),
            [array("d", [x for x, k in zip(w, keep) if k]) for w in weights])


# -- ranking --------------------------------------------------------------------------------

class Ranking:
    """Matching paragraphs grouped by release: see :class:`.ranking.Ranking`."""

    def __init__(self, firsts: list[int], scores: list[float], docs: list[int],
                 scores_kept: list[float], groups: list[int]) -> None:
        self.firsts, self.scores = Values(firsts), Values(scores)
        self._docs, self._scores, self._groups = docs, scores_kept, groups

    def __len__(self) -> int:
        return len(self.firsts)

    def by_score(self) -> list[int]:
        """The groups, best first; ties go to the release of the lower document number."""
        return sorted(range(len(self.firsts)), key=lambda g: (-self.scores[g], self.firsts[g]))

    def best(self, group: int) -> list[tuple[float, int]]:
        """The group's counted paragraphs as (score, document number), best first."""
        return [(s, d) for s, d, g in zip(self._scores, self._docs, self._groups) if g == group]


def rank_releases(searcher: Searcher, found: Matches, q: Query | None = None,
                  weights: tuple[float, ...] | None = None) -> Ranking:
    """See :func:`.ranking.rank_releases`: step for step, over lists."""
    weights = model.PASSAGE_WEIGHTS if weights is None else weights
    numbers = release_numbers(searcher)
    releases = [numbers[d] for d in found.docs]
    fd, fs = found.docs, found.scores
    order = sorted(range(len(fd)), key=lambda i: (releases[i], -fs[i], fd[i]))
    releases = [releases[i] for i in order]
    docs = [fd[i] for i in order]
    scores = [fs[i] for i in order]
    rscores = [found.rscores[i] for i in order]
    firsts: list[int] = []
    groups: list[int] = []
    for i, number in enumerate(releases):
        if not i or number != releases[i - 1]:
            firsts.append(i)
        groups.append(len(firsts) - 1)
    keep = [i - firsts[g] < len(weights) for i, g in enumerate(groups)]
    summed = [0.0] * len(firsts)
    fields = [0.0] * len(firsts)
    for i, g in enumerate(groups):
        if keep[i]:
            summed[g] += weights[i - firsts[g]] * scores[i]
        if rscores[i] > fields[g]:  # alike in every paragraph: counted once
            fields[g] = rscores[i]
    totals = [model.PASSAGE * s + f for s, f in zip(summed, fields)]
    words, coordinate = query_words(q) if q is not None else ([], False)
    if words and firsts:
        whole, held = _as_documents(searcher, words)
        index = _view(searcher).by_release()[0]
        where = [index[docs[i]] for i in firsts]
        totals = [t + whole[r] for t, r in zip(totals, where)]
        if coordinate:
            factors = model.coordination(len(words))
            totals = [t * factors[int(held[r])] for t, r in zip(totals, where)]
    kept = [i for i, k in enumerate(keep) if k]
    return Ranking([docs[i] for i in firsts], totals, [docs[i] for i in kept],
                   [scores[i] + rscores[i] for i in kept], [groups[i] for i in kept])


def _as_documents(searcher: Searcher, words: list[Word]) -> tuple[list[float], list[float]]:
    """See :func:`.ranking._as_documents`. Only the releases holding a word are touched: the
    others' frequency of it is 0, which adds 0.0 to their score there."""
    index, numbers, lengths = _view(searcher).by_release()
    n = len(numbers)
    average = {f: (sum(lengths[f]) / n) or 1.0 for f in TEXT_FIELDS}
    total, held = [0.0] * n, [0.0] * n
    k1 = model.RELEASE_K1
    for terms in words:
        freq: dict[int, float] = {}
        present: set[int] = set()
        times = max(weight for _, _, weight in terms)  # a word written twice counts twice
        for field, text, weight in dict.fromkeys(terms):
            weight /= times
            docs, tf = term_postings(searcher, field, text)
            per_release: dict[int, float] = {}
            for d, t in zip(docs, tf):
                r = index[d]
                if r < 0:
                    continue
                if field == "body":  # np.bincount: in document order, from 0.0
                    per_release[r] = per_release.get(r, 0.0) + t
                else:  # the title stands alike in each paragraph: once (the last)
                    per_release[r] = t
            b = BM25_B.get(field, 0.75)
            boost = weight * FIELD_BOOSTS.get(field, 1.0)
            field_lengths, field_average = lengths[field], average[field]
            for r, tf_r in per_release.items():
                norm = (1 - b) + b * field_lengths[r] / field_average
                freq[r] = freq.get(r, 0.0) + boost * tf_r / norm
                if tf_r > 0:
                    present.add(r)
        if not present:
            continue
        idf = model.release_idf(n, len(present))
        for r, f in freq.items():
            total[r] += times * idf * f * (k1 + 1) / (f + k1)
        for r in present:
            held[r] += 1.0
    return total, held


def with_proximity(searcher: Searcher, found: Matches, words: list[str]) -> Matches:
    """``found`` with the proximity bonus (:func:`.model.with_proximity`)."""
    return model.with_proximity(searcher, found, words, evaluate, union)
