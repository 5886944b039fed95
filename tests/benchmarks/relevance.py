"""Relevance on Cranfield and CACM: searcher beside five BM25 engines, in one run.

    pip install -e '.[bench]'
    python tests/benchmarks/relevance.py                       # both collections, every engine
    python tests/benchmarks/relevance.py --engines searcher --collections cacm --json out.json

What it measures: for each collection and engine, the top 100 documents for every judged
query, given the query's raw text; then MAP, nDCG@10, P@10 and recall@100 averaged over the
judged queries, and how many queries return nothing at all. Build time and mean time per
query are printed beside them. ``--json FILE`` writes the same figures, plus each query's own,
for comparing runs while tuning.

Data (``shared/corpora`` beside the repository, see its README; ``$SEARCHER_CORPORA`` to point
elsewhere):
- cranfield: 1,400 aeronautics abstracts (title ``.T`` and text ``.W`` indexed), 225 queries,
  graded judgments. Queries are numbered 1..225 by position in cran.qry (the ``.I`` numbers
  are not the judgment ids); grade 1 (most relevant) to 4, -1 ("none relevant") dropped. nDCG
  uses gain 5 - grade; MAP, P@10 and recall count grades 1-4 as relevant.
- cacm: 3,204 CACM titles and abstracts, 1958-1979 (title ``.T`` and abstract ``.W``, absent
  in about half, indexed; authors, keywords and the rest are not); 64 queries (``.W`` only,
  long questions with punctuation), of which the 52 with judgments are evaluated; binary
  relevance (gain 1).

Engines, each indexing the same title and body of every document:
- searcher: our analysis, schema, ranking and query language, through the public library
  (``Index.create``, ``Index.add`` of ``searcher.Release`` records, ``Index.search(query,
  limit=100)``), in a temporary folder. A document is a release whose body is one paragraph,
  empty where the abstract is missing (a release with no paragraph at all has nothing
  searchable, not even its title);
- fts5, whoosh, rank-bm25, bm25s, tantivy: see ``peers.py``; each is handed the same raw
  query text and reduces it to its words, OR'ed.
Nothing in the engine knows these collections; the same settings serve press releases.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peers  # a sibling: this file runs as a script, its folder first on sys.path

DEPTH = 100


@dataclass
class Collection:
    name: str
    docs: list[peers.Doc]                 # (id, title, body)
    queries: list[tuple[str, str]]        # (id, raw text), judged ones only
    judged: dict[str, dict[str, int]]     # query id -> {document id: gain}


def _records(path: Path, fields: str) -> list[tuple[str, dict[str, str]]]:
    """SMART-format records: ``.I n`` then ``.X`` field markers, each on its own line."""
    raw = path.read_text("utf-8", errors="replace").replace("\r", "")
    marker = rf"^\.([{fields}])[ \t]*\n"
    out = []
    for record in re.split(r"^\.I[ \t]+", raw, flags=re.M)[1:]:
        number, rest = record.split("\n", 1) if "\n" in record else (record, "")
        parts = re.split(marker, "\n" + rest, flags=re.M)[1:]
        out.append((number.strip(), dict(zip(parts[::2], parts[1::2]))))
    return out


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def cranfield(root: Path) -> Collection:
    folder = root / "cranfield"
    docs = [(n, _flat(f.get("T")), _flat(f.get("W")))
            for n, f in _records(folder / "cran.all.1400", "TABW")]
    texts = [_flat(f.get("W")) for _, f in _records(folder / "cran.qry", "W")]
    judged: dict[str, dict[str, int]] = {}
    for line in (folder / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and int(parts[2]) > 0:
            judged.setdefault(parts[0], {})[parts[1]] = 5 - int(parts[2])
    queries = [(str(i), t) for i, t in enumerate(texts, 1) if str(i) in judged]
    return Collection("cranfield", docs, queries, judged)


def cacm(root: Path) -> Collection:
    folder = root / "cacm"
    docs = [(n, _flat(f.get("T")), _flat(f.get("W")))
            for n, f in _records(folder / "cacm.all", "TWBANXKC")]
    judged: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels.text").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            judged.setdefault(str(int(parts[0])), {})[str(int(parts[1]))] = 1
    queries = [(str(int(n)), _flat(f.get("W"))) for n, f in _records(folder / "query.text", "WAN")
               if f.get("W") and str(int(n)) in judged]
    return Collection("cacm", docs, queries, judged)


COLLECTIONS: dict[str, Callable[[Path], Collection]] = {"cranfield": cranfield, "cacm": cacm}


# -- measures -------------------------------------------------------------------------------

def average_precision(ranked: list[str], gains: dict[str, int]) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked, 1):
        if doc in gains:
            hits += 1
            total += hits / rank
    return total / len(gains) if gains else 0.0


def ndcg(ranked: list[str], gains: dict[str, int], k: int = 10) -> float:
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def precision(ranked: list[str], gains: dict[str, int], k: int = 10) -> float:
    return sum(1 for d in ranked[:k] if d in gains) / k


def recall(ranked: list[str], gains: dict[str, int], k: int = DEPTH) -> float:
    return sum(1 for d in ranked[:k] if d in gains) / len(gains) if gains else 0.0


MEASURES: dict[str, Callable[[list[str], dict[str, int]], float]] = {
    "MAP": average_precision, "nDCG@10": ndcg, "P@10": precision, "recall@100": recall,
}


# -- engines --------------------------------------------------------------------------------

def ours(docs: list[peers.Doc], work: Path) -> peers.Search:
    import searcher

    index = searcher.Index.create(work / "searcher")
    index.add(searcher.Release(id=i, path=i, title=t, paragraphs=[b]) for i, t, b in docs)
    return lambda q, k: [h.release.id for h in index.search(q, limit=k, snippets=0)]


ENGINES: dict[str, Callable[[list[peers.Doc], Path], peers.Search]] = {
    "searcher": ours, **peers.PEERS,
}


def evaluate(collection: Collection, name: str, work: Path) -> dict:
    """One engine on one collection: the averages, the timings and each query's figures."""
    started = time.perf_counter()
    search = ENGINES[name](collection.docs, work)
    built = time.perf_counter() - started
    started = time.perf_counter()
    ranked = {qid: search(text, DEPTH) for qid, text in collection.queries}
    took = time.perf_counter() - started
    per_query = {qid: {m: f(ranked[qid], collection.judged[qid]) for m, f in MEASURES.items()}
                 | {"returned": len(ranked[qid])} for qid, _ in collection.queries}
    n = len(collection.queries)
    return {m: sum(q[m] for q in per_query.values()) / n for m in MEASURES} | {
        "empty": sum(1 for q in per_query.values() if not q["returned"]),
        "index_s": round(built, 3), "ms_per_query": round(took / n * 1000, 2),
        "per_query": per_query}


