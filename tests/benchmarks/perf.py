"""Build and query performance, searcher beside plain Whoosh and SQLite FTS5, in one run.

    python tests/benchmarks/perf.py --paragraphs 100000 [--queries 3]
    python tests/benchmarks/perf.py --startup          # a cold `searcher query`
    python tests/benchmarks/perf.py --namespaces       # warm queries over lists vs numpy

Corpus: tests/benchmarks/corpus.py (seeds + White House readouts from ../shared/corpora,
replicated with varied ids, years and surnames). The baselines index the very paragraphs
searcher's reader produced (text, title, release id), so all three see the same text:

- whoosh: plain Whoosh with its defaults, one writer: Schema(id=ID, title=TEXT,
  body=TEXT(stored)), StandardAnalyzer, BM25F, highlights from ``hit.highlights("body")``;
- fts5: stdlib sqlite3, FTS5 table (title, body), porter tokenizer, ``bm25()`` order and
  ``snippet()``.

Each build runs in its own process so its peak memory is its own: the peak of the summed
proportional set size (PSS) of the build's processes, sampled twice a second (RSS would
count pages a forked worker shares with its parent twice), and the peak RSS of the main
process and of its largest worker. Query latency is
measured in a warm process over a fixed mix (single words, two and three words, phrases,
names, misspelt words, field filters, date ranges), each query run ``--queries`` times, with
snippets. The cold ``searcher query`` is timed end to end (interpreter start and imports)
on the bundled documents and on the benchmark index. searcher keeps decoded postings in a
bounded cache (see ``searcher.search.cache``), so it is also timed with that cache emptied before
every query. Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

#: The query mix: (what it exercises, searcher query, plain-words query for the baselines).
QUERIES = [
    ("word", "Ukraine", "Ukraine"),
    ("word", "Myanmar", "Myanmar"),
    ("word", "climate", "climate"),
    ("two words", "security cooperation", "security cooperation"),
    ("two words", "ASEAN Chairmanship", "ASEAN Chairmanship"),
    ("three words", "supply chain resilience", "supply chain resilience"),
    ("three words", "Indo-Pacific maritime security", "Indo-Pacific maritime security"),
    ("phrase", '"Five-point Consensus"', '"Five-point Consensus"'),
    ("phrase", '"national security advisor"', '"national security advisor"'),
    ("name", "Blinken", "Blinken"),
    ("name", "Prak Sokhonn", "Prak Sokhonn"),
    ("name", "Sullivan", "Sullivan"),
    ("fuzzy", "Ukrane", "Ukrane"),
    ("fuzzy", "Blinkem", "Blinkem"),
    ("field", "country:Japan trade", "Japan trade"),
    ("field", "participant:Sokhonn ASEAN", "Sokhonn ASEAN"),
    ("date range", "Ukraine date:[2022-01-01 TO 2022-12-31]", "Ukraine"),
    ("date range", "climate date:2023", "climate"),
]


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of ``root`` and its descendants, in MB: memory really used,
    pages a fork still shares counted once (RSS counts them in every process)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += sum(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except OSError:
            continue
    return total / 1024


class PssSampler:
    """The peak of :func:`_tree_pss_mb` for this process, sampled every half second."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_pss_mb(os.getpid()))
            self._stop.wait(0.5)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peak, _tree_pss_mb(os.getpid()))


