"""Results, releases and reports -> text for people, or JSON, NDJSON, CSV and TSV for programs.

The only module that formats for the terminal. Highlights are ANSI colour on a terminal, and
``[visible markers]`` when ``NO_COLOR`` is set or the output is not a terminal. Text from
documents passes through :mod:`searcher.printable` in every mode, so no release can send a
control sequence to the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from .ingest.release import Release
from .printable import json_safe, one_line, printable
from .search.results import Hit, Results
from .search.snippets import STYLES, Snippet

if TYPE_CHECKING:
    from .index.build import IndexReport

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
#: Output formats of ``searcher query --format``.
FORMATS = ("text", "json", "ndjson", "csv", "tsv")
#: Columns ``--fields`` can name (CSV, TSV and NDJSON), and those shown without it (CSV, TSV).
FIELDS = ("query", "rank", "id", "score", "release_date", "event_date", "title", "kind",
          "participants", "countries", "mentions", "place", "event_place", "spokesperson",
          "issuer", "tags", "source_url", "path", "snippet", "snippets", "matched_paragraphs",
          "title_highlights")
DEFAULT_FIELDS = ("rank", "id", "score", "release_date", "kind", "title", "participants",
                  "countries", "source_url")


def use_color(stream: IO[str] | None = None, choice: str = "auto") -> bool:
    """Colour on a terminal unless NO_COLOR is set (https://no-color.org); or as chosen."""
    if choice != "auto":
        return choice == "always"
    stream = stream or sys.stdout
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def dumps(data: Any, compact: bool = False) -> str:
    """JSON for programs: exact data, with every control character escaped (safe to print)."""
    if compact:
        return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2))


# -- text for people -------------------------------------------------------------------------

def _render(snippet: Snippet, style: str) -> str:
    """The snippet with its matches marked, every piece made printable first (our own
    colour codes are the only ones that reach the terminal)."""
    before, after = STYLES[style]
    return "".join(f"{before}{printable(piece)}{after}" if hit else printable(piece)
                   for piece, hit in snippet.spans())


def _wrap(snippet: Snippet, style: str, width: int | None, indent: str,
          first: str | None = None) -> str:
    """The snippet wrapped at ``width`` (None: one line), highlights kept across line breaks;
    ``first``: the first line's indent (a rank), if not ``indent``."""
    first = indent if first is None else first
    if not width:
        return first + _render(snippet, style)
    if style != "ansi":  # visible marks take room: wrap the text as shown
        return textwrap.fill(_render(snippet, style), width=max(30, width), initial_indent=first,
                             subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False)
    lines = textwrap.wrap(snippet.text, width=max(30, width - len(indent)),
                          break_long_words=False, break_on_hyphens=False)
    out, pos = [], 0
    for n, line in enumerate(lines):
        start = snippet.text.index(line, pos)
        end = pos = start + len(line)
        spans = [(max(s, start) - start, min(e, end) - start)
                 for s, e in snippet.highlights if s < end and e > start]
        out.append((first if n == 0 else indent) + _render(Snippet(line, spans), style))
    return "\n".join(out)


def _people(release: Release) -> str:
    return ", ".join(p.name for p in release.participants)


