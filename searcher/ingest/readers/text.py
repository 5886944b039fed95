"""Bytes -> normalised text, and text lines -> blocks: what every text format shares."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ...errors import ReadError

Block = list[str]


# -- decoding -------------------------------------------------------------------------------

#: Typographic characters and their plain forms ("" for those dropped).
_PLAIN = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u3000": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\u00ad": "", "\r": "",
}
# Found by one pattern and replaced where they are: str.translate looks up every character
# of the text in a table, nine times slower on releases with a few curly quotes.
_TYPOGRAPHIC = re.compile("[" + "".join(_PLAIN) + "]")


def normalize_text(text: str) -> str:
    """NFC, straight quotes and apostrophes, plain spaces: "Cambodia’s" reads as "Cambodia's"."""
    return _TYPOGRAPHIC.sub(lambda match: _PLAIN[match[0]], unicodedata.normalize("NFC", text))


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
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "undecodable bytes: not UTF-8 and no known encoding fits")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise ReadError(path, f"binary file: decodes as {best.encoding} to control characters")
    return text


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
