"""An index for a long-lived process: shared by its threads, following new commits.

    from searcher.live import SharedIndex

    shared = SharedIndex("index")              # follows commits made by any process
    results = shared.search("ASEAN", facets=True)
    shared.close()

An :class:`~searcher.Index` reads the commit it opened, and its Whoosh readers are not
made to be used by two threads at once. A :class:`SharedIndex` runs one call at a time
(Python runs one thread's Python at a time anyway: a lock costs a query nothing, and
several cores take several processes) and swaps in a newly opened index when
``searcher index``, ``searcher watch`` or a script has committed: a stat of two files a
call tells it, and the new commit is opened beside the old one, which goes on answering
until the new one is ready. Suggestions and people (:meth:`SharedIndex.directory`) are
read through an index of its own, in the background after a commit, so no search waits
for them. Nothing it does writes to the index.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from . import explore
from .errors import IndexMissing
from .engine import Index
from .index.store import CURRENT, MANIFEST
from .ingest.release import Release
from .search.options import SearchOptions
from .search.results import Results
from .search.snippets import Snippet

T = TypeVar("T")
#: What tells a new commit: CURRENT (a rebuild swaps it) and the generation folder (an
#: update renames Whoosh's new table of contents into it), by inode, size and time.
Signature = tuple[tuple[int, ...] | None, tuple[int, ...] | None]


def _stat(path: str | Path) -> tuple[int, ...] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _manifest(index: Index, default: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads((index.generation / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return default


class SharedIndex:
    """The last committed state of the index at ``path``, for many threads.

    ``follow``: look for a new commit before each call (two ``stat`` calls) and open it
    when one came; ``warm``: run a first query on opening, so that the imports and caches
    a query needs are ready before the first caller. ``on_refresh`` hears each new
    commit opened (its generation folder)."""

    def __init__(self, path: str | Path = "index", *, follow: bool = True, warm: bool = True,
                 on_refresh: Callable[[Path], None] | None = None):
        self.path = Path(path)
        self.follow = follow
        self.on_refresh = on_refresh
        self._lock = threading.Lock()  # one call at a time on the open index
        self._refreshing = threading.Lock()  # one opening of a new commit at a time
        self._directory_lock = threading.Lock()
        self._first_directory = threading.Lock()
        self._directory: tuple[tuple[str, int], explore.Directory] | None = None
        self._directory_reading = False
        self._current = self.path / CURRENT
        self._seen: tuple[tuple[int, ...] | None, str | None] = (None, None)
        self._signature = self._look()
        self._index = Index.open(self.path)
        self._closed = False
        if warm:
            self._index.search("warm", limit=1)

    # -- following commits -------------------------------------------------------------

    def _look(self) -> Signature:
        """The signature of the index's state now. (Before every call: CURRENT is read
        again only when its ``stat`` has changed; it is replaced whole, by a rename.)"""
        current = _stat(self._current)
        seen, generation = self._seen
        if current is None or current != seen:
            try:
                name = self._current.read_text("utf-8").strip()
            except OSError:
                return current, None
            generation = os.path.join(self.path, name) if name else None
            self._seen = (current, generation)  # one object: other threads see both or none
        return current, _stat(generation) if generation else None

    def refresh(self) -> bool:
        """Open the index's latest commit if it is not the one open; True if it was not.
        The call in progress, if any, finishes on the index it started with."""
        signature = self._look()
        if signature == self._signature:
            return False
        with self._refreshing:
            if signature == self._signature:
                return False  # another thread opened it meanwhile
            with self._lock:
                same = self._same_commit()
            if same:  # only the bookkeeping after a commit: its counts are news
                with self._lock:
                    self._index.manifest = _manifest(self._index, self._index.manifest)
                self._signature = signature
                return False
            try:
                fresh = Index.open(self.path)
            except (IndexMissing, OSError):
                return False  # mid-swap or gone: keep answering from the one open
            with self._lock:
                fresh._take_caches(self._index)  # its unchanged segments' arrays and postings
                old, self._index = self._index, fresh
                self._signature = signature
                old.close()
        if self.on_refresh:
            self.on_refresh(fresh.generation)
        return True

    def _same_commit(self) -> bool:
        """Is the open index the latest commit? (under the lock)"""
        try:
            name = (self.path / CURRENT).read_text("utf-8").strip()
        except OSError:
            return True
        if self.path / name != self._index.generation:
            return False
        return self._index.searcher().up_to_date()

    @contextmanager
    def using(self) -> Iterator[Index]:
        """The open index, for one call from this thread (others wait meanwhile)."""
        if self._closed:
            raise IndexMissing(f"{self.path}: closed")
        if self.follow:
            self.refresh()
        with self._lock:
            yield self._index

    def _call(self, fn: Callable[[Index], T]) -> T:
        with self.using() as index:
            return fn(index)

    # -- reading -----------------------------------------------------------------------

    def search(self, text: str | SearchOptions = "", **options: Any) -> Results:
        """:meth:`searcher.Index.search` on the latest commit (the text and options as
        keywords, or one :class:`~searcher.SearchOptions`)."""
        return self._call(lambda ix: ix.search(text, **options))

    def release(self, release_id: str) -> Release | None:
        """:meth:`searcher.Index.release` on the latest commit."""
        return self._call(lambda ix: ix.release(release_id))

    def suggest(self, prefix: str, limit: int = 10) -> list[explore.Suggestion]:
        """:meth:`searcher.explore.Directory.suggest` on the latest :meth:`directory`."""
        return self.directory().suggest(prefix, limit)

    def directory(self) -> explore.Directory:
        """The :class:`searcher.explore.Directory` (people, countries, title words) of the
        latest commit, read-only once made, for any thread. It is read through an index
        of its own, so no search waits for it; for the seconds after a commit while the
        new one is read in the background, the previous one answers."""
        with self._lock:
            commit = explore.commit_of(self._index)
        with self._directory_lock:
            made = self._directory
            if made is not None and made[0] != commit and not self._directory_reading:
                self._directory_reading = True
                threading.Thread(target=self._read_directory, daemon=True).start()
        if made is not None:
            return made[1]
        with self._first_directory:  # made once, however many ask at first
            if self._directory is not None:
                return self._directory[1]
            return self._read_directory()

    def _read_directory(self) -> explore.Directory:
        try:
            with Index.open(self.path) as own:
                commit, found = explore.commit_of(own), explore.Directory(explore.records(own))
            with self._directory_lock:
                if self._directory is None or self._directory[0] != commit:
                    self._directory = (commit, found)
            return found
        finally:
            with self._directory_lock:
                self._directory_reading = False

    def top(self, kind: explore.SuggestionKind, limit: int = 10) -> list[explore.Suggestion]:
        """:meth:`searcher.explore.Directory.top` on the latest :meth:`directory`."""
        return self.directory().top(kind, limit)

    def person(self, key: str) -> explore.Person | None:
        """:meth:`searcher.explore.Directory.person` on the latest :meth:`directory`."""
        return self.directory().person(key)

    def highlight(self, query: str, texts: list[str],
                  synonyms: str | Path | None = None) -> list[Snippet]:
        """:func:`searcher.explore.highlight` on the latest commit."""
        return self._call(lambda ix: explore.highlight(ix, query, texts, synonyms))

    def stats(self) -> dict[str, Any]:
        """What is open: the generation, its Whoosh commit, releases and paragraphs."""
        def read(ix: Index) -> dict[str, Any]:
            return {"generation": ix.generation.name,
                    "commit": ix.searcher().reader().generation(),
                    "releases": ix.manifest.get("releases"),
                    "paragraphs": ix.manifest.get("paragraphs"),
                    "updated": ix.manifest.get("updated")}
        return self._call(read)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._index.close()

    def __enter__(self) -> SharedIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
