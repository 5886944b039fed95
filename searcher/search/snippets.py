"""Hits -> snippets: the best passages of a release, cut at sentence or word boundaries, with
every matched word highlighted as it stands in the text.

The roles are kept apart as in Whoosh's highlighter: :class:`Matcher` finds what matched
(re-analysing the stored text, so "flooding" lights up for the query "flood", and a quoted
phrase only where its words stand together); :func:`_fragments` decides where to cut;
:func:`_score` which fragments win; :meth:`Snippet.render` how matches look.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..index.analysis import analyze, find_terms
from ..ingest.sentences import sentence_spans

ELLIPSIS = "…"
#: Snippet length in characters: aim for at least MIN, never more than MAX (ellipses aside).
MIN_CHARS, MAX_CHARS = 150, 250
#: How a match is shown, by render style: (before, after).
STYLES = {
    "text": ("", ""),
    "markers": ("[", "]"),
    "ansi": ("\x1b[1;33m", "\x1b[0m"),
}


@dataclass(frozen=True, repr=False)
class Snippet:
    """A passage of a release. ``highlights`` are ``(start, end)`` offsets into ``text``."""

    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    paragraph: int = 0

    def spans(self) -> list[tuple[str, bool]]:
        """The text in pieces: ``(piece, is_match)``."""
        pieces, pos = [], 0
        for start, end in self.highlights:
            if start > pos:
                pieces.append((self.text[pos:start], False))
            pieces.append((self.text[start:end], True))
            pos = end
        if pos < len(self.text):
            pieces.append((self.text[pos:], False))
        return pieces

    def render(self, style: str = "markers") -> str:
        """The snippet as ``text`` (no marks), ``markers`` ([match]), ``ansi`` or ``html``.
        ``ansi`` is for a terminal: control characters from the release are shown as visible
        text there (:mod:`searcher.printable`), so that only the highlights' codes are codes."""
        if style == "html":
            import html

            return "".join(f"<mark>{html.escape(piece)}</mark>" if hit else html.escape(piece)
                           for piece, hit in self.spans())
        before, after = STYLES[style]
        if style == "ansi":
            from ..printable import printable

            return "".join(f"{before}{printable(piece)}{after}" if hit else printable(piece)
                           for piece, hit in self.spans())
        return "".join(f"{before}{piece}{after}" if hit else piece for piece, hit in self.spans())

    def __str__(self) -> str:
        return self.render("markers")

    def __repr__(self) -> str:
        shown = self.render("markers")
        if len(shown) > 80:
            shown = shown[:79] + "…"
        return f"Snippet(paragraph={self.paragraph}, {shown!r})"

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "highlights": [list(h) for h in self.highlights],
                "paragraph": self.paragraph}


class Matcher:
    """Finds the spans of a text that a query matched.

    ``terms`` are analysed terms (as the index holds them: "flood"); ``phrases`` are sequences
    of analysed terms that must stand at consecutive positions.
    """

    def __init__(self, terms: Iterable[str] = (), phrases: Iterable[Iterable[str]] = ()):
        self.terms = frozenset(terms)
        self.phrases = [tuple(p) for p in phrases if p]
        #: The first letters of every term looked for: other words need no stemming.
        self.initials = frozenset(t[:1] for t in self.terms.union(*self.phrases) if t)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, what matched) for each match, in order, overlaps merged."""
        if not self.phrases:
            return _merged(find_terms(text, self.terms, self.initials))
        tokens = analyze(text, initials=self.initials)
        found = [(start, end, term) for term, _, start, end in tokens if term in self.terms]
        for phrase in self.phrases:
            n = len(phrase)
            for i in range(len(tokens) - n + 1):
                if all(tokens[i + j][0] == phrase[j] for j in range(n)):
                    found.append((tokens[i][2], tokens[i + n - 1][3], " ".join(phrase)))
        return _merged(found)

    def highlights(self, text: str) -> list[tuple[int, int]]:
        return [(start, end) for start, end, _ in self.matches(text)]


def _merged(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Matches in order, overlapping ones merged."""
    merged: list[tuple[int, int, str]] = []
    for start, end, what in sorted(found):
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            # A phrase containing a matched word keeps the phrase's identity.
            keep = last[2] if last[1] - last[0] >= end - start else what
            merged[-1] = (last[0], max(last[1], end), keep)
        else:
            merged.append((start, end, what))
    return merged


@dataclass
class _Fragment:
    paragraph: int
    rank: int  # the paragraph's rank among the release's matching paragraphs
    start: int
    end: int
    matches: list[tuple[int, int, str]]


