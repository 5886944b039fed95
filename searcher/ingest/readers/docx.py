"""Word files (``.docx``) through python-docx: the body's paragraphs and tables in order.

- Headers and footers stay out of the body; a first-page header that reads as a letterhead
  (capitals, "Ministry of ...") is the letterhead, as in a PDF, and a web address in either
  is where the release was published.
- The title is the first paragraph in the Title or Heading 1 style, else the first run of
  bold paragraphs past the letterhead, before the body text.
- Short lines typed one under another (a sign-off, a letterhead) stay one block, as they
  would in a text file; an empty paragraph ends a block.
- A table is read as text: a block a row, a line a cell.

Bounds: the file must be a zip of at most :data:`MAX_MEMBERS` members expanding to at most
:data:`MAX_EXPANDED_BYTES` (:data:`MAX_PART_BYTES` for one part): zipfile never reads a
member past the size it declares, so checking the declared sizes bounds the reading.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from ...errors import ReadError
from .document import Block, RawDocument
from .text import normalize_text

MAX_MEMBERS = 5_000
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 50 * 1024 * 1024
_URL = re.compile(r"(?:https?://|www\.)[^\s,;]+", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHORT = 10  # words: a line typed under another, not a paragraph


def _check_zip(path: Path, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(path, "not a Word file (not a zip archive)") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ReadError(path, f"zip of {len(members):,} members (at most {MAX_MEMBERS:,})")
        total = sum(m.file_size for m in members)
        biggest = max((m.file_size for m in members), default=0)
        if total > MAX_EXPANDED_BYTES or biggest > MAX_PART_BYTES:
            raise ReadError(path, f"zip bomb: expands to {total / 2**20:,.0f} MB "
                                  f"(at most {MAX_EXPANDED_BYTES // 2**20} MB, "
                                  f"{MAX_PART_BYTES // 2**20} MB a part)")
        if "word/document.xml" not in archive.namelist():
            raise ReadError(path, "not a Word document (no word/document.xml)")


def _text(paragraph) -> str:
    return normalize_text(paragraph.text)


class _Styles:
    """The document's styles by id, read once from styles.xml: python-docx looks a
    paragraph's style up through every style of the file each time it is asked."""

    def __init__(self, document):
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.weight: dict[str, bool] = {}  # the style's own bold setting, where it has one
        self.default: str | None = None
        for el in document.styles.element.iterchildren(f"{_W}style"):
            style_id = el.get(f"{_W}styleId")
            if not style_id:
                continue
            name, based, bold = (el.find(f"{_W}{tag}") for tag in ("name", "basedOn", "rPr"))
            self.names[style_id] = name.get(f"{_W}val", "") if name is not None else ""
            if based is not None and based.get(f"{_W}val"):
                self.based[style_id] = based.get(f"{_W}val")
            b = bold.find(f"{_W}b") if bold is not None else None
            if b is not None:
                self.weight[style_id] = b.get(f"{_W}val", "true") not in ("0", "false", "off")
            if el.get(f"{_W}type") == "paragraph" and el.get(f"{_W}default") in ("1", "true"):
                self.default = style_id
        self._bold: dict[str | None, bool] = {}

    def name(self, style_id: str | None) -> str:
        return self.names.get(style_id or self.default or "", "")

    def bold(self, style_id: str | None, default: bool = True) -> bool:
        """Is text in this style bold (its own setting or its base style's)?"""
        if style_id not in self._bold:
            current = style_id or (self.default if default else None)
            found = False
            for _ in range(10):  # a loop of base styles must not hang
                if current is None:
                    break
                if current in self.weight:
                    found = self.weight[current]
                    break
                current = self.based.get(current)
            self._bold[style_id] = found
        return self._bold[style_id]


def _bold(paragraph, styles: _Styles) -> bool:
    """Every run with text is bold (directly, or by its character or paragraph style)."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    para_bold = styles.bold(paragraph._p.style)

    def bold(run) -> bool:
        if run.bold is not None:
            return run.bold
        char_style = run._r.style
        if char_style and styles.bold(char_style, default=False):
            return True
        return para_bold

    return all(bold(r) for r in runs)


def _heading(paragraph, styles: _Styles) -> int | None:
    name = styles.name(paragraph._p.style)
    if name == "Title":
        return 0
    match = re.match(r"Heading (\d)$", name)
    return int(match.group(1)) if match else None


def _items(container, parent, depth: int = 0):
    """(kind, object) in document order: "p" paragraphs and "row" table rows (a list of
    cell texts), content controls opened."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield "p", Paragraph(child, parent)
        elif tag == f"{_W}tbl" and depth < 5:
            for row in Table(child, parent).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(" ".join(normalize_text(p.text).split())
                                    for p in cell.paragraphs).strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    yield "row", cells
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _items(content, parent, depth + 1)


