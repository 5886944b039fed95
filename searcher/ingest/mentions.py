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

>>> [(m.name, m.role) for m in find_mentions("Readout of President Joe Biden Call with Prime Minister Justin Trudeau of Canada", headline=True)]
[('Joe Biden', 'President'), ('Justin Trudeau', 'Prime Minister')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container
from dataclasses import dataclass, field
from operator import attrgetter

from .countries import find_countries
from .lexicon import (
    HONORIFICS,
    NOT_NAMES,
    OFFICE_HEADS,
    PARTICLES,
    QUALIFIERS,
    SUFFIXES,
    WEAK_HONORIFICS,
    bare,
    is_given_name,
    is_word,
)

#: Characters that change nothing a reader sees: read as their plain forms, offsets kept.
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2060": "-", "\u00a0": " ", "\u2011": "-"})
_TOKEN = re.compile(
    r"(?=\S)(?:"  # (no token starts at a space: said first, the search is a fifth faster)
    r"(?:[A-Z]\.){2,}"  # U.S., D.C., H.E.
    r"|[^\W\d_][\w'-]*[^\W_](?:(?<=s)'(?!\w))?\.?|[^\W\d_]\.?"  # words ("Services'")
    r"|\d[\d,.:/-]*\w*"  # numbers
    r"|[^\w\s])"  # punctuation
)
#: Abbreviations whose full stop is their own, not the sentence's.
_ABBREVIATIONS = {"jr", "sr", "dr", "mr", "mrs", "ms", "st", "gen", "adm", "sen", "rep", "gov",
                  "lt", "col", "prof", "rev", "hon", "amb", "sgt", "capt", "maj", "h.e", "u.s",
                  "d.c", "u.k", "e.u", "u.n"}
#: Office words written in lower case in French and Spanish ("le président Biden").
_LOWER_OFFICES = {"président", "présidente", "presidente", "presidenta", "ministre", "ministro",
                  "vicepresidente", "vicepresidenta", "premier"}
#: Ranks and courtesy titles that also open names of things ("General Motors", "Lord's").
_RANKS = {"general", "admiral", "lord", "sir", "dame", "lady", "royal", "major", "colonel",
          "captain", "commander"}
#: What is named after people: a name before one of these is the thing's ("Francis Scott Key
#: Bridge", "John F. Kennedy Profile in Courage Award").
_THINGS = {"monument", "memorial", "award", "awards", "prize", "medal", "scholar", "scholarship",
           "fellowship", "professorship", "bridge", "building", "hall", "museum", "library",
           "park", "highway", "airport", "stadium", "avenue", "street", "boulevard", "square",
           "plaza", "station", "base", "fort", "act", "law", "school", "center", "centre",
           "institute", "foundation", "university", "college", "prize", "day"}
_OF_THINGS = {"national", "international", "presidential", "federal", "historic", "historical",
              "veterans", "memorial"}
#: Bounds, in words, on a name, an office and a role: text that runs on past them is no one's
#: (and a hostile file of a million capitals is read in linear time).
MAX_NAME, MAX_OFFICE = 8, 30
_CONNECTORS = {"of", "the", "for", "to", "and", "on", "in", "at", "'s"}


class Word:
    """A distinct word, number or mark, with what the reader asks of it worked out once for
    all the texts it stands in: a text's tokens are shared ``Word``s (one for every "the")
    and their offsets. The flags the reader asks of every token are set when the word is
    made; the others (:data:`_LAZY`) the first time they are asked for, then kept."""

    __slots__ = ("text", "cap", "alpha", "bare", "initial", "possessive", "upper", "word",
                 "given", "head", "honorific", "head_or_hon", "plural_head", "qual",
                 "name_static", "hon_blocks", "particle", "particle_text", "suffix_name",
                 "weak", "connector", "may_open", "verb", "verb_end", "plain_cap_word",
                 "inst", "office_go_on", "thing_link", "thing", "name_word", "heading_caps",
                 "office_word", "appos_next", "opens")

    def __init__(self, text: str):
        self.text = text
        first = text[:1]
        cap, alpha = first.isupper(), first.isalpha()
        b = bare(text) if alpha else text
        self.cap, self.alpha, self.bare = cap, alpha, b
        self.possessive = text.endswith(("'s", "s'")) and len(text) > 2
        self.connector = text in _CONNECTORS or text == "'s" or text.endswith("s'") and cap
        self.particle = text.lower() in PARTICLES  # "von", "bin"
        self.particle_text = text in PARTICLES
        self.suffix_name = b in SUFFIXES and (cap or text.isupper())  # "Jr.", "II"
        # An office's head ("President", "Co-Chair", "ministre") or what follows one.
        head = self.head = _head(b, cap)
        self.office_go_on = head or b in QUALIFIERS or b in NOT_NAMES and b not in FUNCTION_LIKE
        if cap:
            word, given = self.word, self.given = is_word(text), is_given_name(text)
            honorific = self.honorific = b in HONORIFICS or b.replace(".", "") in {"he", "hrh"}
            institution = b in NOT_NAMES
            function = b in FUNCTION_LIKE
            self.initial = len(text) == 2 and text[1] == "."  # "R."
            self.weak = b in WEAK_HONORIFICS  # "His", "Royal"
            self.qual = b in QUALIFIERS  # "Deputy", "Foreign"
            self.may_open = alpha
            # What of "could start or go on with a name" the word alone decides: none of
            # office, institution or headline word.
            self.name_static = alpha and not (institution or head or b in QUALIFIERS and word
                                              or b in SUFFIXES)
            self.plain_cap_word = alpha and word and not given and not function
            self.inst = institution and not function  # "Commission", "Council"
            self.hon_blocks = honorific and b != "lady"
            self.thing = b in _THINGS
            self.thing_link = text in ("and", "&", "-") or (not word or b in _OF_THINGS) and \
                not (institution or head)
            self.appos_next = head or b in _QUALIFIERS_OR_NOT_NAMES and not function
            self.opens = head or honorific or given
        else:
            honorific = self.honorific = False
            self.initial = self.weak = self.qual = self.name_static = False
            self.plain_cap_word = self.inst = self.hon_blocks = self.thing = False
            self.may_open = alpha and b in _LOWER_OFFICES  # "le président Biden"
            self.thing_link = text in ("and", "&", "-")
            self.appos_next = head
            # A name starts at a capital (or an initial, or a name known already), and a
            # given name counts only there: in lower case only an office opens a mention.
            self.opens = head
        self.head_or_hon = head or honorific

    def __getattr__(self, name: str) -> bool:
        flag = _LAZY.get(name)
        if flag is None:
            raise AttributeError(name)
        value = flag(self)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


def _head(b: str, cap: bool) -> bool:
    """Is the word (``b``: its bare form) an office's head: "President", "Co-Chair",
    "ministre"?"""
    if b.startswith("co-") and len(b) > 3:
        b = b[3:]  # "Co-Director", "Co-Chair"
    if cap or b in _LOWER_OFFICES:
        return b in OFFICE_HEADS or b.rstrip("s") in OFFICE_HEADS or b in _LOWER_OFFICES
    return False


#: How the flags a :class:`Word` is not made with are worked out, when asked for.
_LAZY = {
    "upper": lambda w: w.text.isupper() and sum(c.isalpha() for c in w.text) >= 2,
    "word": lambda w: is_word(w.text),
    "given": lambda w: is_given_name(w.text),
    # "Co-Chairs", "Leaders": an office in the plural, a heading over the offices after it.
    "plural_head": lambda w: w.bare.endswith("s") and w.bare not in OFFICE_HEADS and
    w.bare[:-1] in OFFICE_HEADS,
    "verb": lambda w: w.bare.endswith("s") and (is_word(w.bare[:-1]) or is_word(w.bare[:-2])),
    "verb_end": lambda w: _VERB_END.search(w.bare) is not None,
    "name_word": lambda w: w.alpha and not w.initial and w.bare not in SUFFIXES,
    "heading_caps": lambda w: w.upper and len(w.text) <= 5 and not w.text.isalpha() or
    w.upper and w.word,  # "CEO", "BIDEN" alone
    "office_word": lambda w: (not w.honorific or w.head) and w.bare not in (
        "his", "her", "majesty", "excellency", "highness", "royal"),
}
_VERB_END = re.compile(r"(?:ed|ing|es|s)$")

#: Every word read so far that is one token as matched ("the", "Biden"), and those that are
#: two ("Biden." ending a sentence: "Biden" and its full stop), at most _WORDS_MAX of them.
_ONE: dict[str, Word] = {}
_TWO: dict[str, tuple[Word, Word]] = {}
_WORDS_MAX = 100_000
_GROUP, _START, _END = re.Match.group, re.Match.start, re.Match.end
_OPENS, _BARE = attrgetter("opens"), attrgetter("bare")


def _single(text: str) -> Word:
    """The word of a token that is never split (no full stop at its end, or only one)."""
    found = _ONE.get(text)
    if found is None:
        found = _ONE[text] = Word(text)
    return found


def tokens(text: str) -> tuple[list[Word], list[int], list[int]]:
    """The words, numbers and marks of ``text`` (a full stop ending a sentence its own
    token, an abbreviation's kept), with the start and end of each. (Matches are turned
    into words by ``map`` over dictionaries, no Python code run a token: a word seen before
    costs a look-up.)"""
    matches = list(_TOKEN.finditer(text))
    words = list(map(_GROUP, matches))
    toks = list(map(_ONE.get, words))
    starts = list(map(_START, matches))
    ends = list(map(_END, matches))
    if None not in toks:
        return toks, starts, ends  # type: ignore[return-value]
    if len(_ONE) >= _WORDS_MAX or len(_TWO) >= _WORDS_MAX:
        _ONE.clear()
        _TWO.clear()
    missing = []
    k = -1
    try:
        while True:
            k = toks.index(None, k + 1)
            missing.append(k)
    except ValueError:
        pass
    for k in reversed(missing):
        word = words[k]
        two = _TWO.get(word)
        if two is None and word.endswith(".") and len(word) > 2 and word.count(".") == 1 and \
                word[:-1].lower() not in _ABBREVIATIONS:
            two = _TWO[word] = (_single(word[:-1]), _single("."))  # the sentence's full stop
        if two is None:
            toks[k] = _single(word)
        else:
            start, end = starts[k], ends[k]
            toks[k:k + 1] = two
            starts[k:k + 1] = (start, end - 1)
            ends[k:k + 1] = (end - 1, end)
    return toks, starts, ends  # type: ignore[return-value]


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


class _Reader:
    """One pass over a text's tokens, finding mentions left to right."""

    def __init__(self, text: str, headline: bool | Headline, known: set[tuple[str, ...]],
                 lower: Container[str] = frozenset(),
                 parts: dict[str, list[tuple[str, ...]]] | None = None):
        self.lower = lower
        self.text = text
        self.toks, self.starts, self.ends = tokens(text)
        self.n = len(self.toks)
        self.headline = headline
        self.known = known
        self.known_parts = known_parts(known) if parts is None else parts
        self.countries: dict[int, str] = {}
        self._appositions: dict[int, tuple[int, int] | None] = {}

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
        if not self.known_parts:
            return 0
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

    # -- reading an office ---------------------------------------------------------------
    def read_office(self, i: int, head: bool = False, complement: bool = False
                    ) -> tuple[int, bool]:
        """(end, holds a head or honorific) of the office words starting at ``i`` (``head``,
        ``complement``: what the office read so far holds)."""
        toks, n, countries = self.toks, self.n, self.countries
        j = i
        while j < n and j - i < MAX_OFFICE:
            t = toks[j]
            if t.weak:
                if j + 1 < n and toks[j + 1].head_or_hon:
                    j += 1  # "His Excellency", "Her Majesty Queen ..."
                    continue
                break
            if t.head_or_hon:
                head, complement = True, False
                j += 1
                if t.possessive:  # "the President's Commitment": his, not a name
                    return j, False
                continue
            if t.qual or j in countries:
                j += 1
                continue
            if t.connector:
                # "Secretary of Energy", "Assistant to the President and Director of ...";
                # "on", "in", "at" after an institution only ("Council on Environmental
                # Quality"), never after an office ("the President on Withdrawal of ...").
                if t.text in ("on", "in", "at") and j > i and (
                        toks[j - 1].head or toks[j - 1].bare not in NOT_NAMES):
                    break
                if j + 1 < n and (toks[j + 1].cap or toks[j + 1].text == "the"):
                    complement = complement or t.text in ("of", "for", "to", "on", "in")
                    j += 1
                    continue
                break
            if t.text == "," and head and j + 1 < n:
                nxt = toks[j + 1] if toks[j + 1].text != "and" else (
                    toks[j + 2] if j + 2 < n else None)
                if nxt is not None and (nxt.head or nxt.qual):
                    j += 1  # "Assistant to the President, Senior Advisor ..."
                    continue
                if complement and j + 1 < n and toks[j + 1].cap and self.name_like(j + 1):
                    return j + 1, head  # "Finance Minister of Ukraine, Sergii Marchenko"
                break
            if t.plain_cap_word and (complement or not head):
                j += 1  # "of the Office of Personnel Management", "Centers ... Administrator"
                continue
            if t.alpha and t.inst:
                j += 1  # institution words: "Commission", "Council"
                continue
            break
        return j, head

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
        self.countries = _country_tokens(self.text, toks, self.starts, self.ends)
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

    def _office_begin(self, start: int, j: int) -> int:
        """Where the office words before the name at ``j`` begin: at its first head or
        honorific, or before it at the qualifiers, countries and institution names chained
        to it ("ROK National Security Advisor", "Centers for Medicare and Medicaid Services
        Administrator"), never at words before an honorific ("... the Inauguration of His
        Excellency")."""
        toks, countries = self.toks, self.countries
        first = next((k for k in range(start, j) if toks[k].head_or_hon), start)
        if toks[first].honorific and not toks[first].head or toks[first].bare in ("his", "her"):
            return first
        k = first
        while k > max(start, first - MAX_OFFICE):
            t = toks[k - 1]
            if t.cap and (t.bare in QUALIFIERS or countries.get(k - 1) or t.inst
                          or self.name_like(k - 1) and not t.word):
                k -= 1
                continue
            if t.text in ("of", "for", "and", "the", "'s", "on") and k - 1 > start and (
                    toks[k - 2].cap or toks[k - 2].text in ("of", "for", "the")) \
                    and not toks[k].head or t.text == "'s":
                k -= 1
                continue
            if t.cap and t.word and k - 1 > start and \
                    toks[k - 2].text in ("of", "for", "and", "on") and \
                    (toks[k].head or toks[k].bare in QUALIFIERS):
                k -= 1  # "Office of Management and Budget Chief Economist"
                continue
            if t.cap and t.word and k < j and toks[k].text in ("of", "for", "and") and \
                    not (toks[k + 1] if k + 1 < j else toks[k]).head and \
                    toks[k + 1].text != "the" or t.cap and t.word and toks[k].inst:
                k -= 1  # "Centers for Medicare", "Personnel Management"
                continue
            if t.cap and t.word and not t.head and t.bare not in FUNCTION_LIKE:
                run = k - 1  # "Small Business Administrator": a list's item, whole
                while run > start and toks[run - 1].cap and toks[run - 1].word and \
                        toks[run - 1].bare not in FUNCTION_LIKE and not toks[run - 1].head:
                    run -= 1
                if run == 0 or toks[run - 1].text in (",", "and", ";", "(", ":"):
                    k = run
                break
            break
        while k < first and (toks[k].text in _CONNECTORS or toks[k].bare in FUNCTION_LIKE):
            k += 1
        return k

    def _apposition(self, k: int) -> tuple[int, int] | None:
        """The role after a name: ", National Security Advisor to the Prime Minister of the
        Czech Republic" (character span), if one follows at token ``k``."""
        try:
            return self._appositions[k]
        except KeyError:
            found = self._appositions[k] = self._read_apposition(k)
            return found

    def _read_apposition(self, k: int) -> tuple[int, int] | None:
        toks, n = self.toks, self.n
        if k + 1 >= n or toks[k].text != ",":
            return None
        f = k + 1
        if toks[f].text == "the":
            if k + 2 >= n:
                return None
            f = k + 2
        first = toks[f]
        if not (first.head or first.qual or self.countries.get(f) is not None):
            return None
        j = f
        office_end, _ = self.read_office(j)
        if office_end < n and self.read_name(office_end, after_head=True) > office_end:
            return None  # ", Leader McConnell": the next person, not a role
        end = j
        while j < min(n, f + MAX_OFFICE):
            t = toks[j]
            if t.text == "," or t.text == "and" and j + 1 < n and self.starts_name(j + 1):
                nxt = j + 1 + (j + 1 < n and toks[j + 1].text == "and")
                if nxt < n:
                    office_end, has_head = self.read_office(nxt)
                    if has_head and office_end < n and office_end > nxt and \
                            self.read_name(office_end, after_head=True) > office_end:
                        break  # ", Foreign Secretary Harsh V. Shringla": the next person
                if t.text == "," and nxt < n and toks[nxt].appos_next:
                    j = nxt
                    continue
                break
            if t.cap and t.alpha and t.head and j + 1 < n and \
                    self.read_name(j + 1, after_head=True) > j + 1 and toks[j + 1].cap and \
                    not toks[j + 1].head:
                # "..., Foreign Minister and Alternate Prime Minister Lapid": an office and
                # a name, the next person's, run on without a comma.
                b = self._office_begin(f, j + 1)
                while b > f and toks[b - 1].text in ("and", ",", "the"):
                    b -= 1
                end = min(end, b) if b > f else f
                break
            if t.cap and t.alpha:
                if t.upper and not toks[k - 1].upper and len(t.text) > 3 and \
                        self.countries.get(j) is None:
                    break  # "SUBJECT:"
                if t.given and j + 1 < n and toks[j + 1].cap and \
                        not toks[j + 1].word and not toks[j + 1].head:
                    break  # the next person: "... Budget Kevin Hassett, Assistant ..."
                end = j + 1
                j += 1
                continue
            if t.text in _CONNECTORS or t.text in ("-", "'s", "'"):
                j += 1
                continue
            break
        if end <= f:
            return None
        return self.starts[f], self.ends[end - 1]


def known_parts(known: set[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Every tail of every known name, by its first word: "biden", "joe biden", ..."""
    parts: dict[str, list[tuple[str, ...]]] = {}
    for name in known:
        for off in range(len(name)):
            parts.setdefault(name[off], []).append(name[off:])
    return parts


_POSSESSIVE_END = re.compile(r"'s?$")
_POSSESSIVE_START = re.compile(r"^'s?")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
#: "..., of the Republic of Korea" after a name and its role.
_OF_COUNTRY = re.compile(
    r"\s*,?\s+of\s+((?:the\s+)?[A-Z][\w'.-]*(?:\s+(?:of\s+|the\s+)*[A-Z][\w'.-]*){0,5})")


#: Words in NOT_NAMES that are a headline's function words, not an institution's.
FUNCTION_LIKE = {"the", "on", "with", "and", "of", "for", "in", "to", "at", "a", "an", "his",
                 "her", "their", "our", "its", "who", "are", "is", "was", "were", "will", "can",
                 "has", "have", "today", "tonight", "yesterday", "tomorrow", "i", "we", "you",
                 "he", "she", "they", "it", "this", "that", "these", "those", "as", "by",
                 "from", "after", "before", "during", "upon", "under", "over", "following",
                 "ahead", "when", "while", "since", "where", "which", "what", "how", "why",
                 "both", "all", "each", "readout", "statement", "statements", "remarks",
                 "fact", "sheet", "memorandum", "memo", "letter", "message", "proclamation",
                 "meeting", "meetings", "call", "calls", "conversation", "visit", "trip",
                 "icymi", "no", "not", "via", "per", "mister", "january", "february",
                 "march", "april", "june", "july", "august", "september", "october",
                 "november", "december", "monday", "tuesday", "wednesday", "thursday",
                 "friday", "saturday", "sunday", "day", "week", "month", "year", "joint",
                 "declaration", "trilateral", "bilateral", "summit", "new"}
_QUALIFIERS_OR_NOT_NAMES = QUALIFIERS | NOT_NAMES


def plain(text: str) -> str:
    """``text`` with typographic quotes, no-break spaces and word joiners in plain form,
    offsets unchanged."""
    return text.translate(_PLAIN)


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
_LOWER_WORD = re.compile(r"\b[a-z][a-z'-]+\b")


def lower_words(texts: list[str]) -> frozenset[str]:
    """The words ``texts`` write in lower case."""
    found: set[str] = set()
    for text in texts:
        found.update(_LOWER_WORD.findall(text))
    return frozenset(found)


class LowerWords:
    """:func:`lower_words` of ``texts``, read the first time a word is looked up in them (the
    reader does so for one release in five or so)."""

    __slots__ = ("_texts", "_words")

    def __init__(self, texts: list[str]):
        self._texts, self._words = texts, None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = lower_words(self._texts)
        return word in self._words


class Headline:
    """Whether ``text`` is a Title Case headline (:func:`is_headline`), read the first time
    it is asked (the reader asks of few texts: a word in a name, at its end)."""

    __slots__ = ("_text", "_value")

    def __init__(self, text: str):
        self._text, self._value = text, None

    def __bool__(self) -> bool:
        if self._value is None:
            self._value = is_headline(self._text)
        return self._value


_HEADLINE_WORD = re.compile(r"[^\W\d_][\w'-]*")
#: Words a Title Case headline leaves in lower case.
_MINOR = frozenset({"of", "the", "and", "to", "for", "on", "in", "at", "by", "with", "a", "an",
                    "from", "as", "or", "between", "de", "la", "le", "del", "des", "du", "sur",
                    "les", "et", "el", "y", "en"})
#: Word -> 1 (a minor word), 2 (other, capitalised) or 3 (other, not), for every word seen
#: (at most _CASES_MAX, then forgotten).
_CASES: dict[str, int] = {}
_CASES_MAX = 100_000


def is_headline(text: str) -> bool:
    """Title Case: most words that are not function words begin with a capital."""
    words = _HEADLINE_WORD.findall(text)
    cases = list(map(_CASES.get, words))  # no Python code run a word seen before
    if None in cases:
        if len(_CASES) >= _CASES_MAX:
            _CASES.clear()
        k = -1
        try:
            while True:
                k = cases.index(None, k + 1)
                word = words[k]
                cases[k] = _CASES[word] = 1 if word.lower() in _MINOR else \
                    2 if word[0].isupper() else 3
        except ValueError:
            pass
    capitals = cases.count(2)
    others = capitals + cases.count(3)
    if others < 3:
        return True
    return capitals >= 0.7 * others