def peak_mb() -> tuple[float, float]:
    """(this process's peak RSS, the largest peak of its worker processes), in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# -- builds, each run as `python perf.py --build SYSTEM DOCS OUT` in its own process ----------

def build_searcher(docs: Path, out: Path) -> dict:
    import searcher

    started = time.perf_counter()
    index, report = searcher.build_index(documents=docs, index=out)
    seconds = time.perf_counter() - started
    index.close()
    return {"seconds": seconds, "paragraphs": report.paragraphs, "releases": report.added}


def export_paragraphs(docs: Path, out: Path) -> dict:
    """The paragraphs searcher's reader produced, for the baselines (its own process, so
    that its memory counts against no build)."""
    import searcher

    index = searcher.Index.open(out.parent / "searcher")
    with open(out.parent / "paragraphs.json", "w") as f:
        json.dump([{"id": r.id, "title": r.title, "body": p}
                   for r in index.releases() for p in r.paragraphs], f)
    index.close()
    return {}


def build_whoosh(docs: Path, out: Path) -> dict:
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    paragraphs = json.loads((out.parent / "paragraphs.json").read_text())
    started = time.perf_counter()
    out.mkdir()
    ix = index.create_in(str(out), Schema(id=ID(stored=True), title=TEXT(stored=True),
                                          body=TEXT(stored=True)))
    writer = ix.writer()
    for p in paragraphs:
        writer.add_document(**p)
    writer.commit()
    return {"seconds": time.perf_counter() - started, "paragraphs": len(paragraphs)}


def build_fts5(docs: Path, out: Path) -> dict:
    paragraphs = json.loads((out.parent / "paragraphs.json").read_text())
    started = time.perf_counter()
    out.mkdir()
    db = sqlite3.connect(out / "fts.db")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    db.executemany("INSERT INTO p VALUES (:id, :title, :body)", paragraphs)
    db.commit()
    db.close()
    return {"seconds": time.perf_counter() - started, "paragraphs": len(paragraphs)}


BUILDS = {"searcher": build_searcher, "whoosh": build_whoosh, "fts5": build_fts5}
STEPS = {**BUILDS, "export": export_paragraphs}


def run_build(system: str, docs: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--build", system, str(docs), str(out)],
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["size_mb"] = size_mb(out)
    return figures


# -- queries ------------------------------------------------------------------------------

def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def time_queries(run, queries: list[str], repeat: int) -> list[float]:
    for q in queries:  # warm up: caches, lazy imports
        run(q)
    samples = []
    for _ in range(repeat):
        for q in queries:
            started = time.perf_counter()
            run(q)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def searcher_runner(index_dir: Path, first_read: bool = False):
    """searcher's queries; with ``first_read``, its cache of decoded postings is emptied
    before each one, so every posting list is read from the index files again."""
    import searcher
    from searcher.search.scoring import clear_postings_cache

    index = searcher.Index.open(index_dir)

    def run(q: str):
        if first_read:
            clear_postings_cache()
        return [h.snippets for h in index.search(q, limit=10)]

    return run


def whoosh_runner(index_dir: Path):
    from whoosh import index, qparser

    ix = index.open_dir(str(index_dir))
    s = ix.searcher()
    parser = qparser.MultifieldParser(["title", "body"], ix.schema)
    return lambda q: [h.highlights("body") for h in s.search(parser.parse(q), limit=10)]


def fts5_runner(index_dir: Path):
    db = sqlite3.connect(index_dir / "fts.db")

    def run(q: str):
        words = q.replace('"', " ").split()
        match = f'"{q.strip(chr(34))}"' if q.startswith('"') else " AND ".join(
            f'"{w}"' for w in words)
        return db.execute(
            "SELECT id, snippet(p, 2, '[', ']', '…', 30) FROM p WHERE p MATCH ? "
            "ORDER BY bm25(p) LIMIT 10", (match,)).fetchall()

    return run


def cold_query(index_dir: Path, docs: Path, runs: int = 5) -> float:
    return startup(index_dir, docs, runs)["query"]


def _child_env(path: str | None = None) -> dict[str, str]:
    """The environment a user's shell has: bytecode written and read (PYTHONDONTWRITEBYTECODE
    would make every run compile searcher's modules from source); ``path``: a source tree
    of another version of searcher to run instead."""
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("SEARCHER_")}
    if path:
        env["PYTHONPATH"] = path
    return env


def startup(index_dir: Path, docs: Path, runs: int = 21,
            before: Path | None = None) -> dict[str, float]:
    """Median wall seconds, process start to exit, of a bare interpreter (``python -c pass``),
    ``import numpy`` alone, and a cold ``python -m searcher query`` (and the same with the
    source tree ``before``, an earlier version, on an index it built), run in turn so that
    the machine's drift touches each alike; plus the query's ratio to the bare interpreter.
    The query's hits are checked against an in-process search, and against ``before``'s.

    Every command runs in an empty folder of its own: ``-m searcher`` imports whatever
    ``searcher`` the working folder holds first (the repository's source, or the benchmark's
    index folder, which is called ``searcher`` too and made ``-m`` fail with nothing on
    stdout)."""
    import searcher

    query = ["ASEAN Chairmanship"]
    where = ["--index", str(index_dir), "--documents", str(docs)]
    commands = {
        "bare": ([sys.executable, "-c", "pass"], None),
        "numpy": ([sys.executable, "-c", "import numpy"], None),
        "query": ([sys.executable, "-m", "searcher", "query", *query, *where], None),
    }
    cwd = Path(tempfile.mkdtemp(prefix="searcher-cold-"))
    try:
        if before is not None:
            old = index_dir.parent / "before-index"
            _run_checked([sys.executable, "-m", "searcher", "index", "--index", str(old),
                          "--documents", str(docs)], _child_env(str(before)), cwd, (0, 1))
            commands["before"] = ([sys.executable, "-m", "searcher", "query", *query,
                                   "--index", str(old), "--documents", str(docs)],
                                  str(before))
        with searcher.open_index(index_dir, documents=docs) as index:
            expected = [hit.release.id for hit in index.search(*query)]
        for name, (cmd, path) in commands.items():  # once first: bytecode written
            if name in ("query", "before"):
                out = _run_checked(cmd + ["--json"], _child_env(path), cwd, (0, 1))
                found = [hit["id"] for hit in json.loads(out)["hits"]]
                if found != expected:
                    raise SystemExit(f"{name}: a cold query found {found}, a warm one "
                                     f"{expected}")
            else:
                _run_checked(cmd, _child_env(path), cwd, (0,))
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (cmd, path) in commands.items():
                env = _child_env(path)
                before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=False, env=env, cwd=cwd)
                times[name].append(time.perf_counter() - started)
                after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(after_cpu.ru_utime - before_cpu.ru_utime
                                 + after_cpu.ru_stime - before_cpu.ru_stime)
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
    figures = {name: statistics.median(t) for name, t in times.items()}
    figures.update({f"{name} cpu": statistics.median(t) for name, t in cpu.items()})
    figures["ratio"] = figures["query"] / figures["bare"]
    return figures


def _run_checked(cmd: list[str], env: dict[str, str], cwd: Path,
                 statuses: tuple[int, ...]) -> str:
    """``cmd``'s stdout; its exit status and stderr said if the status is not one of
    ``statuses`` (a query exits 1 when it finds nothing) or it printed nothing."""
    done = subprocess.run(cmd, text=True, capture_output=True, env=env, cwd=cwd, check=False)
    if done.returncode not in statuses or (statuses != (0,) and not done.stdout.strip()):
        raise SystemExit(f"{' '.join(cmd)}\nexited {done.returncode}; stderr:\n"
                         f"{done.stderr.strip() or '(empty)'}")
    return done.stdout


def print_startup(runs: int, before: Path | None = None) -> None:
    import searcher

    bundled = Path(tempfile.mkdtemp(prefix="searcher-bundled-"))
    try:
        searcher.build_index(documents=ROOT / "documents", index=bundled / "ix")[0].close()
        f = startup(bundled / "ix", ROOT / "documents", runs, before)
        print(f"cold `searcher query` on the bundled documents, median of {runs} (process start "
              f"to exit; target: at most 0.25 s and 6x the bare interpreter)\n")
        print("| command | wall s | vs bare | CPU s (user + system) | vs bare |")
        print("| --- | --- | --- | --- | --- |")
        rows = [("bare", "python -c pass"), ("numpy", "python -c 'import numpy'"),
                ("query", "python -m searcher query \"ASEAN Chairmanship\"")]
        if before is not None:
            rows.append(("before", f"the same, searcher from {before}"))
        for name, label in rows:
            print(f"| {label} | {f[name]:.3f} | {f[name] / f['bare']:.1f}x | "
                  f"{f[name + ' cpu']:.3f} | {f[name + ' cpu'] / f['bare cpu']:.1f}x |")
    finally:
        shutil.rmtree(bundled, ignore_errors=True)


def print_namespaces(sizes: list[int], repeat: int) -> None:
    """Warm query latency of the scorer over plain Python lists and over numpy, side by side,
    at each corpus size: where :data:`searcher.search.backend.LISTS_UP_TO` should stand."""
    import corpus

    import searcher
    from searcher.search import backend

    print("warm query latency, lists vs numpy (the same scorer; the query mix, top 10 with "
          f"snippets, x {repeat}); an index of at most {backend.LISTS_UP_TO:,} documents "
          "is scored over lists\n")
    print("| paragraphs | documents (with release records) | lists p50 / p95 ms "
          "| numpy p50 / p95 ms | lists vs numpy p50 |")
    print("| --- | --- | --- | --- | --- |")
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix="searcher-namespaces-"))
        try:
            corpus.build(work / "docs", paragraphs=size)
            index, report = searcher.build_index(documents=work / "docs", index=work / "ix")
            documents = index.searcher().doc_count_all()
            samples: dict[str, list[float]] = {"lists": [], "numpy": []}
            for turn in range(repeat + 1):  # the first turn warms both up: not counted
                for _, q, _ in QUERIES:
                    for kind, times in samples.items():  # in turn: the machine's drift
                        backend.FORCED = kind             # falls on both alike
                        started = time.perf_counter()
                        index.search(q, limit=10)
                        if turn:
                            times.append((time.perf_counter() - started) * 1000)
            backend.FORCED = None
            index.close()
            figures = {kind: percentiles(times) for kind, times in samples.items()}
            (l50, l95, _), (n50, n95, _) = figures["lists"], figures["numpy"]
            print(f"| {report.paragraphs:,} | {documents:,} | {l50:.1f} / {l95:.1f} | "
                  f"{n50:.1f} / {n95:.1f} | {l50 / n50:.2f}x |")
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=3, help="runs of the query mix")
    parser.add_argument("--build", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--startup", action="store_true",
                        help="only time a cold `searcher query` against a bare interpreter")
    parser.add_argument("--runs", type=int, default=21, help="runs of each cold command")
    parser.add_argument("--before", type=Path, help="with --startup: a source tree of an "
                        "earlier searcher (git archive COMMIT searcher | tar -x -C DIR) to time "
                        "beside this one")
    parser.add_argument("--namespaces", type=int, nargs="*", metavar="PARAGRAPHS",
                        help="only time warm queries over lists and over numpy, at these "
                        "corpus sizes (default 300 1000 2000 3000 6000)")
    args = parser.parse_args()
    if args.namespaces is not None:
        print_namespaces(args.namespaces or [300, 1000, 2000, 3000, 6000], args.queries)
        return
    if args.startup:
        print_startup(args.runs, args.before)
        return
    if args.build:
        system, docs, out = args.build
        sampler = PssSampler()
        figures = STEPS[system](Path(docs), Path(out))
        figures["pss_mb"] = sampler.stop()
        figures["peak_mb"], figures["child_peak_mb"] = peak_mb()
        print(json.dumps(figures))
        return

    import corpus

    work = Path(tempfile.mkdtemp(prefix="searcher-perf-"))
    try:
        docs = work / "docs"
        releases, _ = corpus.build(docs, paragraphs=args.paragraphs)
        print(f"corpus: {releases} releases in {docs} (target {args.paragraphs:,} paragraphs); "
              f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
        builds = {"searcher": run_build("searcher", docs, work / "searcher")}
        subprocess.run([sys.executable, __file__, "--build", "export", str(docs),
                        str(work / "export")], check=True, capture_output=True)
        builds.update({name: run_build(name, docs, work / name) for name in BUILDS
                       if name != "searcher"})
        paragraphs = builds["searcher"]["paragraphs"]
        print("| build | wall s | paragraphs/s | peak memory MB, all processes (PSS) "
              "| peak RSS MB (main / largest worker) | index MB | throughput vs plain Whoosh |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        whoosh_rate = builds["whoosh"]["paragraphs"] / builds["whoosh"]["seconds"]
        for name, b in builds.items():
            rate = b["paragraphs"] / b["seconds"]
            print(f"| {name} | {b['seconds']:.1f} | {rate:,.0f} | {b['pss_mb']:.0f} | "
                  f"{b['peak_mb']:.0f} / {b['child_peak_mb']:.0f} | {b['size_mb']:.0f} | "
                  f"{rate / whoosh_rate:.2f}x |")

        mix = [(kind, ours, plain) for kind, ours, plain in QUERIES]
        runners = {"searcher": (searcher_runner(work / "searcher"), [q for _, q, _ in mix]),
                   "searcher, postings cache emptied before each query": (
                       searcher_runner(work / "searcher", first_read=True), [q for _, q, _ in mix]),
                   "whoosh": (whoosh_runner(work / "whoosh"), [p for _, _, p in mix]),
                   "fts5": (fts5_runner(work / "fts5"), [p for _, _, p in mix])}
        latency = {name: percentiles(time_queries(run, qs, args.queries))
                   for name, (run, qs) in runners.items()}
        print(f"\n{len(mix)} queries x {args.queries}, warm process, top 10 with snippets "
              f"({paragraphs:,} paragraphs)\n")
        print("| query latency | p50 ms | p95 ms | p99 ms | p95 vs fts5 |")
        print("| --- | --- | --- | --- | --- |")
        for name, (p50, p95, p99) in latency.items():
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {p99:.1f} | "
                  f"{p95 / latency['fts5'][1]:.1f}x |")
        bundled = Path(tempfile.mkdtemp(prefix="searcher-bundled-"))
        import searcher

        searcher.build_index(documents=ROOT / "documents", index=bundled / "ix")[0].close()
        print(f"\ncold `searcher query` (median of 5, process start to exit): bundled "
              f"documents {cold_query(bundled / 'ix', ROOT / 'documents'):.2f} s, "
              f"benchmark index {cold_query(work / 'searcher', docs):.2f} s")
        shutil.rmtree(bundled, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
