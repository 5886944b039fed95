"""Query text -> ranked releases: parse, search paragraphs, collapse them into releases.

Paragraphs are what Whoosh scores; users want releases. The top paragraphs are collapsed per
release (at most :data:`PARAGRAPHS_PER_RELEASE`), and a release scores by its best paragraphs,
the first counting fully and the next ones less (:data:`PARAGRAPH_WEIGHTS`), so one strong
paragraph beats several weak ones but breadth still breaks near-ties.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .releases import Release
from .schema import BM25_B, BM25_K1, FIELD_BOOSTS, SEARCH_FIELDS
from .snippets import Matcher, Snippet, make_snippets

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

PARAGRAPHS_PER_RELEASE = 3
PARAGRAPH_WEIGHTS = (1.0, 0.3, 0.1)
#: Fields whose analysis is the body's, so their query terms can be lit up in body and title.
_TEXT_FIELDS = ("body", "title")


@dataclass
class Hit:
    """One release in the results: the release itself, its score and its best passages."""

    release: Release
    score: float
    snippets: list[Snippet] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)  # matching paragraphs, best first
    title_highlights: list[tuple[int, int]] = field(default_factory=list)

    @property
    def title(self) -> Snippet:
        """The title as a snippet, its matched words highlighted."""
        return Snippet(self.release.title, self.title_highlights)

    def to_dict(self) -> dict[str, Any]:
        data = self.release.to_dict(paragraphs=False)
        data.update(
            score=round(self.score, 4),
            title_highlights=[list(h) for h in self.title_highlights],
            matched_paragraphs=self.paragraphs,
            snippets=[s.to_dict() for s in self.snippets],
        )
        return data


@dataclass
class Results:
    """A page of hits, and how many releases match in all."""

    query: str
    total: int
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    notices: list[str] = field(default_factory=list)
    took_ms: float = 0.0

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "took_ms": round(self.took_ms, 1),
            "notices": list(self.notices),
            "hits": [hit.to_dict() for hit in self.hits],
        }


def weighting():
    """BM25F with our K1 and per-field B (see :mod:`searcher.schema`)."""
    from whoosh.scoring import BM25F

    return BM25F(B=0.75, K1=BM25_K1, **{f"{name}_B": b for name, b in BM25_B.items()})


def parse(text: str, schema) -> tuple[Query, list[str]]:
    """Query text -> a Whoosh query over the search fields; all words required by default."""
    from whoosh.qparser import AndGroup, MultifieldParser

    from .readers import normalize_text

    parser = MultifieldParser(SEARCH_FIELDS, schema, fieldboosts=FIELD_BOOSTS, group=AndGroup)
    # The query is normalised as documents are, so "Cambodia’s" finds "Cambodia's".
    return parser.parse(normalize_text(text)), []


def search(searcher: Searcher, text: str, limit: int = 10, page: int = 1,
           snippets: int = 3) -> Results:
    """Run ``text`` against an open Whoosh searcher; one hit per release, best first."""
    from whoosh import sorting
    from whoosh.query import NullQuery, Term

    started = time.perf_counter()
    q, notices = parse(text, searcher.schema)
    if q is NullQuery or next(q.leaves(), None) is None:
        return Results(text, 0, [], page, limit, notices or ["empty query"],
                       (time.perf_counter() - started) * 1000)
    wanted = page * limit
    found = searcher.search(
        q,
        limit=max(50, wanted * PARAGRAPHS_PER_RELEASE * 4),
        collapse="release_id",
        collapse_limit=PARAGRAPHS_PER_RELEASE,
        groupedby=sorting.FieldFacet("release_id"),
        filter=Term("doctype", "para"),
    )
    total = len(found.groups("release_id"))
    by_release: dict[str, list[tuple[float, int, str]]] = {}
    for hit in found:
        by_release.setdefault(hit["release_id"], []).append((hit.score, hit["para"], hit["body"]))
    ranked = sorted(
        by_release.items(),
        key=lambda item: -sum(w * s for w, (s, _, _) in zip(PARAGRAPH_WEIGHTS, item[1])),
    )
    body_matcher, title_matcher = _matchers(q, searcher.reader())
    hits = []
    for release_id, paras in ranked[wanted - limit: wanted]:
        release = load_release(searcher, release_id)
        if release is None:
            continue
        score = sum(w * s for w, (s, _, _) in zip(PARAGRAPH_WEIGHTS, paras))
        hits.append(
            Hit(
                release=release,
                score=score,
                snippets=make_snippets([(n, body) for _, n, body in paras], body_matcher, snippets),
                paragraphs=[n for _, n, _ in paras],
                title_highlights=title_matcher.highlights(release.title),
            )
        )
    return Results(text, total, hits, page, limit, notices, (time.perf_counter() - started) * 1000)


def load_release(searcher: Searcher, release_id: str) -> Release | None:
    """A release from its record and its stored paragraphs, or None if it is not indexed."""
    record = searcher.document(doc_key=release_id)
    if record is None:
        return None
    release = Release.from_dict(json.loads(record["release"]))
    paras = [(d["para"], d["body"]) for d in searcher.documents(release_id=release_id)
             if d.get("doctype") == "para"]
    release.paragraphs = [body for _, body in sorted(paras)]
    return release


def _positive_leaves(q: Query) -> Iterator[Query]:
    """The query's leaves that a hit satisfies: not those under NOT."""
    from whoosh.query import AndNot, Not

    if isinstance(q, Not):
        return
    if isinstance(q, AndNot):
        yield from _positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)


def _matchers(q: Query, reader: IndexReader) -> tuple[Matcher, Matcher]:
    """(body matcher, title matcher): the analysed words and phrases the query looks for."""
    from whoosh.query import Phrase

    terms: dict[str, set[str]] = {name: set() for name in _TEXT_FIELDS}
    phrases: dict[str, list[list[str]]] = {name: [] for name in _TEXT_FIELDS}
    for leaf in _positive_leaves(q):
        if leaf.field() not in _TEXT_FIELDS:
            continue
        if isinstance(leaf, Phrase):
            phrases[leaf.field()].append(list(leaf.words))
        else:
            terms[leaf.field()].update(text for _, text in leaf.expanded_terms(reader)
                                       if isinstance(text, str))
    return (Matcher(terms["body"] | terms["title"], phrases["body"] or phrases["title"]),
            Matcher(terms["title"] | terms["body"], phrases["title"] or phrases["body"]))
