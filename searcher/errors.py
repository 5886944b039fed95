"""Exceptions the library raises; the CLI turns them into one-line messages."""

from __future__ import annotations

import os
from pathlib import Path


def path_text(path: str | Path) -> str:
    """A path as text to show or store: the bytes of a name that is not valid UTF-8 (which
    Python keeps as lone surrogates) written as ``\\xff``. Such text cannot be encoded,
    and printing, indexing or saving it failed.

    >>> path_text(os.fsdecode(b"bad_\\xff\\xfe_name.md"))
    'bad_\\\\xff\\\\xfe_name.md'
    """
    text = os.fspath(path)
    if text.isascii():
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates no file name decodes to
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class SearcherError(Exception):
    """Base class for every error searcher reports to its user."""


class ReadError(SearcherError):
    """A file that cannot become a release: names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = path_text(path)
        super().__init__(f"{self.path}: {reason}")
        self.reason = reason

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:  # pickled whole: parsing runs in worker processes
        return type(self), (self.path, self.reason)


class IndexMissing(SearcherError):
    """No index where one was expected."""


class IndexBusy(SearcherError):
    """Another process holds the index's write lock for longer than we wait."""


class BadOption(SearcherError, ValueError):
    """A search option that cannot be used (a date that is none, a page below 1): names the
    option and why. ``option``: the :class:`~searcher.SearchOptions` field at fault, when
    it is one field's (a caller that spells it otherwise can say so)."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


class InternalError(RuntimeError):
    """A bug, or a Whoosh that is not the one searcher was written for: never a user's
    mistake, so not a :class:`SearcherError` (the CLI lets it show as the bug it is)."""
