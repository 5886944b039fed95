"""Query text -> Whoosh query: the query language users type.

    Blinken May 2022                 words: all required (up to 3; longer queries relax)
    "Five-point Consensus"           a phrase: the words side by side
    Japan OR Norway, NOT Japan, -Japan, (a OR b) c, naval*
    participant:motegi country:"United States" kind:"video call" title:ASEAN place:Oslo
    date:2022  date:2022-05  date:[2022-01-01 TO 2022-06-30]  date:[2022-03 TO]

Rules, in order:

1. A query that cannot be read as syntax (unbalanced quote or bracket, stray colon, unknown
   field, a bare or leading ``*``, a prefix of one letter) is answered as the words it holds,
   with a one-line notice. Nothing expands to the whole vocabulary.
2. Synonyms and acronyms ("U.S." = "US" = "USA" = "United States", "PM" = "Prime Minister")
   become alternatives, from ``data/synonyms.txt`` or the user's file.
3. Minimum should match, in a paragraph (with its release's title, participants and dates):
   a query of plain words (no operators) needs all its words up to 3 words, all but one at 4,
   and a quarter of them (at least 2) from 5 words on, stopwords not counted: Elasticsearch's
   ``minimum_should_match: "3<-1 4<25%"``. Releases matching more words score higher (BM25
   sums the words found), and a long question's matches are re-ranked by pseudo-relevance
   feedback (see :mod:`searcher.search.query`). Tuned on the Cranfield judgments, where requiring
   more of a question's words loses relevant documents that word it differently.
4. Typo tolerance: a word found nowhere in the index, or in one paragraph only, also matches
   words within edit distance 1 (from 5 letters) or 2 (from 9), keeping its first letter,
   never for numbers; such matches count for half, so exact matches outrank them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import query as Q
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser

from ..index.analysis import STOPWORDS, normalize_word
from ..index.schema import FIELD_BOOSTS, SEARCH_FIELDS
from ..ingest.countries import canonical as canonical_country
from ..ingest.typography import normalize_text
from ..shipped import shipped_text
from .minmatch import MinimumMatch

if TYPE_CHECKING:
    from whoosh.reading import IndexReader

    from .cache import IndexCache

Query = Q.Query

#: Field names users may write, and the index field each means.
FIELD_NAMES = {
    "participant": "participants", "participants": "participants", "person": "participants",
    "people": "participants", "country": "countries", "countries": "countries", "kind": "kind",
    "title": "title", "place": "place", "date": "day", "body": "body", "text": "body",
    "spokesperson": "signoff", "signoff": "signoff", "signatory": "signoff",
}
#: Plain queries of up to this many words need them all; longer ones any (ranked by how many).
ALL_REQUIRED = 3
#: From this many words on, a query is running text: dashes and "+" are punctuation.
LONG_QUERY_WORDS = 6
FUZZY_FIELDS = ("body", "title", "participants")
#: A word in at most this many documents is "very rare" and also matched fuzzily.
RARE = 1
FUZZY_WEIGHT = 0.5
#: At most this many spellings stand for one misspelt word.
MAX_EXPANSIONS = 32

_FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_]+):")
_DAY = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class ParsedQuery:
    """A Whoosh query and what the parser noticed on the way."""

    text: str
    query: Query
    notices: list[str] = field(default_factory=list)
    #: word as typed -> index terms it was fuzzily matched to (for "Did you mean").
    corrections: dict[str, set[str]] = field(default_factory=dict)
    #: the query without fuzzy alternatives, for comparing what the corrections found.
    exact: Query | None = None
    #: analysed words of a plain query, in order (for proximity).
    question: list[str] = field(default_factory=list)
    #: a short query's words OR'ed, for when no release holds them all.
    relaxed: Query | None = None
    #: the query's capitalised words (normalised): names, matched in their variant spellings.
    names: set[str] = field(default_factory=set)
    #: the index's cache, where the word lists near spellings are looked for in are kept.
    cache: IndexCache | None = field(default=None, repr=False, compare=False)


# -- synonyms ---------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def load_synonyms(path: str | None = None) -> tuple[dict[str, tuple[str, ...]], int]:
    """Synonym groups from ``path`` (or the shipped file): phrase (lower case) -> its group,
    and the longest phrase's length in words. A line: equivalents separated by commas."""
    if path:
        text = Path(path).read_text("utf-8")
    else:
        text = shipped_text("synonyms.txt")
    groups: dict[str, tuple[str, ...]] = {}
    longest = 1
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group = tuple(dict.fromkeys(p.strip() for p in line.split(",") if p.strip()))
        for phrase in group:
            groups[_synonym_key(phrase)] = group
            longest = max(longest, len(phrase.split()))
    return groups, longest


