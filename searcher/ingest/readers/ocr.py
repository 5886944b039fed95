"""Scanned pages -> positioned lines, through Tesseract (the optional ``searcher[ocr]``).

Pages are rendered by pypdfium2 (PDFium; Apache-2.0/BSD-3) in grey at 300 dpi and handed to
the ``tesseract`` program (Debian's ``tesseract-ocr``; ``tesseract-ocr-khm`` for Khmer) as a
PGM image on its standard input; its TSV output gives each word's box, from which lines are
made for :mod:`.pages`, so a scan goes through the same layout and cleaning as a text layer.
Tesseract is run as a program rather than through pytesseract, which runs the same program:
this way each page has its own time limit and Tesseract is kept to one thread (the parse pool
already runs one process a core).

Bounds: at most :data:`MAX_PAGES` scanned pages a file, :data:`PAGE_SECONDS` a page, no
image over :data:`MAX_IMAGE_PIXELS` in the page, and a page rendered at no more than
:data:`MAX_RENDER_PIXELS`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from functools import lru_cache
from pathlib import Path

from ...errors import ReadError
from .pages import Line, Page
from .text import normalize_text

DPI = 300
MAX_PAGES = 30
PAGE_SECONDS = 60.0
TOTAL_SECONDS = 300.0
MAX_RENDER_PIXELS = 40_000_000
MAX_IMAGE_PIXELS = 100_000_000
#: Words Tesseract is less sure of than this (0-100) are left out: specks and smudges.
MIN_CONFIDENCE = 30
MISSING = "scanned pages and no OCR installed; install searcher[ocr]"


@lru_cache(maxsize=1)
def tesseract() -> tuple[str, str] | None:
    """(program, languages) when OCR can run here, else None. Languages: English, and
    Khmer when its data is installed (``SEARCHER_OCR_LANGUAGES`` overrides, e.g. "eng")."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return None
    program = shutil.which("tesseract")
    if program is None:
        return None
    wanted = os.environ.get("SEARCHER_OCR_LANGUAGES")
    if wanted:
        return program, wanted
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                                timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    if "eng" not in listed:
        return None
    return program, "+".join(lang for lang in ("eng", "khm") if lang in listed)


def ocr_pages(path: Path, data: bytes, numbers: list[int]) -> dict[int, Page]:
    """The scanned pages ``numbers`` (from 0) of the PDF ``data``, read by OCR."""
    found = tesseract()
    if found is None:
        raise ReadError(path, MISSING)
    if len(numbers) > MAX_PAGES:
        raise ReadError(path, f"{len(numbers)} scanned pages (OCR reads at most {MAX_PAGES})")
    import pypdfium2 as pdfium

    program, languages = found
    deadline = time.monotonic() + TOTAL_SECONDS
    out: dict[int, Page] = {}
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(path, f"damaged PDF (PDFium: {exc})") from None
    try:
        for number in numbers:
            if time.monotonic() > deadline:
                raise ReadError(path, f"OCR took over {TOTAL_SECONDS:.0f} s")
            page = pdf[number]
            width, height = page.get_size()
            _check_images(path, page, number)
            scale = min(DPI / 72, (MAX_RENDER_PIXELS / max(1.0, width * height)) ** 0.5)
            bitmap = page.render(scale=scale, grayscale=True)
            pgm = _pgm(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride)
            tsv = _run(path, program, languages, pgm, round(72 * scale), number)
            out[number] = Page(width, height, _lines(tsv, 1 / scale, number))
    finally:
        pdf.close()
    return out


def _check_images(path: Path, page, number: int) -> None:
    import pypdfium2.raw as raw

    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        try:
            w, h = obj.get_px_size()
        except Exception:
            continue
        if w * h > MAX_IMAGE_PIXELS:
            raise ReadError(path, f"image of {w:,} x {h:,} pixels on page {number + 1} "
                                  f"(at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels)")


def _pgm(buffer: bytes, width: int, height: int, stride: int) -> bytes:
    if stride != width:
        buffer = b"".join(buffer[row * stride:row * stride + width] for row in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + buffer


def _run(path: Path, program: str, languages: str, image: bytes, dpi: int, number: int) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([program, "stdin", "stdout", "-l", languages, "--dpi", str(dpi),
                               "--psm", "3", "tsv"], input=image, capture_output=True,
                              timeout=PAGE_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        raise ReadError(path, f"OCR of page {number + 1} took over {PAGE_SECONDS:.0f} s") from None
    except OSError as exc:
        raise ReadError(path, f"OCR could not run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(path, f"OCR failed on page {number + 1} ({said[-1] if said else done.returncode})")
    return done.stdout.decode("utf-8", "replace")


_DESCENDERS = re.compile(r"[gjpqy,;()]")
_ASCENDERS = re.compile(r"[A-Zbdfhklt0-9'\"()!?]")


def _size_of(word: str, height: int) -> float:
    """The type size a word's box height means, by the letters it holds: its box spans
    ascenders or capitals (about 0.7 of the size) and descenders (about 0.2) when it has them,
    else the x-height (about 0.46)."""
    tall, deep = bool(_ASCENDERS.search(word)), bool(_DESCENDERS.search(word))
    return height / (0.92 if tall and deep else 0.7 if tall else 0.68 if deep else 0.46)


def _lines(tsv: str, to_points: float, number: int) -> list[Line]:
    """Tesseract's words -> lines, in points from the page's top."""
    boxes: dict[tuple[int, int, int], tuple[int, int]] = {}
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] not in ("4", "5"):
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        if cols[0] == "4":
            boxes[key] = (top, height)
        elif cols[11].strip() and conf >= MIN_CONFIDENCE:
            lines.setdefault(key, []).append((left, top, width, height, cols[11]))
    out: list[Line] = []
    for key, words in lines.items():
        words.sort()
        x0 = words[0][0]
        x1 = max(w[0] + w[2] for w in words)
        top, height = boxes.get(key, (words[0][1], words[0][3]))
        estimates = sorted(_size_of(w[4], w[3]) for w in words)
        size = estimates[len(estimates) // 2] * to_points
        text = normalize_text(" ".join(w[4] for w in words))
        bottom = sorted(w[1] + w[3] for w in words if not _DESCENDERS.search(w[4])) or \
            [top + 0.8 * height]
        out.append(Line(text, x0 * to_points, x1 * to_points,
                        bottom[len(bottom) // 2] * to_points, size, False,
                        words[0][2] * to_points, number))
    # A line's box grows with its ascenders and descenders: sizes near the page's usual one
    # are that size, so that lines of one paragraph read as set alike.
    if out:
        usual = sorted(line.size for line in out)[len(out) // 2]
        for line in out:
            if abs(line.size - usual) <= 0.15 * usual:
                line.size = usual
    return out
