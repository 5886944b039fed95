"""Dates in release text: find them ("21 October, 2020", "May 13, 2022", "2022-10-14") and
read them. The regular expression only *locates* candidates; python-dateutil reads them, so
odd forms ("4th Aug. 2022") and impossible days ("31 February") are its business, not ours.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|2[01])\d\d"
_DATE = re.compile(
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


def parse_date(text: str) -> dt.date | None:
    """One date written in any common form, or None."""
    from dateutil import parser

    text = text.strip()
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
