"""Ranking parameters tried on every relevance benchmark at once, one table row a setting.

    pip install -e '.[bench]'
    python tests/benchmarks/tune.py --set ranking.PROXIMITY=0,0.3 --set boost.title=1,2

Builds the three benchmarks' indexes once (Cranfield and CACM from relevance.py, the
known-item sample of the White House readouts from known_item.py, from
``../shared/corpora``), then for every combination of the ``--set`` values (a grid) runs all
their queries and prints Cranfield and CACM nDCG@10 and recall@100, and known-item MRR@10
for headlines and passages, side by side. A parameter is ``ranking.NAME`` (a module global
of :mod:`searcher.search.model`, which the scorer reads at each query), ``querylang.NAME``,
``boost.FIELD`` (a field boost of :mod:`searcher.index.schema`), ``k1`` or ``b.FIELD`` (BM25). The engine's settings are
chosen from such a table as a whole, never from one collection (see the README).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import known_item  # noqa: E402
import peers  # noqa: E402
import relevance  # noqa: E402


def _setter(name: str):
    from searcher.index import schema
    from searcher.search import bm25, model, querylang

    if name == "k1":
        return lambda v: setattr(bm25, "BM25_K1", v)
    kind, _, key = name.partition(".")
    if kind == "boost":
        return lambda v: schema.FIELD_BOOSTS.__setitem__(key, v)
    if kind == "b":
        return lambda v: schema.BM25_B.__setitem__(key, v)
    module = {"ranking": model, "querylang": querylang}[kind]
    if not hasattr(module, key):
        raise SystemExit(f"tune.py: no parameter {name}")
    return lambda v: setattr(module, key, v)


def _value(text: str):
    try:
        return float(text)
    except ValueError:
        return tuple(float(x) for x in text.split("/"))  # PASSAGE_WEIGHTS=1/0.3/0.1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=V1,V2")
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args(argv)
    import searcher
    from searcher.search.query import ranked_ids

    grid = []
    for item in args.set:
        name, _, values = item.partition("=")
        grid.append((name, _setter(name), [_value(v) for v in values.split(",")]))
    with tempfile.TemporaryDirectory(prefix="searcher-tune-") as tmp:
        work = Path(tmp)
        benches = []
        for make in (relevance.cranfield, relevance.cacm):
            collection = make(peers.corpora())
            index = searcher.Index.create(work / collection.name)
            index.add(searcher.Release(id=i, path=i, title=t, paragraphs=[b])
                      for i, t, b in collection.docs)
            benches.append((collection, index))
        readouts, _ = searcher.build_index(documents=peers.corpora() / "whitehouse-readouts",
                                           index=work / "readouts")
        asked = known_item.queries(list(readouts.releases()), args.sample, 1)
        names = [name for name, _, _ in grid]
        print("| " + " | ".join(names + ["cran nDCG", "cran R@100", "cacm nDCG", "cacm R@100",
                                         "KI headline MRR", "KI passage MRR", "s"]) + " |")
        print("|" + " --- |" * (len(names) + 7))
        for values in itertools.product(*[v for _, _, v in grid]):
            for (_, set_value, _), value in zip(grid, values):
                set_value(value)
            started = time.perf_counter()
            row = []
            for collection, index in benches:
                ranked = {q: ranked_ids(index.searcher(), t, 100) for q, t in collection.queries}
                n = len(collection.queries)
                row += [sum(relevance.ndcg(ranked[q], collection.judged[q]) for q in ranked) / n,
                        sum(relevance.recall(ranked[q], collection.judged[q]) for q in ranked) / n]
            found = [ranked_ids(readouts.searcher(), q.text, 10) for q in asked]
            for kind in known_item.KINDS:
                ranks = [known_item.rank(f, q.expected) for q, f in zip(asked, found)
                         if q.kind == kind]
                row.append(known_item.measure(ranks, [])["MRR@10"])
            shown = ["/".join(f"{x:g}" for x in v) if isinstance(v, tuple) else f"{v:g}"
                     for v in values]
            print("| " + " | ".join(shown + [f"{x:.4f}" for x in row]
                                    + [f"{time.perf_counter() - started:.0f}"]) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
