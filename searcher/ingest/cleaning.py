"""Blocks -> layout: letterhead, heading, body paragraphs and sign-off, boilerplate removed.

Releases converted from PDF carry page furniture (the ministry's address, fax and e-mail)
wherever a page ended, sometimes in the middle of a sentence. These rules recognise such lines
by their form, not by the seeds' exact wording, and mend the paragraphs a page break cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import find_dates, is_date_line
from .readers import Block

_BOILERPLATE = re.compile("|".join(f"(?:{pattern})" for pattern in [
    r"^(?:address|add|tel|telephone|phone|fax|facsimile|e-?mail|website|web|p\.?o\.? box)\s*[:.]",
    r"^(?:www\.|https?://)\S+$",
    r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$",
    r"^[\d\s()+\-.,:/]{7,}$",  # a line of phone numbers
    r"^(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?(?:\s*-)?$",
]), re.I)  # one pattern: a line is tried once, not five times
# An address's local part starts where a run of its characters does: tried from every
# position of a run, a long word ("a" a million times) cost a scan of the rest of it each
# time, hours in all; from its start only, one scan.
_EMAIL_OR_URL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|https?://\S+|www\.\S+", re.I)
_LETTERHEAD_WORDS = re.compile(
    r"^(?:press|media|news)\s+(?:release|statement|briefing)$|^(?:joint\s+)?statement$"
    r"|^(?:ministry|embassy|office|department|kingdom|republic|government)\b",
    re.I,
)
_SPOKESPERSON = re.compile(r"\b(?:spokes(?:person|man|woman)|press (?:office|secretary))\b", re.I)
_SENTENCE_END = re.compile(r"""[.!?:;"')\]…]$""")


@dataclass
class Layout:
    """Where each part of a release sits, before its metadata is read."""

    letterhead: list[str] = field(default_factory=list)  # one string a block
    heading: list[str] = field(default_factory=list)
    dateline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    signoff: list[str] = field(default_factory=list)


def is_boilerplate(line: str) -> bool:
    """Page furniture: addresses, phone and fax numbers, e-mail and web addresses, page numbers."""
    if _BOILERPLATE.match(line):
        return True
    # Counting words first: the search is slow on a long line, and only a short one counts.
    return len(line.split()) <= 8 and bool(_EMAIL_OR_URL.search(line))


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def is_letterhead(block: Block) -> bool:
    """Lines in capitals, or naming a ministry, embassy, office...: the letterhead."""
    return all(_is_upper(line) or _LETTERHEAD_WORDS.match(line) for line in block)


def _is_signoff(block: Block) -> bool:
    """``Phnom Penh, 21 October 2020`` with perhaps a spokesperson's lines under it."""
    if len(block) > 4 or any(len(line.split()) > 10 for line in block):
        return False
    return is_date_line(block[0]) or any(_SPOKESPERSON.search(line) for line in block)


def ends_sentence(text: str) -> bool:
    """Ends with a full stop that is not an abbreviation's ("Washington D.C.", "etc.")."""
    text = text.rstrip()
    if not _SENTENCE_END.search(text):
        return False
    return not re.search(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:etc|Mr|Ms|Dr|St|No)\.)$", text)


def _is_heading(block: Block) -> bool:
    text = " ".join(block)
    words = len(text.split())
    return words <= 70 and not (ends_sentence(text) and words > 12)


def layout(blocks: list[Block], title: str | None = None) -> Layout:
    """Assign blocks to their parts. ``title``: one the format declared (front matter, <h1>)."""
    blocks = [[line for line in block if not is_boilerplate(line)] for block in blocks]
    blocks = [block for block in blocks if block]
    out = Layout()

    start = 0
    while start < len(blocks) and is_letterhead(blocks[start]) and start < len(blocks) - 1:
        out.letterhead.append(" ".join(blocks[start]))
        start += 1
    end = len(blocks)
    while end > start + 1 and _is_signoff(blocks[end - 1]) and len(out.signoff) < 6:
        out.signoff[:0] = blocks[end - 1]
        end -= 1
    body = blocks[start:end]

    if title and body and _same_text(" ".join(body[0]), title):
        body = body[1:]  # the page repeats its declared title as the first block
    elif not title:
        # The heading: up to three short blocks before the first paragraph that reads as prose.
        while body and len(out.heading) < 3 and _is_heading(body[0]) and not is_date_line(body[0][0]):
            if len(body) == 1:
                break
            out.heading.extend(body[0])
            body = body[1:]
            if ends_sentence(out.heading[-1]):
                break
    if body and len(body[0]) == 1 and is_date_line(body[0][0]):
        out.dateline = body[0][0]
        body = body[1:]
    # A paragraph of marks only ("# # #", "* * *") is a separator, not text.
    out.paragraphs = [piece for p in rejoin([" ".join(block) for block in body])
                      if any(ch.isalnum() for ch in p) for piece in _bounded(p)]
    return out


#: The longest paragraph kept whole, in characters (the longest of 300 White House
#: statements has 10,246): longer ones, a text without blank lines, are cut at spaces, so
#: that no one paragraph makes every query that matches it cut snippets from megabytes.
MAX_PARAGRAPH = 20_000


def _bounded(paragraph: str) -> list[str]:
    """``paragraph`` in pieces of at most :data:`MAX_PARAGRAPH` characters, cut at spaces
    (within a word longer than that, anywhere)."""
    if len(paragraph) <= MAX_PARAGRAPH:
        return [paragraph]
    pieces, start = [], 0
    while len(paragraph) - start > MAX_PARAGRAPH:
        cut = paragraph.rfind(" ", start + MAX_PARAGRAPH // 2, start + MAX_PARAGRAPH + 1)
        cut = cut if cut > 0 else start + MAX_PARAGRAPH
        pieces.append(paragraph[start:cut].strip())
        start = cut
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def rejoin(paragraphs: list[str]) -> list[str]:
    """Mend paragraphs a page break cut: one that stops mid-sentence continues in the next."""
    out: list[str] = []
    for para in paragraphs:
        if out and not _SENTENCE_END.search(out[-1].rstrip()) and len(out[-1].split()) >= 8:
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().casefold()

    return norm(a) == norm(b)


def signoff_parts(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """(place, date text, spokesperson) from sign-off lines."""
    place = date_text = spokesperson = None
    for i, line in enumerate(lines):
        found = find_dates(line)
        if found and date_text is None:
            date_text = found[0].text
            head = line[: found[0].start].strip(" ,;-")
            place = head or place
        elif _SPOKESPERSON.search(line):
            rest = [x for x in lines[i + 1:] if not _SPOKESPERSON.search(x)]
            spokesperson = rest[0] if rest else None
            named = re.sub(_SPOKESPERSON.pattern + r".*", "", line, flags=re.I).strip(" ,:-")
            spokesperson = spokesperson or (named or None)
    return place, date_text, spokesperson
