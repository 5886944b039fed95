"""Files -> releases: read, lay out, read the metadata, and resolve people across a corpus."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ReadError, path_text
from . import metadata
from .cleaning import layout
from .participants import lead_paragraph, people_of
from .readers import read_file
from .release import Release


def parse_file(path: str | Path, release_id: str | None = None,
               data: bytes | None = None) -> Release:
    """Read one release file into a clean :class:`Release` (id: ``release_id`` or the stem;
    ``data``: the file's bytes, if already read).

    Raises :class:`ReadError` (file and reason) for a file that holds no release at all; a
    release that lacks only a title or a date is returned with ``warnings`` saying so.
    """
    path = Path(path)
    doc = read_file(path, data)
    declared = next((doc.meta[k] for k in ("title", "h1") if isinstance(doc.meta.get(k), str)), None)
    parts = layout(doc.blocks, title=declared)
    if not parts.paragraphs and parts.heading:
        parts.paragraphs, parts.heading = [" ".join(parts.heading)], []
    if not parts.paragraphs:
        raise ReadError(path, "no body text after removing letterhead and boilerplate")
    lead = metadata.lead_of(parts.paragraphs)
    title, found_title = metadata.title_of(parts, doc.meta, lead)
    release_date, place, spokesperson = metadata.release_date_of(parts, doc.meta)
    lead_n, lead_text = lead_paragraph(parts.paragraphs)
    issuer = metadata.issuer_country(parts.letterhead, doc.meta)
    participants, mentions = people_of(title, parts.paragraphs, issuer)
    home = issuer or metadata.home_country(participants, parts.letterhead,
                                           " ".join(parts.paragraphs), title, doc.meta)
    participants = metadata.fill_countries(participants, home)
    kind = metadata.kind_of(title, lead_text, " ".join(parts.paragraphs[-5:]))
    tags = doc.meta.get("tags")
    release = Release(
        id=release_id or path_text(path.stem),
        path=path_text(path),
        title=title,
        paragraphs=parts.paragraphs,
        release_date=release_date,
        event_date=metadata.event_date_of(
            title, parts.paragraphs[:lead_n + 2], release_date),
        place=place,
        event_place=metadata.event_place_of(title, lead),
        kind=kind,
        participants=participants,
        countries=metadata.counterparts(participants, title, home, kind),
        mentions=mentions,
        spokesperson=spokesperson,
        issuer=metadata.issuer_of(parts.letterhead),
        tags=[str(t) for t in tags] if isinstance(tags, list) else ([str(tags)] if tags else []),
        source_url=metadata.source_url_of(doc.meta),
    )
    if not found_title:
        release.warnings.append("no recognisable title; using the first sentence")
    if release_date is None:
        release.warnings.append("no release date found")
    if doc.meta.get("ocr_pages"):
        pages = doc.meta["ocr_pages"]
        release.warnings.append(f"read by OCR: page{'s' if len(pages) > 1 else ''} "
                                f"{', '.join(map(str, pages))} of {doc.meta.get('pages')}")
    return release


def prepare_parsing(suffixes: Iterable[str] = (".txt", ".html")) -> None:
    """Import what parsing files of these ``suffixes`` needs (nltk; YAML for text, bs4 for
    web pages), as a process that parses many does once before its first: the time each
    file is given to be parsed is then spent parsing it."""
    from .nltk_modules import load_nltk
    from .sentences import first_sentence

    load_nltk()
    first_sentence("Ready. Set.")
    suffixes = {suffix.lower() for suffix in suffixes}
    if suffixes & {".txt", ".md", ".markdown"}:
        from .readers.markdown import _yaml_loader

        _yaml_loader()
    if suffixes & {".html", ".htm"}:
        import bs4  # noqa: F401
