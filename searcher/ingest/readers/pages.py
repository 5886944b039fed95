"""Pages of positioned lines -> blocks: what PDF text layers and OCR output share.

A PDF holds no paragraphs, only glyphs at places. This module puts lines back into the order
and the paragraphs a person reads, using where each line stands and how it is set:

- page furniture is dropped: lines repeated at the same height on several pages (running
  headers, footers, the letterhead printed on every page), page numbers, and small print at
  the foot of a page; the first page keeps a repeated header that reads as a letterhead;
- a page of two columns is read column by column (lines spanning both stay in place);
- lines become paragraphs by their spacing, first-line indents, font changes, and lines that
  end early after a full stop (the next word would have fitted);
- a word hyphenated at a line end is joined again, and a paragraph cut by a column or page
  break continues on the next when the sentence was not finished;
- the first page's bold or larger lines before the body are the title.

Coordinates are PDF points measured from the top of the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .document import Block


@dataclass(slots=True)
class Line:
    """A run of text on one baseline, with how it is set."""

    text: str
    x0: float
    x1: float
    base: float  # baseline, from the page's top
    size: float  # font size, points
    bold: bool = False
    first_word: float = 0.0  # width of the first word, points
    page: int = 0
    row: int = -1  # lines cut from one row of glyphs share it


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class Laid:
    """What :func:`lay_out` read: blocks of lines, the title, and web addresses printed in
    the page furniture (the address a release was published at)."""

    blocks: list[Block]
    title: str | None = None
    urls: list[str] = field(default_factory=list)


_DIGITS = re.compile(r"\d+")
# "|", "l" and "I" for "1": how OCR reads a lone digit one.
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page|p\.)?\s*[\d|lI]{1,4}(?:\s*(?:of|/)\s*[\d|lI]{1,4})?(?:\s*[-–—])?$", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s,;]+", re.I)
_HYPHEN_END = re.compile(r"([A-Za-z0-9]*[A-Za-z0-9])[-\u00ad\u2010]$")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_SENTENCE_END = re.compile(r"""[.!?:;"')\]…]$""")
_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:etc|Mr|Ms|Dr|St|No)\.)$")
#: First parts of compounds written with a hyphen ("co-chaired", "socio-economic") and last
#: parts ("people-to-people", "long-term"): a hyphen at a line end after or before one of
#: these is the word's own. Any other is the typesetter's, unless the document writes the
#: word so elsewhere.
_COMPOUND_HEADS = {"co", "non", "self", "socio", "anti", "multi", "cross", "vice", "ex",
                   "well", "half", "mid", "intra", "counter", "low"}
_COMPOUND_TAILS = {"based", "level", "term", "time", "free", "making", "led", "related",
                   "wide", "scale", "up", "in", "out", "on", "off", "owned", "run", "like",
                   "to", "people", "stay", "year", "day", "building", "party", "point",
                   "border", "being", "speaking", "oriented", "called", "known", "hoc"}


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return bool(_SENTENCE_END.search(text)) and not _ABBREVIATION_END.search(text)


def _is_letterhead(text: str) -> bool:
    from ..cleaning import is_letterhead  # late: cleaning imports the readers package

    return is_letterhead([text])


def _key(line: Line) -> str:
    return _DIGITS.sub("#", " ".join(line.text.casefold().split()))


# -- page furniture -----------------------------------------------------------------------