def _synonym_key(phrase: str) -> str:
    return " ".join(normalize_word(w) for w in phrase.split())


def _expand_synonyms(text: str, synonyms: dict[str, tuple[str, ...]], longest: int) -> str:
    """Rewrite unquoted, unfielded words that have synonyms into a group of alternatives."""
    out: list[str] = []
    for piece in re.split(r'("[^"]*"|\S+:\S+|\(|\))', text):
        if not piece or piece.startswith('"') or ":" in piece or piece in "()":
            out.append(piece)
            continue
        words = piece.split(" ")
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                key = _synonym_key(" ".join(words[i:i + n]))
                if key and key in synonyms and words[i].upper() not in ("AND", "OR", "NOT"):
                    alts = [f'"{a}"' if " " in a else a for a in synonyms[key]]
                    out.append("(" + " OR ".join(alts) + ")")
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
            out.append(" ")
    return "".join(out)


# -- checking and rewriting the text ----------------------------------------------------------

def problems(text: str) -> list[str]:
    """What keeps ``text`` from being read as query syntax (empty if nothing)."""
    found = []
    if text.count('"') % 2:
        found.append("unbalanced quote")
    unquoted = re.sub(r'"[^"]*"', "Q", text)  # a phrase stands as one word
    if unquoted.count("(") != unquoted.count(")"):
        found.append("unbalanced parenthesis")
    if unquoted.count("[") != unquoted.count("]") or unquoted.count("{") != unquoted.count("}"):
        found.append("unbalanced bracket")
    for match in _FIELD_PREFIX.finditer(unquoted):
        name = match.group(1)
        if name.lower() not in FIELD_NAMES:
            found.append(f"unknown field {name!r} (fields: {', '.join(_public_fields())})")
        elif match.end() >= len(unquoted) or unquoted[match.end()].isspace():
            found.append(f"nothing after {name}:")
    if re.search(r"(?:^|\s):|:(?:\s|$)", unquoted) and not any("nothing after" in p for p in found):
        found.append("stray colon")
    for word in re.findall(r"[^\s()]*[*][^\s()]*", unquoted):
        literal = re.match(r"[\w'.-]*", word.split(":")[-1]).group(0)
        if len(literal) < 2:
            found.append(f"wildcard {word!r} needs at least two letters before it")
    return found


def _public_fields() -> list[str]:
    return ["participant", "country", "kind", "title", "place", "date", "spokesperson"]


def words_only(text: str) -> str:
    """The words a query holds, without syntax."""
    text = _FIELD_PREFIX.sub(" ", text)
    text = re.sub(r'["()\[\]{}*?^~:]|(?<!\w)[+-]', " ", text)
    text = re.sub(r"\b(?:AND|OR|NOT|TO)\b", " ", text)
    return " ".join(text.split())


def _punctuation(text: str) -> str:
    """Marks that are punctuation in running text, never syntax: ``?`` and ``!`` (a question
    ends with one; ``*`` is the only wildcard), ``^`` and ``~`` outside a quoted phrase's end,
    and, in a long query (a pasted sentence), dashes and ``+``: "high-speed -dash" is words."""
    text = re.sub(r"[?!]", " ", text)
    text = re.sub(r'(?<!")[\^~](?:\d+(?:\.\d+)?)?', " ", text)
    if len(re.findall(r"\w+", text)) > LONG_QUERY_WORDS:
        text = re.sub(r'(^|[\s(])[-+]+(?=[\w"(])', r"\1", text)
    return text


def _rewrite(text: str) -> str:
    """``-word`` -> ``NOT word`` (only at a word's start: "Five-point" stays one word);
    ``+word`` -> ``word``; ``country:us`` -> ``countries:"United States"``."""
    text = re.sub(r'(^|[\s(])-(?=[\w"(])', r"\1NOT ", text)
    text = re.sub(r'(^|[\s(])\+(?=[\w"(])', r"\1", text)

    def country(match: re.Match[str]) -> str:
        value = match.group(2).strip('"')
        name = (canonical_country(value) or canonical_country(value.upper())
                or canonical_country(value.title()) or value)
        return f'{match.group(1)}:"{name}"'

    return re.sub(r'\b(country|countries):("[^"]*"|[^\s()]+)', country, text, flags=re.I)


