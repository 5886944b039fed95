"""The index on disk: generations, manifest, lock, bookkeeping (Whoosh's files: :mod:`.mapped`).


An index directory holds generations, each a complete Whoosh index, and a ``CURRENT`` file
naming the one in use::

    index/
      CURRENT            -> "gen-20261123T101500.123456-1a2b3c"
      LOCK               held (flock) by the one process writing; holds its pid
      gen-20261123T101500.123456-1a2b3c/
        MAIN_*.toc, *.seg ...   Whoosh
        manifest.json           settings (format and analysis versions, the aliases file's
                                digest, the boilerplate rule), documents folder, fingerprint
        people.json             spellings and countries of each person seen (see ingest)
        boilerplate.json        paragraphs learned as boilerplate at the last full build
        sources.marshal         each release's file, hash, size and time, for the last commit
        slow.json               files too slow to parse, not read again unchanged (.slow)

Safety, by construction:

- A rebuild writes a new generation beside the old and swaps ``CURRENT`` by an atomic rename:
  readers see the old index or the new one; a killed rebuild leaves the old one as it was.
- An update changes the current generation in one Whoosh commit, which becomes visible by an
  atomic rename of Whoosh's table of contents: after a kill every release is in its old state
  or its new one, and the next run finds the same differences again and completes them.
- Writers take ``LOCK`` with ``flock``: the kernel frees it when its holder dies, so a killed
  run leaves no stale lock; a second writer waits (bounded) and then fails with a clear error.
"""

from __future__ import annotations

import errno
import hashlib
import json
import marshal
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any


from ..errors import IndexBusy, SearcherError
from ..ingest.corpus_settings import corpus_settings
from .analysis import ANALYSIS_VERSION
from .folder import State
from .mapped import MappedStorage

if TYPE_CHECKING:  # ingest is imported when an index is written, not to search
    from ..ingest.corpus import People

#: Bump when the index's layout or stored records change.
FORMAT_VERSION = 10  # 10: sentence boundaries stored, source_url
CURRENT, LOCK, MANIFEST, PEOPLE = "CURRENT", "LOCK", "manifest.json", "people.json"
BOILERPLATE, SOURCES = "boilerplate.json", "sources.marshal"
#: How long a writer waits for another to finish, by default (seconds).
DEFAULT_WAIT = 30.0

# -- files and locks --------------------------------------------------------------------------

def settings(aliases: str | None = None) -> dict[str, Any]:
    """What an index must have been written with to be read as it is: the code's format and
    analysis, and the corpus steps' settings (``aliases``: the aliases file in use, None for
    the shipped one; see :mod:`searcher.ingest.corpus_settings`)."""
    return {"format": FORMAT_VERSION, "analysis": ANALYSIS_VERSION, **corpus_settings(aliases)}


def current_generation(root: Path) -> Path | None:
    try:
        name = (root / CURRENT).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = root / name
    return gen if name and (gen / MANIFEST).is_file() else None


def write_atomic(path: Path, data: str | bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.urandom(16).hex()}.tmp")  # not uuid: 4 ms to import
    try:
        with open(tmp, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)  # a disk full must not be made fuller by the attempt
        if isinstance(exc, OSError):
            exc.filename = exc.filename or str(path)
        raise
    try:
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


#: Descriptors of the write locks this process holds: a child it forks closes its copies
#: (see :mod:`.children`), so that the lock ends with the process that took it.
_HELD: set[int] = set()


