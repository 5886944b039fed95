"""The tokens of a text as the people reader sees them: each a :class:`Word`, shared by
every text it stands in, with what the reader asks of it (a capital, an office's head, an
honorific, an English word, a given name, ...) worked out once; and their offsets.

>>> toks, starts, ends = tokens("President Biden met H.E. Mr. Sokhonn.")
>>> [(w.text, w.head) for w in toks[:3]], [w.text for w in toks[3:]], starts[-1]
([('President', True), ('Biden', False), ('met', False)], ['H.E.', 'Mr.', 'Sokhonn', '.'], 36)
"""

from __future__ import annotations

import re

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
#: What is named after people: a name before one of these is the thing's ("Francis Scott Key
#: Bridge", "John F. Kennedy Profile in Courage Award").
_THINGS = {"monument", "memorial", "award", "awards", "prize", "medal", "scholar", "scholarship",
           "fellowship", "professorship", "bridge", "building", "hall", "museum", "library",
           "park", "highway", "airport", "stadium", "avenue", "street", "boulevard", "square",
           "plaza", "station", "base", "fort", "act", "law", "school", "center", "centre",
           "institute", "foundation", "university", "college", "prize", "day"}
_OF_THINGS = {"national", "international", "presidential", "federal", "historic", "historical",
              "veterans", "memorial"}
#: Words joining the words of an office ("Secretary of State", "Assistant to the President").
CONNECTORS = {"of", "the", "for", "to", "and", "on", "in", "at", "'s"}
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
        self.connector = text in CONNECTORS or text.endswith("s'") and cap
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
