"""Where a text names a person: the office or honorific before the name, the name, the role
after it and the country they give.

A capitalised word is not a name by its capital alone. A run of capitals is read as a person
when something says so: an honorific or an office standing before it ("His Excellency PRAK
Sokhonn", "National Security Advisor Jake Sullivan", "Leader Schumer"), a given name opening
it ("Tomas Pojar, National Security Advisor ..."), or the person being known already (named so
elsewhere in the release: "Biden to Release ..." once "President Biden" has been read). Where
the name ends is read from the words: a word that is an English word ("Announces", "Call",
"Order") ends a name in a Title Case headline unless it is known to be part of it ("Melania
Trump" once the text has said so), and words of an institution ("Region", "Council") before
a name belong to the office ("Prime Minister of Iraq's Kurdistan Region Masrour Barzani").
Suffixes and regnal numbers stay with the name ("Joseph R. Biden, Jr.", "Abdullah II").

This module owns the scan and what a mention is; the words it reads are ``tokens.py``'s,
where a name ends ``name_runs.py``'s, the offices around it ``offices.py``'s, and what a
text's case says (a headline, words in lower case) ``casing.py``'s.

>>> [(m.name, m.role) for m in find_mentions("Readout of President Joe Biden Call with Prime Minister Justin Trudeau of Canada", headline=True)]
[('Joe Biden', 'President'), ('Justin Trudeau', 'Prime Minister')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container
from dataclasses import dataclass, field
from operator import attrgetter

from .casing import Headline
from .countries import find_countries
from .lexicon import PARTICLES, QUALIFIERS
from .name_runs import known_parts
from .offices import OfficeReader
from .tokens import plain

_OPENS, _BARE = attrgetter("opens"), attrgetter("bare")


@dataclass
class Mention:
    """A person named in a text."""

    name: str  # as written, honorifics out, suffixes in ("Joseph R. Biden, Jr.")
    start: int  # of the name in the text
    end: int
    office: str | None = None  # the office words before the name
    role: str | None = None  # the office before and the apposition after, as written
    country: str | None = None  # the country the role or an "of <country>" after it names
    evidence: str = "office"  # office, honorific, given, apposition, known, signature
    possessive: bool = False
    office_start: int = -1  # where the mention starts, office words included
    stated_end: int = -1  # where the mention ends, role and "of <country>" included
    country_from: str | None = None  # "role", "of", "before"
    tokens: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.office_start < 0:
            self.office_start = self.start
        if self.stated_end < 0:
            self.stated_end = self.end


class _Reader(OfficeReader):
    """One pass over a text's tokens, finding mentions left to right."""

    # -- the whole scan ------------------------------------------------------------------
    def may_name(self) -> bool:
        """Could the text name anyone? Only after an office or honorific, from a given name
        on, or by a name known already: without a word of them, no one (and the rest of
        the reading is spared)."""
        toks = self.toks
        if any(map(_OPENS, toks)):
            return True
        return bool(self.known_parts) and any(map(self.known_parts.__contains__,
                                                  map(_BARE, toks)))

    def mentions(self) -> list[Mention]:
        if not self.may_name():
            return []
        toks, n = self.toks, self.n
        self.find_countries()
        out: list[Mention] = []
        i = 0
        while i < n:
            t = toks[i]
            if not t.may_open:
                i += 1
                continue
            start = i
            end, head = self.read_office(i)
            j = end
            name_end = self.read_name(j, after_head=head) if j < n else j
            # A name-like run that an office or institution word ends was part of the office
            # ("Iraq's Kurdistan Region ...", "New Orleans Mayor", "Appalachian Regional
            # Commission Federal Co-Chair").
            rounds = 0
            while name_end > j and rounds < 3 and name_end < n and toks[name_end].cap and \
                    not toks[name_end - 1].possessive and toks[name_end].office_go_on:
                end2, head2 = self.read_office(name_end, head, complement=head)
                if end2 <= name_end or end2 >= n:
                    break
                head = head or head2
                j = end2
                name_end = self.read_name(j, after_head=head)
                rounds += 1
            if name_end == j and head and j > start:
                # "Secretary Rice said": a word right after the head is the name at a boundary.
                last = j - 1
                if toks[last].cap and not toks[last].head and self.name_like(last) and \
                        last > start and toks[last - 1].head:
                    j, name_end = last, last + 1
            if name_end > j:
                mention = self._mention(start, j, name_end, head)
                if mention is not None:
                    out.append(mention)
                    i = max(name_end, self._index_at(mention.stated_end))
                    continue
            i = max(i + 1, end)  # office words start no one of their own
        return out

    def _index_at(self, offset: int) -> int:
        """The first token starting at or after ``offset``."""
        return bisect_left(self.starts, offset)

    def _mention(self, start: int, j: int, name_end: int, head: bool) -> Mention | None:
        toks, starts, ends, text = self.toks, self.starts, self.ends, self.text
        name_toks = toks[j:name_end]
        if head:
            start = self._office_begin(start, j)
        # The office's tokens, by index.
        office_at = [k for k in range(start, j) if toks[k].text != ","] if head else []
        while office_at and toks[office_at[0]].plural_head and len(office_at) > 1 and (
                toks[office_at[1]].head or toks[office_at[1]].bare in QUALIFIERS):
            office_at.pop(0)  # "Co-Chairs National Climate Advisor ...": a heading
        while len(office_at) > 1 and toks[office_at[-1]].honorific and \
                not (toks[office_at[-2]].head and toks[office_at[-1]].bare == "general") and \
                any(toks[k].head and not toks[k].honorific for k in office_at[:-1]):
            office_at.pop()  # "... Assistant Secretary for Health Admiral Rachel Levine"
        honorific = any(toks[k].honorific for k in office_at)
        evidence = "office" if head else ""
        if not head:
            if self.known_run(j) >= name_end - j:
                evidence = "known"
            elif name_toks[0].given and len(name_toks) >= 2 and \
                    name_toks[0].bare not in PARTICLES:
                evidence = "given"
            elif len(name_toks) >= 2 and self._apposition(name_end) is not None and \
                    any(t.head for t in toks[name_end:self._index_at(
                        self._apposition(name_end)[1])]):
                evidence = "apposition"  # ", National Security Advisor ...", not ", Myanmar"
            else:
                return None
        name = text[starts[j]:ends[name_end - 1]]
        possessive = name_toks[-1].possessive
        if possessive:
            name = _POSSESSIVE_END.sub("", name)
        if not _TWO_LETTERS.search(name):
            return None
        if evidence == "office" and j > 0 and toks[j - 1].text in ("of", "for", "to", "the", "on") \
                and not name_toks[0].given:
            return None  # "the University of Maine System": an institution's name
        k = name_end  # "Emmett Till and Mamie Till-Mobley National Monument": a thing's name
        n = self.n
        stop = min(n, name_end + 7)
        while k < stop and toks[k].thing_link:
            k += 1
        if k < n and k - name_end <= 6 and toks[k].thing:
            return None
        words = [t for t in name_toks if t.name_word]
        if len(words) == 1 and evidence != "known":
            before = toks[j - 1] if j > 0 else None
            # One word after an office's complement is the complement's ("President of
            # Harvard", "Assistant Secretary for Europe"), unless a department's name ends
            # the office ("Secretary of State Blinken").
            if before is None or not (before.head_or_hon or before.qual):
                return None
            if words[0].word and words[0].bare in self.lower:
                return None  # "Chief Engineer": the word stands in lower case in the text
            if words[0].heading_caps:
                return None  # "CEO", "BIDEN" alone: a heading's capitals
        office_at = [k for k in office_at if toks[k].office_word]
        office = text[starts[office_at[0]]:ends[office_at[-1]]] if office_at else None
        if office and not any(toks[k].head and not (
                toks[k].bare == "lady" and (m == 0 or toks[office_at[m - 1]].bare != "first"))
                for m, k in enumerate(office_at)):
            office = None  # courtesy only: "Dr.", "Sheikh", "Lady"
        role_parts = [office] if office else []
        stated_end = ends[name_end - 1]
        apposition = None if possessive else self._apposition(name_end)
        if apposition is not None:
            role_parts.append(text[apposition[0]:apposition[1]])
            stated_end = apposition[1]
        role = ", ".join(role_parts) or None
        country, country_from = None, None
        if role:
            found = find_countries(role)
            if found:
                country, country_from = found[0][2], "role"
        if country is None and not possessive:
            after = _OF_COUNTRY.match(text, stated_end)
            if after:
                found = find_countries(after.group(1))
                if found and found[0][0] <= 4:
                    country, country_from = found[0][2], "of"
                    stated_end = after.start(1) + found[0][1]
        if country is None and start > 0:
            at = starts[start]
            before_text = text[max(0, at - 40):at]
            found = find_countries(before_text)
            if found and not _POSSESSIVE_START.sub("", before_text[found[-1][1]:]).strip():
                country, country_from = found[-1][2], "before"
        return Mention(
            name=" ".join(name.split()), start=starts[j], end=ends[name_end - 1],
            office=office, role=role, country=country,
            evidence=evidence or ("honorific" if honorific else "office"),
            possessive=possessive, office_start=starts[start] if head else starts[j],
            stated_end=stated_end, country_from=country_from,
            tokens=[t.bare for t in name_toks if t.text != ","])


