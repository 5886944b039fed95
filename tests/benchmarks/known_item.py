"""Known-item search over real White House readouts: does the release a user recalls come first?

    pip install -e '.[bench]'
    python tests/benchmarks/known_item.py                      # 400 releases, seed 1
    python tests/benchmarks/known_item.py --sample 1411 --seed 7 --show-failures 5 --json out.json
    python tests/benchmarks/known_item.py --corpus whitehouse-statements --sample 301

What it measures: a fixed, seeded sample of releases (``--sample N``, default 400; ``--seed S``,
default 1; a larger sample holds the smaller one of the same seed), and for each two queries
as a user recalls the release:
- headline: the words of its headline, the front-matter ``title`` read from the file itself
  (punctuation dropped, a word's inner apostrophe or hyphen kept);
- passage: six consecutive content words (the words of a paragraph with the stopwords below
  skipped) from one body paragraph of searcher's reading of the release; the paragraph and
  the starting word are drawn by an RNG seeded with the seed and the release id, so a
  release's passage query is the same in every sample. A release with no paragraph of six
  content words has no passage query.
Per engine and query kind: Success@1 (the release ranked first), MRR@10 (1/rank within the
top 10, else 0), Success@10, and how many queries returned nothing. A release whose title and
paragraphs are identical to another's (the same readout filed under two sections) counts as
found when either copy is. Headlines shared by several different releases are counted and
kept (they are what users type): one ranking puts only one of them first, which caps
headline Success@1 for every engine; the cap is printed.

Data: all 1,411 readouts in ``shared/corpora/whitehouse-readouts`` (public domain; see the
README there; ``$SEARCHER_CORPORA`` to point elsewhere), indexed in full and read in place
(the folder is only read); the index goes in a temporary folder.

Engines (``--engines``, default searcher,fts5,bm25s):
- searcher: ``searcher.build_index`` of the folder, ``Index.search(query, limit=10)``;
- fts5: SQLite FTS5, porter tokenizer, ``bm25()``; the words AND'ed first, then OR'ed to fill
  up to 10 results;
- bm25s, and any other engine of ``peers.py`` (whoosh, rank-bm25, tantivy: words OR'ed).
Every peer indexes the very title and paragraphs searcher's reader produced (the release
records of the index), so only the ranking differs. ``--show-failures N`` prints up to N
queries of each kind that searcher did not rank first: the query, the release expected, its
rank, and what came first.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import peers  # a sibling: this file runs as a script, its folder first on sys.path

TOP = 10
KINDS = ("headline", "passage")
# A fixed English stopword list (Snowball's), so the passage queries never change with a
# library's version.
STOPWORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing would
should could ought i'm you're he's she's it's we're they're i've you've we've they've i'd
you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't
weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't
cannot couldn't mustn't let's that's who's what's here's there's when's where's why's how's a
an the and but if or because as until while of at by for with about against between into
through during before after above below to from up down in out on off over under again
further then once here there when where why how all any both each few more most other some
such no nor not only own same so than too very will shall can may must also
""".split())
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


def _words(text: str) -> list[str]:
    return [w.replace("\u2019", "'") for w in _WORD.findall(text)]


@dataclass
class Query:
    kind: str
    release: str          # the id searcher gave the sampled release
    text: str
    expected: frozenset   # that id and the ids of identical copies


def headline(path: Path) -> str:
    """The front-matter title of a readout, as the file spells it."""
    import yaml

    text = path.read_text("utf-8")
    front = text.split("\n---", 1)[0].removeprefix("---") if text.startswith("---") else ""
    title = (yaml.safe_load(front) or {}).get("title") if front else None
    if not title:
        raise peers.Unavailable(f"{path}: no front-matter title")
    return str(title)


def passage(paragraphs: list[str], rng: random.Random) -> str | None:
    """Six consecutive content words of one paragraph drawn by ``rng``."""
    runs = [c for c in ([w for w in _words(p) if w.lower() not in STOPWORDS]
                        for p in paragraphs) if len(c) >= 6]
    if not runs:
        return None
    content = rng.choice(runs)
    start = rng.randrange(len(content) - 5)
    return " ".join(content[start:start + 6])


