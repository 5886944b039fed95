"""The hand-labelled releases (issue 15) and how searcher's reading of them is scored.

Four label files, 112 releases: 48 White House releases that are not readouts
(``fixtures/statements``), 56 readouts (``fixtures/readouts2``, ``fixtures/whitehouse``), the 5
seeds and the 3 saved web pages in ``fixtures/html`` that carry seed text (their labels are the
seeds'). The White House files are read as one corpus (one documents folder would hold them
together), the seeds and the pages each as their own.

Scoring (``python -m tests.labels`` prints every disagreement):

- A participant is right when its name is the labelled person's and its country the label's.
  Names are the same person when their keys are equal once the alias file has had its say
  ("Joe Biden" = "Joseph R. Biden, Jr."), or when every word of one stands in the other
  ("Biden" = "Joseph R. Biden", "Takeo Akiba" = "Akiba Takeo"), a single word only as the
  other's family name (its last word, or one in capitals: "PRAK"), so "Ursula" is not
  "Ursula von der Leyen". Each label and each reading pairs at most once. Precision: right readings / readings; recall: right / labelled.
- A role is right when, once the state's own name or adjective is left out ("of Japan",
  "Japanese", "U.S."), it reads as the label's office (case and punctuation aside); a label
  with no office wants none. Counted over the labelled participants found by name.
- Counterpart countries: the same set as the label's. Kind, release date, event date and
  title: equal to the label's (titles compared without invisible format characters, such as
  the word joiner after "Biden-", and with typographic quotes as plain ones: the reader
  normalises both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from searcher import parse_file
from searcher.ingest.corpus import load_aliases, unify_people
from searcher.ingest.countries import find_countries
from searcher.ingest.names import person_key
from searcher.ingest.release import Release

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = Path(__file__).resolve().parent.parent / "documents"

#: label file -> the folder its releases are in, their suffix.
SETS = {
    "statements/labels.yaml": (FIXTURES / "statements", ".md"),
    "readouts2/labels.yaml": (FIXTURES / "readouts2", ".md"),
    "whitehouse/labels.yaml": (FIXTURES / "whitehouse", ".md"),
    "seeds-labels.yaml": (SEEDS, ".txt"),
}
#: Saved web pages holding seed text: labelled as the seed they carry.
PAGES = FIXTURES / "html"
DATE_FIELDS = ["release_date", "event_date"]
FIELDS = ["title", "kind", "release_date", "event_date", "countries"]


@dataclass
class Case:
    """One labelled release: the label and searcher's reading of the file."""

    label: dict
    release: Release
    corpus: str


@lru_cache(maxsize=1)
def cases() -> tuple[Case, ...]:
    """Every labelled release, read as searcher reads a documents folder."""
    labels = {name: yaml.safe_load((FIXTURES / name).read_text("utf-8")) for name in SETS}
    corpora: dict[str, list[tuple[dict, Path]]] = {"whitehouse": [], "seeds": [], "pages": []}
    for name, (folder, suffix) in SETS.items():
        corpus = "seeds" if folder == SEEDS else "whitehouse"
        corpora[corpus] += [(entry, folder / f"{stem}{suffix}") for stem, entry in labels[name].items()]
    seeds = labels["seeds-labels.yaml"]
    corpora["pages"] = [(seeds[p.stem], p) for p in sorted(PAGES.glob("*.html"))]
    out = []
    for corpus, items in corpora.items():
        releases = [parse_file(path) for _, path in items]
        unify_people(releases)
        out += [Case(entry, release, corpus) for (entry, _), release in zip(items, releases)]
    return tuple(out)


# -- matching -------------------------------------------------------------------------------

def _canonical(name: str) -> str:
    key = person_key(name)
    return load_aliases().get(key, (key, name))[0]


