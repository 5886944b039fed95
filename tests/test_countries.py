"""Country names: the grouped pattern finds exactly what a flat longest-first one finds."""

from __future__ import annotations

import re

from searcher.ingest.countries import _table, find_countries

from .conftest import FIXTURES, SEEDS


def flat_find(text: str) -> list[tuple[int, int, str]]:
    names, _ = _table()
    flat = re.compile(r"(?<![\w.])(?:the\s+)?("
                      + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                      + r")(?!\w)")
    return [(m.start(1), m.end(1), names[m.group(1)]) for m in flat.finditer(text)]


def test_grouped_alternation_finds_what_the_flat_one_finds():
    names, _ = _table()
    texts = [f.read_text("utf-8", errors="replace")
             for folder in (SEEDS, FIXTURES / "whitehouse") for f in sorted(folder.iterdir())]
    # Every name alone, after "the", inside longer names and beside near misses.
    texts.append(" ; ".join(f"{n}, the {n}, {n}n, x{n} and {n}'s" for n in sorted(names)))
    texts.append("Republic of Korea, Korea, South Sudan, Sudan, Guinea-Bissau, Guinea, U.S.A., US")
    found = 0
    for text in texts:
        expected = flat_find(text)
        assert find_countries(text) == expected
        found += len(expected)
    assert found > 3 * len(names)
