"""Exceptions the library raises; the CLI turns them into one-line messages."""

from __future__ import annotations

from pathlib import Path


class SearcherError(Exception):
    """Base class for every error searcher reports to its user."""


class ReadError(SearcherError):
    """A file that cannot become a release: names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:  # pickled whole: parsing runs in worker processes
        return type(self), (self.path, self.reason)


class IndexMissing(SearcherError):
    """No index where one was expected."""


class IndexBusy(SearcherError):
    """Another process holds the index's write lock for longer than we wait."""


class BadOption(SearcherError, ValueError):
    """A search option that cannot be used (a date that is none, a page below 1): names the
    option and why."""
