"""Releases -> a commit: parse pool, spill file, the corpus steps, the write of a generation
or an update.

The flow of a run: files are parsed (:func:`read_all`), the corpus steps run over them all
(:func:`corpus_steps`: people unified, boilerplate learned) and make each release final
(:class:`FinalReleases`), and the writer (:func:`write_commit`) only writes what it is given.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ReadError, path_text
from ..ingest.corpus import (
    People,
    boilerplate_candidates,
    drop_boilerplate,
    learn_boilerplate,
    unify_people,
)
from ..ingest.corpus_settings import load_aliases
from ..ingest.parse import parse_file, prepare_parsing
from ..ingest.readers import max_bytes, parse_seconds
from ..ingest.release import Participant, Release
from . import schema as fields
from . import segments
from .folder import State, content_hash, read_release_bytes
from .pool import (
    ParseTimeout,
    TimedOut,
    can_time_out_here,
    parse_in_pool,
    time_limit,
    too_slow_reason,
)
from .slow import TooSlow
from .store import (
    BOILERPLATE,
    CURRENT,
    MappedStorage,
    open_whoosh,
    remove_uncommitted,
    write_atomic,
    write_bookkeeping,
)

#: Called as ``progress(done, total)`` over an index run: each file parsed counts one step
#: and each release written another, so ``total`` is twice the files to read.
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


# -- reading release files ----------------------------------------------------------------------

@dataclass(slots=True)
class _Stub:
    """What the corpus-wide steps need of a release waiting to be written: a Release each
    would take 0.12 GB more at a million paragraphs."""

    id: str
    participants: list[Participant]


@dataclass(slots=True)
class Parsed:
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

    def pack(self) -> Parsed:
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


@contextmanager
def collector_paused() -> Iterator[None]:
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


#: Builds of at least this many files parse in a pool of processes, one a core; commits of
#: at least this many documents are written a segment a core (see :mod:`.segments`).
PARALLEL_FROM, PARALLEL_WRITE_FROM = 200, 2000
#: Postings each writer process holds in memory before it writes a sorted run to disk.
WRITER_MB = 64


def _parse_job(name: str, release_id: str,
               limit: float | None = None) -> tuple[Parsed | None, IndexReport]:
    """One file, perhaps in a worker process: read once, hashed and parsed from the same
    bytes, within ``limit`` seconds; a failure costs that file only and is recorded in the
    report returned."""
    path, report = Path(name), IndexReport()
    read_ns = time.time_ns()
    try:
        # The stat before the bytes: a file changed meanwhile then looks changed later.
        data, st = read_release_bytes(name, max_bytes(path))
        with time_limit(limit):
            release = parse_file(path, release_id, data)  # too large: parse_file says so
    except OSError as exc:
        report.failed.append(ReadError(path, f"cannot read ({exc.strerror or exc})"))
        return None, report
    except ReadError as exc:
        report.failed.append(exc)
        return None, report
    except ParseTimeout:
        report.failed.append(_too_slow((name, release_id), limit,
                                       (st.st_size, st.st_mtime_ns, read_ns)))
        return None, report
    except RecursionError:
        report.failed.append(ReadError(path, "nested too deeply to read"))
        return None, report
    except Exception as exc:  # a parser bug must cost one file, not the run
        report.failed.append(ReadError(path, f"could not be parsed ({type(exc).__name__}: {exc})"))
        return None, report
    report.warnings.extend(f"{path_text(path)}: {w}" for w in release.warnings)
    # The path as the folder scan spells it, which later updates compare (see same_stat).
    source = {"path": name, "hash": content_hash(data or b""), "size": st.st_size,
              "mtime_ns": st.st_mtime_ns, "read_ns": time.time_ns()}
    return Parsed(release, source).pack(), report


def _too_slow(job: tuple[str, str], limit: float | None,
              seen: tuple[int, int, int] | None = None) -> ReadError:
    return TooSlow(job[0], too_slow_reason(limit), job[1], seen)


def _lost(job: tuple[str, str], reason: str) -> tuple[None, IndexReport]:
    """A job whose worker was killed or died on it (see :mod:`.pool`): killed for being
    past its time, it was too slow."""
    if isinstance(reason, TimedOut):
        return None, IndexReport(failed=[TooSlow(job[0], reason, job[1])])
    return None, IndexReport(failed=[ReadError(job[0], reason)])


def _limit(job: tuple[str, str]) -> float:
    return parse_seconds(job[0])


def read_all(jobs: list[tuple[str, str]], report: IndexReport, progress: Progress | None,
              spill: BinaryIO | None = None) -> list[Parsed]:
    """Parse every file, on every core when there are many, each within its time
    (:func:`~searcher.ingest.readers.parse_seconds`); the releases wait in ``spill``, if
    given (see :class:`Parsed`)."""
    workers = os.cpu_count() or 1
    parsed: list[Parsed] = []
    # Few files are parsed here, each within its time by a signal; in a thread that gets no
    # signals, in a worker process that is killed past its time, as many files are.
    if len(jobs) >= PARALLEL_FROM and workers > 1 or jobs and not can_time_out_here():
        suffixes = frozenset(os.path.splitext(name)[1] for name, _ in jobs)
        results = parse_in_pool(jobs, _parse_job, workers, _limit, _lost,
                                partial(prepare_parsing, suffixes))
    else:
        results = (_parse_job(*job, _limit(job)) for job in jobs)
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
def spill_file(root: Path, files: int) -> Iterator[BinaryIO | None]:
    """Where parsed releases wait to be written when there are many: a nameless file beside
    the index (not in /tmp, often memory itself), gone when closed or when the process dies."""
    if files < PARALLEL_FROM:
        yield None
        return
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=root, prefix=".spill-", buffering=0) as spill:
        yield spill


def hash_file(path: Path, report: IndexReport) -> str | None:
    """The file's content hash (a file too large to index is known by its size and time:
    it is not read for nothing)."""
    try:
        data, st = read_release_bytes(path, max_bytes(path))
    except OSError as exc:
        report.failed.append(ReadError(path, f"cannot read ({exc.strerror or exc})"))
        return None
    except ReadError as exc:
        report.failed.append(exc)
        return None
    return content_hash(data) if data is not None else f"large:{st.st_size}:{st.st_mtime_ns}"


# -- the corpus steps ------------------------------------------------------------------------

class FinalReleases:
    """Releases as the corpus steps made them, in order, for the writer: each one's people
    as unified across the corpus and its learned boilerplate taken out. A release is made
    whole from its packed form when its turn comes and let go once written (a million
    paragraphs' worth at once would double the memory a build needs); the writer takes it
    final and only writes it."""

    def __init__(self, items: Sequence[Parsed], boilerplate: list[str]) -> None:
        self.items, self.boilerplate = items, boilerplate

    def __len__(self) -> int:
        return len(self.items)

    def ids(self) -> list[str]:
        return [item.release.id for item in self.items]

    def sources(self) -> dict[str, dict[str, Any]]:
        return {item.release.id: item.source for item in self.items}

    def part(self, start: int, stop: int) -> Iterator[tuple[Release, dict[str, Any]]]:
        """The final releases ``start`` to ``stop``, with their source records."""
        for item in self.items[start:stop]:
            ours = item.ours
            release = item.unpack()
            drop_boilerplate([release], self.boilerplate)
            yield release, item.source
            if ours:  # written: the index holds it now; keep the stub only
                item.release = _Stub(release.id, release.participants)


def corpus_steps(parsed: Sequence[Parsed], aliases: str | None,
                 people: People | None = None,
                 boilerplate: list[str] | None = None) -> tuple[FinalReleases, People]:
    """The steps over a whole run's releases: people unified (``aliases``: the aliases file
    in use, None for the shipped one; ``people``: what earlier runs saw, added to), and
    boilerplate learned from these releases, or, for an update, the last full build's
    ``boilerplate`` applied. Returns the final releases and the people seen."""
    people = unify_people((p.release for p in parsed), people, aliases=load_aliases(aliases))
    if boilerplate is None:
        boilerplate = learn_boilerplate(p.candidates for p in parsed)
    for p in parsed:
        p.candidates = frozenset()  # learned: free before the writer forks
    return FinalReleases(parsed, boilerplate), people


# -- writing -------------------------------------------------------------------------------

def _shared_counts(parts: int) -> Any:
    """``parts`` counters in memory that forked processes share (one writer each)."""
    if parts == 1:
        return [0]
    from multiprocessing.sharedctypes import RawArray

    return RawArray("q", parts)


def new_generation(root: Path, releases: FinalReleases, documents: Path | None,
                    state: State | None, people: People, aliases: str | None,
                    written: Callable[[int], None] | None = None) -> tuple[Path, int]:
    """Write a complete generation of ``releases`` beside the current one and swap
    ``CURRENT`` to it; its manifest records ``aliases``, the aliases file they were made
    with."""
    # Named by when it was made, to the microsecond: generations sort in the order made.
    now = time.time()
    made = f"{time.strftime('%Y%m%dT%H%M%S', time.localtime(now))}.{int(now % 1 * 1e6):06d}"
    gen = root / f"gen-{made}-{uuid.uuid4().hex[:6]}"
    try:
        gen.mkdir(parents=True)
        MappedStorage(str(gen)).create_index(fields.build_schema()).close()
        paragraphs = write_commit(gen, releases, [], {}, written) if len(releases) else 0
        write_atomic(gen / BOILERPLATE, json.dumps(releases.boilerplate, ensure_ascii=False))
        write_bookkeeping(gen, documents, state, people, releases.sources(), aliases=aliases)
        write_atomic(root / CURRENT, gen.name)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    return gen, paragraphs


def write_commit(gen: Path, releases: FinalReleases, gone: list[str],
                 indexed: Container[str], written: Callable[[int], None] | None = None) -> int:
    """One commit: drop ``gone`` and the old versions of ``releases`` (those ``indexed``: a
    deletion reads every segment), add ``releases``, each made into documents in turn; any
    failure cancels the whole commit. ``written(n)``: n releases written so far (for
    progress)."""
    # Many documents: a segment a core, each written by a process forked from this one.
    many = len(releases) * 4 >= PARALLEL_WRITE_FROM  # releases average about four paragraphs
    parts = min(os.cpu_count() or 1, 4) if many else 1
    # Releases written, by part: shared memory, so that forked writers' counts are seen.
    counts = _shared_counts(parts) if written else None
    here = os.getpid()

    def fill(writer, part: int) -> int:
        paragraphs = 0
        # A run of releases, not every parts-th one: a forked writer copies each page of the
        # parent's releases it touches (reference counts), so each touches only its own.
        n = len(releases)
        for release, source in releases.part(part * n // parts, (part + 1) * n // parts):
            for doc in fields.paragraph_documents(release):
                writer.add_document(**doc)
            writer.add_document(**fields.release_document(release, source))
            paragraphs += len(release.paragraphs)
            if counts is not None:
                counts[part] += 1
                if written and os.getpid() == here:
                    written(sum(counts))
        return paragraphs

    def tick() -> None:
        if written and counts is not None:
            written(sum(counts))

    deletions = [("release_id", release_id)
                 for release_id in [*gone, *releases.ids()] if release_id in indexed]
    ix = open_whoosh(gen)
    if parts > 1:
        # The writers are forked from this process, which holds the releases' stubs (0.6 GB
        # at a million paragraphs). Frozen, the collector leaves those objects alone in the
        # children, and their memory stays shared instead of copied page by page.
        gc.freeze()
    try:
        return sum(segments.commit(ix, fill, parts, deletions, WRITER_MB,
                                   tick if written else None))
    except BaseException:
        remove_uncommitted(gen)  # a retry after a full disk needs their space
        raise
    finally:
        ix.close()
        gc.unfreeze()
