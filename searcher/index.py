"""Releases -> Whoosh index on disk: build, update, open, lock.

An index directory holds generations, each a complete Whoosh index, and a ``CURRENT`` file
naming the one in use::

    index/
      CURRENT            -> "gen-20261123T101500-1a2b3c"
      LOCK               held (flock) by the one process writing; holds its pid
      gen-20261123T101500-1a2b3c/
        MAIN_*.toc, *.seg ...   Whoosh
        manifest.json           format and analysis versions, documents folder and fingerprint
        people.json             spellings and countries of each person seen (see ingest)
        boilerplate.json        paragraphs learned as boilerplate at the last full build
        sources.marshal         each release's file, hash, size and time, for the last commit

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

import gc
import json
import marshal
import mmap
import os
import pickle
import shutil
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from . import schema as fields
from . import segments
from .analysis import ANALYSIS_VERSION
from .errors import IndexBusy, IndexMissing, ReadError, SearcherError
from .ingest import (
    People,
    boilerplate_candidates,
    content_hash,
    drop_boilerplate,
    fingerprint,
    folders_changed,
    learn_boilerplate,
    parse_file,
    release_ids,
    scan,
    unify_people,
)
from .readers import MAX_BYTES
from .releases import Participant, Release

#: Bump when the index's layout or stored records change.
FORMAT_VERSION = 8
CURRENT, LOCK, MANIFEST, PEOPLE = "CURRENT", "LOCK", "manifest.json", "people.json"
BOILERPLATE, SOURCES = "boilerplate.json", "sources.marshal"
#: How long a writer waits for another to finish, by default (seconds).
DEFAULT_WAIT = 30.0

#: Called as ``progress(done, total)`` while files are read.
Progress = Callable[[int, int], None]


@dataclass
class IndexReport:
    """What an index run did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[ReadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    paragraphs: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added, "changed": self.changed, "removed": self.removed,
            "unchanged": self.unchanged, "failed": len(self.failed),
            "errors": [{"path": e.path, "reason": e.reason} for e in self.failed],
            "warnings": list(self.warnings), "paragraphs": self.paragraphs,
            "rebuilt": self.rebuilt, "seconds": round(self.seconds, 3),
        }


# -- files and locks --------------------------------------------------------------------------

def _settings() -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "analysis": ANALYSIS_VERSION}


def _current(root: Path) -> Path | None:
    try:
        name = (root / CURRENT).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = root / name
    return gen if name and (gen / MANIFEST).is_file() else None


