"""Which scorer scores a searcher's index: numpy's (:mod:`.ranking`) or plain Python's
(:mod:`.plain`), by the index's size.

Both rank alike, to the last bit of every score (``tests/test_plain_scoring.py``); they
differ in what they cost. numpy takes 70-100 ms to import, more than anything else a cold
``searcher query`` does, and then scores a posting list in one step; plain Python needs no
import, and spends a fraction of a microsecond on each posting. An index of at most
:data:`PLAIN_UP_TO` documents (paragraphs and release records) has so few postings that
plain Python answers a query, even warm, in about the time numpy does (the figures are in
``tests/benchmarks/perf.py --startup``'s notes in the README); a larger one is scored by
numpy, whose import then weighs little against the query.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whoosh.searching import Searcher

#: Indexes of at most this many documents are scored in plain Python.
PLAIN_UP_TO = 2_000
#: "plain" or "numpy": every index scored so, whatever its size (the tests compare the two);
#: None: chosen by :data:`PLAIN_UP_TO`.
FORCED: str | None = None


def uses_plain(searcher: Searcher) -> bool:
    """Is the index behind ``searcher`` scored in plain Python?"""
    if FORCED is not None:
        return FORCED == "plain"
    return searcher.get_parent().doc_count_all() <= PLAIN_UP_TO


def scorer(searcher: Searcher) -> ModuleType:
    """The scorer of ``searcher``'s index: a module with ``evaluate``, ``Matches``,
    ``one_per_release``, ``rank_releases`` and ``with_proximity``."""
    if uses_plain(searcher):
        from . import plain

        return plain
    from . import ranking

    return ranking
