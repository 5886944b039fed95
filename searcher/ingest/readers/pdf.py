"""PDF files (``.pdf``): the text layer through pdfminer.six, read by its layout.

pdfminer.six (MIT) is used for what it reports of every glyph: its place, size and font,
which the layout rules in :mod:`.pages` need (pypdf's text visitor gives one position per
text operator, so a superscript or a word set apart lands at the start of its line).
pdfminer's own layout analysis is not used: lines are built here from the glyphs, which is
faster and keeps the columns and lines apart the way :mod:`.pages` wants them.

Pages that are images (scans) are read by OCR, when installed (:mod:`.ocr`).

A hostile file costs bounded time and memory: at most :data:`MAX_PAGES` pages and
:data:`MAX_CHARS_PAGE` characters a page, every compressed stream checked to expand to at
most :data:`MAX_STREAM_BYTES` (all of them to :data:`MAX_EXPANDED_BYTES`) before the parser
sees it, and :data:`TIME_LIMIT` seconds of reading.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zlib
from pathlib import Path
from typing import Any

from ...errors import ReadError
from .document import RawDocument
from .pages import Line, Page, lay_out
from .text import normalize_text

#: Pages read from one file: no press release comes near it.
MAX_PAGES = 200
#: Characters on one page (a dense page of small print holds about 8,000).
MAX_CHARS_PAGE = 50_000
#: What one compressed stream, and all of a file's streams, may expand to.
MAX_STREAM_BYTES = 128 * 1024 * 1024
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
#: Seconds of reading a file's text layer (OCR has its own limits).
TIME_LIMIT = 30.0

_BOLD = re.compile(r"bold|black|heavy|semibold|demibold|extrabold|ultrabold", re.I)
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_LZW = re.compile(rb"/(?:LZWDecode|LZW)\b")


def _quiet() -> None:
    """pdfminer logs every oddity of a damaged file at warning level, which would reach the
    terminal in the middle of a run; the reader reports what matters as a ReadError."""
    log = logging.getLogger("pdfminer")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
        log.propagate = False


# -- bounds ---------------------------------------------------------------------------------

class _Expansion:
    """Bytes of decompressed stream data so far, against the limits."""

    def __init__(self, path: Path):
        self.path, self.total = path, 0

    def flate(self, data: bytes, start: int = 0) -> None:
        """Decompress ``data[start:]`` (a zlib stream) without keeping it, counting."""
        d = zlib.decompressobj()
        out, pos, step = 0, start, 1 << 16
        buf = data[pos:pos + step]
        while buf:
            try:
                got = d.decompress(buf, 1 << 20)
            except zlib.error:
                return  # damaged: the parser copes or fails, either way within bounds
            out += len(got)
            self.count(len(got), out)
            if d.eof:
                return
            if d.unconsumed_tail:
                buf = d.unconsumed_tail
            else:
                pos += step
                buf = data[pos:pos + step]

    def lzw(self, raw: bytes) -> None:
        from pdfminer.lzw import LZWDecoder

        out = 0
        try:
            for chunk in LZWDecoder(io.BytesIO(raw)).run():
                out += len(chunk)
                self.count(len(chunk), out)
        except Exception:
            return

    def count(self, added: int, stream: int) -> None:
        self.total += added
        if stream > MAX_STREAM_BYTES or self.total > MAX_EXPANDED_BYTES:
            limit = MAX_STREAM_BYTES if stream > MAX_STREAM_BYTES else MAX_EXPANDED_BYTES
            raise ReadError(self.path, f"PDF bomb: compressed data expands past "
                                       f"{limit // 2**20} MB")


def _check_streams(data: bytes, expansion: _Expansion) -> None:
    """Every stream of an unencrypted file, decompressed and counted (not kept) before the
    parser reads any: pdfminer decompresses a stream whole, and a few kilobytes can expand to
    gigabytes."""
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 2048):match.start()]
        head = head[head.rfind(b"obj") + 1:]
        if _FLATE.search(head):
            expansion.flate(data, match.end())
        elif _LZW.search(head):
            end = data.find(b"endstream", match.end())
            expansion.lzw(data[match.end():end if end > 0 else len(data)])


def _checked_decipher(decipher, expansion: _Expansion):
    """An encrypted file's streams can only be checked once decrypted: the same count,
    applied as pdfminer decrypts each."""
    def checked(objid, genno, data, attrs=None, *rest):
        plain = decipher(objid, genno, data, attrs, *rest) if attrs is not None \
            else decipher(objid, genno, data)
        if attrs:
            filters = attrs.get("Filter") or attrs.get("F")
            names = repr(filters).encode()
            if b"FlateDecode" in names or b"'Fl'" in names:
                expansion.flate(plain)
        return plain

    return checked


# -- glyphs -> lines ------------------------------------------------------------------------

Glyph = tuple[float, float, float, float, str, bool]  # x0, x1, baseline from bottom, size, text, bold


def _device(rsrcmgr, path: Path, deadline: float):
    """A pdfminer device that records each page's upright glyphs and images, compactly."""
    from pdfminer.converter import PDFLayoutAnalyzer

    class Recorder(PDFLayoutAnalyzer):
        def __init__(self) -> None:
            super().__init__(rsrcmgr, pageno=1, laparams=None)
            self.glyphs: list[Glyph] = []
            self.images: list[tuple[float, float, float, float, int, int]] = []
            self.size = (0.0, 0.0)
            self._bold: dict[int, bool] = {}

        def begin_page(self, page, ctm) -> None:
            super().begin_page(page, ctm)
            self.glyphs, self.images = [], []
            self.size = (self.cur_item.width, self.cur_item.height)

        def end_page(self, page) -> None:
            self.pageno += 1

        def _is_bold(self, font) -> bool:
            found = self._bold.get(id(font))
            if found is None:
                descriptor = getattr(font, "descriptor", None) or {}
                try:
                    weight = float(descriptor.get("FontWeight", 0) or 0)
                    flags = int(descriptor.get("Flags", 0) or 0)
                except (TypeError, ValueError):
                    weight, flags = 0.0, 0
                found = bool(_BOLD.search(str(font.fontname))) or weight >= 600 \
                    or bool(flags & (1 << 18))
                self._bold[id(font)] = found
            return found

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            from pdfminer.pdffont import PDFUnicodeNotDefined

            adv = font.char_width(cid) * fontsize * scaling
            a, b, c, d, e, f = matrix
            if abs(b) > 1e-3 or abs(c) > 1e-3 or a <= 0 or d <= 0 or font.is_vertical():
                return adv  # rotated text: watermarks, margin notes
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                return adv
            glyphs = self.glyphs
            glyphs.append((e, e + adv * a, f + rise * d, fontsize * d, text, self._is_bold(font)))
            if len(glyphs) % 512 == 0:
                if len(glyphs) > MAX_CHARS_PAGE:
                    raise ReadError(path, f"page {self.pageno} holds more than "
                                          f"{MAX_CHARS_PAGE:,} characters")
                if time.monotonic() > deadline:
                    raise ReadError(path, f"reading took over {TIME_LIMIT:.0f} s")
            return adv

        def render_image(self, name, stream) -> None:
            box = self.cur_item
            try:
                width = int(stream.get_any(("W", "Width")) or 0)
                height = int(stream.get_any(("H", "Height")) or 0)
            except (TypeError, ValueError):
                width = height = 0
            self.images.append((box.x0, box.y0, box.x1, box.y1, width, height))

    return Recorder()


