"""Looking around an index rather than searching it: completions as you type, a person's
contacts, the query's words in a whole release, a release's link to its source.

    import searcher
    from searcher import explore

    index = searcher.open_index("index", documents="documents")
    for s in explore.suggest(index, "sok"):        # people, countries, words
        print(s.kind, s.text, s.releases)
    person = explore.person(index, "prak sokhonn")   # their releases, counterparts, dates
    print(person.name, [c.name for c in person.counterparts])

What these read (every release record: metadata, no paragraphs) is gathered once per commit
of the index and kept (:func:`directory`); a commit made later is read when first asked for.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .index.analysis import STOPWORDS, WORD_PATTERN, normalize_word
from .ingest.release import Release
from .search.snippets import Snippet

if TYPE_CHECKING:
    from .engine import Index

SuggestionKind = Literal["person", "country", "word"]
#: Title words shorter than this are not suggested.
MIN_WORD = 3
_WORDS = re.compile(WORD_PATTERN)


@dataclass(frozen=True)
class Suggestion:
    """A completion of what was typed: a person, a counterpart country or a title word.

    ``start``: where in the typed text the completion begins (what comes before stays as
    typed); ``key``: the person's key; ``releases``: how many releases it stands in."""

    kind: SuggestionKind
    text: str
    releases: int
    start: int = 0
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "releases": self.releases,
                "start": self.start, "key": self.key}


@dataclass
class Counterpart:
    """Someone a person took part in releases with: how often, when, from which country."""

    key: str
    name: str
    country: str | None
    releases: list[str] = field(default_factory=list)  # ids, newest first
    first: dt.date | None = None
    last: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "country": self.country,
                "releases": list(self.releases), "first": _iso(self.first),
                "last": _iso(self.last)}


@dataclass
class Person:
    """A participant across the index: who they met, from which countries, when.

    ``releases`` are newest first (undated last), without their paragraphs; ``roles`` and
    ``countries`` (their own, as the releases give it) most frequent first;
    ``counterparts`` most releases first; ``counterpart_countries`` counts the releases
    per counterpart country."""

    key: str
    name: str
    roles: list[str]
    countries: list[str]
    releases: list[Release]
    counterparts: list[Counterpart]
    counterpart_countries: dict[str, int]
    first: dt.date | None
    last: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "roles": list(self.roles),
            "countries": list(self.countries), "first": _iso(self.first),
            "last": _iso(self.last), "total": len(self.releases),
            "counterparts": [c.to_dict() for c in self.counterparts],
            "counterpart_countries": dict(self.counterpart_countries),
            "releases": [r.to_dict(paragraphs=False) for r in self.releases],
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def fold(text: str) -> str:
    """Text as suggestions compare it: words normalised as the index does, one space apart.

    >>> fold("  PRAK  Sokhonn's ")
    'prak sokhonn'
    """
    return " ".join(w for w in (normalize_word(x) for x in text.split()) if w)


def _newest_first(release: Release) -> tuple[int, str]:
    day = release.release_date
    return (-day.toordinal() if day else 1, release.id)


