"""The data files shipped in ``searcher/data``, read from beside this module.

Not through :mod:`importlib.resources`: importing it (with the :mod:`tempfile` and
:mod:`zipfile` machinery it brings) costs a cold ``searcher query`` more than reading the
files, and searcher is installed as plain files (a wheel or a source tree), never zipped.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def shipped_bytes(name: str) -> bytes:
    """The bytes of ``data/<name>``."""
    return (DATA / name).read_bytes()


def shipped_text(name: str) -> str:
    """The text (UTF-8) of ``data/<name>``."""
    return (DATA / name).read_text("utf-8")
