"""What words are: English words, given names, offices, honorifics. The evidence a name is
judged on.

Two lists shipped in ``data/``, each with its source and licence in its header:

- ``english-words.txt.gz``: 64,000 English words in lower case (SCOWL, size 50). A capitalised
  word that is an English word ("Announces", "Order", "Strategy") proves nothing by its
  capital in a Title Case headline; one that is not ("Biden", "Sokhonn") is name-like.
- ``given-names.txt``: 8,400 given names (Moby Words II). A given name before another
  capitalised word starts a person's name ("Jennifer Klein", "Tomas Pojar").

The office vocabulary is this module's own: the heads of offices, which stand right before a
name ("President", "Prime Minister", "Secretary", "Leader"), and the words that qualify them
("National Security", "Deputy", "Foreign").
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache

from ..shipped import shipped_bytes


def _lines(name: str) -> list[str]:
    data = shipped_bytes(name)
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return [line.strip() for line in data.decode("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    return frozenset(_lines("english-words.txt.gz"))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(n.casefold() for n in _lines("given-names.txt"))


@lru_cache(maxsize=65536)
def bare(word: str) -> str:
    """A word without possessive, trailing full stop and case: "Biden's" -> "biden"."""
    word = word.replace("\u2019", "'")
    for end in ("'s", "'"):
        if word.endswith(end):
            word = word[: -len(end)]
    return word.rstrip(".").casefold()


@lru_cache(maxsize=65536)
def is_word(word: str) -> bool:
    """An English word in lower case ("Announces", "Order"), or each part of a hyphenated one
    ("Thirty-Second", "Cross-Sector")."""
    b = bare(word)
    words = english_words()
    if b in words:
        return True
    parts = [p for p in b.split("-") if p]
    return len(parts) > 1 and all(p in words or p.isdigit() for p in parts)


def is_given_name(word: str) -> bool:
    """A given name, accents aside ("Nicolás" as "Nicolas")."""
    return _given(bare(word))


@lru_cache(maxsize=65536)
def _given(b: str) -> bool:
    import unicodedata

    b = "".join(c for c in unicodedata.normalize("NFKD", b) if not unicodedata.combining(c))
    return b in given_names() and b not in OFFICE_HEADS and b not in QUALIFIERS


#: Offices that stand right before a name: "President Biden", "Leader Schumer". Lower case.
OFFICE_HEADS = {
    "president", "vice-president", "president-elect", "minister", "premier", "chancellor",
    "secretary", "secretary-general", "under-secretary", "undersecretary", "director",
    "director-general", "administrator", "advisor", "adviser", "counselor", "counsellor",
    "counsel", "envoy", "coordinator", "representative", "ambassador", "governor", "mayor",
    "senator", "congressman", "congresswoman", "congressmember", "speaker", "leader", "whip",
    "chair", "chairman", "chairwoman", "chairperson", "co-chair", "chief",
    "commissioner", "commander", "admiral", "general", "lieutenant", "colonel", "sergeant",
    "attorney", "justice", "judge", "king", "queen", "prince", "princess", "crown", "emperor",
    "empress", "sultan", "emir", "amir", "pope", "lady", "spokesperson", "spokesman",
    "spokeswoman", "head", "officer", "assistant", "deputy", "tánaiste",
    "taoiseach", "chancellor", "presidente", "président", "présidente", "vicepresidente",
    "vicepresidenta", "ministro", "ministre", "primer", "premier", "secretario", "secretaria",
    "treasurer", "comptroller", "surgeon", "delegate", "negotiator", "czar", "manager",
    "pm", "dpm", "fm", "sherpa", "member", "economist",
}
#: Words that qualify an office before its head: "National Security Advisor", "Deputy Prime
#: Minister", "Foreign Minister". Lower case.
QUALIFIERS = {
    "deputy", "vice", "prime", "foreign", "state", "senior", "special", "national", "security",
    "defense", "defence", "finance", "trade", "economic", "homeland", "domestic", "principal",
    "first", "former", "acting", "interim", "permanent", "chief", "executive", "assistant",
    "under", "federal", "general", "high", "supreme", "majority", "minority", "democratic",
    "republican", "house", "senate", "press", "communications", "policy", "climate", "health",
    "energy", "interior", "treasury", "labor", "commerce", "education", "transportation",
    "agriculture", "justice", "veterans", "defense", "cabinet", "crown", "white", "u.s.",
    "us", "un", "eu", "nato", "au", "co", "associate", "lead", "global", "international",
    "regional", "civil", "rights", "public", "engagement", "legislative", "intergovernmental",
    "affairs", "external", "home", "coordinating", "ranking", "lady", "grand", "honorary",
    "alternate", "associate", "presidential",
}
#: Honorifics and courtesy titles: not part of a name, and evidence of one after them.
HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "madam", "madame", "sir",
    "dame", "lord", "lady", "sheikh", "sheikha", "shaikh", "dato", "datuk", "dato'", "tan",
    "excellency", "honorable", "honourable", "hon", "samdech", "rev", "reverend", "his",
    "her", "majesty", "highness", "royal", "h.e", "h.r.h", "hrh", "admiral", "general",
    "ambassador", "senator", "governor", "judge", "justice", "father", "sister", "brother",
    "pastor", "rabbi", "imam", "cardinal", "bishop", "archbishop",
}
#: Honorifics that are evidence of a name only beside another ("His Excellency", "Her
#: Majesty", "Royal Highness"): alone they open ordinary phrases ("the Royal Family").
WEAK_HONORIFICS = {"his", "her", "royal", "majesty", "highness"}
#: Name suffixes and regnal numbers, kept in keys ("Abdullah II" is not "Abdullah").
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii",
            "xiv", "xv", "xvi"}
#: Lower-case particles inside names ("Ursula von der Leyen", "Mohammed bin Salman").
PARTICLES = {"von", "der", "van", "de", "da", "di", "del", "la", "le", "bin", "binti", "al",
             "el", "ibn", "dos", "du", "des", "ter", "den", "y", "e", "bint", "abu", "af"}
#: Capitalised words that never stand in a person's name (institutions, genres of release,
#: calendar words, function words of a headline). Lower case.
NOT_NAMES = {
    "readout", "statement", "statements", "remarks", "fact", "sheet", "memorandum", "memo",
    "letter", "message", "proclamation", "order", "executive", "joint", "declaration",
    "meeting", "meetings", "call", "calls", "conversation", "visit", "trip", "trilateral",
    "bilateral", "summit", "white", "house", "the", "on", "with", "and", "of", "for", "in",
    "to", "at", "a", "an", "his", "her", "their", "our", "its", "who", "are", "is", "was",
    "were", "will", "can", "has", "have", "today", "tonight", "yesterday", "tomorrow",
    "council", "committee", "commission", "department", "ministry", "office", "agency",
    "administration", "union", "nations", "organization", "forum", "group", "leaders",
    "officials", "government", "cabinet", "assembly", "parliament", "congress", "senate",
    "court", "bank", "fund", "task", "force", "staff", "team", "delegation", "embassy",
    "authority", "states", "state", "republic", "kingdom", "federation", "act", "bill", "law",
    "day", "week", "month", "year", "january", "february", "march", "april", "june", "july",
    "august", "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "icymi", "washington", "i",
    "we", "you", "he", "she", "they", "it", "this", "that", "these", "those", "as", "by",
    "from", "after", "before", "during", "upon", "under", "over", "following", "ahead",
    "when", "while", "since", "where", "which", "what", "how", "why", "both", "all", "each",
    "secretariat", "bureau", "academy", "dialogue", "leadership", "region", "province",
    "city", "county", "island", "islands", "program", "initiative", "partnership",
    "alliance", "center", "centre", "institute", "university", "college", "school",
    "foundation", "corporation", "company", "companies", "association", "caucus", "party",
    "service", "services", "corps", "guard", "army", "navy", "air", "marine", "marines",
    "police", "medicare", "medicaid", "hurricane", "storm", "covid", "covid-19",
    "mister", "no", "not", "new", "via", "per", "un", "eu", "nato", "g7", "g20", "asean",
    "apec", "rok", "dprk", "prc", "usa", "uk", "roundtable", "family", "families", "people",
    "peoples", "nation", "nations", "monument", "memorial", "award", "awards", "prize",
    "medal", "scholar", "scholarship", "fellowship", "professorship", "bridge",
    "building", "hall", "museum", "library", "park", "highway", "airport", "stadium",
    "avenue", "street", "boulevard", "square", "plaza", "station", "base", "fort",
}
#: International organisations: an office of one ("NATO Secretary General") is no country's.
INTERNATIONAL = re.compile(
    r"\b(?:NATO|North Atlantic Treaty Organization|United Nations|UN|U\.N\.|IMF|International "
    r"Monetary Fund|World Bank|World Health Organization|WHO|WTO|World Trade Organization|OECD|"
    r"IAEA|UNICEF|UNESCO|UNHCR|OSCE|Interpol|INTERPOL|OPEC|International Committee of the Red "
    r"Cross|ICRC|G7|G20|International Criminal Court)\b")
#: Words of a release's opening that introduce its author: "Statement by", "Remarks of".
FUNCTION_WORDS = {"of", "the", "and", "to", "for", "on", "in", "at", "by", "with", "a", "an",
                  "from", "as", "or", "into", "between", "about", "vs", "v"}
