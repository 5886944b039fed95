"""The few numpy operations the scorer uses, over Python lists: a small index's arrays.

The scorer (:mod:`.scoring`, :mod:`.ranking`, :mod:`.arrays`) is written once, against an
array namespace ``xp`` in the manner of the Python array API standard: numpy for a large
index, this module for a small one (:func:`.backend.namespace` chooses by the index's
size). Importing numpy costs a cold ``searcher query`` more than anything else it does,
while a small index's postings are a few hundred numbers, which Python adds up in less time
than numpy takes to start.

Each function here has numpy's name, arguments and result, for the arguments the scorer
passes, and computes in numpy's order (``bincount`` adds a bin's weights in the order they
come, from 0.0; ``lexsort`` sorts by its last key first, stably), so the scores are the very
floats numpy gives: elementwise ``+ - * /`` are IEEE operations in both.
``tests/test_lists.py`` holds each operation to numpy's results, and
``tests/test_list_scoring.py`` the whole scorer to numpy's scores, bit for bit.

A :class:`Vector` knows no dtype: its items are Python ints, floats or bools, and a mask is
a vector of bools (its first item a ``bool``). The dtype names below are accepted where
numpy takes a ``dtype`` and give the Python type of the items.
"""

from __future__ import annotations

import operator
import sys
from array import array as _array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import accumulate, repeat
from typing import Any

__all__ = ["Vector", "arange", "asarray", "bincount", "bool_", "concatenate", "cumsum",
           "flatnonzero", "float64", "frombuffer", "full", "int64", "intersect1d", "isin",
           "lexsort", "maximum", "ones", "searchsorted", "uint8", "unique", "zeros"]

#: numpy's dtype names, as the Python types of a vector's items.
int64 = uint8 = int
float64 = float
bool_ = bool


class Vector(list):
    """A list that acts as a one-dimensional numpy array: arithmetic and comparisons item by
    item (with a number or a vector of the same length), indexing by a slice, by a vector of
    positions or by a mask, and numpy's ``sum``, ``astype``, ``tolist`` and ``copy``."""

    __slots__ = ()

    def __array_namespace__(self, api_version: str | None = None):
        return sys.modules[__name__]

    # -- indexing -----------------------------------------------------------------------

    def __getitem__(self, key):
        get = list.__getitem__
        if isinstance(key, int):
            return get(self, key)
        if isinstance(key, slice):
            return Vector(get(self, key))
        if len(key) and type(key[0]) is bool:
            return Vector([x for x, k in zip(self, _same_length(self, key)) if k])
        return Vector(map(get.__get__(self), key))

    def __setitem__(self, key, value) -> None:
        put = list.__setitem__
        if isinstance(key, int):
            put(self, key, value)
            return
        if isinstance(key, slice):
            size = len(range(*key.indices(len(self))))
            put(self, key, list(_same_length(range(size), value)) if isinstance(value, list)
                else [value] * size)
            return
        if len(key) and type(key[0]) is bool:
            key = [i for i, k in enumerate(_same_length(self, key)) if k]
        values = _same_length(key, value) if isinstance(value, list) else repeat(value)
        for i, v in zip(key, values):
            put(self, i, v)

    # -- arithmetic and comparison, item by item ----------------------------------------

    def _apply(self, op, other, reverse: bool = False) -> Vector:
        if isinstance(other, list):
            other = _same_length(self, other)
        else:
            other = repeat(other)
        return Vector(map(op, other, self) if reverse else map(op, self, other))

    def _update(self, op, other) -> Vector:
        list.__setitem__(self, slice(None), self._apply(op, other))
        return self

    def __add__(self, o): return self._apply(operator.add, o)
    def __radd__(self, o): return self._apply(operator.add, o, True)
    def __iadd__(self, o): return self._update(operator.add, o)
    def __sub__(self, o): return self._apply(operator.sub, o)
    def __rsub__(self, o): return self._apply(operator.sub, o, True)
    def __mul__(self, o): return self._apply(operator.mul, o)
    def __rmul__(self, o): return self._apply(operator.mul, o, True)
    def __imul__(self, o): return self._update(operator.mul, o)
    def __truediv__(self, o): return self._apply(operator.truediv, o)
    def __rtruediv__(self, o): return self._apply(operator.truediv, o, True)
    def __or__(self, o): return self._apply(operator.or_, o)
    def __ior__(self, o): return self._update(operator.or_, o)
    def __eq__(self, o): return self._apply(operator.eq, o)  # type: ignore[override]
    def __ne__(self, o): return self._apply(operator.ne, o)  # type: ignore[override]
    def __lt__(self, o): return self._apply(operator.lt, o)
    def __le__(self, o): return self._apply(operator.le, o)
    def __gt__(self, o): return self._apply(operator.gt, o)
    def __ge__(self, o): return self._apply(operator.ge, o)

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        """As numpy's: the truth of a vector of one item; of any other, an error (a list's
        "not empty" would pass silently where numpy's code would fail)."""
        if len(self) != 1:
            raise ValueError(f"the truth value of a vector of {len(self)} items is ambiguous")
        return bool(list.__getitem__(self, 0))

    def __neg__(self) -> Vector:
        return Vector(map(operator.neg, self))

    def __invert__(self) -> Vector:
        """A mask's logical not (as ``~`` on a numpy array of bools)."""
        return Vector(map(operator.not_, self))

    # -- numpy's methods ----------------------------------------------------------------

    def sum(self):
        # In order, where numpy adds pairwise: the same sum for the integer-valued lengths
        # and the counts the scorer adds up (exact either way below 2**53).
        return sum(self)

    def astype(self, dtype) -> Vector:
        return Vector(map(dtype, self))

    def tolist(self) -> list:
        return list(self)

    def copy(self) -> Vector:
        return Vector(self)

    @property
    def nbytes(self) -> int:
        """About what the items take: a pointer and a Python number each (for the cache's
        budget; numpy's ``nbytes`` is 8 a number)."""
        return 32 * len(self)


