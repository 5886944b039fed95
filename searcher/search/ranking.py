"""The ranking model of :mod:`.model`: matching paragraphs -> releases in order, over the
arrays of the index's namespace (numpy, or :mod:`.lists` for a small index; see
:mod:`.scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..index.schema import BM25_B, FIELD_BOOSTS
from . import model
from .model import Word, query_words
from .scoring import TEXT_FIELDS, Matches, evaluate, release_numbers, release_view, \
    term_postings, union

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

    Array = Any  # a numpy array, or a lists.Vector

__all__ = ["Ranking", "rank_releases", "with_proximity"]


@dataclass
class Ranking:
    """Matching paragraphs grouped by release ("groups"): each release's score and best
    paragraphs."""

    firsts: Array  # each group's best paragraph (a document number)
    scores: Array  # each group's release score
    _docs: Array
    _scores: Array
    _groups: Array

    def __len__(self) -> int:
        return len(self.firsts)

    def by_score(self) -> list[int]:
        """The groups, best first; ties go to the release of the lower document number."""
        return self.firsts.__array_namespace__().lexsort((self.firsts, -self.scores)).tolist()

    def best(self, group: int) -> list[tuple[float, int]]:
        """The group's counted paragraphs as (score, document number), best first."""
        where = self._groups.__array_namespace__().flatnonzero(self._groups == group)
        return list(zip(self._scores[where].tolist(), self._docs[where].tolist()))


def rank_releases(searcher: Searcher, found: Matches, q: Query | None = None,
                  weights: tuple[float, ...] | None = None) -> Ranking:
    """Collapse matching paragraphs into releases and score each (see the module's text):
    the release as one document for the words of ``q`` (if given), plus its best passages
    weighted by ``weights`` (default :data:`.model.PASSAGE_WEIGHTS`), plus its metadata
    once, scaled by coordination."""
    xp = found.xp
    weights = model.PASSAGE_WEIGHTS if weights is None else weights
    releases = release_numbers(searcher)[found.docs]
    order = xp.lexsort((found.docs, -found.scores, releases))
    releases, docs = releases[order], found.docs[order]
    scores, rscores = found.scores[order], found.rscores[order]
    starts = xp.ones(len(releases), dtype=xp.bool_)
    starts[1:] = releases[1:] != releases[:-1]
    firsts = xp.flatnonzero(starts)
    groups = xp.cumsum(starts) - 1
    rank = xp.arange(len(releases)) - firsts[groups]
    keep = rank < len(weights)
    weighted = xp.asarray(weights)[rank[keep]] * scores[keep]
    totals = model.PASSAGE * xp.bincount(groups[keep], weights=weighted, minlength=len(firsts))
    fields = xp.zeros(len(firsts))
    xp.maximum.at(fields, groups, rscores)  # alike in every paragraph: counted once
    totals += fields
    words, coordinate = query_words(q) if q is not None else ([], False)
    if words and len(firsts):
        whole, held = _as_documents(searcher, words, xp)
        index = release_view(searcher)[0][docs[firsts]]
        totals += whole[index]
        if coordinate:
            factors = xp.asarray(model.coordination(len(words)))
            totals *= factors[held[index].astype(xp.int64)]
    return Ranking(docs[firsts], totals, docs[keep], scores[keep] + rscores[keep], groups[keep])


def _as_documents(searcher: Searcher, words: list[Word], xp) -> tuple[Array, Array]:
    """Each live release's BM25F score for ``words`` as one document (title and all its
    text), and how many of the words it holds; by release index."""
    index, numbers, lengths = release_view(searcher)
    n = len(numbers)
    norms = {}  # each field's length normalisation, per release
    for field in TEXT_FIELDS:
        b = BM25_B.get(field, 0.75)
        norms[field] = (1 - b) + b * lengths[field] / ((lengths[field].sum() / n) or 1.0)
    total, held = xp.zeros(n), xp.zeros(n)
    for terms in words:
        freq, present = xp.zeros(n), xp.zeros(n, dtype=xp.bool_)
        times = max(weight for _, _, weight in terms)  # a word written twice counts twice
        for field, text, weight in dict.fromkeys(terms):
            weight /= times
            docs, tf = term_postings(searcher, field, text)
            where = index[docs]
            live = where >= 0
            where, tf = where[live], tf[live]
            if field == "body":
                per_release = xp.bincount(where, weights=tf, minlength=n)
            else:  # the title stands alike in each paragraph: once (any one of them)
                per_release = xp.zeros(n)
                per_release[where] = tf
            freq += weight * FIELD_BOOSTS.get(field, 1.0) * per_release / norms[field]
            present |= per_release > 0
        found = int(present.sum())
        if not found:
            continue
        idf = model.release_idf(n, found)
        k1 = model.RELEASE_K1
        total += times * idf * freq * (k1 + 1) / (freq + k1)
        held += present
    return total, held


def with_proximity(searcher: Searcher, found: Matches, words: list[str]) -> Matches:
    """``found`` with the proximity bonus added to each paragraph holding consecutive query
    ``words`` (analysed body terms, in the query's order) in order and close together (see
    :mod:`.model`)."""
    from whoosh import query as Q

    pairs = model.proximity_pairs(words)
    if not pairs or not len(found):
        return found
    for field, weight in (("body", model.PROXIMITY), ("title", model.TITLE_PROXIMITY)):
        near = [evaluate(searcher, Q.Phrase(field, [a, b], slop=model.PROXIMITY_SLOP))
                for a, b in pairs] if weight else []
        near = [m for m in near if len(m)]
        if near:  # with the release's fields: counted once, for its paragraph best placed
            found = found.plus(union(near).as_release_scores(
                model.proximity_weight(len(pairs), weight)))
    return found
