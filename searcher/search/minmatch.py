"""Minimum should match as a Whoosh query: documents matching at least n of its parts.

The scorer (:mod:`.scoring`) evaluates :class:`MinimumMatch` itself, as arrays; the matcher
here is what Whoosh walks when it runs the query (the tests do, as the reference the scorer
must equal, and so would anyone calling Whoosh's ``Searcher.search`` with a parsed query).
"""

from __future__ import annotations

import math

from whoosh import matching
from whoosh import query as Q


class _MinMatchMatcher(matching.Matcher):
    """Documents matched by at least ``need`` of the sub-matchers; score: their sum."""

    def __init__(self, subs: list[matching.Matcher], need: int, boost: float = 1.0):
        self._subs, self._need, self._boost = subs, need, boost
        self._id: int | None = None
        self._find()

    def _find(self) -> None:
        while True:
            active = [m for m in self._subs if m.is_active()]
            if len(active) < self._need:
                self._id = None
                return
            # No document before the need-th smallest current id can have enough matches.
            target = sorted(m.id() for m in active)[self._need - 1]
            for m in active:
                if m.id() < target:
                    m.skip_to(target)
            here = [m for m in self._subs if m.is_active() and m.id() == target]
            if len(here) >= self._need:
                self._id = target
                return
            for m in here:
                m.next()

    def is_active(self) -> bool:
        return self._id is not None

    def id(self) -> int:
        return self._id  # type: ignore[return-value]

    def next(self) -> None:
        for m in self._subs:
            if m.is_active() and m.id() == self._id:
                m.next()
        self._find()

    def skip_to(self, id: int) -> None:
        for m in self._subs:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._find()

    def score(self) -> float:
        return self._boost * sum(m.score() for m in self._subs
                                 if m.is_active() and m.id() == self._id)

    def reset(self) -> None:
        for m in self._subs:
            m.reset()
        self._find()

    def copy(self) -> _MinMatchMatcher:
        return _MinMatchMatcher([m.copy() for m in self._subs], self._need, self._boost)

    def children(self) -> list[matching.Matcher]:
        return list(self._subs)

    def supports(self, astype: str) -> bool:
        return False

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        try:
            return sum(m.max_quality() for m in self._subs if m.is_active())
        except matching.NoQualityAvailable:
            return math.inf

    def replace(self, minquality: float = 0) -> _MinMatchMatcher:
        return self


class MinimumMatch(Q.Or):
    """Matches documents that match at least ``minmatch`` of the subqueries (Whoosh's own
    ``Or(minmatch=...)`` is documented as not implemented); with ``coordinate``, scores are
    scaled by the share of the subqueries the document's release matches."""

    def __init__(self, subqueries, boost: float = 1.0, minmatch: int = 0,
                 coordinate: bool = False) -> None:
        super().__init__(subqueries, boost=boost, minmatch=minmatch)
        self.coordinate = coordinate

    def __str__(self) -> str:
        return f"({' OR '.join(str(s) for s in self.subqueries)})>={self.minmatch}"

    def normalize(self) -> Q.Query:
        subs = [s.normalize() for s in self.subqueries]
        subs = [s for s in subs if s is not Q.NullQuery]
        return MinimumMatch(subs, boost=self.boost, minmatch=min(self.minmatch, len(subs)),
                            coordinate=self.coordinate)

    def apply(self, fn) -> MinimumMatch:
        return MinimumMatch([fn(s) for s in self.subqueries], boost=self.boost,
                            minmatch=self.minmatch, coordinate=self.coordinate)

    def _matcher(self, subs, searcher, context):
        return _MinMatchMatcher([s.matcher(searcher, context) for s in subs],
                                max(1, self.minmatch), self.boost)
