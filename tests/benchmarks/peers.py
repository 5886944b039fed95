"""The engines the relevance benchmarks measure searcher against, and where their data is.

Used by ``relevance.py`` and ``known_item.py``; not a benchmark itself. Every peer indexes the
same ``(id, title, body)`` triples and is handed the user's raw query text; each reduces it to
words (``\\w+``) by itself, so punctuation never reaches a query parser. A peer is built by
``PEERS[name](docs, work)`` and returns ``search(query, k) -> [id, ...]``, best first, holding
only documents that match at least one query word.

- ``fts5``: SQLite FTS5, porter tokenizer, ``bm25()``, words OR'ed; with ``and_first`` the
  words AND'ed first and the OR'ed results filling up to ``k``;
- ``whoosh``: plain Whoosh, StemmingAnalyzer on title and body, BM25F defaults, words OR'ed
  (Whoosh's default AND finds almost nothing for long questions);
- ``rank-bm25``: BM25Okapi over lower-cased, Porter-stemmed (nltk) words, stopwords kept;
- ``bm25s``: bm25s, Snowball English stemming (PyStemmer, or nltk's Snowball if absent) and
  its English stopword list;
- ``tantivy``: tantivy-py, the ``en_stem`` tokenizer on title and body, each word quoted as
  its own term and OR'ed (the parser never sees an operator or a stray colon).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

Doc = tuple[str, str, str]          # (id, title, body)
Search = Callable[[str, int], list[str]]
_WORD = re.compile(r"\w+")


class Unavailable(Exception):
    """A benchmark cannot run: missing data or a missing package (one line for the user)."""


def corpora() -> Path:
    """``shared/corpora`` beside the repository, or beside the nearest folder above it that
    has one (a git worktree lives below the main checkout), or ``$SEARCHER_CORPORA``."""
    if os.environ.get("SEARCHER_CORPORA"):
        return Path(os.environ["SEARCHER_CORPORA"])
    for parent in ROOT.parents:
        if (parent / "shared" / "corpora").is_dir():
            return parent / "shared" / "corpora"
    raise Unavailable(f"no shared/corpora beside {ROOT} or above it; set SEARCHER_CORPORA")


def revision() -> str | None:
    """The repository's commit (``-dirty`` when changed), to tell runs apart."""
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                              capture_output=True, text=True, timeout=10).stdout.strip() or None
    except OSError:
        return None


def words(text: str) -> list[str]:
    """The query's words, lower-cased, punctuation dropped."""
    return _WORD.findall(text.lower())


_PACKAGES = {"rank-bm25": "rank_bm25", "bm25s": "bm25s", "tantivy": "tantivy"}


def check(engines: Sequence[str]) -> None:
    """Fail in one line, before any work, when a chosen engine's package is missing."""
    import importlib.util

    missing = [_PACKAGES[e] for e in engines
               if e in _PACKAGES and importlib.util.find_spec(_PACKAGES[e]) is None]
    if missing:
        raise Unavailable(f"not installed: {', '.join(missing)}; pip install -e '.[bench]'")


def fts5(docs: Sequence[Doc], work: Path, and_first: bool = False) -> Search:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    db.executemany("INSERT INTO d VALUES (?, ?, ?)", docs)
    db.execute("INSERT INTO d(d) VALUES ('optimize')")

    def top(match: str, k: int) -> list[str]:
        rows = db.execute("SELECT id FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT ?", (match, k))
        return [r[0] for r in rows]

    def search(query: str, k: int) -> list[str]:
        terms = [f'"{w}"' for w in words(query)]
        if not terms:
            return []
        found = top(" ".join(terms), k) if and_first else []
        for doc in top(" OR ".join(terms), k) if len(found) < k else []:
            if doc not in found and len(found) < k:
                found.append(doc)
        return found

    return search


def plain_whoosh(docs: Sequence[Doc], work: Path) -> Search:
    from whoosh import index, qparser, scoring
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                    body=TEXT(analyzer=StemmingAnalyzer()))
    folder = work / "whoosh"
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for i, t, b in docs:
            writer.add_document(id=i, title=t, body=b)
    s = ix.searcher(weighting=scoring.BM25F())
    parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

    def search(query: str, k: int) -> list[str]:
        clean = " ".join(words(query))
        return [hit["id"] for hit in s.search(parser.parse(clean), limit=k)] if clean else []

    return search


def okapi(docs: Sequence[Doc], work: Path) -> Search:
    from nltk.stem.porter import PorterStemmer
    from rank_bm25 import BM25Okapi

    stem = PorterStemmer().stem

    def tokens(text: str) -> list[str]:
        return [stem(w) for w in words(text)]

    bm25 = BM25Okapi([tokens(f"{t} {b}") for _, t, b in docs])
    ids = [i for i, _, _ in docs]

    def search(query: str, k: int) -> list[str]:
        scores = bm25.get_scores(tokens(query))
        order = sorted(range(len(ids)), key=lambda n: -scores[n])[:k]
        return [ids[n] for n in order if scores[n] > 0]

    return search


def _snowball():
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:
        from nltk.stem.snowball import SnowballStemmer

        return SnowballStemmer("english").stem


def bm25s_en(docs: Sequence[Doc], work: Path) -> Search:
    import bm25s as lib

    stemmer = _snowball()

    def tokens(texts: list[str]) -> list[list[str]]:
        return lib.tokenize(texts, stopwords="en", stemmer=stemmer, return_ids=False,
                            show_progress=False)

    retriever = lib.BM25()
    retriever.index(tokens([f"{t}\n{b}" for _, t, b in docs]), show_progress=False)
    ids = [i for i, _, _ in docs]

    def search(query: str, k: int) -> list[str]:
        asked = [t for t in tokens([query])[0] if t and t in retriever.vocab_dict]
        if not asked:
            return []
        found, scores = retriever.retrieve([asked], k=min(k, len(ids)), show_progress=False)
        return [ids[n] for n, s in zip(found[0], scores[0]) if s > 0]

    return search


def tantivy_en(docs: Sequence[Doc], work: Path) -> Search:
    import tantivy as lib

    builder = lib.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    folder = work / "tantivy"
    folder.mkdir()
    ix = lib.Index(builder.build(), path=str(folder))
    writer = ix.writer(heap_size=100_000_000, num_threads=1)
    for i, t, b in docs:
        writer.add_document(lib.Document(id=i, title=t, body=b))
    writer.commit()
    writer.wait_merging_threads()
    ix.reload()
    s = ix.searcher()

    def search(query: str, k: int) -> list[str]:
        terms = " ".join(f'"{w}"' for w in words(query))
        if not terms:
            return []
        hits = s.search(ix.parse_query(terms, ["title", "body"]), limit=k).hits
        return [s.doc(address)["id"][0] for _, address in hits]

    return search


PEERS: dict[str, Callable[..., Search]] = {
    "fts5": fts5, "whoosh": plain_whoosh, "rank-bm25": okapi, "bm25s": bm25s_en,
    "tantivy": tantivy_en,
}
