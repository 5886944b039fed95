"""Files -> releases: read, lay out, read the metadata, and resolve people across a corpus."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import metadata
from .cleaning import layout
from .errors import ReadError
from .readers import READERS, read_file
from .releases import Participant, Release


def parse_file(path: str | Path) -> Release:
    """Read one release file into a clean :class:`Release`.

    Raises :class:`ReadError` (file and reason) for a file that holds no release at all; a
    release that lacks only a title or a date is returned with ``warnings`` saying so.
    """
    path = Path(path)
    doc = read_file(path)
    declared = next((doc.meta[k] for k in ("title", "h1") if isinstance(doc.meta.get(k), str)), None)
    parts = layout(doc.blocks, title=declared)
    if not parts.paragraphs and parts.heading:
        parts.paragraphs, parts.heading = [" ".join(parts.heading)], []
    if not parts.paragraphs:
        raise ReadError(path, "no body text after removing letterhead and boilerplate")
    lead = metadata.lead_of(parts.paragraphs)
    title, found_title = metadata.title_of(parts, doc.meta, lead)
    release_date, place, spokesperson = metadata.release_date_of(parts, doc.meta)
    participants, mentions = metadata.people_of(title, lead, parts.paragraphs)
    home = metadata.home_country(participants, parts.letterhead, " ".join(parts.paragraphs))
    participants = metadata.fill_countries(participants, home)
    tags = doc.meta.get("tags")
    release = Release(
        id=path.stem,
        path=str(path),
        title=title,
        paragraphs=parts.paragraphs,
        release_date=release_date,
        event_date=metadata.event_date_of(title, lead) or release_date,
        place=place,
        event_place=metadata.event_place_of(title, lead),
        kind=metadata.kind_of(title, lead),
        participants=participants,
        countries=metadata.counterparts(participants, title, home),
        mentions=mentions,
        spokesperson=spokesperson,
        issuer=metadata.issuer_of(parts.letterhead),
        tags=[str(t) for t in tags] if isinstance(tags, list) else ([str(tags)] if tags else []),
    )
    if not found_title:
        release.warnings.append("no recognisable title; using the first sentence")
    if release_date is None:
        release.warnings.append("no release date found")
    return release


def content_hash(path: str | Path) -> str:
    """What identifies a file's content for incremental updates."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


def release_files(folder: str | Path) -> Iterator[Path]:
    """Every file under ``folder`` whose suffix a reader knows, in a stable order."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in READERS:
            yield path


def unify_people(releases: Iterable[Release]) -> list[Release]:
    """One display name and one country per person across a corpus: "PRAK SOKHONN" in one
    release shows as "PRAK Sokhonn" if another release marks the family name that way."""
    releases = list(releases)
    spellings: dict[str, list[str]] = {}
    countries: dict[str, list[str]] = {}
    for release in releases:
        for p in release.participants:
            spellings.setdefault(p.key, []).append(p.name)
            if p.country:
                countries.setdefault(p.key, []).append(p.country)
    for release in releases:
        release.participants = [
            Participant(
                metadata.display_form(spellings[p.key]),
                p.key,
                p.role,
                p.country or _most_common(countries.get(p.key, [])),
            )
            for p in release.participants
        ]
    return releases


def _most_common(values: list[str]) -> str | None:
    return max(values, key=values.count) if values else None
