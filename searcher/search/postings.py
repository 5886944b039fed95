"""Whoosh's stored postings and columns -> numpy arrays, read whole rather than one by one.

What is read, and how, is :mod:`.reading`'s (shared with the plain-Python scorer of small
indexes, :mod:`.plain`); here it becomes arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .reading import column_bytes, has_segment_files, in_order, length_table, posting_lists

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

__all__ = ["EMPTY_DOCS", "EMPTY_SCORES", "LENGTHS", "column", "has_segment_files", "in_order",
           "phrase_postings", "postings"]

EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)

#: Whoosh's one-byte field length -> the length it stands for.
LENGTHS = np.array(length_table(), dtype=np.float64)


def postings(reader: IndexReader, fieldname: str, btext: bytes,
             values: bool = False) -> tuple[np.ndarray, np.ndarray, list[bytes] | None]:
    """A term's postings in one segment, deleted documents included: (doc numbers, weights,
    encoded values if asked)."""
    ids, weights, vals = posting_lists(reader, fieldname, btext, values)
    if not ids:
        return EMPTY_DOCS, EMPTY_SCORES, vals
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), vals


def column(reader: IndexReader, fieldname: str, dtype: str, doccount: int) -> np.ndarray:
    """A fixed-width column (a field's lengths, a numeric column) of one segment as an array,
    documents past its end given 0."""
    out = np.zeros(doccount, dtype=np.dtype(dtype).newbyteorder("="))
    data = column_bytes(reader, fieldname)
    if data is None:
        return out
    values = np.frombuffer(data, dtype=dtype)[:doccount]
    out[: len(values)] = values
    return out


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
