"""What a release *is*: the clean, typed record every later step works from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .names import Reference


@dataclass(frozen=True, slots=True)
class Participant:
    """A person taking part in the contact a release reports.

    ``name`` is the display form (family name upper-case where the source marks it so),
    ``key`` the normalised identity shared by every spelling of the same person.
    """

    name: str
    key: str
    role: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # (not dataclasses.asdict, which copies deeply: 10 µs a participant, and a page
        # of search hits as JSON holds dozens)
        return {"name": self.name, "key": self.key, "role": self.role, "country": self.country}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        return cls(**{k: data.get(k) for k in ("name", "key", "role", "country")})


@dataclass(slots=True, repr=False)
class Release:
    """One press release, cleaned: body paragraphs in order and the metadata read from it."""

    id: str
    path: str
    title: str
    paragraphs: list[str]
    release_date: dt.date | None = None
    event_date: dt.date | None = None
    place: str | None = None
    event_place: str | None = None
    kind: str | None = None
    participants: list[Participant] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    spokesperson: str | None = None
    issuer: str | None = None
    tags: list[str] = field(default_factory=list)
    #: Where the release was published (front matter ``source_url``, ``url`` or ``link``).
    source_url: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        day = self.release_date.isoformat() if self.release_date else None
        title = self.title if len(self.title) <= 60 else self.title[:59] + "…"
        return (f"Release({self.id!r}, date={day!r}, title={title!r}, "
                f"paragraphs={len(self.paragraphs)})")

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def to_dict(self, paragraphs: bool = True) -> dict[str, Any]:
        """The JSON form shared by ``show --json``, ``parse --json`` and search hits."""
        data: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "release_date": _iso(self.release_date),
            "event_date": _iso(self.event_date),
            "place": self.place,
            "event_place": self.event_place,
            "kind": self.kind,
            "participants": [p.to_dict() for p in self.participants],
            "countries": list(self.countries),
            "mentions": list(self.mentions),
            "spokesperson": self.spokesperson,
            "issuer": self.issuer,
            "tags": list(self.tags),
            "source_url": self.source_url,
        }
        if paragraphs:
            data["paragraphs"] = list(self.paragraphs)
            data["references"] = [r.to_dict() for r in self.references()]
        return data

    def references(self) -> list[Reference]:
        """Where the paragraphs refer to each participant, by name or by a title standing
        for them ("H.E. Deputy Prime Minister")."""
        from .names import find_references

        return find_references(self.paragraphs, self.participants)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Release:
        return cls(
            id=data["id"],
            path=data.get("path", ""),
            title=data.get("title", ""),
            paragraphs=list(data.get("paragraphs", [])),
            release_date=_date(data.get("release_date")),
            event_date=_date(data.get("event_date")),
            place=data.get("place"),
            event_place=data.get("event_place"),
            kind=data.get("kind"),
            participants=[Participant.from_dict(p) for p in data.get("participants", [])],
            countries=list(data.get("countries", [])),
            mentions=list(data.get("mentions", [])),
            spokesperson=data.get("spokesperson"),
            issuer=data.get("issuer"),
            tags=list(data.get("tags", [])),
            source_url=data.get("source_url"),
        )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
