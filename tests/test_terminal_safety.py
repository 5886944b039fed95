"""No release reaches the terminal raw: control sequences in titles, bodies, front matter,
HTML entities and file names are shown as visible text in every output mode."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import searcher
from searcher.cli import cli
from searcher.printable import printable

#: Window title (OSC 0 and 2), a hyperlink (OSC 8), clear screen, a cursor-position query
#: (the terminal answers as if typed), bell, backspace, carriage return, 8-bit CSI, and a
#: bidi override.
HOSTILE = ("\x1b]0;owned\x07 \x1b]2;title\x1b\\ \x1b]8;;https://evil.example/\x1b\\click"
           "\x1b]8;;\x1b\\ \x1b[2J\x1b[H \x1b[6n \x07 ab\x08\x08 \r \x9b31m \u202eexe.txt")
#: Our own codes, the only ones allowed through (with --color always).
OURS = re.compile(r"\x1b\[(?:1;33|1|2|0)m")
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def hostile(workdir: Path) -> Path:
    docs = workdir / "documents"
    # YAML spells controls as escapes in a double-quoted scalar ("\e" is ESC).
    (docs / "fm.md").write_text(
        '---\ntitle: "Naval base \\e]0;owned\\a \\e[2J \\e[6n ab\\b \\x9b31m \\u202eexe"\n'
        'date: 2022-05-13\nsource_url: "https://example.org/\\e]8;;x\\e\\\\"\n---\n\n'
        f"The naval base at Ream was discussed. {HOSTILE} The naval base again.\n",
        encoding="utf-8")
    (docs / "page.html").write_text(
        "<html><head><title>Naval base &#27;]0;owned&#7; page</title></head><body>"
        "<h1>Naval base &#27;[2J&#27;]8;;https://evil.example/&#27;\\ page</h1>"
        "<p>On 13 May 2022 the naval base &#27;[6n&#8; &#155;31m was discussed.</p>"
        "</body></html>", encoding="utf-8")
    (docs / "evil\x1b]0;name\x07.txt").write_text(
        "Naval base talks\n\nOn 13 May 2022 the naval base was discussed.\n", encoding="utf-8")
    assert run("index").exit_code in (0, 1)
    # And a release made by a script, holding the sequences as they are (no reader between).
    with searcher.open_index(workdir / "index", documents=None) as index:
        index.add([searcher.Release(
            id="added", path="added.txt", title=f"Naval base {HOSTILE}",
            paragraphs=[f"The naval base {HOSTILE} was discussed."],
            participants=[searcher.Participant(f"Mr {HOSTILE}", "mr x", f"role {HOSTILE}")],
            countries=[HOSTILE], source_url=f"https://x.example/{HOSTILE}")])
    return workdir


def _safe(text: str) -> bool:
    return not UNSAFE.search(OURS.sub("", text))


@pytest.mark.parametrize("args", [
    ["query", "naval base"],
    ["query", "naval base", "--color", "always"],
    ["query", "naval base", "--json"],
    ["query", "naval base", "--format", "ndjson"],
    ["query", "naval base", "--format", "csv", "--fields", "id,title,participants,countries,"
     "source_url,snippet"],
    ["query", "naval base", "--format", "tsv"],
    ["query", "naval base", "-l"],
    ["query", "naval base", "--facets"],
    ["query", "naval base", "--paragraphs"],
    ["show", "added"],
    ["show", "added", "--json"],
    ["show", "fm"],
    ["index", "--rebuild"],
    ["index", "--json"],
])
def test_every_mode_shows_controls_as_visible_text(hostile: Path, args: list[str]):
    result = run(*args)
    assert result.exit_code in (0, 1)
    assert _safe(result.stdout), result.stdout
    assert _safe(result.stderr), result.stderr
    if args[0] == "query" and "-l" not in args:
        assert "added" in result.stdout


def test_json_keeps_the_data_exact(hostile: Path):
    hit = next(h for h in json.loads(run("query", "naval base", "--json").stdout)["hits"]
               if h["id"] == "added")
    assert hit["title"] == f"Naval base {HOSTILE}"  # escaped in the text, exact once read
    assert hit["countries"] == [HOSTILE]


def test_text_shows_what_was_there(hostile: Path):
    shown = run("show", "added").stdout
    assert "␛]0;owned␇" in shown and "␛[6n" in shown and "<U+009B>31m" in shown
    assert "<U+202E>exe.txt" in shown and "ab␈␈" in shown


def test_file_names_are_printable_in_ids_and_messages(hostile: Path):
    ids = run("query", "naval base", "-l", "--limit", "20").stdout
    assert "evil␛]0;name␇" in ids
    assert printable("evil\x1b]0;name\x07") == "evil␛]0;name␇"
