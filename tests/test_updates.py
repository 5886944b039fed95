"""Keeping the index current: incremental updates, failures, staleness, locks, kills."""

from __future__ import annotations

import json
import marshal
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

import searcher
from searcher.cli import cli
from searcher.index.store import FORMAT_VERSION, MANIFEST, SOURCES, WriteLock

from .conftest import SEEDS

HUITFELDT = "004_c5bea4f34a49b60c"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SEEDS, folder)
    return folder


def docnums(index: searcher.Index, release_id: str) -> list[int]:
    return sorted(index.searcher().document_numbers(release_id=release_id))


def test_update_adds_changes_removes_and_skips_unchanged(docs: Path, tmp_path: Path):
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        untouched = docnums(index, "000_ed51f6f203b24192")
        (docs / "002_1b60594e8b6a4608.txt").unlink()
        shutil.copy(docs / f"{HUITFELDT}.txt",
                    docs / "new_release.txt")
        blinken = docs / "003_43396bd8d29e8cc7.txt"
        blinken.write_text(blinken.read_text().replace("Ream naval base", "Ream harbour"))
        os.utime(docs / "000_ed51f6f203b24192.txt")  # touched, not changed
        report = index.update(docs)
        assert (report.added, report.changed, report.removed, report.unchanged,
                len(report.failed)) == (1, 1, 1, 3, 0)
        assert index.search("Chollet").total == 0
        assert index.search("Huitfeldt").total == 2
        assert index.search('"Ream harbour"').total == 1
        assert index.search('"Ream naval base"').total == 0
        # Unchanged releases were not re-indexed: their documents are the same ones.
        assert docnums(index, "000_ed51f6f203b24192") == untouched
        again = index.update(docs)
        assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 5)


def test_progress_covers_reading_and_writing(docs: Path, tmp_path: Path):
    calls: list[tuple[int, int]] = []
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix",
                                    progress=lambda *a: calls.append(a))
    # Five files read (steps 1-5), then five releases written (6-10).
    assert calls == [(n, 10) for n in range(1, 11)]
    calls.clear()
    shutil.copy(docs / f"{HUITFELDT}.txt", docs / "copy.txt")
    with index:
        index.update(docs, progress=lambda *a: calls.append(a))
    assert calls == [(1, 2), (2, 2)]  # only the new file is read, and written


