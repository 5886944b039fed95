"""`searcher serve` over HTTP on loopback beside the library in one process, in one run.

    python tests/benchmarks/serve.py --paragraphs 100000 [--repeat 3] [--workers N]

Corpus and query mix as tests/benchmarks/perf.py (the seeds and the White House readouts,
replicated; 18 queries: words, phrases, names, misspellings, fields, date ranges), top 10
with snippets. The server: ``searcher serve --port 0`` started as its own process (warmed
first with the mix three times from as many clients as it has processes, so that each has
run every query), then ``--rounds`` rounds of 1, 4 and 16 clients in turn (the machine may
be shared: a change of its load falls on each alike). Each client is a thread of this
process with its own keep-alive connection (``GET /api/search?q=...&limit=10``), running
the mix ``--repeat`` times in its own order after a warm-up pass. The library:
``Index.search`` in this process, warm, paired with the one client query by query: each
query through the library (the JSON the server would send made too, timed apart), then
the same query over HTTP, so that the two are measured under the same load of the
machine. The server's CPU time (all its processes) an answer is beside the library's CPU
time a search (with its JSON); and while the clients ran, the cores the server kept busy
(its CPU seconds a second: 2.00 is two whole cores) and how each server process spent the
time: running, waiting runnable for a core that other jobs had (/proc/PID/schedstat), or
asleep with no request to answer. Latency is from sending the request to the last byte of
the answer; throughput is answers a second over the whole run (one client: over its own
time, the library's turns left out). Every answer must be 200 with the same total as the
library's, or it is counted as failed. Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from perf import QUERIES, percentiles  # noqa: E402  (the same mix as the perf benchmark)


def library(index_dir: Path, queries: list[str]) -> tuple[object, dict[str, object]]:
    """The library's index, warm, and what it says: each query's total, and the time to
    make the directory behind suggestions and a suggestion's."""
    import searcher

    index = searcher.Index.open(index_dir)
    totals = {}
    for q in queries:  # warm up: imports, caches
        totals[q] = index.search(q, limit=10).total
    from searcher import explore

    started = time.perf_counter()
    explore.directory(index)
    made = time.perf_counter() - started
    suggest = []
    for prefix in ("s", "sok", "uk", "prime min", "wh", "zel"):
        began = time.perf_counter()
        explore.suggest(index, prefix)
        suggest.append((time.perf_counter() - began) * 1000)
    return index, {"totals": totals, "directory_s": made, "suggest_ms": max(suggest)}


def search_once(index, q: str) -> tuple[float, float, float]:
    """One search through the library: ms to the Results, ms with their JSON made too, and
    CPU ms."""
    cpu = time.process_time()
    started = time.perf_counter()
    results = index.search(q, limit=10)
    middle = time.perf_counter()
    json.dumps(results.to_dict(), ensure_ascii=False)
    done = time.perf_counter()
    return ((middle - started) * 1000, (done - started) * 1000,
            (time.process_time() - cpu) * 1000)


def start_server(index_dir: Path, docs: Path, workers: int | None) -> tuple[subprocess.Popen, int]:
    cmd = [sys.executable, "-m", "searcher", "serve", "--port", "0", "--index", str(index_dir),
           "--documents", str(docs)]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    said = []
    for line in proc.stderr:
        said.append(line)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            threading.Thread(target=lambda: [print("server:", line, end="", file=sys.stderr)
                                             for line in proc.stderr], daemon=True).start()
            return proc, int(found.group(1))
    raise SystemExit(f"the server did not start (exit {proc.wait()}):\n" + "".join(said[-30:]))


