"""Country names, other names and adjectives -> one canonical name ("U.S." -> "United States").

The table is ``data/countries.tsv``, shipped with the package and meant to be edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..shipped import shipped_text


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    names: dict[str, str] = {}
    text = shipped_text("countries.tsv")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, others, adjectives = (line.split("\t") + ["", ""])[:3]
        for name in [canonical, *others.split("|"), *adjectives.split("|")]:
            if name.strip():
                names[name.strip()] = canonical.strip()
    # Longest first, so "Republic of Korea" wins over "Korea"; case-sensitive, so "US" is not "us".
    # (A match starts at one of the names' first letters or at "the": said first, the search
    # skips other places faster.)
    firsts = re.escape("".join(sorted({name[0] for name in names})))
    start = rf"(?=[{firsts}]|the\s)" if firsts else ""
    pattern = re.compile(start + r"(?<![\w.])(?:the\s+)?(" + _by_first_letter(names) + r")(?!\w)")
    return names, pattern


def _by_first_letter(names: Iterable[str]) -> str:
    """An alternation of ``names``, longest first, grouped under their first character:
    ``re`` tries a flat alternation's branches one by one at each word, 485 of them, and a
    grouped one's 24 first letters (five times faster over a corpus). Names of different first
    letters never match at the same place, so the grouping finds what the flat list finds."""
    groups: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        groups.setdefault(name[0], []).append(re.escape(name[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())


def canonical(name: str) -> str | None:
    """The canonical name for a country name or adjective, or None if it is none."""
    names, _ = _table()
    name = name.strip()
    return names.get(name) or names.get(name.removeprefix("the ").strip())


def find_countries(text: str, recurs: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) for every country name or adjective in ``text``
    (``recurs``: a short text may be seen again, and what it names is kept)."""
    if recurs and len(text) <= _SHORT:
        return list(_short_countries(text))
    return list(_scan(text))


#: Texts this short (a role, a title, the words before a name) recur: what they name is kept.
_SHORT = 200


def _scan(text: str) -> tuple[tuple[int, int, str], ...]:
    names, pattern = _table()
    return tuple((m.start(1), m.end(1), names[m.group(1)]) for m in pattern.finditer(text))


_short_countries = lru_cache(maxsize=16384)(_scan)


def countries_in(text: str) -> list[str]:
    """Distinct canonical countries named in ``text``, in order of first mention (a short
    text's found through :func:`find_countries`' cache)."""
    return list(dict.fromkeys(name for _, _, name in find_countries(text)))
