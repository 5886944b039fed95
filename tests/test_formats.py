"""PDF and Word releases, on real files made here: each layout, scans through OCR, bad
files, the command line, and an index built from them."""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import searcher
from searcher import ReadError, parse_file
from searcher.cli import cli
from searcher.ingest.readers import ocr
from searcher.ingest.readers import pdf as pdf_reader

from .conftest import SEEDS
from .makedocs import make_docx, make_pdf, scan, twin_of

BILATERAL = SEEDS / "001_bf54391174a1e620.txt"  # letterhead, a page break, a spokesperson
MOTEGI = SEEDS / "000_ed51f6f203b24192.txt"
FIELDS = ["title", "release_date", "event_date", "place", "kind", "countries", "mentions",
          "spokesperson", "paragraphs"]


def same_release(read: searcher.Release, text: searcher.Release) -> None:
    for name in FIELDS:
        assert getattr(read, name) == getattr(text, name), name
    assert [(p.name, p.country) for p in read.participants] == \
        [(p.name, p.country) for p in text.participants]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """Each layout of two seeds, as PDF and Word files, made once for the module."""
    folder = tmp_path_factory.mktemp("made")
    out: dict[str, Path] = {}
    for source in (BILATERAL, MOTEGI):
        twin = twin_of(source)
        for style in ("letterhead", "indented", "two-column"):
            data, cuts = make_pdf(twin, style)
            path = folder / f"{source.stem}-{style}.pdf"
            path.write_bytes(data)
            out[f"{source.stem}-{style}"] = path
            out[f"{source.stem}-{style}-cuts"] = cuts
        path = folder / f"{source.stem}.docx"
        path.write_bytes(make_docx(twin, heading_style=source is MOTEGI))
        out[f"{source.stem}-docx"] = path
    return out


# -- layouts ---------------------------------------------------------------------------

@pytest.mark.parametrize("style", ["letterhead", "indented", "two-column", "docx"])
@pytest.mark.parametrize("source", [BILATERAL, MOTEGI], ids=["001", "000"])
def test_each_layout_reads_as_its_text_twin(made, source: Path, style: str):
    """Letterhead and footer address on every page, page numbers, bold title, a page or
    column break inside a paragraph, hyphenation, two columns: the same release as the text."""
    read = parse_file(made[f"{source.stem}-{style}"])
    same_release(read, parse_file(source))
    text = read.text
    for furniture in ["Sangkat Tonle Bassac", "Page 1 of", "- 1 -", "NATION RELIGION KING"]:
        assert furniture not in text
    assert "Microsoft Word" not in read.title and "PR draft" not in read.title


def test_the_layouts_cut_paragraphs_at_page_and_column_breaks(made):
    """The files above hold what they claim: paragraphs cut by page breaks and by the column
    break of a two-column page, words hyphenated at line ends."""
    cuts = [cut for key, value in made.items() if key.endswith("-cuts") for cut in value]
    assert any(page for _, _, page in cuts)
    assert any(not page for _, _, page in cuts)
    from .makedocs import LAYOUTS, _Setter

    hyphenated = []
    for source in (BILATERAL, MOTEGI):
        for style in ("indented", "two-column"):
            setter = _Setter(twin_of(source), LAYOUTS[style], None)
            setter.build()
            hyphenated += [w for w in setter.hyphenated if w[:-1].isalpha()]
    assert len(hyphenated) >= 3


def test_the_letterhead_on_page_one_is_kept_and_its_repeats_dropped(made):
    doc = searcher.ingest.readers.read_file(made[f"{BILATERAL.stem}-indented"])
    assert doc.meta["pages"] >= 2
    lines = [line for block in doc.blocks for line in block]
    assert lines.count("MINISTRY OF FOREIGN AFFAIRS AND INTERNATIONAL COOPERATION") == 1
    assert doc.meta["h1"] == parse_file(BILATERAL).title
    assert not any(line.startswith(("Address:", "Tel:", "Website:")) for line in lines)
    assert doc.meta["url"] == "https://www.mfaic.gov.kh"


