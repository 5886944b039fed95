"""The README's library examples, as a user's script would write them: checked with
``mypy --strict`` by tests/test_typing.py (and run there too)."""

from __future__ import annotations

import datetime as dt
import sys

import searcher


def main(documents: str, index_dir: str) -> int:
    index = searcher.open_index(index_dir, documents=documents)  # builds it on first use
    results = index.search("Five-point Consensus", limit=5)
    print(results.total, "releases")
    for hit in results:
        release = hit.release                     # a searcher.Release dataclass
        print(f"{release.release_date}  {release.title[:70]}  ({hit.score:.1f})")
        for snippet in hit.snippets:              # text, ansi, html (escaped), or markers
            print("   ", snippet.render("markers"))
    first: searcher.Hit = results[0]
    some: list[searcher.Hit] = results[:2]
    print(len(results), repr(first), len(some))
    dated = index.search("ASEAN", sort="-date", date_from=dt.date(2022, 1, 1),
                         date_to="March 2022", country="Japan")
    options = searcher.SearchOptions("ASEAN", limit=3, participant="Sokhonn", facets=True)
    counted = index.search(options)
    if counted.facets is not None:
        print(counted.facets["year"])
    for piece, is_match in (first.snippets[0].spans() if first.snippets else []):
        print(piece.upper() if is_match else piece, end="")
    print(dated.total, [h.release.id for h in dated])
    index.close()

    parsed: searcher.Release = searcher.parse_file(f"{documents}/001_bf54391174a1e620.txt")
    print(parsed.source_url, [p.name for p in parsed.participants])
    built, report = searcher.build_index(documents=documents, index=index_dir)
    updated, again = searcher.update_index(documents=documents, index=index_dir)
    print(report.added, again.unchanged, len(built), len(updated))
    built.close()
    updated.close()
    one: searcher.Results = searcher.search("Blinken", index=index_dir, documents=documents)
    try:
        index.search("x", date_from="2022-13")
    except searcher.BadOption as error:
        print(error)
    return 0 if one.total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
