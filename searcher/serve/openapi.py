"""The OpenAPI document of the JSON API (``/openapi.json``), made from the same parameter
table the server checks requests with and the JSON Schema ``searcher query --json``
ships with."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from .. import __version__
from ..shipped import shipped_text
from .params import MAX_PREFIX, MAX_SUGGESTIONS, SEARCH_PARAMS


def _rebased(node: Any) -> Any:
    """The results schema's ``#/$defs/x`` references as references to the components."""
    if isinstance(node, dict):
        return {k: ("#/components/schemas/" + v.rsplit("/", 1)[1]
                    if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/")
                    else _rebased(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebased(v) for v in node]
    return node


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


_ERRORS = {"400": _json("Error", "a parameter out of bounds or malformed"),
           "404": _json("Error", "no such release or person")}


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    shipped = json.loads(shipped_text("results.schema.json"))
    results = {k: v for k, v in shipped.items() if k not in ("$schema", "$id", "$defs")}
    schemas: dict[str, Any] = {name: _rebased(d) for name, d in shipped["$defs"].items()}
    schemas["Results"] = _rebased(results)
    schemas["Error"] = {"type": "object", "required": ["error", "status"], "properties": {
        "error": {"type": "string", "description": "what is wrong, for a person"},
        "status": {"type": "integer"}}}
    release = copy.deepcopy(schemas["hit"])
    for key in ("score", "title_highlights", "matched_paragraphs", "snippets"):
        release["properties"].pop(key, None)
        release["required"].remove(key)
    release["properties"].update({
        "paragraphs": {"type": "array", "items": {"type": "string"}},
        "references": {"type": "array", "items": {"type": "object"}, "description":
                       "where the text names each participant, by name or by a title"},
        "source_url": {"type": ["string", "null"], "description":
                       "the address the release was published at, as its file says "
                       "(any scheme: check it before making it a link)"}})
    release["required"] += ["paragraphs", "references"]
    schemas["Release"] = release
    schemas["Suggestions"] = {"type": "object", "required": ["prefix", "suggestions"],
                              "properties": {"prefix": {"type": "string"}, "suggestions": {
                                  "type": "array", "items": {"type": "object", "required": [
                                      "kind", "text", "releases", "start", "key"],
                                      "properties": {
                                          "kind": {"enum": ["person", "country", "word"]},
                                          "text": {"type": "string"},
                                          "releases": {"type": "integer"},
                                          "start": {"type": "integer", "description":
                                                    "where in prefix the completion starts"},
                                          "key": {"type": ["string", "null"],
                                                  "description": "a person's key"}}}}}}
    schemas["Person"] = {"type": "object", "required": [
        "key", "name", "releases", "counterparts", "total"], "properties": {
        "key": {"type": "string"}, "name": {"type": "string"},
        "roles": {"type": "array", "items": {"type": "string"}},
        "countries": {"type": "array", "items": {"type": "string"}},
        "first": {"$ref": "#/components/schemas/date"},
        "last": {"$ref": "#/components/schemas/date"},
        "total": {"type": "integer", "description": "their releases in all"},
        "counterparts": {"type": "array", "items": {"type": "object", "properties": {
            "key": {"type": "string"}, "name": {"type": "string"},
            "country": {"type": ["string", "null"]},
            "releases": {"type": "array", "items": {"type": "string"},
                         "description": "ids of their releases together, at most 20"},
            "total": {"type": "integer", "description": "their releases together"},
            "first": {"$ref": "#/components/schemas/date"},
            "last": {"$ref": "#/components/schemas/date"}}},
            "description": "most releases together first, at most 200"},
        "counterpart_countries": {"type": "object",
                                  "additionalProperties": {"type": "integer"}},
        "releases": {"type": "array", "description": "newest first, at most 200",
                     "items": {"type": "object"}}}}
    schemas["Health"] = {"type": "object", "properties": {
        "status": {"const": "ok"}, "generation": {"type": "string"},
        "commit": {"type": "integer"}, "releases": {"type": ["integer", "null"]},
        "paragraphs": {"type": ["integer", "null"]},
        "pid": {"type": "integer", "description": "the server process that answered"}}}
    path_id = {"name": "release_id", "in": "path", "required": True,
               "schema": {"type": "string"}, "description": "the release's id"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "searcher", "version": __version__, "description":
                 "Full-text search over diplomatic press releases. Read-only."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Search: the same JSON as `searcher query --json`",
                "parameters": [p.schema() for p in SEARCH_PARAMS],
                "responses": {"200": _json("Results", "ranked releases"), **_ERRORS}}},
            "/api/releases/{release_id}": {"get": {
                "summary": "One release, as `searcher show --json`",
                "parameters": [path_id],
                "responses": {"200": _json("Release", "the release"), **_ERRORS}}},
            "/api/suggest": {"get": {
                "summary": "Completions of what is being typed: people, countries, words",
                "parameters": [
                    {"name": "prefix", "in": "query", "required": True,
                     "schema": {"type": "string", "maxLength": MAX_PREFIX}},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1,
                                "maximum": MAX_SUGGESTIONS, "default": 8}}],
                "responses": {"200": _json("Suggestions", "completions"), **_ERRORS}}},
            "/api/people/{key}": {"get": {
                "summary": "A person: releases, counterparts and their countries, dates",
                "parameters": [{"name": "key", "in": "path", "required": True,
                                "schema": {"type": "string"},
                                "description": "a participant's key (\"prak sokhonn\")"}],
                "responses": {"200": _json("Person", "the person"), **_ERRORS}}},
            "/healthz": {"get": {"summary": "Liveness, and which commit is served",
                                 "responses": {"200": _json("Health", "serving")}}},
        },
        "components": {"schemas": schemas},
    }
