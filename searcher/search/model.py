"""The ranking model: matching paragraphs -> releases in order, and every parameter of it.

:mod:`.scoring` and :mod:`.ranking` compute it from the parameters here (read at each query,
so that ``tests/benchmarks/tune.py`` can set them).

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
  not outweigh its words (summed whole, they cost Cranfield nDCG@10 0.01). A pair so in
  the release's title adds its BM25 there, weighted :data:`TITLE_PROXIMITY` over the same
  root, once for the release: a headline recalled word for word outranks a long release
  that holds the words apart.
- A word repeated in the query counts as often as it is written.

Every parameter was chosen once on all the relevance benchmarks together (Cranfield, CACM
and the known-item benchmark on press releases; see the README), never for one collection.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..index.schema import FIELD_BOOSTS

if TYPE_CHECKING:
    from whoosh.query import Query

#: The text fields a release is scored on as one document.
TEXT_FIELDS = ("body", "title")

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
#: The same in the release's title (its headline): counted once for the release.
TITLE_PROXIMITY = 0.5
#: The pairs' bonus is divided by their number to this power: a long question has many
#: pairs, and summed whole they would outweigh the words' own scores.
PROXIMITY_NORM = 0.5
#: At most this many pairs of a long query are looked up for proximity.
PROXIMITY_PAIRS = 12


#: One query word as the release-level score sees it: (field, term, weight) for each of its
#: forms (stems, synonyms, corrections) in title and text.
Word = list[tuple[str, str, float]]


def query_words(q: Query) -> tuple[list[Word], bool]:
    """The words of ``q`` that a release is scored on as a document, and whether its score
    is coordinated (a long plain query). A word is a member of the query's top conjunction or
    disjunction (filters and exclusions left out), with the text and title terms under it."""
    from whoosh import query as Q

    from .minmatch import MinimumMatch

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


def release_idf(releases: int, holding: int) -> float:
    """BM25's idf of a word held by ``holding`` of the index's ``releases`` (Lucene's form,
    never negative), for the release scored as one document."""
    return math.log(1 + (releases - holding + 0.5) / (holding + 0.5))


def coordination(words: int) -> list[float]:
    """The factor on the score of a release holding ``h`` of a long query's ``words``
    words, for each ``h`` from 0 to ``words``: the share held to the power
    :data:`COORDINATION`, times :data:`PARTIAL` if any is lacking."""
    factors = []
    for held in range(words + 1):
        share = held / words
        factors.append(share ** COORDINATION * (PARTIAL if share < 1 else 1.0))
    return factors


def proximity_weight(pairs: int, weight: float | None = None) -> float:
    """The weight of the proximity bonus for a query of ``pairs`` pairs looked up (of
    :data:`PROXIMITY`, or of ``weight``)."""
    return (PROXIMITY if weight is None else weight) / pairs ** PROXIMITY_NORM


def proximity_pairs(words: list[str]) -> list[tuple[str, str]]:
    """The pairs of consecutive query words looked up for proximity."""
    return [(a, b) for a, b in zip(words, words[1:]) if a != b][:PROXIMITY_PAIRS]
