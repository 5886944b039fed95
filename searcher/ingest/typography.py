"""Typographic characters -> plain ones: what a release's text and a query are both read
through ("Cambodia’s" finds "Cambodia's"). Light (no readers): a query imports it."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_text"]

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
