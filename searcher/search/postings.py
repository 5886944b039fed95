"""Whoosh's stored postings and columns -> numpy arrays, read whole rather than one by one.

Whoosh's matchers hand out a posting at a time; here a term's posting list is read block by
block from Whoosh 3's codec (:class:`~whoosh.codec.whoosh3.W3LeafMatcher`'s buffers), or,
for a term in a single document, from the postings Whoosh inlines in the term's info
(a :class:`~whoosh.matching.ListMatcher`). Anything else is not a Whoosh 3 index as this
module knows it and raises :class:`~searcher.errors.InternalError`: there is no slower,
general way behind it. The private Whoosh names read here are listed, with the others, in
:mod:`searcher.index.whoosh_private`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InternalError

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)


def _length_table() -> np.ndarray:
    from whoosh.util.numeric import byte_to_length

    return np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


#: Whoosh's one-byte field length -> the length it stands for.
LENGTHS = _length_table()


def postings(reader: IndexReader, fieldname: str, btext: bytes,
             values: bool = False) -> tuple[np.ndarray, np.ndarray, list[bytes] | None]:
    """A term's postings in one segment, deleted documents included: (doc numbers, weights,
    encoded values if asked)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching import ListMatcher

    if (fieldname, btext) not in reader:
        return EMPTY_DOCS, EMPTY_SCORES, [] if values else None
    m = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    ids: list[int] = []
    weights: list[float] = []
    vals: list[bytes] | None = [] if values else None
    if type(m) is W3LeafMatcher:
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            if vals is not None:
                m._read_values()
                vals.extend(m._values)
            m._next_block()
    elif type(m) is ListMatcher:  # a term in one document: its postings inlined
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if vals is not None:
                vals.append(m.value())
            m.next()
    else:
        raise InternalError(f"postings of {fieldname}:{btext!r} come as a "
                            f"{type(m).__module__}.{type(m).__name__}, which searcher cannot "
                            "read (not Whoosh 3's codec: see searcher.index.whoosh_private)")
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), vals


def column(reader: IndexReader, fieldname: str, dtype: str, doccount: int) -> np.ndarray:
    """A fixed-width column (a field's lengths, a numeric column) of one segment as an array,
    documents past its end given 0."""
    perdoc = reader._perdoc
    out = np.zeros(doccount, dtype=np.dtype(dtype).newbyteorder("="))
    if not perdoc.has_column(fieldname):
        return out
    if fieldname not in perdoc._colfiles:  # Whoosh's own cache: closed with the reader
        perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
    colfile, offset, length = perdoc._colfiles[fieldname]
    data = np.frombuffer(colfile.get(offset, length), dtype=dtype)[:doccount]
    out[: len(data)] = data
    return out


def has_segment_files(reader: IndexReader) -> bool:
    """Whether ``reader`` reads a segment's files (an empty index's reader reads none)."""
    return hasattr(reader, "_perdoc")


def in_order(positions: list[list[int]], slop: int) -> bool:
    """Whether some position of each word follows the previous word's within ``slop``."""
    starts = set(positions[0])
    for following in positions[1:]:
        nxt = set()
        for p in following:
            if any(p - d in starts for d in range(1, slop + 1)):
                nxt.add(p)
        if not nxt:
            return False
        starts = nxt
    return True


def phrase_postings(reader: IndexReader, fieldname: str, btexts: list[bytes], slop: int,
                    ids_of: Callable[[bytes], np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The documents of one segment holding the phrase, and each word's weights there;
    ``ids_of(word)``: the documents holding the word (as cached)."""
    common = None
    for btext in btexts:
        ids = ids_of(btext)
        common = ids if common is None else np.intersect1d(common, ids, assume_unique=True)
        if not len(common):
            return EMPTY_DOCS, [EMPTY_SCORES for _ in btexts]
    lists = [postings(reader, fieldname, b, values=True) for b in btexts]
    where = [np.searchsorted(ids, common) for ids, _, _ in lists]
    decode = reader.schema[fieldname].format.decode_positions
    verdicts: dict[tuple[bytes, ...], bool] = {}  # a title repeats in each of its paragraphs
    keep = np.zeros(len(common), dtype=bool)
    for i in range(len(common)):
        values = tuple(vals[w[i]] for (_, _, vals), w in zip(lists, where))
        verdict = verdicts.get(values)
        if verdict is None:
            verdict = verdicts[values] = in_order([decode(v) for v in values], slop)
        keep[i] = verdict
    return common[keep], [weights[w[keep]] for (_, weights, _), w in zip(lists, where)]
