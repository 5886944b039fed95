"""Layout -> metadata: title, dates, places, kind of release or contact, countries. People
are read in ``participants.py``."""

from __future__ import annotations

import datetime as dt
import re

from .cleaning import Layout, signoff_parts
from .countries import countries_in
from .dates import as_date, event_dates, find_dates
from .release import Participant
from .sentences import first_sentence

#: Kinds of contact, most specific first; the first that the title (else the lead) names wins.
KINDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern, re.I))
    for kind, pattern in [
        ("video call", r"\bvideo[- ]?(?:call|conference|conferencing)|\bvirtual (?:meeting|call)"),
        ("telephone conversation", r"\b(?:tele)?phone\b|\bcall(?:ed|s)? (?:with|on)\b"
                                   r"|\bcall\b(?! on| to action| for)"),
        ("courtesy call", r"\bcourtesy (?:call|visit)"),
        ("joint statement", r"\bjoint (?:statement|communiqu|press)"),
        ("meeting", r"\bmeeting\b|\bmet\b|\bmeets\b|\btalks\b|\bsummit\b|\bdialogue\b"
                    r"|\broundtable\b|\bconvening\b|\bpull[- ]aside\b"),
        ("visit", r"\bvisit"),
        ("statement", r"\bstatement\b"),
    ]
]
#: What a release is, as its title says, before what it reports: a "Fact Sheet: President
#: Biden to Visit Minnesota" is a fact sheet. A call a joint statement is wholly about is the
#: call ("Joint Statement on the Phone Call between ...").
GENRES: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern, re.I))
    for kind, pattern in [
        ("telephone conversation", r"\b(?:tele)?phone (?:call|conversation)\b"),
        ("video call", r"\bvideo[- ]?(?:call|conference)"),
        ("fact sheet", r"\bfact\s*sheet\b"),
        ("memorandum", r"^(?:\w+\s+){0,2}(?:memorandum|memo)\b"),
        ("letter", r"^(?:a\s+)?letters?\s+(?:to|from)\b|^message\s+to\s+the\s+"
                   r"(?:congress|senate|house)\b"),
        ("executive order", r"^executive order\b|\bsign(?:s|ed)?\s+(?:an\s+)?executive order\b"),
        ("joint statement", r"\bjoint (?:statement|declaration|communiqu|press statement)|"
                            r"\bleaders'? statement|\bvision statement\b"),
        ("remarks", r"^remarks\b"),
        ("nomination", r"\bnominat|\bnominee|\bappoint|\bpresidential delegation\b|"
                       r"\bannounces\b.+\bas\s+(?:senior|special|chief|deputy|the\s+)?\s*"
                       r"(?:advis[eo]r|coordinator|director|envoy|ambassador|counselor)|"
                       r"\bnames\b.+\bround\b"),
        ("statement", r"\bstatement\b|\bdeclaraci[oó]n del\b|\bd[ée]claration du\b|"
                      r"\bpresidential message\b|^message\b"),
    ]
]
#: Acts that are no statement and no contact: a declared disaster.
_NO_KIND = re.compile(r"\b(?:disaster|emergency) declaration\b", re.I)
_VIRTUAL = re.compile(r"\b(?:met|meets|convened|convenes|hosted|hosts|gathered)\s+virtually\b|"
                      r"\bvirtually\s+(?:met|convened|hosted|gathered|joined)\b|"
                      r"\bvirtual (?:meeting|convening|roundtable)\b", re.I)
#: Signed for two governments or more: a document of them both.
_SIGNED_JOINTLY = re.compile(r"\bFor the Government\b")


_EVENT_PLACE = re.compile(
    r"\bin\s+((?:(?:[A-Z]\.)+|[A-Z][\w'-]*)(?:\s+(?:(?:[A-Z]\.)+|[A-Z][\w'-]*)){0,3})"
)


