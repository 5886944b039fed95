"""Fields and boosts: a release -> one Whoosh document per paragraph, plus one release record.

Each paragraph document carries its release's title, dates, participants and countries, so
that a match there lifts the paragraph (BM25F scores each field and sums them, weighted):

=============  =====  =========================================================================
field          boost  why
=============  =====  =========================================================================
body           1.0    the paragraph itself; the reference weight
title          6.0    the headline says what the release is about in a dozen words: a word
                      there weighs as six in the text. The release's title and text are scored
                      as one BM25F document (see searcher.search.ranking), so the boost weighs
                      the title's frequency before saturation, not a second score; chosen on
                      all the benchmarks together (1 -> 6: Cranfield nDCG@10 +0.007, CACM
                      +0.03, known-item headline MRR +0.02, passages even)
participants   1.5    people are the commonest search; a name among the participants means the
                      release is *about* that person, not that they were mentioned in passing;
                      the name also stands in the text and the title, which count it already,
                      so a light lift is enough (3.0 -> 1.5: known-item headline MRR +0.003,
                      passages +0.001, no participants in Cranfield or CACM)
countries      1.5    counterpart countries: a strong signal, but country names also fill the
                      body, so a lighter lift keeps them from drowning the text
dates          1.5    "13 May 2022", "May 2022", "2022" as words: a date in the query is meant
                      as a filter-like cue; a modest boost orders such matches first without
                      letting a year outweigh the words
place, kind    1.0    rarely queried as words; present so "Washington" or "video call" match
signoff        1.0    the spokesperson or signatory ("Chum Sounry"): found by name, not a
                      participant
=============  =====  =========================================================================

The boosts are applied at query time (the parser's field boosts), so changing them needs no
re-index. BM25F's length normalisation ``B`` is 0.75 for body and title (paragraph K1 1.2; the
release as a document saturates at 3.0, see :mod:`searcher.search.ranking`; neither moved
nDCG@10 by more than 0.003 on Cranfield between K1 0.9-2.0, B 0.5-0.9) and lower for the
short metadata fields, whose length says little about relevance.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

from ..ingest.release import Release
from ..ingest.sentences import pack_spans
from .analysis import exact_analyzer, exact_positions, text_analyzer, text_positions


def release_number(release_id: str) -> int:
    """A release's 64-bit number (its id hashed), so matches group by release as numbers."""
    digest = hashlib.blake2b(release_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)

#: Query-time field boosts (see the table above).
FIELD_BOOSTS: dict[str, float] = {
    "body": 1.0,
    "title": 6.0,
    "participants": 1.5,
    "countries": 1.5,
    "dates": 1.5,
    "place": 1.0,
    "kind": 1.0,
    "signoff": 1.0,
}
#: Joins the values of a list-valued facet column.
FACET_SEPARATOR = "\x1f"
#: The fields a plain word is searched in.
SEARCH_FIELDS = list(FIELD_BOOSTS)
#: The fields a paragraph carries from its release: a release counts their score once.
RELEASE_FIELDS = frozenset(SEARCH_FIELDS) - {"body"}
#: BM25F parameters: K1 for term-frequency saturation, B per field for length normalisation.
BM25_K1 = 1.2
BM25_B = {"body": 0.75, "title": 0.75, "participants": 0.2, "countries": 0.2, "dates": 0.0,
          "place": 0.0, "kind": 0.0, "signoff": 0.0}


#: Positions below this have the encoding of a lone occurrence made once, not per posting.
_SINGLES = 4096


@lru_cache(maxsize=1)
def _single_positions() -> list[bytes]:
    """Whoosh's encoding of a lone position (a count and a pickled list), by position."""
    return [Positions().encode([pos]) for pos in range(_SINGLES)]


class _Remembered:
    """A field whose values repeat from one document to the next (a release's id, title,
    names and dates recur in each of its paragraphs) reuses the postings of the values met
    last. What it remembers is left out of the schema Whoosh pickles into every table of
    contents."""

    _remember = True

    def index(self, value, **kwargs):
        if kwargs or not self._remember:
            return self._postings(value, **kwargs)
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get(value)
        if found is None:
            if len(memo) >= 256:
                memo.clear()
            found = memo[value] = list(self._postings(value))
        return found

    def _postings(self, value, **kwargs):
        return super().index(value, **kwargs)

    def __getstate__(self):
        parent = getattr(super(), "__getstate__", None)  # NUMERIC's drops its struct
        state = dict(parent() if parent else self.__dict__)
        state.pop("_memo", None)
        return state


class _ID(_Remembered, ID):
    pass


class _NUMERIC(_Remembered, NUMERIC):
    pass


