"""Documents folder -> release files: scan, ids, fingerprints and change detection."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import ReadError, path_text
from ..ingest.suffixes import RELEASE_SUFFIXES


def content_hash(data: bytes) -> str:
    """What identifies a file's content for incremental updates."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileEntry(NamedTuple):
    """A release file found in a documents folder, with what ``stat`` says of it. (A tuple:
    a folder of many files makes many entries, and this is the cheapest to make.)"""

    full: str  # the file's path, as a string
    rel: str  # path under the folder, with "/"
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.full)


@dataclass
class ScanNotes:
    """What a scan could not take: ``warnings`` (one line each, for the report) and the
    folders it could not list (``unreadable``, as prefixes of the release ids under them:
    "2023/", or "" for the documents folder itself). Releases indexed from an unreadable
    folder are kept: a permission problem must not delete them."""

    warnings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def keeps(self, release_id: str) -> bool:
        """Is ``release_id`` under a folder that could not be listed?"""
        return any(release_id.startswith(prefix) for prefix in self.unreadable)


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device"}


def scan(folder: str | Path, times: dict[str, int] | None = None,
         notes: ScanNotes | None = None) -> list[FileEntry]:
    """Every file under ``folder`` whose suffix a reader knows, sorted by path; hidden files
    and folders (".git", editors' ".swp") are not releases. One walk, stat included.

    ``times``, if given, receives each folder's modification time by its path under
    ``folder`` ("." for itself): adding, removing or renaming a file changes its folder's.
    Each is taken before the folder is listed: a file added meanwhile leaves it changed.

    Symbolic links: one to a file inside the documents folder is followed (the release has
    the link's id and the file's path); one to anything outside it is not, nor one to a
    folder (its files are found where they are), nor a loop or a dangling link. ``notes``,
    if given, receives a warning for each link not followed, each FIFO, socket or device
    with a release's suffix, and each folder that could not be listed."""
    found: list[FileEntry] = []
    root = os.fspath(folder)
    inside: str | None = None  # the folder's real path, found at the first link
    pending = [("", root)]

    def warn(path: str, reason: str) -> None:
        if notes is not None:
            notes.warnings.append(f"{path_text(path)}: {reason}")

    while pending:
        prefix, path = pending.pop()
        try:
            if times is not None:
                times[prefix[:-1] or "."] = os.stat(path).st_mtime_ns
            listing = os.scandir(path)
        except OSError as exc:
            if notes is not None:
                notes.unreadable.append(prefix)
            what = "the documents folder" if not prefix else "this folder"
            warn(path, f"cannot read {what} ({exc.strerror or exc}); the releases indexed "
                       "from it before are kept")
            continue
        with listing:
            for entry in listing:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_symlink():
                        if inside is None:
                            inside = os.path.realpath(root)
                        linked = _linked(entry, root, inside, warn)
                        if linked is not None:
                            found.append(FileEntry(linked[0], prefix + name, *linked[1:]))
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((f"{prefix}{name}/", entry.path))
                        continue
                    if not _has_reader(name):
                        continue
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    warn(entry.path, f"cannot read ({exc.strerror or exc}); skipped")
                    continue
                if stat.S_ISREG(st.st_mode):
                    found.append(FileEntry(entry.path, prefix + name, st.st_size,
                                           st.st_mtime_ns))
                else:
                    kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
                    warn(entry.path, f"{kind}, not a release file; skipped")
    found.sort(key=lambda e: e.rel)
    return found


def _has_reader(name: str) -> bool:
    dot = name.rfind(".")
    return dot >= 1 and name[dot:].lower() in RELEASE_SUFFIXES


