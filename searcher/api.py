"""The public functions behind both ``import searcher`` and the ``searcher`` command."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine import Index
from .errors import IndexMissing, SearcherError
from .index.folder import ScanNotes, fingerprint, scan
from .index.store import DEFAULT_WAIT
from .ingest.release import Release
from .search.options import SearchOptions
from .search.results import Results

if TYPE_CHECKING:  # parsing and writing are imported when an index is written
    from .index.build import IndexReport, Progress

Notify = Callable[[str], None]


def parse_file(path: str | Path, release_id: str | None = None,
               data: bytes | None = None) -> Release:
    """Read one release file into a clean :class:`Release` (id: ``release_id`` or the file's
    stem; ``data``: its bytes, if already read). Raises :class:`ReadError` (file and reason)
    for a file that holds no release; one lacking only a title or a date comes back with
    ``warnings`` saying so."""
    from .ingest.parse import parse_file as parse

    return parse(path, release_id, data)


def build_index(*, documents: str | Path = "documents", index: str | Path = "index",
                progress: Progress | None = None, wait: float = DEFAULT_WAIT
                ) -> tuple[Index, IndexReport]:
    """Build the index at ``index`` from scratch from the release files under ``documents``
    (both keyword-only: they cannot be swapped by accident)."""
    return Index.build(documents=documents, index=index, progress=progress, wait=wait)


def update_index(*, documents: str | Path = "documents", index: str | Path = "index",
                 rebuild: bool = False, progress: Progress | None = None,
                 notify: Notify | None = None, wait: float = DEFAULT_WAIT
                 ) -> tuple[Index, IndexReport]:
    """Bring ``index`` in line with ``documents``: incrementally, or from scratch when asked,
    when there is no index yet, or when it was written with other settings."""
    if not rebuild:
        try:
            opened = Index.open(index)
        except IndexMissing as missing:
            if Index.exists(index) and notify:
                notify(f"{missing}: rebuilding")
        else:
            return opened, opened.update(documents, progress=progress, wait=wait)
    return Index.build(documents=documents, index=index, progress=progress, wait=wait)


def open_index(index: str | Path = "index", *, documents: str | Path | None = "documents",
               build: bool = True, notify: Notify | None = None,
               progress: Progress | None = None, refresh: bool = False) -> Index:
    """Open the index at ``index``. If there is none (or it was written with other settings)
    and ``build`` is true, build it from ``documents`` first, telling ``notify`` why.
    ``refresh``: update it from ``documents`` first; otherwise ``notify`` hears when the
    documents changed since the last index run."""
    try:
        opened = Index.open(index)
    except IndexMissing as missing:
        if not build or documents is None:
            raise
        if notify:
            reason = "no index yet" if not Index.exists(index) else str(missing).split(";")[0]
            notify(f"{reason} in {index}: building it from {documents}")
        opened, _ = Index.build(documents=documents, index=index, progress=progress)
        return opened
    if documents is not None and Path(documents).is_dir():
        if refresh:
            report = opened.update(documents, progress=progress)
            if notify and report.touched:
                notify(f"refreshed: {report.added} added, {report.changed} changed, "
                       f"{report.removed} removed")
        elif notify and opened.is_stale(documents):
            notify(f"{documents} changed since the last index run; "
                   "run `searcher index` or add --refresh")
    return opened


def search(text: str | SearchOptions, *, index: str | Path = "index",
           documents: str | Path | None = "documents", **options: Any) -> Results:
    """One-shot search: open (or build) the index, search with ``options`` (those of
    :meth:`Index.search`, or one :class:`SearchOptions` as ``text``), close."""
    with open_index(index, documents=documents) as opened:
        if isinstance(text, SearchOptions):
            return opened.search(text)
        return opened.search(text, **options)


def watch(*, documents: str | Path = "documents", index: str | Path = "index",
          interval: float = 2.0, debounce: float = 1.0,
          on_update: Callable[[IndexReport], None] | None = None,
          should_stop: Callable[[], bool] = lambda: False, notify: Notify | None = None) -> None:
    """Follow ``documents`` and update ``index`` when it changes. Polls every ``interval``
    seconds; a burst of changes is waited out until the folder has been still for
    ``debounce`` seconds, then indexed in one update.

    A documents folder that disappears (a remount, a sync tool replacing it) or cannot be
    read is waited for, polling as before, and followed again when it is back; an update
    that fails (the folder went again meanwhile, another writer holds the index) is told to
    ``notify`` and tried again at the next poll."""
    opened, report = update_index(documents=documents, index=index, notify=notify)
    if on_update:
        on_update(report)
    seen, missing = _state(documents), False
    try:
        while not should_stop():
            time.sleep(interval)
            now = _state(documents)
            if now is None:
                if not missing and notify:
                    notify(f"{documents}: the documents folder is gone or cannot be read; "
                           "waiting for it")
                missing = True
                continue
            if missing and notify:
                notify(f"{documents}: the documents folder is back")
            missing = False
            if now == seen:
                continue
            while not should_stop():  # debounce: wait for the folder to settle
                time.sleep(debounce)
                settled = _state(documents)
                if settled == now:
                    break
                now = settled
            if now is None:
                continue  # gone while settling: waited for above
            try:
                report = opened.update(documents)
            except SearcherError as exc:
                if notify:
                    notify(f"{exc}; trying again")
                continue
            seen = now
            if on_update:
                on_update(report)
    finally:
        opened.close()


def _state(documents: str | Path) -> str | None:
    """The documents folder's fingerprint, or None if it is gone or cannot be listed."""
    notes = ScanNotes()
    entries = scan(documents, notes=notes)
    return None if "" in notes.unreadable else fingerprint(entries)
