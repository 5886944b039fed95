"""The hand-labelled sets (issue 15) hold together: one entry per release file, every field
present and of its kind, titles and dates as the front matter gives them, countries named as
the engine's gazetteer names them, and every person and non-person written as the text writes
it. It checks the labels against the files, never against what searcher reads from them."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
import yaml

from .conftest import FIXTURES, SEEDS

SETS = {  # labels file: (folder of releases, suffix, issuing country)
    "statements/labels.yaml": (FIXTURES / "statements", ".md", "United States"),
    "readouts2/labels.yaml": (FIXTURES / "readouts2", ".md", "United States"),
    "whitehouse/labels.yaml": (FIXTURES / "whitehouse", ".md", "United States"),
    "seeds-labels.yaml": (SEEDS, ".txt", "Cambodia"),
}
FIELDS = ["title", "release_date", "event_date", "kind", "participants", "countries",
          "mentions", "not_people"]
KINDS = {"telephone conversation", "video call", "meeting", "visit", "courtesy call",
         "joint statement", "statement", "remarks", "press briefing", "fact sheet",
         "nomination", "memorandum", "letter", "executive order", None}
COUNTRIES = {line.split("\t")[0] for line in
             resources.files("searcher").joinpath("data/countries.tsv").read_text("utf-8")
             .splitlines() if line.strip() and not line.startswith("#")}


def cases() -> list[tuple]:
    out = []
    for name, (folder, suffix, issuer) in SETS.items():
        labels = yaml.safe_load((FIXTURES / name).read_text("utf-8"))
        out += [pytest.param(folder / f"{stem}{suffix}", entry, issuer, id=stem[:60])
                for stem, entry in labels.items()]
    return out


@pytest.mark.parametrize("name", sorted(SETS))
def test_one_entry_per_release_file(name):
    folder, suffix, _ = SETS[name]
    labels = yaml.safe_load((FIXTURES / name).read_text("utf-8"))
    assert sorted(labels) == sorted(p.stem for p in folder.iterdir() if p.suffix == suffix)


def test_the_sets_are_the_sizes_stated():
    sizes = [len(yaml.safe_load((FIXTURES / n).read_text("utf-8"))) for n in sorted(SETS)]
    assert sizes == [26, 5, 48, 30]


def read(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8")
    if path.suffix != ".md":
        return {}, text
    _, front, body = text.split("---", 2)
    return yaml.safe_load(front), body


@pytest.mark.parametrize("path, entry, issuer", cases())
def test_labels_are_well_formed_and_read_from_the_text(path: Path, entry: dict, issuer: str):
    assert list(entry) == FIELDS
    front, body = read(path)
    if front:
        assert entry["title"] == " ".join(front["title"].replace("\u2019", "'").split())
        assert entry["release_date"] == dt.date.fromisoformat(str(front["date"]))
    assert isinstance(entry["release_date"], dt.date)
    if entry["event_date"] is not None:
        assert abs((entry["event_date"] - entry["release_date"]).days) <= 7
    assert entry["kind"] in KINDS
    text = " ".join((entry["title"] + " " + body).replace("\u2019", "'").replace("**", "").split())
    own = []
    for person in entry["participants"]:
        assert sorted(person) == ["country", "name", "role"]
        assert person["country"] is None or person["country"] in COUNTRIES
        assert person["name"].lower() in text.lower()  # role: null where none is stated
        if person["country"] not in (None, issuer, *own):
            own.append(person["country"])
    assert set(entry["countries"]) <= COUNTRIES and issuer not in entry["countries"]
    assert [c for c in entry["countries"] if c in own] == own
    names = {p["name"] for p in entry["participants"]}
    for mention in entry["mentions"]:
        # "John Adams" from "John and Samuel Adams"; a mention sharing a participant's name
        # is another person of it ("Lady Starmer" and Prime Minister Starmer).
        assert mention in text or mention.split()[-1] in text
        assert mention not in names or text.count(mention) >= 2
    for phrase in entry["not_people"]:
        assert phrase.lower() in text.lower() and phrase not in names
