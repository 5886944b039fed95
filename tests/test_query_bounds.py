"""Hostile queries (issue 19): deep nesting, invalid bytes, great length. Each is answered,
with a notice where something was cut, never a traceback, and within a bound that only a
hang would break (a guard, not a speed measurement: those are in tests/benchmarks)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searcher

HANG = 10.0  # seconds: far above any real query's time, even on a loaded machine


def timed(index: searcher.Index, text: str) -> searcher.Results:
    started = time.perf_counter()
    results = index.search(text)
    assert time.perf_counter() - started < HANG, text[:80]
    return results


@pytest.mark.parametrize("text, notice", [
    ("(" * 3000 + "Japan" + ")" * 3000, "brackets nested deeper than 8"),
    ("Japan " + "a" * 100_000, "query cut to its first 1,000 characters"),
    (" ".join(f"word{i}" for i in range(500)), "query cut to its first 64 words"),
])
def test_a_query_too_large_is_cut_and_says_so(seeds_index, text, notice):
    results = timed(seeds_index, text)
    assert any(n.startswith(notice) for n in results.notices), results.notices


@pytest.mark.parametrize("text", ["ab\udcff*", "date:\udcff", "Japan\udcfe\udcff", "\x1b[2J Japan"])
def test_invalid_characters_are_spaces(seeds_index, text):
    results = timed(seeds_index, text)
    assert isinstance(results, searcher.Results)


PIECES = list('ab J(")[]{}:*?-+^~\\') + ["\udcff", "Japan", "date:", " OR ", " NOT ", " AND ",
                                      "country:", "(((", "Sokhonn", "2022-05"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_any_query_is_answered(seeds_index, text):
    results = timed(seeds_index, text)
    assert results.total >= 0
