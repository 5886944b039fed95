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

In a small index (at most :data:`.backend.LISTS_UP_TO` documents, scored without numpy),
a word's candidates of the right length, at most :data:`FEW` a segment, are measured with
Whoosh's own distance in Python, as its walk measures them: a few dozen cost less than
importing rapidfuzz (10-15 ms, a third of a bare interpreter's start), which a cold query
on a small index then never does. Otherwise rapidfuzz measures the whole list in one call.
Both give the same words (the tests compare them over the seeds' vocabularies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .backend import lists_for
from .cache import segment_id

#: At most this many words of the right length are measured in Python, not by rapidfuzz.
FEW = 100

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

    from .cache import IndexCache


class _Words:
    """A segment's words under a prefix, sized for the cache's byte budget."""

    __slots__ = ("nbytes", "words")

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.nbytes = sum(len(w) for w in words) + 56 * len(words)


class _Folded(_Words):
    """The same words folded: ``words`` the distinct folded forms, ``spelt`` each one's
    words as written."""

    __slots__ = ("spelt",)

    def __init__(self, words: tuple[str, ...], fold: Callable[[str], str]) -> None:
        spelt: dict[str, list[str]] = {}
        for w in words:
            spelt.setdefault(fold(w), []).append(w)
        super().__init__(tuple(spelt))
        self.spelt = spelt
        self.nbytes += 64 * len(spelt)


def words_within(cache: IndexCache, reader: IndexReader, fieldname: str, text: str,
                 maxdist: int, prefix: int, fold: Callable[[str], str] | None = None
                 ) -> list[str]:
    """The index's words in ``fieldname`` at most ``maxdist`` Damerau-Levenshtein edits from
    ``text`` sharing its first ``prefix`` letters, sorted (as ``reader.terms_within``). With
    ``fold`` (what a name's transliterations share, :func:`.querylang.variant_key`), a word
    is near also when its folded form is that close to ``text``'s: "Zelenksy", a swap away
    from "Zelensky", finds "Zelenskyy"."""
    start = text[:prefix]
    field = reader.schema[fieldname]
    found: set[str] = set()
    large = not lists_for(reader.doc_count_all())  # scored by numpy: rapidfuzz no burden
    for leaf, _ in reader.leaf_readers():
        segment = segment_id(leaf)
        if segment is None:  # an empty index's reader
            found.update(leaf.terms_within(fieldname, text, maxdist, prefix=prefix))
            continue
        key = ("words", segment, fieldname, start)
        words = cache.cached(key, lambda leaf=leaf: (_Words(tuple(
            field.from_bytes(b) for b in leaf.expand_prefix(fieldname, start))),))[0].words
        found.update(_near(words, text, maxdist, large))
        if fold is not None:
            folded = cache.cached(("folded", *key),
                                  lambda words=words: (_Folded(words, fold),))[0]
            for near in _near(folded.words, fold(text), maxdist, large):
                found.update(folded.spelt[near])
    return sorted(found)


def _near(words: Iterable[str], text: str, maxdist: int, large: bool) -> Iterable[str]:
    """Those of ``words`` at most ``maxdist`` edits from ``text``: measured in Python when
    they are few and the index is small, else by rapidfuzz over the whole list at once."""
    size = len(text)
    candidates = [w for w in words if abs(len(w) - size) <= maxdist]
    if not large and len(candidates) <= FEW:
        from whoosh.support.levenshtein import distance  # what Whoosh's walk measures with

        return (w for w in candidates if distance(w, text, limit=maxdist) <= maxdist)
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return (w for w, _, _ in process.extract(text, candidates, scorer=OSA.distance,
                                              score_cutoff=maxdist, limit=None))
