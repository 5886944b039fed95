"""What a text's letter case says: whether it is a Title Case headline, where capitals prove
nothing, and which words it writes in lower case; each worked out only when the people
reader asks."""

from __future__ import annotations

import re

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