class Directory:
    """People, counterpart countries and title words of a set of releases, for
    :meth:`suggest` and :meth:`person`. Made from releases without paragraphs (their
    records); see :func:`directory` for one kept per commit of an index."""

    def __init__(self, releases: Iterable[Release]):
        self.releases: dict[str, Release] = {}
        self._people: dict[str, list[str]] = {}  # key -> release ids
        self._names: dict[str, Counter[str]] = {}
        countries: Counter[str] = Counter()
        words: dict[str, Counter[str]] = {}  # folded -> surface spellings, once a release
        folded: dict[str, str] = {}  # surface -> folded, each spelling worked out once
        find = _WORDS.findall
        for release in releases:
            self.releases[release.id] = release
            for p in release.participants:
                ids = self._people.get(p.key)
                if ids is None:
                    ids, self._names[p.key] = self._people.setdefault(p.key, []), Counter()
                ids.append(release.id)
                self._names[p.key][p.name] += 1
            countries.update(set(release.countries))
            seen: set[str] = set()
            for surface in find(release.title):
                word = folded.get(surface)
                if word is None:
                    word = normalize_word(surface)
                    if len(word) < MIN_WORD or word in STOPWORDS or word.isdigit():
                        word = ""
                    folded[surface] = word
                if not word or word in seen:
                    continue
                seen.add(word)
                spellings = words.get(word)
                if spellings is None:
                    spellings = words[word] = Counter()
                spellings[surface] += 1
        order = {rid: _newest_first(r) for rid, r in self.releases.items()}
        for ids in self._people.values():
            ids.sort(key=order.__getitem__)
        # (folded form, rank, kind, shown text, key, releases): sorted for prefix search. A
        # person is found by each of their names' word starts ("sok" -> PRAK Sokhonn).
        entries: list[tuple[str, int, SuggestionKind, str, str | None, int]] = []
        for key, ids in self._people.items():
            name = self.name(key)
            forms = {fold(name), key}
            for form in list(forms):
                parts = form.split()
                forms.update(" ".join(parts[i:]) for i in range(1, len(parts)))
            entries += [(f, 0, "person", name, key, len(ids)) for f in forms if f]
        for country, n in countries.items():
            parts = fold(country).split()
            entries += [(" ".join(parts[i:]), 1, "country", country, None, n)
                        for i in range(len(parts))]
        for word, spellings in words.items():
            entries.append((word, 2, "word", spellings.most_common(1)[0][0], None,
                            sum(spellings.values())))
        entries.sort()
        self._entries = entries
        self._keys = [e[0] for e in entries]

    def name(self, key: str) -> str:
        """A person's display name: the spelling the releases give most."""
        return self._names[key].most_common(1)[0][0]

    def people(self) -> dict[str, int]:
        """Every person's key -> the number of their releases."""
        return {key: len(ids) for key, ids in self._people.items()}

    def top(self, kind: SuggestionKind, limit: int = 10) -> list[Suggestion]:
        """The people, countries or title words standing in the most releases."""
        seen: dict[str, Suggestion] = {}
        for _, _, k, text, key, n in self._entries:
            if k == kind and (key or text) not in seen:
                seen[key or text] = Suggestion(k, text, n, 0, key)
        return sorted(seen.values(), key=lambda s: (-s.releases, s.text))[:limit]

    def suggest(self, prefix: str, limit: int = 10,
                kinds: Iterable[SuggestionKind] = ("person", "country", "word")
                ) -> list[Suggestion]:
        """Completions of ``prefix`` (what has been typed), people first, then countries,
        then words, each by how many releases they stand in. People and countries may
        complete the last few words typed ("prak so" -> PRAK Sokhonn); words complete the
        last one."""
        wanted = set(kinds)
        typed = prefix.split()
        if not typed or limit <= 0:
            return []
        found: dict[tuple[str, str], Suggestion] = {}
        # Try the longest tail of what was typed first: "meeting prak so" -> "prak so".
        for first in range(len(typed)):
            tail = fold(" ".join(typed[first:]))
            if not tail:
                continue
            start = _offset_of_word(prefix, first)
            single = first == len(typed) - 1
            lo = bisect.bisect_left(self._keys, tail)
            hi = bisect.bisect_left(self._keys, tail + "\U0010ffff")
            for _, _, kind, text, key, n in self._entries[lo:hi]:
                if kind not in wanted or (kind == "word" and not single):
                    continue
                ident = (kind, key or text)
                if ident not in found:
                    found[ident] = Suggestion(kind, text, n, start, key)
        order = {"person": 0, "country": 1, "word": 2}
        ranked = sorted(found.values(), key=lambda s: (order[s.kind], -s.releases, s.text))
        # A word that is a name already offered ("Japan", "Sokhonn") is not offered again.
        named = {w for s in ranked if s.kind != "word" for w in fold(s.text).split()}
        return [s for s in ranked if s.kind != "word" or fold(s.text) not in named][:limit]

    def person(self, key: str) -> Person | None:
        """A person's summary by key (as in a participant's ``key``, any case); None if no
        release has them."""
        key = fold(key)
        ids = self._people.get(key)
        if not ids:
            return None
        releases = [self.releases[rid] for rid in ids]
        roles: Counter[str] = Counter()
        own: Counter[str] = Counter()
        others: dict[str, Counterpart] = {}
        places: Counter[str] = Counter()
        for release in releases:
            places.update(set(release.countries))
            for p in release.participants:
                if p.key == key:
                    if p.role:
                        roles[p.role] += 1
                    if p.country:
                        own[p.country] += 1
                    continue
                c = others.get(p.key)
                if c is None:
                    c = others[p.key] = Counterpart(p.key, self.name(p.key), p.country)
                c.country = c.country or p.country
                c.releases.append(release.id)
                day = release.release_date
                if day:
                    c.first = min(c.first or day, day)
                    c.last = max(c.last or day, day)
        days = [r.release_date for r in releases if r.release_date]
        return Person(
            key=key, name=self.name(key),
            roles=[r for r, _ in roles.most_common()],
            countries=[c for c, _ in own.most_common()],
            releases=releases,
            counterparts=sorted(others.values(),
                                key=lambda c: (-len(c.releases), -(c.last or dt.date.min)
                                               .toordinal(), c.name)),
            counterpart_countries=dict(sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))),
            first=min(days, default=None), last=max(days, default=None))