def _furniture(document) -> tuple[list[str], list[str]]:
    """(first-page header lines, all header and footer lines)."""
    first: list[str] = []
    every: list[str] = []
    for number, section in enumerate(document.sections):
        parts = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        for part in parts:
            try:
                if part.is_linked_to_previous and number > 0:
                    continue
                lines = [" ".join(_text(p).split()) for p in part.paragraphs]
            except Exception:
                continue
            lines = [line for line in lines if line]
            every.extend(lines)
        if number == 0:
            header = section.first_page_header if section.different_first_page_header_footer \
                else section.header
            first = [" ".join(_text(p).split()) for p in header.paragraphs if _text(p).strip()]
    return first, every


def read_docx(path: Path, data: bytes) -> RawDocument:
    """``.docx``: paragraphs, headings and tables of the body; headers and footers aside."""
    _check_zip(path, data)
    try:
        return _read(path, data)
    except ReadError:
        raise
    except Exception as exc:  # a damaged part: lxml, zipfile and python-docx raise anything
        reason = " ".join(str(exc).split())[:80]
        raise ReadError(path, f"damaged Word file ({type(exc).__name__}"
                              f"{': ' + reason if reason else ''})") from None


def _read(path: Path, data: bytes) -> RawDocument:
    import docx

    document = docx.Document(io.BytesIO(data))
    items = list(_items(document.element.body, document))
    styles = _Styles(document)
    header, furniture = _furniture(document)
    props = document.core_properties
    declared_title, created = props.title, props.created
    from ..cleaning import ends_sentence, is_letterhead
    from ..dates import is_date_line

    # (lines, title-like) of each paragraph; a table row is never title-like.
    paras: list[tuple[list[str], bool, bool]] = []  # lines, title-like, a row
    for kind, item in items:
        if kind == "row":
            paras.append((item, False, True))
            continue
        lines = [" ".join(line.split()) for line in _text(item).split("\n")]
        lines = [line for line in lines if line]
        level = _heading(item, styles)
        paras.append((lines, bool(lines) and (level in (0, 1) or (
            level is None and _bold(item, styles) and not is_letterhead(lines)
            and not is_date_line(lines[0]))), False))
    # The title: the first run of title-like paragraphs, before any long paragraph.
    title_at, title_end = None, None
    for i, (lines, title_like, _) in enumerate(paras):
        if title_like:
            title_at = i
            title_end = i + 1
            while title_end < len(paras) and (paras[title_end][1] or not paras[title_end][0]):
                title_end += 1
            break
        if len(" ".join(lines).split()) > _SHORT and not is_letterhead(lines):
            break
    blocks: list[Block] = [header] if header and is_letterhead(header) else []
    title: list[str] = []
    open_block = False  # the last block may take the next short line
    body_started = False
    for i, (lines, _, row) in enumerate(paras):
        if title_at is not None and title_at <= i < title_end:
            title.extend(lines)
            if i == title_end - 1:
                blocks.append([" ".join(title)])
            open_block = False
            continue
        if not lines:
            open_block = False
            continue
        words = len(" ".join(lines).split())
        short = not row and words <= _SHORT
        if open_block and short and not ends_sentence(blocks[-1][-1]):
            blocks[-1].extend(lines)
        else:
            blocks.append(list(lines))
        # Above the body, a date stands alone: the dateline.
        open_block = short and (body_started or not is_date_line(lines[0]))
        body_started = body_started or (words > _SHORT and not is_letterhead(lines))
    meta: dict[str, Any] = {}
    if title:
        meta["h1"] = " ".join(title)
    if declared_title and declared_title.strip():
        meta["fallback_title"] = normalize_text(" ".join(declared_title.split()))
    if created is not None:
        meta["created"] = created.date().isoformat()
    urls = [u for line in furniture for u in _URL.findall(line)]
    if urls:
        url = urls[0].rstrip(".")
        meta["url"] = url if "://" in url else "https://" + url
    return RawDocument(path, blocks, meta)