def _is_plain(text: str) -> bool:
    """No explicit operator, field or wildcard: words, phrases, and perhaps a parenthetical
    remark, as in a question or a half-remembered sentence. (Words excluded with NOT or
    ``-`` leave the rest plain: see :func:`_relax`.)"""
    return not re.search(r'\b(?:AND|OR)\b|[\[\]{}:*]', text)


# -- parsing ----------------------------------------------------------------------------------

#: Bounds on one query's work, whoever sends it: its length in characters, its words (a
#: word a posting list or more to read), and how deep brackets may nest.
MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_NESTING = 1000, 64, 8


def bounded(text: str) -> tuple[str, list[str]]:
    """``text`` within the bounds above, and what was cut, said. Characters that are not
    text (lone surrogates from undecodable bytes, control characters) become spaces."""
    notices = []
    text = "".join(" " if ("\ud800" <= ch <= "\udfff" or (ch < " " and ch not in "\t\n"))
                   else ch for ch in text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notices.append(f"query cut to its first {MAX_QUERY_CHARS:,} characters")
    words = text.split()
    if len(words) > MAX_QUERY_WORDS:
        text = " ".join(words[:MAX_QUERY_WORDS])
        notices.append(f"query cut to its first {MAX_QUERY_WORDS} words")
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        text = re.sub(r"[()]", " ", text)
        notices.append(f"brackets nested deeper than {MAX_NESTING}: searched without them")
    return text, notices


def parse(text: str, reader: IndexReader, synonyms_path: str | None = None,
          cache: IndexCache | None = None) -> ParsedQuery:
    """Read a user's query against the index behind ``reader`` (whose ``cache`` keeps the
    word lists typo tolerance reads)."""
    text, notices = bounded(normalize_text(text))
    text = _punctuation(text).strip()
    trouble = problems(text)
    if trouble:
        words = words_only(text)
        notices.append(f"could not read the query ({'; '.join(trouble)}); "
                       f"searched for its words: {words or '(none)'}")
        text = words
    plain = _is_plain(text)
    if plain and len(re.findall(r"\w+", re.sub(r'"[^"]*"', "", text))) > LONG_QUERY_WORDS:
        # In a long question, "pitot-static" is two words that each count, not a phrase.
        text = re.sub(r'(?<=\w)-(?=\w)(?=[^"]*(?:"[^"]*"[^"]*)*$)', " ", text)
    synonyms, longest = load_synonyms(synonyms_path)
    prepared = _expand_synonyms(_rewrite(text), synonyms, longest)

    schema = reader.schema
    parser = MultifieldParser(SEARCH_FIELDS, schema, fieldboosts=FIELD_BOOSTS, group=AndGroup)
    aliases: dict[str, list[str]] = {}
    for name, target in FIELD_NAMES.items():
        if name != target:
            aliases.setdefault(target, []).append(name)
    parser.add_plugin(FieldAliasPlugin(aliases))
    q = parser.parse(prepared)
    q = _fix_fields(q)
    question: list[str] = []
    relaxed = None
    if plain:
        q, groups, relaxed = _relax(q, _query_counts(text))
        question = [w for w in (_body_word(g) for g in groups) if w]
    parsed = ParsedQuery(text, q, notices, question=question, cache=cache)
    parsed.exact = q
    # Capitalised words may be names, whose spellings vary (Zelensky, Zelenskyy, Zelenskiy).
    parsed.names = {normalize_word(w) for w in re.findall(r"\b[A-Z][\w'-]{4,}", text)}
    parsed.query = _add_fuzzy(q, reader, parsed)
    if relaxed is not None:
        parsed.relaxed = _add_fuzzy(relaxed, reader, parsed)
    return parsed


def _query_counts(text: str) -> dict[str, int]:
    """How often each analysed word stands in the query (outside quotes): a word the user
    repeats weighs as often (Whoosh's parser keeps it once)."""
    from collections import Counter

    from ..index.analysis import analyze

    return Counter(term for term, *_ in analyze(re.sub(r'"[^"]*"', " ", text)))


def _fix_fields(q: Query) -> Query:
    """Dates as dates, participants in any order."""
    if isinstance(q, (Q.Term, Q.Prefix, Q.Wildcard)) and q.fieldname == "day":
        value = str(q.text).rstrip("*")
        if not _DAY.match(value):  # "date:May" -> the word in the dates text
            return Q.Term("dates", normalize_word(value), boost=q.boost)
        return date_range(value, value)
    if isinstance(q, Q.TermRange) and q.fieldname == "day":
        start = q.start if q.start and _DAY.match(str(q.start)) else None
        end = q.end if q.end and _DAY.match(str(q.end)) else None
        return date_range(start, end)
    if isinstance(q, Q.Phrase) and q.fieldname == "participants":
        return Q.And([Q.Term("participants", w, boost=q.boost) for w in q.words])
    if q.is_leaf():
        return q
    return q.apply(_fix_fields)


def date_range(start: str | None, end: str | None) -> Query:
    """Release dates from ``start`` to ``end`` inclusive, each ISO and perhaps partial
    ("2022", "2022-05"), either open (None)."""
    low = int((start.replace("-", "") + "0000")[:8]) if start else None
    high = int((end.replace("-", "") + "9999")[:8]) if end else None
    return Q.NumericRange("daynum", low, high, constantscore=True)


def _word_groups(q: Query) -> list[Query] | None:
    """The words of a plain query: the top-level And's members, nested Ands flattened."""
    if not isinstance(q, Q.And):
        return None
    groups: list[Query] = []
    for sub in q.subqueries:
        groups.extend(_word_groups(sub) or [sub])
    return groups


def _is_stopword(q: Query) -> bool:
    leaves = list(q.leaves()) if not q.is_leaf() else [q]
    return bool(leaves) and all(isinstance(x, Q.Term) and x.text in STOPWORDS for x in leaves)


def _relax(q: Query, counts: dict[str, int]) -> tuple[Query, list[Query], Query | None]:
    """A plain query's words: all required up to :data:`ALL_REQUIRED` written (repeats
    count), else any of them, ranked by how many (see :mod:`.ranking`); a repeated word's
    weight multiplied by its count; words excluded stay excluded. Returns the query, its
    word groups in order, and for a short query its words OR'ed (for when no release holds
    them all)."""
    groups = _word_groups(q)
    if not groups:
        return q, [q] if not isinstance(q, (Q.Not, Q.AndNot)) else [], None
    excluded = [g for g in groups if isinstance(g, Q.Not)]
    words = [g for g in groups if not isinstance(g, Q.Not)]
    content = [g for g in words if not _is_stopword(g)] or words
    if not content:
        return q, [], None
    weights = [counts.get(_body_word(g) or "", 1) for g in content]
    content = [g if w == 1 else _weighted(g, w) for g, w in zip(content, weights)]
    anyof = MinimumMatch(content, minmatch=1, coordinate=True)
    if words_needed(sum(weights)) < sum(weights):
        relaxed, fallback = anyof, None
    else:
        relaxed = Q.And(content) if len(content) > 1 else content[0]
        fallback = anyof if len(content) > 1 else None
    with_excluded = (lambda x: Q.And([x, *excluded]) if excluded else x)
    return with_excluded(relaxed), content, (with_excluded(fallback) if fallback else None)


def _weighted(q: Query, times: int) -> Query:
    """``q`` counting ``times`` over: its boosts (and its leaves') multiplied."""
    if q.is_leaf():
        copy = q.copy()
        copy.boost = q.boost * times
        return copy
    return q.apply(lambda child: _weighted(child, times))


def words_needed(n: int) -> int:
    """How many of a plain query's ``n`` words a release must hold to be found: all of a
    short query's, one of a long one's (more words matched rank higher)."""
    return n if n <= ALL_REQUIRED else 1


def _body_word(group: Query) -> str | None:
    terms = [t for t in ([group] if group.is_leaf() else group.subqueries)
             if isinstance(t, Q.Term) and t.fieldname == "body"]
    return str(terms[0].text) if len(terms) == 1 else None


def _fuzzy_distance(word: str) -> int:
    if any(ch.isdigit() for ch in word) or not word.isalpha() or len(word) < 5:
        return 0
    return 2 if len(word) >= 9 else 1


def _add_fuzzy(q: Query, reader: IndexReader, parsed: ParsedQuery) -> Query:
    """Give rare or unknown words fuzzy alternatives (see the module's rules)."""
    if q.is_leaf():
        if isinstance(q, Q.Term) and q.fieldname in FUZZY_FIELDS:
            return _fuzzy_group(Q.Or([q]), reader, parsed)
        return q
    if isinstance(q, Q.Or) and not isinstance(q, MinimumMatch) and q.subqueries and all(
        isinstance(s, Q.Term) for s in q.subqueries
    ):
        return _fuzzy_group(q, reader, parsed)
    if isinstance(q, (Q.Not, Q.AndNot)):
        return q  # a word excluded is excluded as written
    return q.apply(lambda child: _add_fuzzy(child, reader, parsed))


def _fuzzy_group(q: Query, reader: IndexReader, parsed: ParsedQuery) -> Query:
    """``q`` is one word over several fields (an Or of Terms)."""
    terms = [t for t in q.subqueries if t.fieldname in FUZZY_FIELDS]
    if not terms:
        return q if len(q.subqueries) > 1 else q.subqueries[0]
    frequency = sum(_frequency(reader, parsed, t.fieldname, t.text) for t in q.subqueries)
    # The word as typed sets the distance: the unstemmed fields hold it, longest of all forms.
    typed = max((str(t.text) for t in q.subqueries), key=len)
    distance = _fuzzy_distance(typed)
    if frequency > RARE or distance == 0:
        if distance and typed in parsed.names:
            return _with_variants(q, terms, reader, parsed)
        return q if len(q.subqueries) > 1 else q.subqueries[0]
    fuzzy = []
    found: set[str] = set()
    for term in terms:
        # The spellings found are listed once here, as terms: expanding a fuzzy term walks
        # the word list, and scoring, highlighting and suggesting would each do it again.
        within = _within(reader, parsed, term.fieldname, term.text, distance, 1, fold=True)[
            :MAX_EXPANSIONS]
        near = [w for w in within if w != term.text]
        if near:
            found.update(near)
            fuzzy += [Q.Term(term.fieldname, w, boost=term.boost * FUZZY_WEIGHT) for w in within]
    if not fuzzy:
        return q if len(q.subqueries) > 1 else q.subqueries[0]
    parsed.corrections[str(terms[0].text)] = found
    return Q.Or([*q.subqueries, *fuzzy])


#: Weight of a name's other spelling ("Zelenskyy" for "Zelensky"): nearly the name itself.
VARIANT_WEIGHT = 0.9


def variant_key(word: str) -> str:
    """What transliterations of a name share: doubled letters single, y as i ("Zelenskyy",
    "Zelenskiy" and "Zelensky" all give "zelenski")."""
    return re.sub(r"(.)\1+", r"\1", word.lower().replace("y", "i"))


def _frequency(reader: IndexReader, parsed: ParsedQuery, fieldname: str, text: str) -> int:
    if parsed.cache is None:
        return reader.doc_frequency(fieldname, text)
    return parsed.cache.doc_frequency(reader, fieldname, text)


def _within(reader: IndexReader, parsed: ParsedQuery, fieldname: str, text: str,
            maxdist: int, prefix: int, fold: bool = False) -> list[str]:
    """The index's words near ``text`` (see :mod:`.vocabulary`), sorted; with ``fold``, by
    their transliterations' :func:`variant_key` too."""
    if parsed.cache is None:
        return sorted(reader.terms_within(fieldname, text, maxdist, prefix=prefix))
    from .vocabulary import words_within

    return words_within(parsed.cache, reader, fieldname, text, maxdist, prefix,
                        variant_key if fold else None)


def _with_variants(q: Query, terms: list[Query], reader: IndexReader,
                   parsed: ParsedQuery) -> Query:
    """A name's group with the index's other spellings of it (one edit away, the same
    :func:`variant_key`), nearly as strong as the name itself."""
    variants = []
    for term in terms:
        key = variant_key(str(term.text))
        for word in _within(reader, parsed, term.fieldname, term.text, 1, 3):
            if word != term.text and variant_key(word) == key:
                variants.append(Q.Term(term.fieldname, word, boost=term.boost * VARIANT_WEIGHT))
    if not variants:
        return q if len(q.subqueries) > 1 else q.subqueries[0]
    return Q.Or([*q.subqueries, *variants])
