"""Hits and results: what a search returns, for scripts, the command line and the server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..ingest.release import Release
from .snippets import Snippet


@dataclass
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

    def to_dict(self) -> dict[str, Any]:
        data = self.release.to_dict(paragraphs=False)
        data.update(
            score=round(self.score, 4),
            title_highlights=[list(h) for h in self.title_highlights],
            matched_paragraphs=self.paragraphs,
            snippets=[s.to_dict() for s in self.snippets],
        )
        return data


@dataclass
class Results:
    """A page of hits, how many match in all, and what the parser noticed."""

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

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "query": self.query,
            "total": self.total,
            "unit": self.unit,
            "page": self.page,
            "limit": self.limit,
            "took_ms": round(self.took_ms, 1),
            "notices": list(self.notices),
            "suggestion": self.suggestion,
            "hits": [hit.to_dict() for hit in self.hits],
        }
        if self.facets is not None:
            data["facets"] = self.facets
        return data
