"""The people reader's speed, and proof that a speed-up changed nothing it reads.

Two jobs:

``dump OUT``: every release file of the shared corpora (White House readouts and other
statements), the seeds, the project's fixtures (text, Markdown and the saved HTML pages) and
``documents/`` parsed with ``searcher.parse_file``, one JSON line a file
(``dataclasses.asdict`` of the release, or the one-line error it is refused with, and
every field of the mentions the reader finds in its title and paragraphs). Save a
dump from the code before a change and one after: ``diff`` must print nothing.

``time``: ms a release for ``parse_file`` and, inside it, ``people_of``, over the first
``--files`` files of a benchmark corpus (``corpus.py``, built if missing), for this
worktree's code and for a git ref's (``--base``, default ``main``, extracted with
``git archive`` and imported as ``searcher_base``) in one process, taking turns by chunks
of files, the profiler off; best of ``--repeat`` processes. The figures are CPU time (the
machine is shared: wall time measures the other jobs).

    python tests/benchmarks/people_speed.py dump /tmp/after.jsonl
    python tests/benchmarks/people_speed.py time --base main --files 400 --repeat 3
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():  # a worktree under /work/wt/NAME
    SHARED = ROOT.parents[1] / "shared"
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


def dump_files() -> list[Path]:
    """Every release file the dump reads, in a fixed order."""
    roots = [SHARED / "corpora" / "whitehouse-readouts", SHARED / "corpora" /
             "whitehouse-statements", SHARED / "seeds", ROOT / "tests" / "fixtures",
             ROOT / "documents"]
    out: list[Path] = []
    for root in roots:
        out += sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return out


def _mentions(release) -> dict:
    """The reader's own output, every field, beyond what a release keeps of it: the title
    and each paragraph read whole and sparsely, with no names known and with the release's."""
    from searcher.ingest.mentions import find_mentions, find_mentions_sparse

    def rows(found):
        return [dataclasses.asdict(m) for m in found]

    known = {tuple(p.key.split()) for p in release.participants}
    return {
        "title": rows(find_mentions(release.title, headline=True, known=known)),
        "whole": [rows(find_mentions(p)) for p in release.paragraphs],
        "sparse": [rows(find_mentions_sparse(p, known=known)) for p in release.paragraphs],
    }


def dump(out: Path) -> None:
    import searcher
    from searcher.errors import ReadError

    files = dump_files()
    with out.open("w", encoding="utf-8") as fh:
        for path in files:
            rel = os.path.relpath(path, ROOT.parent)
            try:
                release = searcher.parse_file(path)
                data, mentions = dataclasses.asdict(release), _mentions(release)
            except ReadError as exc:
                data, mentions = {"error": str(exc)}, None
            data["path"] = rel  # where the tree lives is no part of what was read
            fh.write(json.dumps({"file": rel, "release": data, "mentions": mentions},
                                ensure_ascii=False, sort_keys=True, default=str) + "\n")
    print(f"{len(files)} files -> {out}")


_TIMER = r"""
import importlib, json, sys, time
sys.path.insert(0, sys.argv[1])
files, warm, chunk = json.loads(sys.argv[2])
sides = {}
for name in ("searcher_base", "searcher"):
    parse = importlib.import_module(name + ".ingest.parse")
    spent = [0.0]
    def timed(inner, spent=spent):
        def people_of(*args, **kwargs):
            t = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - t
        return people_of
    parse.people_of = timed(parse.people_of)
    sides[name] = (parse.parse_file, spent)
    for f in warm:  # imports, nltk, word lists: not the figure (other files: no cache
        parse.parse_file(f)  # of what the timed files hold is warm)
totals = {name: [0.0, 0.0] for name in sides}
for k in range(0, len(files), chunk):
    order = list(sides) if (k // chunk) % 2 == 0 else list(sides)[::-1]
    for name in order:
        parse_file, spent = sides[name]
        spent[0] = 0.0
        t = time.process_time()
        for f in files[k:k + chunk]:
            parse_file(f)
        totals[name][0] += time.process_time() - t
        totals[name][1] += spent[0]
print(json.dumps({name: {"parse": v[0] * 1000 / len(files), "people": v[1] * 1000 / len(files)}
                  for name, v in totals.items()}))
"""


def _measure(code: Path, files: tuple[list[str], list[str], int]) -> dict:
    out = subprocess.run([sys.executable, "-c", _TIMER, str(code), json.dumps(files)],
                         capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_it(base: str, docs: Path, files: int, repeat: int, paragraphs: int) -> None:
    if not docs.is_dir():
        sys.path.insert(0, str(Path(__file__).parent))
        import corpus

        corpus.build(docs, paragraphs=paragraphs)
    every = [str(p) for p in sorted(docs.rglob("*")) if p.is_file()]
    chosen, warm = every[:files], every[files:files + 20]
    with tempfile.TemporaryDirectory() as tmp:
        # The base's ingest package, as the package searcher_base (its own modules, caches
        # and all), beside this tree's searcher in one process.
        archive = subprocess.run(["git", "archive", base, "searcher"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        (Path(tmp) / "searcher").rename(Path(tmp) / "searcher_base")
        (Path(tmp) / "searcher_base" / "__init__.py").write_text("")
        sys.path.insert(0, str(ROOT))
        # Both sides read each file once, in turn by chunks of 20 files (which goes first
        # alternating): the machine is shared, and what other jobs take falls on both alike.
        # Best of --repeat processes.
        runs = [_measure(Path(tmp), (chosen, warm, 20)) for _ in range(repeat)]
    before = {k: min(r["searcher_base"][k] for r in runs) for k in ("parse", "people")}
    after = {k: min(r["searcher"][k] for r in runs) for k in ("parse", "people")}
    print(f"{len(chosen)} files of {docs}, best of {repeat}, CPU ms a release")
    print(f"{'':12}{base:>10}{'this tree':>12}{'speed-up':>10}")
    for key, label in (("parse", "parse_file"), ("people", "people_of")):
        print(f"{label:12}{before[key]:10.2f}{after[key]:12.2f}{before[key] / after[key]:9.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="job", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    t = sub.add_parser("time")
    t.add_argument("--base", default="main")
    t.add_argument("--docs", type=Path, default=Path(tempfile.gettempdir()) / "ps" / "docs")
    t.add_argument("--files", type=int, default=400)
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--paragraphs", type=int, default=10000)
    args = ap.parse_args()
    if args.job == "dump":
        dump(args.out)
    else:
        time_it(args.base, args.docs, args.files, args.repeat, args.paragraphs)


if __name__ == "__main__":
    main()