def table(results: dict[str, dict]) -> list[str]:
    """Measures down, engines across; the best figure of each quality row in bold."""
    names = list(results)
    lines = ["| measure | " + " | ".join(names) + " |", "|" + " --- |" * (len(names) + 1)]
    for measure in MEASURES:
        best = max(r[measure] for r in results.values())
        cells = [f"**{r[measure]:.4f}**" if r[measure] == best and len(names) > 1
                 else f"{r[measure]:.4f}" for r in results.values()]
        lines.append(f"| {measure} | " + " | ".join(cells) + " |")
    for key, label, form in (("empty", "queries returning nothing", "{}"),
                             ("index_s", "index s", "{:.2f}"),
                             ("ms_per_query", "ms/query", "{:.1f}")):
        lines.append(f"| {label} | " + " | ".join(form.format(r[key]) for r in results.values())
                     + " |")
    return lines


def verdict(results: dict[str, dict]) -> str | None:
    """searcher's nDCG@10 against the best peer's; which queries came back empty."""
    mine = results.get("searcher")
    others = {n: r for n, r in results.items() if n != "searcher"}
    lines = [f"{name} returned nothing for queries "
             + ", ".join(q for q, f in r["per_query"].items() if not f["returned"])
             for name, r in results.items() if r["empty"]]
    if mine and others:
        best = max(others, key=lambda n: others[n]["nDCG@10"])
        gap = mine["nDCG@10"] - others[best]["nDCG@10"]
        lines.insert(0, f"searcher nDCG@10 {mine['nDCG@10']:.4f} vs best peer ({best}) "
                        f"{others[best]['nDCG@10']:.4f}: {'ahead' if gap > 0 else 'behind'} "
                        f"by {abs(gap):.4f}")
    return "\n".join(lines) or None


def _choices(value: str, known: dict, what: str) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in known]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown) or '(none given)'}; "
                                         f"choose from {', '.join(known)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collections", default=",".join(COLLECTIONS), metavar="A,B",
                        type=lambda v: _choices(v, COLLECTIONS, "collection"),
                        help=f"comma-separated, from {', '.join(COLLECTIONS)} (default: all)")
    parser.add_argument("--engines", default=",".join(ENGINES), metavar="A,B",
                        type=lambda v: _choices(v, ENGINES, "engine"),
                        help=f"comma-separated, from {', '.join(ENGINES)} (default: all)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        peers.check(args.engines)
        root = peers.corpora()
        collections = [COLLECTIONS[name](root) for name in args.collections]
    except (peers.Unavailable, OSError) as error:
        print(f"relevance.py: {error}", file=sys.stderr)
        return 2
    report = {"revision": peers.revision(), "depth": DEPTH, "engines": args.engines,
              "collections": {}}
    started = time.perf_counter()
    for collection in collections:
        work = Path(tempfile.mkdtemp(prefix=f"searcher-relevance-{collection.name}-"))
        try:
            results = {name: evaluate(collection, name, work) for name in args.engines}
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"## {collection.name}: {len(collection.docs)} documents, "
              f"{len(collection.queries)} judged queries, top {DEPTH}\n")
        print("\n".join(table(results)))
        line = verdict(results)
        print(f"\n{line}\n" if line else "")
        report["collections"][collection.name] = {
            "documents": len(collection.docs), "queries": len(collection.queries),
            "engines": results}
    print(f"total {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", "utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