def _offset_of_word(text: str, n: int) -> int:
    """Where the ``n``-th whitespace-separated word of ``text`` starts."""
    spans = [m.start() for m in re.finditer(r"\S+", text)]
    return spans[n] if n < len(spans) else len(text)


# -- one directory per commit ------------------------------------------------------------

_DIRECTORIES: dict[tuple[str, int], Directory] = {}
_DIRECTORIES_LOCK = threading.Lock()


def commit_of(index: Index) -> tuple[str, int]:
    """Which commit ``index`` reads: its generation folder and Whoosh's commit number."""
    return str(index.generation), index.searcher().reader().generation()


def records(index: Index) -> list[Release]:
    """Every release of ``index`` from its record: metadata, no paragraphs (a stored-field
    read each, no paragraph read)."""
    out = []
    for stored in index.searcher().documents(doctype="release"):
        out.append(Release.from_dict(json.loads(stored["release"])))
    return out


def directory(index: Index) -> Directory:
    """The :class:`Directory` of the index's current commit, made on first use and kept
    (one per commit, the last two): a read of every release record (17,000 releases in
    1-5 s), then free."""
    commit = commit_of(index)
    with _DIRECTORIES_LOCK:
        found = _DIRECTORIES.get(commit)
    if found is None:
        found = Directory(records(index))
        with _DIRECTORIES_LOCK:
            _DIRECTORIES[commit] = found
            while len(_DIRECTORIES) > 2:
                _DIRECTORIES.pop(next(iter(_DIRECTORIES)))
    return found


def suggest(index: Index, prefix: str, limit: int = 10,
            kinds: Iterable[SuggestionKind] = ("person", "country", "word")) -> list[Suggestion]:
    """Completions of ``prefix`` from ``index``: people, countries and title words (see
    :meth:`Directory.suggest`)."""
    return directory(index).suggest(prefix, limit, kinds)


def person(index: Index, key: str) -> Person | None:
    """A person's releases, counterparts and their countries, and dates (see
    :meth:`Directory.person`)."""
    return directory(index).person(key)


def highlight(index: Index, query: str, texts: Iterable[str],
              synonyms: str | Path | None = None) -> list[Snippet]:
    """Each of ``texts`` (a release's title or paragraphs, say) as a whole snippet with the
    words ``query`` looks for highlighted, as search results highlight them (stems,
    phrases, synonyms and near spellings included)."""
    from .search.cache import cache_of
    from .search.query import _matchers
    from .search.querylang import parse  # the same words the results light up

    texts = list(texts)
    if not query.strip():
        return [Snippet(t) for t in texts]
    searcher = index.searcher()
    reader = searcher.reader()
    chosen = str(synonyms) if synonyms else None  # as search: the library reads no variable
    # The index's cache: near spellings found as a search finds them (folded names too).
    matcher, _ = _matchers(parse(query, reader, chosen, cache_of(searcher)).query, reader)
    if not matcher:
        return [Snippet(t) for t in texts]
    return [Snippet(t, matcher.highlights(t), n) for n, t in enumerate(texts)]


def source_link(release: Release) -> str | None:
    """The address the release was published at (its ``source_url``, from the file's
    front matter) when it is an http(s) address, to be shown as a link; None otherwise
    (a ``javascript:`` address is no link)."""
    from urllib.parse import urlsplit

    value = release.source_url
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None
