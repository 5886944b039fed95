"""Analysed fields -> Whoosh segments: a commit's postings inverted in memory, written term
by term, on every core.

Whoosh's writer sends each posting through a sorting pool (pickled to a run file one by one,
read back and heap-merged one by one) and then into its postings writer one call at a time:
most of a build's time. Here, as in Lucene, each term's postings gather in a list as
documents arrive; when the pool is full its terms go to a run file in term order, a whole
posting list per record; at the end the runs are merged term by term and each posting list
is cut into Whoosh's blocks a block at a time. The files are Whoosh's own (its codec writes
them); the tests hold them byte for byte to what Whoosh's writer makes of the same documents.
Filling a block means setting the private buffer of Whoosh 3's postings writer: one reason
the Whoosh distribution is pinned exactly, and what that test would catch if it changed.

A large commit is split into parts, each written to its own segment by a forked process,
and the segments join the index in the parent's one commit, as Whoosh's multiprocess writer
does, but without passing every document through the parent.
"""

from __future__ import annotations

import heapq
import marshal
import multiprocessing
import os
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, BinaryIO, TypeVar

from whoosh.fields import UnknownFieldError
from whoosh.writing import SegmentWriter

from .children import tie_to_parent

T = TypeVar("T")
#: One posting: (document number, weight, encoded value such as positions).
Posting = tuple[int, float, bytes]
#: What a posting costs in the pool: its 3-tuple and list slot (80 bytes, measured) and a
#: share of the values and numbers it holds. Sets how many postings make a pool full.
POSTING_BYTES = 110

_term_key = itemgetter(0, 1)
_docnum = itemgetter(0)
_RUN_RECORD = struct.Struct("<I")


class _InvertedPool:
    """A segment's postings, as ``{field: {term: [posting, ...]}}`` in memory and in sorted
    runs on disk once more than ``limitmb`` would be held."""

    def __init__(self, folder: str, limitmb: int):
        self._folder = folder
        self._limit = limitmb * 1024 * 1024 // POSTING_BYTES
        self._fields: dict[str, dict[bytes, list[Posting]]] = {}
        self._held = 0
        self._runs: list[BinaryIO] = []

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting, as Whoosh's pool takes it (when a merge copies a segment in)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_terms(fieldname, docnum, [(tbytes, 0, weight, vbytes or b"")])

    def add_terms(self, fieldname: str, docnum: int,
                  items: Iterable[tuple[bytes, int, float, bytes]]) -> int:
        """A document's terms in one field, as ``field.index()`` gives them; returns the
        field's length (the sum of the terms' frequencies)."""
        if not isinstance(items, list):
            items = list(items)
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        length = 0
        for tbytes, freq, weight, vbytes in items:
            length += freq
            postings = terms.get(tbytes)
            if postings is None:
                terms[tbytes] = [(docnum, weight, vbytes)]
            else:
                postings.append((docnum, weight, vbytes))
        self._held += len(items)
        if self._held > self._limit:
            self._save_run()
        return length

    def _in_memory(self) -> Iterator[tuple[str, bytes, list[Posting]]]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                yield fieldname, tbytes, terms[tbytes]

    def _save_run(self) -> None:
        # A nameless file beside the index: gone when closed, or when the process dies.
        run = tempfile.TemporaryFile(dir=self._folder)
        with open(run.fileno(), "wb", buffering=1 << 20, closefd=False) as out:
            for record in self._in_memory():
                data = marshal.dumps(record)
                out.write(_RUN_RECORD.pack(len(data)))
                out.write(data)
        self._runs.append(run)
        self._fields.clear()
        self._held = 0

    @staticmethod
    def _read_run(run: BinaryIO) -> Iterator[tuple[str, bytes, list[Posting]]]:
        # A small buffer: a writer merges dozens of runs at once at a million paragraphs.
        with open(run.fileno(), "rb", buffering=1 << 18, closefd=False) as source:
            source.seek(0)
            while header := source.read(_RUN_RECORD.size):
                (size,) = _RUN_RECORD.unpack(header)
                yield marshal.loads(source.read(size))

    def terms(self) -> Iterator[tuple[str, bytes, list[Posting]]]:
        """Every (field, term, postings) in field and term order, the postings of a term
        from all runs together."""
        if not self._runs:
            yield from self._in_memory()
            return
        # Runs hold ever later documents; merge takes equal terms in the sources' order.
        sources = [self._read_run(run) for run in self._runs] + [self._in_memory()]
        for key, group in groupby(heapq.merge(*sources, key=_term_key), key=_term_key):
            postings: list[Posting] = []
            for _, _, part in group:
                postings += part
            yield key[0], key[1], postings

    def cleanup(self) -> None:
        for run in self._runs:
            run.close()
        self._runs.clear()
        self._fields.clear()


def _write_postings(fieldwriter, schema, lengths_of, terms: Iterable[tuple]) -> None:
    """Each term's postings through Whoosh's postings writer, a block at a time: the writer's
    block buffer is filled whole and written by its own method, as ``add_posting`` does one
    posting at a time (a block's field-length bounds count only documents with a length)."""
    current = None
    for fieldname, tbytes, postings in terms:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            current, fieldobj = fieldname, schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            lengths = lengths_of(fieldname) if fieldobj.scorable else None
        fieldwriter.start_term(tbytes)
        writer = fieldwriter._postwriter
        size = writer._blocklimit
        postings.sort(key=_docnum)  # already in order, but a merge must not depend on it
        for start in range(0, len(postings), size):
            ids, weights, values = zip(*postings[start:start + size])
            writer._ids, writer._weights = array("I", ids), array("f", weights)
            writer._values = [v for v in values if v]
            writer._maxweight = max(0, max(weights))
            if lengths is not None:
                known = [n for n in map(lengths.__getitem__, ids) if n]
                writer._minlength = min(known) if known else None
                writer._maxlength = max(known) if known else 0
            if start + size < len(postings):
                writer._write_block()  # the last block is written by finish_term
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()


