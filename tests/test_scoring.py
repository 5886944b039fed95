"""The array scorer finds what Whoosh's own matchers find, with the same scores.

Whoosh walking its matchers document by document is the reference: for every kind of query
the parser makes, :func:`searcher.scoring.evaluate` must return the same paragraphs, scored
alike, on an index of several segments with deleted documents in it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import searcher
from searcher.search.querylang import parse
from searcher.search.scoring import evaluate

from .conftest import SEEDS

QUERIES = [
    "Ukraine", "climate", "security cooperation", "economic cooperation agreement", "Blinken",
    "Prak Sokhonn", "Sullivan", "ASEAN Chairmanship", "Ukrane", "Blinkem", "sanct*", "secur*",
    "Ukraine -Russia", "(Ukraine OR Russia) AND title:Biden", "country:Japan security",
    "participant:Sokhonn ASEAN", "Ukraine date:[2022-01-01 TO 2022-12-31]", "climate date:2023",
    "NOT Ukraine", "what did the president discuss about climate change and energy security",
    "kind:call", "title:readout", 'date:2022-05', "Korean Peninsula", "president OR prime",
    "security REQUIRE Ukraine", "Ukraine ANDMAYBE Russia",
]
PHRASES = ['"Five-point Consensus"', '"national security advisor"', '"naval base"',
           '"President Biden"', '"Indo-Pacific"', '"security advisor national"']


@pytest.fixture(scope="module")
def index(segmented_index: searcher.Index) -> searcher.Index:
    """Seeds and 30 readouts in three segments, with some releases replaced (deletions)."""
    return segmented_index


def by_whoosh(s, q) -> dict[int, float]:
    """Paragraph document -> score, walking Whoosh's matcher (the reference)."""
    found = {}
    for leaf, offset in s.leaf_searchers():
        m = q.matcher(leaf, leaf.context())
        reader = leaf.reader()
        while m.is_active():
            doc = m.id()
            if not reader.is_deleted(doc) and reader.stored_fields(doc)["doctype"] == "para":
                found[doc + offset] = m.score()
            m.next()
    return found


def test_the_index_has_segments_and_deletions(index: searcher.Index):
    s = index.searcher()
    assert len(s.leaf_searchers()) >= 2
    assert any(leaf.reader().has_deletions() for leaf, _ in s.leaf_searchers())


@pytest.mark.parametrize("text", QUERIES)
def test_same_paragraphs_same_scores(index: searcher.Index, text: str):
    s = index.searcher()
    q = parse(text, s.reader()).query
    expected = by_whoosh(s, q)
    found = evaluate(s, q)
    assert found.docs.tolist() == sorted(expected)
    assert np.allclose(found.totals, [expected[d] for d in found.docs.tolist()], rtol=1e-4)
    if text not in ("NOT Ukraine",):
        assert len(found), f"{text!r} should match something in this corpus"


@pytest.mark.parametrize("text", PHRASES)
def test_phrases_match_the_same_paragraphs(index: searcher.Index, text: str):
    s = index.searcher()
    q = parse(text, s.reader()).query
    assert evaluate(s, q).docs.tolist() == sorted(by_whoosh(s, q))


def test_a_phrase_in_the_wrong_order_matches_nothing(index: searcher.Index):
    s = index.searcher()
    assert len(evaluate(s, parse('"security advisor national"', s.reader()).query)) == 0
    assert len(evaluate(s, parse('"national security advisor"', s.reader()).query)) > 0


def test_top_breaks_ties_by_document_number():
    from searcher.search.scoring import Matches

    m = Matches(np.array([3, 5, 9, 12]), np.array([1.0, 2.0, 2.0, 0.5]))
    docs, scores = m.top(3)
    assert docs.tolist() == [5, 9, 3] and scores.tolist() == [2.0, 2.0, 1.0]


def test_empty_index_matches_nothing(tmp_path: Path):
    index = searcher.Index.create(tmp_path / "ix")
    s = index.searcher()
    assert len(evaluate(s, parse("Ukraine", s.reader()).query)) == 0
    assert index.search("Ukraine").total == 0
    index.close()


def test_paragraphs_are_the_documents_with_a_body(index: searcher.Index):
    """The scorer tells paragraphs from release records by the body's length column; it
    must agree with the doctype field."""
    from searcher.search.cache import cache_of
    from searcher.search.postings import postings

    for leaf, _ in index.searcher().leaf_searchers():
        reader = leaf.reader()
        by_length = cache_of(index.searcher()).segment(reader, 0, np).paragraphs().tolist()
        assert by_length == postings(reader, "doctype", b"para")[0].tolist()
        assert by_length


def test_a_query_the_scorer_has_no_rule_for_is_an_error_not_a_fallback(index: searcher.Index):
    from whoosh import query as Q

    from searcher.errors import InternalError

    s = index.searcher()
    with pytest.raises(InternalError, match="no rule for a whoosh.query.compound.DisjunctionMax"):
        evaluate(s, Q.DisjunctionMax([Q.Term("body", "ukrain")]))
    with pytest.raises(InternalError, match="no searcher cache"):  # not opened by an Index
        evaluate(index._ix.searcher(), Q.Term("body", "ukrain"))


def test_each_index_owns_its_caches(index: searcher.Index):
    import gc
    import weakref

    from searcher.search.cache import cache_of
    from searcher.search.scoring import clear_postings_cache

    other = searcher.Index.open(index.root)
    assert index.search("Ukraine security").total == other.search("Ukraine security").total
    mine, theirs = cache_of(index.searcher()), weakref.ref(cache_of(other.searcher()))
    held = [mine.held, theirs().held]
    assert theirs() is not mine and all(held)
    clear_postings_cache()  # every open index's
    held = [mine.held, theirs().held]
    assert held == [0, 0]
    other.close()
    del other
    gc.collect()
    assert theirs() is None  # it went with its index


def test_a_shared_index_hands_its_caches_to_the_next_commit(tmp_path: Path):
    """A long-lived process following commits keeps what it decoded of the segments an
    update leaves alone (the new commit's index takes the old one's cache)."""
    from searcher.live import SharedIndex
    from searcher.search.cache import cache_of

    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    searcher.build_index(documents=docs, index=tmp_path / "ix")[0].close()
    with SharedIndex(tmp_path / "ix", warm=False) as shared:
        assert shared.search("Cambodia").total
        with shared.using() as opened:
            cache = cache_of(opened.searcher())
        (docs / "z.txt").write_text("Zanzibar Talks\n\nPhnom Penh, 3 March 2023\n\n"
                                    "The Zanzibar talks went on.\n")
        searcher.update_index(documents=docs, index=tmp_path / "ix")[0].close()
        assert shared.search("Zanzibar").total == 1 and shared.search("Cambodia").total
        with shared.using() as opened:
            assert cache_of(opened.searcher()) is cache