def title_of(layout: Layout, meta: dict[str, object], first_sentence: str) -> tuple[str, bool]:
    """(title, found): declared title, else the heading, else the lead sentence, shortened."""
    for key in ("title", "h1", "html_title"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split()), True
    if layout.heading:
        return " ".join(layout.heading), True
    # The title a PDF or Word file declares is often a file name or a template's: only when
    # the page shows none.
    value = meta.get("fallback_title")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split()), True
    words = first_sentence.split()
    return " ".join(words[:16]) + (" …" if len(words) > 16 else ""), False


def kind_of(title: str, lead: str, text: str = "") -> str | None:
    """The kind of release or contact: what the title says the release is ("fact sheet",
    "memorandum", "statement", ...), else the contact the title, then the lead, names ("video
    call", "telephone conversation", "meeting", ...); a readout of nothing more specific is
    of a meeting, a contact held virtually a video call, a text signed for two governments
    a joint statement, and a release that reports no contact and is no act a statement."""
    for kind, pattern in GENRES:
        if pattern.search(title):
            return kind
    if _NO_KIND.search(title):
        return None
    if len(_SIGNED_JOINTLY.findall(text)) >= 2:
        return "joint statement"
    found = None
    for part in (title, lead):
        for kind, pattern in KINDS:
            if pattern.search(part):
                found = kind
                break
        if found:
            break
    if found is None and re.search(r"\breadout\b", title, re.I):
        found = "meeting"
    if found in ("meeting", None) and _VIRTUAL.search(lead):
        return "video call"
    return found or "statement"


def event_date_of(title: str, paragraphs: list[str], released: dt.date | None) -> dt.date | None:
    """The day of the call, meeting or happening a release reports: the first day the
    title gives, else ``paragraphs`` (those up to the lead, the lead and the one after it) ("On 13 May 2022", "today",
    "met yesterday", "On Wednesday, November 1"; see :func:`dates.event_dates`), or None
    when they give none."""
    for text in [title, *paragraphs]:
        found = event_dates(text, released)
        if found:
            # What happened outranks what is to come: "will return on Sunday ... spoke to
            # Prime Minister Albanese earlier today".
            done = [day for _, day in found if released is None or day <= released]
            return done[0] if done else found[0][1]
    for text in paragraphs:
        if re.fullmatch(r"\d{1,2}:\d\d\s*[AP]\.?M\.?(?:\s+[A-Z]{2,4})?", text.strip()):
            return released  # a transcript's time line: "3:40 P.M. EST"
    return None


def event_place_of(title: str, lead: str) -> str | None:
    """"in Washington D.C." / "in Phnom Penh" in the title or lead, if a place is named."""
    for text in (title, lead):
        for match in _EVENT_PLACE.finditer(text):
            place = match.group(1).rstrip(",")
            if not place.isupper() and not find_dates(place) and place.split()[0] not in (
                "The", "His", "Her", "Addition", "Particular", "Order", "Response"
            ):
                return place
    return None


#: Web domains only one government uses: a release published there is that government's.
_GOVERNMENT_DOMAINS = {"gov": "United States", "mil": "United States"}


#: Front-matter keys that give where a release was published, in order of preference.
ADDRESS_KEYS = ("source_url", "url", "link", "canonical_url")


def source_url_of(meta: dict) -> str | None:
    """The address the release was published at, from its front matter (a web address)."""
    for key in ADDRESS_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and "://" in value:
            return value.strip()
    return None


def country_of_address(meta: dict) -> str | None:
    """The issuing government's country from the address the release was published at
    (front matter ``source_url``, ``url`` or ``link``): "...whitehouse.gov/..." -> United
    States."""
    from urllib.parse import urlsplit

    for key in ("source_url", "url", "link", "canonical_url"):
        value = meta.get(key)
        if isinstance(value, str) and "://" in value:
            host = (urlsplit(value).hostname or "").rstrip(".")
            return _GOVERNMENT_DOMAINS.get(host.rsplit(".", 1)[-1])
    return None


