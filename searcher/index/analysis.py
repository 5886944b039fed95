"""Analysed fields: nltk's word pattern and English Snowball stemmer as Whoosh pipeline parts.

Composed the Whoosh way, ``tokenizer | filter | filter``::

    >>> [t.text for t in text_analyzer()("The Cambodia's U.S. flooding, in May 55th")]
    ['cambodia', 'us', 'flood', 'may', '55th']

Whoosh reuses one mutable token object for speed: copy a token before keeping it.
The analysers are pickled into the index's schema, so they hold only settings. Neither
needs nltk itself at run time: the pattern is compiled as nltk's ``RegexpTokenizer``
compiles it, and the stemmer is nltk's, ported (:mod:`searcher.index.stemmer`), so that a
query starts without importing nltk (0.16 s). A text whose every character the ``re`` and
``regex`` engines class alike (:data:`AGREED`: English, accents and dashes included) is
tokenised by ``re``, which saves a query importing ``regex``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, StopFilter, Token, Tokenizer

from .stemmer import STEMMER

#: Dotted acronyms ("U.S.", "D.C.") stay whole; words keep inner apostrophes ("Cambodia's");
#: hyphens split ("Five-point" -> "five", "point") so that both halves are found, and a phrase
#: query finds the compound.
WORD_PATTERN = r"(?:[^\W\d_]\.){2,}(?![^\W\d_])|\w+(?:'\w+)*"

#: Bump when tokenisation or normalisation changes: an index made otherwise must be rebuilt.
ANALYSIS_VERSION = "3"  # 3: people read anew (issue 15), keys keep suffixes

#: English function words, left out of body and title: they match everywhere and add only
#: noise to ranking. Unlike Whoosh's list, never "us" (U.S.) nor "may" (the month).
STOPWORDS = frozenset("""a an and are as at be been being but by can could did do does for from
had has have how if in into is it its no not of on or such than that the their then there these
they this those to was were what when where which while who whom why will with would about any
some should must shall i me my we our you your he she him her his them also""".split())


@lru_cache(maxsize=4)
def _compiled(pattern: str):
    """``pattern`` compiled as nltk's ``RegexpTokenizer`` compiles it (the ``regex`` engine,
    its default flags), whose ``span_tokenize`` yields each match's span: nltk also wraps
    every match in a time limit meant for patterns a caller supplies, which cost 40% of the
    tokenising, and this pattern cannot backtrack. (Not ``re``: its word class splits Khmer
    words.)"""
    import regex

    return regex.compile(pattern, regex.UNICODE | regex.MULTILINE | regex.DOTALL)


def _words():
    return _compiled(WORD_PATTERN)


#: The characters on which ``re`` and the ``regex`` engine agree, one by one, whether each is
#: a word character (``\w``) and a digit (``\d``): Latin in all its blocks up to the spacing
#: modifiers, Vietnamese's, general punctuation, currency and letter-like symbols, less the
#: few they class apart (superscript digits and fractions, which ``re`` counts as word
#: characters; the zero-width joiners and the ties, which ``regex`` does). Checked for every
#: one of them by ``tests/test_startup.py``. The word pattern tests nothing of a character
#: but these two classes, so on a text of these characters only both engines find the very
#: same words.
AGREED = ("\x00-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u1e00-\u1eff\u2000-\u200b\u200e-\u203e"
          "\u2041-\u2053\u2055-\u2064\u2066-\u206f\u20a0-\u20c0\u2100-\u214f")


@lru_cache(maxsize=1)
def _plain_words():
    """The word pattern compiled by ``re``, with the flags of :func:`_compiled`, and the
    pattern finding a character outside :data:`AGREED`."""
    return (re.compile(WORD_PATTERN, re.UNICODE | re.MULTILINE | re.DOTALL),
            re.compile(f"[^{AGREED}]"))


def _words_for(text: str):
    """The compiled word pattern to tokenise ``text`` with: ``re``'s when all its
    characters are :data:`AGREED` (English text, accents and dashes included), which spares
    a query importing ``regex`` (20 ms, half of a bare interpreter's start); ``regex``'s
    for any other text (Khmer, Greek...). Both find the same words where both can."""
    plain, beyond = _plain_words()
    if text.isascii() or beyond.search(text) is None:
        return plain
    return _words()


def ready() -> None:
    """Compile what analysis needs now (the word pattern; ``regex`` is imported when a text
    needs it), so that a search's own time can be measured without it."""
    _plain_words()


class NltkTokenizer(Tokenizer):
    """Words with their positions and character spans, as nltk's ``RegexpTokenizer`` finds
    them (its pattern, compiled alike; held equal to it by the tests)."""

    def __init__(self, pattern: str = WORD_PATTERN):
        self.pattern = pattern

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.pattern == self.pattern  # type: ignore[attr-defined]

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        words = _words_for(value) if self.pattern == WORD_PATTERN else _compiled(self.pattern)
        for pos, match in enumerate(words.finditer(value)):
            start, end = match.span()
            token.text = value[start:end]
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Lower case, accents off, acronym dots and possessives gone: "U.S." -> "us".

    >>> [normalize_word(w) for w in ["Côte", "U.S.", "Cambodia's", "don't"]]
    ['cote', 'us', 'cambodia', 'dont']
    """
    word = word.lower()
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word)
        word = "".join(ch for ch in word if not unicodedata.combining(ch))
    if "." in word:
        word = word.replace(".", "")
    if "'" in word:
        word = re.sub(r"'s$", "", word).replace("'", "")
    return word


class NormalizeFilter(Filter):
    """Applies :func:`normalize_word` to every token."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normalize_word(token.text)
            if token.text:
                yield token


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """nltk's English Snowball stem of a normalised word; numbers and codes pass unchanged.

    >>> [stem(w) for w in ["flooding", "floods", "ministers", "2022", "55th"]]
    ['flood', 'flood', 'minist', '2022', '55th']
    """
    if any(ch.isdigit() for ch in word) or len(word) < 3:
        return word
    return STEMMER.stem(word)


class SnowballFilter(Filter):
    """Stems each token with nltk's English Snowball stemmer, so "flood" finds "flooding"."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = stem(token.text)
            yield token


def text_analyzer() -> Analyzer:
    """Body and title: words, normalised, without stopwords (positions renumbered, so the
    phrase "Minister of Foreign Affairs" still finds its words together), stemmed."""
    return (NltkTokenizer() | NormalizeFilter() | StopFilter(stoplist=STOPWORDS, minsize=1)
            | SnowballFilter())


def exact_analyzer() -> Analyzer:
    """Names, countries, dates: words, normalised, not stemmed ("Sokhonn" is not a stem)."""
    return NltkTokenizer() | NormalizeFilter()


def exact_positions(text: str) -> dict[str, list[int]]:
    """{term: positions} as :func:`exact_analyzer` gives them, in one loop (indexing runs it
    over every name, country and date field)."""
    positions: dict[str, list[int]] = {}
    for pos, word in enumerate(_words_for(text).findall(text)):
        word = normalize_word(word)
        if word:
            positions.setdefault(word, []).append(pos)
    return positions


def text_positions(text: str) -> dict[str, list[int]]:
    """{term: positions} as :func:`text_analyzer` gives them, in one loop: what indexing
    needs of every paragraph, without the character spans :func:`analyze` makes."""
    positions: dict[str, list[int]] = {}
    get, kept = _TERMS.get, -1
    for index, word in enumerate(_words_for(text).findall(text)):
        term = get(word)
        if term is None:
            term = _text_term(word)
        if term:
            # StopFilter's renumbering: the first kept token keeps its place, then one by one.
            kept = index if kept < 0 else kept + 1
            found = positions.get(term)
            if found is None:
                positions[term] = [kept]
            else:
                found.append(kept)
    return positions


#: The text analyser's term for each word as found ("" for a stopword): a plain dict, read
#: inline in the loops (a cached function's call costs more than the lookup).
_TERMS: dict[str, str] = {}


def _text_term(word: str) -> str:
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) >= 200_000:
            _TERMS.clear()
        normal = normalize_word(word)
        term = _TERMS[word] = stem(normal) if normal and normal not in STOPWORDS else ""
    return term


#: What :func:`analyze` gives a word it need not stem (see ``initials``): no term is this.
UNSTEMMED = "\0"


def _unknown_term(word: str, initials: frozenset[str] | None) -> str:
    """The term of a word not yet in the terms' cache; with ``initials``, only if it may
    start with one of them, else :data:`UNSTEMMED` (a stopword's is "", as ever, and kept):
    a stem starts as its word does."""
    if initials is None:
        return _text_term(word)
    normal = normalize_word(word)
    if not normal or normal in STOPWORDS:
        return _text_term(word)  # "", and cached
    return _text_term(word) if normal[0] in initials else UNSTEMMED


def find_terms(text: str, terms: frozenset[str],
               initials: frozenset[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, term) of each word of ``text`` whose term (as :func:`analyze` gives it)
    is in ``terms``: what highlighting needs, without making every word's token.
    ``initials``: the first letters of ``terms``, if known: other words are not stemmed
    (see :func:`analyze`)."""
    out = []
    known = _TERMS.get
    for match in _words_for(text).finditer(text):
        term = known(match[0])
        if term is None:
            term = _unknown_term(match[0], initials)
        if term and term in terms:
            out.append((*match.span(), term))
    return out


def analyze(text: str, analyzer: Analyzer | None = None,
            initials: frozenset[str] | None = None) -> list[tuple[str, int, int, int]]:
    """(term, position, start, end) for each token of ``text``: copies, safe to keep.

    Without ``analyzer``: the text analyser's chain (nltk tokens, normalised, stopwords out
    with positions renumbered, stemmed) in one loop rather than Whoosh's generator chain, a
    word's term looked up once (indexing and snippets run it over every paragraph); the
    tests hold it to the same output as :func:`text_analyzer`.

    ``initials``: only the terms starting with one of these letters are wanted (a snippet's
    matcher looks for a few terms): a word whose normalised form starts otherwise is not
    stemmed, and has the term :data:`UNSTEMMED`, its position and span as ever. (A stem
    starts as its word does: the stemmer changes only suffixes, at the word's second letter
    at the earliest; the tests check it over the whole vocabulary of the corpora.)"""
    if analyzer is not None:
        return [(t.text, t.pos, t.startchar, t.endchar)
                for t in analyzer(text, positions=True, chars=True)]
    out: list[tuple[str, int, int, int]] = []
    first = 0
    for index, match in enumerate(_words_for(text).finditer(text)):
        word = match[0]
        term = _TERMS.get(word)
        if term is None:
            term = _unknown_term(word, initials)
        if term:
            # StopFilter's renumbering: the first kept token keeps its place, then one by one.
            if not out:
                first = index
            out.append((term, first + len(out), *match.span()))
    return out
