"""Whoosh's stored postings and columns -> arrays of the scorer's namespace (numpy's or
:mod:`.lists`), read whole rather than one by one.

What is read, and how, is :mod:`.reading`'s; here it becomes arrays. ``xp`` is the array
namespace (:func:`.backend.namespace`); numpy when not given.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .reading import column_bytes, in_order, length_table, posting_lists

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

__all__ = ["column", "lengths_of", "phrase_postings", "postings"]

_LENGTHS: dict[str, Any] = {}


def _numpy_if_none(xp: ModuleType | None) -> ModuleType:
    if xp is None:
        import numpy as xp
    return xp


def lengths_of(xp: ModuleType) -> Any:
    """Whoosh's one-byte field length -> the length it stands for, as an array of ``xp``."""
    found = _LENGTHS.get(xp.__name__)
    if found is None:
        found = _LENGTHS[xp.__name__] = xp.asarray(length_table(), dtype=xp.float64)
    return found


def postings(reader: IndexReader, fieldname: str, btext: bytes, values: bool = False,
             xp: ModuleType | None = None) -> tuple[Any, Any, list[bytes] | None]:
    """A term's postings in one segment, deleted documents included: (doc numbers, weights,
    encoded values if asked)."""
    xp = _numpy_if_none(xp)
    ids, weights, vals = posting_lists(reader, fieldname, btext, values)
    return xp.asarray(ids, dtype=xp.int64), xp.asarray(weights, dtype=xp.float64), vals


def column(reader: IndexReader, fieldname: str, dtype: str, doccount: int,
           xp: ModuleType) -> Any:
    """A fixed-width column of one segment (``"u1"``: a field's lengths, ``">i8"``: a
    numeric column) as an array, documents past its end given 0."""
    out = xp.zeros(doccount, dtype=xp.uint8 if dtype == "u1" else xp.int64)
    data = column_bytes(reader, fieldname)
    if data is None:
        return out
    values = xp.frombuffer(data, dtype=dtype)[:doccount]
    out[: len(values)] = values
    return out


def phrase_postings(reader: IndexReader, fieldname: str, btexts: list[bytes], slop: int,
                    ids_of: Callable[[bytes], Any], xp: ModuleType) -> tuple[Any, list[Any]]:
    """The documents of one segment holding the phrase, and each word's weights there;
    ``ids_of(word)``: the documents holding the word (as cached)."""
    common = None
    for btext in btexts:
        ids = ids_of(btext)
        common = ids if common is None else xp.intersect1d(common, ids, assume_unique=True)
        if not len(common):
            return common, [xp.zeros(0) for _ in btexts]
    lists = [postings(reader, fieldname, b, values=True, xp=xp) for b in btexts]
    where = [xp.searchsorted(ids, common) for ids, _, _ in lists]
    decode = reader.schema[fieldname].format.decode_positions
    verdicts: dict[tuple[bytes, ...], bool] = {}  # a title repeats in each of its paragraphs
    keep = xp.zeros(len(common), dtype=xp.bool_)
    for i in range(len(common)):
        values = tuple(vals[w[i]] for (_, _, vals), w in zip(lists, where))
        verdict = verdicts.get(values)
        if verdict is None:
            verdict = verdicts[values] = in_order([decode(v) for v in values], slop)
        keep[i] = verdict
    return common[keep], [weights[w[keep]] for (_, weights, _), w in zip(lists, where)]
