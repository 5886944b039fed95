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
from dataclasses import dataclass, field

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
    r"(?:[A-Z]\.){2,}"  # U.S., D.C., H.E.
    r"|[^\W\d_][\w'-]*[^\W_](?:(?<=s)'(?!\w))?\.?|[^\W\d_]\.?"  # words ("Services'")
    r"|\d[\d,.:/-]*\w*"  # numbers
    r"|[^\w\s]"  # punctuation
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


class Token:
    """A word, number or mark of a text, with what the readers ask of it worked out once."""

    __slots__ = ("text", "start", "end", "cap", "alpha", "bare")

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        first = text[:1]
        self.cap, self.alpha = first.isupper(), first.isalpha()
        self.bare = bare(text) if self.alpha else text

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"

    @property
    def initial(self) -> bool:  # "R."
        return len(self.text) == 2 and self.text[0].isupper() and self.text[1] == "."

    @property
    def possessive(self) -> bool:
        return self.text.endswith(("'s", "s'")) and len(self.text) > 2

    @property
    def upper(self) -> bool:
        return self.text.isupper() and sum(c.isalpha() for c in self.text) >= 2


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if word.endswith(".") and len(word) > 2 and word.count(".") == 1 and \
                word[:-1].lower() not in _ABBREVIATIONS:
            out.append(Token(word[:-1], m.start(), m.end() - 1))  # the sentence's full stop
            out.append(Token(".", m.end() - 1, m.end()))
        else:
            out.append(Token(word, m.start(), m.end()))
    return out


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


def _country_tokens(text: str, toks: list[Token]) -> dict[int, str]:
    """Token index -> the country the token is part of the name of."""
    out: dict[int, str] = {}
    spans = find_countries(text)
    if not spans:
        return out
    import bisect

    starts = [t.start for t in toks]
    for start, end, name in spans:
        k = bisect.bisect_left(starts, start)
        while k < len(toks) and toks[k].end <= end + 2:  # "U.S.", "Japan's"
            if toks[k].alpha:
                out[k] = name
            k += 1
    return out


def _is_head(t: Token) -> bool:
    b = t.bare
    if b.startswith("co-") and len(b) > 3:
        b = b[3:]  # "Co-Director", "Co-Chair"
    if t.cap or b in _LOWER_OFFICES:
        return b in OFFICE_HEADS or b.rstrip("s") in OFFICE_HEADS or b in _LOWER_OFFICES
    return False


def _plural_head(t: Token) -> bool:
    """ "Co-Chairs", "Leaders": an office in the plural, a heading over the offices after it."""
    return t.bare.endswith("s") and t.bare not in OFFICE_HEADS and t.bare[:-1] in OFFICE_HEADS


def _is_honorific(t: Token) -> bool:
    return t.cap and (t.bare in HONORIFICS or t.bare.replace(".", "") in {"he", "hrh"})


