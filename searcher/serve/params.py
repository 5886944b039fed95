"""A search request's parameters: a :class:`~searcher.search.options.SearchOptions` made
straight from the query string.

The options, their types, defaults, descriptions and checks are SearchOptions' (its fields
and its :class:`~searcher.errors.BadOption`); the JSON API, the page and the OpenAPI
document all read them from there (:data:`SEARCH_PARAMS`). What this module adds is the
server's own: how the query string spells three options (``q``, ``from``, ``to``), the two
a client does not set, bounds tighter than the library's (a client asking for more gets a
400 saying so), and reading text as whole numbers and booleans.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from ..errors import BadOption
from ..search.options import SearchOptions

#: Bounds (a client asking for more gets a 400).
MAX_QUERY = 500
MAX_FILTER = 200
MAX_DATE = 40
MAX_LIMIT = 100
MAX_PAGE = 1000
MAX_PREFIX = 100
MAX_SUGGESTIONS = 20

#: How the query string spells options whose field names it does not use.
SPELLED = {"text": "q", "date_from": "from", "date_to": "to"}
#: Options a client does not set: ``synonyms`` names a file of the server's
#: (``SEARCHER_SYNONYMS`` is the server's setting), and ``snippets`` is no option of
#: ``searcher query``, whose JSON the API answers.
SERVER_SIDE = frozenset({"synonyms", "snippets"})
#: The server's bounds: characters for text, the largest value for numbers.
CAPS = {"text": MAX_QUERY, "participant": MAX_FILTER, "country": MAX_FILTER,
        "kind": MAX_FILTER, "date_from": MAX_DATE, "date_to": MAX_DATE, "limit": MAX_LIMIT,
        "page": MAX_PAGE, "offset": MAX_LIMIT * MAX_PAGE}

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class BadRequest(ValueError):
    """A parameter out of bounds or malformed: its message is for the client (HTTP 400)."""


@dataclass(frozen=True)
class Param:
    """A :class:`SearchOptions` field as a query-string parameter."""

    name: str  # as the query string spells it
    option: str  # the field
    kind: str  # "string", "integer", "boolean"
    description: str
    default: Any = None
    maximum: int | None = None  # length for strings, value for integers
    minimum: int | None = None
    enum: tuple[str, ...] | None = None

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
        if self.default not in (None, ""):
            out["default"] = self.default
        return {"name": self.name, "in": "query", "required": False,
                "description": self.description, "schema": out}

    def read(self, value: str) -> Any:
        """The query string's text as this option's value; :class:`BadRequest` says what
        is wrong with it."""
        if self.kind == "integer":
            if value.strip() == "":
                return self.default
            try:
                number = int(value.strip())
            except ValueError:
                raise BadRequest(f"{self.name} must be a whole number, not {value[:20]!r}"
                                 ) from None
            if not (self.minimum or 0) <= number <= (self.maximum or number):
                raise BadRequest(f"{self.name} must be between {self.minimum} and "
                                 f"{self.maximum}, not {number}")
            return number
        if self.kind == "boolean":
            folded = value.strip().lower()
            if folded in _TRUE or folded in _FALSE:
                return folded in _TRUE
            raise BadRequest(f"{self.name} must be true or false, not {value[:20]!r}")
        if self.enum:
            if not value:
                return self.default
            if value not in self.enum:
                raise BadRequest(f"{self.name} must be one of {', '.join(self.enum)}, not "
                                 f"{value[:20]!r}")
            return value
        if self.maximum is not None and len(value) > self.maximum:
            raise BadRequest(f"{self.name} is {len(value)} characters long; at most "
                             f"{self.maximum}")
        if "\x00" in value:
            raise BadRequest(f"{self.name} holds a NUL character")
        return value.strip() or self.default


def _kind(hint: Any) -> tuple[str, tuple[str, ...] | None]:
    """The OpenAPI type of a field's annotation, and its values when they are few."""
    if typing.get_origin(hint) is typing.Literal:
        return "string", tuple(typing.get_args(hint))
    choices = [a for a in typing.get_args(hint) if a is not type(None)]
    if choices and typing.get_origin(hint) is not None:  # X | None: what X is
        hint = choices[0] if len(choices) == 1 else str
    if hint is bool:
        return "boolean", None
    if hint is int:
        return "integer", None
    return "string", None


