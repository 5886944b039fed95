"""Sentence boundaries, from nltk's Punkt with the abbreviations of diplomatic writing.

Punkt's trained models are nltk *data*, which cannot be downloaded here; the untrained
tokenizer with a list of abbreviations does well on this genre ("H.E.", "U.S.", "D.C.").

Each paragraph's boundaries are found when it is indexed and stored with it; reading a
release back, :func:`remember` hands them over, so that snippets never run Punkt (nor
import nltk) at query time.
"""

from __future__ import annotations

from functools import lru_cache

from .nltk_modules import load_nltk

_ABBREVIATIONS = {
    "h.e", "h.r.h", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vol", "p", "pp", "etc",
    "u.s", "u.s.a", "u.k", "u.n", "e.u", "d.c", "i.e", "e.g", "vs", "jr", "sr", "gen", "lt",
    "col", "capt", "gov", "sen", "rep", "amb", "dept", "corp", "inc", "ltd", "co", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "a.c.t", "h.h", "h.m", "r", "s",
}


#: Decisions kept at most: contexts ("Biden. The") of one release, and many across releases.
_DECISIONS_MAX = 50_000


@lru_cache(maxsize=1)
def _tokenizer():
    load_nltk()  # not from two threads at once
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    class Tokenizer(PunktSentenceTokenizer):
        """Punkt, deciding each context of a possible break once: whether "Biden. The"
        holds a break is a question of those words alone (this tokenizer's statistics never
        change), and the same contexts come back, within a release (its lead is read for
        its first sentence, then whole) and across releases. Most of Punkt's time was
        spent deciding."""

        def __init__(self, params: PunktParameters):
            super().__init__(params)
            self._decisions: dict[str, bool] = {}

        def text_contains_sentbreak(self, text: str) -> bool:
            decided = self._decisions.get(text)
            if decided is None:
                if len(self._decisions) >= _DECISIONS_MAX:
                    self._decisions.clear()
                decided = self._decisions[text] = super().text_contains_sentbreak(text)
            return decided

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return Tokenizer(params)


@lru_cache(maxsize=2048)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_tokenizer().span_tokenize(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text`` (cached: snippets ask twice per paragraph);
    as stored in the index, for a paragraph read back from it."""
    known = _KNOWN.get(text)
    return list(known) if known is not None else list(_spans(text))


#: Stored boundaries of paragraphs read from an index, by text (at most _KNOWN_MAX).
_KNOWN: dict[str, tuple[tuple[int, int], ...]] = {}
_KNOWN_MAX = 20_000


def pack_spans(text: str) -> list[int]:
    """The boundaries of ``text`` as one flat list (start, end, start, end ...), to store."""
    return [pos for span in _spans(text) for pos in span]


def remember(text: str, packed: list[int] | tuple[int, ...] | None) -> None:
    """Take the stored boundaries (:func:`pack_spans`) of a paragraph read from an index."""
    if packed is None or len(packed) % 2:
        return
    if len(_KNOWN) >= _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN[text] = tuple(zip(packed[::2], packed[1::2]))


#: Punkt's time grows with the text it reads; a first sentence is looked for in this many
#: characters first, then in this many at most (Punkt took 11 s over 100 KB of "I. ",
#: initials it never breaks after, and 2 ms a KB of any text).
_FIRST_WINDOW, _FIRST_MAX = 400, 2000


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it if Punkt finds none, at most its first
    2,000 characters, cut after a word). Punkt decides a break by the tokens on either side
    of it, and of the next only its first letter matters here (untrained, it keeps no
    statistics of the text): a break followed by some of the next sentence within the
    window is the whole text's too."""
    for window in (_FIRST_WINDOW, _FIRST_MAX):
        if len(text) > window:
            spans = _spans(text[:window])
            if len(spans) > 1:
                return text[spans[0][0]:spans[0][1]]
    if len(text) > _FIRST_MAX:
        cut = text.rfind(" ", 0, _FIRST_MAX + 1)
        return text[:cut if cut > 0 else _FIRST_MAX].strip()
    spans = _spans(text)
    return text[spans[0][0]:spans[0][1]] if spans else text
