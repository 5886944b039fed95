"""Relevance on the Cranfield collection, our engine beside common baselines, in one run.

    pip install -e '.[bench]' && python tests/benchmarks/relevance.py

Data: ../shared/corpora/cranfield (1,400 aeronautics abstracts, 225 queries, graded
judgments). Queries are numbered 1..225 by their position in cran.qry (the .I numbers are
not the judgment ids). Judgments: grade 1 (most relevant) to 4; -1 means none relevant and
is dropped. nDCG uses gain 5 - grade; MAP and P@10 count grades 1-4 as relevant.

Systems, each indexing title and text of every abstract:
- searcher: our analysis, schema, BM25F boosts, query language (long queries relaxed to a
  minimum should match), ranking, through ``Index.search``;
- whoosh: plain Whoosh, StemmingAnalyzer on title and text, BM25F defaults, words OR'ed
  (Whoosh's default AND would find almost nothing for these long questions);
- fts5: SQLite FTS5, porter tokenizer, bm25(), words OR'ed;
- rank-bm25: BM25Okapi over lower-cased, Porter-stemmed (nltk) words, stopwords kept.
Nothing in the engine knows this collection; the same settings serve press releases.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CRANFIELD = ROOT.parent / "shared" / "corpora" / "cranfield"
DEPTH = 100


def read_docs() -> list[tuple[str, str, str]]:
    """(id, title, text) of every abstract."""
    raw = (CRANFIELD / "cran.all.1400").read_text("utf-8", errors="replace").replace("\r", "")
    docs = []
    for record in re.split(r"^\.I ", raw, flags=re.M)[1:]:
        number, rest = record.split("\n", 1)
        fields = dict(re.findall(r"^\.([TABW])\n(.*?)(?=^\.[TABW]\n|\Z)", rest, flags=re.M | re.S))
        docs.append((number.strip(), " ".join(fields.get("T", "").split()),
                     " ".join(fields.get("W", "").split())))
    return docs


def read_queries() -> list[tuple[str, str]]:
    raw = (CRANFIELD / "cran.qry").read_text("utf-8", errors="replace").replace("\r", "")
    records = re.split(r"^\.I ", raw, flags=re.M)[1:]
    return [(str(i), " ".join(r.split(".W\n", 1)[1].split())) for i, r in enumerate(records, 1)]


def read_judgments() -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = {}
    for line in (CRANFIELD / "cranqrel").read_text().split("\n"):
        parts = line.split()
        if len(parts) == 3 and int(parts[2]) > 0:
            judged.setdefault(parts[0], {})[parts[1]] = 5 - int(parts[2])
    return judged


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


# -- systems --------------------------------------------------------------------------------

def ours(docs, work: Path) -> Callable[[str], list[str]]:
    import searcher
    from searcher.ingest.release import Release

    index = searcher.Index.create(work / "searcher")
    index.add(Release(id=i, path=i, title=t, paragraphs=[w]) for i, t, w in docs)
    return lambda q: [h.release.id for h in index.search(q, limit=DEPTH, snippets=0)]


def plain_whoosh(docs, work: Path) -> Callable[[str], list[str]]:
    from whoosh import index, qparser, scoring
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                    body=TEXT(analyzer=StemmingAnalyzer()))
    (work / "whoosh").mkdir()
    ix = index.create_in(str(work / "whoosh"), schema)
    with ix.writer() as writer:
        for i, t, w in docs:
            writer.add_document(id=i, title=t, body=w)
    s = ix.searcher(weighting=scoring.BM25F())
    parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

    def run(q: str) -> list[str]:
        clean = re.sub(r"[^\w\s]", " ", q)
        return [hit["id"] for hit in s.search(parser.parse(clean), limit=DEPTH)]

    return run


def fts5(docs, work: Path) -> Callable[[str], list[str]]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    db.executemany("INSERT INTO d VALUES (?, ?, ?)", docs)

    def run(q: str) -> list[str]:
        words = re.findall(r"\w+", q.lower())
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute("SELECT id FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT ?",
                          (match, DEPTH))
        return [r[0] for r in rows]

    return run


def rank_bm25(docs, work: Path) -> Callable[[str], list[str]]:
    from nltk.stem.porter import PorterStemmer
    from rank_bm25 import BM25Okapi

    stemmer = PorterStemmer()

    def tokens(text: str) -> list[str]:
        return [stemmer.stem(w) for w in re.findall(r"\w+", text.lower())]

    bm25 = BM25Okapi([tokens(f"{t} {w}") for _, t, w in docs])
    ids = [i for i, _, _ in docs]

    def run(q: str) -> list[str]:
        scores = bm25.get_scores(tokens(q))
        order = sorted(range(len(ids)), key=lambda n: -scores[n])[:DEPTH]
        return [ids[n] for n in order if scores[n] > 0]

    return run


SYSTEMS = {"searcher": ours, "whoosh": plain_whoosh, "fts5": fts5, "rank-bm25": rank_bm25}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", nargs="*", default=list(SYSTEMS))
    args = parser.parse_args()
    docs, queries, judged = read_docs(), read_queries(), read_judgments()
    queries = [(qid, text) for qid, text in queries if qid in judged]
    print(f"{len(docs)} documents, {len(queries)} judged queries, depth {DEPTH}\n")
    work = Path(tempfile.mkdtemp(prefix="searcher-relevance-"))
    rows = []
    try:
        for name in args.systems:
            started = time.perf_counter()
            run = SYSTEMS[name](docs, work)
            built = time.perf_counter() - started
            started = time.perf_counter()
            ranked = {qid: run(text) for qid, text in queries}
            took = time.perf_counter() - started
            n = len(queries)
            rows.append((name,
                         sum(average_precision(ranked[q], judged[q]) for q, _ in queries) / n,
                         sum(ndcg(ranked[q], judged[q]) for q, _ in queries) / n,
                         sum(precision(ranked[q], judged[q]) for q, _ in queries) / n,
                         built, took / n * 1000))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| system | MAP | nDCG@10 | P@10 | index s | ms/query |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, ap, nd, p10, built, ms in rows:
        print(f"| {name} | {ap:.4f} | {nd:.4f} | {p10:.4f} | {built:.1f} | {ms:.1f} |")
    best = max((r for r in rows if r[0] != "searcher"), key=lambda r: r[2], default=None)
    mine = next((r for r in rows if r[0] == "searcher"), None)
    if best and mine:
        print(f"\nsearcher nDCG@10 {mine[2]:.4f} vs best baseline ({best[0]}) {best[2]:.4f}: "
              f"{'ahead' if mine[2] > best[2] else 'behind'} by {abs(mine[2] - best[2]):.4f}")


if __name__ == "__main__":
    sys.exit(main())
