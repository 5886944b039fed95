"""Hostile files, the parse pool and the mapped files' reads, each beside its baseline.

    python tests/benchmarks/hostile.py [--baseline REV] [--timeout S] [--releases N]

1. Hostile files (made here): seconds to parse each with this code, and with the code of
   git revision ``REV`` (exported with ``git archive``, run in a process of its own and
   killed after ``--timeout`` seconds: "> 30 s" means it was still at it).
2. The parse step of a build of ``N`` releases (the benchmark corpus) on every core:
   searcher's pool (index/pool.py) beside ``concurrent.futures.ProcessPoolExecutor.map``
   in chunks of 32 (what the build used before), the same job function, in turn.
3. Reading every posting list of that index in one thread: the mapped files with a read
   position per thread (index/mapped.py) beside the map's own position (before).

Figures are printed, never asserted; the machine's load moves them, so compare within a run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))


def hostile_files(folder: Path) -> dict[str, str]:
    """name -> what it is; the files are written to ``folder``."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    made = {
        "laughs.md": ("---\n" + "\n".join(lines) + "\ntitle: x\n---\nText about Cambodia.\n",
                      "YAML billion laughs, 390 bytes"),
        "word.txt": ("A word\n\n" + "a" * 1_000_000 + "\n", "one 1 MB word"),
        "unclosed.html": ("<html><body>" + "<div>" * 10_000 + "<p>Text.</p></body></html>",
                          "10,000 unclosed tags"),
        "nested.html": ("<html><body>" + "<div>" * 10_000 + "<p>Text.</p>" + "</div>" * 10_000,
                        "10,000 nested tags"),
        "bold.md": ("Marks\n\n" + "**a " * 20_000 + "\n", "20,000 unclosed **, 80 KB"),
        "comments.md": ("Marks\n\n" + "<!-- " * 20_000 + "\n", "20,000 unclosed <!--, 100 KB"),
        "links.md": ("Marks\n\n" + "[a](" * 20_000 + "\n", "20,000 unclosed [a](, 80 KB"),
        "honorifics.txt": ("Names\n\n" + "H.E. " * 20_000 + "\n", "H.E. 20,000 times, 100 KB"),
        "initials.txt": ("Names\n\n" + "I. " * 33_000 + "\n", "I. 33,000 times, 100 KB"),
    }
    for name, (text, _) in made.items():
        (folder / name).write_text(text)
    return {name: what for name, (_, what) in made.items()}


_PARSE_ONE = """
import sys, time
import searcher
searcher.parse_file(sys.argv[1])  # warm: imports
started = time.perf_counter()
try:
    searcher.parse_file(sys.argv[2])
    outcome = "read"
except searcher.SearcherError as exc:
    outcome = "refused: " + exc.reason
print(f"{time.perf_counter() - started:.3f}\\t{outcome}")
"""


def parse_time(code: Path, path: Path, timeout: float) -> str:
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _PARSE_ONE, str(ROOT / "documents" /
                               "000_ed51f6f203b24192.txt"), str(path)], env=env,
                              capture_output=True, text=True, timeout=timeout + 30,
                              cwd=code)  # "python -c" puts the current folder first
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s"
    if done.returncode != 0:  # the time includes the process's start
        return (f"{time.perf_counter() - started:.1f} s, then "
                + (done.stderr.strip().splitlines() or ["?"])[-1].split(":")[0])
    seconds, outcome = done.stdout.strip().split("\t")
    return f"{float(seconds):.2f} s ({outcome[:50]})"


