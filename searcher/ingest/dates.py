"""Dates in release text: find them ("21 October, 2020", "May 13, 2022", "2022-10-14") and
read them. The regular expression only *locates* candidates; python-dateutil reads them, so
odd forms ("4th Aug. 2022") and impossible days ("31 February") are its business, not ours.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|2[01])\d\d"
_DATE = re.compile(
    r"(?=[\djfmasond])"  # a digit or a month's initial (said first: the search is twice as fast)
    rf"\b(?:{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"  # 21 October, 2020
    rf"|{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # October 21, 2020
    rf"|{_YEAR}-[01]\d-[0-3]\d"  # 2020-10-21
    rf"|[0-3]?\d/[01]?\d/{_YEAR})\b",  # 21/10/2020 (day first, as the world outside the US)
    re.I,
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    date: dt.date


#: The forms the text of releases writes nearly all its dates in ("21 October 2020", "Oct. 21,
#: 2020", "21/10/2020"), read here without dateutil (whose reading takes 0.2 ms); a date
#: of these forms that is no day ("31 April") is left to dateutil, as is every other form.
_ASCII_YEAR = r"(?:1[89]|2[01])[0-9][0-9]"  # (\d is any script's digit: those go to dateutil)
_COMMON = re.compile(
    rf"(?P<d>[0-3]?[0-9])(?:st|nd|rd|th)? +(?:of +)?(?P<m>[a-z]+)\.?,? +(?P<y>{_ASCII_YEAR})"
    rf"|(?P<m2>[a-z]+)\.? +(?P<d2>[0-3]?[0-9])(?:st|nd|rd|th)?,? +(?P<y2>{_ASCII_YEAR})"
    rf"|(?P<d3>[0-3]?[0-9])/(?P<m3>0?[1-9]|1[0-2])/(?P<y3>{_ASCII_YEAR})", re.I)
#: Month names and abbreviations as dateutil knows them.
_MONTHS = {m: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}


def _common_date(text: str) -> dt.date | None:
    """A date of the common forms, as dateutil reads it (day first), or None."""
    match = _COMMON.fullmatch(text)
    if match is None:
        return None
    day, month, year = match.group("d", "m", "y")
    if day is None:
        day, month, year = match.group("d2", "m2", "y2")
    if day is None:
        day, number, year = match.group("d3", "m3", "y3")
    else:
        number = _MONTHS.get(month.lower())
        if number is None:
            return None
    try:
        return dt.date(int(year), int(number), int(day))
    except ValueError:
        return None


@lru_cache(maxsize=4096)  # the same days recur from release to release
def parse_date(text: str) -> dt.date | None:
    """One date written in any common form, or None."""
    from dateutil import parser

    text = text.strip()
    common = _common_date(text)
    if common is not None:
        return common
    try:
        if re.match(r"\d{4}-\d\d-\d\d", text):  # ISO: dayfirst would swap month and day
            return parser.isoparse(text).date()
        return parser.parse(text.replace(" of ", " "), dayfirst=True, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every full date (day, month, year) in ``text``, in order."""
    found = []
    for match in _DATE.finditer(text):
        day = parse_date(match.group(0))
        if day:
            found.append(DateMatch(match.start(), match.end(), match.group(0), day))
    return found


def is_date_line(line: str) -> bool:
    """A line that is a date, perhaps after a place: "Phnom Penh, 21 October 2020"."""
    found = find_dates(line)
    if len(found) != 1:
        return False
    before = line[: found[0].start].strip(" ,;-")
    after = line[found[0].end:].strip(" .")
    return not after and len(before.split()) <= 4 and not before.lower().startswith("on ")


def date_words(day: dt.date) -> list[str]:
    """A date as people write it in a query: "13 May 2022", "May 2022", "2022", "2022-05-13"."""
    month = day.strftime("%B")
    return [f"{day.day} {month} {day.year}", f"{month} {day.day} {day.year}", day.isoformat()]


