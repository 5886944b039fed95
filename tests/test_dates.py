"""Dates of the common forms are read without dateutil, and read as dateutil reads them."""

from __future__ import annotations

import itertools

from dateutil import parser

from searcher.ingest.dates import _common_date, parse_date


def dateutil_reads(text: str):
    try:
        return parser.parse(text.replace(" of ", " "), dayfirst=True, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def test_the_common_forms_are_read_as_dateutil_reads_them():
    days = ["0", "1", "01", "9", "12", "13", "28", "29", "30", "31", "32"]
    months = ["May", "sept.", "FEB", "Oct.", "june", "Dec", "Mayo"]
    forms = ["{d}{s} {m} {y}", "{d}{s} of {m}, {y}", "{m} {d}{s}, {y}", "{d}/{n}/{y}"]
    texts = {form.format(d=d, s=s, m=m, n=n, y=y) for d, s, m, n, y, form in itertools.product(
        days, ["", "th", "ST"], months, ["1", "06", "12", "13"], ["2020", "2023"], forms)
        if "/" not in form or not s}
    read = 0
    for text in sorted(texts):
        fast = _common_date(text)
        if fast is not None:
            read += 1
            assert fast == dateutil_reads(text), text
    assert read > 500  # the fast reading is taken: most of these are days


def test_other_forms_and_digits_go_to_dateutil():
    for text in ["٥ May 2020", "31 April 2021", "5/13/2020", "2021-03-04", "the 4th of July, 1990"]:
        assert _common_date(text) is None
        assert parse_date(text) == (dateutil_reads(text) if "-" not in text else
                                    parser.isoparse(text).date())
