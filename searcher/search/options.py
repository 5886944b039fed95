"""One search's options, made once (by the command line, the web server or ``Index.search``)
and passed whole through the stages to the scorer.

Every option is checked when the object is made, so a bad one fails before any index is
read, with a message that names it::

    >>> SearchOptions("Blinken", date_from="March 2022", date_to="2022-06").date_from
    '2022-03'
    >>> SearchOptions("x", date_from="2022-13")
    Traceback (most recent call last):
    ...
    searcher.errors.BadOption: not a date: '2022-13' (there is no month 13; use 2022, 2022-05, 2022-05-13 or May 2022)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, Union, get_args

from ..errors import BadOption

#: How hits are ordered: by relevance, oldest first, or newest first.
Sort = Literal["relevance", "date", "-date"]
SORTS: tuple[str, ...] = get_args(Sort)
#: A date option: a ``datetime.date``, or text ("2022", "2022-05", "2022-05-13", "May 2022",
#: "13 May 2022").
DateLike = Union[dt.date, str]
#: At most this many hits a page.
MAX_LIMIT = 1000

_MONTHS = {name: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], 1) for name in names}
_FORMS = "2022, 2022-05, 2022-05-13 or May 2022"
_USE = "use " + _FORMS


def parse_when(value: DateLike) -> str:
    """A date option as ISO text, whole or partial: the year, month or day it names.

    >>> [parse_when(v) for v in ["2022", "2022-3", "March 2022", "mar. 2022", "13 May 2022",
    ...                          dt.date(2022, 5, 13)]]
    ['2022', '2022-03', '2022-03', '2022-03', '2022-05-13', '2022-05-13']
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise BadOption(f"not a date: {value!r} ({_USE})")
    text = value.strip()
    iso = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", text)
    if iso:
        year, month, day = (int(x) if x else None for x in iso.groups())
        return _checked(value, year, month, day)  # type: ignore[arg-type]
    words = re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if words and words[1].lower() in _MONTHS:
        return _checked(value, int(words[2]), _MONTHS[words[1].lower()], None)
    if re.search(r"[A-Za-z]", text) and re.search(r"\d{4}", text):
        from ..ingest.dates import parse_date  # "13 May 2022", "May 13, 2022"

        day = parse_date(text)
        if day is not None:
            return day.isoformat()
    raise BadOption(f"not a date: {value!r} ({_USE})")


def _checked(value: str, year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise BadOption(f"not a date: {value!r} (there is no month {month}; {_USE})")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise BadOption(f"not a date: {value!r} ({year:04d}-{month:02d} has no day {day}; "
                        f"{_USE})") from None


def _option(default: Any, about: str, **bounds: int) -> Any:
    """A field of :class:`SearchOptions`: its default, what it does (for people: the web
    API's description) and, for a whole number, its ``minimum`` and ``maximum``."""
    return field(default=default, metadata={"about": about, **bounds})


@dataclass(frozen=True)
class SearchOptions:
    """What to search for and how to show it: the query text, the page, the order, the
    restrictions on releases, and what to count. Checked when made (:class:`BadOption`).

    ``offset`` (hits to skip) wins over ``page`` when given. Dates are kept as ISO text,
    whole or partial ("2022-03"), whatever form they were given in. ``synonyms``: a synonym
    file replacing the shipped one (the command line maps ``SEARCHER_SYNONYMS`` to it).
    """

    text: str = _option("", "The query, in searcher's query language (words, \"phrases\", "
                        "OR, NOT, field:value, date:...). May be empty when a filter is given.")
    limit: int = _option(10, "Hits per page.", minimum=1, maximum=MAX_LIMIT)
    page: int = _option(1, "Page number (from 1).", minimum=1)
    offset: int | None = _option(None, "Hits to skip, instead of page.", minimum=0)
    snippets: int = _option(3, "Snippets shown a hit, at most.", minimum=0, maximum=100)
    sort: Sort = _option("relevance", "Order: by relevance, oldest first (date) or newest "
                         "first (-date).")
    participant: str | None = _option(None, "Only releases with this participant (any case, "
                                      "any order of the names).")
    country: str | None = _option(None, "Only releases with this counterpart country (any of "
                                  "its names: US, U.S., United States).")
    kind: str | None = _option(None, "Only this kind of contact (\"meeting\", \"telephone "
                               "conversation\").")
    date_from: DateLike | None = _option(None, f"Released on or after this date ({_FORMS}).")
    date_to: DateLike | None = _option(None, f"Released on or before this date ({_FORMS}).")
    facets: bool = _option(False, "Count the matching releases by year, month, country, "
                           "participant and kind.")
    paragraphs: bool = _option(False, "Every matching paragraph as a hit, not one hit per "
                               "release.")
    synonyms: str | Path | None = _option(None, "A synonym file replacing the shipped one.")

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise BadOption(f"the query must be text, not {type(self.text).__name__}", "text")
        for name, (low, high) in _BOUNDS.items():
            if name != "offset" or self.offset is not None:
                _whole(name, getattr(self, name), low, high)
        if self.sort not in SORTS:
            raise BadOption(f"unknown sort {self.sort!r} (use {', '.join(SORTS)})", "sort")
        for name in ("participant", "country", "kind"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise BadOption(f"{name} must be text, not {type(value).__name__}", name)
            if isinstance(value, str):
                object.__setattr__(self, name, value.strip() or None)
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and value != "":
                try:
                    object.__setattr__(self, name, parse_when(value))
                except BadOption as exc:
                    raise BadOption(str(exc), name) from None
            else:
                object.__setattr__(self, name, None)
        low, high = self.date_from, self.date_to
        if isinstance(low, str) and isinstance(high, str) and low[:len(high)] > high:
            raise BadOption(f"the dates are the wrong way round: from {low} to {high}")
        if self.synonyms is not None:
            object.__setattr__(self, "synonyms", str(self.synonyms) or None)

    @property
    def start(self) -> int:
        """How many hits come before this page's first."""
        return self.offset if self.offset is not None else (self.page - 1) * self.limit

    @property
    def current_page(self) -> int:
        """The page this one's first hit stands on (with an offset, the page it falls in)."""
        return self.start // self.limit + 1

    @property
    def restricted(self) -> bool:
        """Does any option restrict the releases (participant, country, kind, dates)?"""
        return any((self.participant, self.country, self.kind, self.date_from, self.date_to))

    def describe_filters(self) -> str:
        """The restrictions in words: "participant Motegi, country Japan, from 2022-03"."""
        parts = [f"{name} {value}" for name, value in (
            ("participant", self.participant), ("country", self.country),
            ("kind", self.kind)) if value]
        if self.date_from and self.date_to:
            parts.append(f"from {self.date_from} to {self.date_to}")
        elif self.date_from:
            parts.append(f"from {self.date_from}")
        elif self.date_to:
            parts.append(f"up to {self.date_to}")
        return ", ".join(parts)


#: The whole-number options' bounds (low, high or None), from their fields.
_BOUNDS = {f.name: (f.metadata["minimum"], f.metadata.get("maximum"))
           for f in fields(SearchOptions) if "minimum" in f.metadata}


def _whole(name: str, value: object, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadOption(f"{name} must be a whole number, not {value!r}", name)
    if value < low or (high is not None and value > high):
        span = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise BadOption(f"{name} must be {span}, not {value}", name)
