"""The search parameters of a request, checked and bounded: one table serves the JSON API,
the page and the OpenAPI document, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Bounds (a client asking for more gets a 400 saying so).
MAX_QUERY = 500
MAX_FILTER = 200
MAX_LIMIT = 100
MAX_PAGE = 1000
MAX_PREFIX = 100
MAX_SUGGESTIONS = 20

SORTS = ("relevance", "date", "-date")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class BadRequest(ValueError):
    """A parameter out of bounds or malformed: its message is for the client (HTTP 400)."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "string", "integer", "boolean"
    description: str
    maximum: int | None = None  # length for strings, value for integers
    minimum: int | None = None
    enum: tuple[str, ...] | None = None
    default: Any = None
    pattern: str | None = None

    def schema(self) -> dict[str, Any]:
        """This parameter as OpenAPI describes one."""
        out: dict[str, Any] = {"type": self.kind}
        if self.kind == "string" and self.maximum is not None:
            out["maxLength"] = self.maximum
        if self.kind == "integer":
            if self.minimum is not None:
                out["minimum"] = self.minimum
            if self.maximum is not None:
                out["maximum"] = self.maximum
        if self.enum:
            out["enum"] = list(self.enum)
        if self.default is not None:
            out["default"] = self.default
        if self.pattern:
            out["pattern"] = self.pattern
        return {"name": self.name, "in": "query", "required": False,
                "description": self.description, "schema": out}


_DATE_HELP = "2022, 2022-05, 2022-05-13 or May 2022"
MAX_DATE = 40
#: The options of ``searcher query``, as query-string parameters.
SEARCH_PARAMS = (
    Param("q", "string", "The query, in searcher's query language (words, \"phrases\", OR, "
          "NOT, field:value, date:...). May be empty when a filter is given.", MAX_QUERY),
    Param("participant", "string", "Only releases with this participant (any case, any "
          "order of the names).", MAX_FILTER),
    Param("country", "string", "Only releases with this counterpart country (any of its "
          "names: US, U.S., United States).", MAX_FILTER),
    Param("kind", "string", "Only this kind of contact (\"meeting\", \"telephone "
          "conversation\").", MAX_FILTER),
    Param("from", "string", f"Released on or after this date ({_DATE_HELP}).", MAX_DATE),
    Param("to", "string", f"Released on or before this date ({_DATE_HELP}).", MAX_DATE),
    Param("sort", "string", "Order: by relevance, oldest first (date) or newest first "
          "(-date).", enum=SORTS, default="relevance"),
    Param("limit", "integer", "Hits per page.", MAX_LIMIT, 1, default=10),
    Param("page", "integer", "Page number (from 1).", MAX_PAGE, 1, default=1),
    Param("offset", "integer", "Hits to skip, instead of page.", MAX_LIMIT * MAX_PAGE, 0),
    Param("facets", "boolean", "Count the matching releases by year, month, country, "
          "participant and kind.", default=False),
    Param("paragraphs", "boolean", "Every matching paragraph as a hit, not one hit per "
          "release.", default=False),
)


@dataclass(frozen=True)
class SearchRequest:
    """A search as asked for: the arguments of :meth:`searcher.Index.search`."""

    q: str = ""
    participant: str | None = None
    country: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    offset: int | None = None
    facets: bool = False
    paragraphs: bool = False

    @property
    def filters(self) -> dict[str, str]:
        """The filters given, by their parameter names."""
        pairs = [("participant", self.participant), ("country", self.country),
                 ("kind", self.kind), ("from", self.date_from), ("to", self.date_to)]
        return {k: v for k, v in pairs if v}

    @property
    def empty(self) -> bool:
        return not self.q.strip() and not self.filters

    def options(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`searcher.Index.search`."""
        return {"limit": self.limit, "page": self.page, "offset": self.offset, "sort": self.sort,
                "participant": self.participant, "country": self.country, "kind": self.kind,
                "date_from": self.date_from, "date_to": self.date_to, "facets": self.facets,
                "paragraphs": self.paragraphs}

    def query_string(self, **changes: Any) -> dict[str, str]:
        """The parameters of this search (``changes`` applied; None drops one), as a URL
        holds them: defaults left out."""
        values: dict[str, Any] = {"q": self.q, **self.filters, "sort": self.sort,
                                  "limit": self.limit, "page": self.page}
        values.update(changes)
        defaults = {"sort": "relevance", "limit": 10, "page": 1, "q": ""}
        return {k: str(v) for k, v in values.items()
                if v is not None and v != "" and defaults.get(k) != v}


def _text(args: Mapping[str, str], name: str, maximum: int) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    if len(value) > maximum:
        raise BadRequest(f"{name} is {len(value)} characters long; at most {maximum}")
    if "\x00" in value:
        raise BadRequest(f"{name} holds a NUL character")
    return value.strip() or None


def _integer(args: Mapping[str, str], name: str, lo: int, hi: int, default: int | None
             ) -> int | None:
    value = args.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {value[:20]!r}") from None
    if not lo <= number <= hi:
        raise BadRequest(f"{name} must be between {lo} and {hi}, not {number}")
    return number


def _boolean(args: Mapping[str, str], name: str) -> bool:
    value = args.get(name)
    if value is None:
        return False
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise BadRequest(f"{name} must be true or false, not {value[:20]!r}")


def _date(args: Mapping[str, str], name: str) -> str | None:
    """The date as ISO text, whole or partial, read as the command line reads it."""
    from ..errors import BadOption
    from ..search.options import parse_when

    value = _text(args, name, MAX_DATE)
    try:
        return parse_when(value) if value is not None else None
    except BadOption as exc:
        raise BadRequest(f"{name}: {exc}") from None


def parse_search(args: Mapping[str, str], strict: bool = True) -> SearchRequest:
    """Check and bound the query-string ``args`` of a search; :class:`BadRequest` says
    what is wrong (``strict``: an unknown parameter too)."""
    known = {p.name for p in SEARCH_PARAMS}
    unknown = sorted(set(args) - known)
    if unknown and strict:
        raise BadRequest(f"unknown parameter {unknown[0]!r} (known: {', '.join(sorted(known))})")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {sort[:20]!r}")
    limit = _integer(args, "limit", 1, MAX_LIMIT, 10) or 10
    page = _integer(args, "page", 1, MAX_PAGE, 1) or 1
    offset = _integer(args, "offset", 0, MAX_LIMIT * MAX_PAGE, None)
    if offset is not None and "page" in args:
        raise BadRequest("give page or offset, not both")
    return SearchRequest(
        q=(_text(args, "q", MAX_QUERY) or ""),
        participant=_text(args, "participant", MAX_FILTER),
        country=_text(args, "country", MAX_FILTER),
        kind=_text(args, "kind", MAX_FILTER),
        date_from=_date(args, "from"), date_to=_date(args, "to"),
        sort=sort, limit=limit, page=page, offset=offset,
        facets=_boolean(args, "facets"), paragraphs=_boolean(args, "paragraphs"))


def parse_prefix(args: Mapping[str, str]) -> tuple[str, int]:
    """The ``prefix`` and ``limit`` of a suggestion request."""
    prefix = args.get("prefix")
    if prefix is None:
        raise BadRequest("give the text typed so far as prefix")
    if len(prefix) > MAX_PREFIX:
        raise BadRequest(f"prefix is {len(prefix)} characters long; at most {MAX_PREFIX}")
    return prefix, _integer(args, "limit", 1, MAX_SUGGESTIONS, 8) or 8