def queries(releases: list, sample: int, seed: int) -> list[Query]:
    """The sample's queries, headline then passage for each release, in sample order."""
    copies: dict[tuple, list[str]] = {}
    for r in releases:
        copies.setdefault((r.title, tuple(r.paragraphs)), []).append(r.id)
    order = sorted(releases, key=lambda r: r.id)
    random.Random(seed).shuffle(order)
    out = []
    for r in order[:sample]:
        expected = frozenset(copies[(r.title, tuple(r.paragraphs))])
        out.append(Query("headline", r.id, " ".join(_words(headline(Path(r.path)))), expected))
        text = passage(r.paragraphs, random.Random(f"{seed}:{r.id}"))
        if text:
            out.append(Query("passage", r.id, text, expected))
    return out


def rank(found: list[str], expected: frozenset) -> int | None:
    return next((n for n, doc in enumerate(found, 1) if doc in expected), None)


def measure(ranks: list[int | None], found: list[list[str]]) -> dict:
    n = len(ranks) or 1
    return {"Success@1": sum(1 for r in ranks if r == 1) / n,
            "MRR@10": sum(1 / r for r in ranks if r and r <= TOP) / n,
            "Success@10": sum(1 for r in ranks if r and r <= TOP) / n,
            "empty": sum(1 for f in found if not f), "queries": len(ranks)}


def run(name: str, index, docs: list[peers.Doc], asked: list[Query], work: Path) -> tuple:
    """One engine over every query: its figures and its top 10 for each query."""
    started = time.perf_counter()
    if name == "searcher":
        def search(query: str, k: int) -> list[str]:
            return [h.release.id for h in index.search(query, limit=k, snippets=0)]
    elif name == "fts5":
        search = peers.fts5(docs, work, and_first=True)
    else:
        search = peers.PEERS[name](docs, work)
    built = time.perf_counter() - started
    started = time.perf_counter()
    found = [search(q.text, TOP) for q in asked]
    took = time.perf_counter() - started
    figures = {kind: measure([rank(f, q.expected) for q, f in zip(asked, found) if q.kind == kind],
                             [f for q, f in zip(asked, found) if q.kind == kind])
               for kind in KINDS}
    return figures | {"index_s": round(built, 2),
                      "ms_per_query": round(took / len(asked) * 1000, 2)}, found


