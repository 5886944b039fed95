"""Who took part in what a release reports, with their roles and countries.

Participants are people the title or the lead (the first paragraph of prose) names as taking
part: the actor a sentence opens with ("President Biden hosted ...", "Statement by Press
Secretary Jen Psaki on ...", "Today, Jill and I send ..."), the people a contact word links to
the actor ("... met with", "spoke today with", "Call with", "hosted", "was joined by", "the
meeting included:"), and those coordinated with either ("Leader Schumer, Leader McConnell,
and ..."). A person named otherwise is mentioned, not a participant: the subject of a
statement ("Statement from President Biden on President Erdoğan's Commitment"), someone
thanked, nominated or mourned, people recalled from another time ("When I welcomed President
Niinistö ..."). A memorandum's or letter's signature ("JOSEPH R. BIDEN JR.") and a memo's
"FROM:" line name its issuers.

A country comes from the role's own words ("Prime Minister of Japan", "Japanese Foreign
Minister", "ROK National Security Advisor"), from "of <country>" after the name or after the
group it stands in ("President Gustavo Petro and Foreign Minister Álvaro Leyva of Colombia"),
from the same person elsewhere in the release; failing those, the actor of the release is of
the issuing government (the White House's address makes it the United States'), and a person
the actor met is of the one country the title names, or of the issuer's when the title names
none.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from .countries import countries_in
from .lexicon import INTERNATIONAL, is_given_name, is_word
from .casing import Headline, LowerWords
from .mentions import Mention, find_mentions, find_mentions_sparse
from .name_runs import known_parts
from .names import display_form, person_key, same_person
from .release import Participant
from .sentences import sentence_spans
from .tokens import plain

#: Words that make the person after them take part: "met with", "hosted", "joined by".
_CONTACT = re.compile(
    r"\b(?:met|meets?|meeting|meetings|spoke|speaks?|speaking|calls?|called|conversations?|"
    r"talks|talked|discussions?|hosted|hosts?|hosting|welcomed|welcomes?|welcoming|received|"
    r"receives?|joined|joins?|convened|convenes?|pull-aside|alongside|together|included|"
    r"includes?|including|participants?|between|visited|visits?|leadership|co-chaired|"
    r"attended|accompanied|greeted|sat\s+down|phoned)\b")
#: The contact words that still make participants outside a lead's first sentence.
_STRONG = re.compile(r"\b(?:met|spoke|joined|included|participants?|co-chaired|accompanied|"
                     r"called|phoned)\b")
#: Words standing between a contact word and the person: "met in Washington with",
#: "spoke today with", "joined by IWG members".
_FILLER = {"with", "by", "to", "phone", "telephone", "video", "videoconference", "virtual", "the", "today", "yesterday", "virtually", "also", "separately",
           "jointly", "both", "in", "a", "an", "members", "member", "of", "and", "on", "at",
           "his", "her", "their", "this", "afternoon", "morning", "evening", "earlier", "later",
           ":", "-", "—", "–", "(", ")", "discussion", "roundtable", "meeting", "call", "leaders",
           "officials", "from", "under"}
#: Words that open a sentence before its actor: "Today,", "Readout of", "Statement by".
_OPENER = re.compile(
    r"^(?:(?:joint\s+)?(?:readout|remarks|statement|statements|message|letter|memorandum|memo|"
    r"declaraci[oó]n|d[ée]claration|fact\s+sheet|interested\s+parties\s+memo|icymi|"
    r"presidential\s+message)\b(?:\s+[\w'-]+){0,2}?\s*(?:of|by|from|del|de\s+la|du|de)?\s*"
    r"(?:the\s+)?[:\"\s]*"
    r"|(?:today|tonight|this\s+(?:morning|afternoon|evening|week)|earlier\s+today|yesterday|"
    r"le|la|el|les)\s*,?\s*)?$", re.I)
#: Words a Title Case heading capitalises and a sentence would not: a heading run into a
#: lead ("... Will Accelerate Progress Toward ...", "... Leaders Who Are Catalyzing ...").
_HEADING_WORDS = re.compile(r"(?<!^)(?<![.:!?]\s)\b(?:Will|Who|Are|Is|To|For|With|Within|Toward|"
                            r"Towards|Every|Their|Our|How|Into|From|Across|Over|Under|Than|"
                            r"That|This|These|Its|Has|Have|Be|By|As|At|In|On|Of|And|The|A|An)\b")
_SUBORDINATE = re.compile(r"^\W*(?:when|after|before|since|as|while|although|though|if|"
                          r"following|once|because|until)\b", re.I)
_POSSESSED_CONTACT = re.compile(
    r"^'?s?\s+(?:(?:trilateral|bilateral|virtual|phone|telephone|video|first|second|third|"
    r"fourth)\s+)*(?:call|meeting|meetings|visit|trip|pull-aside|conversation|travel|talks)\b",
    re.I)


@dataclass
class _Taking:
    """A mention and what the sentence makes of it."""

    mention: Mention
    status: str  # "actor", "contact", "other"
    group: int
    segment: str  # "title", "lead"
    implied: str | None = None  # a country the sentence gives the person's place in a list


def lead_paragraph(paragraphs: list[str]) -> tuple[int, str]:
    """(index, text) of the first paragraph of prose: not a place or time line ("East
    Room", "3:40 P.M. EST"), nor a salutation ("Dear Madam Speaker:")."""
    for n, para in enumerate(paragraphs[:4]):
        words = para.split()
        if len(words) >= 6 and not re.match(r"(?:Dear|To|Re|Subject)\b", para):
            return n, para
    return 0, paragraphs[0] if paragraphs else ""


def _link_status(link: str, first: bool, previous: _Taking | None,
                 first_sentence: bool, title: bool = False) -> str | None:
    """What the words between two mentions make of the second: "same" (coordinated with
    the previous one), "contact", "actor", or None."""
    text = " ".join(link.split())
    low = text.lower()
    if previous is not None:
        if re.fullmatch(r"\s*,?\s*(?:and|&|as\s+well\s+as|along\s+with|together\s+with|"
                        r"alongside)?\s*,?\s*", low) or \
                re.fullmatch(r"\s*,\s*who\b[^.;]*,\s*(?:and\s+)?", low):
            return "same"
    if first and _OPENER.match(text.strip()) and not _SUBORDINATE.match(text):
        return "actor"
    if not title and (first or len(text.split()) >= 8) and _HEADING_WORDS.search(text) and \
            re.search(r"(?:[A-Z][\w'-]*|\([A-Z]+\)|of|on|and|for|the|in)"
                           r"(?:\s+(?:[A-Z][\w'-]*|\([A-Z]+\)|of|on|and|for|the|in|a)){3,}$",
                           text.strip()) and sum(w[:1].isupper() for w in text.split()[-6:]) >= 3 \
            and not _SUBORDINATE.match(text):
        # A heading run into the sentence: "... Within a Decade President Biden believes",
        # "... Economic Revitalization (IWG) Co-Chairs National Climate Advisor ...".
        return "actor"
    if first and re.search(r"[,—–]\s*$", text) and not _SUBORDINATE.match(text) and \
            not re.search(r"\b(?:of|by|from|for|to|with|on|in|about)\s*,?\s*$", low) and \
            len(re.split(r"[,—–]", text)[-2].split()) <= 12:
        # "In the aftermath of Hurricane Ian, President Biden ...": an opening phrase.
        return "actor"
    words = [w.lower() if not w[:1].isupper() or _CONTACT.fullmatch(w.lower()) else "members"
             for w in re.findall(r"[\w'-]+|[:(]", text)][-9:]
    # The contact word must be near and nothing but fillers after it.
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if _CONTACT.fullmatch(w) or w == "sat":
            if not first_sentence and not _STRONG.fullmatch(w):
                return None
            if w == "between" and not title:
                return None  # "the recent summit meeting between ...": another meeting
            if w in ("call", "calls") and words[k + 1:k + 2] not in (["with"], ["between"]):
                return None
            if w in ("welcome", "welcomes", "welcomed", "welcoming", "received", "hosted",
                     "hosts", "host", "hosting", "greeted") and words[k + 1:k + 2] and \
                    words[k + 1] in ("the", "a", "an", "his", "her"):
                return None  # "welcome the statement"
            return "contact"
        if w not in _FILLER and not w.isdigit():
            return None
    return None


def _segment_takings(text: str, mentions: list[Mention], segment: str,
                     first_sentence: bool, group_base: int) -> list[_Taking]:
    out: list[_Taking] = []
    prev_end = 0
    previous: _Taking | None = None
    group = group_base
    for k, m in enumerate(mentions):
        link = text[prev_end:m.office_start]
        status = _link_status(link, k == 0, previous, first_sentence, segment == "title")
        if status == "same" and previous is not None:
            status = previous.status
        else:
            group += 1
        if status == "actor" and m.possessive and not _POSSESSED_CONTACT.match(text[m.end:]):
            status = None  # "President Biden's Inflation Reduction Act ..."
        if status == "actor" and not m.possessive and segment == "lead" and \
                re.match(r" [A-Z]", text[m.stated_end:]):
            status = None  # a heading's words run on: not the actor of a sentence
        if status == "actor" and re.match(r"(?:,[^,]{0,60},)?\s+to\s+be\b", text[m.stated_end:]):
            status = None  # "Andrew G. Biggs, of Oregon, to be a Member of ...": a nominee
        if status == "actor" and re.match(r"\s+(?:will\s+(?:be|serve)|was|were|is|are|has\s+been|"
                                          r"have\s+been)\s+(?:\w+ed|named|chosen|as)\b",
                                          text[m.stated_end:]):
            status = None  # "Zayn Siddique will be promoted to ...": done to, not doing
        taking = _Taking(m, status or "other", group, segment)
        out.append(taking)
        previous = taking
        prev_end = m.stated_end
    # "The leaders of the United States and Israel, President Biden and Prime Minister
    # Lapid, met ...": the countries in order, one a person.
    for k, t in enumerate(out):
        if k and out[k - 1].group == t.group:
            continue
        leaders = re.search(r"\bleaders\s+of\s+(.+?),\s*$", text[:t.mention.office_start])
        members = [o for o in out if o.group == t.group]
        if leaders:
            named = countries_in(leaders.group(1))
            if len(named) == len(members):
                for o, country in zip(members, named):
                    o.implied = country
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, none ending at a name's initials ("Principal Secretary P.K. Mishra")."""
    spans = sentence_spans(text) or [(0, len(text))]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and re.search(r"(?:^|\s)(?:[A-Z]\.){1,3}$", text[out[-1][0]:out[-1][1]]) and \
                text[a:a + 1].isupper():
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _known(paragraphs: list[str], lower: Container[str] = frozenset()
           ) -> tuple[set[tuple[str, ...]], list[list[Mention]]]:
    """Names the body gives with their own evidence (an office, an honorific, a given name),
    as tuples of lower-case words: what a Title Case headline's capitals are checked
    against; and those mentions, paragraph by paragraph."""
    known: set[tuple[str, ...]] = set()
    found = []
    for para in paragraphs:
        mentions = find_mentions_sparse(para, headline=Headline(para), lower=lower)
        found.append(mentions)
        known.update(tuple(m.tokens) for m in mentions)
    return known, found


_SIGNATURE = re.compile(
    r"(?:^|Sincerely,?|\s{2,}|\.\s)\s*((?:[A-Z][A-Z'-]+\.?|[A-Z]\.)(?:\s+(?:[A-Z][A-Z'-]+\.?|"
    r"[A-Z]\.)){1,4})\s*$")


def signature(paragraphs: list[str]) -> Mention | None:
    """The person a memorandum or letter is signed by: its last line, a name in capitals
    ("JOSEPH R. BIDEN JR."), read in normal case ("Joseph R. Biden Jr.")."""
    if not paragraphs:
        return None
    last = plain(paragraphs[-1])
    match = _SIGNATURE.search(last)
    if not match:
        return None
    words = match.group(1).split()
    core = [w for w in words if len(w.rstrip(".")) > 1 and w.rstrip(".").lower() not in
            ("jr", "sr", "ii", "iii", "iv")]
    if len(core) < 2 or any(is_word(w) and not is_given_name(w) for w in core):
        return None
    name = " ".join(w if len(w.rstrip(".")) == 1 else w.title() if not w.rstrip(".") in
                    ("II", "III", "IV") else w for w in words)
    text = " ".join(paragraphs)
    office = re.search(r"\bme\s+as\s+((?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*)", text)
    role = office.group(1) if office else None
    start = len(" ".join(paragraphs[:-1])) + match.start(1)
    return Mention(name=name, start=start, end=start + len(name), role=role, office=role,
                   evidence="signature", tokens=[w.rstrip(".").lower() for w in words])


def _from_block(paragraphs: list[str]) -> list[Mention]:
    """The senders a memo's "FROM:" line names."""
    for para in paragraphs[:3]:
        match = re.search(r"\bFROM:\s*(.+?)(?=\b(?:SUBJECT|RE|DATE|CC|TO):|$)", para)
        if match:
            return [m for m in find_mentions(match.group(1)) if m.evidence != "known"]
    return []


def people_of(title: str, paragraphs: list[str], issuer: str | None = None
              ) -> tuple[list[Participant], list[str]]:
    """(participants, others mentioned) of a release (see the module's docstring)."""
    lower = LowerWords(paragraphs)
    known, by_paragraph = _known(paragraphs, lower)
    parts = known_parts(known)
    takings: list[_Taking] = []
    title_text = plain(title)
    # "Readout from NSC Spokesperson Emily Horne on ...": the spokesperson reports it.
    reported = re.match(r"^readout\s+(?:from|by)\s+.+?\s+on\s+", title_text, re.I)
    title_mentions = find_mentions(title_text, headline=Headline(title_text), known=known,
                                   lower=lower, known_parts=parts)
    if reported:
        spoke = [m for m in title_mentions if m.office_start < reported.end()]
        takings += [_Taking(m, "other", 0, "title") for m in spoke]
        rest = title_text[reported.end():]
        shifted = find_mentions(rest, headline=True, known=known, lower=lower,
                                known_parts=parts)
        takings += _segment_takings(rest, shifted, "title", True, 1)
    else:
        takings += _segment_takings(title_text, title_mentions, "title", True, 0)
    lead_n, lead = lead_paragraph(paragraphs)
    lead = plain(lead)
    readout = bool(re.search(r"\breadout\b", title_text, re.I))
    base = 100
    spans = _sentences(lead)
    for s, (a, b) in enumerate(spans):
        sentence = lead[a:b]
        found = find_mentions(sentence, headline=Headline(sentence), known=known,
                              lower=lower, known_parts=parts)
        taken = _segment_takings(sentence, found, "lead", s == 0, base)
        if s and readout:
            # A readout's later sentences add no one as an actor: "President Biden made clear
            # in his statement earlier this week ..." recalls, it does not take part.
            before = [person_key(t.mention.name) for t in takings if t.status != "other"]
            for t in taken:
                if t.status == "actor" and not any(
                        same_person(person_key(t.mention.name), k) for k in before):
                    t.status = "other"
        takings += taken
        base += 100
        # "Today, Jill and I send ...": a given name beside the writer.
        for match in re.finditer(r"\b([A-Z][a-z]+)\s+and\s+I\b", sentence):
            if is_given_name(match.group(1)) and not is_word(match.group(1)):
                m = Mention(match.group(1), a + match.start(1), a + match.end(1),
                            evidence="given", tokens=[match.group(1).lower()])
                takings.append(_Taking(m, "actor", base + 50, "lead"))
    # "United States – Italy Joint Leaders' Statement": "President Donald J. Trump and Prime
    # Minister Giorgia Meloni held ...": the title's countries in order, one an actor.
    parties = countries_in(title_text)
    groups: dict[int, list[_Taking]] = {}
    for t in takings:
        if t.segment == "lead" and t.status == "actor":
            groups.setdefault(t.group, []).append(t)
    for members in groups.values():
        if len(parties) >= 2 and len(members) == len(parties) and \
                not any(t.mention.country or t.implied for t in members):
            for t, country in zip(members, parties):
                t.implied = country
    for m in _from_block(paragraphs):
        takings.append(_Taking(m, "actor", 9000, "lead"))
    signed = signature(paragraphs)
    if signed is not None:
        takings.append(_Taking(signed, "actor", 9001, "signature"))
    body = [m for n, found in enumerate(by_paragraph) if n != lead_n for m in found]
    return _people(takings, body, title_text, issuer)


def _people(takings: list[_Taking], body: list[Mention], title: str,
            issuer: str | None) -> tuple[list[Participant], list[str]]:
    # One person, one entry: the mentions of a person grouped, first mention first.
    persons: list[list[_Taking]] = []
    for t in takings:
        key = person_key(t.mention.name)
        for group in persons:
            if any(same_person(key, person_key(o.mention.name)) for o in group):
                group.append(t)
                break
        else:
            persons.append([t])
    by_group: dict[int, list[_Taking]] = {}
    for t in takings:
        by_group.setdefault(t.group, []).append(t)
    party = re.split(r"\s+on\s+(?!the\s+(?:margins|sidelines))", title)[0]
    title_countries = [c for c in countries_in(party) if c != issuer]
    if not title_countries and [c for c in countries_in(title) if c != issuer]:
        title_countries = [None, None]  # the title names countries, but only as its topic
    participants: list[Participant] = []
    mentioned: list[str] = []
    taken = [g for g in persons if any(t.status in ("actor", "contact") for t in g)]
    for group in persons:
        names = [t.mention.name for t in group]
        best = max(names, key=lambda n: (len(person_key(n).split()), names.count(n)))
        shown = display_form([n for n in names if person_key(n) == person_key(best)])
        if group not in taken:
            mentioned.append(shown)
            continue
        role = _role(group)
        country = _country(group, by_group, body, title_countries, issuer)
        participants.append(Participant(shown, person_key(shown), role, country))
    keys = {p.key for p in participants} | {person_key(n) for n in mentioned}
    by_word: dict[str, set[str]] = {}
    for k in keys:
        for w in k.split():
            by_word.setdefault(w, set()).add(k)
    for m in body:
        key = person_key(m.name)
        # Only keys sharing a word, or a first letter for a typo, can be the same person's.
        near = {k for w in key.split() for k in by_word.get(w, ())}
        if key and key not in keys and not any(same_person(key, k) for k in near):
            mentioned.append(m.name)
            keys.add(key)
            for w in key.split():
                by_word.setdefault(w, set()).add(key)
    return participants, mentioned


def _role(group: list[_Taking]) -> str | None:
    """The office as the title states it, else as the lead does; an abbreviation ("Deputy
    PM") yields to the words it stands for."""
    roles = [t.mention.role for t in group if t.segment == "title" and t.mention.role]
    roles += [t.mention.role for t in group if t.mention.role and t.segment != "title"]
    full = [r for r in roles if not re.search(r"\b(?:PM|DPM|FM|FS|NSA|VP)\b", r)]
    return (full or roles or [None])[0]


def _country(group: list[_Taking], by_group: dict[int, list[_Taking]], body: list[Mention],
             title_countries: list[str], issuer: str | None) -> str | None:
    """The country of one participant (see the module's docstring)."""
    for t in group:
        if t.mention.country:
            return t.mention.country
    for t in group:
        if t.implied:
            return t.implied
    if any(INTERNATIONAL.search(t.mention.role or "") for t in group):
        return None  # "NATO Secretary General"
    # Coordinated with people of one stated country: "President Petro and Foreign Minister
    # Leyva of Colombia", "Kosovo President Osmani-Sadriu and Prime Minister Kurti".
    for t in group:
        stated = {o.mention.country for o in by_group.get(t.group, []) if o.mention.country}
        if len(stated) == 1 and t.status == "contact":
            return stated.pop()
    side = next((t.status for t in group if t.status != "other"), "other")
    if side == "actor":
        return issuer  # the release's own: "President Biden", "Press Secretary Jen Psaki"
    key = person_key(group[0].mention.name)
    for m in body:
        if m.country and m.country_from in ("role", "of") and \
                same_person(key, person_key(m.name)):
            return m.country
    if len(title_countries) == 1 and not any(t.mention.office for t in group):
        return title_countries[0]  # "Lady Starmer", on a State Visit to the United Kingdom
    return issuer if not title_countries else None  # several, or a topic: the corpus may know
