"""The command line, through click's CliRunner and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from searcher.cli import cli


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def test_first_query_builds_the_index_and_says_so(workdir: Path):
    result = run("query", "ASEAN Chairmanship")
    assert result.exit_code == 0
    assert "building it from documents" in result.stderr
    assert "building it from" not in result.stdout
    assert (workdir / "index" / "CURRENT").exists()
    again = run("query", "ASEAN Chairmanship")
    assert again.stderr == ""
    assert again.stdout == result.stdout.replace(_took(result.stdout), _took(again.stdout))


def _took(text: str) -> str:
    return text.rsplit("(", 1)[1]


def test_query_output_for_people(workdir: Path):
    out = run("query", "flood").stdout.splitlines()
    assert out[0] == (
        "1. Phone Conversation between His Excellency PRAK Sokhonn, Deputy Prime Minister, "
        "Minister of Foreign Affairs and International Cooperation of the Kingdom of Cambodia, "
        "and His Excellency MOTEGI Toshimitsu, Minister for Foreign Affairs of Japan"
    )
    assert out[1].startswith("   2020-10-21 · telephone conversation · PRAK Sokhonn, "
                             "MOTEGI Toshimitsu · Japan · score ")
    assert out[1].endswith(" · 000_ed51f6f203b24192")
    assert out[2] == (
        "   The Japanese Minister also expressed his sympathy to the Royal Government and the "
        "people of Cambodia who are badly affected by severe [flooding]. He stated that Japan "
        "stands ready to assist Cambodia in dealing with this hardship."
    )
    assert out[-1].startswith('1 release matches "flood" (')


@pytest.mark.parametrize("env, color", [({}, False), ({"NO_COLOR": "1"}, False)])
def test_markers_without_a_terminal_or_with_no_color(workdir: Path, env, color):
    out = run("query", "flood", env=env).stdout
    assert "[flooding]" in out and "\x1b[" not in out


def test_color_always_uses_ansi(workdir: Path):
    out = run("query", "flood", "--color", "always").stdout
    assert "\x1b[1;33mflooding\x1b[0m" in out


def test_no_results_exit_1_and_bad_usage_exit_2(workdir: Path):
    none = run("query", "zebra")
    assert none.exit_code == 1
    assert none.stdout.strip() == 'No releases match "zebra".'
    assert run("query").exit_code == 2
    assert run("query", "x", "--limit", "0").exit_code == 2


SCHEMA = json.loads(resources.files("searcher").joinpath("data/results.schema.json").read_text())


@pytest.mark.parametrize("extra", [[], ["--facets"], ["--paragraphs"], ["--sort", "-date"],
                                   ["Blinkem"]])
def test_every_json_shape_follows_the_schema(workdir: Path, extra: list[str]):
    data = json.loads(run("query", "Myanmar", *extra, "--json").stdout)
    jsonschema.validate(data, SCHEMA)
    assert ("facets" in data) == ("--facets" in extra)


def test_json_follows_the_documented_schema(workdir: Path):
    data = json.loads(run("query", "Blinken", "--json").stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["query"] == "Blinken" and data["total"] == 1
    hit = data["hits"][0]
    assert hit["id"] == "003_43396bd8d29e8cc7"
    assert (hit["release_date"], hit["event_date"]) == ("2022-05-16", "2022-05-13")
    assert [p["name"] for p in hit["participants"]] == ["PRAK Sokhonn", "Antony J. Blinken"]
    assert hit["countries"] == ["United States"]
    for snippet in hit["snippets"]:
        assert {snippet["text"][s:e] for s, e in snippet["highlights"]} == {"Blinken"}


def test_json_when_nothing_matches(workdir: Path):
    result = run("query", "zebra", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["hits"] == []


def test_index_and_documents_options_and_environment(workdir: Path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    built = run("index", "--documents", "documents", "--index", str(elsewhere / "ix"))
    assert built.exit_code == 0
    assert built.stdout.startswith("rebuilt: 5 added, 0 changed, 0 removed, 0 unchanged, 0 failed")
    result = run("query", "Huitfeldt", "--json",
                 env={"SEARCHER_INDEX": str(elsewhere / "ix"), "SEARCHER_DOCUMENTS": "nowhere"})
    assert json.loads(result.stdout)["hits"][0]["id"] == "004_c5bea4f34a49b60c"
    assert not (workdir / "index").exists()


def test_missing_documents_folder_is_one_line_error(workdir: Path):
    result = run("query", "x", "--documents", "nowhere", "--index", "empty")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == "searcher: nowhere: no such documents folder"


def test_show_prints_a_release_and_its_json(workdir: Path):
    text = run("show", "001_bf54391174a1e620").stdout
    assert text.startswith("Deputy PM Prak Sokhonn Holds Bilateral Meeting with Japanese Foreign "
                           "Minister\n\nid:           001_bf54391174a1e620\n")
    assert "spokesperson: Chum Sounry" in text
    data = json.loads(run("show", "001_bf54391174a1e620", "--json").stdout)
    assert data["release_date"] == "2022-08-04" and len(data["paragraphs"]) == 4
    assert data["participants"][1]["name"] == "HAYASHI Yoshimasa"
    missing = run("show", "nope")
    assert missing.exit_code == 2 and "no release 'nope'" in missing.stderr


def test_index_summary_counts_failures_and_warnings(workdir: Path):
    (workdir / "documents" / "empty.txt").write_bytes(b"")
    (workdir / "documents" / "note.md").write_text("A note on the naval base, with no date.\n")
    result = run("index")
    assert result.stdout.startswith("rebuilt: 6 added, 0 changed, 0 removed, 0 unchanged, "
                                    "1 failed, 2 warnings (")
    assert "searcher: skipped documents/empty.txt: empty file\n" in result.stderr
    assert "searcher: warning: documents/note.md: no release date found\n" in result.stderr


def test_index_json_report(workdir: Path):
    report = json.loads(run("index", "--json").stdout)
    assert report["added"] == 5 and report["failed"] == 0 and report["paragraphs"] == 24


def test_parse_shows_what_would_be_indexed(workdir: Path):
    data = json.loads(run("parse", "documents/002_1b60594e8b6a4608.txt", "--json").stdout)
    assert data["event_date"] == "2021-11-23" and data["kind"] == "telephone conversation"
    bad = workdir / "bad.odt"
    bad.write_bytes(b"PK\x03\x04")
    result = run("parse", str(bad))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"searcher: {bad}: unknown file type '.odt'"


def test_real_subprocess_builds_on_first_use(workdir: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    cmd = [sys.executable, "-m", "searcher", "query", "Five-point Consensus", "--limit", "1"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "no index yet in index: building it from documents" in first.stderr
    assert first.stdout.startswith("1. ")
    assert "[Five-point] [Consensus]" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0 and second.stderr == ""
