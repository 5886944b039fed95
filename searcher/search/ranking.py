"""The ranking model: matching paragraphs -> releases in order, and every parameter of it.

What is scored, at which level:

- **Words in text** are scored per paragraph by BM25 (statistics over paragraphs: a
  paragraph is the unit a reader judges, and release length says little).
- **Words in the release's fields** (title, participants, countries, dates, place, kind,
  sign-off) are scored by BM25 with the field boosts of :mod:`searcher.index.schema`. Each
  paragraph carries its release's fields, but a release counts them **once**: a release's
  score is its field score plus its best passages' text scores with diminishing weights
  (:data:`PASSAGE_WEIGHTS`), so neither a title repeated in every paragraph nor many weak
  paragraphs bury one paragraph that says exactly what was asked.
- **Coordination**: a long query's words are OR'ed (every release holding some of them is a
  candidate) and a release's score is multiplied by the share of the query's words it holds
  anywhere, to the power :data:`COORDINATION`: more distinct words first, without a cut-off
  that would drop relevant releases worded differently. Short queries (up to three words)
  need all their words (see :mod:`.querylang`).
- **Proximity**: each pair of consecutive query words found in that order within
  :data:`PROXIMITY_SLOP` positions in a paragraph adds :data:`PROXIMITY` times the pair's
  BM25 to that paragraph (a sequential dependence model): a remembered sentence finds its
  paragraph, "Ream naval base" ranks the base above "naval" and "Ream" apart.
- A word repeated in the query counts as often as it is written.

Every parameter was chosen once on all the relevance benchmarks together (Cranfield, CACM
and the known-item benchmark on press releases; see the README), never for one collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .scoring import Matches, release_numbers

if TYPE_CHECKING:
    from whoosh.searching import Searcher

#: A release's best passages' weights: the best counts fully, the next ones less.
PASSAGE_WEIGHTS = (1.0, 0.3, 0.1)
#: Exponent on the share of a long query's words a release holds.
COORDINATION = 1.0
#: Weight of an ordered pair of consecutive query words close together, and how close.
PROXIMITY, PROXIMITY_SLOP = 0.3, 3
#: At most this many pairs of a long query are looked up for proximity.
PROXIMITY_PAIRS = 12


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


def rank_releases(searcher: Searcher, found: Matches,
                  weights: tuple[float, ...] = PASSAGE_WEIGHTS) -> Ranking:
    """Collapse matching paragraphs into releases: a release scores its fields once plus its
    best paragraphs' text, the n-th best weighted by ``weights[n]`` (those beyond don't
    count)."""
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
    totals = np.bincount(groups[keep], weights=weighted, minlength=len(firsts))
    fields = np.zeros(len(firsts))
    np.maximum.at(fields, groups, rscores)  # alike in every paragraph: counted once
    return Ranking(docs[firsts], totals + fields, docs[keep], scores[keep] + rscores[keep],
                   groups[keep])


def with_proximity(searcher: Searcher, found: Matches, words: list[str]) -> Matches:
    """``found`` with the proximity bonus added to each paragraph holding consecutive query
    ``words`` (analysed body terms, in the query's order) in order and close together."""
    from whoosh import query as Q

    from .scoring import evaluate

    pairs = [(a, b) for a, b in zip(words, words[1:]) if a != b][:PROXIMITY_PAIRS]
    if not PROXIMITY or not pairs or not len(found):
        return found
    near = [evaluate(searcher, Q.Phrase("body", [a, b], slop=PROXIMITY_SLOP)) for a, b in pairs]
    near = [m for m in near if len(m)]
    if not near:
        return found
    from .scoring import union

    return found.plus(union(near).scaled(PROXIMITY))
