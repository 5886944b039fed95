"""People's names: one key for every spelling of a person, the spelling to show, and where
a release refers to its participants. (Finding names in text: ``mentions.py``; who took part:
``participants.py``.)

Diplomatic releases mark the family name in capitals ("PRAK Sokhonn", "MOTEGI Toshimitsu"),
so a key ignores case and order, and the display form prefers the spelling that marks it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .countries import canonical

_COURTESY = {"mr", "mrs", "ms", "dr", "prof", "madam", "madame", "sir", "dame", "lord", "lady",
             "sheikh", "dato", "datuk", "excellency", "honorable", "hon"}


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)  # names recur from release to release
def person_key(name: str) -> str:
    """One key for every spelling of a name: case, accents, order and courtesy titles ignored;
    suffixes and regnal numbers kept, for they tell people apart ("Abdullah II" is not
    "Abdullah Abdullah", a "Jr." not his father).

    >>> person_key("PRAK Sokhonn") == person_key("Sokhonn Prak") == "prak sokhonn"
    True
    >>> person_key("Abdullah II"), person_key("Joseph R. Biden, Jr.")
    ('abdullah ii', 'biden joseph jr')
    """
    tokens = re.findall(r"[^\W\d_]+", strip_accents(name).casefold())
    tokens = [t for t in tokens if len(t) > 1 and t not in _COURTESY]
    return " ".join(sorted(tokens))


def _marks_family(name: str) -> bool:
    words = name.split()
    caps = [w for w in words if len(w) > 1 and w.isupper()]
    return 0 < len(caps) < len(words)


def display_form(names: list[str]) -> str:
    """The spelling to show: one that marks the family name ("PRAK Sokhonn"), else mixed case,
    else an all-capitals name put in title case."""
    marked = [n for n in names if _marks_family(n)]
    if marked:
        return max(marked, key=marked.count)
    mixed = [n for n in names if not n.isupper()]
    if mixed:
        return max(mixed, key=mixed.count)
    return names[0].title() if names else ""


@lru_cache(maxsize=65536)  # a release compares the same few keys again and again
def same_person(a: str, b: str) -> bool:
    """Do two keys name one person? A bare family or given name matches the full name, and a
    source typo in one part ("Blinken" / "Blinens") matches when the other parts agree."""
    from collections import Counter

    ca, cb = Counter(a.split()), Counter(b.split())
    if not ca or not cb:
        return False
    if not ca - cb or not cb - ca:  # a part of the other, counting repeats: "abdullah" of
        return True  # "abdullah ii", but not "abdullah ii" of "abdullah abdullah"
    ta, tb = set(ca), set(cb)
    if len(ta) != len(tb) or len(ta) < 2:
        return False
    only_a, only_b = ta - tb, tb - ta
    if len(only_a) != 1:
        return False
    x, y = only_a.pop(), only_b.pop()
    if min(len(x), len(y)) < 5 or x[0] != y[0]:
        return False
    return edit_distance(x, y) <= (1 if min(len(x), len(y)) < 7 else 2)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions, each 1), as nltk's
    ``edit_distance`` gives it by default, without importing nltk: ``show`` and the
    snippets of a query naming a person use it.

    >>> edit_distance("Blinken", "Blinens"), edit_distance("Hun Sen", "Hun Sen")
    (2, 0)
    """
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Reference:
    """Where a release refers to one of its participants: by name ("Prak Sokhonn",
    "SOKHONN") or by a title standing for the person named earlier ("H.E. Deputy Prime
    Minister", "the Secretary of State")."""

    paragraph: int
    start: int
    end: int
    key: str  # the participant's key
    by_title: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"paragraph": self.paragraph, "start": self.start, "end": self.end,
                "key": self.key, "by_title": self.by_title}


_HONORIFIC_BEFORE = r"(?:(?:H\.\s?E\.|His\s+Excellency|Her\s+Excellency|the)\s+)?"


def _offices(role: str | None) -> list[str]:
    """The offices a role holds, without what follows "of" a country: "Deputy Prime Minister,
    Minister of Foreign Affairs ... of Cambodia" -> ["Deputy Prime Minister", "Minister of
    Foreign Affairs ..."]. One-word offices ("President") are too common to stand alone."""
    if not role:
        return []
    out = []
    for part in role.split(","):
        part = part.strip()
        for of in re.finditer(r"\s+of\s+(?:the\s+)?", part):
            tail = part[of.end():]
            if canonical(tail) or re.match(r"(?:Kingdom|Republic|U\.S\.|United|People)\b", tail):
                part = part[: of.start()]
                break
        if len(part.split()) >= 2:
            out.append(part)
    return out


def find_references(paragraphs: list[str], participants: list) -> list[Reference]:
    """Every reference to a participant in ``paragraphs``, in order. A title alone refers to
    the participant holding that office; when two hold it, to the one named last before it."""
    named: list[tuple[re.Pattern[str], str]] = []
    titles: list[tuple[re.Pattern[str], str]] = []
    for p in participants:
        words = [w for w in p.name.replace(",", " ").split() if len(w.rstrip(".")) > 1]
        if words:
            forms = {" ".join(words), *(w for w in words if len(w) > 3 and w[0].isupper())}
            forms = sorted(forms, key=len, reverse=True)
            named.append((re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) +
                                     r")(?![\w-])", re.IGNORECASE), p.key))
        for office in _offices(p.role):
            body = r"\s+".join(map(re.escape, office.split()))
            # Not followed by a name: "Deputy Prime Minister Prak Sokhonn" names him itself.
            titles.append((re.compile(r"(?<![\w-])" + _HONORIFIC_BEFORE + body +
                                      r"(?!\w|s\b|\s+[A-Z][a-z])"), p.key))
    found: list[Reference] = []
    for n, text in enumerate(paragraphs):
        spans = sorted((m.start(), m.end(), key) for pattern, key in named
                       for m in pattern.finditer(text))
        kept_named = _non_overlapping(spans)
        title_spans = sorted((m.start(), m.end(), key) for pattern, key in titles
                             for m in pattern.finditer(text))
        ends = {e for _, e, _ in kept_named}  # a title right after a name describes it
        for start, end, key in _non_overlapping(title_spans):
            if any(s < end and start < e for s, e, _ in kept_named):
                continue
            if any(text[e:start].strip() == "," for e in ends if e <= start):
                ends.add(end)  # "Prak Sokhonn, Deputy Prime Minister, Minister of ...": apposition
                continue
            holders = {k for s, e, k in title_spans if (s, e) == (start, end)}
            if len(holders) > 1:  # the office is shared: the one named last before it
                before = [k for r in found for k in [r.key] if k in holders] + \
                         [k for s, _, k in kept_named if s < start and k in holders]
                if not before:
                    continue
                key = before[-1]
            found.append(Reference(n, start, end, key, by_title=True))
        found.extend(Reference(n, s, e, k) for s, e, k in kept_named)
    return sorted(found, key=lambda r: (r.paragraph, r.start))


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest first where spans overlap."""
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out