def release_inherited_locks() -> None:
    """In a forked child: close its copies of the parent's lock descriptors (never unlock
    them, which would unlock the parent's too: the lock belongs to the open file)."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


class WriteLock:
    """The index's single-writer lock: ``flock`` on ``LOCK``, waited for up to ``wait`` s.

    The kernel drops an ``flock`` when its holder dies, so a lock left by a killed process is
    free to take; its stale pid is only reported (``stale_pid``) and overwritten.
    """

    def __init__(self, root: Path, wait: float = DEFAULT_WAIT):
        self.path, self.wait = root / LOCK, wait
        self.stale_pid: int | None = None
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Not inherited by programs started from here (a child forked keeps it: see above).
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise IndexBusy(
                        f"{self.root_name}: another process (pid {holder}) is writing this index;"
                        f" waited {self.wait:g} s. Try again when it is done.") from None
                time.sleep(0.05)
        previous = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if previous.isdigit() and int(previous) != os.getpid():
            self.stale_pid = int(previous)  # released by the kernel at its holder's death
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        _HELD.add(fd)
        return self

    def notes(self) -> list[str]:
        if self.stale_pid is None:
            return []
        return [f"{self.path}: took over the lock of pid {self.stale_pid}, which had stopped"]

    @property
    def root_name(self) -> str:
        return str(self.path.parent)

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._fd is not None:
            _HELD.discard(self._fd)
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


#: Errors of writing that are the machine's, not searcher's: said in a line, with a remedy.
_NO_SPACE, _READ_ONLY = (errno.ENOSPC, errno.EDQUOT), (errno.EROFS, errno.EACCES, errno.EPERM)


@contextmanager
def writing(root: Path) -> Iterator[None]:
    """A full disk, a read-only file system or missing permissions met while writing the
    index in ``root``, as a :class:`SearcherError` naming the file and the index (the
    index is as its last commit left it: every write is undone or not yet visible)."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or root
        if exc.errno in _NO_SPACE:
            raise SearcherError(f"{where}: {exc.strerror.lower()} while writing the index in "
                                f"{root}; it is as it was before this run: free some space "
                                "and run again") from None
        if exc.errno in _READ_ONLY:
            why = "read-only file system" if exc.errno == errno.EROFS else "permission denied"
            raise SearcherError(f"{where}: {why}: the index in {root} cannot be written "
                                "(it can still be searched)") from None
        raise


def remove_uncommitted(gen: Path) -> None:
    """Under the write lock: remove the files of segments no commit of ``gen`` names (a
    commit that failed or was killed while writing them) and Whoosh's temporary folders.
    Whoosh removes them at its next commit; a full disk needs them gone before it, or the
    retry fails for want of the space they hold."""
    from whoosh.index import TOC, clean_files

    try:
        storage = MappedStorage(str(gen))
        latest = TOC._latest_generation(storage, "MAIN")
        if latest >= 0:
            toc = TOC.read(storage, "MAIN", latest)
            clean_files(storage, "MAIN", latest, toc.segments)
        for tmp in gen.glob("*.tmp"):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
    except Exception:  # noqa: BLE001 - unreadable (a TOC of another version names modules
        pass           # that are gone): left as it is, for Whoosh or the rebuild


def open_whoosh(gen: Path):
    """The Whoosh index in ``gen``."""
    return MappedStorage(str(gen)).open_index()


def retrying(opening: Callable[[], Any]) -> Any:
    """``opening()``, again if a commit in another process deleted the table of contents
    Whoosh had just chosen to read (as Whoosh's own reader() does)."""
    for attempt in range(50):
        try:
            return opening()
        except FileNotFoundError:
            if attempt == 49:
                raise
            time.sleep(0.02)


def open_searcher(ix, weighting):
    """A searcher of the index's latest commit holding every file of its segments open.

    Whoosh opens a segment's column files (lengths, stored fields, facets) when first read,
    and a commit that merges the segment away deletes them: so they are all opened here, and
    the searcher is kept only if no commit came meanwhile (files go after the commit that
    drops them). A table of contents deleted under Whoosh's feet is tried again too."""
    for attempt in range(50):
        searcher = None
        try:
            searcher = ix.searcher(weighting=weighting)
            _open_columns(searcher)
            if attempt == 49 or searcher.up_to_date():
                return searcher
        except (OSError, TypeError):  # a file gone (Whoosh reads a missing column as None)
            if attempt == 49:
                raise
        if searcher is not None:
            searcher.close()
        time.sleep(0.01)
    raise AssertionError("unreachable")


