"""The query tree, walked alike by both scorers: the rule each kind of Whoosh query follows.

:class:`Walker` holds the rules (an And intersects and a NOT in it that holds scores its
boost, a Require keeps the first part's scores, a NumericRange is its compiled terms...),
written once; a scorer's evaluator (:mod:`.scoring` over numpy arrays, :mod:`.plain` over
lists) subclasses it with its own set operations and leaves (term, phrase, every paragraph,
expanded patterns), so the two cannot drift apart in what a query means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import InternalError

if TYPE_CHECKING:
    from whoosh.query import Query


class Walker:
    """Evaluates a query tree with the subclass's operations (all on its ``Matches``)."""

    #: The module to name when a kind of query has no rule.
    home = ""
    # The set operations over the scorer's Matches: each a plain function.
    union: Callable[..., Any]
    intersection: Callable[[list[Any]], Any]
    without: Callable[[Any, Any], Any]
    within: Callable[[Any, Any], Any]
    scaled: Callable[[Any, float], Any]
    constant: Callable[[Any, float], Any]
    empty: Callable[[], Any]
    parent: Any

    def term(self, fieldname: str, text: str | bytes, boost: float = 1.0) -> Any: ...
    def phrase(self, q: Query) -> Any: ...
    def every(self) -> Any: ...
    def expanded(self, q: Query) -> Any: ...

    def node(self, q: Query) -> Any:
        from whoosh import query as Q

        from .minmatch import MinimumMatch

        if isinstance(q, Q.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, MinimumMatch):
            parts = [self.node(s) for s in q.subqueries]
            return self.scaled(self.union(parts, max(1, q.minmatch)), q.boost)
        if isinstance(q, Q.And):
            positive = [s for s in q.subqueries if not isinstance(s, Q.Not)]
            negative = [s for s in q.subqueries if isinstance(s, Q.Not)]
            found = self.intersection([self.node(s) for s in positive]) if positive \
                else self.every()
            for s in negative:  # as in Whoosh, a NOT that holds scores its boost
                found = self.without(found, self.node(s.query)).shifted(s.boost)
            return self.scaled(found, q.boost)
        if isinstance(q, Q.Or):
            return self.scaled(self.union([self.node(s) for s in q.subqueries]), q.boost)
        if isinstance(q, Q.AndNot):
            return self.without(self.node(q.a), self.node(q.b))
        if isinstance(q, Q.AndMaybe):
            return self.node(q.a).plus(self.node(q.b))
        if isinstance(q, Q.Require):  # a's documents that b matches too, scored by a alone
            return self.within(self.node(q.a), self.node(q.b))
        if isinstance(q, Q.Not):
            return self.constant(self.without(self.every(), self.node(q.query)), q.boost)
        if isinstance(q, Q.Phrase):
            return self.phrase(q)
        if isinstance(q, Q.ConstantScoreQuery):
            return self.constant(self.node(q.child), q.score)
        if isinstance(q, Q.Every):
            return self.every()
        if q is Q.NullQuery:
            return self.empty()
        if isinstance(q, Q.NumericRange):
            found = self.node(q._compile_query(self.parent.reader()))
            return self.constant(found, q.boost) if q.constantscore else found
        if isinstance(q, Q.MultiTerm):  # prefix, wildcard, fuzzy, term range
            return self.expanded(q)
        raise InternalError(f"the scorer has no rule for a {type(q).__module__}."
                            f"{type(q).__name__} query ({q}); add one in "
                            f"searcher.search.walk (and {self.home} if it needs a new leaf)")