def _word_cut_left(text: str, pos: int, floor: int) -> int:
    while pos > floor and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _word_cut_right(text: str, pos: int, ceiling: int) -> int:
    if pos >= ceiling:
        return ceiling
    cut = text.rfind(" ", 0, pos + 1)
    return cut if cut > 0 else pos


def _fragments(text: str, matches: list[tuple[int, int, str]], paragraph: int,
               rank: int) -> list[_Fragment]:
    """Candidate passages: each sentence holding a match, grown by whole neighbouring sentences
    towards MIN_CHARS, or cut at words around its matches when longer than MAX_CHARS."""
    sents = sentence_spans(text) or [(0, len(text))]
    out = []
    for i, (s_start, s_end) in enumerate(sents):
        inside = [m for m in matches if s_start <= m[0] < s_end]
        if not inside and matches:
            continue
        start, end = s_start, s_end
        lo, hi = i, i
        while end - start < MIN_CHARS:
            if hi + 1 < len(sents) and sents[hi + 1][1] - start <= MAX_CHARS:
                hi += 1
                end = sents[hi][1]
            elif lo > 0 and end - sents[lo - 1][0] <= MAX_CHARS:
                lo -= 1
                start = sents[lo][0]
            else:
                break
        if end - start > MAX_CHARS:
            first = inside[0][0] if inside else start
            start = max(start, _word_cut_left(text, max(start, first - 60), start))
            end = _word_cut_right(text, start + MAX_CHARS, end)
            if end <= start:
                end = min(s_end, start + MAX_CHARS)
        kept = [m for m in matches if start <= m[0] and m[1] <= end]
        out.append(_Fragment(paragraph, rank, start, end, kept))
        if not matches:
            break  # no words to show: the lead passage will do
    return out


def _score(fragment: _Fragment, seen: set[str]) -> float:
    """Distinct query words first (new ones most), then how many, then the better paragraph."""
    distinct = {m[2] for m in fragment.matches}
    return (3.0 * len(distinct - seen) + len(distinct) + 0.25 * len(fragment.matches)
            - 0.5 * fragment.rank)


def make_snippets(paragraphs: list[tuple[int, str]], matcher: Matcher, count: int = 3,
                  extra: dict[int, list[tuple[int, int, str]]] | None = None) -> list[Snippet]:
    """Up to ``count`` snippets from ``paragraphs`` — ``(number, text)``, best paragraph first —
    ordered by score; with no body match, the first passage of the best paragraph. ``extra``
    adds matches the words alone do not show, by paragraph number (a title standing for a
    person the query names)."""
    candidates: list[_Fragment] = []
    texts = dict(paragraphs)
    for rank, (number, text) in enumerate(paragraphs):
        matches = matcher.matches(text) if matcher else []
        if extra and extra.get(number):
            matches = _merged(matches + extra[number])
        if matches:
            candidates.extend(_fragments(text, matches, number, rank))
    if not candidates:
        if not paragraphs:
            return []
        number, text = paragraphs[0]
        candidates = _fragments(text, [], number, 0)[:1]
        count = 1
    chosen: list[_Fragment] = []
    seen: set[str] = set()
    while candidates and len(chosen) < count:
        best = max(candidates, key=lambda f: _score(f, seen))
        if chosen and not best.matches:
            break
        chosen.append(best)
        seen |= {m[2] for m in best.matches}
        candidates = [f for f in candidates if f is not best and not _overlaps(f, best)]
        if chosen and seen and all({m[2] for m in f.matches} <= seen for f in candidates):
            # Further passages would only repeat words already shown: one more at most.
            candidates = sorted(candidates, key=lambda f: -_score(f, set()))[:1]
            count = min(count, len(chosen) + 1)
    return [_cut(texts[f.paragraph], f) for f in chosen]


def _overlaps(a: _Fragment, b: _Fragment) -> bool:
    return a.paragraph == b.paragraph and a.start < b.end and b.start < a.end


def _cut(text: str, fragment: _Fragment) -> Snippet:
    """The fragment's text, "…" where it cuts a sentence, offsets moved to match."""
    start, end = fragment.start, fragment.end
    piece = text[start:end].strip()
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    sents = sentence_spans(text)
    starts = {s for s, _ in sents} | {0}
    ends = {e for _, e in sents} | {len(text.rstrip())}
    prefix = ELLIPSIS if start + lead not in starts else ""
    suffix = ELLIPSIS if start + lead + len(piece) not in ends else ""
    shift = len(prefix) - start - lead
    return Snippet(
        prefix + piece + suffix,
        [(s + shift, e + shift) for s, e, _ in fragment.matches],
        fragment.paragraph,
    )