class _Reader:
    """One pass over a text's tokens, finding mentions left to right."""

    def __init__(self, text: str, headline: bool, known: set[tuple[str, ...]],
                 lower: frozenset[str] = frozenset()):
        self.lower = lower
        self.text = text
        self.toks = tokens(text)
        self.headline = headline
        self.known = known
        self.countries = _country_tokens(text, self.toks)
        self.starts = [t.start for t in self.toks]
        # Every tail of every known name, by its first word: "biden", "joe biden", ...
        self.known_parts: dict[str, list[tuple[str, ...]]] = {}
        for name in known:
            for off in range(len(name)):
                self.known_parts.setdefault(name[off], []).append(name[off:])

    # -- what a token is -----------------------------------------------------------------
    def country(self, i: int) -> str | None:
        return self.countries.get(i)

    def name_like(self, i: int) -> bool:
        """Could start or go on with a name: capitalised and none of office, honorific,
        country, institution or headline word."""
        t = self.toks[i]
        if not t.cap or not t.alpha or t.initial and False:
            return False
        b = t.bare
        if b in NOT_NAMES or _is_head(t) or b in QUALIFIERS and is_word(t.text) or \
                self.country(i) or b in SUFFIXES:
            return False
        return not (_is_honorific(t) and b not in {"lady"} and i + 1 < len(self.toks)
                    and self.toks[i + 1].cap)

    def starts_name(self, i: int) -> bool:
        """A name plainly starts at ``i``: a name-like word that is no English word, or a
        given name before one."""
        toks = self.toks
        if i >= len(toks) or not self.name_like(i):
            return False
        if not is_word(toks[i].text):
            return True
        return is_given_name(toks[i].text) and i + 1 < len(toks) and self.name_like(i + 1) \
            and not is_word(toks[i + 1].text)

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
        toks, n = self.toks, len(self.toks)
        known = self.known_run(i)
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
            if t.bare in SUFFIXES and j > i and (t.cap or t.text.isupper()):
                j += 1
                continue
            if t.text.lower() in PARTICLES and j > i:
                k = j  # "von der Leyen", "bin Abdulrahman"
                while k < n and toks[k].text.lower() in PARTICLES:
                    k += 1
                if k < n and k - j <= 3 and toks[k].cap and self.name_like(k):
                    j = k
                    continue
            if not self.name_like(j):
                break
            if is_word(t.text) and not self._word_in_name(i, j, after_head):
                break
            j += 1
            if t.possessive:
                break
        while j > i and toks[j - 1].text in PARTICLES:
            j -= 1
        return j

    def _word_in_name(self, i: int, j: int, after_head: bool) -> bool:
        """May the English word at ``j`` stand in the name begun at ``i``? At its end, when
        what follows shows the name ends there ("Governor Charlie Baker (R-MA)", "Secretary
        Rice said"), or right after a given name ("Melania Trump"); a given name that is a
        word ("Rob Shriver") when a name-like word follows."""
        toks, n = self.toks, len(self.toks)
        t = toks[j]
        nxt = toks[j + 1] if j + 1 < n else None
        if j == i and is_given_name(t.text) and nxt is not None and nxt.cap and \
                self.name_like(j + 1) and not is_word(nxt.text):
            return True
        verb = t.bare.endswith("s") and (is_word(t.bare[:-1]) or is_word(t.bare[:-2]))
        if j == i + 1 and is_given_name(toks[i].text) and not is_word(toks[i].text) and not verb:
            return True  # "Melania Trump", not "Harris Launches"
        if j == i and nxt is not None and nxt.initial and j + 2 < n and toks[j + 2].cap and \
                not is_word(toks[j + 2].text):
            return True  # "Harsh V. Shringla"
        if j == i and not after_head:
            return False
        if j > i and not (is_given_name(toks[j - 1].text) or toks[j - 1].initial) and \
                re.search(r"(?:ed|ing|es|s)$", t.bare):
            return False  # "President Biden Signed an executive order": a verb, capitalised
        ends = nxt is None or not nxt.alpha and not nxt.text[0].isdigit() or (
            not nxt.cap and (not self.headline or nxt.text == "of" and j + 2 < n
                             and self.country(j + 2) is not None))
        if j == i and i > 0 and toks[i - 1].bare in _RANKS:
            return False  # "General Motors": after a rank, a name is no English word
        return ends and not t.possessive or t.possessive and (j > i or after_head)

    # -- reading an office ---------------------------------------------------------------
    def read_office(self, i: int, head: bool = False, complement: bool = False
                    ) -> tuple[int, bool]:
        """(end, holds a head or honorific) of the office words starting at ``i`` (``head``,
        ``complement``: what the office read so far holds)."""
        toks, n = self.toks, len(self.toks)
        j = i
        while j < n and j - i < MAX_OFFICE:
            t = toks[j]
            if t.cap and t.bare in WEAK_HONORIFICS:
                nxt = toks[j + 1] if j + 1 < n else None
                if nxt is not None and (_is_head(nxt) or _is_honorific(nxt)):
                    j += 1  # "His Excellency", "Her Majesty Queen ..."
                    continue
                break
            if _is_head(t) or _is_honorific(t):
                head, complement = True, False
                j += 1
                if t.possessive:  # "the President's Commitment": his, not a name
                    return j, False
                continue
            if t.bare in QUALIFIERS and t.cap or self.country(j) is not None:
                j += 1
                continue
            if t.text in _CONNECTORS or t.text == "'s" or t.text.endswith("s'") and t.cap:
                # "Secretary of Energy", "Assistant to the President and Director of ...";
                # "on", "in", "at" after an institution only ("Council on Environmental
                # Quality"), never after an office ("the President on Withdrawal of ...").
                if t.text in ("on", "in", "at") and j > i and (
                        _is_head(toks[j - 1]) or toks[j - 1].bare not in NOT_NAMES):
                    break
                if j + 1 < n and (toks[j + 1].cap or toks[j + 1].text == "the"):
                    complement = complement or t.text in ("of", "for", "to", "on", "in")
                    j += 1
                    continue
                break
            if t.text == "," and head and j + 1 < n:
                nxt = toks[j + 1] if toks[j + 1].text != "and" else (
                    toks[j + 2] if j + 2 < n else None)
                if nxt is not None and (_is_head(nxt) or nxt.bare in QUALIFIERS and nxt.cap):
                    j += 1  # "Assistant to the President, Senior Advisor ..."
                    continue
                if complement and j + 1 < n and toks[j + 1].cap and self.name_like(j + 1):
                    return j + 1, head  # "Finance Minister of Ukraine, Sergii Marchenko"
                break
            if t.cap and t.alpha and (complement or not head) and is_word(t.text) and \
                    not is_given_name(t.text) and t.bare not in FUNCTION_LIKE:
                j += 1  # "of the Office of Personnel Management", "Centers ... Administrator"
                continue
            if t.cap and t.alpha and t.bare in NOT_NAMES and t.bare not in FUNCTION_LIKE:
                j += 1  # institution words: "Commission", "Council"
                continue
            break
        return j, head

    # -- the whole scan ------------------------------------------------------------------
    def mentions(self) -> list[Mention]:
        toks, n = self.toks, len(self.toks)
        out: list[Mention] = []
        i = 0
        while i < n:
            t = toks[i]
            if not t.alpha or not (t.cap or t.bare in _LOWER_OFFICES):
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
                    not toks[name_end - 1].possessive \
                    and (_is_head(toks[name_end]) or toks[name_end].bare in QUALIFIERS
                         or toks[name_end].bare in NOT_NAMES
                         and toks[name_end].bare not in FUNCTION_LIKE):
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
                if toks[last].cap and not _is_head(toks[last]) and self.name_like(last) and \
                        last > start and _is_head(toks[last - 1]):
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
        import bisect

        return bisect.bisect_left(self.starts, offset)

    def _mention(self, start: int, j: int, name_end: int, head: bool) -> Mention | None:
        toks = self.toks
        name_toks = toks[j:name_end]
        if head:
            start = self._office_begin(start, j)
        office_toks = [t for t in toks[start:j] if t.text != ","] if head else []
        while office_toks and _plural_head(office_toks[0]) and len(office_toks) > 1 and (
                _is_head(office_toks[1]) or office_toks[1].bare in QUALIFIERS):
            office_toks.pop(0)  # "Co-Chairs National Climate Advisor ...": a heading
        while len(office_toks) > 1 and _is_honorific(office_toks[-1]) and \
                not (_is_head(office_toks[-2]) and office_toks[-1].bare == "general") and \
                any(_is_head(t) and not _is_honorific(t) for t in office_toks[:-1]):
            office_toks.pop()  # "... Assistant Secretary for Health Admiral Rachel Levine"
        honorific = any(_is_honorific(t) for t in office_toks)
        evidence = "office" if head else ""
        if not head:
            if self.known_run(j) >= name_end - j:
                evidence = "known"
            elif is_given_name(name_toks[0].text) and len(name_toks) >= 2 and \
                    name_toks[0].bare not in PARTICLES:
                evidence = "given"
            elif len(name_toks) >= 2 and self._apposition(name_end) is not None and \
                    any(_is_head(t) for t in self.toks[name_end:self._index_at(
                        self._apposition(name_end)[1])]):
                evidence = "apposition"  # ", National Security Advisor ...", not ", Myanmar"
            else:
                return None
        name = self.text[name_toks[0].start:name_toks[-1].end]
        possessive = name_toks[-1].possessive
        if possessive:
            name = re.sub(r"'s?$", "", name)
        if not re.search(r"[^\W\d_]{2}", name):
            return None
        if evidence == "office" and j > 0 and toks[j - 1].text in ("of", "for", "to", "the", "on") \
                and not is_given_name(name_toks[0].text):
            return None  # "the University of Maine System": an institution's name
        k = name_end  # "Emmett Till and Mamie Till-Mobley National Monument": a thing's name
        while k < min(len(toks), name_end + 7) and (toks[k].text in ("and", "&", "-") or toks[k].cap and (
                not is_word(toks[k].text) or toks[k].bare in _OF_THINGS) and
                not (toks[k].bare in NOT_NAMES or _is_head(toks[k]))):
            k += 1
        if k < len(toks) and k - name_end <= 6 and toks[k].cap and toks[k].bare in _THINGS:
            return None
        words = [t for t in name_toks if t.alpha and not t.initial and t.bare not in SUFFIXES]
        if len(words) == 1 and evidence != "known":
            before = toks[j - 1] if j > 0 else None
            # One word after an office's complement is the complement's ("President of
            # Harvard", "Assistant Secretary for Europe"), unless a department's name ends
            # the office ("Secretary of State Blinken").
            if before is None or not (_is_head(before) or _is_honorific(before) or
                                      before.bare in QUALIFIERS and before.cap):
                return None
            if is_word(words[0].text) and words[0].bare in self.lower:
                return None  # "Chief Engineer": the word stands in lower case in the text
            if words[0].upper and len(words[0].text) <= 5 and not words[0].text.isalpha() or \
                    words[0].upper and is_word(words[0].text):
                return None  # "CEO", "BIDEN" alone: a heading's capitals
        office_words = [t for t in office_toks if not _is_honorific(t) or _is_head(t)]
        office_words = [t for t in office_words if t.bare not in ("his", "her", "majesty",
                                                                     "excellency", "highness",
                                                                     "royal")]
        office = self.text[office_words[0].start:office_words[-1].end] if office_words else None
        heads = [t for k, t in enumerate(office_words) if _is_head(t) and not (
            t.bare == "lady" and (k == 0 or office_words[k - 1].bare != "first"))]
        if office and not heads:
            office = None  # courtesy only: "Dr.", "Sheikh", "Lady"
        role_parts = [office] if office else []
        stated_end = name_toks[-1].end
        apposition = None if possessive else self._apposition(name_end)
        if apposition is not None:
            role_parts.append(self.text[apposition[0]:apposition[1]])
            stated_end = apposition[1]
        role = ", ".join(role_parts) or None
        country, country_from = None, None
        if role:
            found = [c for s, e, c in find_countries(role)]
            if found:
                country, country_from = found[0], "role"
        if country is None and not possessive:
            after = re.match(r"\s*,?\s+of\s+((?:the\s+)?[A-Z][\w'.-]*(?:\s+(?:of\s+|the\s+)*[A-Z][\w'.-]*){0,5})",
                             self.text[stated_end:])
            if after:
                found = find_countries(after.group(1))
                if found and found[0][0] <= 4:
                    country, country_from = found[0][2], "of"
                    stated_end += after.start(1) + found[0][1]
        if country is None and start > 0:
            before = self.text[max(0, toks[start].start - 40):toks[start].start]
            found = find_countries(before)
            if found and not re.sub(r"^'s?", "", before[found[-1][1]:]).strip():
                country, country_from = found[-1][2], "before"
        return Mention(
            name=" ".join(name.split()), start=name_toks[0].start, end=name_toks[-1].end,
            office=office, role=role, country=country,
            evidence=evidence or ("honorific" if honorific else "office"),
            possessive=possessive, office_start=toks[start].start if head else name_toks[0].start,
            stated_end=stated_end, country_from=country_from,
            tokens=[t.bare for t in name_toks if t.text != ","])

    def _office_begin(self, start: int, j: int) -> int:
        """Where the office words before the name at ``j`` begin: at its first head or
        honorific, or before it at the qualifiers, countries and institution names chained
        to it ("ROK National Security Advisor", "Centers for Medicare and Medicaid Services
        Administrator"), never at words before an honorific ("... the Inauguration of His
        Excellency")."""
        toks = self.toks
        first = next((k for k in range(start, j) if _is_head(toks[k]) or _is_honorific(toks[k])),
                     start)
        if _is_honorific(toks[first]) and not _is_head(toks[first]) or \
                toks[first].bare in ("his", "her"):
            return first
        k = first
        while k > max(start, first - MAX_OFFICE):
            t = toks[k - 1]
            institution = t.cap and t.bare in NOT_NAMES and t.bare not in FUNCTION_LIKE
            if t.cap and (t.bare in QUALIFIERS or self.country(k - 1) or institution
                          or self.name_like(k - 1) and not is_word(t.text)):
                k -= 1
                continue
            if t.text in ("of", "for", "and", "the", "'s", "on") and k - 1 > start and (
                    toks[k - 2].cap or toks[k - 2].text in ("of", "for", "the")) \
                    and not _is_head(toks[k]) or t.text == "'s":
                k -= 1
                continue
            if t.cap and is_word(t.text) and k - 1 > start and \
                    toks[k - 2].text in ("of", "for", "and", "on") and \
                    (_is_head(toks[k]) or toks[k].bare in QUALIFIERS):
                k -= 1  # "Office of Management and Budget Chief Economist"
                continue
            if t.cap and is_word(t.text) and k < j and toks[k].text in ("of", "for", "and") and \
                    not _is_head(toks[k + 1] if k + 1 < j else toks[k]) and \
                    toks[k + 1].text != "the" or t.cap and is_word(t.text) and \
                    toks[k].cap and toks[k].bare in NOT_NAMES and \
                    toks[k].bare not in FUNCTION_LIKE:
                k -= 1  # "Centers for Medicare", "Personnel Management"
                continue
            if t.cap and is_word(t.text) and not _is_head(t) and t.bare not in FUNCTION_LIKE:
                run = k - 1  # "Small Business Administrator": a list's item, whole
                while run > start and toks[run - 1].cap and is_word(toks[run - 1].text) and \
                        toks[run - 1].bare not in FUNCTION_LIKE and not _is_head(toks[run - 1]):
                    run -= 1
                if run == 0 or toks[run - 1].text in (",", "and", ";", "(", ":"):
                    k = run
                break
            break
        while k < first and (toks[k].text in _CONNECTORS or toks[k].bare in FUNCTION_LIKE):
            k += 1
        return k

    def _plain(self, k: int) -> bool:
        """A plain word standing before an office ("Announces Former ... Mayor"), not one of
        its words."""
        t = self.toks[k]
        return is_word(t.text) and not _is_head(t) and t.bare not in QUALIFIERS and \
            t.bare not in NOT_NAMES and self.country(k) is None

    def _apposition(self, k: int) -> tuple[int, int] | None:
        """The role after a name: ", National Security Advisor to the Prime Minister of the
        Czech Republic" (character span), if one follows at token ``k``."""
        toks, n = self.toks, len(self.toks)
        if k + 1 >= n or toks[k].text != ",":
            return None
        f = k + 1
        if toks[f].text == "the":
            if k + 2 >= n:
                return None
            f = k + 2
        first = toks[f]
        if not (_is_head(first) or first.bare in QUALIFIERS and first.cap or
                self.country(f) is not None):
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
                if t.text == "," and nxt < n and (_is_head(toks[nxt]) or toks[nxt].cap and
                                                  toks[nxt].bare in QUALIFIERS | NOT_NAMES
                                                  and toks[nxt].bare not in FUNCTION_LIKE):
                    j = nxt
                    continue
                break
            if t.cap and t.alpha and _is_head(t) and j + 1 < n and \
                    self.read_name(j + 1, after_head=True) > j + 1 and toks[j + 1].cap and \
                    not _is_head(toks[j + 1]):
                # "..., Foreign Minister and Alternate Prime Minister Lapid": an office and
                # a name, the next person's, run on without a comma.
                b = self._office_begin(f, j + 1)
                while b > f and toks[b - 1].text in ("and", ",", "the"):
                    b -= 1
                end = min(end, b) if b > f else f
                break
            if t.cap and t.alpha:
                if t.upper and not toks[k - 1].upper and len(t.text) > 3 and \
                        self.country(j) is None:
                    break  # "SUBJECT:"
                if is_given_name(t.text) and j + 1 < n and toks[j + 1].cap and \
                        not is_word(toks[j + 1].text) and not _is_head(toks[j + 1]):
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
        return toks[f].start, toks[end - 1].end


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