def test_change_is_found_by_content_even_with_the_same_mtime(docs: Path, tmp_path: Path):
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    path = docs / "000_ed51f6f203b24192.txt"
    stat = path.stat()
    path.write_text(path.read_text().replace("flooding", "drought"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with index:
        assert index.update(docs).changed == 1
        assert index.search("drought").total == 1 and index.search("flood").total == 0


def test_unchanged_files_are_known_by_size_and_time_and_racy_ones_hashed(docs: Path,
                                                                          tmp_path: Path):
    """Like git: a file whose size and modification time are as indexed is not re-read,
    unless it was modified within RACY_NS of being read (then its content is hashed)."""
    path = docs / "000_ed51f6f203b24192.txt"
    same_size = path.read_text().replace("flooding", "flooded!")
    old = 1_600_000_000 * 10**9  # 2020: long before the index run
    os.utime(path, ns=(old, old))
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    path.write_text(same_size)
    os.utime(path, ns=(old, old))
    with index:
        assert index.update(docs).unchanged == 5  # size and time as indexed: not read
        os.utime(path)  # touched: now read, and its new text indexed
        assert index.update(docs).changed == 1 and index.search("flooded").total == 1
        # Racy: changed again within the clock's reach, same size and time restored.
        stat = path.stat()
        path.write_text(same_size.replace("flooded!", "drought!"))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert index.update(docs).changed == 1 and index.search("drought").total == 1


def test_scan_lists_release_files_and_times_their_folders(tmp_path: Path):
    """Release files by suffix (any case), in nested folders, sorted; hidden files and
    folders, other suffixes and symlinked folders left out; each folder's time recorded."""
    from searcher.index.folder import release_ids, scan

    root = tmp_path / "docs"
    for rel in ["b.txt", "a.HTML", "2023/05/c.md", "2023/d.htm", ".hidden.txt",
                ".git/e.txt", "notes.odt", "2023/.f.md.swp", "README"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (root / "linked").symlink_to(root / "2023", target_is_directory=True)
    times: dict[str, int] = {}
    entries = scan(root, times)
    assert [e.rel for e in entries] == ["2023/05/c.md", "2023/d.htm", "a.HTML", "b.txt"]
    assert entries[0].path == root / "2023" / "05" / "c.md" and entries[0].size == 1
    assert sorted(times) == [".", "2023", "2023/05"]
    assert times["2023"] == (root / "2023").stat().st_mtime_ns
    assert list(release_ids(entries).values()) == ["2023/05/c", "2023/d", "a", "b"]


def test_a_large_folder_is_checked_by_its_folders_times(docs: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    """Above QUICK_CHECK_FROM releases a query's staleness check stats the folders only:
    added, removed and renamed files show; `searcher index` still finds every change."""
    import searcher.engine as index_module

    monkeypatch.setattr(index_module, "QUICK_CHECK_FROM", 2)
    (docs / "2022").mkdir()
    shutil.move(docs / "004_c5bea4f34a49b60c.txt", docs / "2022" / "004.txt")
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert set(index.manifest["folders"]) == {".", "2022"}
        assert not index.is_stale(docs)
        shutil.copy(docs / "2022" / "004.txt", docs / "2022" / "005.txt")
        assert index.is_stale(docs)  # added in a subfolder
        index.update(docs)
        assert not index.is_stale(docs)
        (docs / "000_ed51f6f203b24192.txt").unlink()
        assert index.is_stale(docs)
        assert index.update(docs).removed == 1 and not index.is_stale(docs)


def test_a_file_found_unchanged_takes_its_new_stat_and_no_op_updates_write_little(
        docs: Path, tmp_path: Path):
    """A file touched (or written just before it was indexed) is read, found unchanged, and
    its record takes its stat: later updates know it by size and time again. An update that
    changes nothing leaves the sources file alone; another Index's commit is seen."""
    path = docs / "000_ed51f6f203b24192.txt"
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        old = 1_600_000_000 * 10**9
        os.utime(path, ns=(old, old))  # touched: not the time indexed
        assert index.update(docs).unchanged == 5
        record = index.sources()["000_ed51f6f203b24192"]
        assert record["mtime_ns"] == old and record["read_ns"] > old
        sources_file = (index.generation / SOURCES).stat()
        counts = json.loads((index.generation / MANIFEST).read_text())
        # Changed, with size and time restored: not read again (as git would not).
        assert index.search("droughts").total == 0
        path.write_text(path.read_text().replace("flooding", "droughts"))
        os.utime(path, ns=(old, old))
        report = index.update(docs)
        assert (report.unchanged, report.changed) == (5, 0)
        assert index.search("droughts").total == 0
        assert (index.generation / SOURCES).stat().st_ino == sources_file.st_ino
        manifest = json.loads((index.generation / MANIFEST).read_text())
        assert [manifest[k] for k in ("releases", "paragraphs")] == [
            counts[k] for k in ("releases", "paragraphs")] and manifest["releases"] == 5
        with searcher.Index.open(tmp_path / "ix") as other:
            shutil.copy(docs / f"{HUITFELDT}.txt", docs / "copy.txt")
            assert other.update(docs).added == 1
        assert "copy" in index.sources()


def test_a_folder_reached_by_another_path_is_hashed_once_then_known_by_stat(
        docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Built as "/abs/docs", updated as "docs": the files are the same, found so by content,
    and their records take the new path, so the next update reads none of them."""
    old = 1_600_000_000 * 10**9
    for path in docs.iterdir():
        os.utime(path, ns=(old, old))  # not racy: size and time are trusted
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        monkeypatch.chdir(docs.parent)
        report = index.update(Path(docs.name))
        assert (report.unchanged, report.added, report.changed) == (5, 0, 0)
        assert all(not Path(s["path"]).is_absolute() for s in index.sources().values())
        # Changed with size and time kept: an update that hashed it would see it.
        path = docs / "000_ed51f6f203b24192.txt"
        path.write_text(path.read_text().replace("flooding", "droughts"))
        os.utime(path, ns=(old, old))
        assert index.update(Path(docs.name)).changed == 0


def test_sources_file_is_used_only_for_the_commit_it_describes(docs: Path, tmp_path: Path):
    """The sources file saves reading every release record on an update; one left from
    before the last commit (a run killed between commit and bookkeeping) is not trusted, nor
    one that cannot be read."""
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        path = index.generation / SOURCES
        saved = marshal.loads(path.read_bytes())
        assert saved["sources"] == index.sources() and len(saved["sources"]) == 5
        path.write_bytes(marshal.dumps({**saved, "commit": saved["commit"] - 1, "sources": {}}))
        assert len(index.sources()) == 5  # stale: read from the release records
        path.write_bytes(b"\x00garbled")
        assert len(index.sources()) == 5
        (docs / "000_ed51f6f203b24192.txt").unlink()
        assert index.update(docs).removed == 1
        assert set(marshal.loads(path.read_bytes())["sources"]) == set(index.sources())
        assert len(index.sources()) == 4


def test_failing_file_keeps_its_last_good_version_and_is_retried(docs: Path, tmp_path: Path):
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    path = docs / f"{HUITFELDT}.txt"
    good = path.read_bytes()
    path.write_bytes(b"\x00\xff" * 500)
    with index:
        report = index.update(docs)
        assert [(Path(e.path).name, e.reason) for e in report.failed] == [
            (path.name, "binary file (NUL bytes), not text")]
        assert report.removed == 0
        assert index.search("Huitfeldt").total == 1
        assert len(index.update(docs).failed) == 1  # retried, not remembered as done
        path.write_bytes(good.replace(b"Oslo", b"Bergen"))
        assert index.update(docs).changed == 1
        assert index.search("Bergen").total == 1


def test_add_and_remove_single_releases_from_a_script(docs: Path, tmp_path: Path):
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    release = searcher.parse_file(docs / f"{HUITFELDT}.txt", release_id="feed/norway-1")
    release.paragraphs = [p.replace("Oslo", "Tromsø") for p in release.paragraphs]
    with index:
        assert index.add([release]).added == 1
        assert index.search("Tromsø").hits[0].release.id == "feed/norway-1"
        # A folder update leaves releases that came from elsewhere alone.
        assert index.update(docs).removed == 0
        assert index.search("Tromsø").total == 1
        assert index.remove(["feed/norway-1"]).removed == 1
        assert index.search("Tromsø").total == 0


def test_query_notices_changed_documents_and_refreshes(docs: Path, tmp_path: Path):
    ix = str(tmp_path / "ix")
    runner = CliRunner()
    runner.invoke(cli, ["index", "--documents", str(docs), "--index", ix], catch_exceptions=False)
    shutil.copy(docs / f"{HUITFELDT}.txt", docs / "copy.txt")
    stale = runner.invoke(cli, ["query", "Huitfeldt", "--documents", str(docs), "--index", ix])
    assert f"searcher: {docs} changed since the last index run" in stale.stderr
    assert "1 release matches" in stale.stdout
    fresh = runner.invoke(cli, ["query", "Huitfeldt", "--refresh", "--documents", str(docs),
                                "--index", ix])
    assert "refreshed: 1 added, 0 changed, 0 removed" in fresh.stderr
    assert "2 releases match" in fresh.stdout
    quiet = runner.invoke(cli, ["query", "Huitfeldt", "--documents", str(docs), "--index", ix])
    assert quiet.stderr == ""


def test_index_of_other_settings_is_rebuilt_not_misread(docs: Path, tmp_path: Path):
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    manifest_path = index.generation / MANIFEST
    index.close()
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "analysis": "0"}))
    with pytest.raises(searcher.IndexMissing, match="other settings"):
        searcher.Index.open(tmp_path / "ix")
    result = CliRunner().invoke(cli, ["index", "--documents", str(docs), "--index",
                                      str(tmp_path / "ix")], catch_exceptions=False)
    assert (f"written with other settings (format {FORMAT_VERSION}, analysis 0); "
            "it must be rebuilt: rebuilding") in result.stderr
    assert result.stdout.startswith("rebuilt: 5 added")
    with searcher.Index.open(tmp_path / "ix") as reopened:
        assert reopened.search("Blinken").total == 1


def test_index_made_with_other_aliases_is_rebuilt_with_the_aliases_in_use(
        docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Aliases change who is who in every release: another aliases file (or the shipped one
    edited) is another index, rebuilt as one of another analysis is, and said why."""
    def names(index: searcher.Index) -> set[str]:
        return {p.name for r in index.releases() for p in r.participants}

    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert "PRAK Sokhonn" in names(index) and not index.search(participant="Senior").total
        his = index.search(participant="Sokhonn").total
    own = tmp_path / "aliases.txt"
    own.write_text("Sokhonn Prak Senior, PRAK Sokhonn\n", encoding="utf-8")
    monkeypatch.setenv("SEARCHER_ALIASES", str(own))
    with pytest.raises(searcher.IndexMissing, match=r"analysis \w+, other aliases\); it must"):
        searcher.Index.open(tmp_path / "ix")
    result = CliRunner().invoke(cli, ["index", "--documents", str(docs), "--index",
                                      str(tmp_path / "ix")], catch_exceptions=False)
    assert "other aliases); it must be rebuilt: rebuilding" in result.stderr
    with searcher.Index.open(tmp_path / "ix") as rebuilt:
        assert "Sokhonn Prak Senior" in names(rebuilt) and "PRAK Sokhonn" not in names(rebuilt)
        assert rebuilt.search(participant="Senior").total == his > 0
        assert rebuilt.manifest["aliases_file"] == str(own.resolve())
    monkeypatch.delenv("SEARCHER_ALIASES")
    with pytest.raises(searcher.IndexMissing, match="other aliases"):  # and back again
        searcher.Index.open(tmp_path / "ix")
    monkeypatch.setenv("SEARCHER_ALIASES", str(tmp_path / "none.txt"))
    missing = CliRunner().invoke(cli, ["query", "Blinken", "--index", str(tmp_path / "ix")])
    assert missing.exit_code != 0 and missing.stderr.splitlines() == [
        f"searcher: {tmp_path / 'none.txt'}: cannot read this aliases file "
        "(No such file or directory)"]


def test_second_writer_waits_then_fails_clearly(docs: Path, tmp_path: Path):
    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    index.close()
    args = ["index", "--documents", str(docs), "--index", str(tmp_path / "ix")]
    with WriteLock(tmp_path / "ix"):
        result = CliRunner().invoke(cli, [*args, "--wait", "0.3"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr == (f"searcher: {tmp_path / 'ix'}: another process (pid {os.getpid()}) "
                             "is writing this index; waited 0.3 s. Try again when it is done.\n")
    lock = WriteLock(tmp_path / "ix")
    lock.__enter__()
    threading.Timer(0.5, lock.__exit__, (None, None, None)).start()
    started = time.monotonic()
    waited = CliRunner().invoke(cli, [*args, "--wait", "10"], catch_exceptions=False)
    assert waited.exit_code == 0 and time.monotonic() - started >= 0.4
    assert "5 unchanged" in waited.stdout


def test_queries_answer_while_updates_run(docs: Path, tmp_path: Path):
    writer, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    extra = searcher.parse_file(docs / f"{HUITFELDT}.txt", release_id="extra")
    stop = threading.Event()
    errors: list[BaseException] = []

    def churn() -> None:
        try:
            while not stop.is_set():
                writer.add([extra])
                writer.remove(["extra"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=churn)
    thread.start()
    seen = set()
    try:
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            with searcher.open_index(tmp_path / "ix", documents=None) as reader:
                seen.add(reader.search("Huitfeldt").total)
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert not errors
    assert seen <= {1, 2} and seen


def test_an_open_index_reads_segments_another_commit_merged_away(docs: Path, tmp_path: Path):
    """Updates through another Index object merge small segments and delete their files;
    an Index opened before keeps answering from the files it holds."""
    writer, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    extra = searcher.parse_file(docs / f"{HUITFELDT}.txt", release_id="extra")
    writer.add([extra])
    gen = writer.generation
    with searcher.open_index(tmp_path / "ix", documents=None) as reader:
        before = {p.name.split(".")[0] for p in gen.glob("MAIN_*.*")}
        assert reader.search("Huitfeldt").total == 2
        for _ in range(6):
            writer.remove(["extra"])
            writer.add([extra])
        assert before - {p.name.split(".")[0] for p in gen.glob("MAIN_*.*")}  # merged away
        found = reader.search("Huitfeldt")
        assert found.total == 2 and {h.release.id for h in found} == {HUITFELDT, "extra"}
    writer.close()


def test_threads_share_one_index(docs: Path, tmp_path: Path):
    """Index files are read by position through memory maps, with no file offset to race
    on: threads querying one Index get what a lone query gets."""
    from concurrent.futures import ThreadPoolExecutor

    from searcher.search.scoring import clear_postings_cache

    index, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    queries = ["Huitfeldt", "ASEAN Chairmanship", '"Five-point Consensus"', "Ream",
               "Cambodia Norway", "Myanmar", "cooperation", "Sokhonn"] * 6

    def answer(q: str) -> list[tuple[str, float, list[str]]]:
        clear_postings_cache()  # every query reads its postings from the files
        return [(h.release.id, round(h.score, 6), [s.text for s in h.snippets])
                for h in index.search(q, limit=5)]

    with index:
        alone = [answer(q) for q in queries]
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(answer, queries))
    assert together == alone and any(alone)


def _corpus(folder: Path, count: int, version: str) -> dict[str, str]:
    """``count`` releases made from the seeds, each stamped with its id and ``version``."""
    folder.mkdir(exist_ok=True)
    seeds = sorted(SEEDS.iterdir())
    stamps = {}
    for i in range(count):
        text = seeds[i % len(seeds)].read_text()
        stamp = f"stamp{i}x{version}"
        cut = text.rindex("Phnom Penh, ")  # the sign-off
        text = f"{text[:cut]}The reference is {stamp}.\n\n{text[cut:]}"
        (folder / f"r{i:03d}.txt").write_text(text)
        stamps[f"r{i:03d}"] = stamp
    return stamps


def _states(index_dir: Path) -> dict[str, str]:
    """Each indexed release's stamp, checked to agree with its stored source hash."""
    out = {}
    with searcher.Index.open(index_dir) as index:
        sources = index.sources()
        for release in index.releases():
            stamps = [w for p in release.paragraphs for w in p.split() if w.startswith("stamp")]
            assert len(stamps) == 1, (release.id, stamps)
            out[release.id] = stamps[0].rstrip(".")
            assert sources[release.id]["hash"]
        assert index.search("Sokhonn").total == len(out)
    return out


@pytest.mark.slow
def test_killed_index_runs_leave_old_or_new_state_and_the_next_run_completes(tmp_path: Path):
    """Each attempt asks for a new state of the corpus (all files changed, some added or
    deleted), runs `searcher index` (every fourth with --rebuild) and kills it with SIGKILL at
    a random moment. After each kill the index must open and answer, and every release must be
    in the state it had before the attempt or the state asked for."""
    docs, ix = tmp_path / "docs", tmp_path / "ix"
    before = _corpus(docs, 100, "v0")
    searcher.build_index(documents=docs, index=ix)[0].close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    rng = random.Random(7)
    finished = []
    for attempt in range(1, 13):
        for path in docs.iterdir():
            path.unlink()
        wanted = _corpus(docs, rng.randint(90, 110), f"v{attempt}")
        args = ["index", "--documents", str(docs), "--index", str(ix)]
        if attempt % 4 == 0:
            args.append("--rebuild")
        proc = subprocess.Popen([sys.executable, "-m", "searcher", *args], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        states = _states(ix)
        assert set(states) <= set(before) | set(wanted)
        for release_id, stamp in states.items():
            assert stamp in (before.get(release_id), wanted.get(release_id)), release_id
        finished.append(states == wanted)
        before = states
    final = subprocess.run([sys.executable, "-m", "searcher", "index", "--documents", str(docs),
                            "--index", str(ix)], env=env, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    assert _states(ix) == wanted
    print("attempts that finished before the kill:", finished)


def test_lock_of_a_killed_process_is_taken_over(docs: Path, tmp_path: Path):
    searcher.build_index(documents=docs, index=tmp_path / "ix")[0].close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from searcher.index.store import WriteLock; lock = WriteLock(Path(sys.argv[1])).__enter__(); "
         "print('locked', flush=True); time.sleep(60)", str(tmp_path / "ix")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(searcher.IndexBusy):
        searcher.update_index(documents=docs, index=tmp_path / "ix", wait=0.2)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    index, report = searcher.update_index(documents=docs, index=tmp_path / "ix", wait=5)
    index.close()
    assert report.unchanged == 5
    assert report.warnings == [f"{tmp_path / 'ix' / 'LOCK'}: took over the lock of pid "
                               f"{holder.pid}, which had stopped"]


def test_watch_follows_the_folder(docs: Path, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "searcher", "watch", "--documents", str(docs), "--index",
         str(tmp_path / "ix"), "--interval", "0.1", "--debounce", "0.3"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert proc.stdout.readline().startswith("rebuilt: 5 added")
        for i in range(3):  # a burst: one update for all of it
            shutil.copy(docs / f"{HUITFELDT}.txt", docs / f"burst{i}.txt")
            time.sleep(0.05)
        assert proc.stdout.readline().startswith("3 added, 0 changed, 0 removed, 5 unchanged")
        (docs / "burst0.txt").unlink()
        assert proc.stdout.readline().startswith("0 added, 0 changed, 1 removed, 7 unchanged")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_large_build_uses_every_core_and_reports_failures(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    """From PARALLEL_FROM files the build parses in worker processes; failures and warnings
    come back from them as from the single-process path. Large commits write a segment a
    core (here from fewer documents than in use)."""
    from searcher.index import build as index_module
    from searcher.index.build import PARALLEL_FROM

    monkeypatch.setattr(index_module, "PARALLEL_WRITE_FROM", 400)

    docs = tmp_path / "docs"
    docs.mkdir()
    seeds = sorted(SEEDS.iterdir())
    for i in range(PARALLEL_FROM + 10):
        shutil.copy(seeds[i % len(seeds)], docs / f"r{i:03d}.txt")
    (docs / "broken.txt").write_bytes(b"\x00binary")
    (docs / "undated.txt").write_text("A note about the Ream naval base and nothing more.\n")
    index, report = searcher.build_index(documents=docs, index=tmp_path / "ix")
    with index:
        assert report.added == PARALLEL_FROM + 11 and len(index) == PARALLEL_FROM + 11
        assert [(Path(e.path).name, e.reason) for e in report.failed] == [
            ("broken.txt", "binary file (NUL bytes), not text")]
        assert f"{docs / 'undated.txt'}: no release date found" in report.warnings
        assert index.search("Huitfeldt").total == (PARALLEL_FROM + 10) // 5
        assert len(index.searcher().reader().leaf_readers()) == min(os.cpu_count() or 1, 4)
        # Parsed releases waited in a spill file beside the index, read back whole.
        expected = searcher.parse_file(docs / "r007.txt", "r007")
        assert index.release("r007").paragraphs == expected.paragraphs
        for i in range(PARALLEL_FROM):  # as many again: the update parses in workers too
            shutil.copy(seeds[i % len(seeds)], docs / f"s{i:03d}.txt")
        assert index.update(docs).added == PARALLEL_FROM
        assert index.release("s007").paragraphs == expected.paragraphs
        assert index.search("Huitfeldt").total == (2 * PARALLEL_FROM + 10) // 5
        assert [p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith(".")] == []


def test_a_killed_build_leaves_no_half_generation_behind(docs: Path, tmp_path: Path):
    first, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    first.close()
    half = tmp_path / "ix" / "gen-20000101T000000-dead00"
    half.mkdir()  # what a build killed before its manifest leaves
    (half / "MAIN_x.seg").write_bytes(b"partial")
    second, _ = searcher.build_index(documents=docs, index=tmp_path / "ix")
    second.close()
    left = sorted(p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith("gen-"))
    assert left == sorted([first.generation.name, second.generation.name])
