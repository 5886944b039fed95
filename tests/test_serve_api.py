"""`searcher serve`'s application through Starlette's test client, on a real index: the JSON
API (same JSON as the CLI, bounds, errors), the pages, and what keeps them safe."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

import searcher
from searcher.cli import cli
from searcher.serve import create_app
from searcher.serve.app import CSP

from .serving import HOSTILE_ID, make_documents

SCHEMA = json.loads((Path(searcher.__file__).parent / "data" / "results.schema.json")
                    .read_text("utf-8"))
S001 = "001_bf54391174a1e620"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("site")
    docs = make_documents(root / "documents")
    searcher.build_index(documents=docs, index=root / "index")[0].close()
    app = create_app(root / "index")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.root = root  # type: ignore[attr-defined]
        yield client
    app.state.shared.close()


def _cli_json(root: Path, *args: str) -> dict:
    done = CliRunner().invoke(cli, ["query", *args, "--json", "--index", str(root / "index"),
                                    "--documents", str(root / "documents")],
                              catch_exceptions=False)
    data = json.loads(done.stdout)
    data.pop("took_ms")
    return data


@pytest.mark.parametrize("params, args", [
    ({"q": "ASEAN Chairmanship"}, ["ASEAN Chairmanship"]),
    ({"q": "Myanmar", "country": "US", "sort": "-date", "facets": "true", "limit": "2",
      "page": "2"}, ["Myanmar", "--country", "US", "--sort", "-date", "--facets", "--limit",
                     "2", "--page", "2"]),
    ({"participant": "Sokhonn", "from": "2022", "to": "2022-06", "kind": "meeting"},
     ["--participant", "Sokhonn", "--from", "2022", "--to", "2022-06", "--kind", "meeting"]),
    ({"q": "Myanmar", "paragraphs": "1", "page": "2", "limit": "2"},
     ["Myanmar", "--paragraphs", "--page", "2", "--limit", "2"]),
    ({"q": "Sokhonn", "offset": "3", "limit": "2", "from": "May 2022"},
     ["Sokhonn", "--offset", "3", "--limit", "2", "--from", "May 2022"]),
    ({"q": "Blinkem"}, ["Blinkem"]),
])
def test_search_answers_the_json_of_query_json(site, params, args):
    response = site.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    data = response.json()
    jsonschema.validate(data, SCHEMA)
    assert isinstance(data.pop("took_ms"), float)
    assert data == _cli_json(site.root, *args)


def test_search_takes_every_option_of_the_cli(site):
    """Each `searcher query` option is a parameter of /api/search (and of the OpenAPI
    document), but those that name server files, write, or shape terminal output."""
    command = cli.commands["query"]
    options = {p.name for p in command.params if p.name != "text"}
    server_side = {"synonyms", "color", "refresh", "as_json", "documents", "index",
                   "fmt", "fields", "ids_only", "count"}  # the API answers JSON
    spelled = {"date_from": "from", "date_to": "to"}
    wanted = {spelled.get(name, name) for name in options - server_side} | {"q", "offset"}
    document = site.get("/openapi.json").json()
    listed = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert listed == wanted
    assert {"/api/search", "/api/releases/{release_id}", "/api/suggest", "/api/people/{key}",
            "/healthz"} <= set(document["paths"])
    assert document["openapi"].startswith("3.")


@pytest.mark.parametrize("params, message", [
    ({"q": "x" * 501}, "q is 501 characters long; at most 500"),
    ({"q": "x", "limit": "101"}, "limit must be between 1 and 100, not 101"),
    ({"q": "x", "limit": "ten"}, "limit must be a whole number, not 'ten'"),
    ({"q": "x", "page": "1001"}, "page must be between 1 and 1000, not 1001"),
    ({"q": "x", "page": "0"}, "page must be between 1 and 1000, not 0"),
    ({"q": "x", "offset": "15", "page": "2"}, "give page or offset, not both"),
    ({"q": "x", "sort": "size"}, "sort must be one of relevance, date, -date, not 'size'"),
    ({"q": "x", "from": "2022-13"}, "from: not a date: '2022-13' (there is no month 13;"),
    ({"q": "x", "to": "May"}, "to: not a date: 'May' (use 2022, 2022-05, 2022-05-13 or May"),
    ({"q": "x", "from": "2" * 41}, "from is 41 characters long; at most 40"),
    ({"q": "x", "facets": "maybe"}, "facets must be true or false, not 'maybe'"),
    ({"q": "x", "color": "always"}, "unknown parameter 'color'"),
    ({"q": "x", "offset": "100001"}, "offset must be between 0 and 100000, not 100001"),
    ({"q": "x", "kind": "a\x00b"}, "kind holds a NUL character"),
    ({"q": "x", "from": "2022-06", "to": "2022-01"},
     "the dates are the wrong way round: from 2022-06 to 2022-01"),
    ({}, "give q, or a filter such as country"),
])
def test_bad_parameters_are_a_400_saying_why(site, params, message):
    response = site.get("/api/search", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"].startswith(message)


def test_the_servers_synonym_file_is_used_and_no_client_names_one(site, tmp_path: Path):
    mine = tmp_path / "synonyms.txt"
    mine.write_text("zebra, Norway\n", encoding="utf-8")
    assert site.get("/api/search", params={"q": "zebra"}).json()["total"] == 0
    assert site.get("/api/search", params={"q": "zebra", "synonyms": str(mine)}).status_code == 400
    app = create_app(site.root / "index", synonyms=mine)
    with TestClient(app) as client:
        assert client.get("/api/search", params={"q": "zebra"}).json()["total"] == 1
        assert "<mark>" in client.get("/", params={"q": "zebra"}).text
    app.state.shared.close()


def test_release_by_id_and_unknown_ids(site):
    data = site.get(f"/api/releases/{S001}").json()
    assert data["id"] == S001 and len(data["paragraphs"]) > 3 and data["references"]
    assert data == searcher.Index.open(site.root / "index").release(S001).to_dict()
    for bad in ("nope", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e/documents/" + S001,
                str(site.root / "documents" / S001)):
        response = site.get(f"/api/releases/{bad}")
        assert response.status_code == 404 and "no release" in response.json()["error"]
    assert site.get("/api/releases/../../../etc/passwd").status_code == 404


def test_suggest_people_countries_words(site):
    found = site.get("/api/suggest", params={"prefix": "Meeting prak so"}).json()
    first = found["suggestions"][0]
    assert first == {"kind": "person", "text": "PRAK Sokhonn", "releases": 5,
                     "start": len("Meeting "), "key": "prak sokhonn"}
    kinds = {s["kind"]: s["text"] for s in site.get(
        "/api/suggest", params={"prefix": "nor"}).json()["suggestions"]}
    assert kinds["country"] == "Norway"
    words = site.get("/api/suggest", params={"prefix": "tele"}).json()["suggestions"]
    assert [s["text"] for s in words if s["kind"] == "word"] == ["Telephone"]
    assert site.get("/api/suggest").status_code == 400
    assert site.get("/api/suggest", params={"prefix": "x" * 101}).status_code == 400


def test_person_summary(site):
    person = site.get("/api/people/prak sokhonn").json()
    assert person["name"] == "PRAK Sokhonn" and person["total"] == 5
    assert person["countries"] == ["Cambodia"]
    assert (person["first"], person["last"]) == ("2020-10-21", "2022-08-04")
    met = {c["name"]: c["country"] for c in person["counterparts"]}
    assert met["Antony J. Blinken"] == "United States" and met["HAYASHI Yoshimasa"] == "Japan"
    assert [r["release_date"] for r in person["releases"]] == sorted(
        (r["release_date"] for r in person["releases"]), reverse=True)
    assert site.get("/api/people/nobody").status_code == 404


def test_health_names_the_commit_served(site):
    health = site.get("/healthz").json()
    assert health["status"] == "ok" and health["releases"] == 6
    assert health["generation"].startswith("gen-")


def test_every_answer_carries_the_security_headers(site):
    for path in ("/", "/?q=ASEAN", "/api/search?q=ASEAN", "/static/style.css", "/nowhere",
                 "/api/search?limit=0"):
        response = site.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"


def test_only_reads(site):
    for method in ("post", "put", "delete"):
        response = getattr(site, method)("/api/search?q=ASEAN")
        assert response.status_code == 405 and "error" in response.json()


def test_a_server_error_shows_no_traceback(site):
    app = create_app(site.root / "index")

    def broken(request):
        raise RuntimeError("secret detail at /srv/x.py line 3")

    app.add_route("/api/broken", broken)
    app.add_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/broken")
        assert response.status_code == 500
        assert response.json()["error"].startswith("internal error")
        page = client.get("/broken")
        assert page.status_code == 500 and "Something went wrong" in page.text
        for text in (response.text, page.text):
            assert "Traceback" not in text and "secret detail" not in text
        app.state.shared.close()  # the index gone from under the routes: 503, not 400
        gone = client.get("/api/search", params={"q": "ASEAN"})
        assert gone.status_code == 503 and "cannot be read" in gone.json()["error"]


# -- pages ----------------------------------------------------------------------------------

def test_welcome_page_offers_the_index_own_people_and_countries(site):
    html = site.get("/").text
    assert "6 releases" in html and 'autofocus' in html
    assert '<a class="person" href="/people/prak%20sokhonn">PRAK Sokhonn</a> <span class="n">5</span>' in html
    assert 'href="/?country=United+States"' in html


def test_search_page_without_script(site):
    page = site.get("/", params={"q": "Myanmar", "country": "Japan"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<mark>Myanmar</mark>" in html
    assert 'class="chip"' in html and "country: <strong>Japan</strong>" in html
    assert 'href="/?q=Myanmar"' in html  # the chip's removal link
    assert "<svg" in html and 'class="bar"' in html  # the timeline
    assert 'data-facet="year"' in html and 'data-facet="participant"' in html
    assert f'href="/releases/{S001}?q=Myanmar"' in html
    assert 'href="/people/hayashi%20yoshimasa"' in html


def test_did_you_mean_and_paging(site):
    html = site.get("/", params={"q": "Blinkem"}).text
    assert 'Did you mean: <a href="/?q=Blinken">Blinken</a>' in html
    paged = site.get("/", params={"q": "Sokhonn", "limit": "2", "page": "2"}).text
    assert 'aria-current="page">2<' in paged and 'rel="next" href="/?q=Sokhonn&amp;limit=2&amp;page=3"' in paged


def test_release_page_shows_every_field_and_the_words(site):
    html = site.get(f"/releases/{S001}", params={"q": "ASEAN"}).text
    release = searcher.Index.open(site.root / "index").release(S001)
    assert "<mark>ASEAN</mark>" in html
    for text in (release.kind, release.place, str(release.release_date), "HAYASHI Yoshimasa",
                 "Minister of Foreign Affairs of Japan", release.path, release.spokesperson):
        assert text in html, text
    assert site.get("/releases/none").status_code == 404


def test_person_page(site):
    html = site.get("/people/prak%20sokhonn").text
    assert "<h1>PRAK Sokhonn</h1>" in html and "Who they met" in html
    assert 'href="/people/anniken%20huitfeldt"' in html and "Norway" in html


def test_markup_in_documents_shows_as_text(site):
    pages = [site.get("/", params={"q": "Zanzibar"}).text,
             site.get(f"/releases/{HOSTILE_ID}", params={"q": "Zanzibar"}).text]
    for html in pages:
        assert "&lt;script&gt;alert(" in html
        assert "<script>alert" not in html and "<img" not in html
        assert "javascript:" not in html  # its source_url is no link
    assert site.get(f"/api/releases/{HOSTILE_ID}").json()["source_url"] is None
