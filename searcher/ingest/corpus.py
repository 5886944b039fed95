"""Releases across a corpus: people unified, aliases, boilerplate learned."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from .corpus_settings import (
    BOILERPLATE_MIN,
    BOILERPLATE_SHARE,
    BOILERPLATE_WORDS,
    Aliases,
    load_aliases,
)
from .countries import countries_in
from .names import display_form
from .release import Participant, Release

#: Corpus evidence about people: key -> {"names": {spelling: count}, "countries": {...}}.
People = dict[str, dict[str, dict[str, int]]]


def _resolve(key: str, evidence: People, country: str | None = None) -> str:
    """A bare name ("biden") is the full name the corpus gives it when one full name holds
    nearly all the mentions that contain it ("joseph r biden" over "hunter biden"), and not
    a full name of another country ("Chairman Abdullah" of Afghanistan is not King Abdullah
    II of Jordan)."""
    if " " in key:
        return key

    def commonest(k: str) -> str | None:
        seen = evidence[k]["countries"]
        return max(seen, key=seen.get) if seen else None

    fuller = {k: sum(v["names"].values()) for k, v in evidence.items()
              if key in k.split() and " " in k
              and (country is None or commonest(k) in (None, country))}
    if not fuller:
        return key
    best = max(fuller, key=fuller.get)
    return best if fuller[best] >= 0.8 * sum(fuller.values()) else key


class HasParticipants(Protocol):
    """A release, or what stands for one while it waits to be written."""

    id: str
    participants: list[Participant]


def unify_people(releases: Iterable[HasParticipants], evidence: People | None = None,
                 aliases: Aliases | None = None) -> People:
    """One display name and one country per person across a corpus: "PRAK SOKHONN" in one
    release shows as "PRAK Sokhonn" if other releases mark the family name that way, and a
    participant whose country or role a release leaves unsaid gets the one other releases
    give most often; variants named in ``aliases`` (see
    :func:`.corpus_settings.load_aliases`; by default the shipped file's) are one person.

    ``evidence`` from earlier runs is added to and returned, so incremental updates agree
    with the releases already indexed."""
    releases = list(releases)
    evidence = {} if evidence is None else evidence
    aliases = load_aliases() if aliases is None else aliases
    for release in releases:
        named = []
        for p in release.participants:
            key, shown = aliases.get(p.key, (p.key, p.name))
            named.append(Participant(shown, key, p.role, p.country))
        release.participants = named
    for release in releases:
        for p in release.participants:
            seen = evidence.setdefault(p.key, {"names": {}, "countries": {}})
            seen["names"][p.name] = seen["names"].get(p.name, 0) + 1
            if p.country:
                seen["countries"][p.country] = seen["countries"].get(p.country, 0) + 1
            if p.role:
                roles = seen.setdefault("roles", {})
                roles[p.role] = roles.get(p.role, 0) + 1
    # What the corpus says of each person, worked out once a person, not once a mention.
    resolved: dict[tuple[str, str | None], str] = {}
    said: dict[str, tuple[str, str | None, str | None]] = {}  # key -> (name, country, role)
    for release in releases:
        unified: dict[str, Participant] = {}
        for p in release.participants:
            key = resolved.get((p.key, p.country))
            if key is None:
                key = resolved[(p.key, p.country)] = _resolve(p.key, evidence, p.country)
            if key in unified:  # "Biden" and "Joseph R. Biden" in one release: one person
                continue
            if key not in said:
                seen = evidence[key]
                names = [n for n, c in seen["names"].items() for _ in range(min(c, 100))]
                roles = seen.get("roles", {})
                said[key] = (display_form(names),
                             max(seen["countries"], key=seen["countries"].get, default=None),
                             max(roles, key=roles.get, default=None))
            shown, commonest, office = said[key]
            # A country the role names stands; one guessed for a release's host (its
            # government's) yields to what the corpus says of the person most often.
            stated = p.country and p.role and p.country in countries_in(p.role)
            country = p.country if stated else (commonest or p.country)
            # A role the release leaves unsaid (a letter's signature) is the one the corpus
            # gives the person most often.
            unified[key] = Participant(shown, key, p.role or office, country)
        release.participants = list(unified.values())
    return evidence


# -- boilerplate learned from the corpus ------------------------------------------------------

# The rule's figures, BOILERPLATE_SHARE, BOILERPLATE_MIN and BOILERPLATE_WORDS, are with the
# other settings recorded in the manifest: see .corpus_settings.


def _words_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def boilerplate_candidates(paragraphs: list[str]) -> frozenset[str]:
    """The paragraphs of one release that could be boilerplate: the short ones, as their
    lower-case words."""
    return frozenset(key for key in map(_words_key, paragraphs)
                     if key and len(key.split()) <= BOILERPLATE_WORDS)


def learn_boilerplate(releases: Iterable[Release | frozenset[str]]) -> list[str]:
    """The paragraphs repeated across the corpus (see :data:`BOILERPLATE_SHARE`), as their
    lower-case words; from releases, or from each release's :func:`boilerplate_candidates`."""
    counts: Counter[str] = Counter()
    total = 0
    for release in releases:
        total += 1
        counts.update(release if isinstance(release, frozenset)
                      else boilerplate_candidates(release.paragraphs))
    need = max(BOILERPLATE_MIN, math.ceil(BOILERPLATE_SHARE * total))
    return sorted(key for key, n in counts.items() if n >= need)


def drop_boilerplate(releases: Iterable[Release], learned: list[str]) -> None:
    """Take learned boilerplate out of each release: a paragraph that is one goes, and one
    found inside a paragraph (a footer a page break left mid-sentence) is cut out of it."""
    if not learned:
        return
    whole = set(learned)
    inside = _inside_pattern(tuple(k for k in learned if len(k.split()) >= 4))
    for release in releases:
        kept = []
        for para in release.paragraphs:
            if _words_key(para) in whole:
                continue
            if inside is not None:
                para = " ".join(inside.sub(" ", para).split())
            if para:
                kept.append(para)
        release.paragraphs = kept


@lru_cache(maxsize=4)
def _inside_pattern(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    if not keys:
        return None
    words = ("\\W+".join(re.escape(w) for w in key.split()) for key in keys)
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")\W*(?!\w)", re.IGNORECASE)
