"""Whoosh's stored postings and columns as Python lists and bytes.

The scorer reads the index through here, and :mod:`.postings` makes arrays of what it
returns (numpy's, or :mod:`.lists` for a small index). A term's posting list is
read block by block from Whoosh 3's codec (:class:`~whoosh.codec.whoosh3.W3LeafMatcher`'s
buffers), or, for a term in a single document, from the postings Whoosh inlines in the
term's info (a :class:`~whoosh.matching.ListMatcher`). Anything else is not a Whoosh 3 index
as this module knows it and raises :class:`~searcher.errors.InternalError`: there is no
slower, general way behind it. The private Whoosh names read here are listed, with the
others, in :mod:`searcher.index.whoosh_private`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InternalError

if TYPE_CHECKING:
    from whoosh.reading import IndexReader


def length_table() -> list[float]:
    """Whoosh's one-byte field length -> the length it stands for."""
    from whoosh.util.numeric import byte_to_length

    return [float(byte_to_length(b)) for b in range(256)]


def posting_lists(reader: IndexReader, fieldname: str, btext: bytes, values: bool = False
                  ) -> tuple[list[int], list[float], list[bytes] | None]:
    """A term's postings in one segment, deleted documents included: (doc numbers, ascending;
    weights; encoded values if asked)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching import ListMatcher

    ids: list[int] = []
    weights: list[float] = []
    vals: list[bytes] | None = [] if values else None
    if (fieldname, btext) not in reader:
        return ids, weights, vals
    m = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
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
    return ids, weights, vals


def column_bytes(reader: IndexReader, fieldname: str):
    """The bytes of a fixed-width column (a field's lengths, a numeric column) of one
    segment, as Whoosh stored them (a buffer), or None if the segment has no such column."""
    perdoc = reader._perdoc
    if not perdoc.has_column(fieldname):
        return None
    if fieldname not in perdoc._colfiles:  # Whoosh's own cache: closed with the reader
        perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
    colfile, offset, length = perdoc._colfiles[fieldname]
    return colfile.get(offset, length)


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