def _fill(text: str, width: int | None, indent: str) -> str:
    """One line of facts, wrapped at ``width`` between its parts; an id longer than the line
    is shown whole, on a line of its own."""
    if not width:
        return indent + text
    return textwrap.fill(text, width=max(30, width), initial_indent=indent,
                         subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def format_hit(rank: int, hit: Hit, color: bool, width: int | None) -> str:
    style = "ansi" if color else "markers"
    release = hit.release
    head = f"{rank}. "
    title = _wrap(hit.title, style, width, " " * len(head), first=head)
    if color:
        title = f"{BOLD}{title.replace(RESET, RESET + BOLD)}{RESET}"
    facts = [release.release_date.isoformat() if release.release_date else "undated",
             release.kind, _people(release), ", ".join(release.countries),
             f"score {hit.score:.2f}", release.id]
    line = _fill(printable(" · ".join(f for f in facts if f)), width, "   ")
    lines = [title, f"{DIM}{line}{RESET}" if color else line]
    if release.source_url:
        url = "   " + one_line(release.source_url)
        lines.append(f"{DIM}{url}{RESET}" if color else url)
    lines += [_wrap(s, style, width, "   ") for s in hit.snippets]
    return "\n".join(lines)


def _matched(results: Results, verb: str = "match") -> str:
    """What was searched for, in words: 'match "ASEAN" with country Japan', 'with participant
    Motegi' (filters only); ``verb``: "match", or "matches" after one release."""
    options = results.options
    filters = options.describe_filters() if options is not None else ""
    said = f'{verb} "{printable(results.query)}"' if results.query.strip() else ""
    if filters:
        said = f"{said} with {printable(filters)}" if said else f"with {printable(filters)}"
    return said or f'{verb} "{printable(results.query)}"'


def format_results(results: Results, color: bool = False, width: int | None = None) -> str:
    """Ranked releases for people: title, facts, snippets; then a count line, facets and the
    "Did you mean" line."""
    unit = "release" if results.unit == "releases" else "paragraph"
    blocks = []
    if results.suggestion:
        blocks.append(f"Did you mean: {printable(results.suggestion)}")
    if not results.hits:
        if results.total:  # past the last page: the notice says so
            return "\n\n".join(blocks)
        blocks.append(f"No {unit}s {_matched(results)}.")
        return "\n\n".join(blocks)
    first = results.offset + 1
    blocks += [format_hit(first + i, hit, color, width) for i, hit in enumerate(results.hits)]
    shown = f"{first}-{first + len(results.hits) - 1} of " if results.total > len(results.hits) else ""
    one = results.total == 1
    blocks.append(f"{shown}{results.total} {unit if one else unit + 's'} "
                  f"{_matched(results, 'matches' if one else 'match')} "
                  f"({results.took_ms:.0f} ms)")
    if results.facets:
        blocks.append(format_facets(results.facets))
    return "\n\n".join(blocks)


def format_facets(facets: dict[str, dict[str, int]], top: int = 10) -> str:
    """One line a facet: its values with their counts, most first."""
    lines = []
    for name, counts in facets.items():
        shown = ", ".join(f"{printable(value)} ({n})" for value, n in list(counts.items())[:top])
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

    def person(p) -> str:
        about = ", ".join(x for x in (p.role, p.country) if x)
        return p.name + (f" ({about})" if about else "")

    facts = [
        ("id", release.id),
        ("file", release.path),
        ("source", release.source_url),
        ("released", when(release.release_date, release.place)),
        ("event", when(release.event_date, release.event_place)),
        ("kind", release.kind),
        ("participants", "; ".join(person(p) for p in release.participants)),
        ("countries", ", ".join(release.countries)),
        ("mentioned", ", ".join(release.mentions)),
        ("by title", _titles(release)),
        ("spokesperson", release.spokesperson),
        ("issuer", release.issuer),
        ("tags", ", ".join(release.tags)),
    ]
    title = _fill(printable(release.title), width, "") if width else printable(release.title)
    head = [title, ""] + [f"{k + ':':14}{one_line(v)}" for k, v in facts if v]
    body = [textwrap.fill(printable(p), width) if width else printable(p)
            for p in release.paragraphs]
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


# -- rows for programs ------------------------------------------------------------------------

def check_fields(names: Sequence[str]) -> list[str]:
    """The ``--fields`` asked for, or ValueError naming the unknown one."""
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
    return list(names)


def hit_record(results: Results, rank: int, hit: Hit) -> dict[str, Any]:
    """A hit as one flat record: what NDJSON prints whole and CSV/TSV pick columns from."""
    data = hit.to_dict()
    return {"query": results.query, "rank": rank, **data,
            "snippet": data["snippets"][0]["text"] if data["snippets"] else ""}


def records(results: Results) -> Iterable[dict[str, Any]]:
    for i, hit in enumerate(results.hits):
        yield hit_record(results, results.offset + i + 1, hit)


def ndjson_lines(results: Results, fields: Sequence[str] | None) -> list[str]:
    """One JSON object a hit, a line each."""
    return [dumps({k: r[k] for k in fields} if fields else r, compact=True)
            for r in records(results)]


def _cell(value: Any) -> str:
    """A CSV/TSV cell: lists joined with "; ", people by name, all on one printable line."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        parts = [v["name"] if isinstance(v, dict) and "name" in v
                 else v["text"] if isinstance(v, dict) and "text" in v
                 else "-".join(map(str, v)) if isinstance(v, list) else str(v) for v in value]
        return one_line("; ".join(parts))
    return one_line(str(value))


def table(results_list: Iterable[Results], fields: Sequence[str], delimiter: str) -> str:
    """CSV (``delimiter=","``) or TSV (``"\\t"``): a header row, then one row a hit, quoted as
    Python's csv module writes and reads them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(fields)
    for results in results_list:
        for record in records(results):
            writer.writerow([_cell(record[f]) for f in fields])
    return out.getvalue()


def ids(results: Results) -> list[str]:
    """The releases of the hits, each once, in order (``-l``)."""
    return [one_line(i) for i in dict.fromkeys(hit.release.id for hit in results.hits)]