def main(argv: list[str] | None = None) -> int:
    engines = ["searcher", *peers.PEERS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=400, metavar="N",
                        help="releases sampled (default 400)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="RNG seed (default 1)")
    parser.add_argument("--engines", default="searcher,fts5,bm25s", metavar="A,B",
                        help=f"comma-separated, from {', '.join(engines)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N",
                        help="print up to N of searcher's misses of each query kind")
    parser.add_argument("--corpus", default="whitehouse-readouts", metavar="FOLDER",
                        help="a folder of the shared corpora (default whitehouse-readouts; "
                        "whitehouse-statements: releases of other kinds, which no parameter "
                        "was chosen on)")
    args = parser.parse_args(argv)
    chosen = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not chosen or any(e not in engines for e in chosen):
        parser.error(f"--engines: choose from {', '.join(engines)}")
    if args.sample < 1:
        parser.error("--sample: at least 1")
    import searcher

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="searcher-known-item-") as tmp:
        work = Path(tmp)
        try:
            peers.check(chosen)
            folder = peers.corpora() / args.corpus
            if not folder.is_dir():
                raise peers.Unavailable(f"{folder}: no such folder")
            index, _ = searcher.build_index(documents=folder, index=work / "index")
            built = time.perf_counter() - started
            releases = list(index.releases())
            asked = queries(releases, args.sample, args.seed)
            headlines = Counter(" ".join(_words(headline(Path(r.path)))) for r in releases)
        except (peers.Unavailable, searcher.SearcherError, OSError) as error:
            print(f"known_item.py: {error}", file=sys.stderr)
            return 2
        docs = [(r.id, r.title, "\n\n".join(r.paragraphs)) for r in releases]
        results, found = {}, {}
        with index:
            for name in chosen:
                results[name], found[name] = run(name, index, docs, asked, work)
        if "searcher" in results:
            results["searcher"]["index_s"] = round(built, 2)  # reading the files included
    counts = Counter(q.kind for q in asked)
    print(f"## known-item: {min(args.sample, len(releases))} of {len(releases)} {args.corpus} "
          f"(seed {args.seed}), {counts['headline']} headline and {counts['passage']} passage "
          f"queries, top {TOP}\n")
    ambiguous = sum(1 for q in asked if q.kind == "headline" and headlines[q.text] > 1)
    copied = sum(1 for q in asked if q.kind == "headline" and len(q.expected) > 1)
    ceiling = len({q.text for q in asked if q.kind == "headline"}) / counts["headline"]
    print(f"{ambiguous} sampled headlines are another release's too (headline Success@1 can "
          f"reach {ceiling:.4f} at most); {copied} sampled releases have an identical copy "
          "(either counts)\n")
    print("\n".join(table(results)))
    for line in verdict(results):
        print(line)
    if args.show_failures and "searcher" in found:
        titles = {r.id: r.title for r in releases}
        print()
        for kind in KINDS:
            missed = [(q, f) for q, f in zip(asked, found["searcher"])
                      if q.kind == kind and rank(f, q.expected) != 1][:args.show_failures]
            for q, f in missed:
                first = f"{f[0]} ({titles[f[0]]})" if f else "nothing"
                print(f"searcher {kind} miss: {q.text!r}\n  expected {q.release} at rank "
                      f"{rank(f, q.expected) or f'>{TOP}'}; first: {first}")
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    if args.json:
        data = {"revision": peers.revision(), "sample": args.sample, "seed": args.seed,
                "top": TOP, "releases": len(releases), "engines": results,
                "queries": [{"kind": q.kind, "release": q.release, "text": q.text,
                             "ranks": {n: rank(found[n][i], q.expected) for n in found}}
                            for i, q in enumerate(asked)]}
        args.json.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        print(f"figures written to {args.json}")
    return 0


def table(results: dict[str, dict]) -> list[str]:
    """Measures down, engines across; the best figure of each row in bold."""
    names = list(results)
    lines = ["| measure | " + " | ".join(names) + " |", "|" + " --- |" * (len(names) + 1)]
    for kind in KINDS:
        for m in ("Success@1", "MRR@10", "Success@10"):
            values = [r[kind][m] for r in results.values()]
            cells = [f"**{v:.4f}**" if v == max(values) and len(names) > 1 else f"{v:.4f}"
                     for v in values]
            lines.append(f"| {kind} {m} | " + " | ".join(cells) + " |")
    lines.append("| queries returning nothing | "
                 + " | ".join(str(r["headline"]["empty"] + r["passage"]["empty"])
                              for r in results.values()) + " |")
    lines.append("| index s | " + " | ".join(f"{r['index_s']:.1f}" for r in results.values())
                 + " |")
    lines.append("| ms/query | " + " | ".join(f"{r['ms_per_query']:.1f}"
                                              for r in results.values()) + " |")
    return lines


def verdict(results: dict[str, dict]) -> list[str]:
    mine, theirs = results.get("searcher"), results.get("fts5")
    if not mine or not theirs:
        return []
    lines = [""]
    for kind in KINDS:
        gap = mine[kind]["MRR@10"] - theirs[kind]["MRR@10"]
        lines.append(f"{kind}: searcher MRR@10 {mine[kind]['MRR@10']:.4f} vs fts5 "
                     f"{theirs[kind]['MRR@10']:.4f}: {'ahead' if gap > 0 else 'behind'} "
                     f"by {abs(gap):.4f}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
