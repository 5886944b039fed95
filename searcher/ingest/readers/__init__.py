"""Raw file -> plain-text blocks: one reader per format, chosen by suffix.

Every reader returns the same :class:`RawDocument`: blocks of text lines in reading order with
the format's markup gone, plus whatever metadata the format itself carries (front matter,
``<title>``). Deciding what a block *means* (letterhead, title, sign-off) is left to
:mod:`searcher.ingest.cleaning` and :mod:`searcher.ingest.metadata`, so that every format is read alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ...errors import ReadError
from .document import RawDocument
from .html import read_html
from .markdown import read_markdown
from .text import Block, decode, normalize_text

__all__ = ["MAX_BYTES", "READERS", "Block", "RawDocument", "decode", "normalize_text", "read_file"]

#: Larger files are refused: no press release comes near it, and reading one would stall a run.
MAX_BYTES = 10 * 1024 * 1024

# -- dispatch -------------------------------------------------------------------------------

#: Suffix -> reader of the file's bytes. A binary format registers here like a text one.
READERS: dict[str, Callable[[Path, bytes], RawDocument]] = {
    ".txt": read_markdown,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}


def read_file(path: str | Path, data: bytes | None = None) -> RawDocument:
    """Read any supported release file (or ``data``, its bytes already read); raises
    :class:`ReadError` naming the file and the reason."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(path, f"unknown file type {path.suffix or '(no extension)'!r}")
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_BYTES:
            raise ReadError(path, f"file too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
        if data is None:
            data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read ({exc.strerror or exc})") from None
    doc = reader(path, data)
    if not any(doc.blocks):
        raise ReadError(path, "no text found")
    return doc