class SegmentBuilder(SegmentWriter):
    """Whoosh's ``SegmentWriter`` with the inverted pool: the same files, made faster.
    Fields with term vectors or separate spelling words are not supported."""

    def __init__(self, ix, limitmb: int = 64, parent: int | None = None, **kwargs: Any):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        #: In a forked writer, its parent's pid: it stops when the parent is gone (killed).
        self.parent = parent
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r}: term vectors and spelling words are not "
                                 "supported by this writer")
        self.pool = _InvertedPool(self._tempstorage.folder, limitmb)

    def add_document(self, **fields: Any) -> None:
        # Whoosh's add_document without boosts, vectors and spelling, which we never use,
        # and with a document's terms passed to the pool a field at a time.
        self._check_state()
        if self.parent is not None and os.getppid() != self.parent:
            os._exit(1)  # no one is left to commit this segment
        docnum, schema, perdoc = self.docnum, self.schema, self.perdocwriter
        add_terms = self.pool.add_terms
        try:  # each field looked up once (Whoosh's check looks each up twice more)
            named = [(name, schema[name]) for name in sorted(fields)]
        except KeyError as missing:
            raise UnknownFieldError(f"{missing.args[0]} in {schema}") from None
        perdoc.start_doc(docnum)
        try:
            for name, field in named:
                value = fields[name]
                if value is None:
                    continue
                length = 0
                if field.indexed:
                    length = add_terms(name, docnum, field.index(value))
                    if not field.scorable:
                        length = 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type,
                                            field.to_column_value(value))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        count = perdoc.doc_count_all()

        def lengths_of(fieldname: str) -> list[int]:
            length = perdoc.doc_field_length_reader(fieldname)
            return [length(n) or 0 for n in range(count)]

        try:
            _write_postings(self.fieldwriter, self.schema, lengths_of, self.pool.terms())
        finally:
            perdoc.close()
        self.fieldwriter.close()


def commit(ix, fill: Callable[[SegmentBuilder, int], T], parts: int = 1,
           delete: Iterable[tuple[str, str]] = (), limitmb: int = 64,
           tick: Callable[[], None] | None = None) -> list[T]:
    """One Whoosh commit to ``ix``: delete the ``delete`` terms' documents, then add what
    ``fill(writer, part)`` adds for each part, and return what each call returned.

    With more than one part, each is filled in a process of its own forked from this one
    (sharing its memory as it stands), which writes its own segment; the segments join the
    index together, or not at all. Existing small segments are merged as Whoosh does.
    ``tick`` is called about five times a second while forked parts write (for progress)."""
    writer = SegmentBuilder(ix, limitmb=limitmb, compound=False)
    try:
        for fieldname, text in delete:
            writer.delete_by_term(fieldname, text)
        if parts <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            # One process (or no fork, as on Windows): the parts one after another.
            results = [fill(writer, part) for part in range(max(parts, 1))]
            writer.commit()
            return results
        segments, results = _fork(ix, fill, parts, limitmb, tick)
        final = writer._merge_segments(None, None, None) + segments
        merged = _end_segment(writer)  # the merge may have copied small segments in
        writer._commit_toc(final + [merged] if merged else final)
        writer._finish()
        return results
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _end_segment(writer: SegmentBuilder):
    """The writer's new segment, written out, or None (and its files gone) if it got no
    documents."""
    if writer._added:
        return writer._finalize_segment()
    writer._close_segment()
    return None


def _fork(ix, fill: Callable[[SegmentBuilder, int], T], parts: int,
          limitmb: int, tick: Callable[[], None] | None = None) -> tuple[list, list[T]]:
    """Each part's (segment, result) from a forked writer, in order; the first failure stops
    the writers still at work and is raised."""
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    children = []
    for part in range(parts):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_fill_part, daemon=True,
                                args=(send, ix, fill, part, limitmb, os.getpid()))
        child.start()
        send.close()
        children.append((child, receive))
    pending = {receive: part for part, (_, receive) in enumerate(children)}
    done: dict[int, tuple[Any, T]] = {}
    failure: BaseException | None = None
    try:
        while pending and failure is None:
            ready = wait(list(pending), timeout=0.2 if tick else None)
            if tick:
                tick()
            for receive in ready:
                part = pending.pop(receive)
                try:
                    segment, result, failure = receive.recv()
                except EOFError:  # died without a word: killed, or out of memory
                    children[part][0].join()
                    failure = RuntimeError("an index writer process died (exit code "
                                           f"{children[part][0].exitcode})")
                if failure is not None:
                    break
                done[part] = (segment, result)
    finally:
        for child, receive in children:
            if pending:  # leaving early (a failure, or interrupted): the rest are no use
                child.kill()
            child.join()
            receive.close()
    if failure is not None:
        raise failure
    return ([done[part][0] for part in range(parts) if done[part][0] is not None],
            [done[part][1] for part in range(parts)])


def _fill_part(send, ix, fill: Callable[[SegmentBuilder, int], T], part: int,
               limitmb: int, parent: int) -> None:
    """In a forked process: one part's segment, reported as (segment, result, error)."""
    tie_to_parent(parent)
    try:
        writer = SegmentBuilder(ix, _lk=False, limitmb=limitmb, parent=parent, compound=False)
        result = fill(writer, part)
        # Not the writer's _finish(): the temporary folder is the parent's too.
        send.send((_end_segment(writer), result, None))
    except BaseException as exc:
        try:
            send.send((None, None, exc))
        except Exception:  # an exception that cannot be pickled
            send.send((None, None, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
        os._exit(0)