def _furniture(pages: list[Page], body_size: float) -> tuple[set[int], set[int]]:
    """(ids of lines to drop, ids of first-page lines repeated as a running header)."""
    drop: set[int] = set()
    first_header: set[int] = set()
    places: dict[str, list[tuple[int, Line]]] = {}
    for number, page in enumerate(pages):
        for line in page.lines:
            places.setdefault(_key(line), []).append((number, line))
    if len(pages) >= 2:
        need = 2 if len(pages) <= 3 else max(2, len(pages) // 2)
        for found in places.values():
            on_pages = {n for n, _ in found}
            if len(on_pages) < need:
                continue
            # The same height on each page (within a line), in the top or bottom quarter:
            # a sentence a release repeats is not furniture.
            bases = [line.base for _, line in found]
            page = pages[found[0][0]]
            edge = all(line.base < page.height * 0.3 or line.base > page.height * 0.7
                       for _, line in found)
            if edge and max(bases) - min(bases) <= max(2 * body_size, 12):
                for n, line in found:
                    if n == 0 and line.base < page.height * 0.5:
                        first_header.add(id(line))
                    else:
                        drop.add(id(line))
    for page in pages:
        body = [line for line in page.lines if id(line) not in drop]
        for line in body:
            near_edge = line.base < page.height * 0.12 or line.base > page.height * 0.88
            if near_edge and _PAGE_NUMBER.match(line.text.strip()):
                drop.add(id(line))
        # Small print at the foot of a page, under a gap: the footer of a page that has
        # no other page to repeat it.
        rest = sorted((line for line in body if id(line) not in drop), key=lambda l: l.base)
        for i in range(len(rest) - 1, 0, -1):
            line, above = rest[i], rest[i - 1]
            if line.base < page.height * 0.8 or line.size > body_size * 0.9:
                break
            drop.add(id(line))
            if line.base - above.base > 2.0 * line.size and above.size > body_size * 0.9:
                break
    return drop, first_header


# -- reading order --------------------------------------------------------------------------

def _columns(lines: list[Line], width: float) -> list[list[Line]]:
    """The page's lines in reading order, as runs read top to bottom: one run for a page of
    one column; for two columns, each band between lines that span both gives its left
    column's run, then its right column's."""
    lines = sorted(lines, key=lambda l: (l.base, l.x0))
    if len(lines) < 8:
        return [_merge_rows(lines, None)]
    best = None
    for step in range(30, 71):
        x = width * step / 100
        left = sum(1 for l in lines if l.x1 <= x)
        right = sum(1 for l in lines if l.x0 >= x)
        across = len(lines) - left - right
        score = min(left, right)
        if score >= 2 and across <= 0.25 * (left + right) and (best is None or score > best[0]):
            best = (score, x)
    if best is None:
        return [_merge_rows(lines, None)]
    gutter = best[1]
    lines = _merge_rows(lines, gutter)
    runs: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        runs.extend(run for run in (left[:], right[:]) if run)
        left.clear()
        right.clear()

    for line in lines:
        if line.x1 <= gutter:
            left.append(line)
        elif line.x0 >= gutter:
            right.append(line)
        else:
            flush()
            runs.append([line])
    flush()
    return runs


def _merge_rows(lines: list[Line], gutter: float | None) -> list[Line]:
    """Pieces of one row of glyphs (cut at every wide gap, such as a justified line's) made
    one line again, unless the gutter between two columns parts them."""
    rows: dict[tuple[int, int], list[Line]] = {}
    out: list[Line] = []
    for line in lines:
        if line.row < 0:
            out.append(line)
        else:
            rows.setdefault((line.page, line.row), []).append(line)
    for pieces in rows.values():
        pieces.sort(key=lambda l: l.x0)
        merged = [pieces[0]]
        for line in pieces[1:]:
            prev = merged[-1]
            if (not (gutter is not None and prev.x1 <= gutter <= line.x0)
                    and line.x0 - prev.x1 < 4 * max(line.size, prev.size)):
                merged[-1] = Line(f"{prev.text} {line.text}", prev.x0, line.x1, prev.base,
                                  max(prev.size, line.size), prev.bold and line.bold,
                                  prev.first_word, prev.page, prev.row)
            else:
                merged.append(line)
        out.extend(merged)
    out.sort(key=lambda l: (l.base, l.x0))
    return out


# -- paragraphs ----------------------------------------------------------------------------

def _pitch(lines: list[Line]) -> dict[float, float]:
    """The usual distance between baselines, per font size, from consecutive lines."""
    gaps: dict[float, list[float]] = {}
    for a, b in zip(lines, lines[1:]):
        d = b.base - a.base
        if abs(a.size - b.size) < 0.5 and 0.8 * a.size < d < 2.5 * a.size:
            gaps.setdefault(round(a.size), []).append(d)
    # The lower quartile: where paragraphs are short and spaced, their gaps outnumber the
    # lines' own.
    return {size: sorted(values)[len(values) // 4] for size, values in gaps.items()}


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _usual(pitch: dict[float, float], size: float) -> float:
    """The usual line pitch for this size of type (the nearest size measured)."""
    near = [s for s in pitch if abs(s - size) <= 1.5]
    return pitch[min(near, key=lambda s: abs(s - size))] if near else 1.2 * size


def _same_style(a: Line, b: Line) -> bool:
    """Set alike: the same size (within an eighth), weight, and for bold lines, case (a
    letterhead in capitals, then the title)."""
    return (abs(a.size - b.size) <= 0.12 * max(a.size, b.size) and a.bold == b.bold
            and not (a.bold and _is_upper(a.text) != _is_upper(b.text)))


def _paragraphs(run: list[Line], pitch: dict[float, float], right: float,
                left: float) -> list[list[Line]]:
    out: list[list[Line]] = []
    for line in run:
        if out:
            prev = out[-1][-1]
            usual = _usual(pitch, prev.size)
            gap = line.base - prev.base
            # The line ended though the next word would have fitted: a line break by hand.
            early = right - prev.x1 > line.first_word + 0.6 * prev.size
            margins = (line.x0 - left, right - line.x1)
            centred = min(margins) > 2.5 * line.size and abs(margins[0] - margins[1]) < 0.1 * (right - left)
            # A first-line indent, after a line at the margin or one ended by hand.
            indented = (line.x0 - left > 0.9 * line.size and not centred
                        and (prev.x0 - left < 0.3 * prev.size or early or ends_sentence(prev.text))
                        and abs(line.size - prev.size) < 0.5)
            if (0 < gap <= 1.3 * usual and _same_style(prev, line) and not indented
                    and not (early and ends_sentence(prev.text))):
                out[-1].append(line)
                continue
        out.append([line])
    return out


def _split_hyphen(a: str, b: str, vocabulary: Counter[str]) -> tuple[str, str] | None:
    """A line ending in a hyphen right after a word, and the next line: the two lines with
    the word carried up to the first (its hyphen dropped when the typesetter put it there,
    kept when it is the word's own: "socio-economic", "ASEAN-Japan", "COVID-19"), or None."""
    match = _HYPHEN_END.search(a)
    if not match:
        return None
    first, _, rest = b.partition(" ")
    if not first:
        return None
    head = match.group(1)
    keep = a[: match.end(1)] + ("" if a.endswith("\u00ad") else "-")
    tail = re.match(r"[a-z]+", first)
    if tail is None:  # "ASEAN-" "Japan", "COVID-" "19": the word's own hyphen
        return keep + first, rest
    tail = tail.group(0)
    joined, hyphened = (head + tail).lower(), f"{head}-{tail}".lower()
    # A compound's own hyphen: the document writes it so elsewhere, or not the word joined
    # and the parts are words it uses alone, or a known compound part, or another hyphen
    # comes before or after ("whole-of-" "society", "rights-" "of-way").
    compound = (head.lower() in _COMPOUND_HEADS or tail in _COMPOUND_TAILS or head.isupper()
                or a[: match.start(1)].endswith("-") or "-" in first.strip("-")
                or (len(head) >= 3 and head.lower() in vocabulary and vocabulary[tail] >= 2))
    own = not a.endswith("\u00ad") and (
        (hyphened in vocabulary and joined not in vocabulary)
        or (joined not in vocabulary and compound))
    return (keep if own else a[: match.end(1)]) + first, rest


def _vocabulary(pages: list[Page]) -> Counter[str]:
    """How often the document writes each word (lower case), leaving out the part of a word
    hyphenated at a line end: the word after it is counted, once too many."""
    words: Counter[str] = Counter()
    for page in pages:
        for line in page.lines:
            text = line.text
            if _HYPHEN_END.search(text):
                text = text.rpartition(" ")[0]
            for word in _WORD.findall(text):
                word = word.lower()
                words[word] += 1
                if "-" in word:
                    words.update(word.split("-"))
    return words


def _join(paragraph: list[Line], vocabulary: Counter[str]) -> list[str]:
    """A paragraph's lines as text, a word hyphenated at a line end joined again."""
    texts = [line.text for line in paragraph]
    out: list[str] = []
    for text in texts:
        if out:
            split = _split_hyphen(out[-1], text, vocabulary)
            if split is not None:
                out[-1], text = split
                if not text:
                    continue
        out.append(text)
    return [" ".join(t.split()) for t in out if t.strip()]


# -- the whole -----------------------------------------------------------------------------

def body_size(pages: list[Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def lay_out(pages: list[Page]) -> Laid:
    """Positioned lines of every page -> blocks in reading order, title and furniture URLs."""
    size = body_size(pages)
    drop, header = _furniture(pages, size)
    urls: list[str] = []
    for page in pages:
        for line in page.lines:
            if id(line) in drop or id(line) in header:
                for url in _URL.findall(line.text):
                    url = url.rstrip(".")
                    urls.append(url if "://" in url else "https://" + url)
    vocabulary = _vocabulary(pages)
    flow: list[tuple[int, list[Line]]] = []  # (page, paragraph) in reading order
    for number, page in enumerate(pages):
        kept = [line for line in page.lines if id(line) not in drop
                and (id(line) not in header or _is_letterhead(line.text))]
        if not kept:
            continue
        pitch = _pitch(sorted(kept, key=lambda l: l.base))
        for run in _columns(kept, page.width):
            body = [l for l in run if abs(l.size - size) < 0.5] or run
            right = max(l.x1 for l in body)
            left = min(l.x0 for l in body)
            for i, para in enumerate(_paragraphs(run, pitch, right, left)):
                # A paragraph cut by a column or page break goes on in the next run.
                if i == 0 and flow and _continues(flow[-1][1], para):
                    flow[-1][1].extend(para)
                else:
                    flow.append((number, para))
    title = _title(flow, size)
    blocks: list[Block] = []
    for _, para in flow:
        if title is not None and para is title[0]:
            blocks.append([" ".join(" ".join(_join(p, vocabulary)) for p in title)])
            continue
        if title is not None and any(para is p for p in title[1:]):
            continue
        lines = _join(para, vocabulary)
        if lines:
            blocks.append(lines)
    title_text = blocks_title(title, vocabulary)
    return Laid(blocks, title_text, urls)


def blocks_title(title: list[list[Line]] | None, vocabulary: Counter[str]) -> str | None:
    if not title:
        return None
    return " ".join(" ".join(_join(p, vocabulary)) for p in title)


def _continues(before: list[Line], after: list[Line]) -> bool:
    last, first = before[-1], after[0]
    if not _same_style(last, first):
        return False
    return not ends_sentence(last.text) or first.text[:1].islower()


def _emphasised(para: list[Line], size: float) -> bool:
    chars = sum(len(l.text) for l in para)
    bold = sum(len(l.text) for l in para if l.bold)
    larger = sum(len(l.text) for l in para if l.size >= size * 1.12)
    return bold >= 0.6 * chars or larger >= 0.6 * chars


def _title(flow: list[tuple[int, list[Line]]], size: float) -> list[list[Line]] | None:
    """The first page's run of bold or larger paragraphs before the body text, past the
    letterhead: the title, when the layout marks one."""
    from .. import dates

    run: list[list[Line]] = []
    for number, para in flow:
        text = " ".join(l.text for l in para)
        if number > 0:
            break
        if _emphasised(para, size) and not dates.is_date_line(text):
            if not run and _is_letterhead(text):
                continue  # letterhead, "PRESS RELEASE"
            run.append(para)
            continue
        if run or len(text.split()) > 12:
            break
    words = sum(len(l.text.split()) for p in run for l in p)
    return run if run and words <= 70 else None