def as_date(value: object) -> dt.date | None:
    """A front-matter value (a YAML date, a datetime or a string) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        found = find_dates(value)
        return found[0].date if found else parse_date(value)
    return None


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE = re.compile(
    r"\b(?P<today>today(?:'s)?|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today|"
    r"aujourd'hui|hoy)(?!\w)"
    r"|\b(?P<yesterday>yesterday|last\s+night)\b"
    rf"|\b(?P<weekday>{'|'.join(_WEEKDAYS)})\b(?:,?\s+(?P<wmonth>{_MONTH})\s+(?P<wday>[0-3]?\d)\b)?"
    rf"|\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})"
    rf"|\b(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\b(?!,?\s+\d{{4}})",
    re.I)
#: Words before a date that make it no day of the event: "the week of March 14", "since".
_NOT_THE_DAY = re.compile(r"(?:week\s+of|since|until|through|beginning(?:\s+on)?|from|"
                          r"ending|by|before|after|\bthe)\s*$", re.I)
#: Dates this far from the release's own are history or plans, not the day it reports.
EVENT_WINDOW = 10
_LONG_SPACE = re.compile(r"\s{41}")
_SPAN_OF_DAYS = re.compile(r"\s*[-–]\s*\d")


def _not_the_day(text: str, at: int) -> bool:
    """Do the words before ``at`` make the date there no day of the event? (As
    ``_NOT_THE_DAY.search(text[:at])``, looking at the last 100 characters only: a match
    longer than that would hold a run of more than 40 spaces in them, and then all is read.)"""
    start = max(0, at - 100)
    if start and _LONG_SPACE.search(text, start, at):
        start = 0
    return _NOT_THE_DAY.search(text, start, at) is not None


def _nearest(month: int, day: int, near: dt.date) -> dt.date | None:
    best = None
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - near) < abs(best - near):
            best = candidate
    return best


def event_dates(text: str, released: dt.date | None) -> list[tuple[int, dt.date]]:
    """(position, day) of each day ``text`` gives for what it reports, relative ones read
    against the release date ``released``: "today", "yesterday", "On Tuesday", "on March
    25", "21 October 2020". Days far from the release's (history, plans) and days after
    "the week of", "since" and the like are left out."""
    found: list[tuple[int, dt.date]] = []
    dates = find_dates(text)
    for match in dates:
        if _not_the_day(text, match.start):
            continue
        if released is None or abs((match.date - released).days) <= EVENT_WINDOW:
            found.append((match.start, match.date))
    if released is None:
        return sorted(found)
    spans = [(m.start, m.end) for m in dates]
    for match in _RELATIVE.finditer(text):
        if any(s <= match.start() < e for s, e in spans) or \
                _SPAN_OF_DAYS.match(text, match.end()):
            continue  # within a full date, or a span of days: "the April 22-23 Summit"
        if _not_the_day(text, match.start()):
            continue
        day = None
        if match.group("today"):
            day = released
        elif match.group("yesterday"):
            day = released - dt.timedelta(days=1)
        elif match.group("weekday"):
            if match.group("wmonth"):
                day = _nearest(_MONTHS[match.group("wmonth").lower().rstrip(".")[:3] if
                                       match.group("wmonth").lower().rstrip(".") not in _MONTHS
                                       else match.group("wmonth").lower().rstrip(".")],
                               int(match.group("wday")), released)
            else:
                target = _WEEKDAYS.index(match.group("weekday").lower())
                sentence = text[max(0, text.rfind(".", 0, match.start())):match.start() + 120]
                ahead = re.search(r"\bwill\b|\bto\s+(?:travel|visit|host|meet|welcome)", sentence)
                shift = (target - released.weekday()) % 7 if ahead else \
                    -((released.weekday() - target) % 7)
                day = released + dt.timedelta(days=shift)
        else:
            month = (match.group("month") or match.group("month2")).lower().rstrip(".")
            month_n = _MONTHS.get(month) or _MONTHS.get(month[:3])
            if month_n:
                day = _nearest(month_n, int(match.group("day") or match.group("day2")), released)
        if day is not None and abs((day - released).days) <= EVENT_WINDOW:
            found.append((match.start(), day))
    return sorted(found)
