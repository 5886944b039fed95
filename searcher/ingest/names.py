"""People: find who a release names, give every spelling of one person one key.

Rules, no models: a person is introduced by an honorific ("His Excellency", "H.E.",
"Samdech") followed by optional courtesy and office words ("Mr.", "Deputy Prime Minister") and
the name; what follows after a comma is the role, and the role names the country. Diplomatic
releases mark the family name in capitals ("PRAK Sokhonn", "MOTEGI Toshimitsu"), so a key
ignores case and order, and the display form prefers the spelling that marks it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .countries import canonical, countries_in

_HONORIFIC = re.compile(
    r"\b(?:(?:His|Her|Their)\s+(?:Royal\s+)?(?:Excellency|Excellencies|Majesty|Highness)"
    r"|H\.\s?E\.|H\.\s?R\.\s?H\.|Excellency|Samdech|Lok\s+Chumteav)(?=\s)"
)
_COURTESY = {"mr", "mrs", "ms", "dr", "prof", "madam", "madame", "sir", "dame", "lord", "lady",
             "sheikh", "dato", "datuk", "excellency", "honorable", "hon"}
#: Office words that stand before a name ("Deputy Prime Minister Prak Sokhonn") and are not it.
OFFICE_WORDS = {
    "deputy", "prime", "minister", "foreign", "secretary", "state", "general", "counselor",
    "counsellor", "president", "vice", "ambassador", "senior", "special", "envoy", "chancellor",
    "premier", "king", "queen", "crown", "prince", "princess", "techo", "samdech", "akka",
    "moha", "sena", "padei", "chairman", "chair", "director", "governor", "mayor", "senator",
    "speaker", "admiral", "commander", "defense", "defence", "finance", "trade", "national",
    "security", "adviser", "advisor", "assistant", "under", "permanent", "representative",
    "head", "chief", "executive", "supreme", "leader", "sultan", "emir", "emperor", "pm", "dpm",
    "fm", "mfa", "external", "affairs", "interior", "home", "first", "lady", "former", "acting",
    "amir", "principal", "homeland", "coordinator", "administrator", "attorney",
}


def _is_office(word: str) -> bool:
    """An office word, singular or plural ("Advisor", "Advisors")."""
    bare = word.rstrip(".").lower()
    return bare in OFFICE_WORDS or (bare.endswith("s") and bare[:-1] in OFFICE_WORDS)
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_NAME_TOKEN = re.compile(r"\s*([A-Z\u00C0-\u00DE][\w\u00C0-\u024F'-]*\.?)")  # "Mr.", "R.", "Blinken"
_ROLE = re.compile(
    r",\s*(?P<role>.+?)(?=,?\s+and\s+(?:His|Her|H\.\s?E\.|Mr|Ms)|,\s*(?:and|had|has|who|to|on|in|at"
    r"|during|for|as|while)\b|\s+(?:had|has|held|met|made|paid|was|is)\b|\s+on\s+\d|$)"
)


@dataclass
class Person:
    """A person found in text: name as written, the office words before it and the role after."""

    name: str
    role: str | None = None
    country: str | None = None

    @property
    def key(self) -> str:
        return person_key(self.name)


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


def find_people(text: str) -> list[Person]:
    """People introduced by an honorific in ``text``, in order, with role and country."""
    people = []
    for match in _HONORIFIC.finditer(text):
        pos = match.end()
        office: list[str] = []
        name: list[str] = []
        while True:
            token = _NAME_TOKEN.match(text, pos)
            particle = re.match(r"\s+([a-z]+)(?=\s+[A-Z])", text[pos:])
            if not token and name and particle and particle.group(1) in _PARTICLES:
                name.append(particle.group(1))  # "Mohamed bin Zayed"
                pos += particle.end()
                continue
            if not token:
                break
            word = token.group(1)
            bare = word.rstrip(".").lower()
            if bare in _COURTESY or (not name and bare in OFFICE_WORDS):
                if bare in OFFICE_WORDS:
                    office.append(word)
                pos = token.end()
                continue
            if bare in OFFICE_WORDS or bare in ("and", "of") or len(name) == 5:
                break
            possessive = word.endswith("'s")
            name.append(word.removesuffix("'s").rstrip("."))
            pos = token.end()
            if possessive:
                break
        if not name:
            continue
        role_match = _ROLE.match(text, pos)
        role_parts = [" ".join(office)] if office else []
        if role_match:
            role_parts.append(role_match.group("role").strip().rstrip("."))
        role = ", ".join(p for p in role_parts if p) or None
        countries = countries_in(role) if role else []
        people.append(Person(" ".join(name), role, countries[0] if countries else None))
    return people


#: Lower-case name particles that may stand inside a name ("Ursula von der Leyen").
_PARTICLES = {"von", "der", "van", "de", "da", "di", "del", "la", "le", "bin", "binti", "al",
              "el", "ibn", "dos", "du"}
#: Capitalised words that end a name or are never one.
_NOT_NAMES = {"readout", "meeting", "meetings", "call", "calls", "conversation", "visit", "trip",
              "trilateral", "bilateral", "summit", "statement", "remarks", "white", "house", "the",
              "on", "with", "and", "of", "for", "in", "to", "at", "a", "an", "his", "her", "who",
              "are", "is", "was", "were", "will", "can", "has", "have", "today", "convene"}
#: Words that make a capitalised run an institution, not a person ("Economic Council").
_INSTITUTIONS = {"council", "committee", "commission", "department", "ministry", "office",
                 "agency", "administration", "union", "nations", "organization", "forum",
                 "group", "leaders", "officials", "government", "cabinet", "assembly",
                 "parliament", "congress", "senate", "court", "bank", "fund", "task", "force",
                 "staff", "team", "delegation", "embassy", "authority", "states", "legislators",
                 "convening", "advocates", "experts", "climate", "policy", "affairs", "offices",
                 "families", "members", "partners", "allies"}
_WORD = re.compile(r"[A-Z\u00C0-\u00DE][\w\u00C0-\u024F.'-]*|[a-z]+|[^\s\w]+")


def find_people_by_office(text: str) -> list[Person]:
    """People named after their office, without an honorific, as in the White House's
    readouts: "President Biden", "Prime Minister Frederiksen of Denmark", "Indonesian
    Coordinating Minister ... Luhut Pandjaitan", "European Commission President Ursula von der
    Leyen". The office words are the role; "of <country>" after the name, or a nationality
    before the office, is the country."""
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    people: list[Person] = []
    i = 0
    while i < len(words):
        word = words[i][0]
        if not word[0].isupper() or not _is_office(word):
            i += 1
            continue
        start = i
        while i < len(words) and words[i][0][0].isupper() and _is_office(words[i][0]):
            i += 1
            # "National Security Advisor to the Vice President": one office.
            joined = 2 if [w for w, _, _ in words[i:i + 2]] == ["to", "the"] else 0
            if joined and i + joined < len(words) and _is_office(words[i + joined][0]) and \
                    words[i + joined][0][0].isupper():
                i += joined
        while i < len(words) and words[i][0].rstrip(".").lower() in _COURTESY:
            i += 1  # "Dr. Liz Sherwood-Randall", "Sheikh Tamim"
        office = [w for w, _, _ in words[start:i] if w.rstrip(".").lower() not in _COURTESY]
        tail = _office_tail(words, i)  # "Finance Minister of Ukraine, Sergii Marchenko"
        tail_country = None
        if tail:
            office += [w for w, _, _ in words[i:tail - 1]]
            found = countries_in(" ".join(w for w, _, _ in words[i:tail - 1]))
            tail_country = found[0] if found else None
            i = tail
        name: list[str] = []
        while i < len(words) and len(name) < 5:
            token = words[i][0]
            bare = token.removesuffix("'s").removesuffix("'").rstrip(",")
            if len(bare) > 2 and bare.endswith("."):
                bare = bare[:-1]  # a full stop after a word, not an initial's ("R.")
            if token[0].isupper() and bare.rstrip(".").lower() not in _NOT_NAMES and \
                    not _is_office(bare):
                name.append(bare)
                i += 1
                if token.endswith(("'s", "'", ",")):
                    break  # "Biden's", "Biden," end the name
            elif token in _PARTICLES and name:
                name.append(token)
                i += 1
            else:
                break
        while name and name[-1] in _PARTICLES:
            name.pop()
        if i < len(words) and _is_office(words[i][0]):
            continue  # "National Climate Advisor": the run was part of an office, not a name
        if not name or bare_name_is_country(name) or \
                any(w.lower() in _INSTITUTIONS for w in name):
            continue
        country = tail_country
        rest = text[words[i - 1][2]:] if i and country is None else ""
        after = re.match(r"\s+of\s+((?:the\s+)?[A-Z][\w'.-]*(?:\s+(?:of\s+)?[A-Z][\w'.-]*){0,4})",
                         rest)
        if after:
            found = countries_in(after.group(1))
            country = found[0] if found else None
        if country is None and start > 0:  # "Indonesian Minister", "European Commission President"
            found = countries_in(" ".join(w for w, _, _ in words[max(0, start - 4):start]))
            country = found[-1] if found else None
        qualifiers = _office_qualifiers(words, start)
        role = " ".join([*qualifiers, *office]) or None
        people.append(Person(" ".join(name), role, country))
    return people


#: Capitalised words that qualify an office when they stand just before it ("National
#: Climate Advisor", "National Economic Council Director", "European Commission President").
_QUALIFIERS = _INSTITUTIONS | {"national", "economic", "homeland", "domestic", "european",
                               "security", "foreign", "trade", "health", "energy", "defense",
                               "defence", "interior", "finance", "principal", "senior", "chief"}


def _office_qualifiers(words: list[tuple[str, int, int]], start: int) -> list[str]:
    """The qualifying words standing right before the office word at ``start``."""
    first = start
    while first > 0 and start - first < 4:
        word = words[first - 1][0]
        if not word[0].isupper() or word.lower() not in _QUALIFIERS:
            break
        first -= 1
    return [w for w, _, _ in words[first:start]]


def _office_tail(words: list[tuple[str, int, int]], i: int) -> int | None:
    """Where the name starts when an office goes on with "of"/"for" and a comma before it
    ("Finance Minister of Ukraine, Sergii Marchenko", "Director-General for Neighborhood and
    Enlargement Negotiations, Gert Jan Koopman"), or None."""
    if i >= len(words) or words[i][0] not in ("of", "for"):
        return None
    for j in range(i + 1, min(i + 10, len(words) - 2)):
        word = words[j][0]
        if word == ",":
            after = [w for w, _, _ in words[j + 1:j + 5]]
            capitalised = 0
            while capitalised < len(after) and after[capitalised][:1].isupper() and \
                    after[capitalised].lower() not in _NOT_NAMES and \
                    not _is_office(after[capitalised]):
                capitalised += 1
            ends = after[capitalised] if capitalised < len(after) else ""
            return j + 1 if capitalised >= 2 and ends in (",", "and", ".", "") else None
        if not (word[:1].isupper() or word in _PARTICLES or word in ("and", "the", "of")):
            return None
    return None


def bare_name_is_country(name: list[str]) -> bool:
    return bool(countries_in(" ".join(name)))


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


def merge_people(people: list[Person]) -> list[list[Person]]:
    """Group mentions of the same person, first mention first; a bare name joins a full one."""
    groups: list[list[Person]] = []
    for person in sorted(people, key=lambda p: -len(p.key.split())):
        for group in groups:
            if any(same_person(person.key, other.key) for other in group):
                group.append(person)
                break
        else:
            groups.append([person])
    order = {id(p): i for i, p in enumerate(people)}
    groups.sort(key=lambda g: min(order[id(p)] for p in g))
    return groups


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
