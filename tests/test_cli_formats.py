"""The command line for programs and pipes: formats that round-trip, exit codes, messages."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.output import DEFAULT_FIELDS, format_results
from searcher.search.results import Hit, Results

from .conftest import FIXTURES

SCHEMA = json.loads(resources.files("searcher").joinpath("data/results.schema.json").read_text())
READOUT = FIXTURES / "whitehouse" / ("2023-06-05-readout-of-president-bidens-meeting-with-"
                                     "prime-minister-frederiksen-of-denmark.md")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def indexed(workdir: Path) -> Path:
    shutil.copy(READOUT, workdir / "documents" / "frederiksen.md")
    assert run("index").exit_code == 0
    return workdir


def _json(*args: str) -> dict:
    return json.loads(run("query", *args, "--json").stdout)


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_round_trip_through_the_csv_module(indexed: Path, fmt: str, delimiter: str):
    want = _json("ASEAN OR Denmark")
    result = run("query", "ASEAN OR Denmark", "--format", fmt)
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
    assert rows[0] == list(DEFAULT_FIELDS)
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert [r["id"] for r in body] == [h["id"] for h in want["hits"]]
    assert [r["rank"] for r in body] == [str(n) for n in range(1, len(body) + 1)]
    for row, hit in zip(body, want["hits"]):
        assert row["title"] == hit["title"]
        assert row["participants"] == "; ".join(p["name"] for p in hit["participants"])
        assert row["source_url"] == (hit["source_url"] or "")
    assert any(r["source_url"].startswith("https://") for r in body)
    picked = run("query", "Denmark", "--format", fmt, "--fields", "id,snippet").stdout
    rows = list(csv.reader(io.StringIO(picked), delimiter=delimiter))
    assert rows[0] == ["id", "snippet"] and rows[1][0] == "frederiksen"


def test_ndjson_is_one_hit_a_line(indexed: Path):
    want = _json("ASEAN", "--limit", "3")
    lines = run("query", "ASEAN", "--limit", "3", "--format", "ndjson").stdout.splitlines()
    hits = [json.loads(line) for line in lines]
    assert [h["id"] for h in hits] == [h["id"] for h in want["hits"]]
    assert {h["query"] for h in hits} == {"ASEAN"} and [h["rank"] for h in hits] == [1, 2, 3]
    for hit in hits:
        jsonschema.validate(hit, SCHEMA["$defs"]["hit"] | {"$defs": SCHEMA["$defs"]})
    picked = run("query", "ASEAN", "--format", "ndjson", "--fields", "id,score").stdout
    assert all(set(json.loads(line)) == {"id", "score"} for line in picked.splitlines())


def test_json_has_offset_and_source_url_and_follows_the_schema(indexed: Path):
    data = _json("Frederiksen")
    jsonschema.validate(data, SCHEMA)
    assert data["offset"] == 0
    assert data["hits"][0]["source_url"].startswith("https://bidenwhitehouse.archives.gov/")


def test_ids_only_count_and_offset_agree_with_json(indexed: Path):
    want = _json("ASEAN")
    ids = run("query", "ASEAN", "-l").stdout.split()
    assert ids == [h["id"] for h in want["hits"]]
    assert run("query", "ASEAN", "--count").stdout == f"{want['total']}\n"
    page = _json("ASEAN", "--offset", "1", "--limit", "2")
    assert [h["id"] for h in page["hits"]] == ids[1:3] and page["offset"] == 1
    assert run("query", "ASEAN", "-l", "--count").exit_code == 2
    assert run("query", "ASEAN", "--json", "--format", "csv").exit_code == 2
    assert run("query", "ASEAN", "--fields", "id").exit_code == 2  # text has no columns
    assert run("query", "ASEAN", "--format", "csv", "--fields", "id,nope").exit_code == 2


def test_queries_from_stdin_are_each_answered(indexed: Path):
    result = run("query", "-", "--format", "ndjson", "--fields", "query,id",
                 input="Norway\n\nzebra\nDenmark\n")
    assert result.exit_code == 0
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers == [{"query": "Norway", "id": "004_c5bea4f34a49b60c"},
                       {"query": "Denmark", "id": "frederiksen"}]
    counts = run("query", "-", "--count", input="Norway\nzebra\n")
    assert counts.stdout == "1\n0\n"
    as_json = json.loads(run("query", "-", "--json", input="Norway\nzebra\n").stdout)
    assert [r["total"] for r in as_json] == [1, 0]
    assert run("query", "-", input="zebra\n").exit_code == 1


def test_messages_say_what_happened(indexed: Path):
    only = run("query", "--participant", "Motegi")
    assert only.exit_code == 0
    assert only.stdout.rstrip().splitlines()[-1].startswith("1 release with participant Motegi (")
    none = run("query", "--country", "Narnia")
    assert none.exit_code == 1 and none.stdout == "No releases with country Narnia.\n"
    assert "searcher: no release has the country 'Narnia'" in none.stderr
    kind = run("query", "ASEAN", "--kind", "banquet")
    assert "no release has the kind 'banquet'" in kind.stderr
    past = run("query", "ASEAN", "--page", "100", "--limit", "2")
    assert past.exit_code == 1
    assert past.stderr == "searcher: page 100 is past the last page (3)\n"
    assert "page 100 is past the last page (3)" in _json("ASEAN", "--page", "100",
                                                          "--limit", "2")["notices"]


def test_dates_are_checked_before_anything_is_read(indexed: Path):
    bad = run("query", "ASEAN", "--from", "2022-13")
    assert bad.exit_code == 2 and "not a date: '2022-13' (there is no month 13" in bad.stderr
    assert run("query", "x", "--to", "2022-13-45").exit_code == 2
    march = _json("ASEAN", "--from", "March 2022")
    assert march["total"] == _json("ASEAN", "--from", "2022-03")["total"] == 2
    assert all(h["release_date"] >= "2022-03" for h in march["hits"])


def test_show_suggests_the_nearest_ids_and_shows_the_source(indexed: Path):
    missing = run("show", "001_bf54391174a1e62")
    assert missing.exit_code == 2
    assert missing.stderr == ("searcher: no release '001_bf54391174a1e62' in index; "
                              "nearest: 001_bf54391174a1e620\n")
    shown = run("show", "frederiksen").stdout
    assert "\nsource:       https://bidenwhitehouse.archives.gov/" in shown
    assert run("show", "frederiksen", "--json").stdout.count('"source_url": "https://') == 1


def test_index_exit_codes_and_a_quiet_stderr_off_a_terminal(workdir: Path):
    first = run("index")
    assert first.exit_code == 0 and first.stderr == ""  # not a terminal: no notes, no bar
    assert run("index", "-q").stdout == ""
    (workdir / "documents" / "empty.txt").write_bytes(b"")
    failed = run("index", "-q")
    assert failed.exit_code == 1 and failed.stdout == ""
    assert failed.stderr == "searcher: skipped documents/empty.txt: empty file\n"
    assert run("index", "--documents", "nowhere").exit_code == 2


def test_version_and_examples_in_every_help():
    assert run("-V").stdout == run("--version").stdout == "searcher, version 0.1.0\n"
    assert "_SEARCHER_COMPLETE=bash_source searcher" in run("--help").stdout
    for command in ("query", "show", "index", "watch", "parse"):
        assert "Examples:" in run(command, "--help").stdout, command


def test_watch_json_prints_one_object_a_line(workdir: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    proc = subprocess.Popen([sys.executable, "-m", "searcher", "watch", "--json", "--interval",
                             "0.1", "--debounce", "0.1"], cwd=workdir, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        first = json.loads(proc.stdout.readline())
        assert first["added"] == 5 and first["rebuilt"]
        time.sleep(0.3)
        shutil.copy(READOUT, workdir / "documents" / "frederiksen.md")
        second = json.loads(proc.stdout.readline())
        assert (second["added"], second["unchanged"]) == (1, 5)
    finally:
        proc.kill()
        proc.wait()


def test_text_wraps_to_the_width_and_keeps_long_ids_whole(seeds_index):
    results = seeds_index.search("ASEAN", limit=2)
    hit = results[0]
    long_id = "a-very-long-release-id/" * 5
    hit.release.id = long_id
    text = format_results(Results(results.query, 1, [hit], options=results.options), False, 60)
    lines = text.splitlines()
    assert any(line.strip() == long_id for line in lines)
    assert all(len(line) <= 60 for line in lines if line.strip() != long_id)
    assert isinstance(results[:1], list) and isinstance(results[0], Hit)