def _family(name: str) -> set[str]:
    """The words of a name that can stand alone for it: the last one (suffixes aside), and
    one written in capitals ("PRAK Sokhonn")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", name)
             if w.lower().rstrip(".") not in ("jr", "sr", "ii", "iii", "iv")]
    out = {person_key(words[-1])} if words else set()
    return out | {person_key(w) for w in words if len(w) > 1 and w.isupper()}


def same_name(reading: str, label: str) -> bool:
    """Is the name read the labelled person's? (see the module's docstring)"""
    a, b = _canonical(reading), _canonical(label)
    if a == b:
        return True
    wa, wb = set(a.split()), set(b.split())
    if not wa or not wb or not (wa <= wb or wb <= wa):
        return False
    short, long_name = (reading, label) if len(wa) < len(wb) else (label, reading)
    # One word stands for a name only as its family name: "Biden", not "Ursula".
    return len(min(wa, wb, key=len)) >= 2 or person_key(short) in _family(long_name)


def pair(readings: list, labelled: list[dict]) -> list[tuple[object, dict]]:
    """(reading, label) pairs of the same name, each at most once; exact keys first."""
    pairs, free = [], list(labelled)
    for exact in (True, False):
        for p in readings:
            if any(p is q for q, _ in pairs):
                continue
            for entry in free:
                if (_canonical(p.name) == _canonical(entry["name"])) if exact else \
                        same_name(p.name, entry["name"]):
                    pairs.append((p, entry))
                    free.remove(entry)
                    break
    return pairs


def office(role: str | None) -> str:
    """A role as compared: the state's own name or adjective out, case and punctuation aside."""
    if not role:
        return ""
    for start, end, _ in reversed(find_countries(role)):
        role = role[:start] + " " + role[end:]
    role = re.sub(r"\bU\.\s?S\.|\bUS\b", " ", role)
    words = re.findall(r"[^\W_]+", role.casefold())
    while words and words[-1] in ("of", "the", "for", "to"):
        words.pop()
    while words and words[0] in ("the",):
        words.pop(0)
    return " ".join(words)


def role_right(reading: str | None, label: str | None) -> bool:
    return office(reading) == office(label)


def _title(text: str) -> str:
    """A title as compared: invisible format characters (the word joiner some titles have
    after "Biden-") out, typographic quotes as plain ones, whitespace collapsed."""
    import unicodedata

    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return " ".join(text.split())


# -- scores ---------------------------------------------------------------------------------

@dataclass
class Scores:
    """Counts per field over the labelled set, and what was got wrong (for reading)."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    wrong: list[tuple[str, str, object, object]] = field(default_factory=list)

    def count(self, name: str, ok: bool, release: str = "", got: object = None,
              want: object = None) -> None:
        self.right[name] = self.right.get(name, 0) + ok
        self.total[name] = self.total.get(name, 0) + 1
        if not ok:
            self.wrong.append((name, release, got, want))

    def rate(self, name: str) -> float:
        return self.right.get(name, 0) / self.total[name] if self.total.get(name) else 1.0

    def rates(self) -> dict[str, float]:
        return {name: self.rate(name) for name in self.total}


def score(selected: tuple[Case, ...] | None = None) -> Scores:
    scores = Scores()
    for case in selected or cases():
        r, e = case.release, case.label
        scores.count("title", _title(r.title) == _title(e["title"]), r.id, r.title, e["title"])
        for name in ("kind", "release_date", "event_date"):
            scores.count(name, getattr(r, name) == e[name], r.id, getattr(r, name), e[name])
        scores.count("countries", set(r.countries) == set(e["countries"]), r.id, r.countries,
                     e["countries"])
        pairs = pair(r.participants, e["participants"])
        named = {id(p) for p, _ in pairs}
        right = [(p, l) for p, l in pairs if p.country == l["country"]]
        for p in r.participants:
            ok = any(p is q for q, _ in right)
            scores.count("participant precision", ok, r.id, (p.name, p.country, p.role),
                         next((l for q, l in pairs if q is p), None))
        for entry in e["participants"]:
            ok = any(l is entry for _, l in right)
            scores.count("participant recall", ok, r.id,
                         next(((q.name, q.country) for q, l in pairs if l is entry), None),
                         (entry["name"], entry["country"]))
        for p, entry in pairs:
            scores.count("roles", role_right(p.role, entry["role"]), r.id, p.role, entry["role"])
        del named
    return scores


def main() -> None:
    scores = score()
    for name, got, want in sorted(((w[0], w[1], w[2:]) for w in scores.wrong), key=lambda w: w[:2]):
        print(f"{name:22} {got[:60]:60} got {want[0]!r} want {want[1]!r}")
    print()
    print(f"{len(cases())} releases")
    for name, rate in scores.rates().items():
        print(f"{name:22} {rate:.3f}  ({scores.right.get(name, 0)}/{scores.total[name]})")


if __name__ == "__main__":
    main()
