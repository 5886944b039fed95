"""Bytes -> normalised text, and text lines -> blocks: what every text format shares."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ...errors import ReadError
from ..typography import normalize_text

Block = list[str]


# -- decoding -------------------------------------------------------------------------------

def decode(data: bytes, path: str | Path = "<bytes>") -> str:
    """Bytes -> text: BOMs honoured, UTF-8 first, then charset detection (cp1252, latin-1...)."""
    if not data.strip():
        raise ReadError(path, "empty file")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError(path, f"undecodable bytes after {codec} BOM ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = _likeliest(data)
    if best is None:
        raise ReadError(path, "undecodable bytes: not UTF-8 and no known encoding fits")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise ReadError(path, f"binary file: decodes as {best.encoding} to control characters")
    return text


#: How far a code page's scores may be from the best's and still count as tied with it.
_TIED = 0.01


def _likeliest(data: bytes):
    """charset_normalizer's best guess, except that among the code pages it finds as good
    as the best, Windows-1252 wins. Single-byte code pages decode most Western text alike,
    and charset_normalizer breaks their ties by name: "naïve" in Windows-1252 came out as
    "naďve" (cp1250) or "naﺅve" (cp1006). Windows-1252 is what Western text not in UTF-8
    is written in, by far, and what HTML reads such bytes as; a text it decodes worse
    (Czech, Turkish, Greek, Cyrillic) keeps its own code page."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + _TIED \
                and match.coherence >= best.coherence - _TIED:
            return match
    return best


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\t\r\f")
    return bad / max(1, len(sample))


# -- blocks -------------------------------------------------------------------------------

def split_blocks(lines: list[str]) -> list[Block]:
    """Split lines into blocks at blank lines (lines of only spaces count as blank)."""
    blocks: list[Block] = []
    current: Block = []
    for line in lines:
        line = " ".join(line.split())  # as re.sub(r"\s+", " ", line).strip(): same spaces
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def text_of(data: bytes, path: str | Path = "<bytes>") -> str:
    """A text format's bytes as normalised text."""
    return normalize_text(decode(data, path))
