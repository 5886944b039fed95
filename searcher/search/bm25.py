"""BM25 over paragraphs: its statistics and its formula, written once.

A paragraph is the document scored (see :mod:`.ranking` for how releases are made of them).
Whoosh's own statistics count every document, our release records too, which halves the
average paragraph length; and its idf is log(N/(n+1))+1. Here N is the number of paragraphs
and idf is BM25's (Lucene's form, never negative); K1 and each field's B are
:mod:`searcher.index.schema`'s.

:func:`scores` is what :mod:`.scoring` computes, over arrays. :func:`weighting` gives
Whoosh's searcher the same statistics, for anyone scoring through Whoosh's matchers (the
tests do, as the reference the arrays must equal); its per-document formula is Whoosh's own.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..index.schema import BM25_B, BM25_K1

if TYPE_CHECKING:
    from typing import Any

    from whoosh.searching import Searcher

    Array = Any  # a numpy array, or a lists.Vector


def field_b(fieldname: str) -> float:
    """BM25's length normalisation for ``fieldname``."""
    return BM25_B.get(fieldname, 0.75)


def paragraph_count(parent: Searcher) -> int:
    """N: the paragraphs of the whole index (at least 1)."""
    return max(1, parent.doc_frequency("doctype", "para"))


def statistics(parent: Searcher, fieldname: str, btext: bytes,
               n_docs: int | None = None, n_term: int | None = None) -> tuple[float, float]:
    """(idf, average field length) of a term over the paragraphs of ``parent`` (the whole
    index's searcher); ``n_docs`` and ``n_term``, when known, are N and the term's
    document frequency."""
    n_docs = paragraph_count(parent) if n_docs is None else n_docs
    n_term = parent.doc_frequency(fieldname, btext) if n_term is None else n_term
    idf = math.log(1 + (n_docs - n_term + 0.5) / (n_term + 0.5))
    avgfl = (parent.field_length(fieldname) / n_docs) or 1
    return idf, avgfl


def scores(weights: Array, lengths: Array, idf: float, avgfl: float, b: float,
           boost: float = 1.0) -> Array:
    """Each posting's BM25: ``weights`` are the term's frequencies, ``lengths`` the field's
    length in the same documents (arrays of numpy or :mod:`.lists`)."""
    norm = BM25_K1 * ((1 - b) + b * lengths / avgfl)
    return boost * idf * (weights * (BM25_K1 + 1)) / (weights + norm)


def weighting():
    """Whoosh's BM25F with these statistics, for Whoosh's searcher."""
    from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

    class ParagraphScorer(BM25FScorer):
        def __init__(self, searcher, fieldname, text, B, K1, qf=1):
            self.idf, self.avgfl = statistics(searcher.get_parent(), fieldname, text)
            self.B, self.K1, self.qf = B, K1, qf
            self.setup(searcher, fieldname, text)

    class ParagraphBM25F(BM25F):
        def scorer(self, searcher, fieldname, text, qf=1):
            if not searcher.schema[fieldname].scorable:
                return WeightScorer.for_(searcher, fieldname, text)
            return ParagraphScorer(searcher, fieldname, text, field_b(fieldname), self.K1,
                                   qf=qf)

    return ParagraphBM25F(K1=BM25_K1)  # each field's B: field_b(), in its scorer