_POSSESSIVE_END = re.compile(r"'s?$")
_POSSESSIVE_START = re.compile(r"^'s?")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
#: "..., of the Republic of Korea" after a name and its role.
_OF_COUNTRY = re.compile(
    r"\s*,?\s+of\s+((?:the\s+)?[A-Z][\w'.-]*(?:\s+(?:of\s+|the\s+)*[A-Z][\w'.-]*){0,5})")


def find_mentions(text: str, *, headline: bool | Headline = False,
                  known: set[tuple[str, ...]] | None = None,
                  lower: Container[str] = frozenset(),
                  known_parts: dict[str, list[tuple[str, ...]]] | None = None
                  ) -> list[Mention]:
    """Every person ``text`` names, in order (see the module's docstring). ``headline``: the
    text is a Title Case headline, where capitals prove nothing; ``known``: names (as tuples
    of lower-case words) already known to be people's; ``lower``: the words the release
    writes in lower case (a one-word "name" among them is a word: "Chief Engineer");
    ``known_parts``: :func:`known_parts` of ``known``, for a caller reading several texts
    against the same names."""
    return _Reader(plain(text), headline, known or set(), lower, known_parts).mentions()


#: A run of capitalised words and the words joining them ("Secretary of State Antony Blinken",
#: "Jennifer Klein, Assistant to the President and Director of ..."): where names can be.
_RUN = re.compile(
    r"(?=[A-Z\u00C0-\u00DE])(?<!\w)[A-Z\u00C0-\u00DE][\w'.-]*"
    r"(?:(?:,?\s+(?:(?:of|the|for|to|and|on|in|at|de|da|di|du|von|der|van|bin|binti|ibn|al|el|"
    r"del|la|le|y|e|dos|des|ter|den)\s+)*|\s*[-–—(]\s*)(?<!\w)[A-Z\u00C0-\u00DE][\w'.-]*)*")
