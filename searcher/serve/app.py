"""The web application: a JSON API for programs and pages for people, over one index.

Starlette (ASGI) routes; every answer comes from :class:`searcher.live.SharedIndex`, which
serves the last committed index and follows new commits. Nothing here writes anything.
Pages are Jinja2 templates with autoescaping on, so text from documents is always
escaped; every response carries a Content-Security-Policy allowing only this server's own
scripts and styles.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import IndexBusy, IndexMissing, SearcherError
from ..explore import source_link
from ..live import SharedIndex
from ..search.options import SearchOptions
from ..search.results import Hit, Results
from . import timeline
from .openapi import openapi_document
from .params import (MAX_PAGE, MAX_QUERY, BadRequest, empty, filters, parse_prefix,
                     parse_search, query_string)

#: Releases a person's page and ``/api/people/{key}`` list at most (newest first).
PERSON_RELEASES = 200

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
_OURS = frozenset(name for name, _ in SECURITY_HEADERS)


class SecurityHeaders:
    """ASGI middleware: the security headers on every response, errors included."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k not in _OURS]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, sending)


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("searcher.serve", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["version"] = __version__
    env.filters["month_name"] = timeline.month_name
    return env


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in (
        "/healthz", "/openapi.json")


class Site:
    """The routes' shared state: the index, the server's synonym file (None: the shipped
    one) and the templates."""

    def __init__(self, shared: SharedIndex, synonyms: str | None = None):
        self.shared, self.synonyms = shared, synonyms
        self.templates = _templates()

    # -- helpers -----------------------------------------------------------------------

    def page(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status_code)

    def error(self, request: Request, status: int, message: str) -> Response:
        if _api(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return self.page("error.html", status, status=status, message=message, req=None)

    def search(self, req: SearchOptions) -> Results:
        """The search's Results, with the server's synonyms."""
        if self.synonyms:
            req = replace(req, synonyms=self.synonyms)
        try:
            return self.shared.search(req)
        except (IndexMissing, IndexBusy):
            raise
        except SearcherError as exc:  # about the request (a date, a filter): the caller's
            raise BadRequest(str(exc)) from None

    # -- the JSON API --------------------------------------------------------------------

    def api_search(self, request: Request) -> Response:
        req = parse_search(request.query_params)
        if empty(req):
            raise BadRequest("give q, or a filter such as country")
        return JSONResponse(self.search(req).to_dict())

    def api_release(self, request: Request) -> Response:
        release = self.shared.release(request.path_params["release_id"])
        if release is None:
            raise HTTPException(404, f"no release {request.path_params['release_id']!r}")
        return JSONResponse(release.to_dict())  # as `searcher show --json`

    def api_suggest(self, request: Request) -> Response:
        prefix, limit = parse_prefix(request.query_params)
        found = self.shared.suggest(prefix, limit)
        return JSONResponse({"prefix": prefix, "suggestions": [s.to_dict() for s in found]})

    def api_person(self, request: Request) -> Response:
        key = request.path_params["key"]
        person = self.shared.person(key)
        if person is None:
            raise HTTPException(404, f"no participant {key!r}")
        data = person.to_dict()
        # Bounded: a head of state may have thousands of releases and counterparts.
        data["releases"] = data["releases"][:PERSON_RELEASES]
        data["counterparts"] = data["counterparts"][:PERSON_RELEASES]
        for counterpart in data["counterparts"]:
            counterpart["total"] = len(counterpart["releases"])
            counterpart["releases"] = counterpart["releases"][:20]
        return JSONResponse(data)

    def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", **self.shared.stats(), "pid": os.getpid()})

    def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_document())

    # -- pages ---------------------------------------------------------------------------

    def home(self, request: Request) -> Response:
        req = parse_search(request.query_params, strict=False)
        req = replace(req, facets=True, paragraphs=False)  # the sidebar needs the facets
        if req.offset is not None:  # the page goes by pages
            req = replace(req, page=req.current_page, offset=None)
        if empty(req):
            return self.page("search.html", req=req, filters={}, results=None, stats=self.shared.stats(),
                             welcome=True, people=self.shared.top("person", 8),
                             countries=self.shared.top("country", 8),
                             words=self.shared.top("word", 8))
        results = self.search(req)
        last = max(1, -(-results.total // req.limit))
        return self.page(
            "search.html", req=req, filters=filters(req), results=results, hits=[_hit(h) for h in results.hits],
            chips=_chips(req), facets=_facet_links(req, results),
            chart=timeline.chart(results.facets.get("month", {}) if results.facets else {},
                                 lambda lo, hi: _url(req, page=None, **{"from": lo, "to": hi})),
            pages=_pages(req, last), last=min(last, MAX_PAGE),
            suggestion_url=_url(req, q=results.suggestion, page=None)
            if results.suggestion else None,
            url=lambda **changes: _url(req, **changes))

    def release_page(self, request: Request) -> Response:
        release_id = request.path_params["release_id"]
        q = (request.query_params.get("q") or "")[:MAX_QUERY]
        release = self.shared.release(release_id)
        if release is None:
            raise HTTPException(404, f"no release {release_id!r} in this index")
        lit = self.shared.highlight(q, [release.title, *release.paragraphs], self.synonyms)
        return self.page("release.html", req=None, q=q, release=release, title=lit[0],
                         paragraphs=lit[1:], source=source_link(release),
                         back=("/?" + urlencode({"q": q})) if q else None)

    def person_page(self, request: Request) -> Response:
        key = request.path_params["key"]
        person = self.shared.person(key)
        if person is None:
            raise HTTPException(404, f"no participant {key!r} in this index")
        return self.page("person.html", req=None, person=person,
                         releases=person.releases[:PERSON_RELEASES],
                         search_url="/?" + urlencode({"participant": person.key}))


# -- what the templates show ---------------------------------------------------------------

def _url(req: SearchOptions, **changes: Any) -> str:
    return "/?" + urlencode(query_string(req, **changes))


def _hit(hit: Hit) -> dict[str, Any]:
    return {"hit": hit, "release": hit.release, "title": hit.title.spans(),
            "snippets": [s.spans() for s in hit.snippets],
            "href": "/releases/" + _quote_path(hit.release.id)}


def _quote_path(release_id: str) -> str:
    from urllib.parse import quote

    return quote(release_id, safe="/")


def _chips(req: SearchOptions) -> list[dict[str, str]]:
    """The filters in force, each with the address of the search without it."""
    return [{"label": name, "value": value, "remove": _url(req, page=None, **{name: None})}
            for name, value in filters(req).items()]


FACET_LABELS = {"year": "Year", "country": "Country", "participant": "Participant",
                "kind": "Kind"}


def _facet_links(req: SearchOptions, results: Results, top: int = 12) -> list[dict[str, Any]]:
    """The sidebar: each facet's values with their counts and the address narrowing to it."""
    out = []
    facets = results.facets or {}
    chosen = filters(req)
    for name, label in FACET_LABELS.items():
        counts = facets.get(name) or {}
        if name == "year":
            items = sorted(counts.items(), reverse=True)
        else:
            items = list(counts.items())
        values = []
        for value, n in items[:top]:
            if name == "year":
                change = {"from": value, "to": value}
                active = req.date_from == value and req.date_to == value
            else:
                change = {name: value}
                active = (chosen.get(name) or "").casefold() == value.casefold()
            values.append({"value": value, "count": n, "active": active,
                           "href": _url(req, page=None, **change)})
        if values:
            out.append({"name": name, "label": label, "entries": values,
                        "more": max(0, len(items) - top)})
    return out


def _pages(req: SearchOptions, last: int) -> list[dict[str, Any]]:
    """Links to nearby pages: first, a window around the current one, last."""
    last = min(last, MAX_PAGE)
    shown = sorted({1, last, *range(max(1, req.page - 2), min(last, req.page + 2) + 1)})
    out: list[dict[str, Any]] = []
    for n in shown:
        if out and n - out[-1]["n"] > 1:
            out.append({"n": None})
        out.append({"n": n, "href": _url(req, page=n), "current": n == req.page})
    return out


# -- the application -----------------------------------------------------------------------

def _inline(handler: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
    """``handler`` run on the event loop itself, not in Starlette's thread pool.

    A handler's work is Python holding the one GIL, and a process answers one search at a
    time (:class:`SharedIndex` runs one call at a time), so a thread would let nothing run
    beside it but the loop: it would cost each request two thread wake-ups (0.3-0.5 ms
    measured, more when the cores are busy) and, under load, the switches between the two
    threads. More cores are more processes (:mod:`searcher.serve.workers`)."""
    async def endpoint(request: Request) -> Response:
        return handler(request)

    endpoint.__name__ = getattr(handler, "__name__", "endpoint")
    return endpoint


def create_app(index: str | Path | SharedIndex = "index", *,
               synonyms: str | Path | None = None) -> Starlette:
    """The ASGI application serving ``index``: a folder (opened here as a
    :class:`SharedIndex`), or a :class:`SharedIndex` to answer from. It follows new
    commits of the index by itself. ``synonyms``: a synonym file replacing the shipped
    one for every search (the server's setting: a client names no file)."""
    shared = index if isinstance(index, SharedIndex) else SharedIndex(index)
    site = Site(shared, str(synonyms) if synonyms else None)
    static = resources.files("searcher.serve") / "static"

    async def bad_request(request: Request, exc: Exception) -> Response:
        return site.error(request, 400, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else (
            f"nothing at {request.url.path}")
        return site.error(request, exc.status_code, str(message))

    async def unavailable(request: Request, exc: Exception) -> Response:
        return site.error(request, 503, f"the index cannot be read just now: {exc}")

    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette raises it again after this answer, for the server to log with its
        # traceback; the client is told only that something went wrong.
        return site.error(request, 500, "internal error: the server could not answer this "
                          "request (the details are in its log)")

    routes = [
        Route("/", _inline(site.home), name="home"),
        Route("/releases/{release_id:path}", _inline(site.release_page)),
        Route("/people/{key:path}", _inline(site.person_page)),
        Route("/api/search", _inline(site.api_search)),
        Route("/api/releases/{release_id:path}", _inline(site.api_release)),
        Route("/api/suggest", _inline(site.api_suggest)),
        Route("/api/people/{key:path}", _inline(site.api_person)),
        Route("/healthz", _inline(site.healthz)),
        Route("/openapi.json", _inline(site.openapi)),
        Route("/favicon.ico", _inline(lambda request: RedirectResponse("/static/favicon.svg",
                                                                      301))),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        BadRequest: bad_request, HTTPException: http_error, IndexMissing: unavailable,
        IndexBusy: unavailable, Exception: server_error})
    app.add_middleware(SecurityHeaders)
    app.state.shared = shared
    # The directory behind suggestions and people pages (a read of every release record,
    # seconds at 100,000 paragraphs) is made before the first request, not by the first
    # person to type, nor beside the first searches (a thread would share their core).
    shared.directory()
    return app
