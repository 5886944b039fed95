"""Reading files of every supported form into blocks, on files written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searcher import ReadError, parse_file
from searcher.ingest.readers import read_file

SEED_TEXT = (Path(__file__).resolve().parent.parent / "documents" /
             "000_ed51f6f203b24192.txt").read_text("utf-8")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                              ("cp1252", b""), ("utf-16", b"")])
def test_encodings_read_alike(tmp_path: Path, encoding: str, prefix: bytes):
    text = SEED_TEXT.replace("Japan's offer", "Japan’s offer — “generous”")
    path = write(tmp_path, "x.txt", prefix + text.encode(encoding))
    release = parse_file(path)
    assert "Japan's offer - \"generous\"" not in release.text  # the dash stays a dash
    assert "Japan's offer — \"generous\"" in release.text  # quotes straightened
    assert release.release_date == dt.date(2020, 10, 21)


def test_unicode_spaces_and_invisible_characters_are_normalised(tmp_path: Path):
    text = SEED_TEXT.replace("severe flooding", "severe\u00a0flood\u200bing")
    assert "severe flooding" in parse_file(write(tmp_path, "x.txt", text)).text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL bytes), not text"),
    (b"---\ntitle: [unclosed\n---\nBody text here that is long enough.", "malformed YAML front matter (ParserError)"),
])
def test_bad_files_give_one_clear_reason(tmp_path: Path, data: bytes, reason: str):
    path = write(tmp_path, "bad.md", data)
    with pytest.raises(ReadError) as caught:
        parse_file(path)
    assert str(caught.value) == f"{path}: {reason}"


def test_unknown_suffix_and_oversized_file(tmp_path: Path):
    with pytest.raises(ReadError, match=r"unknown file type '\.odt'"):
        parse_file(write(tmp_path, "a.odt", "x"))
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(ReadError, match=r"file too large \(52\.4 MB > 10 MB\)"):
        parse_file(big)


def test_front_matter_title_date_and_tags(tmp_path: Path):
    path = write(tmp_path, "readout.md", (
        "---\ndate: '2023-06-05'\npublished_time: 2023-06-05 20:27:21-04:00\n"
        "tags: speeches-remarks\ntitle: \"Readout of President Biden\u2019s Meeting\\\n"
        "  \\ with Prime Minister Frederiksen of Denmark\"\n---\n \n"
        "President Joseph R. Biden, Jr. met today with Prime Minister Frederiksen\n"
        "of Denmark at the White House to underscore the deep and enduring ties.\n"
        "  \nThe leaders discussed our unwavering support for Ukraine.\n\n\\###\n"))
    release = parse_file(path)
    assert release.title == "Readout of President Biden's Meeting with Prime Minister " \
                            "Frederiksen of Denmark"
    assert release.release_date == dt.date(2023, 6, 5)
    assert release.tags == ["speeches-remarks"]
    assert release.kind == "meeting"
    assert release.paragraphs == [
        "President Joseph R. Biden, Jr. met today with Prime Minister Frederiksen of Denmark at "
        "the White House to underscore the deep and enduring ties.",
        "The leaders discussed our unwavering support for Ukraine."]


def test_impossible_front_matter_date_does_not_sink_the_file(tmp_path: Path):
    path = write(tmp_path, "r.md", "---\ndate: 2027-02-29\npublished_time: 2027-02-29 10:00:00\n"
                 "title: A readout\n---\nThe two leaders met today and discussed trade.\n")
    release = parse_file(path)
    assert release.release_date is None and release.warnings == ["no release date found"]
    assert release.paragraphs == ["The two leaders met today and discussed trade."]


PAGE = """<!DOCTYPE html><html><head><title>MFAIC | Press Release</title>
<style>p {{ color: red }}</style><script>var tracking = "Blinken";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<main><article><h1>Meeting between H.E. Prak Sokhonn and H.E. Anthony Blinken</h1>
<p>On 13 May 2022, His Excellency <b>Prak Sokhonn</b> had a meeting with His Excellency
Anthony Blinken, Secretary of State of the United States, on the sidelines of the
55<sup>th</sup> meeting.</p><p>The two ministers discussed the Ream naval base.</p>
<div class="share-buttons"><a href="#">Share on Facebook</a></div>
<p>Phnom Penh, 16 May 2022</p></article></main>
<footer><p>Address: Street 1, Phnom Penh</p><p>Copyright 2022</p></footer></body></html>"""


def test_html_page_keeps_the_article_only(tmp_path: Path):
    release = parse_file(write(tmp_path, "page.html", PAGE))
    assert release.title == "Meeting between H.E. Prak Sokhonn and H.E. Anthony Blinken"
    assert release.paragraphs == [
        "On 13 May 2022, His Excellency Prak Sokhonn had a meeting with His Excellency Anthony "
        "Blinken, Secretary of State of the United States, on the sidelines of the 55th meeting.",
        "The two ministers discussed the Ream naval base."]
    assert release.release_date == dt.date(2022, 5, 16)
    assert release.event_date == dt.date(2022, 5, 13)
    assert [p.name for p in release.participants] == ["Prak Sokhonn", "Anthony Blinken"]
    for junk in ("cookies", "Home", "Share", "tracking", "color", "Copyright"):
        assert junk not in release.text


def test_truncated_html_still_yields_its_text(tmp_path: Path):
    release = parse_file(write(tmp_path, "cut.htm", PAGE[: PAGE.index("The two ministers") + 40]))
    assert release.paragraphs[-1].startswith("The two ministers discussed the Ream")


def test_markdown_markup_is_removed(tmp_path: Path):
    doc = read_file(write(tmp_path, "m.md", "## Heading\n\nSome **bold** and *italic* and "
                          "[a link](http://x) and 55<sup>th</sup> &amp; more\n"))
    assert doc.blocks == [["Heading"], ["Some bold and italic and a link and 55th & more"]]


def test_every_kind_of_markdown_markup_is_removed(tmp_path: Path):
    """Each rule is tried only on text that holds its marks: each must still fire."""
    doc = read_file(write(tmp_path, "m.md", (
        "# Title line\n\n\\### Not a heading mark\n\n> Quoted words<br>next line\n\n"
        "Text with ![a photo](p.jpg), <!-- a note --> __strong__ and a **bold\nrun** over "
        "lines, *italic\nwrapped* and \\[brackets\\].\n\n---\n\n* * *\n\nLast - words_here_.\n\n"
        "Escaped: \\*not italic\\*, \\*\\*not bold\\*\\* and \\_\\_init\\_\\_.\n")))
    assert doc.blocks == [
        ["Title line"], ["Not a heading mark"], ["Quoted words", "next line"],
        ["Text with a photo, strong and a bold", "run over lines, italic",
         "wrapped and [brackets]."],
        ["Last - words_here_."], ["Escaped: *not italic*, **not bold** and __init__."],
    ]