def plain(text: str) -> str:
    """``text`` with typographic quotes, no-break spaces and word joiners in plain form,
    offsets unchanged."""
    return text.translate(_PLAIN)


def find_mentions(text: str, *, headline: bool = False,
                  known: set[tuple[str, ...]] | None = None,
                  lower: frozenset[str] = frozenset()) -> list[Mention]:
    """Every person ``text`` names, in order (see the module's docstring). ``headline``: the
    text is a Title Case headline, where capitals prove nothing; ``known``: names (as tuples
    of lower-case words) already known to be people's; ``lower``: the words the release
    writes in lower case (a one-word "name" among them is a word: "Chief Engineer")."""
    return _Reader(plain(text), headline, known or set(), lower).mentions()


#: A run of capitalised words and the words joining them ("Secretary of State Antony Blinken",
#: "Jennifer Klein, Assistant to the President and Director of ..."): where names can be.
_RUN = re.compile(
    r"(?<!\w)[A-Z\u00C0-\u00DE][\w'.-]*"
    r"(?:(?:,?\s+(?:(?:of|the|for|to|and|on|in|at|de|da|di|du|von|der|van|bin|binti|ibn|al|el|"
    r"del|la|le|y|e|dos|des|ter|den)\s+)*|\s*[-–—(]\s*)(?<!\w)[A-Z\u00C0-\u00DE][\w'.-]*)*")
