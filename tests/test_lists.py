"""searcher.search.lists gives numpy's results for every operation the scorer uses.

A small index is scored over these vectors instead of numpy's arrays (to spare a cold query
numpy's import), by the same code; so each operation must return what numpy returns, the
same numbers of the same kinds (ints, floats, bools) in the same order, floats equal to the
last bit. Each is checked here against numpy on generated arguments of the kinds the scorer
passes: sorted unique document numbers, scores, masks, release numbers with repeats.
"""

from __future__ import annotations

import operator
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.search import lists

numbers = st.lists(st.integers(0, 40), max_size=30)
docs = st.lists(st.integers(0, 200), max_size=30, unique=True).map(sorted)
scores = st.lists(st.floats(0, 50, allow_nan=False, width=64), max_size=30)
pairs = st.integers(0, 30).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0, 50, allow_nan=False), min_size=n, max_size=n),
    st.lists(st.floats(0.01, 50, allow_nan=False), min_size=n, max_size=n)))


def same(ours, theirs) -> None:
    """Equal items of the same Python kinds (numpy's item() kinds)."""
    assert isinstance(ours, lists.Vector)
    theirs = np.asarray(theirs).tolist()
    assert ours.tolist() == theirs
    assert [type(x) for x in ours] == [type(x) for x in theirs]


def vec(items, dtype=None):
    return lists.asarray(items, dtype), np.asarray(items, dtype=dtype)


@given(pairs, st.floats(0.1, 10), st.sampled_from(
    [operator.add, operator.sub, operator.mul, operator.truediv]))
def test_arithmetic_item_by_item_and_with_a_number(pair, number, op):
    (a, na), (b, nb) = vec(pair[0], float), vec(pair[1], float)
    same(op(a, b), op(na, nb))
    same(op(a, number), op(na, number))
    same(op(number, b), op(number, nb))
    same(-a, -na)


@given(pairs)
def test_the_bm25_formula_gives_numpys_floats(pair):
    from searcher.search import bm25

    (w, nw), (lengths, nlengths) = vec(pair[0], float), vec(pair[1], float)
    same(bm25.scores(w, lengths, 1.7, 12.3, 0.75, 2.5),
         bm25.scores(nw, nlengths, 1.7, 12.3, 0.75, 2.5))


@given(numbers, st.integers(0, 40))
def test_comparisons_give_masks(items, number):
    a, na = vec(items, int)
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        same(op(a, number), op(na, number))
    same(a[1:] != a[:-1], na[1:] != na[:-1])
    same(~(a > number), ~(na > number))
    same((a > number) | (a < 3), (na > number) | (na < 3))


@given(pairs, st.floats(0, 5))
def test_in_place_updates(pair, number):
    (a, na), (b, nb) = vec(pair[0], float), vec(pair[1], float)
    a += b
    na += nb
    same(a, na)
    a *= number
    na *= number
    same(a, na)
    mask, nmask = a > 10, na > 10
    mask |= b > 20
    nmask |= nb > 20
    same(mask, nmask)
    held, nheld = lists.zeros(len(a)), np.zeros(len(na))
    held += mask
    nheld += nmask
    same(held, nheld)


@given(numbers, st.data())
def test_indexing_by_positions_masks_and_slices(items, data):
    a, na = vec(items, int)
    where = data.draw(st.lists(st.integers(0, max(0, len(items) - 1)), max_size=10)
                      if items else st.just([]))
    mask = data.draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    same(a[lists.asarray(where, int)], na[np.asarray(where, dtype=np.int64)])
    same(a[lists.asarray(mask)], na[np.asarray(mask, dtype=bool)])
    same(a[2:], na[2:])
    if items:
        assert a[0] == na[0] and type(a[-1]) is type(na[-1].item())


@given(numbers, st.data())
def test_assigning_by_positions_masks_and_slices(items, data):
    a, na = vec(items, int)
    where = sorted(set(data.draw(st.lists(st.integers(0, max(0, len(items) - 1)),
                                          max_size=10)))) if items else []
    values = data.draw(st.lists(st.integers(-5, 5), min_size=len(where), max_size=len(where)))
    a[lists.asarray(where, int)] = lists.asarray(values, int)
    na[np.asarray(where, dtype=np.int64)] = values
    same(a, na)
    a[a > 20] = -1
    na[na > 20] = -1
    same(a, na)
    a[1:] = a[:-1] if items else a[1:]
    na[1:] = na[:-1].copy() if items else na[1:]
    same(a, na)
    a[lists.asarray(where, int)] += 1
    na[np.asarray(where, dtype=np.int64)] += 1
    same(a, na)


@given(numbers)
def test_making_vectors(items):
    n = len(items)
    same(lists.zeros(n), np.zeros(n))
    same(lists.zeros(n, dtype=lists.int64), np.zeros(n, dtype=np.int64))
    same(lists.zeros(n, dtype=lists.bool_), np.zeros(n, dtype=bool))
    same(lists.ones(n, dtype=lists.bool_), np.ones(n, dtype=bool))
    same(lists.ones(n), np.ones(n))
    same(lists.full(n, -1, dtype=lists.int64), np.full(n, -1, dtype=np.int64))
    same(lists.full(n, 0.5), np.full(n, 0.5))
    same(lists.arange(n, dtype=lists.int64), np.arange(n, dtype=np.int64))
    same(lists.asarray(items, lists.float64), np.asarray(items, dtype=np.float64))
    same(lists.asarray(items, lists.float64).astype(lists.int64),
         np.asarray(items, dtype=np.float64).astype(np.int64))
    parts = [items[:3], items[3:], []]
    same(lists.concatenate([lists.asarray(p, int) for p in parts]),
         np.concatenate([np.asarray(p, dtype=np.int64) for p in parts]))