def test_declared_title_and_creation_date_are_only_fallbacks(tmp_path: Path):
    """No bold title, no date in the text: the document's own title and creation date."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(path), invariant=1)  # invariant: created 2000-01-01
    c.setTitle("Statement on the Floods in the Northwest")
    c.setFont("Helvetica", 11)
    for i, line in enumerate(["The Ministry expresses its deep sorrow at the loss of life",
                              "caused by the floods in the northwest provinces this week."]):
        c.drawString(72, 700 - 14 * i, line)
    c.save()
    release = parse_file(path)
    assert release.title == "Statement on the Floods in the Northwest"
    assert str(release.release_date) == "2000-01-01"
    assert release.paragraphs == ["The Ministry expresses its deep sorrow at the loss of life "
                                  "caused by the floods in the northwest provinces this week."]


def test_hyphenation_keeps_a_compounds_own_hyphen():
    from collections import Counter

    from searcher.ingest.readers.pages import _split_hyphen

    words = Counter({"cooperation": 2, "economic": 2, "socio": 1})
    assert _split_hyphen("further cooper-", "ation between them", words) == \
        ("further cooperation", "between them")
    assert _split_hyphen("Cambodia's socio-", "economic development", words) == \
        ("Cambodia's socio-economic", "development")
    assert _split_hyphen("the ASEAN-", "Japan Summit", words) == ("the ASEAN-Japan", "Summit")
    assert _split_hyphen("the COVID-", "19 Crisis", words) == ("the COVID-19", "Crisis")
    assert _split_hyphen("the co-", "chaired meeting", words) == ("the co-chaired", "meeting")
    assert _split_hyphen("an end -", "and more", words) is None


def test_word_tables_headers_and_footers(tmp_path: Path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Draft - not for circulation"
    document.sections[0].footer.paragraphs[0].text = "www.example.gov.kh | page 1"
    document.add_paragraph().add_run("Cambodia and Norway Sign Fisheries Agreement").bold = True
    document.add_paragraph("The two Ministers signed an agreement on fisheries and the "
                           "protection of the marine environment in Phnom Penh.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Sector", "Amount"), ("Fisheries", "USD 2 million")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "agreement.docx"
    document.save(path)
    release = parse_file(path)
    assert release.title == "Cambodia and Norway Sign Fisheries Agreement"
    assert release.paragraphs == [
        "The two Ministers signed an agreement on fisheries and the protection of the marine "
        "environment in Phnom Penh.", "Sector Amount", "Fisheries USD 2 million"]
    assert "Draft" not in release.text and "page 1" not in release.text


# -- scans -----------------------------------------------------------------------------

def _ocr_or_skip() -> None:
    if ocr.tesseract() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run OCR: tesseract-ocr and searcher[ocr] are not installed")
        pytest.skip("OCR not installed (tesseract-ocr and pip install 'searcher[ocr]')")


def word_accuracy(read: list[str], truth: list[str]) -> float:
    """Share of the true words found in order (difflib's matching blocks)."""
    from difflib import SequenceMatcher

    a, b = " ".join(read).split(), " ".join(truth).split()
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(b)


#: Word accuracy of the scanned seed below, as measured; the test fails below it.
OCR_WORD_ACCURACY = 0.99


def test_a_scanned_release_is_read_by_ocr(tmp_path: Path):
    _ocr_or_skip()
    twin = twin_of(SEEDS / "002_1b60594e8b6a4608.txt")
    data, _ = make_pdf(twin, "letterhead")
    path = tmp_path / "scanned.pdf"
    path.write_bytes(scan(data))
    assert b"Chollet" not in path.read_bytes()
    read, text = parse_file(path), parse_file(SEEDS / "002_1b60594e8b6a4608.txt")
    accuracy = word_accuracy(read.paragraphs, text.paragraphs)
    print(f"OCR word accuracy: {accuracy:.3f}")
    assert accuracy >= OCR_WORD_ACCURACY
    assert (read.release_date, read.kind) == (text.release_date, text.kind)
    assert [p.name for p in read.participants] == [p.name for p in text.participants]
    assert any("OCR" in w for w in read.warnings)
    assert "Sangkat" not in read.text


def _image_only_pdf(path: Path) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(image).text((100, 100), "Press release", fill=0)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(buf), 0, 0, 595, 842)
    c.save()