def _params() -> tuple[Param, ...]:
    hints = typing.get_type_hints(SearchOptions)
    out = []
    for field in fields(SearchOptions):
        if field.name in SERVER_SIDE:
            continue
        kind, enum = _kind(hints[field.name])
        cap = CAPS.get(field.name)
        most = field.metadata.get("maximum")
        out.append(Param(
            SPELLED.get(field.name, field.name), field.name, kind, field.metadata["about"],
            default=None if field.default is MISSING else field.default,
            maximum=min(c for c in (cap, most) if c is not None) if cap or most else None,
            minimum=field.metadata.get("minimum"), enum=enum))
    return tuple(out)


#: The options of ``searcher query``, as query-string parameters (in SearchOptions' order).
SEARCH_PARAMS = _params()
_BY_NAME = {p.name: p for p in SEARCH_PARAMS}
_BY_OPTION = {p.option: p for p in SEARCH_PARAMS}


def parse_search(args: Mapping[str, str], strict: bool = True) -> SearchOptions:
    """The search that the query-string ``args`` ask for, checked and bounded;
    :class:`BadRequest` says what is wrong (``strict``: an unknown parameter too)."""
    unknown = sorted(set(args) - set(_BY_NAME))
    if unknown and strict:
        raise BadRequest(f"unknown parameter {unknown[0]!r} (known: "
                         f"{', '.join(sorted(_BY_NAME))})")
    given = {p.option: p.read(args[p.name]) for p in SEARCH_PARAMS if p.name in args}
    if given.get("offset") is not None and "page" in args:
        raise BadRequest("give page or offset, not both")
    try:
        return SearchOptions(**{k: v for k, v in given.items() if v is not None})
    except BadOption as exc:  # said as the client spelled the option
        name = _BY_OPTION[exc.option].name if exc.option in _BY_OPTION else None
        message = str(exc)
        raise BadRequest(f"{name}: {message}" if name and not message.startswith(name)
                         else message) from None


def empty(options: SearchOptions) -> bool:
    """Nothing asked for: no query text and no filter."""
    return not options.text.strip() and not options.restricted


def filters(options: SearchOptions) -> dict[str, str]:
    """The filters in force, by their parameter names."""
    return {_BY_OPTION[name].name: value for name in (
        "participant", "country", "kind", "date_from", "date_to")
        if (value := getattr(options, name))}


def query_string(options: SearchOptions, **changes: Any) -> dict[str, str]:
    """The parameters of the search ``options`` (``changes`` applied, by parameter name;
    None drops one), as a URL holds them: defaults left out."""
    values: dict[str, Any] = {"q": options.text, **filters(options), "sort": options.sort,
                              "limit": options.limit, "page": options.current_page}
    values.update(changes)
    return {k: str(v) for k, v in values.items()
            if v is not None and v != "" and (k not in _BY_NAME or _BY_NAME[k].default != v)}


def parse_prefix(args: Mapping[str, str]) -> tuple[str, int]:
    """The ``prefix`` and ``limit`` of a suggestion request."""
    prefix = args.get("prefix")
    if prefix is None:
        raise BadRequest("give the text typed so far as prefix")
    if len(prefix) > MAX_PREFIX:
        raise BadRequest(f"prefix is {len(prefix)} characters long; at most {MAX_PREFIX}")
    limit = Param("limit", "limit", "integer", "", 8, MAX_SUGGESTIONS, 1).read(
        args.get("limit", ""))
    return prefix, limit