#: Lower-case words that stand before a name as its office ("le président Biden").
_LOWER_BEFORE = re.compile(r"\b(?:président|présidente|presidente|presidenta|ministre|ministro|"
                           r"vicepresidente|vicepresidenta|premier)\s+$")


def find_mentions_sparse(text: str, *, headline: bool = False,
                         known: set[tuple[str, ...]] | None = None,
                         lower: frozenset[str] = frozenset()) -> list[Mention]:
    """:func:`find_mentions`, reading only the stretches of ``text`` where capitals stand
    (with some words either side), not every word of a long body: the same people, found
    several times faster. Offsets are the stretches', not ``text``'s."""
    text = plain(text)
    windows: list[list[int]] = []
    for run in _RUN.finditer(text):
        if " " not in run.group(0) and not _LOWER_BEFORE.search(text[max(0, run.start() - 14):
                                                                     run.start()]):
            # One capitalised word alone names someone only after an office or honorific,
            # which is capitalised too, or in a list of names: "Mr. Biden", "Jill and I".
            if not re.match(r"\s+and\s+I\b", text[run.end():run.end() + 7]):
                continue
        start = text.rfind(" ", 0, max(0, run.start() - 24)) + 1
        end = text.find(" ", min(len(text), run.end() + 12))
        end = len(text) if end < 0 else end
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    out: list[Mention] = []
    for start, end in windows:
        out += _Reader(text[start:end], headline, known or set(), lower).mentions()
    return out


def lower_words(texts: list[str]) -> frozenset[str]:
    """The words ``texts`` write in lower case."""
    return frozenset(w for text in texts for w in re.findall(r"\b[a-z][a-z'-]+\b", text))


def is_headline(text: str) -> bool:
    """Title Case: most words that are not function words begin with a capital."""
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", text) if w.lower() not in
             {"of", "the", "and", "to", "for", "on", "in", "at", "by", "with", "a", "an",
              "from", "as", "or", "between", "de", "la", "le", "del", "des", "du", "sur",
              "les", "et", "el", "y", "en"}]
    if len(words) < 3:
        return True
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)