def test_without_ocr_a_scan_fails_with_one_line(tmp_path: Path):
    """No tesseract on the PATH: one line naming the file and the extra, exit status 2."""
    documents = tmp_path / "documents"
    documents.mkdir()
    _image_only_pdf(documents / "x.pdf")
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([sys.executable, "-m", "searcher", "parse", "documents/x.pdf"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert done.stderr == ("searcher: documents/x.pdf: scanned pages and no OCR installed; "
                           "install searcher[ocr]\n")
    assert done.returncode == 2


# -- bad files -------------------------------------------------------------------------

def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj first), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def _pages(count: int, kids: int) -> bytes:
    """A page tree claiming ``count`` pages and holding ``kids``."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
                     count, b" ".join(b"%d 0 R" % (4 + i) for i in range(kids))),
                 _stream(b"", b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"), *[page] * kids])


@functools.lru_cache(maxsize=1)
def _flate_bomb() -> bytes:
    compressor = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    packed = b"".join(compressor.compress(chunk) for _ in range(pdf_reader.MAX_STREAM_BYTES // len(chunk) + 8))
    packed += compressor.flush()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                 _stream(b"/Filter /FlateDecode", packed)])


def _huge_image() -> bytes:
    """A page that is one picture of 100,000 x 100,000 pixels (a few bytes of JPEG)."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
                 _stream(b"", b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
                 _stream(b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                         b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
                         b"\xff\xd8\xff\xd9")])


def _encrypted(made) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    data, _ = make_pdf(twin_of(BILATERAL), "letterhead",
                       encrypt=StandardEncryption("secret", "owner"))
    return data


def _zip(members: dict[str, bytes | int]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, int):  # that many bytes of zeros, written in pieces
                with archive.open(name, "w", force_zip64=True) as member:
                    for _ in range(content >> 20):
                        member.write(bytes(1 << 20))
            else:
                archive.writestr(name, content)
    return out.getvalue()


