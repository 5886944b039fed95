"""Query text -> ranked releases: parse, score paragraphs, collapse them into releases.

Paragraphs are what the index scores; users want releases. How paragraph scores become a
release's is the ranking model of :mod:`.ranking`.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SearcherError
from ..index.analysis import normalize_word, stem
from ..ingest.release import Release
from ..ingest.sentences import remember
from .options import SearchOptions
from .results import Hit, Results
from .snippets import Matcher, make_snippets

if TYPE_CHECKING:  # the scorer, and its arrays' namespace (.backend), are imported when a query runs
    from whoosh.query import Query
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

    from .scoring import Matches

#: Fields whose analysis is the body's, so their query terms can be lit up in body and title.
_TEXT_FIELDS = ("body", "title")


@dataclass
class Filters:
    """Restrictions on the release (as the --participant, --country, --kind, --from and --to
    options): each given one must hold. Dates are ISO, whole or partial ("2022", "2022-05")."""

    participant: str | None = None
    country: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def __bool__(self) -> bool:
        return any((self.participant, self.country, self.kind, self.date_from, self.date_to))

    def query(self) -> Query:
        """The restrictions as one query (paragraph documents only)."""
        from whoosh import query as Q

        from ..index.analysis import exact_analyzer, text_analyzer
        from ..ingest.countries import canonical

        parts: list[Query] = [Q.Term("doctype", "para")]
        if self.participant:
            from ..ingest.lexicon import HONORIFICS, OFFICE_HEADS, QUALIFIERS

            words = [t.text for t in exact_analyzer()(self.participant)]
            # "King Abdullah", "President Biden": the office is the role's, not the name's.
            named = [w for w in words if w not in OFFICE_HEADS | QUALIFIERS | HONORIFICS]
            parts += [Q.Term("participants", w) for w in named or words]
        if self.country:
            name = canonical(self.country) or canonical(self.country.title()) or self.country
            parts.append(_phrase("countries", [t.text for t in exact_analyzer()(name)]))
        if self.kind:
            parts.append(_phrase("kind", [t.text for t in text_analyzer()(self.kind)]))
        if self.date_from or self.date_to:
            for value in (self.date_from, self.date_to):
                if value and not re.match(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$", value):
                    raise SearcherError(f"not a date: {value!r} (use 2022, 2022-05 or 2022-05-13)")
            from .querylang import date_range

            parts.append(date_range(self.date_from, self.date_to))
        return Q.And(parts)


SORTS = ("relevance", "date", "-date")


def search(searcher: Searcher, options: SearchOptions) -> Results:
    """Run ``options.text`` against an open Whoosh searcher, as ``options`` say.

    One hit per release, best first (or by date with ``sort``), or one per matching paragraph
    with ``paragraphs``; ``facets`` counts releases by year, country, participant and kind over
    the whole matching set. ``took_ms`` times the search itself: the modules it needs are
    imported, and the word pattern compiled, before the clock starts."""
    from ..index.analysis import ready
    from . import querylang, ranking  # noqa: F401 (imported before the clock)
    from .backend import namespace

    namespace(searcher)  # the arrays' namespace (numpy or lists) imported before it, too
    ready()  # the word pattern's engine (regex) imported and compiled: not the search's time
    started = time.perf_counter()
    text, limit, start, sort = options.text, options.limit, options.start, options.sort
    filters = Filters(options.participant, options.country, options.kind,
                      _iso(options.date_from), _iso(options.date_to))
    synonyms = str(options.synonyms or "") or None
    parsed, q, found = _matching(searcher, text, filters, synonyms, sort == "relevance")
    if q is None:
        empty = Results(text, 0, [], notices=list(parsed.notices) or ["empty query"])
        return _finished(empty, options, started)
    run = _paragraph_hits if options.paragraphs else _release_hits
    results = run(searcher, q, found, start, limit, options.snippets, sort)
    results.query, results.notices = text, list(parsed.notices)
    if options.facets:
        results.facets = _facets(searcher, found)
    if parsed.corrections and results.hits:
        results.suggestion = _suggestion(searcher, _restricted(parsed.exact, filters), parsed,
                                         results)
    if not results.total and filters:
        results.notices.extend(_unknown_values(searcher.reader(), filters))
    return _finished(results, options, started)


def _iso(value: object) -> str | None:
    return str(value) if value else None  # SearchOptions has made dates ISO text


def _finished(results: Results, options: SearchOptions, started: float) -> Results:
    results.page, results.limit = options.current_page, options.limit
    results.offset = options.start
    results.options = options
    past = results.past_end()
    if past:
        results.notices.append(past)
    results.took_ms = (time.perf_counter() - started) * 1000
    return results


def _unknown_values(reader: IndexReader, filters: Filters) -> list[str]:
    """Why restrictions found nothing: a country, kind or participant no release has."""
    from ..index.analysis import exact_analyzer, text_analyzer
    from ..ingest.countries import canonical

    said = []
    checks = [("participant", "participants", filters.participant, exact_analyzer),
              ("country", "countries", filters.country and (
                  canonical(filters.country) or canonical(filters.country.title())
                  or filters.country), exact_analyzer),
              ("kind", "kind", filters.kind, text_analyzer)]
    for name, fieldname, value, analyzer in checks:
        if value and not all(reader.doc_frequency(fieldname, t.text)
                             for t in analyzer()(value)):
            given = getattr(filters, name)
            said.append(f"no release has the {name} {given!r}"
                        + (f" ({value})" if value != given else ""))
    return said


def _matching(searcher: Searcher, text: str, filters: Filters | None, synonyms: str | None,
              ranked: bool) -> tuple[Any, Query | None, Matches]:
    """(parsed query, query run, every matching paragraph scored): the query is None when
    nothing can match."""
    from whoosh import query as Q

    from .backend import namespace
    from .cache import cache_of
    from .querylang import parse
    from .ranking import with_proximity
    from .scoring import Matches, evaluate

    parsed = parse(text, searcher.reader(), synonyms, cache_of(searcher))
    q = parsed.query
    if q is Q.NullQuery or next(q.leaves(), None) is None:
        if not filters:
            return parsed, None, Matches.empty(namespace(searcher))
        q = Q.Every()  # filters alone: every release that passes them
    q = _restricted(q, filters)
    found = evaluate(searcher, q, release_level=True)  # once: hits and facets count from it
    if not len(found) and parsed.relaxed is not None:
        # No release holds all of a short query's words: those holding most come first.
        q = _restricted(parsed.relaxed, filters)
        found = evaluate(searcher, q, release_level=True)
        if len(found):
            parsed.notices.append("no release holds all the words; showing those holding "
                                  "some of them")
    if len(parsed.question) > 1 and ranked:
        found = with_proximity(searcher, found, parsed.question)
    return parsed, q, found


def ranked_ids(searcher: Searcher, text: str, limit: int = 10,
               synonyms: str | None = None) -> list[str]:
    """The ids of the ``limit`` best releases for ``text``, in order: the ranking alone,
    without loading releases or cutting snippets (relevance benchmarks run it at scale)."""
    from .ranking import rank_releases

    _, q, found = _matching(searcher, text, None, synonyms, True)
    if q is None:
        return []
    ranking = rank_releases(searcher, found, q)
    ids = _column(searcher, "release_id")
    return [ids[int(ranking.firsts[g])] for g in ranking.by_score()[:limit]]


def _restricted(q: Query, filters: Filters | None) -> Query:
    """``q`` limited to paragraphs passing ``filters``, the limits scoring nothing. (Not as
    Whoosh's ``filter=``: with it, Whoosh silently stops collapsing hits per release.)
    Release records can only match through NOT or a bare filter: otherwise no limit is
    needed."""
    from whoosh import query as Q

    negative = any(isinstance(x, (Q.Not, Q.Every)) for x in _all_nodes(q))
    if not filters and not negative:
        return q
    limit = filters.query() if filters else Q.Term("doctype", "para")
    return Q.And([q, Q.ConstantScoreQuery(limit, 0.0)])


def _all_nodes(q: Query) -> Iterator[Query]:
    yield q
    for child in q.children():
        yield from _all_nodes(child)


def _release_hits(searcher: Searcher, q: Query, found: Matches, start: int, limit: int,
                  snippets: int, sort: str) -> Results:
    from .ranking import rank_releases

    wanted = start + limit
    ranking = rank_releases(searcher, found, q)
    if not len(ranking):
        return Results("", 0, [])
    ids = _column(searcher, "release_id")
    if sort == "relevance":
        order = ranking.by_score()[start:wanted]
    else:
        days = _column(searcher, "day")
        order = sorted(range(len(ranking.firsts)), reverse=sort == "-date",
                       key=lambda g: (days[int(ranking.firsts[g])],
                                      ids[int(ranking.firsts[g])]))[start:wanted]
    body_matcher, title_matcher = _matchers(q, searcher.reader())
    named = _named(q)
    hits = []
    for group in order:
        release = _hit_release(searcher, ids[int(ranking.firsts[group])])
        if release is None:
            continue
        # Stored fields are read only here, for the page's best paragraphs.
        best = ranking.best(group)
        paras = [(score, searcher.stored_fields(docnum)["para"]) for score, docnum in best]
        shown = [(n, release.paragraphs[n]) for _, n in paras if n < len(release.paragraphs)]
        hits.append(Hit(
            release=release,
            score=float(ranking.scores[group]),
            snippets=make_snippets(shown, body_matcher, snippets,
                                   _by_title(searcher, release, named)) if snippets else [],
            paragraphs=[n for _, n in paras],
            title_highlights=title_matcher.highlights(release.title),
        ))
    return Results("", len(ranking), hits)


def _paragraph_hits(searcher: Searcher, q: Query, found: Matches, start: int, limit: int,
                    snippets: int, sort: str) -> Results:
    """Every matching paragraph as its own hit (its release attached), best first."""
    wanted = start + limit
    if sort == "relevance":
        docs, scores = found.top(wanted)
        page_hits = list(zip(docs.tolist(), scores.tolist()))[start:]
    else:
        days = _column(searcher, "day")
        dated = sorted(zip(found.docs.tolist(), found.totals.tolist()), reverse=sort == "-date",
                       key=lambda hit: (days[hit[0]], -hit[0] if sort == "-date" else hit[0]))
        page_hits = dated[start:wanted]
    body_matcher, title_matcher = _matchers(q, searcher.reader())
    releases: dict[str, Release | None] = {}
    hits = []
    for docnum, score in page_hits:
        stored = searcher.stored_fields(docnum)
        rid = stored["release_id"]
        if rid not in releases:
            releases[rid] = _hit_release(searcher, rid)
        release = releases[rid]
        if release is None:
            continue
        hits.append(Hit(
            release=release,
            score=score,
            snippets=make_snippets([(stored["para"], stored.get("body", ""))], body_matcher,
                                   min(snippets, 1)),
            paragraphs=[stored["para"]],
            title_highlights=title_matcher.highlights(release.title),
        ))
    return Results("", len(found), hits, unit="paragraphs")


def _release_count(searcher: Searcher, q: Query) -> int:
    from .scoring import evaluate, one_per_release

    return len(one_per_release(searcher, evaluate(searcher, q).docs))


FACETS = {"year": "year", "country": "country_facet", "participant": "person_facet",
          "kind": "kind_facet", "month": "day"}


def _facets(searcher: Searcher, found: Matches) -> dict[str, dict[str, int]]:
    """Releases per year, country, participant, kind and month ("2022-05", from the release
    date) over the whole matching set, read from one paragraph of each matching release."""
    from bisect import bisect_left
    from collections import Counter

    from ..index.schema import FACET_SEPARATOR
    from .scoring import one_per_release

    docs = sorted(one_per_release(searcher, found.docs).tolist())
    # Each segment's column read on its own: Whoosh's MultiColumnReader leaves out the
    # segments without the column (one whose releases are all undated has no "year") and
    # then reads the next segment's values at the wrong places, or past its end.
    leaves = [(offset, leaf.reader()) for leaf, offset in searcher.leaf_searchers()]
    out: dict[str, dict[str, int]] = {}
    for name, fieldname in FACETS.items():
        counts: Counter[str] = Counter()
        for n, (offset, reader) in enumerate(leaves):
            end = leaves[n + 1][0] if n + 1 < len(leaves) else offset + reader.doc_count_all()
            mine = [d - offset for d in docs[bisect_left(docs, offset):bisect_left(docs, end)]]
            if not mine or not reader.has_column(fieldname):
                continue
            column = reader.column_reader(fieldname)
            for docnum in mine:
                value = column[docnum]
                if isinstance(value, bytes):
                    value = value.decode("utf-8")
                if value and fieldname == "day":
                    counts[value[:7]] += 1
                elif value:
                    counts.update(set(value.split(FACET_SEPARATOR)))
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _suggestion(searcher: Searcher, exact_query: Query, parsed, results: Results) -> str | None:
    """The query with each fuzzily matched word replaced by the spelling found, when the
    corrected words find clearly more releases than the words as typed."""
    from ..index.analysis import analyze

    if _release_count(searcher, exact_query) * 2 > results.total:
        return None
    found: dict[str, list[str]] = {}
    for hit in results.hits:
        for snippet in [*hit.snippets, hit.title]:
            for start, end in snippet.highlights:
                surface = snippet.text[start:end]
                for term, *_ in analyze(surface):
                    for typed, near in parsed.corrections.items():
                        if term in near or normalize_word(surface) in near:
                            found.setdefault(typed, []).append(surface)
    words = []
    changed = False
    for word in parsed.text.split():
        key = stem(normalize_word(word.strip('"()')))
        spellings = found.get(key)
        if spellings:
            # The commonest spelling in the index, not a rare misspelling that happens to
            # stand on this page ("Zelenskyy" in 94 releases over "Zelenskky" in one).
            words.append(max(spellings, key=lambda w: (_frequency(searcher, w),
                                                       spellings.count(w))))
            changed = True
        else:
            words.append(word)
    return " ".join(words) if changed else None


def _frequency(searcher: Searcher, surface: str) -> int:
    """In how many paragraphs a word (as written) stands, by its analysed term."""
    from ..index.analysis import analyze

    terms = [term for term, *_ in analyze(surface)]
    return searcher.doc_frequency("body", terms[0]) if len(terms) == 1 else 0


def load_release(searcher: Searcher, release_id: str) -> Release | None:
    """A release from its record and its stored paragraphs, or None if it is not indexed."""
    release, sentences = _read_release(searcher, release_id)
    for body, packed in sentences:
        remember(body, packed)  # snippets need no Punkt
    return release


def _read_release(searcher: Searcher, release_id: str
                  ) -> tuple[Release | None, list[tuple[str, Any]]]:
    """(the release or None, each paragraph's stored sentence boundaries)."""
    # One short posting list: the release's paragraphs and its record. (Not document() with
    # doctype too: Whoosh intersects by listing every release record.)
    docs = list(searcher.documents(release_id=release_id))
    record = next((d for d in docs if d.get("doctype") == "release"), None)
    if record is None:
        return None, []
    release = Release.from_dict(json.loads(record["release"]))
    paras = [d for d in docs if d.get("doctype") == "para" and "body" in d]
    release.paragraphs = [d["body"] for d in sorted(paras, key=lambda d: d["para"])]
    return release, [(d["body"], d.get("sentences")) for d in paras]


def _hit_release(searcher: Searcher, release_id: str) -> Release | None:
    """:func:`load_release` through the searcher's cache of releases (a copy: a caller may
    change its hit's release)."""
    from .cache import cache_of

    kept = cache_of(searcher).kept(searcher)
    release, sentences = kept.release(release_id, lambda: _read_release(searcher, release_id))
    for body, packed in sentences:
        remember(body, packed)
    return copy.copy(release)


def _column(searcher: Searcher, fieldname: str) -> Any:
    """The searcher's column reader for ``fieldname``, made once per searcher."""
    from .cache import cache_of

    return cache_of(searcher).kept(searcher).column(searcher.reader(), fieldname)


def _phrase(fieldname: str, words: list[str]) -> Query:
    from whoosh import query as Q

    return Q.Term(fieldname, words[0]) if len(words) == 1 else Q.Phrase(fieldname, words)


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


def _named(q: Query) -> set[str]:
    """The words the query looks for among participants' names."""
    from whoosh.query import Term

    return {leaf.text for leaf in _positive_leaves(q)
            if isinstance(leaf, Term) and leaf.field() == "participants"}


def _by_title(searcher: Searcher, release: Release, named: set[str]
              ) -> dict[int, list[tuple[int, int, str]]]:
    """Spans, by paragraph, where a title stands for a participant the query names: "H.E.
    Deputy Prime Minister" lights up for "Prak Sokhonn"."""
    from .cache import cache_of

    keys = {p.key for p in release.participants if named & set(p.key.split())}
    spans: dict[int, list[tuple[int, int, str]]] = {}
    if keys:
        # Kept with the searcher's releases: finding them reads every paragraph.
        kept = cache_of(searcher).kept(searcher)
        for ref in kept.release(("references", release.id), release.references):
            if ref.by_title and ref.key in keys:
                spans.setdefault(ref.paragraph, []).append((ref.start, ref.end, ref.key))
    return spans


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