def exported(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def bench_hostile(baseline: str | None, timeout: float, work: Path) -> None:
    folder = work / "hostile"
    folder.mkdir()
    files = hostile_files(folder)
    old = exported(baseline, work / "baseline") if baseline else None
    print(f"\n1. Hostile files: seconds to parse (a process each; baseline {baseline or '-'})")
    print(f"| file | what | this code | {baseline or 'baseline'} |\n| --- | --- | --- | --- |")
    for name, what in files.items():
        new = parse_time(ROOT, folder / name, timeout)
        before = parse_time(old, folder / name, timeout) if old else "-"
        print(f"| {name} | {what} | {new} | {before} |", flush=True)


def _cpu() -> float:
    import resource

    return sum(getattr(resource.getrusage(who), field) for who in
               (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for field in ("ru_utime", "ru_stime"))


def bench_pool(releases: int, work: Path, rounds: int) -> Path:
    from concurrent.futures import ProcessPoolExecutor

    import corpus

    from searcher.index import build
    from searcher.index.build import IndexReport, read_all
    from searcher.index.folder import release_ids, scan

    docs = work / "docs"
    corpus.build(docs, releases=releases)
    jobs = [(e.full, rid) for e, rid in release_ids(scan(docs)).items()]
    workers = os.cpu_count() or 1

    def ours() -> int:
        return len(read_all(jobs, IndexReport(), None))

    def executor() -> int:  # the build's parse step before index/pool.py
        paths, ids = [j[0] for j in jobs], [j[1] for j in jobs]
        with ProcessPoolExecutor(workers) as pool:
            return sum(1 for item, _ in pool.map(build._parse_job, paths, ids, chunksize=32)
                       if item)

    if not rounds:
        return docs
    print(f"\n2. Parsing {len(jobs):,} releases on {workers} cores (best of {rounds}, in turn;"
          " CPU: all processes, user and system)")
    times: dict[str, list[tuple[float, float]]] = {"index/pool.py": [],
                                                   "ProcessPoolExecutor.map": []}
    for _ in range(rounds):
        for name, run in (("index/pool.py", ours), ("ProcessPoolExecutor.map", executor)):
            cpu, started = _cpu(), time.perf_counter()
            count = run()
            times[name].append((time.perf_counter() - started, _cpu() - cpu))
            assert count == len(jobs), (name, count)
    wall = min(t for t, _ in times["ProcessPoolExecutor.map"])
    cpu = min(c for _, c in times["ProcessPoolExecutor.map"])
    print("| parse step | best wall s | best CPU s | wall, vs before | CPU, vs before |\n"
          "| --- | --- | --- | --- | --- |")
    for name, runs in times.items():
        best_wall, best_cpu = min(t for t, _ in runs), min(c for _, c in runs)
        print(f"| {name} | {best_wall:.2f} | {best_cpu:.2f} | {best_wall / wall:.2f}x | "
              f"{best_cpu / cpu:.2f}x |")
    return docs


def bench_reads(docs: Path, work: Path) -> None:
    import searcher
    from searcher.index import mapped
    from searcher.search import scoring

    from whoosh.filedb.structfile import StructFile

    class _SharedPosition(mapped._MappedFile):  # the mapped file before: the map's position
        seek, tell, read, read_int = (StructFile.seek, StructFile.tell, StructFile.read,
                                      StructFile.read_int)

        @property
        def file(self):
            return self._mmap

    index, _ = searcher.build_index(documents=docs, index=work / "ix")
    readers = [leaf.reader() for leaf, _ in index.searcher().leaf_searchers()]
    terms = [(r, t) for r in readers for t in r.lexicon("body")]

    def read_all_postings(kind: type) -> float:
        for r in readers:  # the postings file of each segment, read through ``kind``
            postfile = r._terms._postfile
            postfile.__class__ = kind
        started = time.perf_counter()
        for r, t in terms:
            scoring._postings(r, "body", t)
        return time.perf_counter() - started

    print(f"\n3. Reading {len(terms):,} posting lists in one thread (s, best of 5, in turn)")
    times: dict[str, list[float]] = {"a position per thread": [], "the map's position": []}
    for _ in range(5):
        times["a position per thread"].append(read_all_postings(mapped._MappedFile))
        times["the map's position"].append(read_all_postings(_SharedPosition))
    base = min(times["the map's position"])
    print("| mapped file | best s | vs before |\n| --- | --- | --- |")
    for name, runs in times.items():
        print(f"| {name} | {min(runs):.3f} | {min(runs) / base:.2f}x |")
    index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="git revision to time the hostile files with too")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="of the parse step")
    parser.add_argument("--only", choices=["hostile", "pool", "reads"], action="append",
                        help="run only these parts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="searcher-hostile-") as tmp:
        work = Path(tmp)
        if args.baseline:
            (work / "baseline").mkdir()
        parts = set(args.only or ["hostile", "pool", "reads"])
        if "hostile" in parts:
            bench_hostile(args.baseline, args.timeout, work)
        if parts & {"pool", "reads"}:
            docs = bench_pool(args.releases, work, args.rounds if "pool" in parts else 0)
            if "reads" in parts:
                bench_reads(docs, work)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