def _linked(entry: os.DirEntry, root: str, inside: str,
            warn: Callable[[str, str], None]) -> tuple[str, int, int] | None:
    """(path, size, mtime) of the file a link found in the folder stands for, if it is to
    be read (see :func:`scan`); ``inside``: the documents folder's real path."""
    try:
        st = os.stat(entry.path)  # through the link, and any link it leads to
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            warn(entry.path, "symbolic link loop; not followed")
        elif exc.errno == errno.ENOENT:
            warn(entry.path, f"dangling link (to {path_text(os.readlink(entry.path))}); skipped")
        else:
            warn(entry.path, f"cannot follow link ({exc.strerror or exc}); skipped")
        return None
    target = os.path.realpath(entry.path)
    if os.path.commonpath([inside, target]) != inside:
        warn(entry.path, f"links outside the documents folder (to {path_text(target)}); "
                         "not followed")
        return None
    if stat.S_ISDIR(st.st_mode) or not _has_reader(entry.name):
        return None  # a folder inside: its files are found at their own paths
    if not stat.S_ISREG(st.st_mode) or not _has_reader(os.path.basename(target)):
        warn(entry.path, f"links to {path_text(target)}, not a release file; skipped")
        return None
    # The file's path as the folder's spelling reaches it, with no link left in it.
    return os.path.join(root, os.path.relpath(target, inside)), st.st_size, st.st_mtime_ns


def read_release_bytes(path: str | Path, limit: int) -> tuple[bytes | None, os.stat_result]:
    """A release file's bytes (``None`` if it holds more than ``limit``) and its stat, read
    from what :func:`scan` found there: a regular file, reached without following a link
    (one put in its place since is refused), opened without blocking (a FIFO put in its
    place would wait for a writer for ever). Raises OSError, or ReadError for a file that
    is not a regular one now."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise ReadError(path, "became a symbolic link since the folder was read; "
                                  "skipped") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(path, "not a regular file; skipped")
        if st.st_size > limit:
            return None, st
        with open(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1), st
    finally:
        os.close(fd)


def release_files(folder: str | Path) -> list[Path]:
    """The release files under ``folder``, in a stable order."""
    return [entry.path for entry in scan(folder)]


def release_ids(entries: Iterable[FileEntry]) -> dict[FileEntry, str]:
    """A stable id for each file: its path under the folder without the suffix
    ("2023/readout-x"); the seeds' ids are their stems. Files differing only by suffix keep
    it in the id of all but the first ("a", "a.html"). A name that is not valid UTF-8 has
    its stray bytes written out ("bad_\\xff_name"): an id is text, to index and show."""
    ids: dict[FileEntry, str] = {}
    taken: set[str] = set()
    for entry in entries:
        rel = path_text(entry.rel)
        stem = rel.rpartition(".")[0]  # every entry has a reader's suffix
        release_id = rel if stem in taken else stem
        taken.add(release_id)
        ids[entry] = release_id
    return ids


def fingerprint(entries: Iterable[FileEntry]) -> str:
    """A digest of the release files' names, sizes and modification times: when it differs
    from the index's, the documents changed since the last index run."""
    lines = "".join(f"{e.rel}\0{e.size}\0{e.mtime_ns}\n" for e in entries)
    return hashlib.blake2b(lines.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def folders_changed(folder: str | Path, times: dict[str, int]) -> bool:
    """Has any folder whose time :func:`scan` recorded changed or gone? Stats only those."""
    for rel, mtime_ns in times.items():
        try:
            if os.stat(os.path.join(str(folder), rel)).st_mtime_ns != mtime_ns:
                return True
        except OSError:
            return True
    return False


#: Above this many releases, a query's staleness check stats the folders, not every file.
QUICK_CHECK_FROM = 10_000

#: What the manifest records of the documents folder: the files' fingerprint, and each
#: folder's modification time.
State = dict[str, Any]


#: A file modified this close to when it was read may have changed again within the clock's
#: resolution: its content is hashed whatever its size and time say (git's "racy" files).
RACY_NS = 2_000_000_000


def same_stat(entry, source: dict[str, Any]) -> bool:
    """Is the file as it was when indexed, by path, size and modification time? Saves
    hashing the unchanged files of a large folder."""
    return (source.get("path") == entry.full
            and source.get("size") == entry.size
            and source.get("mtime_ns") == entry.mtime_ns
            and entry.mtime_ns < source.get("read_ns", 0) - RACY_NS)


def look(folder: Path) -> tuple[list, State, ScanNotes]:
    """The folder's release files, its state for the manifest, and what the scan could not
    take. Each folder's time is taken before it is listed: a file added meanwhile leaves the
    index looking stale, never fresh."""
    folders: dict[str, int] = {}
    notes = ScanNotes()
    entries = scan(folder, folders, notes)
    return entries, {"fingerprint": fingerprint(entries), "folders": folders}, notes
