"""Where a person's name runs in a text's tokens: which words can be a name's, and where
a name begun at a word ends (initials, suffixes and particles kept; an English word only
where the words around show it is the name's). :class:`NameReader` holds what the people
reader reads a text with: its tokens, the countries they name, the names known already."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container
from typing import TYPE_CHECKING

from .countries import find_countries
from .lexicon import SUFFIXES
from .tokens import Word, tokens

if TYPE_CHECKING:
    from .casing import Headline

#: Ranks and courtesy titles that also open names of things ("General Motors", "Lord's").
_RANKS = {"general", "admiral", "lord", "sir", "dame", "lady", "royal", "major", "colonel",
          "captain", "commander"}
#: Bound, in words, on a name: text that runs on past it is no one's (and a hostile file of
#: a million capitals is read in linear time).
MAX_NAME = 8


def known_parts(known: set[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Every tail of every known name, by its first word: "biden", "joe biden", ..."""
    parts: dict[str, list[tuple[str, ...]]] = {}
    for name in known:
        for off in range(len(name)):
            parts.setdefault(name[off], []).append(name[off:])
    return parts


def _country_tokens(text: str, toks: list[Word], starts: list[int], ends: list[int]
                    ) -> dict[int, str]:
    """Token index -> the country the token is part of the name of."""
    out: dict[int, str] = {}
    spans = find_countries(text, recurs=False)
    if not spans:
        return out
    n = len(toks)
    for start, end, name in spans:
        k = bisect_left(starts, start)
        while k < n and ends[k] <= end + 2:  # "U.S.", "Japan's"
            if toks[k].alpha:
                out[k] = name
            k += 1
    return out


class NameReader:
    """One text's tokens, and the names that can stand in them."""

    def __init__(self, text: str, headline: bool | Headline, known: set[tuple[str, ...]],
                 lower: Container[str] = frozenset(),
                 parts: dict[str, list[tuple[str, ...]]] | None = None):
        self.lower = lower
        self.text = text
        self.toks, self.starts, self.ends = tokens(text)
        self.n = len(self.toks)
        self.headline = headline
        self.known_parts = known_parts(known) if parts is None else parts
        self.countries: dict[int, str] = {}

    def find_countries(self) -> None:
        """Look up which tokens name a country (:attr:`countries`: token index -> country)."""
        self.countries = _country_tokens(self.text, self.toks, self.starts, self.ends)

    # -- what a token is -----------------------------------------------------------------
    def country(self, i: int) -> str | None:
        return self.countries.get(i)

    def name_like(self, i: int) -> bool:
        """Could start or go on with a name: capitalised and none of office, honorific,
        country, institution or headline word."""
        t = self.toks[i]
        if not t.name_static or self.countries.get(i):
            return False
        return not (t.hon_blocks and i + 1 < self.n and self.toks[i + 1].cap)

    def starts_name(self, i: int) -> bool:
        """A name plainly starts at ``i``: a name-like word that is no English word, or a
        given name before one."""
        toks = self.toks
        if i >= self.n or not self.name_like(i):
            return False
        if not toks[i].word:
            return True
        return toks[i].given and i + 1 < self.n and self.name_like(i + 1) \
            and not toks[i + 1].word

    def known_run(self, i: int) -> int:
        """The length of the longest known name (or part of one) starting at ``i``."""
        best = 0
        toks = self.toks
        for part in self.known_parts.get(toks[i].bare, ()):
            k = len(part)
            if k > best and tuple(t.bare for t in toks[i:i + k]) == part:
                best = k
        return best

    # -- reading a name --------------------------------------------------------------------
    def read_name(self, i: int, after_head: bool) -> int:
        """The end (exclusive token index) of the name starting at ``i``, or ``i``."""
        toks, n = self.toks, self.n
        known = self.known_run(i) if self.known_parts else 0
        j = i
        while j < n and j - i < MAX_NAME:
            t = toks[j]
            if j < i + known:
                j += 1
                if t.possessive:
                    break
                continue
            if t.initial and j + 1 < n and toks[j + 1].cap:
                j += 1
                continue
            if t.text == "," and j > i and j + 1 < n and toks[j + 1].bare in SUFFIXES:
                j += 2  # "Biden, Jr."
                continue
            if j > i and t.suffix_name:
                j += 1
                continue
            if j > i and t.particle:
                k = j  # "von der Leyen", "bin Abdulrahman"
                while k < n and toks[k].particle:
                    k += 1
                if k < n and k - j <= 3 and toks[k].cap and self.name_like(k):
                    j = k
                    continue
            if not self.name_like(j):
                break
            if t.word and not self._word_in_name(i, j, after_head):
                break
            j += 1
            if t.possessive:
                break
        while j > i and toks[j - 1].particle_text:
            j -= 1
        return j

    def _word_in_name(self, i: int, j: int, after_head: bool) -> bool:
        """May the English word at ``j`` stand in the name begun at ``i``? At its end, when
        what follows shows the name ends there ("Governor Charlie Baker (R-MA)", "Secretary
        Rice said"), or right after a given name ("Melania Trump"); a given name that is a
        word ("Rob Shriver") when a name-like word follows."""
        toks, n = self.toks, self.n
        t = toks[j]
        nxt = toks[j + 1] if j + 1 < n else None
        if j == i and t.given and nxt is not None and nxt.cap and \
                self.name_like(j + 1) and not nxt.word:
            return True
        if j == i + 1 and toks[i].given and not toks[i].word and not t.verb:
            return True  # "Melania Trump", not "Harris Launches"
        if j == i and nxt is not None and nxt.initial and j + 2 < n and toks[j + 2].cap and \
                not toks[j + 2].word:
            return True  # "Harsh V. Shringla"
        if j == i and not after_head:
            return False
        if j > i and not (toks[j - 1].given or toks[j - 1].initial) and t.verb_end:
            return False  # "President Biden Signed an executive order": a verb, capitalised
        ends = nxt is None or not nxt.alpha and not nxt.text[0].isdigit() or (
            not nxt.cap and (not self.headline or nxt.text == "of" and j + 2 < n
                             and self.countries.get(j + 2) is not None))
        if j == i and i > 0 and toks[i - 1].bare in _RANKS:
            return False  # "General Motors": after a rank, a name is no English word
        return ends and not t.possessive or t.possessive and (j > i or after_head)
