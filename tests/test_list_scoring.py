"""The scorer over plain Python lists (a small index's) gives its numpy results, score for
score.

The one scorer (:mod:`searcher.search.scoring`, :mod:`searcher.search.ranking`) computes
over the arrays of numpy or of :mod:`searcher.search.lists`, as
:func:`searcher.search.backend.namespace` chooses by the index's size; which one changes
nothing a user sees: the same paragraphs and releases, in the same order, with equal
floating-point scores (not merely close ones), snippets, facets and suggestions. Checked on
an index of several segments with deleted documents, over the scorer's query mix.
"""

from __future__ import annotations

import pytest

import searcher
from searcher.search import backend, lists, ranking, scoring
from searcher.search.querylang import parse
from searcher.search.query import ranked_ids

from .test_scoring import PHRASES, QUERIES

MORE = ["ASEAN Chairmanship Cambodia", "Ukraine Ukraine security", "Kiev", "Zelenskyy",
        "title:ASEAN OR title:Ukraine", "-Ukraine Russia", "(Japan OR Norway) ASEAN",
        "the president discussed the war in Ukraine with the prime minister of Japan today",
        "participant:Blinken", "Sokhonn", '"Prime Minister" Japan', "place:Washington"]
ALL = QUERIES + PHRASES + MORE


@pytest.fixture
def index(segmented_index: searcher.Index) -> searcher.Index:
    return segmented_index


def _scored(index: searcher.Index, kind: str, monkeypatch, **options) -> list:
    """Each query's results as scored by ``kind``: everything shown, raw scores included."""
    monkeypatch.setattr(backend, "FORCED", kind)
    out = []
    for text in ALL:
        results = index.search(text, **options)
        shown = results.to_dict()
        shown.pop("took_ms")
        out.append((shown, [(h.release.id, h.score, h.paragraphs) for h in results.hits]))
    return out


def _evaluated(s, q, kind: str, monkeypatch, release_level: bool = False) -> scoring.Matches:
    monkeypatch.setattr(backend, "FORCED", kind)
    found = scoring.evaluate(s, q, release_level)
    assert isinstance(found.docs, lists.Vector) == (kind == "lists")
    return found


def test_the_index_is_small_enough_to_be_scored_over_lists(index: searcher.Index):
    assert backend.uses_lists(index.searcher())
    assert backend.namespace(index.searcher()) is lists


@pytest.mark.parametrize("text", ALL)
def test_the_same_paragraphs_with_the_same_scores(index: searcher.Index, text: str,
                                                  monkeypatch):
    s = index.searcher()
    for release_level in (False, True):
        q = parse(text, s.reader()).query
        ours = _evaluated(s, q, "lists", monkeypatch, release_level)
        theirs = _evaluated(s, q, "numpy", monkeypatch, release_level)
        assert ours.docs.tolist() == theirs.docs.tolist()
        assert _bits(ours.scores) == _bits(theirs.scores)  # equal, not close (-0.0 too)
        assert _bits(ours.rscores) == _bits(theirs.rscores)


def _bits(scores) -> list[str]:
    return [float(x).hex() for x in scores.tolist()]


@pytest.mark.parametrize("options", [{}, {"paragraphs": True, "limit": 3, "page": 2},
                                     {"sort": "-date", "facets": True, "country": "Japan"}])
def test_the_same_results(index: searcher.Index, monkeypatch, options: dict):
    found = _scored(index, "lists", monkeypatch, **options)
    assert found == _scored(index, "numpy", monkeypatch, **options)
    assert sum(1 for shown, _ in found if shown["hits"]) >= 10  # not vacuous


def test_the_same_ranking_and_proximity(index: searcher.Index, monkeypatch):
    s = index.searcher()
    for text in MORE + QUERIES[:8]:
        ids = []
        for kind in ("lists", "numpy"):
            monkeypatch.setattr(backend, "FORCED", kind)
            ids.append(ranked_ids(s, text, limit=20))
        assert ids[0] == ids[1], text
    words = ["presid", "biden"]
    q = parse("President Biden", s.reader()).query
    near = []
    for kind in ("lists", "numpy"):
        monkeypatch.setattr(backend, "FORCED", kind)
        near.append(ranking.with_proximity(s, scoring.evaluate(s, q), words))
    assert _bits(near[0].totals) == _bits(near[1].totals) and len(near[0])
    assert isinstance(near[0].totals, lists.Vector)


def test_a_larger_index_is_scored_with_numpy(index: searcher.Index, monkeypatch):
    import numpy

    monkeypatch.setattr(backend, "LISTS_UP_TO", 10)
    assert backend.namespace(index.searcher()) is numpy
