"""Spellings near a word (typo tolerance, a name's transliterations), from each segment's
word list under a prefix, read once and kept in the index's cache.

Whoosh's ``terms_within`` walks the word list under the prefix for every word of every
query (milliseconds a word: its keys are decoded one by one) and measures each word's edit
distance in Python; here the walk is done once per segment, field and prefix, words whose
length alone puts them too far are skipped, and the distance is measured in C++
(rapidfuzz's optimal string alignment: Whoosh's Damerau-Levenshtein, 80 times faster). The
words found are those of Whoosh's walk over several segments, in the same order. (A
one-segment reader's ``terms_within`` runs an automaton that counts a swap of two letters
as two edits; here a swap is one, whatever the segments.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

    from .cache import IndexCache


class _Words:
    """A segment's words under a prefix, sized for the cache's byte budget."""

    __slots__ = ("nbytes", "words")

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.nbytes = sum(len(w) for w in words) + 56 * len(words)


def words_within(cache: IndexCache, reader: IndexReader, fieldname: str, text: str,
                 maxdist: int, prefix: int) -> list[str]:
    """The index's words in ``fieldname`` at most ``maxdist`` Damerau-Levenshtein edits from
    ``text`` sharing its first ``prefix`` letters, sorted (as ``reader.terms_within``)."""
    from rapidfuzz.distance import OSA

    start, size = text[:prefix], len(text)
    field = reader.schema[fieldname]
    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        if segment is None:  # an empty index's reader
            found.update(leaf.terms_within(fieldname, text, maxdist, prefix=prefix))
            continue
        key = ("words", segment.segment_id(), fieldname, start)
        words = cache.cached(key, lambda leaf=leaf: (_Words(tuple(
            field.from_bytes(b) for b in leaf.expand_prefix(fieldname, start))),))[0].words
        found.update(w for w in words if abs(len(w) - size) <= maxdist
                     and OSA.distance(w, text, score_cutoff=maxdist) <= maxdist)
    return sorted(found)
