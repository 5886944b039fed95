"""Real PDF and Word files made from a release's text, in the layouts ministries use.

A release's parts (letterhead, title, dateline, paragraphs, sign-off) are set as a ministry's
office would: with reportlab for PDFs (letterhead on every page, footer address and page
numbers, bold title, justified or ragged text with hyphenation, paragraphs running over
page breaks, two columns) and python-docx for Word (letterhead in the page header and a
table, footer, bold or styled title). A scan is a PDF's pages rendered to pictures, a little
rotated and speckled, put back in a PDF with no text layer.

Used by the tests and by ``tests/benchmarks/formats.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from searcher import parse_file
from searcher.ingest.cleaning import is_boilerplate, layout
from searcher.ingest.readers import read_file

MINISTRY_FOOTER = [
    "Address: No 3, Samdech Hun Sen Street, Sangkat Tonle Bassac, Khan Chamkarmon, Phnom Penh",
    "Tel: (855) 23 216 122  Fax: (855) 23 216 141  Email: mfaic@mfaic.gov.kh",
    "Website: www.mfaic.gov.kh",
]


@dataclass
class Twin:
    """What an office sets on paper for one release."""

    letterhead: list[list[str]]  # blocks of lines, the first also heads every later page
    title: str
    dateline: str | None
    paragraphs: list[str]
    signoff: list[str]
    footer: list[str] = field(default_factory=list)


def twin_of(path: Path) -> Twin:
    """The parts of a text release, as its text reader sees them."""
    release = parse_file(path)
    doc = read_file(path)
    declared = doc.meta.get("title") if isinstance(doc.meta.get("title"), str) else None
    parts = layout(doc.blocks, title=declared)
    blocks = [[line for line in block if not is_boilerplate(line)] for block in doc.blocks]
    blocks = [block for block in blocks if block]
    letterhead = blocks[:len(parts.letterhead)]
    dateline = parts.dateline
    footer = list(MINISTRY_FOOTER)
    if declared:  # a web page's text: the letterhead and date the site showed
        letterhead = letterhead or [["THE WHITE HOUSE"]]
        day = release.release_date
        dateline = dateline or (f"{day:%B} {day.day}, {day.year}" if day else None)
        footer = [doc.meta["source_url"]] if doc.meta.get("source_url") else []
    return Twin(letterhead, release.title, dateline, list(release.paragraphs),
                list(parts.signoff), footer)


def encodable(twin: Twin) -> bool:
    """Can the standard PDF fonts (WinAnsi) show every character?"""
    text = "\n".join([twin.title, *twin.paragraphs, *twin.signoff, *twin.footer,
                      *(line for block in twin.letterhead for line in block)])
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


# -- PDF -------------------------------------------------------------------------------------

LAYOUTS = {
    # A4, Times, justified (each word placed, no space characters, as word processors do),
    # space between paragraphs, "Page n of N" at the foot.
    "letterhead": dict(page="A4", margins=(72, 72, 72, 96), columns=1, font="Times-Roman",
                       bold="Times-Bold", size=11, leading=14, space=8, indent=0,
                       justify=True, hyphenate=False, numbers="Page {n} of {total}"),
    # A5, Helvetica, ragged right and hyphenated, first-line indents and no space between
    # paragraphs, "- n -" at the foot: many page breaks inside paragraphs.
    "indented": dict(page="A5", margins=(50, 50, 50, 70), columns=1, font="Helvetica",
                     bold="Helvetica-Bold", size=9.5, leading=12, space=0, indent=16,
                     justify=False, hyphenate=True, numbers="- {n} -"),
    # A4, two columns under a full-width letterhead and title, justified and hyphenated.
    "two-column": dict(page="A4", margins=(60, 60, 60, 90), columns=2, font="Times-Roman",
                       bold="Times-Bold", size=10, leading=12.5, space=6, indent=0,
                       justify=True, hyphenate=True, numbers="{n}"),
}


def _vowel(ch: str) -> bool:
    return ch in "aeiouy"


def _hyphen_points(word: str) -> list[int]:
    """Where a word may be cut: between a vowel and a consonant, at least three letters in
    from either end (a rough English hyphenation)."""
    return [k for k in range(len(word) - 3, 2, -1)
            if _vowel(word[k - 1]) and not _vowel(word[k]) and word[k] != word[k - 1]]


class _Setter:
    def __init__(self, twin: Twin, style: dict, title: str | None, total: int = 1,
                 encrypt=None):
        from reportlab.lib.pagesizes import A4, A5
        from reportlab.pdfgen import canvas

        self.twin, self.s = twin, style
        self.width, self.height = {"A4": A4, "A5": A5}[style["page"]]
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=(self.width, self.height), encrypt=encrypt)
        # A misleading declared title and today's creation date: read only as a fallback.
        self.c.setTitle(title or "Microsoft Word - press release.docx")
        self.c.setAuthor("MFAIC")
        self.page, self.total = 1, total
        self.breaks: list[int] = []  # paragraphs cut by a column or page break
        self.cuts: list[tuple[str, str, bool]] = []  # (line before, line after, page break)
        self.hyphenated: list[str] = []  # line ends hyphenated by the setter
        self.left, self.top, self.right, self.bottom = style["margins"]

    # furniture
    def furniture(self) -> None:
        c, s = self.c, self.s
        y = self.height - self.top
        for line in self.twin.letterhead[0] if self.twin.letterhead else []:
            c.setFont(s["bold"], s["size"] + 1)
            c.drawCentredString(self.width / 2, y, line)
            y -= s["size"] + 4
        c.setFont(s["font"], 7)
        y = 30 + 9 * len(self.twin.footer)
        for line in self.twin.footer:
            c.drawCentredString(self.width / 2, y, line)
            y -= 9
        c.drawCentredString(self.width / 2, 18, s["numbers"].format(n=self.page, total=self.total))
        self.header_bottom = self.height - self.top - (len(self.twin.letterhead[0]) if
                                                      self.twin.letterhead else 0) * (s["size"] + 4)

    def frames(self, first_y: float) -> list[tuple[float, float, float]]:
        """(x, width, top y) of each column of this page."""
        s = self.s
        usable = self.width - self.left - self.right
        if s["columns"] == 1:
            return [(self.left, usable, first_y)]
        gutter = 24
        w = (usable - gutter) / 2
        return [(self.left, w, first_y), (self.left + w + gutter, w, first_y)]

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.furniture()
        self.cols = self.frames(self.header_bottom - 24)
        self.col = 0
        self.y = self.cols[0][2]

    def advance(self, need: float) -> bool:
        """Room for a line of ``need`` points, moving to the next column or page; True
        when it moved."""
        if self.y - need >= self.s["margins"][3] + 10 * len(self.twin.footer):
            return False
        if self.col + 1 < len(self.cols):
            self.col += 1
        else:
            self.new_page()
            return True
        self.y = self.cols[self.col][2]
        return True

    # text
    def wrap(self, words: list[str], width: float, font: str, size: float,
             first_indent: float = 0.0, hyphenate: bool = False) -> list[tuple[list[str], bool]]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        lines: list[tuple[list[str], bool]] = []
        line: list[str] = []
        words = list(words)
        space = stringWidth(" ", font, size)
        while words:
            word = words.pop(0)
            room = width - (first_indent if not lines else 0)
            used = sum(stringWidth(w, font, size) for w in line) + space * len(line)
            if not line or used + stringWidth(word, font, size) <= room:
                line.append(word)
                continue
            if hyphenate:
                cut = None
                if "-" in word[1:-1]:
                    head = word[:word.index("-", 1) + 1]
                    if used + stringWidth(head, font, size) <= room:
                        cut = (head, word[len(head):])
                if cut is None and word.isalpha() and word.islower() and len(word) >= 7:
                    for k in _hyphen_points(word):
                        if used + stringWidth(word[:k] + "-", font, size) <= room:
                            cut = (word[:k] + "-", word[k:])
                            break
                if cut is not None:
                    self.hyphenated.append(cut[0])
                    line.append(cut[0])
                    words.insert(0, cut[1])
                    lines.append((line, False))
                    line = []
                    continue
            lines.append((line, False))
            line = [word]
        if line:
            lines.append((line, True))
        return lines

    def draw_line(self, words: list[str], x: float, width: float, font: str, size: float,
                  last: bool, justify: bool) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        c = self.c
        c.setFont(font, size)
        if justify and not last and len(words) > 1:
            inked = sum(stringWidth(w, font, size) for w in words)
            gap = (width - inked) / (len(words) - 1)
            for w in words:
                c.drawString(x, self.y, w)
                x += stringWidth(w, font, size) + gap
        else:
            c.drawString(x, self.y, " ".join(words))

    def paragraph(self, text: str, number: int) -> None:
        s = self.s
        size, leading = s["size"], s["leading"]
        x, width, _ = self.cols[self.col]
        lines = self.wrap(text.split(), width, s["font"], size, s["indent"], s["hyphenate"])
        for i, (words, last) in enumerate(lines):
            page = self.page
            if self.advance(leading) and i > 0:
                self.breaks.append(number)
                self.cuts.append((" ".join(lines[i - 1][0]), " ".join(words), self.page != page))
            x, width, _ = self.cols[self.col]
            indent = s["indent"] if i == 0 else 0
            self.y -= leading
            self.draw_line(words, x + indent, width - indent, s["font"], size, last, s["justify"])
        self.y -= s["space"]

    def build(self) -> bytes:
        s, twin, c = self.s, self.twin, self.c
        self.furniture()
        y = self.header_bottom - 10
        for block in twin.letterhead[1:]:
            for line in block:
                c.setFont(s["bold"], s["size"] + 1)
                c.drawCentredString(self.width / 2, y, line)
                y -= s["size"] + 4
            y -= 6
        # The title, bold and larger, across the page.
        size = s["size"] + 2
        y -= 8
        for words, _ in self.wrap(twin.title.split(), self.width - self.left - self.right - 40,
                                  s["bold"], size):
            c.setFont(s["bold"], size)
            c.drawCentredString(self.width / 2, y, " ".join(words))
            y -= size + 3
        self.cols = self.frames(y - 6)
        self.col = 0
        self.y = self.cols[0][2]
        if twin.dateline:
            self.y -= s["leading"]
            c.setFont(s["font"], s["size"])
            x, width, _ = self.cols[0]
            c.drawRightString(x + width, self.y, twin.dateline)
            self.y -= s["leading"] / 2
        for number, para in enumerate(twin.paragraphs):
            self.paragraph(para, number)
        if twin.signoff:
            self.y -= s["leading"]
            for line in twin.signoff:
                self.advance(s["leading"])
                self.y -= s["leading"]
                x, _, _ = self.cols[self.col]
                c.setFont(s["font"], s["size"])
                c.drawString(x, self.y, line)
        c.showPage()
        c.save()
        return self.buffer.getvalue()


def make_pdf(twin: Twin, style: str, title: str | None = None,
             encrypt=None) -> tuple[bytes, list[tuple[str, str, bool]]]:
    """(the PDF's bytes, where a column or page break cut a paragraph: the lines before and
    after, and whether it was a page break)."""
    setter = _Setter(twin, LAYOUTS[style], title)
    setter.build()  # once to count the pages, for "Page n of N"
    setter = _Setter(twin, LAYOUTS[style], title, setter.page, encrypt)
    data = setter.build()
    return data, setter.cuts


def scan(pdf: bytes, dpi: int = 200, seed: int = 0, rough: bool = False) -> bytes:
    """The PDF's pages as pictures (as a copier makes them): rendered in grey, rotated a
    little, speckled, saved as JPEG in a PDF with no text. ``rough``: a poor copy (150 dpi,
    rotated up to 1.5 degrees, ten times the specks, blurred, JPEG at quality 30)."""
    if rough:
        dpi = 150
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    source = pdfium.PdfDocument(pdf)
    out = io.BytesIO()
    c = None
    for page in source:
        width, height = page.get_size()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        turn = 1.5 if rough else 0.4
        image = image.rotate(rng.uniform(-turn, turn), fillcolor=255, resample=Image.BICUBIC)
        pixels = image.load()
        for _ in range(image.width * image.height // (400 if rough else 4000)):
            pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.randrange(80, 200)
        image = image.filter(ImageFilter.GaussianBlur(0.9 if rough else 0.5))
        if c is None:
            c = canvas.Canvas(out, pagesize=(width, height))
        c.setPageSize((width, height))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=30 if rough else 75)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, width, height)
        c.showPage()
    source.close()
    c.save()
    return out.getvalue()


# -- Word ------------------------------------------------------------------------------------

def make_docx(twin: Twin, heading_style: bool = False) -> bytes:
    """A Word file as an office drafts one: the first letterhead lines in the page header,
    the rest in a table at the top, the title bold (or in the Heading 1 style), paragraphs
    with a bold name here and there, the sign-off as lines, the address in the footer."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    section = document.sections[0]
    for i, line in enumerate(twin.letterhead[0] if twin.letterhead else []):
        p = section.header.paragraphs[0] if i == 0 else section.header.add_paragraph()
        p.add_run(line).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(twin.footer):
        p = section.footer.paragraphs[0] if i == 0 else section.footer.add_paragraph()
        p.add_run(line).font.size = docx.shared.Pt(7)
    if twin.letterhead[1:]:
        table = document.add_table(rows=1, cols=len(twin.letterhead) - 1)
        for cell, block in zip(table.rows[0].cells, twin.letterhead[1:]):
            cell.paragraphs[0].add_run(block[0]).bold = True
            for line in block[1:]:
                cell.add_paragraph().add_run(line).bold = True
    document.add_paragraph()
    if heading_style:
        document.add_heading(twin.title, level=1)
    else:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(twin.title).bold = True
    if twin.dateline:
        document.add_paragraph(twin.dateline).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, para in enumerate(twin.paragraphs):
        p = document.add_paragraph()
        words = para.split(" ")
        if i % 2 and len(words) > 6:  # a bold run inside the paragraph
            p.add_run(" ".join(words[:3]) + " ").bold = True
            p.add_run(" ".join(words[3:]))
        else:
            p.add_run(para)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if twin.signoff:
        document.add_paragraph()
        for line in twin.signoff:
            document.add_paragraph(line)
    document.core_properties.title = "PR draft v2"
    document.core_properties.created = dt.datetime(2019, 1, 1, 9, 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