def _same_length(a: Sequence, b: Sequence) -> Sequence:
    if len(a) != len(b):
        raise ValueError(f"operands of {len(a)} and {len(b)} items")
    return b


# -- making vectors -------------------------------------------------------------------------

def asarray(items: Iterable, dtype: Any = None) -> Vector:
    return Vector(items if dtype is None else map(dtype, items))


def zeros(n: int, dtype: Any = float) -> Vector:
    return Vector([dtype(0)] * n)


def ones(n: int, dtype: Any = float) -> Vector:
    return Vector([dtype(1)] * n)


def full(n: int, value: Any, dtype: Any = None) -> Vector:
    return Vector([value if dtype is None else dtype(value)] * n)


def arange(n: int, dtype: Any = None) -> Vector:
    return Vector(range(n))


def concatenate(parts: Iterable[Sequence]) -> Vector:
    out = Vector()
    for part in parts:
        out.extend(part)
    return out


def frombuffer(data, dtype: str) -> Vector:
    """A column's bytes as numbers: ``"u1"`` (a byte each) or ``">i8"`` (big-endian
    64-bit integers), the two kinds Whoosh's columns the scorer reads hold."""
    if dtype == "u1":
        return Vector(bytes(data))
    if dtype != ">i8":
        raise ValueError(f"no reader for columns of {dtype}")
    numbers = _array("q")
    numbers.frombytes(bytes(data)[: len(data) // 8 * 8])
    if sys.byteorder == "little":
        numbers.byteswap()
    return Vector(numbers)


# -- numpy's functions ----------------------------------------------------------------------

def unique(a: Sequence, return_index: bool = False, return_inverse: bool = False):
    """The sorted distinct items; with ``return_index`` each one's first place in ``a``,
    with ``return_inverse`` each item's place among them."""
    values = Vector(sorted(set(a)))
    if not (return_index or return_inverse):
        return values
    out: list[Any] = [values]
    if return_index:
        first: dict[Any, int] = {}
        for i, x in enumerate(a):
            first.setdefault(x, i)
        out.append(Vector(first[x] for x in values))
    if return_inverse:
        place = {x: i for i, x in enumerate(values)}
        out.append(Vector(place[x] for x in a))
    return tuple(out)


def bincount(x: Sequence[int], weights: Sequence[float] | None = None,
             minlength: int = 0) -> Vector:
    """Each bin's count, or its weights' sum (added in the order they come, from 0.0)."""
    zero = 0.0 if weights is not None and len(x) else 0  # numpy's: ints when x is empty
    if len(x) and min(x) < 0:
        raise ValueError("bincount's bins must not be negative")
    out = [zero] * max(minlength, max(x, default=-1) + 1)
    if weights is None:
        for i in x:
            out[i] += 1
    else:
        for i, w in zip(x, _same_length(x, weights)):
            out[i] += w
    return Vector(out)


def intersect1d(a: Sequence, b: Sequence, assume_unique: bool = False,
                return_indices: bool = False):
    """The sorted items in both; with ``return_indices``, their first places in each."""
    common = Vector(sorted(set(a).intersection(b)))
    if not return_indices:
        return common
    places = []
    for items in (a, b):
        first: dict[Any, int] = {}
        for i, x in enumerate(items):
            first.setdefault(x, i)
        places.append(Vector(first[x] for x in common))
    return common, places[0], places[1]


def isin(a: Sequence, b: Iterable, assume_unique: bool = False) -> Vector:
    members = set(b)
    return Vector(x in members for x in a)


def lexsort(keys: Sequence[Sequence]) -> Vector:
    """The order sorting by the last key, then the one before..., stably."""
    for key in keys[1:]:
        _same_length(keys[0], key)
    columns = list(zip(*reversed(keys)))
    return Vector(sorted(range(len(columns)), key=columns.__getitem__))


def flatnonzero(a: Sequence) -> Vector:
    return Vector(i for i, x in enumerate(a) if x)


def cumsum(a: Sequence) -> Vector:
    return Vector(accumulate(a, initial=0))[1:]


def searchsorted(a: Sequence, v: Iterable) -> Vector:
    return Vector(bisect_left(a, x) for x in v)


class _Maximum:
    """``maximum.at``: numpy's unbuffered in-place maximum, the one use the scorer makes of
    ``np.maximum``, for numbers that are not NaN (scores and lengths; where an item and its
    value are equal, the item stays, so 0.0 is kept over -0.0)."""

    @staticmethod
    def at(a: Vector, indices: Sequence[int], values: Sequence[float]) -> None:
        get, put = list.__getitem__, list.__setitem__
        for i, v in zip(indices, _same_length(indices, values)):
            if v > get(a, i):
                put(a, i, v)


maximum = _Maximum()