def lines_of(glyphs: list[Glyph], height: float, page: int) -> list[Line]:
    """Glyphs -> lines: grouped by baseline (a superscript stays on its line), cut where a
    gap is wider than a gutter, spaces put where the gap between glyphs is one."""
    glyphs = sorted(glyphs, key=lambda g: -(g[2] + 0.3 * g[3]))
    rows: list[list[Glyph]] = []
    ref = ref_size = 0.0
    for g in glyphs:
        if not g[4].strip() and not rows:
            continue
        centre = g[2] + 0.3 * g[3]
        if not rows or ref - centre > 0.45 * ref_size:
            rows.append([])
            ref, ref_size = centre, g[3]
        rows[-1].append(g)
        ref_size = max(ref_size, g[3])
    out: list[Line] = []
    for number, row in enumerate(rows):
        row.sort(key=lambda g: g[0])
        piece: list[Glyph] = []
        for g in row:
            if piece:
                last = piece[-1]
                if g[0] - last[1] > 1.1 * max(g[3], last[3]) and g[4].strip():
                    out.extend(_line(piece, height, page, number))
                    piece = []
            piece.append(g)
        out.extend(_line(piece, height, page, number))
    return out


def _line(piece: list[Glyph], height: float, page: int, row: int) -> list[Line]:
    parts: list[str] = []
    prev: Glyph | None = None
    ink: list[Glyph] = []
    first_end = None
    for g in piece:
        text = g[4]
        if not text.strip():
            if parts and parts[-1] != " ":
                parts.append(" ")
                if first_end is None and ink:
                    first_end = ink[-1][1]
            prev = g
            continue
        if prev is not None and prev[4].strip():
            if text == prev[4] and abs(g[0] - prev[0]) < 0.08 * g[3]:
                continue  # drawn twice, a little offset: fake bold
            if g[0] - prev[1] > 0.18 * g[3] and parts and parts[-1] != " ":
                parts.append(" ")
                if first_end is None and ink:
                    first_end = ink[-1][1]
        parts.append(text)
        ink.append(g)
        prev = g
    text = normalize_text("".join(parts)).strip()
    if not ink or not text:
        return []
    sizes: dict[float, int] = {}
    for g in ink:
        sizes[round(g[3], 1)] = sizes.get(round(g[3], 1), 0) + 1
    size = max(sizes, key=sizes.__getitem__)
    main = [g[2] for g in ink if abs(g[3] - size) < 0.2] or [ink[0][2]]
    x0 = ink[0][0]
    return [Line(text, x0, ink[-1][1], height - sorted(main)[len(main) // 2], size,
                 sum(g[5] for g in ink) >= 0.6 * len(ink),
                 (first_end if first_end is not None else ink[-1][1]) - x0, page, row)]


# -- the file ------------------------------------------------------------------------------

def _info(doc) -> dict[str, Any]:
    """The document's own title and creation date: used only when the text gives none."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    meta: dict[str, Any] = {}
    for info in doc.info or []:
        info = resolve1(info)
        if not isinstance(info, dict):
            continue
        for key, name in (("Title", "fallback_title"), ("CreationDate", "created")):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                value = decode_text(value)
            if not isinstance(value, str) or not value.strip():
                continue
            if name == "created":
                found = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value.strip())
                if found:
                    meta[name] = "-".join(found.groups())
            elif not re.search(r"\.(?:docx?|pdf|odt|rtf)$|^untitled", value.strip(), re.I):
                meta[name] = normalize_text(" ".join(value.split()))
    return meta


def _scanned(glyphs: list[Glyph], images, width: float, height: float) -> bool:
    """A page whose text is a picture: next to no text, and images over a third of it."""
    if sum(1 for g in glyphs if g[4].strip()) >= 20:
        return False
    covered = sum(max(0.0, min(x1, width) - max(x0, 0.0)) * max(0.0, min(y1, height) - max(y0, 0.0))
                  for x0, y0, x1, y1, _, _ in images)
    return covered >= 0.3 * width * height


def read_pdf(path: Path, data: bytes) -> RawDocument:
    """``.pdf``: the text layer by its layout; pages that are scans through OCR."""
    _quiet()
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    if b"%PDF" not in data[:1024]:
        raise ReadError(path, "not a PDF (no %PDF header)")
    deadline = time.monotonic() + TIME_LIMIT
    expansion = _Expansion(path)
    pages: list[Page] = []
    scans: list[int] = []
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        if doc.decipher is not None:
            doc.decipher = _checked_decipher(doc.decipher, expansion)
        else:
            _check_streams(data, expansion)
        try:
            count = int(resolve1(resolve1(doc.catalog.get("Pages")).get("Count")) or 0)
        except Exception:
            count = 0
        if count > MAX_PAGES:
            raise ReadError(path, f"{count:,} pages (at most {MAX_PAGES} are read)")
        rsrcmgr = PDFResourceManager(caching=True)
        device = _device(rsrcmgr, path, deadline)
        interpreter = PDFPageInterpreter(rsrcmgr, device)
        for number, page in enumerate(PDFPage.create_pages(doc)):
            if number >= MAX_PAGES:
                raise ReadError(path, f"more than {MAX_PAGES} pages")
            if time.monotonic() > deadline:
                raise ReadError(path, f"reading took over {TIME_LIMIT:.0f} s")
            interpreter.process_page(page)
            width, height = device.size
            if _scanned(device.glyphs, device.images, width, height):
                scans.append(number)
                pages.append(Page(width, height))
                continue
            pages.append(Page(width, height, lines_of(device.glyphs, height, number)))
        meta = _info(doc)
    except ReadError:
        raise
    except PDFPasswordIncorrect:
        raise ReadError(path, "encrypted PDF: it needs a password to open") from None
    except PDFEncryptionError as exc:
        raise ReadError(path, f"encrypted PDF that cannot be opened ({exc})") from None
    except Exception as exc:  # a damaged file: pdfminer raises anything from anywhere
        reason = " ".join(str(exc).split())[:80]
        raise ReadError(path, f"damaged PDF ({type(exc).__name__}"
                              f"{': ' + reason if reason else ''})") from None
    if not pages:
        raise ReadError(path, "PDF without pages")
    try:
        if scans:
            from .ocr import ocr_pages

            for number, page in ocr_pages(path, data, scans).items():
                pages[number] = page
            meta["ocr_pages"] = [n + 1 for n in scans]
        laid = lay_out(pages)
    except ReadError:
        raise
    except Exception as exc:  # PDFium on a damaged file; a layout the rules trip on
        reason = " ".join(str(exc).split())[:80]
        raise ReadError(path, f"could not be laid out ({type(exc).__name__}"
                              f"{': ' + reason if reason else ''})") from None
    if laid.title:
        meta["h1"] = laid.title
    if laid.urls:
        meta["url"] = laid.urls[0]
    meta["pages"] = len(pages)
    return RawDocument(path, laid.blocks, meta)
