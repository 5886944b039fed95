"""The ranking model: matching paragraphs -> releases in order, and every parameter of it.

What is scored, at which level:

- **The release as one document**: its title and all its paragraphs' text, scored by BM25F
  (Robertson and Zaragoza's: a word's frequencies in title and text, each normalised by its
  field's length and weighted by its boost, are added *before* saturation, so a word in both
  title and text is not counted twice over), with statistics over releases. This is what
  plain BM25 engines score, and what finds a release by its headline.
- **Its best passages**: each paragraph's text scored by BM25 over paragraphs, plus
  proximity (below); the best counts :data:`PASSAGE` times the weights of
  :data:`PASSAGE_WEIGHTS` (the next ones less), so a paragraph that says exactly what was
  asked lifts its release above releases that merely hold the words here and there.
- **Its metadata**: participants, countries, dates, place, kind and sign-off, scored by BM25
  with the field boosts of :mod:`searcher.index.schema` and counted once (every paragraph
  carries them alike).
- **Coordination**: a long query's words are OR'ed (every release holding some of them is a
  candidate); a release holding every word keeps its score, one lacking any is scaled by
  :data:`PARTIAL` (and by the share it holds to the power :data:`COORDINATION`, 0: the
  benchmarks preferred none): the releases holding every word come first when there are
  such (an engine answering AND, then OR), without a cut-off that would drop relevant
  releases worded differently. Short queries (up to three words) need all their words (see
  :mod:`.querylang`).
- **Proximity**: each pair of consecutive query words found in that order within
  :data:`PROXIMITY_SLOP` positions in a paragraph adds the pair's BM25 to that paragraph,
  weighted :data:`PROXIMITY` divided by the square root of the query's number of pairs (a
  sequential dependence model): a remembered sentence finds its paragraph, "Ream naval
  base" ranks the base above "naval" and "Ream" apart, and a long question's many pairs do
  not outweigh its words (summed whole, they cost Cranfield nDCG@10 0.01).
- A word repeated in the query counts as often as it is written.

Every parameter was chosen once on all the relevance benchmarks together (Cranfield, CACM
and the known-item benchmark on press releases; see the README), never for one collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..index.schema import BM25_B, FIELD_BOOSTS
from .scoring import TEXT_FIELDS, Matches, release_numbers, release_view, term_postings

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

#: A release's best passages' weights: the best counts fully, the next ones less; and the
#: weight of the passages beside the release scored as one document.
PASSAGE_WEIGHTS, PASSAGE = (1.0, 0.3, 0.1), 0.15
#: BM25's term-frequency saturation for the release as one document.
RELEASE_K1 = 3.0
#: Exponent on the share of a long query's words a release holds, and the factor for a
#: release that lacks any of them: those holding every word come first when there are any
#: (as an engine answering AND, then OR), and the rest in order of the share they hold.
COORDINATION, PARTIAL = 0.0, 0.3
#: Weight of an ordered pair of consecutive query words close together, and how close.
PROXIMITY, PROXIMITY_SLOP = 0.9, 3
#: The pairs' bonus is divided by their number to this power: a long question has many
#: pairs, and summed whole they would outweigh the words' own scores.
PROXIMITY_NORM = 0.5
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


def rank_releases(searcher: Searcher, found: Matches, q: Query | None = None,
                  weights: tuple[float, ...] = PASSAGE_WEIGHTS) -> Ranking:
    """Collapse matching paragraphs into releases and score each (see the module's text):
    the release as one document for the words of ``q`` (if given), plus its best passages
    weighted by ``weights``, plus its metadata once, scaled by coordination."""
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
    totals = PASSAGE * np.bincount(groups[keep], weights=weighted, minlength=len(firsts))
    fields = np.zeros(len(firsts))
    np.maximum.at(fields, groups, rscores)  # alike in every paragraph: counted once
    totals += fields
    words, coordinate = query_words(q) if q is not None else ([], False)
    if words and len(firsts):
        whole, held = _as_documents(searcher, words)
        index = release_view(searcher)[0][docs[firsts]]
        totals += whole[index]
        if coordinate:
            share = held[index] / len(words)
            totals *= share ** COORDINATION * np.where(share < 1, PARTIAL, 1.0)
    return Ranking(docs[firsts], totals, docs[keep], scores[keep] + rscores[keep], groups[keep])


#: One query word as the release-level score sees it: (field, term, weight) for each of its
#: forms (stems, synonyms, corrections) in title and text.
Word = list[tuple[str, str, float]]


def query_words(q: Query) -> tuple[list[Word], bool]:
    """The words of ``q`` that a release is scored on as a document, and whether its score
    is coordinated (a long plain query). A word is a member of the query's top conjunction or
    disjunction (filters and exclusions left out), with the text and title terms under it."""
    from whoosh import query as Q

    from .querylang import MinimumMatch

    node = q
    while isinstance(node, Q.And):
        members = [s for s in node.subqueries
                   if not isinstance(s, (Q.Not, Q.ConstantScoreQuery, Q.NumericRange))]
        if len(members) != 1:
            break
        node = members[0]
    coordinate = isinstance(node, MinimumMatch) and node.coordinate
    members = node.subqueries if isinstance(node, (Q.And, MinimumMatch)) else [node]
    words = []
    for member in members:
        if isinstance(member, (Q.Not, Q.ConstantScoreQuery, Q.NumericRange)):
            continue
        terms = []
        for leaf in _positive_leaves(member):
            field = leaf.field()
            if field not in TEXT_FIELDS:
                continue
            texts = list(leaf.words) if isinstance(leaf, Q.Phrase) else \
                [leaf.text] if isinstance(leaf, Q.Term) else []
            terms += [(field, t, leaf.boost / FIELD_BOOSTS.get(field, 1.0)) for t in texts]
        if terms:
            words.append(terms)
    return words, coordinate


def _positive_leaves(q: Query):
    from whoosh.query import AndNot, Not

    if isinstance(q, Not):
        return
    if isinstance(q, AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)


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
        idf = np.log(1 + (n - found + 0.5) / (found + 0.5))
        total += times * idf * freq * (RELEASE_K1 + 1) / (freq + RELEASE_K1)
        held += present
    return total, held


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

    weight = PROXIMITY / len(pairs) ** PROXIMITY_NORM
    pairs = union(near)
    # With the release's fields: counted once, for its paragraph that holds them best.
    return found.plus(Matches(pairs.docs, np.zeros(len(pairs)), pairs.totals * weight))