BAD = {
    "encrypted.pdf": (_encrypted, "encrypted PDF: it needs a password to open"),
    "truncated.pdf": (lambda made: made[f"{BILATERAL.stem}-letterhead"].read_bytes()[:1500],
                      None),
    "garbage.pdf": (lambda made: b"%PDF-1.7\n" + bytes(range(256)) * 40, None),
    "not-a.pdf": (lambda made: b"<html>a saved page, not a PDF</html>", "not a PDF (no %PDF header)"),
    "pages.pdf": (lambda made: _pages(5000, 3), "5,000 pages (at most 200 are read)"),
    "lying-count.pdf": (lambda made: _pages(1, 250), "more than 200 pages"),
    "bomb.pdf": (lambda made: _flate_bomb(), "PDF bomb: compressed data expands past 128 MB"),
    "huge-image.pdf": (lambda made: _huge_image(),
                       "image of 100,000 x 100,000 pixels on page 1 (at most 100 megapixels)"
                       if ocr.tesseract() else ocr.MISSING),
    "text.docx": (lambda made: b"Just some text, not a zip.",
                  "not a Word file (not a zip archive)"),
    "truncated.docx": (lambda made: made[f"{BILATERAL.stem}-docx"].read_bytes()[:3000],
                       "not a Word file (not a zip archive)"),
    "no-document.docx": (lambda made: _zip({"hello.txt": b"hello"}),
                         "not a Word document (no word/document.xml)"),
    "bomb.docx": (lambda made: _zip({"word/document.xml": 60 << 20}),
                  "zip bomb: expands to 60 MB (at most 200 MB, 50 MB a part)"),
    "broken-xml.docx": (lambda made: _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<"}),
                        None),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_give_one_line_and_never_a_traceback(made, tmp_path: Path, name: str):
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make(made))
    with pytest.raises(ReadError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message and len(message) < 300
    if reason is not None:
        assert caught.value.reason == reason
    else:
        assert caught.value.reason.startswith(("damaged", "no text found", "no body text")), message


def test_damaged_copies_give_a_release_or_one_line(made, tmp_path: Path):
    """Bytes overwritten, cut short or repeated anywhere in a PDF or a Word file: a release
    or one line, never another exception (300 such copies were tried while writing this)."""
    import random

    rng = random.Random(16)
    sources = [made[f"{BILATERAL.stem}-two-column"], made[f"{MOTEGI.stem}-indented"],
               made[f"{BILATERAL.stem}-docx"]]
    for i in range(15):
        source = sources[i % len(sources)]
        data = bytearray(source.read_bytes())
        if i % 3 == 0:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif i % 3 == 1:
            del data[rng.randrange(len(data)):]
        else:
            at, start = rng.randrange(len(data)), rng.randrange(len(data))
            data[at:at] = data[start:start + rng.randrange(500)]
        path = tmp_path / f"copy{i}{source.suffix}"
        path.write_bytes(bytes(data))
        try:
            parse_file(path)
        except ReadError as exc:
            assert "\n" not in str(exc)


def test_an_owner_password_alone_does_not_stop_reading(tmp_path: Path):
    """Encrypted with an empty user password (printing or copying restricted): readable."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    data, _ = make_pdf(twin_of(BILATERAL), "letterhead",
                       encrypt=StandardEncryption("", "owner", canCopy=0))
    path = tmp_path / "restricted.pdf"
    path.write_bytes(data)
    same_release(parse_file(path), parse_file(BILATERAL))


def test_a_folder_with_bad_files_indexes_the_rest(made, tmp_path: Path):
    documents = tmp_path / "documents"
    documents.mkdir()
    shutil.copy(made[f"{BILATERAL.stem}-two-column"], documents / "good.pdf")
    shutil.copy(made[f"{MOTEGI.stem}-docx"], documents / "good.docx")
    (documents / "bomb.pdf").write_bytes(_flate_bomb())
    (documents / "text.docx").write_bytes(b"not a zip")
    index, report = searcher.build_index(documents=documents, index=tmp_path / "index")
    with index:
        assert report.added == 2
        assert sorted(Path(e.path).name for e in report.failed) == ["bomb.pdf", "text.docx"]
        assert index.search("Yoshimasa").total == 1 and index.search("MOTEGI").total == 1


# -- the command line and the index ------------------------------------------------------

def test_parse_shows_what_a_pdf_holds(made):
    path = made[f"{BILATERAL.stem}-indented"]
    result = CliRunner().invoke(cli, ["parse", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Deputy PM Prak Sokhonn Holds Bilateral Meeting with Japanese Foreign Minister" in result.output
    assert "Hun Sen and Deputy PM Prak Sokhonn for the endeavors" in result.output
    result = CliRunner().invoke(cli, ["parse", str(path), "--json"], catch_exceptions=False)
    import json

    assert json.loads(result.output)["paragraphs"] == parse_file(BILATERAL).paragraphs


def test_a_phrase_across_a_pdf_page_break_is_found(made, tmp_path: Path):
    documents = tmp_path / "documents"
    documents.mkdir()
    cuts = made[f"{MOTEGI.stem}-indented-cuts"]
    before, after, _ = next(c for c in cuts if c[2] and not c[0].endswith("-"))
    shutil.copy(made[f"{MOTEGI.stem}-indented"], documents / "motegi.pdf")
    phrase = " ".join(before.split()[-2:] + after.split()[:2])
    index, _ = searcher.build_index(documents=documents, index=tmp_path / "index")
    with index:
        results = index.search(f'"{phrase}"')
        assert results.total == 1
        assert phrase in results.hits[0].snippets[0].text


def test_an_updated_pdf_replaces_its_old_version(made, tmp_path: Path):
    documents = tmp_path / "documents"
    documents.mkdir()
    twin = twin_of(BILATERAL)
    path = documents / "bilateral.pdf"
    path.write_bytes(make_pdf(twin, "letterhead")[0])
    index, _ = searcher.build_index(documents=documents, index=tmp_path / "index")
    with index:
        assert index.search('"Comprehensive Strategic Partnership"').total == 1
        twin.paragraphs = [p.replace("Comprehensive Strategic Partnership",
                                     "Blue Economy Partnership") for p in twin.paragraphs]
        path.write_bytes(make_pdf(twin, "two-column")[0])
        report = index.update(documents)
        assert (report.changed, report.unchanged, len(report.failed)) == (1, 0, 0)
        assert index.search('"Comprehensive Strategic Partnership"').total == 0
        assert index.search('"Blue Economy Partnership"').total == 1
        again = index.update(documents)
        assert (again.changed, again.unchanged) == (0, 1)