#: Lower-case words that stand before a name as its office ("le président Biden").
_LOWER_BEFORE = re.compile(r"\b(?:président|présidente|presidente|presidenta|ministre|ministro|"
                           r"vicepresidente|vicepresidenta|premier)\s+$")


def find_mentions_sparse(text: str, *, headline: bool | Headline = False,
                         known: set[tuple[str, ...]] | None = None,
                         lower: Container[str] = frozenset()) -> list[Mention]:
    """:func:`find_mentions`, reading only the stretches of ``text`` where capitals stand
    (with some words either side), not every word of a long body: the same people, found
    several times faster. Offsets are the stretches', not ``text``'s."""
    text = plain(text)
    windows: list[list[int]] = []
    for run in _RUN.finditer(text):
        if " " not in run.group(0):
            # One capitalised word alone names someone only after an office or honorific,
            # which is capitalised too, or in a list of names: "Mr. Biden", "Jill and I".
            # (The lower-case offices all hold "pr" or "mi", and "Jill and I" an "and":
            # without them, no expression need be tried.)
            before = text[max(0, run.start() - 14):run.start()]
            if not (("pr" in before or "mi" in before) and _LOWER_BEFORE.search(before)):
                after = text[run.end():run.end() + 7]
                if "and" not in after or not _AND_I.match(after):
                    continue
        start = text.rfind(" ", 0, max(0, run.start() - 24)) + 1
        end = text.find(" ", min(len(text), run.end() + 12))
        end = len(text) if end < 0 else end
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    out: list[Mention] = []
    known = known or set()
    parts = known_parts(known)
    for start, end in windows:
        out += _Reader(text[start:end], headline, known, lower, parts).mentions()
    return out


_AND_I = re.compile(r"\s+and\s+I\b")
