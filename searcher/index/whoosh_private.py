"""The private Whoosh names searcher uses, in one place: what to check in a new whoosh3.

Whoosh offers no public way to do four things searcher needs: read a posting list or a
column whole (rather than a posting at a time), fill its postings writer a block at a time,
join segments written by other processes into one commit, and read its files through
memory maps. So searcher reaches into Whoosh 3's private attributes and methods, listed
below with where and why. ``whoosh3`` is pinned exactly (:data:`PINNED`, as in
``pyproject.toml``); ``tests/test_whoosh_private.py`` fails, naming every name missing,
when another version is installed or one of these names is gone. Porting to a new release
means going through this list (and ``tests/test_segments.py``, which holds the segment
files byte for byte to what Whoosh's own writer makes).

Where nothing is known to replace a private name, the code raises
:class:`~searcher.errors.InternalError` rather than falling back to a slower public way
(see :mod:`searcher.search.reading`): a silent fallback would hide the port.

======================================================  ======================================
Whoosh class and private name                           used in, for
======================================================  ======================================
``index.FileIndex._segments()``                         index/store.py: count the documents
                                                        from the table of contents alone
``index.TOC._latest_generation()``                      index/store.py: the last commit, to
                                                        remove what a failed one left
``filedb.filestore.FileStorage._fpath()``               index/mapped.py: a file's path, to
                                                        map it (``MappedStorage``)
``filedb.structfile.BufferFile._buf``, ``._name``       index/mapped.py: a mapped file served
                                                        as Whoosh's in-memory file
``writing.SegmentWriter`` ``_lk`` (its argument),       index/segments.py: the fast writer
``._tempstorage``, ``._added``, ``._check_state()``,    (``SegmentBuilder``), its forked
``._flush_segment()`` (overridden),                     parts, and one commit of the
``._merge_segments()``, ``._commit_toc()``,             segments they wrote
``._finish()``, ``._finalize_segment()``,
``._close_segment()``
``codec.whoosh3.W3FieldWriter._postwriter``             index/segments.py: its postings
``codec.whoosh3.W3PostingsWriter._blocklimit``,         writer's block buffer, filled a
``._ids``, ``._weights``, ``._values``,                 block at a time
``._maxweight``, ``._minlength``, ``._maxlength``,
``._write_block()``
``reading.SegmentReader._terms``, ``._perdoc``          search/reading.py: a segment's term
                                                        and per-document readers
``codec.whoosh3.W3PerDocReader._colfiles``,             search/reading.py: a column's bytes
``._get_column_file()``                                 whole (field lengths, release numbers)
``codec.whoosh3.W3LeafMatcher._read_ids()``,            search/reading.py: a posting list
``._read_weights()``, ``._read_values()``,              read block by block
``._next_block()``, ``._ids``, ``._weights``,
``._values``
``query.terms.MultiTerm._btexts()``                     search/scoring.py: the words
                                                        a prefix, wildcard, fuzzy word or range
                                                        stands for
``query.ranges.NumericRange._compile_query()``          search/scoring.py: a date
                                                        range as the terms it stands for
``query.compound.Or._matcher()`` (overridden)           search/minmatch.py: Whoosh's matcher
                                                        for minimum should match
======================================================  ======================================

Public Whoosh classes the code tells apart by type: ``codec.whoosh3.W3LeafMatcher`` and
``matching.ListMatcher`` (a term in a single document has its postings inlined).
"""

from __future__ import annotations

#: The whoosh3 release these names were checked against: ``pyproject.toml`` pins it.
PINNED = "3.54.0"

#: Whoosh class (dotted path) -> the private names of it (or of its instances) searcher uses.
#: A name ending in "=" is a keyword argument of the class's constructor.
PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    "whoosh.index.FileIndex": ("_segments",),
    "whoosh.index.TOC": ("_latest_generation",),
    "whoosh.filedb.filestore.FileStorage": ("_fpath",),
    "whoosh.filedb.structfile.BufferFile": ("_buf", "_name"),
    "whoosh.writing.SegmentWriter": (
        "_lk=", "_tempstorage", "_added", "_check_state", "_flush_segment", "_merge_segments",
        "_commit_toc", "_finish", "_finalize_segment", "_close_segment"),
    "whoosh.codec.whoosh3.W3FieldWriter": ("_postwriter",),
    "whoosh.codec.whoosh3.W3PostingsWriter": (
        "_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_minlength", "_maxlength",
        "_write_block"),
    "whoosh.reading.SegmentReader": ("_terms", "_perdoc"),
    "whoosh.codec.whoosh3.W3PerDocReader": ("_colfiles", "_get_column_file"),
    "whoosh.codec.whoosh3.W3LeafMatcher": (
        "_read_ids", "_read_weights", "_read_values", "_next_block", "_ids", "_weights",
        "_values"),
    "whoosh.query.terms.MultiTerm": ("_btexts",),
    "whoosh.query.ranges.NumericRange": ("_compile_query",),
    "whoosh.query.compound.Or": ("_matcher",),
}
