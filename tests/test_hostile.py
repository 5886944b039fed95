"""Hostile input, killed runs, shared threads: one file costs itself only, nothing leaks.

The hostile files are made here; runs that could hang are real processes with a timeout,
so that a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import searcher
from searcher.cli import cli
from searcher.index import pool
from searcher.index.build import PARALLEL_FROM
from searcher.index.slow import NOT_AGAIN
from searcher.ingest import readers
from searcher.ingest.readers import pairs
from searcher.ingest.readers.text import decode

from .conftest import SEEDS

ENV = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
HUITFELDT = "004_c5bea4f34a49b60c"


def run_searcher(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "searcher", *args], env=ENV,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def copies(folder: Path, count: int) -> None:
    """``count`` releases made from the seeds, each with a word of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.iterdir())
    for i in range(count):
        text = seeds[i % len(seeds)].read_text()
        cut = text.rindex("Phnom Penh, ")
        (folder / f"c{i:03d}.txt").write_text(f"{text[:cut]}The reference is stamp{i}.\n\n{text[cut:]}")


# -- one file costs itself only -------------------------------------------------------------

def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "---\n" + "\n".join(lines) + "\ntitle: Laughs\n---\nA release about Cambodia.\n"


def test_hostile_files_are_refused_or_read_quickly_and_the_rest_is_indexed(tmp_path: Path):
    """Each of these stopped `searcher index` for everyone (minutes to hours, or memory past
    1 GB): a 390-byte YAML "billion laughs", a 300 KB word (the e-mail search), 10,000
    unclosed or nested HTML tags, Markdown pairs never closed, honorifics alone."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "laughs.md").write_text(_billion_laughs())
    (docs / "big_front.md").write_text("---\ntitle: x\nnote: " + "y" * 70_000 + "\n---\nText.\n")
    (docs / "word.txt").write_text("A word\n\n" + "a" * 300_000 + "\n")
    (docs / "unclosed.html").write_text(
        "<html><body>" + "<div>" * 10_000 + "<p>Text about Cambodia.</p></body></html>")
    (docs / "nested.html").write_text("<html><body>" + "<div>" * 10_000
                                      + "<p>Text about Cambodia.</p>" + "</div>" * 10_000)
    (docs / "bold.md").write_text("Marks\n\n" + "**a " * 20_000 + "\n\n" + "<!-- [a](" * 10_000)
    (docs / "honorifics.txt").write_text("Honorifics\n\n" + "H.E. " * 5_000 + "\n")
    result = run_searcher("index", "--json", "--documents", str(docs), "--index",
                          str(tmp_path / "ix"))
    assert result.returncode == 1, result.stderr  # some files failed, the rest is indexed
    report = json.loads(result.stdout)
    assert sorted((Path(e["path"]).name, e["reason"]) for e in report["errors"]) == [
        ("big_front.md", "front matter too large (68 KB > 64 KB)"),
        ("laughs.md", "front matter refused: more than 10,000 values"),
    ]
    assert report["added"] == 5 + 5
    with searcher.open_index(tmp_path / "ix", documents=None) as index:
        assert {h.release.id for h in index.search("Cambodia", limit=20)} >= {
            "unclosed", "nested", HUITFELDT}
        # A paragraph longer than any release's is cut into pieces.
        assert [len(p) for p in index.release("word").paragraphs] == [20_000] * 15


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["*", "_", "**", "__", "[", "]", "(", ")", "!", "a", " ",
                                 "\n", "\\", "<!--", "-->", "<"]), max_size=16).map("".join))
def test_pairs_are_removed_as_the_regular_expressions_did(text: str):
    import re

    assert pairs.strip_comments(text) == re.sub(r"<!--.*?-->", "", text, flags=re.S)
    assert pairs.strip_images(text) == re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    assert pairs.strip_links(text) == re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    assert pairs.strip_bold(text) == re.sub(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1",
                                            r"\2", text, flags=re.S)


def _slow_page() -> str:
    """A page bs4 takes half a minute to read (Python all the way: a signal interrupts it)."""
    return "<html><body>" + "<p>x</p>" * 400_000 + "</body></html>"


def test_a_file_over_its_time_is_skipped_and_the_rest_indexed(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    from searcher.ingest.parse import prepare_parsing

    prepare_parsing()  # imports are not a file's time
    monkeypatch.setattr(readers, "PARSE_SECONDS", 1.5)  # a seed takes 10-50 ms
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "slow.html").write_text(_slow_page())
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert [(Path(e.path).name, e.reason) for e in report.failed] == [
            ("slow.html", "took longer than 1.5 s to parse; skipped")]
        assert len(index) == 5


def test_a_file_too_slow_to_parse_is_not_parsed_again_until_it_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each update would spend the file's whole time on it again, to fail again: it is
    reported from the last run's record instead, until the file, its time limit or the
    index (a rebuild) changes."""
    from searcher.ingest.parse import prepare_parsing

    prepare_parsing()
    monkeypatch.setattr(readers, "PARSE_SECONDS", 1.0)
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    slow = docs / "slow.html"

    def write(text: str) -> None:  # written well before the run that reads it: a file
        slow.write_text(text)       # written just before may change again unseen (racy)
        past = time.time_ns() - 10**10
        os.utime(slow, ns=(past, past))

    write(_slow_page())

    def failures(report) -> list[tuple[str, str]]:
        return [(Path(e.path).name, e.reason) for e in report.failed]

    parsed = ("slow.html", "took longer than 1 s to parse; skipped")
    remembered = (parsed[0], parsed[1] + NOT_AGAIN)
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert failures(report) == [parsed]
        for _ in range(2):
            again = index.update()
            assert failures(again) == [remembered] and again.unchanged == 5
            assert again.seconds < 1.0  # a parse would take its whole second
        monkeypatch.setattr(readers, "PARSE_SECONDS", 1.2)  # given more time: tried again
        assert failures(index.update()) == [("slow.html", "took longer than 1.2 s to parse; "
                                             "skipped")]
        assert failures(index.update()) == [("slow.html", parsed[1].replace("1 s", "1.2 s")
                                             + NOT_AGAIN)]
        write("<html><body><h1>Now quick</h1><p>Read at last.</p></body></html>")
        fixed = index.update()
        assert failures(fixed) == [] and fixed.added == 1 and len(index) == 6
        assert index.search("read at last").total == 1
        write(_slow_page())  # slow again: its last good version stays
        assert failures(index.update()) == [("slow.html", "took longer than 1.2 s to parse; "
                                             "skipped")]
        assert index.search("read at last").total == 1
        assert failures(index.update())[0][1].endswith(NOT_AGAIN)
        slow.unlink()
        gone = index.update()
        assert failures(gone) == [] and gone.removed == 1
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    index.close()
    assert failures(report) == []
    write(_slow_page())
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")  # rebuilt:
    with index:                                                   # every file read again
        assert failures(report) == [("slow.html", "took longer than 1.2 s to parse; skipped")]


