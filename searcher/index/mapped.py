"""Whoosh's files on memory-mapped storage: a read position per thread, writes that name
their file when the disk refuses them.

Whoosh's own ``FileStorage`` reads through file objects with one position each; mapped
files shared by threads need a position per thread (:class:`_Cursor`), or one thread's
seek moves another's read.
"""

from __future__ import annotations

import mmap
import os
import struct
import threading

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

_INT = struct.Struct("!i")  # Whoosh's int


class _Cursor(threading.local):
    """A read position in a mapped file, each thread's own (a ``threading.local``: its
    ``pos`` is per thread), for Whoosh's sequential reads (``seek``, ``read``, ``tell``,
    ``read_pickle``; see :class:`_MappedFile`)."""

    def __init__(self, buf: memoryview, mapped: mmap.mmap):
        self._buf, self._mmap, self.pos = buf, mapped, 0

    def read(self, size: int | None = -1) -> bytes:
        start = self.pos
        data = self._buf[start:] if size is None or size < 0 else self._buf[start:start + size]
        self.pos = start + len(data)
        return data.tobytes()

    def readinto(self, into) -> int:
        data = self.read(len(into))
        into[:len(data)] = data
        return len(data)

    def peek(self, size: int = 0) -> bytes:
        # What pickle's loader reads ahead of a load, then skips as far as it used (without
        # it, it reads opcode by opcode: twenty calls a block header). Kept short: headers
        # are tens of bytes, and pickle asks for 128 KB.
        return self._buf[self.pos:self.pos + 512].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        start, total = self.pos, len(self._buf)
        end = total if size is None or size < 0 else min(total, start + size)
        newline = self._mmap.find(b"\n", start, end)
        return self.read((end if newline < 0 else newline + 1) - start)

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 1:
            offset += self.pos
        elif whence == 2:
            offset += len(self._buf)
        self.pos = offset if offset > 0 else 0
        return self.pos

    def tell(self) -> int:
        return self.pos


class _MappedFile(BufferFile):
    """A file read through a memory map, never copied. (Whoosh's ``BufferFile`` copies its
    buffer into a ``BytesIO``, and its compound segment files do so for every file of a
    segment on opening: 1.5 GB at a million paragraphs.)

    Threads share it: reads by position (``get``) hold no state, and Whoosh's sequential
    reads (a postings block is ``seek``, ``read_int``, ``read_pickle``, ``tell``) go through
    a position of the calling thread's own. One position for all, as the map's own, had
    threads reading each other's blocks: ``CorruptIndexError``, ``EOFError``, ``IndexError``
    and wrong postings, on an index that had not changed."""

    def __init__(self, mapped: mmap.mmap, name: str):
        self._mmap, self._buf, self._name = mapped, memoryview(mapped), name
        self.file = _Cursor(self._buf, mapped)  # what StructFile's other reads use
        self.onclose, self.is_real, self.is_closed = None, False, False

    # What reading a postings block calls, each in one step rather than through the file
    # (which made a block's read 1.15x what it was with the map's own position).

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.pos

    def read(self, size: int | None = -1) -> bytes:
        return self.file.read(size)

    def read_int(self) -> int:
        cursor = self.file
        pos = cursor.pos
        cursor.pos = pos + 4
        return _INT.unpack_from(self._buf, pos)[0]

    def close(self) -> None:
        if not self.is_closed:
            self.is_closed = True
            try:
                self._buf.release()
                self._mmap.close()
            except BufferError:  # a view of it still held: the collector closes it later
                pass


class _NamedWrites(FileStorage):
    """Whoosh's file storage, whose files' write errors name them (see :class:`_WriteFile`),
    its temporary storage too (where Whoosh writes a segment's columns first)."""

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        made = FileStorage.create_file(self, name, excl=excl, mode=mode, **kwargs)
        written = _WriteFile(made.file, name=name, onclose=made.onclose)
        written.path = self._fpath(name)
        return written

    def temp_storage(self, name=None):
        from whoosh.util import random_name

        path = os.path.join(self.folder, name or f"{random_name()}.tmp")
        return _NamedWrites(path).create()


class MappedStorage(FileStorage):
    """Whoosh's file storage, its files read through memory maps (see :class:`_MappedFile`).
    Segments are written as separate files, not as Whoosh's compound file (which is read
    through a copy).

    A file it has opened goes on existing for it: Whoosh asks the disk whether a segment
    has a column at every read, and a commit in another index object that merged the
    segment away has deleted the file this one still holds open (names are never reused)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._opened: set[str] = set()

    def open_file(self, name, **kwargs):
        with open(self._fpath(name), "rb") as fh:
            self._opened.add(name)
            if os.fstat(fh.fileno()).st_size == 0:  # an empty file cannot be mapped
                return BufferFile(b"", name=name)
            return _MappedFile(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), name)

    def file_exists(self, name):
        return name in self._opened or super().file_exists(name)

    create_file = _NamedWrites.create_file
    temp_storage = _NamedWrites.temp_storage


class _WriteFile(StructFile):
    """A file Whoosh writes, whose errors say which file: a full disk's "No space left on
    device" comes without a name from ``write``. (Overriding StructFile's own methods, not
    wrapping the file object: no call more on the way of every write.)"""

    path = ""

    def write(self, *args):
        try:
            return self.file.write(*args)
        except OSError as exc:
            raise _named(exc, self.path) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise _named(exc, self.path) from None

    def close(self) -> None:
        try:
            super().close()
        except OSError as exc:
            raise _named(exc, self.path) from None


def _named(exc: OSError, filename: str) -> OSError:
    if exc.filename is None:
        exc.filename = filename
    return exc