class _Text(_Remembered, TEXT):
    """A text field indexed through a one-loop function equal to its analyser (held equal by
    the tests) instead of Whoosh's token generators, remembering its last values or not."""

    def __init__(self, analyzer, positions, remember: bool = False, stored: bool = False):
        super().__init__(analyzer=analyzer, phrase=True, stored=stored,
                         multitoken_query="phrase")
        self._positions, self._remember = positions, remember

    def _postings(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            return super()._postings(value, **kwargs)
        positions = self._positions(value)
        encode, boost = self.format.encode, self.format.field_boost
        single = _single_positions()
        # Most words occur once in a paragraph: their encoding is looked up, not made.
        return [(term.encode("utf-8"), len(p), len(p) * boost,
                 single[p[0]] if len(p) == 1 and p[0] < _SINGLES else encode(p))
                for term, p in positions.items()]


def build_schema() -> Schema:
    text, exact = text_analyzer(), exact_analyzer()
    return Schema(
        # "<release id>#<n>" for paragraph n, "<release id>" for the release record.
        doc_key=STORED(),  # read back, never searched: no terms (one a document otherwise)
        release_id=_ID(stored=True, sortable=True),
        # The release id as a 64-bit number, read as one array to group matches by release.
        release_num=COLUMN(NumericColumn("q", default=0)),
        doctype=_ID(stored=True),  # "para" or "release"
        para=STORED(),  # read back, never searched: no terms
        sentences=STORED(),  # the paragraph's sentence boundaries, for snippets (no Punkt)
        # A word the analyser splits ("Five-point", "U.S.-Cambodia") is searched as a phrase.
        body=_Text(text, text_positions, stored=True),
        title=_Text(text, text_positions, remember=True),
        participants=_Text(exact, exact_positions, remember=True),
        countries=_Text(exact, exact_positions, remember=True),
        dates=_Text(exact, exact_positions, remember=True),
        place=_Text(exact, exact_positions, remember=True),
        kind=_Text(text, text_positions, remember=True),
        # Who signs or speaks for the release (its spokesperson): searchable, not a participant.
        signoff=_Text(exact, exact_positions, remember=True),
        day=_ID(stored=True, sortable=True),  # release date, ISO: sorts as text
        # The same as a number (20220513): ranges use a few trie terms, not one a day.
        daynum=_NUMERIC(int, bits=32, signed=False),
        # Facets, counted per release over the whole matching set: columns, not terms (one
        # read per matching release, no postings to write).
        year=COLUMN(VarBytesColumn()),
        kind_facet=COLUMN(VarBytesColumn()),
        country_facet=COLUMN(VarBytesColumn()),  # values joined by FACET_SEPARATOR
        person_facet=COLUMN(VarBytesColumn()),
        # On the release record only: the release's metadata as JSON, and the file's identity.
        release=STORED(),
        source=STORED(),
    )


def paragraph_documents(release: Release) -> list[dict[str, object]]:
    """The Whoosh documents for a release's paragraphs: text plus its release's metadata."""
    from ..ingest.dates import date_words  # writing only: its patterns cost a query's start

    dates = [d for d in (release.release_date, release.event_date) if d]
    shared = {
        "release_id": release.id,
        "release_num": release_number(release.id),
        "doctype": "para",
        "title": release.title,
        "participants": " ; ".join(
            dict.fromkeys(name for p in release.participants for name in (p.name, p.key))
        ),
        "countries": " ; ".join(release.countries),
        "dates": " ; ".join(dict.fromkeys(w for d in dates for w in date_words(d))),
        "place": " ; ".join(p for p in (release.place, release.event_place) if p),
        "kind": release.kind or "",
        "signoff": release.spokesperson or "",
        "day": release.release_date.isoformat() if release.release_date else "",
        "daynum": int(release.release_date.strftime("%Y%m%d")) if release.release_date else "",
        "year": str(release.release_date.year).encode() if release.release_date else "",
        "kind_facet": (release.kind or "").encode(),
        "country_facet": FACET_SEPARATOR.join(release.countries).encode(),
        "person_facet": FACET_SEPARATOR.join(p.name for p in release.participants).encode(),
    }
    shared = {k: v for k, v in shared.items() if v not in ("", b"")}  # no empty terms or values
    docs = [{"doc_key": f"{release.id}#{n}", "para": n, "body": text,
             "sentences": pack_spans(text), **shared}
            for n, text in enumerate(release.paragraphs) if text]
    # A release with no text (a script's, of a title only) is still found by its fields.
    return docs or [{"doc_key": f"{release.id}#0", "para": 0, **shared}]


def release_document(release: Release, source: dict[str, object]) -> dict[str, object]:
    """The release record: metadata for hits and ``show``; ``source`` identifies the file."""
    import json

    day = {"day": release.release_date.isoformat()} if release.release_date else {}
    return {
        "doc_key": release.id,
        "release_id": release.id,
        "release_num": release_number(release.id),
        "doctype": "release",
        **day,
        "release": json.dumps(release.to_dict(paragraphs=False), ensure_ascii=False),
        "source": source,
    }
