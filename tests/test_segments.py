"""Writing segments: the inverted pool makes Whoosh's own files, in one process or several."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter

import searcher
from searcher.index import schema as fields
from searcher.index import segments
from searcher.index.mapped import MappedStorage
from searcher.index.segments import SegmentBuilder

from .conftest import FIXTURES, SEEDS


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    """The Whoosh documents of the seeds and the White House fixtures, as a build makes them,
    twice over (under other ids): enough for posting lists of several blocks."""
    out = []
    files = sorted(SEEDS.iterdir()) + sorted((FIXTURES / "whitehouse").iterdir())
    for copy in "rs":
        for n, path in enumerate(p for p in files if p.suffix in (".txt", ".md")):
            release = searcher.parse_file(path, f"{copy}{n}")
            out += fields.paragraph_documents(release)
            out.append(fields.release_document(release, {"path": path.name}))
    return out


def new_index(folder: Path):
    folder.mkdir()
    return MappedStorage(str(folder)).create_index(fields.build_schema())


def write(folder: Path, docs: list[dict], writer_class, limitmb: int = 64, **commit) -> Path:
    ix = new_index(folder)
    writer = writer_class(ix, limitmb=limitmb, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit(**commit)
    ix.close()
    return folder


def segment_files(folder: Path) -> dict[str, bytes]:
    """The segment's files by what follows the segment's (random) name."""
    return {p.name.split(".", 1)[1]: p.read_bytes()
            for p in folder.iterdir() if p.name.startswith("MAIN_") and "." in p.name}


def contents(folder: Path) -> dict:
    """Everything a search reads, by document key rather than number: each term's statistics
    and postings (weight, positions), each document's stored fields and field lengths."""
    with MappedStorage(str(folder)).open_index().reader() as reader:
        key: dict[int, str] = {}
        out: dict = {"docs": {}}
        for n, stored in reader.iter_docs():
            key[n] = stored["doc_key"]
            out["docs"][key[n]] = {**stored, **{f"len {name}": reader.doc_field_length(n, name)
                                                for name in fields.SEARCH_FIELDS}}
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            positions = fieldname in fields.SEARCH_FIELDS
            postings = {}
            while matcher.is_active():
                postings[key[matcher.id()]] = (matcher.weight(),
                                               matcher.value_as("positions") if positions
                                               else None)
                matcher.next()
            out[fieldname, text] = (info.weight(), info.doc_frequency(), info.min_length(),
                                    info.max_length(), info.max_weight(), postings)
        return out


def whooshs(docs: list[dict], tmp_path: Path) -> dict:
    """What Whoosh's own writer makes of ``docs``, as :func:`contents` reads it."""
    return contents(write(tmp_path / "whoosh", docs, SegmentWriter))


def test_the_files_are_byte_for_byte_whooshs(docs: list[dict], tmp_path: Path):
    ours = segment_files(write(tmp_path / "ours", docs, SegmentBuilder))
    theirs = segment_files(write(tmp_path / "whoosh", docs, SegmentWriter))
    assert {"pst", "trm", "_stored.col", "_body_len.col"} <= set(ours)
    assert sorted(ours) == sorted(theirs)
    for suffix in ours:
        assert ours[suffix] == theirs[suffix], suffix


def test_runs_on_disk_merge_to_the_same_postings(docs: list[dict], tmp_path: Path):
    """With no memory to spare every field of every document goes to a run of its own; the
    merged runs hold what Whoosh writes. (Not byte for byte: a run keeps values that several
    postings share as one object, which Whoosh's block pickles then write once.)"""
    ours = contents(write(tmp_path / "ours", docs, SegmentBuilder, limitmb=0))
    assert ours == whooshs(docs, tmp_path)
    assert ours["doctype", b"para"][1] > 128  # several blocks, from many runs


def test_a_merge_copies_segments_in_through_the_pool(docs: list[dict], tmp_path: Path):
    ix = new_index(tmp_path / "ours")
    half = len(docs) // 2
    for part in (docs[:half], docs[half:]):
        writer = SegmentBuilder(ix, compound=False)
        for doc in part:
            writer.add_document(**doc)
        writer.commit(merge=False)
    assert len(ix._segments()) == 2
    writer = SegmentBuilder(ix, compound=False)
    writer.delete_by_term("release_id", "r0")
    writer.commit(optimize=True)
    assert len(ix._segments()) == 1
    ix.close()
    assert contents(tmp_path / "ours") == whooshs(
        [d for d in docs if d["release_id"] != "r0"], tmp_path)


def filler(docs: list[dict], parts: int = 1):
    """Fills a part's writer with every ``parts``-th document."""
    def fill(writer: SegmentBuilder, part: int) -> int:
        mine = docs[part::parts]
        for doc in mine:
            writer.add_document(**doc)
        return len(mine)
    return fill


