"""Hits and results: what a search returns, for scripts, the command line and the server."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from ..ingest.release import Release
from .snippets import Snippet

if TYPE_CHECKING:
    from .options import SearchOptions


@dataclass(repr=False)
class Hit:
    """One release in the results: the release itself, its score and its best passages."""

    release: Release
    score: float
    snippets: list[Snippet] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)  # matching paragraphs, best first
    title_highlights: list[tuple[int, int]] = field(default_factory=list)

    @property
    def title(self) -> Snippet:
        """The title as a snippet, its matched words highlighted."""
        return Snippet(self.release.title, self.title_highlights)

    def __repr__(self) -> str:
        return (f"Hit({self.release.id!r}, score={self.score:.2f}, "
                f"title={_short(self.release.title)!r}, snippets={len(self.snippets)})")

    def to_dict(self) -> dict[str, Any]:
        data = self.release.to_dict(paragraphs=False)
        data.update(
            score=round(self.score, 4),
            title_highlights=[list(h) for h in self.title_highlights],
            matched_paragraphs=self.paragraphs,
            snippets=[s.to_dict() for s in self.snippets],
        )
        return data


@dataclass(repr=False, eq=False)
class Results(Sequence[Hit]):
    """A page of hits, how many match in all, and what the parser noticed.

    A sequence of this page's hits: ``len(results)``, ``results[0]``, ``results[:3]``, and
    iteration; ``total`` counts every match."""

    query: str
    total: int
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    notices: list[str] = field(default_factory=list)
    took_ms: float = 0.0
    #: "Did you mean" — the query with its misspelt words corrected, when that finds more.
    suggestion: str | None = None
    #: facet name ("year", "country", "participant", "kind") -> value -> releases.
    facets: dict[str, dict[str, int]] | None = None
    #: "releases" (one hit per release) or "paragraphs" (one hit per matching paragraph).
    unit: str = "releases"
    #: Hits before this page's first (``(page - 1) * limit``, or the offset asked for).
    offset: int = 0
    #: The options this search ran with.
    options: SearchOptions | None = None

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, index: int) -> Hit: ...
    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...
    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        return self.hits[index]

    def __repr__(self) -> str:
        return (f"Results({self.query!r}, total={self.total}, page={self.page}, "
                f"hits={[h.release.id for h in self.hits]!r})")

    @property
    def last_page(self) -> int:
        """The number of the last page that has hits (1 when nothing matches)."""
        return max(1, math.ceil(self.total / self.limit))

    def past_end(self) -> str | None:
        """Why this page is empty although releases match: it lies past the last page."""
        if self.hits or not self.total or self.offset < self.total:
            return None
        if self.options is not None and self.options.offset is not None:
            return f"offset {self.offset} is past the last {self.unit[:-1]} ({self.total})"
        return f"page {self.page} is past the last page ({self.last_page})"

    def to_dict(self) -> dict[str, Any]:
        data = {
            "query": self.query,
            "total": self.total,
            "unit": self.unit,
            "page": self.page,
            "limit": self.limit,
            "offset": self.offset,
            "took_ms": round(self.took_ms, 1),
            "notices": list(self.notices),
            "suggestion": self.suggestion,
            "hits": [hit.to_dict() for hit in self.hits],
        }
        if self.facets is not None:
            data["facets"] = self.facets
        return data


def _short(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