def _write_atomic(path: Path, data: str | bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


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
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
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
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# -- reading release files ----------------------------------------------------------------------

@dataclass(slots=True)
class _Stub:
    """What the corpus-wide steps need of a release waiting to be written: a Release each
    would take 0.12 GB more at a million paragraphs."""

    id: str
    participants: list[Participant]


@dataclass(slots=True)
class _Parsed:
    """A release read from its file. Parsed in a worker, it travels compressed (``packed``)
    and waits in a build's spill file until written, with a stub in ``release`` holding what
    the corpus-wide steps need (id and participants, which they unify): a million
    paragraphs' releases held in memory, even compressed, would take most of the memory a
    build may use. ``candidates``: its possible boilerplate."""

    release: Release | _Stub
    source: dict[str, Any]
    packed: bytes | None = None
    candidates: frozenset[str] = frozenset()
    spilled: tuple[int, int, int] | None = None  # (file descriptor, offset, length)

    def pack(self) -> _Parsed:
        full = self.release
        self.candidates = boilerplate_candidates(full.paragraphs)
        self.packed = zlib.compress(pickle.dumps(full, 5), 1)
        self.release = _Stub(full.id, full.participants)
        return self

    def spill(self, to: BinaryIO) -> None:
        """Move the packed release to the end of ``to``, to be read back by :meth:`unpack`."""
        if self.packed is not None:
            self.spilled = (to.fileno(), to.seek(0, os.SEEK_END), len(self.packed))
            to.write(self.packed)
            self.packed = None

    @property
    def ours(self) -> bool:
        """Parsed here from a file, rather than a caller's release (:meth:`Index.add`)."""
        return self.packed is not None or self.spilled is not None

    def unpack(self) -> Release:
        """The whole release, with the participants as the corpus steps left them."""
        if self.spilled is not None:
            fd, offset, length = self.spilled
            self.packed, self.spilled = os.pread(fd, length, offset), None
        if self.packed is not None:
            full = pickle.loads(zlib.decompress(self.packed))
            full.participants = self.release.participants
            self.release, self.packed = full, None
        assert isinstance(self.release, Release)
        return self.release


#: Above this many releases, a query's staleness check stats the folders, not every file.
QUICK_CHECK_FROM = 10_000

#: What the manifest records of the documents folder: the files' fingerprint, and each
#: folder's modification time.
State = dict[str, Any]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a large folder's entries are made: they are
    garbage-free, but so many new objects set off full collections, which walk every object
    the process holds (a third of a resident process's update of 10,000 files, at times)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _look(folder: Path) -> tuple[list, State]:
    """The folder's release files, and its state for the manifest. Each folder's time is
    taken before it is listed: a file added meanwhile leaves the index looking stale, never
    fresh."""
    folders: dict[str, int] = {}
    entries = scan(folder, folders)
    return entries, {"fingerprint": fingerprint(entries), "folders": folders}

#: Builds of at least this many files parse in a pool of processes, one a core; commits of
#: at least this many documents are written a segment a core (see :mod:`.segments`).
PARALLEL_FROM, PARALLEL_WRITE_FROM = 200, 2000
#: Postings each writer process holds in memory before it writes a sorted run to disk.
WRITER_MB = 64


def _parse_job(name: str, release_id: str) -> tuple[_Parsed | None, IndexReport]:
    """One file, perhaps in a worker process: read once, hashed and parsed from the same bytes;
    a failure costs that file only and is recorded in the report returned."""
    path, report = Path(name), IndexReport()
    try:
        st = path.stat()  # before reading: a file changed meanwhile then looks changed later
        data = path.read_bytes() if st.st_size <= MAX_BYTES else None
        release = parse_file(path, release_id, data)  # too large: parse_file says so
    except OSError as exc:
        report.failed.append(ReadError(path, f"cannot read ({exc.strerror or exc})"))
        return None, report
    except ReadError as exc:
        report.failed.append(exc)
        return None, report
    except Exception as exc:  # a parser bug must cost one file, not the run
        report.failed.append(ReadError(path, f"could not be parsed ({type(exc).__name__}: {exc})"))
        return None, report
    report.warnings.extend(f"{path}: {w}" for w in release.warnings)
    # The path as the folder scan spells it, which later updates compare (see _same_stat).
    source = {"path": name, "hash": content_hash(data or b""), "size": st.st_size,
              "mtime_ns": st.st_mtime_ns, "read_ns": time.time_ns()}
    return _Parsed(release, source).pack(), report


#: A file modified this close to when it was read may have changed again within the clock's
#: resolution: its content is hashed whatever its size and time say (git's "racy" files).
RACY_NS = 2_000_000_000


def _same_stat(entry, source: dict[str, Any]) -> bool:
    """Is the file as it was when indexed, by path, size and modification time? Saves
    hashing the unchanged files of a large folder."""
    return (source.get("path") == entry.full
            and source.get("size") == entry.size
            and source.get("mtime_ns") == entry.mtime_ns
            and entry.mtime_ns < source.get("read_ns", 0) - RACY_NS)


def _read_all(jobs: list[tuple[str, str]], report: IndexReport, progress: Progress | None,
              spill: BinaryIO | None = None) -> list[_Parsed]:
    """Parse every file, on every core when there are many; the releases wait in ``spill``,
    if given (see :class:`_Parsed`)."""
    from concurrent.futures import ProcessPoolExecutor
    from contextlib import ExitStack

    paths, ids = [path for path, _ in jobs], [release_id for _, release_id in jobs]
    workers = os.cpu_count() or 1
    parsed: list[_Parsed] = []
    with ExitStack() as stack:
        if len(jobs) >= PARALLEL_FROM and workers > 1:
            pool = stack.enter_context(ProcessPoolExecutor(workers))
            results = pool.map(_parse_job, paths, ids, chunksize=32)
        else:
            results = map(_parse_job, paths, ids)
        for done, (item, part) in enumerate(results, 1):
            report.failed.extend(part.failed)
            report.warnings.extend(part.warnings)
            if item:
                if spill is not None:
                    item.spill(spill)
                parsed.append(item)
            if progress:
                progress(done, len(jobs))
    return parsed


@contextmanager
def _spill_file(root: Path, files: int) -> Iterator[BinaryIO | None]:
    """Where parsed releases wait to be written when there are many: a nameless file beside
    the index (not in /tmp, often memory itself), gone when closed or when the process dies."""
    if files < PARALLEL_FROM:
        yield None
        return
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=root, prefix=".spill-", buffering=0) as spill:
        yield spill


def _hash(path: Path, report: IndexReport) -> str | None:
    try:
        return content_hash(path.read_bytes())
    except OSError as exc:
        report.failed.append(ReadError(path, f"cannot read ({exc.strerror or exc})"))
        return None


# -- the index ------------------------------------------------------------------------------

class Index:
    """A searcher index on disk. Open one with :meth:`open`, make one with :meth:`build`,
    keep it current with :meth:`update` (a folder) or :meth:`add` / :meth:`remove`."""

    def __init__(self, root: Path, generation: Path):
        self.root = root
        self.generation = generation
        self.manifest: dict[str, Any] = json.loads((generation / MANIFEST).read_text("utf-8"))
        self._searcher = None
        self._sources: tuple[tuple[int, ...], dict[str, dict[str, Any]]] | None = None
        self._ix = _retrying(lambda: _whoosh(generation))
        self.searcher()  # open the files now: keep reading the version opened

    # -- opening and building -----------------------------------------------------------

    @staticmethod
    def exists(path: str | Path = "index") -> bool:
        """Is there an index at ``path``?"""
        return _current(Path(path)) is not None

    @classmethod
    def open(cls, path: str | Path = "index") -> Index:
        """Open the index at ``path``; :class:`IndexMissing` if there is none, or if it was
        written with another format or analysis (it must be rebuilt, never misread)."""
        root = Path(path)
        gen = _current(root)
        if gen is None:
            raise IndexMissing(f"no index in {root} (run `searcher index` to build one)")
        manifest = json.loads((gen / MANIFEST).read_text("utf-8"))
        if {k: manifest.get(k) for k in _settings()} != _settings():
            raise IndexMissing(f"the index in {root} was written with other settings "
                               f"(format {manifest.get('format')}, analysis "
                               f"{manifest.get('analysis')}); it must be rebuilt")
        return cls(root, gen)

    @classmethod
    def build(cls, documents: str | Path = "documents", path: str | Path = "index",
              progress: Progress | None = None, wait: float = DEFAULT_WAIT
              ) -> tuple[Index, IndexReport]:
        """Build a fresh index of every release under ``documents`` and swap it in."""
        root = Path(path)
        with WriteLock(root, wait) as lock:
            index, report = cls._build_locked(Path(documents), root, progress)
        report.warnings.extend(lock.notes())
        return index, report

    @classmethod
    def _build_locked(cls, documents: Path, root: Path,
                      progress: Progress | None) -> tuple[Index, IndexReport]:
        started = time.perf_counter()
        if not documents.is_dir():
            raise SearcherError(f"{documents}: no such documents folder")
        report = IndexReport(rebuilt=True)
        entries, state = _look(documents)
        # Files by name: a Path each would add 0.1 GB at a million paragraphs.
        jobs = [(entry.full, release_id) for entry, release_id in release_ids(entries).items()]
        del entries  # its memory goes to the parsed releases
        with _spill_file(root, len(jobs)) as spill:
            parsed = _read_all(jobs, report, progress, spill)
            people = unify_people(p.release for p in parsed)
            boilerplate = learn_boilerplate(p.candidates for p in parsed)
            for p in parsed:
                p.candidates = frozenset()  # learned: free before the writer forks
            gen, report.paragraphs = _new_generation(root, parsed, documents, state, people,
                                                     boilerplate)
        report.added = len(parsed)
        _remove_old_generations(root, keep=gen.name)
        report.seconds = time.perf_counter() - started
        return cls(root, gen), report

    @classmethod
    def create(cls, path: str | Path, wait: float = DEFAULT_WAIT) -> Index:
        """A new, empty index at ``path`` (replacing any there), to fill with :meth:`add`."""
        root = Path(path)
        with WriteLock(root, wait):
            gen, _ = _new_generation(root, [], None, None, {}, [])
            _remove_old_generations(root, keep=gen.name)
        return cls(root, gen)

    # -- keeping it current ---------------------------------------------------------------

    @property
    def documents(self) -> Path | None:
        """The folder this index follows."""
        folder = self.manifest.get("documents")
        return Path(folder) if folder else None

    def is_stale(self, documents: str | Path | None = None) -> bool:
        """Have the release files changed since the last index run? (stat only, no reading)

        Every file's size and time are compared, except in a folder of more than
        :data:`QUICK_CHECK_FROM` releases, where only the folders' times are (a stat each):
        files added, removed or renamed, and editors' saves by rename, change those; a file
        overwritten in place there is found by the next :meth:`update`."""
        folder = Path(documents) if documents else self.documents
        if folder is None or not folder.is_dir():
            return False
        times = self.manifest.get("folders")
        if times and self.manifest.get("releases", 0) > QUICK_CHECK_FROM and \
                Path(self.manifest.get("documents") or "") == folder.resolve():
            return folders_changed(folder, times)
        return fingerprint(scan(folder)) != self.manifest.get("fingerprint")

    def update(self, documents: str | Path | None = None, progress: Progress | None = None,
               wait: float = DEFAULT_WAIT) -> IndexReport:
        """Bring the index in line with ``documents`` (default: the folder it was built from):
        new files added, changed ones (by content hash) re-indexed, deleted ones removed,
        unchanged ones not re-read (nor hashed, when size and modification time are as
        indexed). A file that fails keeps its last good version indexed."""
        folder = Path(documents) if documents else self.documents
        if folder is None:
            raise SearcherError("no documents folder given and none recorded in the index")
        if not folder.is_dir():
            raise SearcherError(f"{folder}: no such documents folder")
        started = time.perf_counter()
        with WriteLock(self.root, wait) as lock:
            self._reopen()
            report = IndexReport(warnings=lock.notes())
            with _collector_paused():
                entries, state = _look(folder)
                indexed = self.sources()
                ids = release_ids(entries)
            jobs, restated = [], 0
            for entry, release_id in ids.items():
                known = indexed.get(release_id, {})
                if _same_stat(entry, known):
                    report.unchanged += 1
                    continue
                read_ns = time.time_ns()
                digest = _hash(entry.path, report)
                if digest and known.get("hash") == digest:
                    report.unchanged += 1
                    # Touched, written just before it was indexed, or reached by another
                    # spelling of the folder ("docs", "/x/docs"): its record takes the file's
                    # path and stat now, so that later updates need not read it again.
                    indexed[release_id] = {**known, "path": entry.full, "size": entry.size,
                                           "mtime_ns": entry.mtime_ns, "read_ns": read_ns}
                    restated += 1
                elif digest:
                    jobs.append((entry.full, release_id))
            with _spill_file(self.root, len(jobs)) as spill:
                wanted = _read_all(jobs, report, progress, spill)
                report.changed = sum(1 for item in wanted if item.release.id in indexed)
                report.added = len(wanted) - report.changed
                present = set(ids.values())
                gone = [rid for rid, src in indexed.items()
                        if rid not in present and not src.get("external")]
                report.removed = len(gone)
                self._commit(wanted, gone, folder, state, report, indexed, restated > 0)
        report.seconds = time.perf_counter() - started
        return report

    def add(self, releases: Iterable[Release], wait: float = DEFAULT_WAIT) -> IndexReport:
        """Add or replace releases that come from elsewhere than the documents folder (a
        script, a feed); :meth:`update` leaves them alone."""
        report = IndexReport()
        items = []
        for release in releases:
            digest = content_hash(json.dumps(release.to_dict(), sort_keys=True).encode())
            items.append(_Parsed(release, {"path": release.path, "hash": digest,
                                           "external": True}))
        with WriteLock(self.root, wait):
            self._reopen()
            known = self.sources()
            report.changed = sum(1 for i in items if i.release.id in known)
            report.added = len(items) - report.changed
            self._commit(items, [], None, None, report, known)
        return report

    def remove(self, release_ids: Iterable[str], wait: float = DEFAULT_WAIT) -> IndexReport:
        """Remove releases by id."""
        report = IndexReport()
        with WriteLock(self.root, wait):
            self._reopen()
            known = self.sources()
            gone = [rid for rid in release_ids if rid in known]
            report.removed = len(gone)
            self._commit([], gone, None, None, report, known)
        return report

    def _commit(self, items: list[_Parsed], gone: list[str], folder: Path | None,
                state: State | None, report: IndexReport,
                sources: dict[str, dict[str, Any]], restated: bool = False) -> None:
        """Write changes in one Whoosh commit, then the bookkeeping (under the lock).
        ``sources``: :meth:`sources` as read under this lock; it is updated in place
        (``restated``: and its records of unchanged files were)."""
        if items or gone:
            people = _read_people(self.generation)
            unify_people((i.release for i in items), people)
            # Boilerplate learned at the last full build applies to new releases too.
            report.paragraphs = _write(self.generation, items, gone,
                                       _read_json(self.generation / BOILERPLATE, []), sources)
        else:
            people = None
        if folder is not None or people is not None:
            sources.update((i.release.id, i.source) for i in items)
            for release_id in gone:
                sources.pop(release_id, None)
            changed = bool(items or gone or restated)
            _write_bookkeeping(self.generation, folder or self.documents, state or {
                key: self.manifest.get(key) for key in ("fingerprint", "folders")}, people,
                sources if changed else None, self.manifest)
            if changed:
                self._sources = (_file_key(self.generation / SOURCES), sources)
        self._reopen()

    def _reopen(self) -> None:
        """Follow ``CURRENT`` and the latest commit (a rebuild or update may have happened)."""
        gen = _current(self.root)
        if gen is None:
            raise IndexMissing(f"the index in {self.root} has gone")
        if gen != self.generation:
            self.close()
            self.__init__(self.root, gen)  # type: ignore[misc]
            return
        self.manifest = json.loads((gen / MANIFEST).read_text("utf-8"))
        if self._searcher is not None and not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers with their old deletions, so
            # removed releases would still be found. Opened again when next asked for.
            self._searcher.close()
            self._searcher = None

    # -- reading ------------------------------------------------------------------------

    def searcher(self):
        """The open Whoosh searcher (kept for the life of this object)."""
        if self._searcher is None:
            from .query import weighting

            self._searcher = _open_searcher(self._ix, weighting())
        return self._searcher

    def search(self, text: str, limit: int = 10, page: int = 1, *, snippets: int = 3,
               sort: str = "relevance", participant: str | None = None,
               country: str | None = None, kind: str | None = None,
               date_from: str | None = None, date_to: str | None = None,
               facets: bool = False, paragraphs: bool = False,
               synonyms: str | Path | None = None):
        """Search: a :class:`~searcher.query.Results` of releases, best first.

        ``sort``: "relevance", "date" (oldest first) or "-date"; ``participant``, ``country``,
        ``kind``, ``date_from``, ``date_to`` (ISO, may be partial: "2022-05") restrict the
        releases; ``facets`` counts the matching releases by year, country, participant and
        kind; ``paragraphs`` returns every matching paragraph rather than one hit a release;
        ``synonyms``: a synonym file replacing the shipped one.
        """
        from .query import Filters, search

        return search(self.searcher(), text, limit=limit, page=page, snippets=snippets,
                      sort=sort, facets=facets, paragraphs=paragraphs,
                      synonyms=str(synonyms) if synonyms else os.environ.get("SEARCHER_SYNONYMS"),
                      filters=Filters(participant, country, kind, date_from, date_to))

    def release(self, release_id: str) -> Release | None:
        """One indexed release by id, with its paragraphs."""
        from .query import load_release

        return load_release(self.searcher(), release_id)

    def releases(self) -> Iterator[Release]:
        """Every indexed release, in id order."""
        from .query import load_release

        searcher = self.searcher()
        for release_id in sorted(d["release_id"] for d in searcher.documents(doctype="release")):
            release = load_release(searcher, release_id)
            if release is not None:
                yield release

    def sources(self) -> dict[str, dict[str, Any]]:
        """Each indexed release's source record: file path, content hash, size and time.
        Read from ``sources.marshal`` when it was written for the index's last commit, else
        from the release records (a stored-field read each)."""
        path = self.generation / SOURCES
        key = _file_key(path)
        if self._sources is not None and key is not None and self._sources[0] == key:
            return dict(self._sources[1])  # as this object last read or wrote it
        saved = _read_marshal(path, {})
        if saved.get("commit") == self._ix.latest_generation():
            self._sources = (key, saved["sources"])
            return dict(saved["sources"])
        return {d["release_id"]: d.get("source") or {}
                for d in self.searcher().documents(doctype="release")}

    def __len__(self) -> int:
        return sum(1 for _ in self.searcher().document_numbers(doctype="release"))

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- Whoosh's files ------------------------------------------------------------------------

class _MappedFile(BufferFile):
    """A file read through a memory map, neither copied nor read with a file position.
    (Whoosh's ``BufferFile`` copies its buffer into a ``BytesIO``, and its compound segment
    files do so for every file of a segment on opening: 1.5 GB at a million paragraphs.)
    Reads by position are stateless, so threads can share it."""

    def __init__(self, mapped: mmap.mmap, name: str):
        self._mmap, self._buf, self._name = mapped, memoryview(mapped), name
        self.file, self.onclose, self.is_real, self.is_closed = mapped, None, False, False

    def close(self) -> None:
        if not self.is_closed:
            self.is_closed = True
            try:
                self._buf.release()
                self._mmap.close()
            except BufferError:  # a view of it still held: the collector closes it later
                pass


class _MappedStorage(FileStorage):
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


def _whoosh(gen: Path):
    """The Whoosh index in ``gen``."""
    return _MappedStorage(str(gen)).open_index()


# -- writing -------------------------------------------------------------------------------

def _new_generation(root: Path, parsed: list[_Parsed], documents: Path | None,
                    state: State | None, people: People,
                    boilerplate: list[str]) -> tuple[Path, int]:
    """Write a complete generation beside the current one and swap ``CURRENT`` to it."""
    gen = root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    try:
        gen.mkdir(parents=True)
        _MappedStorage(str(gen)).create_index(fields.build_schema()).close()
        paragraphs = _write(gen, parsed, [], boilerplate, {}) if parsed else 0
        _write_bookkeeping(gen, documents, state, people,
                           {p.release.id: p.source for p in parsed})
        _write_atomic(gen / BOILERPLATE, json.dumps(boilerplate, ensure_ascii=False))
        _write_atomic(root / CURRENT, gen.name)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    return gen, paragraphs


def _write(gen: Path, items: list[_Parsed], gone: list[str], boilerplate: list[str],
           indexed: Container[str]) -> int:
    """One commit: drop ``gone`` and the old versions of ``items`` (those ``indexed``: a
    deletion reads every segment), add ``items`` without the ``boilerplate`` learned. Each
    release is unpacked, made into documents and added in turn, then let go (a million
    paragraphs' worth at once would double the memory a build needs); any failure cancels
    the whole commit."""
    # Many documents: a segment a core, each written by a process forked from this one.
    many = len(items) * 4 >= PARALLEL_WRITE_FROM  # releases average about four paragraphs
    parts = min(os.cpu_count() or 1, 4) if many else 1

    def fill(writer, part: int) -> int:
        paragraphs = 0
        # A run of releases, not every parts-th one: a forked writer copies each page of the
        # parent's releases it touches (reference counts), so each touches only its own.
        for item in items[part * len(items) // parts:(part + 1) * len(items) // parts]:
            ours = item.ours
            release = item.unpack()
            drop_boilerplate([release], boilerplate)
            for doc in fields.paragraph_documents(release):
                writer.add_document(**doc)
            writer.add_document(**fields.release_document(release, item.source))
            paragraphs += len(release.paragraphs)
            if ours:  # written: the index holds it now; keep the stub only
                item.release = _Stub(release.id, release.participants)
        return paragraphs

    deletions = [("release_id", release_id)
                 for release_id in [*gone, *(i.release.id for i in items)] if release_id in indexed]
    ix = _whoosh(gen)
    if parts > 1:
        # The writers are forked from this process, which holds the releases' stubs (0.6 GB
        # at a million paragraphs). Frozen, the collector leaves those objects alone in the
        # children, and their memory stays shared instead of copied page by page.
        gc.freeze()
    try:
        return sum(segments.commit(ix, fill, parts, deletions, WRITER_MB))
    finally:
        ix.close()
        gc.unfreeze()


def _retrying(opening: Callable[[], Any]) -> Any:
    """``opening()``, again if a commit in another process deleted the table of contents
    Whoosh had just chosen to read (as Whoosh's own reader() does)."""
    for attempt in range(50):
        try:
            return opening()
        except FileNotFoundError:
            if attempt == 49:
                raise
            time.sleep(0.02)


def _open_searcher(ix, weighting):
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


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return default


def _read_marshal(path: Path, default: Any) -> Any:
    try:
        return marshal.loads(path.read_bytes())
    except Exception:  # missing, cut short or garbled: what it saves is read another way
        return default


def _file_key(path: Path) -> tuple[int, ...] | None:
    """What tells a file replaced or changed from the one read before."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _read_people(gen: Path) -> People:
    return _read_json(gen / PEOPLE, {})


def _write_bookkeeping(gen: Path, documents: Path | None, state: State | None,
                       people: People | None, sources: dict[str, dict[str, Any]] | None,
                       manifest: dict[str, Any] | None = None) -> None:
    """After a commit: the people and sources files, then the manifest. ``sources`` (every
    indexed release's source record) is marked with the commit it describes: an update that
    ran before a run was killed between commit and here reads the release records instead.
    No ``sources``: nothing changed, and the counts are the last ``manifest``'s."""
    if people is not None:
        _write_atomic(gen / PEOPLE, json.dumps(people, ensure_ascii=False))
    if sources is not None:
        ix = _whoosh(gen)
        commit = ix.latest_generation()
        # Counted from the table of contents: opening the segments to count would read them.
        counts = {"releases": len(sources), "paragraphs": sum(
            segment.doc_count() for segment in ix._segments()) - len(sources)}
        ix.close()
        # Written whole at every update: 10,000 records take 1.6 ms with marshal, 10-14 ms
        # as JSON or a pickle. (Not a format to keep: one a later Python cannot read is
        # ignored, and the sources read from the release records.)
        _write_atomic(gen / SOURCES, marshal.dumps({"commit": commit, "sources": sources}))
    else:
        counts = {key: (manifest or {}).get(key) for key in ("releases", "paragraphs")}
    manifest = {**_settings(), "documents": str(documents.resolve()) if documents else None,
                **(state or {"fingerprint": None, "folders": {}}),
                "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **counts}
    _write_atomic(gen / MANIFEST, json.dumps(manifest, indent=2))


def _remove_old_generations(root: Path, keep: str) -> None:
    """Remove generations older than the one before ``keep``: the previous one stays, so a
    process that opened it just before the swap can still read files it has not opened yet.
    One without a manifest is what a killed build left (we hold the lock): it goes too."""
    gens = sorted((c for c in root.iterdir() if c.is_dir() and c.name.startswith("gen-")
                   and c.name != keep), key=lambda c: c.stat().st_mtime_ns)
    complete = [g for g in gens if (g / MANIFEST).is_file()]
    for child in [g for g in gens if g not in complete] + complete[:-1]:
        shutil.rmtree(child, ignore_errors=True)
