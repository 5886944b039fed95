"""Releases -> Whoosh index on disk: build, open, and the index's own bookkeeping.

An index directory holds generations, each a complete Whoosh index, and a ``CURRENT`` file
naming the one in use::

    index/
      CURRENT            -> "gen-20261123T101500-1a2b"
      gen-20261123T101500-1a2b/
        MAIN_*.toc, *.seg ...   (Whoosh)
        manifest.json           (format version, analysis settings, documents folder)

A rebuild writes a new generation beside the old and swaps ``CURRENT`` with an atomic rename,
so readers see the old index or the new one, never half of one, and a run killed midway
leaves the old index as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema as fields
from .analysis import ANALYSIS_VERSION
from .errors import IndexMissing, ReadError, SearcherError
from .ingest import content_hash, parse_file, release_files, unify_people
from .releases import Release

#: Bump when the index's layout or stored records change.
FORMAT_VERSION = 1
CURRENT = "CURRENT"
MANIFEST = "manifest.json"

Progress = Callable[[Path], None]


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
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added, "changed": self.changed, "removed": self.removed,
            "unchanged": self.unchanged, "failed": len(self.failed),
            "errors": [{"path": e.path, "reason": e.reason} for e in self.failed],
            "warnings": list(self.warnings), "paragraphs": self.paragraphs,
            "seconds": round(self.seconds, 3),
        }


def _settings() -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "analysis": ANALYSIS_VERSION}


def _current(root: Path) -> Path | None:
    try:
        name = (root / CURRENT).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = root / name
    return gen if name and gen.is_dir() else None


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_releases(paths: Iterable[Path], report: IndexReport,
                  progress: Progress | None = None) -> list[tuple[Release, dict[str, Any]]]:
    """Parse files, one bad file never stopping the rest: failures go to ``report``."""
    out = []
    for path in paths:
        try:
            release = parse_file(path)
            source = {"path": str(path), "hash": content_hash(path)}
            out.append((release, source))
            report.warnings.extend(f"{path}: {w}" for w in release.warnings)
        except ReadError as exc:
            report.failed.append(exc)
        except Exception as exc:  # a parser bug must cost one file, not the run
            report.failed.append(ReadError(path, f"could not be parsed ({type(exc).__name__}: {exc})"))
        if progress:
            progress(path)
    unify_people([release for release, _ in out])
    return out


class Index:
    """A searcher index on disk. Open one with :meth:`open`, make one with :meth:`build`."""

    def __init__(self, root: Path, generation: Path):
        from whoosh import index as whoosh_index

        self.root = root
        self.generation = generation
        self.manifest: dict[str, Any] = json.loads((generation / MANIFEST).read_text("utf-8"))
        self._ix = whoosh_index.open_dir(str(generation))
        self._searcher = None
        self.searcher()  # open the files now: this object keeps reading the generation it opened

    # -- opening and building -----------------------------------------------------------

    @staticmethod
    def exists(path: str | Path = "index") -> bool:
        """Is there an index at ``path``?"""
        return _current(Path(path)) is not None

    @classmethod
    def open(cls, path: str | Path = "index") -> Index:
        """Open the index at ``path``; :class:`IndexMissing` if there is none."""
        root = Path(path)
        gen = _current(root)
        if gen is None:
            raise IndexMissing(f"no index in {root} (run `searcher index` to build one)")
        index = cls(root, gen)
        if {k: index.manifest.get(k) for k in _settings()} != _settings():
            index.close()
            raise IndexMissing(f"the index in {root} was made by another version of searcher; "
                               "rebuild it with `searcher index --rebuild`")
        return index

    @classmethod
    def build(cls, documents: str | Path = "documents", path: str | Path = "index",
              progress: Progress | None = None) -> tuple[Index, IndexReport]:
        """Build a fresh index of every release under ``documents`` and swap it in."""
        started = time.perf_counter()
        documents, root = Path(documents), Path(path)
        if not documents.is_dir():
            raise SearcherError(f"{documents}: no such documents folder")
        root.mkdir(parents=True, exist_ok=True)
        report = IndexReport()
        releases = read_releases(list(release_files(documents)), report, progress)
        gen = root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        try:
            report.paragraphs = _write_generation(gen, releases, documents)
            _write_atomic(root / CURRENT, gen.name)
            _fsync_dir(root)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        report.added = len(releases)
        _remove_old_generations(root, keep=gen.name)
        report.seconds = time.perf_counter() - started
        return cls(root, gen), report

    # -- reading ------------------------------------------------------------------------

    @property
    def documents(self) -> Path | None:
        """The folder this index was built from."""
        folder = self.manifest.get("documents")
        return Path(folder) if folder else None

    def searcher(self):
        """The open Whoosh searcher (kept for the life of this object)."""
        if self._searcher is None:
            from .query import weighting

            self._searcher = self._ix.searcher(weighting=weighting())
        return self._searcher

    def search(self, text: str, limit: int = 10, page: int = 1, snippets: int = 3):
        """Search: a :class:`~searcher.query.Results` of releases, best first."""
        from .query import search

        return search(self.searcher(), text, limit=limit, page=page, snippets=snippets)

    def release(self, release_id: str) -> Release | None:
        """One indexed release by id (the file's stem), with its paragraphs."""
        from .query import load_release

        return load_release(self.searcher(), release_id)

    def releases(self) -> Iterator[Release]:
        """Every indexed release, in id order."""
        from .query import load_release

        searcher = self.searcher()
        ids = sorted(d["release_id"] for d in searcher.documents(doctype="release"))
        for release_id in ids:
            release = load_release(searcher, release_id)
            if release is not None:
                yield release

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


def _write_generation(gen: Path, releases: list[tuple[Release, dict[str, Any]]],
                      documents: Path) -> int:
    from whoosh import index as whoosh_index

    gen.mkdir(parents=True)
    ix = whoosh_index.create_in(str(gen), fields.build_schema())
    writer = ix.writer(limitmb=256)
    count = 0
    try:
        for release, source in releases:
            for doc in fields.paragraph_documents(release):
                writer.add_document(**doc)
                count += 1
            writer.add_document(**fields.release_document(release, source))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    manifest = {**_settings(), "documents": str(documents.resolve()),
                "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "releases": len(releases),
                "paragraphs": count}
    _write_atomic(gen / MANIFEST, json.dumps(manifest, indent=2))
    return count


def _remove_old_generations(root: Path, keep: str) -> None:
    """Remove generations older than the one before ``keep``: the previous one stays, so a
    process that opened it just before the swap can still read files it has not opened yet."""
    gens = sorted((c for c in root.iterdir() if c.is_dir() and c.name.startswith("gen-")),
                  key=lambda c: c.stat().st_mtime)
    older = [g for g in gens if g.name != keep]
    for child in older[:-1]:
        shutil.rmtree(child, ignore_errors=True)