def wait_ready(port: int, workers: int) -> None:
    """Until the server answers (its search processes have started, warm)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                break
        except OSError:
            time.sleep(0.2)



def warm(port: int, queries: list[str], workers: int) -> None:
    """The mix, several times over from as many clients as search processes, so that each
    process has run every query (as the library has, before it is timed) whichever of
    them the requests reached."""
    for _ in range(3):
        threads = [threading.Thread(target=_run_mix, args=(port, queries))
                   for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def _run_mix(port: int, queries: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for q in queries:
        conn.request("GET", "/api/search?" + urlencode({"q": q, "limit": 10}))
        conn.getresponse().read()
    conn.close()


def client(port: int, queries: list[str], repeat: int, totals: dict[str, int],
           seed: int, out: dict[str, list], start: threading.Barrier, paired=None) -> None:
    """One client; with ``paired`` (the library's index), each query goes through the
    library first, and its times go to ``out["library"]``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random(seed)
    latencies, failures = [], []

    def ask(q: str) -> float:
        nonlocal conn
        started = time.perf_counter()
        try:
            conn.request("GET", "/api/search?" + urlencode({"q": q, "limit": 10}))
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed this connection while it was idle (keep-alive, 5 s): as
            # browsers and urllib3 do, ask again once on a new one.
            out["reconnected"].append(q)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            conn.request("GET", "/api/search?" + urlencode({"q": q, "limit": 10}))
            response = conn.getresponse()
        body = response.read()
        took = (time.perf_counter() - started) * 1000
        if response.status != 200:
            failures.append(f"{q}: HTTP {response.status}")
        else:
            total = json.loads(body)["total"]
            if total != totals[q]:
                failures.append(f"{q}: total {total}, the library says {totals[q]}")
        return took

    try:
        for q in queries:  # warm up this connection and its worker
            ask(q)
        failures.clear()
        start.wait()
        order = [q for _ in range(repeat) for q in queries]
        rng.shuffle(order)
        for q in order:
            if paired is not None:
                out["library"].append(search_once(paired, q))
            began = time.perf_counter()
            latencies.append(ask(q))
            out["busy"].append(time.perf_counter() - began)  # with this client's checks
    except (OSError, http.client.HTTPException) as exc:
        failures.append(f"connection failed: {exc!r}")
    finally:
        conn.close()
    out["latencies"].extend(latencies)
    out["failures"].extend(failures)


def tree_cpu(root: int) -> float:
    """CPU seconds (user and system) used so far by ``root`` and its descendants."""
    return sum(process_cpu(root).values())


def process_cpu(root: int) -> dict[int, float]:
    """CPU seconds used so far by ``root`` and each of its descendants, by pid."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, (ppid, _) in stats.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    tick = os.sysconf("SC_CLK_TCK")
    return {pid: stats[pid][1] / tick for pid in tree if pid in stats}


def schedstat(root: int) -> dict[int, tuple[int, int]]:
    """Nanoseconds each process of ``root``'s tree has run on a CPU, and waited runnable for
    one (other jobs had it), from /proc/PID/schedstat."""
    out = {}
    for pid in process_cpu(root):
        try:
            on, waiting = Path(f"/proc/{pid}/schedstat").read_text().split()[:2]
        except (OSError, ValueError):
            continue
        out[pid] = (int(on), int(waiting))
    return out


def load(port: int, clients: int, queries: list[str], repeat: int,
         totals: dict[str, int], pid: int, paired=None) -> dict[str, object]:
    out: dict[str, list] = {"latencies": [], "failures": [], "reconnected": [], "library": [],
                            "busy": []}
    start = threading.Barrier(clients + 1)
    threads = [threading.Thread(target=client, args=(port, queries, repeat, totals, n, out,
                                                     start, paired)) for n in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    began, cpu, sched = time.perf_counter(), tree_cpu(pid), schedstat(pid)
    for t in threads:
        t.join()
    wall, cpu, after = time.perf_counter() - began, tree_cpu(pid) - cpu, schedstat(pid)
    # The busiest processes' (the servers') shares of the time: on a CPU, and waiting for
    # one; the rest they slept (no request to answer; one client: the library's turns too).
    times = sorted(((a[0] - sched[p][0], a[1] - sched[p][1]) for p, a in after.items()
                    if p in sched), reverse=True)
    shares = [(on / 1e9 / wall, waiting / 1e9 / wall) for on, waiting in times
              if on > 0.1e9 * wall]
    if paired is not None:  # the client's time, not the library's turns
        wall = sum(out["busy"])
    return {"latencies": out["latencies"], "failures": out["failures"],
            "reconnected": out["reconnected"], "throughput": len(out["latencies"]) / wall,
            "wall": wall, "library": out["library"], "cores": cpu / wall, "sched": shares}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the mix per client")
    parser.add_argument("--workers", type=int, help="server worker processes (default: its own)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of 1, 4, 16 clients")
    parser.add_argument("--index", type=Path, help="an index built before (skips the build)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and index built")
    args = parser.parse_args()

    import corpus
    import searcher

    work = Path(tempfile.mkdtemp(prefix="searcher-serve-bench-"))
    proc = None
    try:
        docs = work / "docs"
        if args.index:
            index_dir = args.index
            docs.mkdir()
        else:
            releases, _ = corpus.build(docs, paragraphs=args.paragraphs)
            index_dir = work / "index"
            started = time.perf_counter()
            searcher.build_index(documents=docs, index=index_dir)[0].close()
            print(f"corpus: {releases:,} releases, built in {time.perf_counter() - started:.0f} s")
        with searcher.Index.open(index_dir) as ix:
            paragraphs = ix.manifest.get("paragraphs")
        print(f"index: {paragraphs:,} paragraphs; machine: {os.cpu_count()} cores, "
              f"Python {sys.version.split()[0]}\n")
        queries = [q for _, q, _ in QUERIES]
        lib_index, lib = library(index_dir, queries)
        load_before = os.getloadavg()[0]
        proc, port = start_server(index_dir, docs, args.workers)
        workers = args.workers or min(os.cpu_count() or 1, 4)
        wait_ready(port, workers)
        warm(port, queries, workers)
        # Rounds of 1, 4 and 16 clients in turn, so that a change in the machine's load
        # (it is shared) falls on each about alike.
        runs: dict[int, dict] = {n: {"latencies": [], "failures": [], "answers/s": [],
                                     "reconnected": [], "cpu": 0.0} for n in (1, 4, 16)}
        paired: list[tuple[float, float, float]] = []
        for _ in range(args.rounds):
            for n in runs:
                before = process_cpu(proc.pid)
                run = load(port, n, queries, args.repeat, lib["totals"], proc.pid,
                           lib_index if n == 1 else None)
                after = process_cpu(proc.pid)
                used = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
                runs[n]["cpu"] += sum(used.values())
                runs[n]["answers"] = runs[n].get("answers", 0) + len(run["latencies"]) + \
                    n * len(queries)  # the clients' warm-up passes used the server too
                runs[n].setdefault("split", []).append(sorted(used.values(), reverse=True))
                runs[n]["latencies"] += run["latencies"]
                runs[n]["failures"] += run["failures"]
                runs[n]["reconnected"] += run["reconnected"]
                runs[n]["answers/s"].append(run["throughput"])
                runs[n].setdefault("cores", []).append(run["cores"])
                runs[n].setdefault("sched", []).append(run["sched"])
                paired += run["library"]
        for run in runs.values():
            run["throughput"] = statistics.mean(run["answers/s"])
        lib_index.close()
        lib.update(search=[p[0] for p in paired], json=[p[1] for p in paired],
                   cpu_ms=statistics.mean(p[2] for p in paired))

        print(f"{len(queries)} queries, top 10 with snippets; library: {len(lib['search'])} "
              "searches, each just before the same query from the one HTTP client; HTTP: "
              f"each client runs the mix {args.repeat} times a round, "
              f"{args.rounds} rounds ({workers} server processes); load average (1 min) "
              f"{load_before:.1f} when the server started, {os.getloadavg()[0]:.1f} at the end\n")
        print("| path | clients | p50 ms | p95 ms | p99 ms | answers/s | vs 1 client "
              "| server CPU ms an answer | server cores busy | failed |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, samples in (("library, Index.search", lib["search"]),
                              ("library, Index.search + JSON", lib["json"])):
            p50, p95, p99 = percentiles(samples)
            print(f"| {name} | 1 | {p50:.1f} | {p95:.1f} | {p99:.1f} | "
                  f"{1000 / statistics.mean(samples):.0f} | | {lib['cpu_ms']:.1f} | | |")
        one = runs[1]["throughput"]
        for n, run in runs.items():
            p50, p95, p99 = percentiles(run["latencies"])
            print(f"| HTTP /api/search | {n} | {p50:.1f} | {p95:.1f} | {p99:.1f} | "
                  f"{run['throughput']:.0f} | {run['throughput'] / one:.2f}x | "
                  f"{1000 * run['cpu'] / run['answers']:.1f} | "
                  f"{statistics.mean(run['cores']):.2f} | "
                  f"{len(run['failures'])} of {len(run['latencies'])} |")
        print(f"\nsuggestions and people (explore.directory, once a commit): made in "
              f"{lib['directory_s']:.2f} s; then a suggestion in at most "
              f"{lib['suggest_ms']:.2f} ms")
        lib_p95 = percentiles(lib["search"])[1]
        http_p95 = percentiles(runs[1]["latencies"])[1]
        print(f"\ntargets: 1 client p95 {http_p95:.1f} ms vs library {lib_p95:.1f} ms "
              f"(+{http_p95 - lib_p95:.1f} ms; target at most +5 ms); 4 clients "
              f"{runs[4]['throughput'] / one:.2f}x one client's throughput (target 1.6x)")
        if len(runs[1]["latencies"]) == len(paired):
            extra = [h - lib_ms for h, (lib_ms, _, _) in zip(runs[1]["latencies"], paired)]
            extra_json = [h - with_json for h, (_, with_json, _) in zip(runs[1]["latencies"],
                                                                         paired)]
            print(f"each query over HTTP minus the same query through the library just before "
                  f"(one client): p50 {percentiles(extra)[0]:+.1f} ms, p95 "
                  f"{percentiles(extra)[1]:+.1f} ms; minus the library with its JSON: p50 "
                  f"{percentiles(extra_json)[0]:+.1f} ms, p95 {percentiles(extra_json)[1]:+.1f} ms")
        for n, run in runs.items():
            shares = [" / ".join(f"{100 * c / (sum(split) or 1):.0f}%" for c in split if c > 0.05)
                      for split in run["split"]]
            print(f"server CPU by process at {n} client{'s' if n > 1 else ''}, each round: "
                  + "; ".join(shares))
        for n, run in runs.items():
            rounds = ["; ".join("/".join(f"{100 * x:.0f}" for x in (on, waiting,
                                                                  max(0.0, 1 - on - waiting)))
                                for on, waiting in shares) for shares in run["sched"]]
            print(f"server processes at {n} client{'s' if n > 1 else ''}, % of the time on a "
                  f"CPU / waiting for one (other jobs had it) / asleep, each round: "
                  + " | ".join(rounds))
        reconnected = sum(len(run["reconnected"]) for run in runs.values())
        if reconnected:
            print(f"{reconnected} requests found their idle connection closed by the server "
                  "and were sent again on a new one (counted once, from the second send)")
        for run in runs.values():
            for failure in run["failures"][:5]:
                print("failed:", failure)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