def issuer_country(letterhead: list[str], meta: dict) -> str | None:
    """The issuing government's country, when the release says it: named in its letterhead
    ("KINGDOM OF CAMBODIA"), or given by the address it was published at."""
    for line in letterhead:
        found = countries_in(line.title())
        if found:
            return found[0]
    return country_of_address(meta)


def home_country(participants: list[Participant], letterhead: list[str], text: str,
                 title: str = "", meta: dict | None = None) -> str | None:
    """The issuing government's country: named in the letterhead, else given by the address
    it was published at, else the first participant's (releases put their own minister
    first), else the country the text names most often apart from the counterparts' (the
    other participants' and those the title names)."""
    for line in letterhead:
        found = countries_in(line.title())
        if found:
            return found[0]
    published = country_of_address(meta or {})
    if published:
        return published
    # The first participant is the host, unless the title names them only after "with"
    # ("Officials' Meeting with President Petro of Colombia").
    host = participants[0] if participants else None
    if host and " with " in title and title.find(host.name.split()[-1]) > title.find(" with "):
        host = None
    if host and host.country:
        return host.country
    others = {p.country for p in participants if p is not host and p.country}
    others |= set(countries_in(title))
    counts: dict[str, int] = {}
    for name in re.findall(r"[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)*", text):
        for country in countries_in(name):
            if country not in others:
                counts[country] = counts.get(country, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


#: Kinds of contact: what their title says after " on " is the topic, not a party to it.
CONTACTS = {"telephone conversation", "video call", "meeting", "visit", "courtesy call"}


def counterparts(participants: list[Participant], title: str, home: str | None,
                 kind: str | None = None) -> list[str]:
    """Counterpart countries: the other participants' countries and those the title names
    as a party, which in a readout of a contact is not its topic ("... Meeting with
    Indo-Pacific Leaders on DPRK's Ballistic Missile Launch")."""
    if kind in CONTACTS:
        title = re.split(r"\s+on\s+(?!the\s+(?:margins|sidelines))", title)[0]
    seen: dict[str, None] = {}
    for name in [p.country for p in participants if p.country] + countries_in(title):
        if name and name != home:
            seen.setdefault(name, None)
    return list(seen)


def release_date_of(layout: Layout, meta: dict[str, object]) -> tuple[dt.date | None, str | None,
                                                                     str | None]:
    """(release date, place, spokesperson): the sign-off, else the dateline, else declared."""
    place, date_text, spokesperson = signoff_parts(layout.signoff)
    day = as_date(date_text) if date_text else None
    if day is None and layout.dateline:
        dl_place, dl_date, _ = signoff_parts([layout.dateline])
        day, place = as_date(dl_date), place or dl_place
    # "created": a PDF or Word file's creation date, the last resort.
    for key in ("date", "published_time", "datePublished", "article:published_time", "created"):
        if day is None and meta.get(key):
            day = as_date(meta[key])
    return day, place, spokesperson


def issuer_of(letterhead: list[str]) -> str | None:
    """The issuing body as its letterhead names it ("MINISTRY OF FOREIGN AFFAIRS ...")."""
    for block in letterhead:
        if re.search(r"\b(?:MINIST|EMBASS|OFFICE|DEPARTMENT|WHITE HOUSE)", block, re.I):
            return block
    return None


def lead_of(paragraphs: list[str]) -> str:
    """The lead: the first sentence of the first paragraph, where a release says who met whom."""
    return first_sentence(paragraphs[0]) if paragraphs else ""


def fill_countries(participants: list[Participant], home: str | None) -> list[Participant]:
    """The first participant with no country named is the issuing government's own."""
    if participants and not participants[0].country and home:
        p = participants[0]
        participants = [Participant(p.name, p.key, p.role, home), *participants[1:]]
    return participants

