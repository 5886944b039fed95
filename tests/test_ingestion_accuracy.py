"""Ingestion accuracy over every hand-labelled release (issue 15): 48 White House releases
that are not readouts, 56 readouts, the 5 seeds and the 3 saved web pages carrying seed text.
How a reading is scored against a label is in ``tests/labels.py``; ``python -m tests.labels``
prints each disagreement. README: "Ingestion accuracy"."""

from __future__ import annotations

import pytest

from .labels import cases, score

#: The accuracy reached per field; the test fails below it, so it cannot slip back. The
#: issue's targets: participant precision 0.99, recall 0.95, every other field 0.98.
LEVELS = {
    "participant precision": 1.0,
    "participant recall": 1.0,
    "roles": 1.0,
    "countries": 0.98,
    "kind": 0.99,
    "release_date": 1.0,
    "event_date": 0.98,
    "title": 1.0,
}


@pytest.fixture(scope="module")
def scores():
    return score()


def test_the_labelled_set_is_as_large_as_stated():
    labelled = cases()
    readouts = [c for c in labelled if c.label["kind"] in
                ("telephone conversation", "video call", "meeting", "visit")
                and "readout" in c.release.title.lower()]
    assert len(labelled) == 112 and len(labelled) - len(readouts) >= 40


@pytest.mark.parametrize("field", sorted(LEVELS))
def test_accuracy_per_field(scores, field):
    print(f"{field}: {scores.rate(field):.3f} ({scores.right[field]}/{scores.total[field]})")
    assert scores.rate(field) >= LEVELS[field], [w for w in scores.wrong if w[0] == field]


def test_the_scoring_tells_people_apart():
    """The matching the scores stand on: aliases and family names match, given names alone
    and other people do not."""
    from .labels import same_name

    assert same_name("Joseph R. Biden", "Joseph R. Biden, Jr.")
    assert same_name("Joseph R. Biden", "Joe Biden")
    assert same_name("Joseph R. Biden", "Biden")
    assert same_name("Takeo Akiba", "Akiba Takeo") and same_name("PRAK Sokhonn", "Prak")
    assert not same_name("Ursula", "Ursula von der Leyen")
    assert not same_name("Abdullah Abdullah", "Abdullah II")
    assert not same_name("Hunter Biden", "Joe Biden")
