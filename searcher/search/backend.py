"""Which arrays the scorer computes with for a searcher's index: numpy's, or plain Python
lists (:mod:`.lists`), by the index's size.

There is one scorer (:mod:`.scoring`, :mod:`.ranking`), written against an array namespace;
this chooses the namespace. Both give the same scores to the last bit
(``tests/test_list_scoring.py``); they differ in what they cost. numpy takes 70-100 ms to
import, more than anything else a cold ``searcher query`` does, and then scores a posting
list in one step; lists need no import, and cost a fraction of a microsecond a posting. An
index of at most :data:`LISTS_UP_TO` documents (paragraphs and release records) has so few
postings that lists answer a query, even warm, in about the time numpy does (the figures
are in ``tests/benchmarks/perf.py --startup``'s notes in the README); a larger one is
scored over numpy, whose import then weighs little against the query.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whoosh.searching import Searcher

#: Indexes of at most this many documents are scored over lists.
LISTS_UP_TO = 2_000
#: "lists" or "numpy": every index scored so, whatever its size (the tests compare the two);
#: None: chosen by :data:`LISTS_UP_TO`.
FORCED: str | None = None


def uses_lists(searcher: Searcher) -> bool:
    """Is the index behind ``searcher`` scored over plain Python lists?"""
    return lists_for(searcher.get_parent().doc_count_all())


def lists_for(documents: int) -> bool:
    """Is an index of ``documents`` documents scored over plain Python lists?"""
    if FORCED is not None:
        return FORCED == "lists"
    return documents <= LISTS_UP_TO


def namespace(searcher: Searcher) -> ModuleType:
    """The array namespace ``searcher``'s index is scored with: numpy, or :mod:`.lists`."""
    if uses_lists(searcher):
        from . import lists

        return lists
    import numpy

    return numpy