def test_parts_are_written_in_processes_and_commit_together(docs: list[dict], tmp_path: Path):
    ix = new_index(tmp_path / "ours")
    assert segments.commit(ix, filler(docs, 2), parts=2) == [len(docs[0::2]), len(docs[1::2])]
    assert len(ix._segments()) == 2
    ix.close()
    assert contents(tmp_path / "ours") == whooshs(docs, tmp_path)
    assert not (tmp_path / "ours" / "MAIN.tmp").exists()


def test_without_fork_the_parts_are_written_one_after_another(
        docs: list[dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    ix = new_index(tmp_path / "ours")
    assert segments.commit(ix, filler(docs, 2), parts=2) == [len(docs[0::2]), len(docs[1::2])]
    assert len(ix._segments()) == 1
    ix.close()
    assert contents(tmp_path / "ours") == whooshs(docs, tmp_path)


def test_parts_commit_with_deletions_and_a_merge(docs: list[dict], tmp_path: Path):
    """The parent deletes, and merges the small segments there were (Whoosh's policy: from
    five), while its writers add theirs."""
    ix = new_index(tmp_path / "ours")
    for start in range(0, 10, 2):
        segments.commit(ix, filler(docs[start:start + 2]))
    small = {s.segid for s in ix._segments()}
    segments.commit(ix, filler(docs[10:], 2), parts=2, delete=[("release_id", "r0")])
    after = {s.segid for s in ix._segments()}
    assert len(small) == 5 and not small & after and len(after) == 3  # merged, and two more
    ix.close()
    kept = [d for d in docs if d["release_id"] != "r0"]
    assert len(kept) < len(docs)
    assert contents(tmp_path / "ours") == whooshs(kept, tmp_path)


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_part_fails_the_whole_commit(docs: list[dict], tmp_path: Path, how: str):
    ix = new_index(tmp_path / "ours")
    segments.commit(ix, filler(docs[:10]))
    before = contents(tmp_path / "ours")

    def fill(writer: SegmentBuilder, part: int) -> None:
        filler(docs[10:], 2)(writer, part)
        if part == 0:
            time.sleep(60)  # still at work when the other fails: stopped, not waited for
        if how == "dies":
            os._exit(3)
        raise ValueError("a bad document")

    expected = (ValueError, "a bad document") if how == "raises" else (
        RuntimeError, r"an index writer process died \(exit code 3\)")
    started = time.monotonic()
    with pytest.raises(expected[0], match=expected[1]):
        segments.commit(ix, fill, parts=2, delete=[("release_id", "r0")])
    assert time.monotonic() - started < 30
    assert contents(tmp_path / "ours") == before
    segments.commit(ix, filler(docs[10:20]))  # the lock was let go
    assert ix.doc_count() == 20


KILLED_PARENT = """
import os, sys, time
from pathlib import Path
from searcher.index import schema, segments
from searcher.index.mapped import MappedStorage

folder = Path(sys.argv[1])
ix = MappedStorage(str(folder)).create_index(schema.build_schema())

def fill(writer, part):
    (folder / f"pid{part}").write_text(str(os.getpid()))
    for n in range(100_000):
        writer.add_document(doc_key=f"{part}-{n}", body="words, slowly")
        time.sleep(0.01)

segments.commit(ix, fill, parts=2)
"""


def running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; reaping it is not ours


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_writer_processes_stop_when_their_parent_is_killed(tmp_path: Path):
    import signal
    import subprocess
    import sys

    folder = tmp_path / "ix"
    folder.mkdir()
    parent = subprocess.Popen([sys.executable, "-c", KILLED_PARENT, str(folder)])
    pids = [folder / "pid0", folder / "pid1"]
    deadline = time.monotonic() + 30
    while not all(p.exists() and p.read_text() for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = [int(p.read_text()) for p in pids]
    assert all(running(pid) for pid in children)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in children)


def test_remembered_postings_stay_out_of_the_table_of_contents(docs: list[dict],
                                                               tmp_path: Path):
    """Fields remember the postings of their last values while writing (a release's title in
    each of its paragraphs); Whoosh pickles the writer's schema into the table of contents,
    which must not carry them."""
    schema = fields.build_schema()
    for doc in docs[:20]:
        for name in ("title", "release_id", "daynum"):
            if name in doc:
                assert schema[name].index(doc[name]) == schema[name].index(doc[name])
    assert all("_memo" in vars(schema[name]) for name in ("title", "release_id", "daynum"))
    folder = write(tmp_path / "ours", docs, SegmentBuilder)
    ix = MappedStorage(str(folder)).open_index()
    assert not [name for name, field in ix.schema.items() if "_memo" in vars(field)]
    ix.close()
    toc = next(folder.glob("_MAIN_*.toc"))
    assert toc.stat().st_size < 20_000


def test_an_unknown_field_is_refused_before_the_document_is_begun(docs: list[dict],
                                                                  tmp_path: Path):
    from whoosh.fields import UnknownFieldError

    ix = new_index(tmp_path / "ours")
    writer = SegmentBuilder(ix, compound=False)
    with pytest.raises(UnknownFieldError, match="No field named 'nope'"):
        writer.add_document(**docs[0], nope="x")
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    ix.close()
    assert contents(tmp_path / "ours") == whooshs(docs, tmp_path)