def test_a_slow_file_with_a_name_not_utf8_is_remembered_and_read_again_in_a_week(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from searcher.index import slow
    from searcher.ingest.parse import prepare_parsing

    prepare_parsing()
    monkeypatch.setattr(readers, "PARSE_SECONDS", 1.0)
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    odd = docs / "sl\udcffow.html"  # the byte 0xFF in its name
    odd.write_text(_slow_page())
    past = time.time_ns() - 10**10
    os.utime(odd, ns=(past, past))
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert [e.reason for e in report.failed] == ["took longer than 1 s to parse; skipped"]
        assert [e.reason for e in index.update().failed] == [
            "took longer than 1 s to parse; skipped" + NOT_AGAIN]
        monkeypatch.setattr(slow, "RETRY_AFTER_DAYS", 0)  # a week has passed
        assert [e.reason for e in index.update().failed] == [
            "took longer than 1 s to parse; skipped"]


def test_a_file_over_its_time_is_skipped_in_a_thread_too(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    """Signals reach the main thread only: an update run in another thread parses in a
    worker process, which is stopped past the file's time, so one slow file does not hold
    the run for as long as it takes."""
    from searcher.ingest.parse import prepare_parsing

    prepare_parsing()  # forked, the worker need not import anything
    monkeypatch.setattr(readers, "PARSE_SECONDS", 1.0)
    monkeypatch.setattr(pool, "GRACE", 0.5)
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    (docs / "slow.html").write_text(_slow_page())
    (docs / "quick.txt").write_text("Phnom Penh, 1 May 2023\n\nA quick release read in a "
                                    "worker process.\n")
    done: list = []
    worker = threading.Thread(target=lambda: done.append(index.update()))
    with index:
        worker.start()
        worker.join(timeout=60)
        assert not worker.is_alive() and done, "the update was held by the slow file"
        report = done[0]
        assert [(Path(e.path).name, e.reason) for e in report.failed] == [
            ("slow.html", "took longer than 1 s to parse; skipped")]
        assert report.added == 1 and index.search("quick release").total == 1


def _cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask") or not Path("/proc/self/stat").exists(),
                    reason="blocks signals and reads CPU times from /proc")
def test_the_parse_pool_kills_a_worker_stuck_on_a_file_and_survives_one_that_dies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The workers here cannot act on the signal that ends a file's time (SIGALRM blocked,
    as in C code that never returns), each on a slow page: the parent kills the one still
    at it past its time and reports that file; the other is killed from outside while on
    its page, which is reported too. Every other file goes to new workers."""
    from searcher.ingest.parse import prepare_parsing

    prepare_parsing((".txt", ".html"))  # forked, the workers need not import anything
    monkeypatch.setattr(readers, "PARSE_SECONDS", 3.0)
    monkeypatch.setattr(pool, "GRACE", 0.5)
    docs = tmp_path / "docs"
    copies(docs, PARALLEL_FROM + 40)
    for i in (0, 16):  # files go out 16 at a time, in order: one page in each first batch
        (docs / f"c{i:03d}_slow.html").write_text(_slow_page())

    def kill_one_on_its_page() -> None:  # seconds of CPU: parsing a page, nothing else
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            workers = [p.pid for p in multiprocessing.active_children()]
            if len(workers) == 2 and all(_cpu_seconds(pid) > 0.4 for pid in workers):
                os.kill(workers[0], signal.SIGKILL)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_one_on_its_page)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # forked workers inherit it
    try:
        killer.start()
        index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        killer.join()
    with index:
        assert sorted((e.reason, Path(e.path).name) for e in report.failed) in [[
            ("the parsing process died on it (killed by signal 9); skipped", first),
            ("took longer than 3 s to parse; skipped", second),
        ] for first, second in [("c000_slow.html", "c016_slow.html"),
                                ("c016_slow.html", "c000_slow.html")]]
        assert report.added == len(index) == PARALLEL_FROM + 40
    assert multiprocessing.active_children() == []


# -- killed runs --------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc")
def test_killed_runs_leave_no_workers_no_lock_and_no_generations(tmp_path: Path):
    """`searcher index --rebuild` over more files than the parse pool starts at, killed while
    its workers parse: they die with it, the next run takes the lock at once, and no
    generation is left but the current one and the one before it."""
    docs, ix = tmp_path / "docs", tmp_path / "ix"
    copies(docs, PARALLEL_FROM + 20)
    searcher.build_index(documents=docs, index=ix)[0].close()
    rng = random.Random(19)
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "searcher", "index", "--rebuild",
                                 "--documents", str(docs), "--index", str(ix)], env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the parse pool never started"
        time.sleep(rng.uniform(0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not any(_running(w) for w in workers), "a worker outlived its run"
        after = run_searcher("index", "--wait", "0", "--documents", str(docs), "--index", str(ix))
        assert after.returncode == 0, after.stderr
        current = (ix / "CURRENT").read_text().strip()
        left = [p.name for p in ix.iterdir() if p.name.startswith("gen-") and p.name != current]
        assert len(left) <= 1 and all((ix / name / "manifest.json").is_file() for name in left)
        assert not list(ix.glob(".*.tmp")) and not list((ix / current).glob("*.tmp"))
    with searcher.Index.open(ix) as index:
        assert len(index) == PARALLEL_FROM + 20


# -- threads sharing one Index ------------------------------------------------------------

_THREADS = r"""
import json, sys, threading, time
import searcher
from searcher.search.scoring import clear_postings_cache

