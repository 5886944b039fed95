"""Raw file -> plain-text blocks: one reader per format, chosen by suffix.

Every reader returns the same :class:`RawDocument`: blocks of text lines in reading order with
the format's markup gone, plus whatever metadata the format itself carries (front matter,
``<title>``). Deciding what a block *means* (letterhead, title, sign-off) is left to
:mod:`searcher.ingest.cleaning` and :mod:`searcher.ingest.metadata`, so that every format is read alike.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Callable

from ...errors import ReadError
from .docx import read_docx
from .document import RawDocument
from .html import read_html
from .markdown import read_markdown
from .pdf import read_pdf
from .text import Block, decode, normalize_text

__all__ = ["MAX_BYTES", "PARSE_SECONDS", "READERS", "Block", "RawDocument", "decode",
           "max_bytes", "normalize_text", "parse_seconds", "read_file"]

#: Larger files are refused: no press release comes near it, and reading one would stall a run.
MAX_BYTES = 10 * 1024 * 1024
#: Binary formats carry fonts and pictures (a scanned release is a picture a page).
MAX_BYTES_BY_SUFFIX = {".pdf": 50 * 1024 * 1024, ".docx": 50 * 1024 * 1024}


def max_bytes(path: str | Path) -> int:
    """The largest file of this kind that is read."""
    return MAX_BYTES_BY_SUFFIX.get(Path(path).suffix.lower(), MAX_BYTES)


#: Seconds a file may take to be parsed; past them it is skipped with an error, and the run
#: goes on (see :mod:`searcher.index.pool`). A text release takes about a millisecond; 1 MB
#: of text made to be slow (one honorific after another, nothing else), 5-10 s.
PARSE_SECONDS = 10.0


def parse_seconds(path: str | Path) -> float:
    """The longest a file of this kind is given to be parsed: :data:`PARSE_SECONDS`; a PDF,
    whose reader bounds its own work (its text layer, OCR), those bounds and a minute more;
    a Word file a minute."""
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        from .ocr import TOTAL_SECONDS
        from .pdf import TIME_LIMIT

        return max(PARSE_SECONDS, TIME_LIMIT + TOTAL_SECONDS + 60.0)
    if suffix == ".docx":
        return max(PARSE_SECONDS, 60.0)
    return PARSE_SECONDS

# -- dispatch -------------------------------------------------------------------------------

#: Suffix -> reader of the file's bytes. A binary format registers here like a text one.
READERS: dict[str, Callable[[Path, bytes], RawDocument]] = {
    ".txt": read_markdown,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    # Binary formats: their readers take the bytes as they are, never the text decoder.
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def read_file(path: str | Path, data: bytes | None = None) -> RawDocument:
    """Read any supported release file (or ``data``, its bytes already read); raises
    :class:`ReadError` naming the file and the reason."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(path, f"unknown file type {path.suffix or '(no extension)'!r}")
    try:
        if data is None:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read for ever
                raise ReadError(path, "not a regular file")
        size = st.st_size if data is None else len(data)
        limit = max_bytes(path)
        if size > limit:
            raise ReadError(path, f"file too large ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB)")
        if data is None:
            data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read ({exc.strerror or exc})") from None
    doc = reader(path, data)
    if not any(doc.blocks):
        raise ReadError(path, "no text found")
    return doc
