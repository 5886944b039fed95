"""Cost of keeping the index current: adding 10 releases to a 10,000-release index, beside a
full build of the same index, measured in the same run.

The build parses and writes in worker processes, so the first update is the first time this
process imports what parsing needs (nltk's import alone is about 0.2 s); a second batch of
10 is then added, as a process that keeps an index current (``searcher watch``) would.

    python tests/benchmarks/incremental.py [--releases 10000] [--added 10]

Corpus: tests/benchmarks/corpus.py (seeds + White House readouts from ../shared/corpora,
replicated). Prints wall times and the ratio; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

import searcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--added", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="searcher-incr-"))
    try:
        docs, ix, held = work / "docs", work / "ix", work / "held"
        corpus.build(docs, releases=args.releases + 2 * args.added)
        extra = sorted(docs.iterdir())[-2 * args.added:]
        held.mkdir()
        for path in extra:
            shutil.move(path, held / path.name)
        batches = [extra[:args.added], extra[args.added:]]

        started = time.perf_counter()
        index, report = searcher.build_index(documents=docs, index=ix)
        build = time.perf_counter() - started
        print(f"full build: {report.added} releases, {report.paragraphs} paragraphs, {build:.2f} s")

        adds = []
        for batch in batches:
            for path in batch:
                shutil.move(held / path.name, docs / path.name)
            started = time.perf_counter()
            report = index.update(docs)
            adds.append(time.perf_counter() - started)
            print(f"update adding {report.added} (unchanged {report.unchanged}): "
                  f"{adds[-1]:.3f} s")

        started = time.perf_counter()
        report = index.update(docs)
        noop = time.perf_counter() - started
        print(f"update with nothing to do (unchanged {report.unchanged}): {noop:.3f} s")
        index.close()
        first, then = adds
        print(f"\n| releases | full build | add {args.added}, first in the process | ratio "
              f"| add {args.added} more | ratio | no-op update |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print(f"| {args.releases:,} | {build:.1f} s | {first:.2f} s | {first / build:.2%} | "
              f"{then:.2f} s | {then / build:.2%} | {noop:.2f} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