@given(st.lists(st.integers(0, 255), max_size=20), st.lists(st.integers(-2**40, 2**40),
                                                              max_size=20))
def test_reading_column_bytes(small, large):
    same(lists.frombuffer(bytes(small), "u1"), np.frombuffer(bytes(small), dtype="u1"))
    data = struct.pack(f">{len(large)}q", *large)
    same(lists.frombuffer(data, ">i8"), np.frombuffer(data, dtype=">i8").astype(np.int64))
    with pytest.raises(ValueError, match="no reader"):
        lists.frombuffer(data, "<f4")


@given(numbers)
def test_unique_with_first_places_and_inverse(items):
    a, na = vec(items, int)
    same(lists.unique(a), np.unique(na))
    for ours, theirs in zip(lists.unique(a, return_index=True, return_inverse=True),
                            np.unique(na, return_index=True, return_inverse=True)):
        same(ours, theirs)
    values, inverse = lists.unique(a, return_inverse=True)
    same(inverse, np.unique(na, return_inverse=True)[1])


@given(st.integers(0, 30).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 12), min_size=n, max_size=n),
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=n, max_size=n))),
    st.integers(0, 20))
def test_bincount_adds_in_numpys_order(pair, minlength):
    (x, nx), (w, nw) = vec(pair[0], int), vec(pair[1], float)
    same(lists.bincount(x, minlength=minlength), np.bincount(nx, minlength=minlength))
    same(lists.bincount(x, weights=w, minlength=minlength),
         np.bincount(nx, weights=nw, minlength=minlength))


@given(docs, docs)
def test_intersections_and_membership(a_items, b_items):
    (a, na), (b, nb) = vec(a_items, int), vec(b_items, int)
    same(lists.intersect1d(a, b, assume_unique=True), np.intersect1d(na, nb, assume_unique=True))
    for ours, theirs in zip(lists.intersect1d(a, b, assume_unique=True, return_indices=True),
                            np.intersect1d(na, nb, assume_unique=True, return_indices=True)):
        same(ours, theirs)
    same(lists.isin(a, b, assume_unique=True), np.isin(na, nb, assume_unique=True))
    same(lists.searchsorted(a, b), np.searchsorted(na, nb))


@given(st.integers(0, 30).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 5), min_size=n, max_size=n),
    st.lists(st.sampled_from([0.0, 1.5, 2.25, 7.0]), min_size=n, max_size=n),
    st.lists(st.integers(0, 100), min_size=n, max_size=n))))
def test_lexsort_sorts_by_the_last_key_first_and_stably(keys):
    releases, score, doc = keys
    ours = lists.lexsort((lists.asarray(doc, int), -lists.asarray(score, float),
                          lists.asarray(releases, int)))
    theirs = np.lexsort((np.asarray(doc, dtype=np.int64), -np.asarray(score, dtype=float),
                         np.asarray(releases, dtype=np.int64)))
    same(ours, theirs)


@given(st.lists(st.booleans(), max_size=30))
def test_running_counts_and_positions_of_a_mask(flags):
    a, na = vec(flags, bool)
    same(lists.flatnonzero(a), np.flatnonzero(na))
    same(lists.cumsum(a), np.cumsum(na))
    same(lists.cumsum(a) - 1, np.cumsum(na) - 1)
    assert a.sum() == na.sum() and type(a.sum()) is type(na.sum().item())


@given(st.integers(0, 30).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 6), min_size=n, max_size=n),
    st.lists(st.floats(0, 50, allow_nan=False), min_size=n, max_size=n))))
def test_maximum_at(pair):
    out, nout = lists.zeros(7), np.zeros(7)
    lists.maximum.at(out, lists.asarray(pair[0], int), lists.asarray(pair[1], float))
    np.maximum.at(nout, np.asarray(pair[0], dtype=np.int64), np.asarray(pair[1], dtype=float))
    same(out, nout)


@settings(max_examples=25)
@given(pairs)
def test_a_vector_names_its_namespace_and_copies(pair):
    a = lists.asarray(pair[0], float)
    assert a.__array_namespace__() is lists
    copy = a.copy()
    copy += 1.0
    assert a.tolist() == pair[0] and isinstance(copy, lists.Vector)
    assert a.nbytes == 32 * len(a) and type(a.tolist()) is list


def test_what_numpy_refuses_is_an_error():
    a, b = lists.asarray([1.0, 2.0]), lists.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        a + b
    with pytest.raises(ValueError):
        np.asarray(a) + np.asarray(b)
    with pytest.raises(ValueError):
        a[lists.asarray([True, False, True])]
    with pytest.raises(ValueError):  # a slice given too many items (a list would grow)
        a[1:] = b
    with pytest.raises(ValueError):
        lists.lexsort((a, b))
    with pytest.raises(ValueError):
        lists.bincount(lists.asarray([0, -1]))
    for vector in (a, lists.zeros(0)):  # truth of many items, or of none (a list's: any)
        with pytest.raises(ValueError):
            bool(vector)
        with pytest.raises(ValueError):
            bool(np.asarray(vector))
    assert bool(lists.asarray([0.5])) and not lists.asarray([0])