sys.setswitchinterval(1e-5)  # threads take turns often: any race shows in seconds
index = searcher.open_index(sys.argv[1], documents=None)
assert "nltk" not in sys.modules  # a cold start: the threads import it
queries = ["Huitfeldt", "ASEAN Chairmanship", '"Five-point Consensus"', "Ream naval base",
           "Cambodia Norway", "Myanmar", "cooperation", "Sokhonn", "flooding", "Japan"]
files = sys.argv[2:]
barrier, errors, answers = threading.Barrier(8), [], {}
deadline = time.monotonic() + 1.5

def answer(q):
    clear_postings_cache()  # every posting list read from the files again
    return [(h.release.id, round(h.score, 6), [s.text for s in h.snippets])
            for h in index.search(q, limit=5)]

def work(n):
    barrier.wait()
    i = n
    while time.monotonic() < deadline:
        try:
            if n % 4 == 3:  # parsing too, as a server taking an upload
                searcher.parse_file(files[i % len(files)])
            else:
                answers.setdefault(queries[i % len(queries)], []).append(answer(queries[i % len(queries)]))
        except BaseException as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        i += 1

threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
alone = {q: answer(q) for q in answers}
wrong = sum(got != alone[q] for q, runs in answers.items() for got in runs)
print(json.dumps({"errors": errors, "wrong": wrong, "answered": sum(map(len, answers.values()))}))
"""


def test_threads_share_an_index_from_a_cold_start_while_another_process_updates(tmp_path: Path):
    """8 threads query one Index (and parse files) while another process commits: no
    import deadlock at the start, no read of another thread's postings block, every
    answer what a lone query gets (the Index reads the commit it opened)."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    writer, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    extra = searcher.parse_file(docs / f"{HUITFELDT}.txt", release_id="extra")
    stop, failures = threading.Event(), []

    def churn() -> None:  # commits that add, delete and merge segments under the readers
        try:
            while not stop.is_set():
                writer.add([extra])
                writer.remove(["extra"])
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    updater = threading.Thread(target=churn)
    updater.start()
    try:
        result = subprocess.run([sys.executable, "-c", _THREADS, str(tmp_path / "ix"),
                                 *map(str, sorted(docs.iterdir()))], env=ENV,
                                capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        updater.join()
        writer.close()
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["errors"] == [] and outcome["wrong"] == 0 and outcome["answered"] > 0
    assert not failures


# -- the documents folder -----------------------------------------------------------------

def _without_root_powers() -> None:
    """In a child about to run searcher as root: drop the capabilities that let root read
    any folder, so that permissions apply to it as to anyone."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone after exec too
            raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    data[0].effective &= ~0b110
    data[0].permitted &= ~0b110
    data[0].inheritable &= ~0b110
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _as_anyone(*args: str) -> subprocess.CompletedProcess:
    if os.geteuid() != 0:
        return run_searcher(*args)
    try:
        return run_searcher(*args, preexec_fn=_without_root_powers)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"running as root, and root's powers cannot be dropped here: {exc}")


@pytest.mark.skipif(sys.platform != "linux", reason="drops root's capabilities the Linux way")
def test_an_unreadable_folder_is_a_warning_and_its_releases_are_kept(tmp_path: Path):
    docs, ix = tmp_path / "docs", tmp_path / "ix"
    shutil.copytree(SEEDS, docs)
    (docs / "sub").mkdir()
    shutil.move(docs / f"{HUITFELDT}.txt", docs / "sub" / "norway.txt")
    searcher.build_index(documents=docs, index=ix)[0].close()
    (docs / "sub").chmod(0)
    try:
        for args in (["index"], ["index", "--rebuild"]):
            result = _as_anyone(*args, "--json", "--documents", str(docs), "--index", str(ix))
            assert result.returncode == 0, result.stderr
            report = json.loads(result.stdout)
            assert report["removed"] == 0
            assert report["warnings"][0] == (f"{docs / 'sub'}: cannot read this folder "
                                             "(Permission denied); the releases indexed "
                                             "from it before are kept")
            with searcher.Index.open(ix) as index:
                assert index.search("Huitfeldt").total == 1 and len(index) == 5
        assert report["warnings"][1:] == ["1 releases from folders that could not be read "
                                          "were carried over from the previous index"]
    finally:
        (docs / "sub").chmod(0o755)
    _, report = searcher.update_index(documents=docs, index=ix)
    assert (report.unchanged, report.warnings) == (5, [])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symbolic links")
def test_links_inside_are_followed_outside_not_and_odd_entries_are_warned_of(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (tmp_path / "outside.txt").write_text("Secret\n\nThe zebrafish protocol is private.\n")
    (docs / "outside_link.txt").symlink_to(tmp_path / "outside.txt")
    (docs / "inside_link.txt").symlink_to(f"{HUITFELDT}.txt")
    (docs / "loop_a.txt").symlink_to("loop_b.txt")
    (docs / "loop_b.txt").symlink_to("loop_a.txt")
    (docs / "dangling.txt").symlink_to("missing.txt")
    (docs / "up").symlink_to(".")  # a folder inside: not walked again
    os.mkfifo(docs / "pipe.txt")
    result = cli_run("index", "--json", "--documents", str(docs), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    assert sorted(json.loads(result.stdout)["warnings"]) == sorted([
        f"{docs / 'outside_link.txt'}: links outside the documents folder "
        f"(to {tmp_path / 'outside.txt'}); not followed",
        f"{docs / 'loop_a.txt'}: symbolic link loop; not followed",
        f"{docs / 'loop_b.txt'}: symbolic link loop; not followed",
        f"{docs / 'dangling.txt'}: dangling link (to missing.txt); skipped",
        f"{docs / 'pipe.txt'}: a FIFO, not a release file; skipped",
    ])
    assert cli_run("query", "zebrafish", "--documents", str(docs), "--index",
                   str(tmp_path / "ix")).exit_code == 1
    with searcher.Index.open(tmp_path / "ix") as index:
        found = index.search("Huitfeldt")
        assert sorted(h.release.id for h in found) == [HUITFELDT, "inside_link"]
        assert {h.release.path for h in found} == {str(docs / f"{HUITFELDT}.txt")}


def test_a_file_name_that_is_not_utf8_is_indexed_with_its_bytes_written_out(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    bad = os.fsdecode(os.fsencode(docs) + b"/bad_\xff\xfe_name.md")
    shutil.copy(docs / f"{HUITFELDT}.txt", bad)
    args = ["--documents", str(docs), "--index", str(tmp_path / "ix")]
    assert cli_run("index", *args).stdout.startswith("rebuilt: 6 added")
    shutil.copy(docs / f"{HUITFELDT}.txt", docs / "later.txt")  # updates go on working
    assert cli_run("index", *args).stdout.startswith("1 added, 0 changed, 0 removed")
    text = Path(bad).read_text()
    cut = text.rindex("Phnom Penh, ")  # the sign-off
    Path(bad).write_text(f"{text[:cut]}A new paragraph about zebrafish.\n\n{text[cut:]}")
    refreshed = cli_run("query", "zebrafish", "--refresh", "--json", *args)
    assert refreshed.exit_code == 0
    hit = json.loads(refreshed.stdout)["hits"][0]
    assert (hit["id"], Path(hit["path"]).name) == ("bad_\\xff\\xfe_name", "bad_\\xff\\xfe_name.md")


def test_watch_waits_for_a_documents_folder_that_goes_away(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    log = open(tmp_path / "stderr.txt", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "searcher", "watch", "--documents", str(docs), "--index",
         str(tmp_path / "ix"), "--interval", "0.1", "--debounce", "0.2"],
        stdout=subprocess.PIPE, stderr=log, text=True, env=ENV)
    try:
        assert proc.stdout.readline().startswith("rebuilt: 5 added")
        docs.rename(tmp_path / "away")  # a remount, a sync tool replacing the folder
        time.sleep(0.5)
        (tmp_path / "away").rename(docs)
        shutil.copy(docs / f"{HUITFELDT}.txt", docs / "new.txt")
        assert proc.stdout.readline().startswith("1 added, 0 changed, 0 removed, 5 unchanged")
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    log.seek(0)
    notes = log.read()
    assert f"searcher: {docs}: the documents folder is gone or cannot be read; waiting" in notes
    assert f"searcher: {docs}: the documents folder is back" in notes


@pytest.mark.parametrize("text", [
    "The naïve approach of the Ministry’s délégation — “quoted” – café",
    "A naïve view.",
    "Le ministère des Affaires étrangères annonce la réunion à Genève.",
])
def test_windows_1252_text_is_read_as_windows_1252(text: str):
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize(("text", "codepage"), [
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Ministerstvo zahraničních věcí.", "cp1250"),
    ("Dışişleri Bakanlığı açıklama yaptı: Türkiye ile görüşme gerçekleşti.", "cp1254"),
    ("Министерство иностранных дел сообщает о встрече министров.", "cp1251"),
])
def test_other_code_pages_keep_theirs(text: str, codepage: str):
    assert decode(text.encode(codepage)) == text


# -- a full disk, a read-only index -------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path):
    """A 600 KB file system of its own (tmpfs), as root can mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_names_the_file_cleans_up_and_the_retry_works(tmp_path: Path,
                                                                   small_disk: Path):
    docs, ix = tmp_path / "docs", small_disk / "ix"
    shutil.copytree(SEEDS, docs)
    searcher.build_index(documents=docs, index=ix)[0].close()
    before = sorted(p.name for p in ix.rglob("*"))
    copies(docs, 150)  # 0.9 MB more of index
    full = run_searcher("index", "--documents", str(docs), "--index", str(ix))
    assert full.returncode == 2
    line = full.stderr.strip()
    assert line.startswith(f"searcher: {ix}/gen-") and "\n" not in line
    assert line.endswith(f": no space left on device while writing the index in {ix}; it is "
                         "as it was before this run: free some space and run again")
    assert sorted(p.name for p in ix.rglob("*")) == before  # nothing half-written is left
    with searcher.Index.open(ix) as index:
        assert len(index) == 5
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    retry = run_searcher("index", "--documents", str(docs), "--index", str(ix))
    assert retry.returncode == 0, retry.stderr
    assert retry.stdout.startswith("150 added, 0 changed, 0 removed, 5 unchanged")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    (docs / "c000.txt").unlink()
    with pytest.raises(searcher.SearcherError, match=f"read-only file system: the index in "
                                                      f"{ix} cannot be written"):
        searcher.update_index(documents=docs, index=ix)
    with searcher.open_index(ix, documents=None) as index:  # still searched
        assert index.search("Huitfeldt").total == 31
