"""Results, releases and reports -> text for people or JSON for programs.

The only module that formats for the terminal. Highlights are ANSI colour on a terminal, and
``[visible markers]`` when ``NO_COLOR`` is set or the output is not a terminal.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from typing import IO, TYPE_CHECKING, Any

from .ingest.release import Release
from .search.results import Hit, Results
from .search.snippets import Snippet

if TYPE_CHECKING:
    from .index.build import IndexReport

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def use_color(stream: IO[str] | None = None, choice: str = "auto") -> bool:
    """Colour on a terminal unless NO_COLOR is set (https://no-color.org); or as chosen."""
    if choice != "auto":
        return choice == "always"
    stream = stream or sys.stdout
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _wrap(snippet: Snippet, style: str, width: int | None, indent: str) -> str:
    """The snippet wrapped at ``width`` (None: one line), highlights kept across line breaks."""
    if not width:
        return indent + snippet.render(style)
    lines = textwrap.wrap(snippet.text, width=max(30, width - len(indent)),
                          break_long_words=False, break_on_hyphens=False)
    out, pos = [], 0
    for line in lines:
        start = snippet.text.index(line, pos)
        end = pos = start + len(line)
        spans = [(max(s, start) - start, min(e, end) - start)
                 for s, e in snippet.highlights if s < end and e > start]
        out.append(indent + Snippet(line, spans).render(style))
    return "\n".join(out)


def _people(release: Release) -> str:
    return ", ".join(p.name for p in release.participants)


def format_hit(rank: int, hit: Hit, color: bool, width: int | None) -> str:
    style = "ansi" if color else "markers"
    release = hit.release
    title = hit.title.render(style)
    if color:
        title = f"{BOLD}{title.replace(RESET, RESET + BOLD)}{RESET}"
    facts = [release.release_date.isoformat() if release.release_date else "undated",
             release.kind, _people(release), ", ".join(release.countries),
             f"score {hit.score:.2f}", release.id]
    line = " · ".join(f for f in facts if f)
    lines = [f"{rank}. {title}", f"   {DIM}{line}{RESET}" if color else f"   {line}"]
    lines += [_wrap(s, style, width, "   ") for s in hit.snippets]
    return "\n".join(lines)


def format_results(results: Results, color: bool = False, width: int | None = None) -> str:
    """Ranked releases for people: title, facts, snippets; then a count line, facets and the
    "Did you mean" line."""
    unit = "release" if results.unit == "releases" else "paragraph"
    blocks = []
    if results.suggestion:
        blocks.append(f"Did you mean: {results.suggestion}")
    if not results.hits:
        blocks.append(f'No {unit}s match "{results.query}".')
        return "\n\n".join(blocks)
    first = (results.page - 1) * results.limit + 1
    blocks += [format_hit(first + i, hit, color, width) for i, hit in enumerate(results.hits)]
    shown = f"{first}-{first + len(results.hits) - 1} of " if results.total > len(results.hits) else ""
    noun = unit if results.total == 1 else f"{unit}s"
    blocks.append(f'{shown}{results.total} {noun} match "{results.query}" '
                  f"({results.took_ms:.0f} ms)")
    if results.facets:
        blocks.append(format_facets(results.facets))
    return "\n\n".join(blocks)


def format_facets(facets: dict[str, dict[str, int]], top: int = 10) -> str:
    """One line a facet: its values with their counts, most first."""
    lines = []
    for name, counts in facets.items():
        shown = ", ".join(f"{value} ({n})" for value, n in list(counts.items())[:top])
        more = f", … {len(counts) - top} more" if len(counts) > top else ""
        lines.append(f"{name + ':':13}{shown or '-'}{more}")
    return "\n".join(lines)


def _titles(release: Release) -> str:
    """The titles that stand for a participant in the text ("H.E. Deputy Prime Minister" =
    PRAK Sokhonn), each once."""
    names = {p.key: p.name for p in release.participants}
    seen = dict.fromkeys(
        (release.paragraphs[r.paragraph][r.start:r.end], names.get(r.key, r.key))
        for r in release.references() if r.by_title)
    return "; ".join(f"{text} = {name}" for text, name in seen)


def format_release(release: Release, width: int | None = None) -> str:
    """One release in full, metadata first."""
    def when(day, place):
        return ", ".join(x for x in (day.isoformat() if day else None, place) if x) or None

    facts = [
        ("id", release.id),
        ("file", release.path),
        ("released", when(release.release_date, release.place)),
        ("event", when(release.event_date, release.event_place)),
        ("kind", release.kind),
        ("participants", "; ".join(
            p.name + (f" ({', '.join(x for x in (p.role, p.country) if x)})" if p.role or p.country else "")
            for p in release.participants)),
        ("countries", ", ".join(release.countries)),
        ("mentioned", ", ".join(release.mentions)),
        ("by title", _titles(release)),
        ("spokesperson", release.spokesperson),
        ("issuer", release.issuer),
        ("tags", ", ".join(release.tags)),
    ]
    head = [release.title, ""] + [f"{k + ':':14}{v}" for k, v in facts if v]
    body = [textwrap.fill(p, width) if width else p for p in release.paragraphs]
    return "\n".join(head) + "\n\n" + "\n\n".join(body)


def format_report(report: IndexReport) -> str:
    """One line: what an index run did."""
    how = "rebuilt: " if report.rebuilt else ""
    warned = f", {len(report.warnings)} warnings" if report.warnings else ""
    return (f"{how}{report.added} added, {report.changed} changed, {report.removed} removed, "
            f"{report.unchanged} unchanged, {len(report.failed)} failed{warned} "
            f"({report.paragraphs} paragraphs, {report.seconds:.1f} s)")


def terminal_width(stream: IO[str] | None = None) -> int | None:
    """Wrap width on a terminal (at most 100 columns); None when piped."""
    stream = stream or sys.stdout
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    return min(100, shutil.get_terminal_size((100, 24)).columns)

