"""The Index: one object over the stored index, its updates and its searches."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from .errors import IndexMissing, SearcherError
from .index.folder import (
    QUICK_CHECK_FROM,
    ScanNotes,
    State,
    content_hash,
    fingerprint,
    folders_changed,
    look,
    release_ids,
    same_stat,
    scan,
)
from .index.store import (
    BOILERPLATE,
    DEFAULT_WAIT,
    MANIFEST,
    SOURCES,
    WriteLock,
    current_generation,
    file_key,
    open_searcher,
    open_whoosh,
    read_json,
    read_marshal,
    read_people,
    remove_old_generations,
    retrying,
    settings,
    write_bookkeeping,
    writing,
)
from .ingest.release import Release
from .search.options import DateLike, SearchOptions, Sort
from .search.results import Results

if TYPE_CHECKING:  # parsing and writing are imported when an index is written, not to search
    from whoosh.searching import Searcher

    from .index.build import IndexReport, Parsed, Progress
    from .search.cache import IndexCache

#: The environment variable naming an aliases file to use instead of the shipped one.
ALIASES_VARIABLE = "SEARCHER_ALIASES"


def aliases_in_use() -> str | None:
    """The aliases file the user chose (``SEARCHER_ALIASES``), or None for the shipped one.
    Read here, at the top, and passed down to the corpus steps and the manifest."""
    return os.environ.get(ALIASES_VARIABLE) or None


class _Steps:
    """Progress over a whole index run: each file read counts one step, and each release
    written another, so the bar does not stand at 100% while the write goes on."""

    def __init__(self, progress: Progress | None, files: int):
        self.progress, self.files, self.done = progress, files, 0

    def _step(self, done: int) -> None:
        if self.progress and done != self.done:
            self.done = done
            self.progress(done, 2 * self.files)

    def read(self, done: int, total: int) -> None:
        self._step(done)

    def wrote(self, written: int) -> None:
        self._step(self.files + min(written, self.files))

    def finish(self) -> None:
        """The last step (files that failed are never written)."""
        if self.files:
            self._step(2 * self.files)


# -- the index ------------------------------------------------------------------------------

def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_readable(folder: Path, notes: ScanNotes, report: IndexReport) -> None:
    """Report what the scan could not take; a documents folder that cannot be listed at
    all is an error (taken as empty, it would remove every release)."""
    if "" in notes.unreadable:
        raise SearcherError(notes.warnings[notes.unreadable.index("")].split("; the ")[0])
    report.warnings.extend(notes.warnings)


def _kept_from_unreadable(root: Path, notes: ScanNotes, report: IndexReport) -> list[Parsed]:
    """For a rebuild: the releases the current index holds from folders that could not be
    read now, carried over as they are (a permission problem must not delete them)."""
    if not notes.unreadable:
        return []
    from .index.build import Parsed

    try:
        old = Index.open(root)
    except IndexMissing:  # none, or of other settings: nothing it holds can be carried
        return []
    with old:
        kept = [Parsed(release, source) for release_id, source in old.sources().items()
                if notes.keeps(release_id) and not source.get("external")
                and (release := old.release(release_id)) is not None]
    if kept:
        report.warnings.append(f"{len(kept)} releases from folders that could not be read "
                               "were carried over from the previous index")
    return kept


class Index:
    """A searcher index on disk. Open one with :meth:`open`, make one with :meth:`build`,
    keep it current with :meth:`update` (a folder) or :meth:`add` / :meth:`remove`."""

    def __init__(self, root: Path, generation: Path) -> None:
        self.root = root
        self.generation = generation
        #: The aliases file this object writes with (see :func:`aliases_in_use`).
        self.aliases = aliases_in_use()
        self.manifest: dict[str, Any] = json.loads((generation / MANIFEST).read_text("utf-8"))
        self._searcher = None
        self._cache: IndexCache | None = None  # made when first searched
        self._sources: tuple[tuple[int, ...], dict[str, dict[str, Any]]] | None = None
        self._ix = retrying(lambda: open_whoosh(generation))
        self.searcher()  # open the files now: keep reading the version opened

    # -- opening and building -----------------------------------------------------------

    @staticmethod
    def exists(path: str | Path = "index") -> bool:
        """Is there an index at ``path``?"""
        return current_generation(Path(path)) is not None

    @classmethod
    def open(cls, path: str | Path = "index") -> Index:
        """Open the index at ``path``; :class:`IndexMissing` if there is none, or if it was
        written with another format or analysis (it must be rebuilt, never misread)."""
        root = Path(path)
        gen = current_generation(root)
        if gen is None:
            raise IndexMissing(f"no index in {root} (run `searcher index` to build one)")
        manifest = json.loads((gen / MANIFEST).read_text("utf-8"))
        wanted = settings(aliases_in_use())
        differ = [k for k in wanted if manifest.get(k) != wanted[k]]
        if differ:
            others = "".join(f", other {k}" for k in differ if k not in ("format", "analysis"))
            raise IndexMissing(f"the index in {root} was written with other settings "
                               f"(format {manifest.get('format')}, analysis "
                               f"{manifest.get('analysis')}{others}); it must be rebuilt")
        return cls(root, gen)

    @classmethod
    def build(cls, *, documents: str | Path = "documents", index: str | Path = "index",
              progress: Progress | None = None, wait: float = DEFAULT_WAIT
              ) -> tuple[Index, IndexReport]:
        """Build a fresh index at ``index`` of every release under ``documents`` and swap it
        in (both keyword-only)."""
        root = Path(index)
        with writing(root), WriteLock(root, wait) as lock:
            built, report = cls._build_locked(Path(documents), root, progress)
        report.warnings.extend(lock.notes())
        return built, report

    @classmethod
    def _build_locked(cls, documents: Path, root: Path,
                      progress: Progress | None) -> tuple[Index, IndexReport]:
        from .index.build import IndexReport, corpus_steps, new_generation, read_all, spill_file
        from .index.slow import write_slow

        started = time.perf_counter()
        if not documents.is_dir():
            raise SearcherError(f"{documents}: no such documents folder")
        report = IndexReport(rebuilt=True)
        remove_old_generations(root, keep=None)  # what killed runs left
        entries, state, notes = look(documents)
        _check_readable(documents, notes, report)
        # Files by name: a Path each would add 0.1 GB at a million paragraphs.
        jobs = [(entry.full, release_id) for entry, release_id in release_ids(entries).items()]
        del entries  # its memory goes to the parsed releases
        steps, read_ns = _Steps(progress, len(jobs)), time.time_ns()
        with spill_file(root, len(jobs)) as spill:
            parsed = read_all(jobs, report, steps.read, spill)
            kept = _kept_from_unreadable(root, notes, report)
            parsed += kept
            aliases = aliases_in_use()
            final, people = corpus_steps(parsed, aliases)
            gen, report.paragraphs = new_generation(root, final, documents, state, people,
                                                     aliases, steps.wrote)
        write_slow(gen, {}, {}, report.failed, read_ns)
        steps.finish()
        report.added = len(parsed) - len(kept)
        remove_old_generations(root, keep=gen.name)
        report.seconds = time.perf_counter() - started
        return cls(root, gen), report

    @classmethod
    def create(cls, path: str | Path, wait: float = DEFAULT_WAIT) -> Index:
        """A new, empty index at ``path`` (replacing any there), to fill with :meth:`add`."""
        from .index.build import FinalReleases, new_generation

        root = Path(path)
        with writing(root), WriteLock(root, wait):
            gen, _ = new_generation(root, FinalReleases([], []), None, None, {},
                                    aliases_in_use())
            remove_old_generations(root, keep=gen.name)
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
        from .index.build import IndexReport, collector_paused, hash_file, read_all, spill_file
        from .index.slow import read_slow, still_too_slow, write_slow

        folder = Path(documents) if documents else self.documents
        if folder is None:
            raise SearcherError("no documents folder given and none recorded in the index")
        if not folder.is_dir():
            raise SearcherError(f"{folder}: no such documents folder")
        started = time.perf_counter()
        with writing(self.root), WriteLock(self.root, wait) as lock:
            self._reopen()
            remove_old_generations(self.root, keep=self.generation.name)  # what kills left
            report = IndexReport(warnings=lock.notes())
            with collector_paused():
                entries, state, notes = look(folder)
                _check_readable(folder, notes, report)
                indexed = self.sources()
                ids = release_ids(entries)
            jobs, restated = [], 0
            slow, still_slow = read_slow(self.generation), {}
            for entry, release_id in ids.items():
                known = indexed.get(release_id, {})
                if same_stat(entry, known):
                    report.unchanged += 1
                    continue
                again = still_too_slow(slow.get(release_id), entry)
                if again is not None:  # not parsed for as long again: see index/slow.py
                    report.failed.append(again)
                    still_slow[release_id] = slow[release_id]
                    continue
                read_ns = time.time_ns()
                digest = hash_file(entry.path, report)
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
            steps, read_ns = _Steps(progress, len(jobs)), time.time_ns()
            with spill_file(self.root, len(jobs)) as spill:
                wanted = read_all(jobs, report, steps.read, spill)
                report.changed = sum(1 for item in wanted if item.release.id in indexed)
                report.added = len(wanted) - report.changed
                present = set(ids.values())
                gone = [rid for rid, src in indexed.items() if rid not in present
                        and not src.get("external") and not notes.keeps(rid)]
                report.removed = len(gone)
                self._commit(wanted, gone, folder, state, report, indexed, restated > 0,
                             steps.wrote)
            write_slow(self.generation, slow, still_slow, report.failed, read_ns)
            steps.finish()
        report.seconds = time.perf_counter() - started
        return report

    def add(self, releases: Iterable[Release], wait: float = DEFAULT_WAIT) -> IndexReport:
        """Add or replace releases that come from elsewhere than the documents folder (a
        script, a feed); :meth:`update` leaves them alone."""
        from .index.build import IndexReport, Parsed

        report = IndexReport()
        items = []
        for release in releases:
            if not _is_text(release.id):
                raise SearcherError(f"release id {release.id!r} is not valid text (the bytes"
                                    " of a file name that is not UTF-8?)")
            digest = content_hash(json.dumps(release.to_dict(), sort_keys=True).encode())
            items.append(Parsed(release, {"path": release.path, "hash": digest,
                                           "external": True}))
        with writing(self.root), WriteLock(self.root, wait):
            self._reopen()
            known = self.sources()
            report.changed = sum(1 for i in items if i.release.id in known)
            report.added = len(items) - report.changed
            self._commit(items, [], None, None, report, known)
        return report

    def remove(self, release_ids: Iterable[str], wait: float = DEFAULT_WAIT) -> IndexReport:
        """Remove releases by id."""
        from .index.build import IndexReport

        report = IndexReport()
        with writing(self.root), WriteLock(self.root, wait):
            self._reopen()
            known = self.sources()
            gone = [rid for rid in release_ids if rid in known]
            report.removed = len(gone)
            self._commit([], gone, None, None, report, known)
        return report

    def _commit(self, items: list[Parsed], gone: list[str], folder: Path | None,
                state: State | None, report: IndexReport,
                sources: dict[str, dict[str, Any]], restated: bool = False,
                written: Callable[[int], None] | None = None) -> None:
        """Write changes in one Whoosh commit, then the bookkeeping (under the lock).
        ``sources``: :meth:`sources` as read under this lock; it is updated in place
        (``restated``: and its records of unchanged files were)."""
        from .index.build import corpus_steps, write_commit

        if items or gone:
            # Boilerplate learned at the last full build applies to new releases too.
            final, people = corpus_steps(items, self.aliases, read_people(self.generation),
                                         read_json(self.generation / BOILERPLATE, []))
            report.paragraphs = write_commit(self.generation, final, gone, sources, written)
        else:
            people = None
        if folder is not None or people is not None:
            sources.update((i.release.id, i.source) for i in items)
            for release_id in gone:
                sources.pop(release_id, None)
            changed = bool(items or gone or restated)
            write_bookkeeping(self.generation, folder or self.documents, state or {
                key: self.manifest.get(key) for key in ("fingerprint", "folders")}, people,
                sources if changed else None, self.manifest, self.aliases)
            if changed:
                self._sources = (file_key(self.generation / SOURCES), sources)
        self._reopen()

    def _reopen(self) -> None:
        """Follow ``CURRENT`` and the latest commit (a rebuild or update may have happened)."""
        gen = current_generation(self.root)
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

    def searcher(self) -> Searcher:
        """The open Whoosh searcher (kept for the life of this object)."""
        if self._searcher is None:
            from .search.bm25 import weighting
            from .search.cache import IndexCache, attach

            if self._cache is None:
                self._cache = IndexCache()
            self._searcher = attach(open_searcher(self._ix, weighting()), self._cache)
        return self._searcher

    def _take_caches(self, older: Index) -> None:
        """Use the caches of ``older``, an object over an earlier commit of this index that
        is about to close: the segments both hold keep their arrays and decoded postings
        (a long-lived process swapping in a new commit, :mod:`searcher.live`)."""
        from .search.cache import attach

        if older._cache is not None:
            self._cache = older._cache
            if self._searcher is not None:
                attach(self._searcher, self._cache)

    @overload
    def search(self, text: SearchOptions, /) -> Results: ...
    @overload
    def search(self, text: str = "", limit: int = 10, page: int = 1, *,
               offset: int | None = None, snippets: int = 3, sort: Sort = "relevance",
               participant: str | None = None, country: str | None = None,
               kind: str | None = None, date_from: DateLike | None = None,
               date_to: DateLike | None = None, facets: bool = False,
               paragraphs: bool = False, synonyms: str | Path | None = None) -> Results: ...
    def search(self, text: str | SearchOptions = "", limit: int = 10, page: int = 1, *,
               offset: int | None = None, snippets: int = 3, sort: Sort = "relevance",
               participant: str | None = None, country: str | None = None,
               kind: str | None = None, date_from: DateLike | None = None,
               date_to: DateLike | None = None, facets: bool = False,
               paragraphs: bool = False, synonyms: str | Path | None = None) -> Results:
        """Search: a :class:`~searcher.Results` of releases, best first.

        Give the query text and options as keywords, or one :class:`~searcher.SearchOptions`.
        ``sort``: "relevance", "date" (oldest first) or "-date"; ``participant``, ``country``,
        ``kind``, ``date_from``, ``date_to`` (a ``datetime.date``, or text: "2022",
        "2022-05", "2022-05-13", "May 2022") restrict the releases; ``offset`` skips that
        many hits (instead of ``page``); ``facets`` counts the matching releases by year,
        country, participant and kind; ``paragraphs`` returns every matching paragraph
        rather than one hit a release; ``synonyms``: a synonym file replacing the shipped
        one. A bad option raises :class:`~searcher.errors.BadOption` (a ``ValueError``).
        """
        from .search.query import search

        if isinstance(text, SearchOptions):
            options = text
        else:
            options = SearchOptions(
                text, limit=limit, page=page, offset=offset, snippets=snippets, sort=sort,
                participant=participant, country=country, kind=kind, date_from=date_from,
                date_to=date_to, facets=facets, paragraphs=paragraphs, synonyms=synonyms)
        return search(self.searcher(), options)

    def release(self, release_id: str) -> Release | None:
        """One indexed release by id, with its paragraphs."""
        from .search.query import load_release

        return load_release(self.searcher(), release_id)

    def releases(self) -> Iterator[Release]:
        """Every indexed release, in id order."""
        from .search.query import load_release

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
        key = file_key(path)
        if self._sources is not None and key is not None and self._sources[0] == key:
            return dict(self._sources[1])  # as this object last read or wrote it
        saved = read_marshal(path, {})
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