def _open_columns(searcher) -> None:
    for leaf, _ in searcher.leaf_searchers():
        reader, schema = leaf.reader(), leaf.schema
        if not reader.doc_count_all():
            continue  # an empty index
        reader.stored_fields(0)
        for name in schema.names():
            if schema[name].scorable:
                reader.doc_field_length(0, name)
            if schema[name].column_type:
                reader.column_reader(name)


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return default


def read_marshal(path: Path, default: Any) -> Any:
    try:
        return marshal.loads(path.read_bytes())
    except Exception:  # missing, cut short or garbled: what it saves is read another way
        return default


def file_key(path: Path) -> tuple[int, ...] | None:
    """What tells a file replaced or changed from the one read before."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def read_people(gen: Path) -> People:
    return read_json(gen / PEOPLE, {})


def write_bookkeeping(gen: Path, documents: Path | None, state: State | None,
                       people: People | None, sources: dict[str, dict[str, Any]] | None,
                       manifest: dict[str, Any] | None = None,
                       aliases: str | None = None) -> None:
    """After a commit: the people and sources files, then the manifest. ``sources`` (every
    indexed release's source record) is marked with the commit it describes: an update that
    ran before a run was killed between commit and here reads the release records instead.
    No ``sources``: nothing changed, and the counts are the last ``manifest``'s. The
    manifest records the :func:`settings` the releases were written with (``aliases``: the
    aliases file), and what the last full build learned as boilerplate."""
    if people is not None:
        write_atomic(gen / PEOPLE, json.dumps(people, ensure_ascii=False))
    if sources is not None:
        ix = open_whoosh(gen)
        commit = ix.latest_generation()
        # Counted from the table of contents: opening the segments to count would read them.
        counts = {"releases": len(sources), "paragraphs": sum(
            segment.doc_count() for segment in ix._segments()) - len(sources)}
        ix.close()
        # Written whole at every update: 10,000 records take 1.6 ms with marshal, 10-14 ms
        # as JSON or a pickle. (Not a format to keep: one a later Python cannot read is
        # ignored, and the sources read from the release records.)
        write_atomic(gen / SOURCES, marshal.dumps({"commit": commit, "sources": sources}))
    else:
        counts = {key: (manifest or {}).get(key) for key in ("releases", "paragraphs")}
    learned = read_json(gen / BOILERPLATE, [])
    manifest = {**settings(aliases), "aliases_file": str(Path(aliases).resolve()) if aliases
                else None, "boilerplate_learned": {
                    "paragraphs": len(learned), "digest": hashlib.sha256(json.dumps(
                        learned, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]},
                "documents": str(documents.resolve()) if documents else None,
                **(state or {"fingerprint": None, "folders": {}}),
                "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **counts}
    write_atomic(gen / MANIFEST, json.dumps(manifest, indent=2))


def remove_old_generations(root: Path, keep: str | None) -> None:
    """Under the write lock: remove what no reader needs, and what killed runs left.

    ``keep`` is the generation in use (``None``: the one ``CURRENT`` names, if any). Of the
    generations made before it, the newest complete one stays, so that a process that
    opened it just before the swap can still read files it has not opened yet; older ones
    go. So do those without a manifest (a build killed before it was done) and complete
    ones made after ``keep`` (a build killed before it swapped ``CURRENT``: no reader ever
    opened them), and the temporary files of writes a kill cut short."""
    if not root.is_dir():
        return
    if keep is None:
        current = current_generation(root)
        keep = current.name if current is not None else ""
    def made(name: str) -> str:  # "20261123T101500.123456" (to the second, made before)
        return name[4:].rpartition("-")[0]

    gens = sorted((c for c in root.iterdir() if c.is_dir() and c.name.startswith("gen-")
                   and c.name != keep), key=lambda c: made(c.name))
    complete = [g for g in gens if (g / MANIFEST).is_file()]
    older = [g for g in complete if made(g.name) < made(keep)]
    for child in [g for g in gens if g not in older] + older[:-1]:
        shutil.rmtree(child, ignore_errors=True)
    for folder in (root, root / keep) if keep else (root,):
        for tmp in folder.glob(".*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass
    if keep and (root / keep).is_dir():
        remove_uncommitted(root / keep)
