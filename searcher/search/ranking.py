"""The ranking model of :mod:`.model` over numpy arrays: matching paragraphs -> releases in
order. (A small index is ranked by :mod:`.plain` instead, in plain Python, alike.)

This module is also the numpy scorer's whole interface to :mod:`.query` (see
:func:`.backend.scorer`): :func:`evaluate`, :class:`Matches`, :func:`one_per_release`,
:func:`rank_releases` and :func:`with_proximity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..index.schema import BM25_B, FIELD_BOOSTS
from . import model
from .model import Word, query_words
from .scoring import (
    TEXT_FIELDS,
    Matches,
    evaluate,
    one_per_release,
    release_numbers,
    release_view,
    term_postings,
)

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

__all__ = ["Matches", "Ranking", "evaluate", "one_per_release", "rank_releases",
           "with_proximity"]


@dataclass
class Ranking:
    """Matching paragraphs grouped by release ("groups"): each release's score and best
    paragraphs."""

    firsts: np.ndarray  # each group's best paragraph (a document number)
    scores: np.ndarray  # each group's release score
    _docs: np.ndarray
    _scores: np.ndarray
    _groups: np.ndarray

    def __len__(self) -> int:
        return len(self.firsts)

    def by_score(self) -> list[int]:
        """The groups, best first; ties go to the release of the lower document number."""
        return np.lexsort((self.firsts, -self.scores)).tolist()

    def best(self, group: int) -> list[tuple[float, int]]:
        """The group's counted paragraphs as (score, document number), best first."""
        where = np.flatnonzero(self._groups == group)
        return list(zip(self._scores[where].tolist(), self._docs[where].tolist()))


def rank_releases(searcher: Searcher, found: Matches, q: Query | None = None,
                  weights: tuple[float, ...] | None = None) -> Ranking:
    """Collapse matching paragraphs into releases and score each (see the module's text):
    the release as one document for the words of ``q`` (if given), plus its best passages
    weighted by ``weights`` (default :data:`.model.PASSAGE_WEIGHTS`), plus its metadata
    once, scaled by coordination."""
    weights = model.PASSAGE_WEIGHTS if weights is None else weights
    releases = release_numbers(searcher)[found.docs]
    order = np.lexsort((found.docs, -found.scores, releases))
    releases, docs = releases[order], found.docs[order]
    scores, rscores = found.scores[order], found.rscores[order]
    starts = np.ones(len(releases), dtype=bool)
    starts[1:] = releases[1:] != releases[:-1]
    firsts = np.flatnonzero(starts)
    groups = np.cumsum(starts) - 1
    rank = np.arange(len(releases)) - firsts[groups]
    keep = rank < len(weights)
    weighted = np.asarray(weights)[rank[keep]] * scores[keep]
    totals = model.PASSAGE * np.bincount(groups[keep], weights=weighted, minlength=len(firsts))
    fields = np.zeros(len(firsts))
    np.maximum.at(fields, groups, rscores)  # alike in every paragraph: counted once
    totals += fields
    words, coordinate = query_words(q) if q is not None else ([], False)
    if words and len(firsts):
        whole, held = _as_documents(searcher, words)
        index = release_view(searcher)[0][docs[firsts]]
        totals += whole[index]
        if coordinate:
            factors = np.array(model.coordination(len(words)))
            totals *= factors[held[index].astype(np.int64)]
    return Ranking(docs[firsts], totals, docs[keep], scores[keep] + rscores[keep], groups[keep])


def _as_documents(searcher: Searcher, words: list[Word]) -> tuple[np.ndarray, np.ndarray]:
    """Each live release's BM25F score for ``words`` as one document (title and all its
    text), and how many of the words it holds; by release index."""
    index, numbers, lengths = release_view(searcher)
    n = len(numbers)
    average = {f: (lengths[f].sum() / n) or 1.0 for f in TEXT_FIELDS}
    total, held = np.zeros(n), np.zeros(n)
    for terms in words:
        freq, present = np.zeros(n), np.zeros(n, dtype=bool)
        times = max(weight for _, _, weight in terms)  # a word written twice counts twice
        for field, text, weight in dict.fromkeys(terms):
            weight /= times
            docs, tf = term_postings(searcher, field, text)
            where = index[docs]
            live = where >= 0
            where, tf = where[live], tf[live]
            if field == "body":
                per_release = np.bincount(where, weights=tf, minlength=n)
            else:  # the title stands alike in each paragraph: once (any one of them)
                per_release = np.zeros(n)
                per_release[where] = tf
            b = BM25_B.get(field, 0.75)
            norm = (1 - b) + b * lengths[field] / average[field]
            freq += weight * FIELD_BOOSTS.get(field, 1.0) * per_release / norm
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
    """``found`` with the proximity bonus (:func:`.model.with_proximity`)."""
    from .scoring import evaluate, union

    return model.with_proximity(searcher, found, words, evaluate, union)
