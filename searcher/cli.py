"""The ``searcher`` command: thin click commands over the library's public functions.

Each command makes the library's objects (a :class:`SearchOptions` for ``query``), calls one
library function and hands what it returns to :mod:`searcher.output`. Library errors become
one line on stderr (``searcher: file: reason``) and exit status 2, never a traceback.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__, open_index, output, parse_file, update_index
from . import watch as watch_folder
from .errors import ReadError, SearcherError
from .printable import printable
from .search.options import SearchOptions

#: Exit statuses, as grep has them: 0 found (or all well), 1 nothing found (``index``: some
#: files failed, the rest is indexed), 2 usage or error.
FOUND, NOT_FOUND, TROUBLE = 0, 1, 2
SOME_FAILED = 1
#: Show a progress bar when an index run reads at least this many files.
PROGRESS_FROM = 50

COMPLETION = """\b
Shell completion (click's): add to ~/.bashrc, ~/.zshrc or fish's config
  eval "$(_SEARCHER_COMPLETE=bash_source searcher)"      # bash
  eval "$(_SEARCHER_COMPLETE=zsh_source searcher)"       # zsh
  _SEARCHER_COMPLETE=fish_source searcher | source       # fish"""


class Trouble(click.ClickException):
    """A library error, shown as one line; exit status 2."""

    exit_code = TROUBLE

    def show(self, file: Any = None) -> None:
        click.echo(f"searcher: {printable(self.format_message())}", err=True)


def _library_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SearcherError as exc:
            raise Trouble(str(exc)) from None
        except OSError as exc:
            raise Trouble(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None

    return wrapper


#: --synonyms, for the commands that search (query, serve).
synonyms_option = click.option(
    "--synonyms", type=click.Path(dir_okay=False, exists=True), envvar="SEARCHER_SYNONYMS",
    help="Synonym file replacing the shipped one [env SEARCHER_SYNONYMS].")


def common_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--documents, --index and --json, shared by every command."""
    fn = click.option("--json", "as_json", is_flag=True, help="Output JSON for programs.")(fn)
    fn = click.option("--index", "index", envvar="SEARCHER_INDEX", default="index",
                      show_default=True, type=click.Path(file_okay=False, path_type=Path),
                      help="Index directory [env SEARCHER_INDEX].")(fn)
    fn = click.option("--documents", "documents", envvar="SEARCHER_DOCUMENTS",
                      default="documents", show_default=True,
                      type=click.Path(file_okay=False, path_type=Path),
                      help="Folder of release files [env SEARCHER_DOCUMENTS].")(fn)
    return _library_errors(fn)


def _note(message: str) -> None:
    click.echo(f"searcher: {printable(message)}", err=True)


class _Progress:
    """A click progress bar on stderr, over the whole index run (reading the files, then
    writing them), opened only when the library reports a long run and stderr is a
    terminal: a query whose index is current costs nothing here.

    click's bar rather than tqdm or rich: click is already the command line's framework
    (Pallets, maintained, BSD), its bar draws only on a terminal, and no new dependency is
    needed for one bar."""

    def __init__(self, quiet: bool = False) -> None:
        self.bar: Any = None
        self.quiet = quiet

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and not self.quiet and total >= 2 * PROGRESS_FROM \
                and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="Reading ", file=sys.stderr,
                                         show_pos=False, show_percent=True, show_eta=True)
            self.bar.__enter__()
        if self.bar is not None:
            if done > total // 2:
                self.bar.label = "Writing "
            self.bar.update(done - self.bar.pos)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=COMPLETION)
@click.version_option(__version__, "-V", "--version", prog_name="searcher")
def cli() -> None:
    """Full-text search for diplomatic press releases.

    \b
    Examples:
      searcher query "ASEAN Chairmanship"          search (builds the index on first use)
      searcher show 001_bf54391174a1e620           one release in full
      searcher index                               bring the index up to date
      searcher watch                               keep it up to date

    Exit status: 0 found (or all well), 1 nothing found (index: some files failed), 2 usage
    or error.
    """


def _read_queries(text: tuple[str, ...]) -> list[str] | None:
    """``-`` alone: the queries on standard input, one a line (blank lines skipped)."""
    if text != ("-",):
        return None
    return [line.strip() for line in sys.stdin if line.strip()]


@cli.command()
@click.argument("text", nargs=-1)
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--offset", type=click.IntRange(0), help="Hits to skip (instead of --page).")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance",
              show_default=True, help="Order: by relevance, oldest first, or newest first.")
@click.option("--participant", help="Only releases with this participant (any case, any order).")
@click.option("--country", help="Only releases with this counterpart country (U.S., USA ...).")
@click.option("--kind", help='Only this kind of contact ("telephone conversation", "meeting").')
@click.option("--from", "date_from", metavar="DATE", help="Released on or after (2022, 2022-05, "
              '2022-05-13, "May 2022").')
@click.option("--to", "date_to", metavar="DATE", help="Released on or before.")
@click.option("--facets", is_flag=True, help="Count the matching releases by year, country, "
              "participant and kind.")
@click.option("--paragraphs", is_flag=True, help="Every matching paragraph, not one hit per "
              "release.")
@synonyms_option
@click.option("--format", "fmt", type=click.Choice(output.FORMATS), default=None,
              help="Output: text (default), json (as --json), ndjson (a hit a line), csv, tsv.")
@click.option("--fields", metavar="LIST", help="Comma-separated columns for csv, tsv and "
              f"ndjson (default for csv/tsv: {','.join(output.DEFAULT_FIELDS)}).")
@click.option("-l", "--ids-only", is_flag=True, help="Only the release ids, one a line.")
@click.option("--count", is_flag=True, help="Only the number of matching releases.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour highlights (auto: on a terminal, unless NO_COLOR).")
@click.option("--refresh", is_flag=True, help="Update the index from the documents first.")
@common_options
def query(text: tuple[str, ...], limit: int, page: int, offset: int | None, sort: Any,
          participant: str | None, country: str | None, kind: str | None,
          date_from: str | None, date_to: str | None, facets: bool, paragraphs: bool,
          synonyms: str | None, fmt: str | None, fields: str | None, ids_only: bool,
          count: bool, color: str, refresh: bool, documents: Path, index: Path,
          as_json: bool) -> None:
    """Search the releases; print the best releases with highlighted snippets.

    TEXT is the query; `-` alone reads queries from standard input, one a line, and
    answers each (with --format ndjson, csv or tsv, each row names its query).

    \b
    Query syntax:
      Blinken May 2022          all words required (long queries: some of them)
      "Five-point Consensus"    a phrase
      Japan OR Norway           either;  NOT Japan / -Japan: without
      (Japan OR Norway) ASEAN   grouping;  naval*: words starting so
      participant:motegi  country:US  kind:"video call"  title:ASEAN  place:Oslo
      date:2022  date:2022-05  date:[2022-01-01 TO 2022-06-30]  date:[2022-03 TO]
    Misspelt words also find near spellings ("Blinkem" finds "Blinken");
    U.S. = US = USA = United States, PM = Prime Minister, FM, DPM (see --synonyms).

    \b
    Examples:
      searcher query "ASEAN Chairmanship"
      searcher query '"Five-point Consensus"' --limit 3
      searcher query Myanmar --country Norway --from "March 2022" --sort -date
      searcher query --participant Motegi --count
      searcher query Blinken --format csv --fields id,release_date,title,source_url
      searcher query ASEAN -l | xargs -n1 searcher show
      printf 'Japan\\nNorway\\n' | searcher query - --format ndjson

    Exit status: 0 if something matched, 1 if nothing did, 2 on error.
    """
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json is --format json: give one format, not --format {fmt}")
    fmt = "json" if as_json else (fmt or "text")
    if ids_only and count:
        raise click.UsageError("give -l/--ids-only or --count, not both")
    picked = None
    if fields:
        if fmt not in ("csv", "tsv", "ndjson"):
            raise click.UsageError("--fields is for --format csv, tsv or ndjson")
        try:
            picked = output.check_fields([f.strip() for f in fields.split(",") if f.strip()])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--fields") from None
    batch = _read_queries(text)
    texts = batch if batch is not None else [" ".join(text)]

    def options(words: str) -> SearchOptions:
        return SearchOptions(words, limit=limit, page=page, offset=offset, sort=sort,
                             participant=participant, country=country, kind=kind,
                             date_from=date_from, date_to=date_to, facets=facets,
                             paragraphs=paragraphs, synonyms=synonyms)

    restricted = any((participant, country, kind, date_from, date_to))
    if batch is None and not texts[0].strip() and not restricted:
        raise click.UsageError("give a query, or a filter such as --country")
    asked = [options(t) for t in texts]  # checked before any index is opened
    with _Progress() as progress:
        ix = open_index(index, documents=documents, notify=_note, progress=progress,
                        refresh=refresh)
    found = False
    with ix:
        answers = _answers(ix, asked)
        if fmt in ("csv", "tsv") and not (ids_only or count):
            every = list(answers)
            default = (("query",) if batch is not None else ()) + output.DEFAULT_FIELDS
            click.echo(output.table(every, picked or default, "," if fmt == "csv" else "\t"),
                       nl=False)
            found = any(r.hits for r in every)
        elif fmt == "json" and batch is not None and not (ids_only or count):
            every = list(answers)
            click.echo(output.dumps([r.to_dict() for r in every]))
            found = any(r.hits for r in every)
        else:
            for results in answers:
                found = _show(results, fmt, picked, ids_only, count, color) or found
    sys.exit(FOUND if found else NOT_FOUND)


def _answers(ix: Any, asked: list[SearchOptions]) -> Iterator[Any]:
    """Each query's results in turn, its notices said on stderr."""
    for options in asked:
        results = ix.search(options)
        for notice in results.notices:
            _note(notice)
        yield results


def _show(results: Any, fmt: str, fields: list[str] | None, ids_only: bool, count: bool,
          color: str) -> bool:
    """Print one query's results as asked; did it find anything?"""
    if count:
        click.echo(str(results.total))
        return bool(results.total)
    if ids_only:
        for release_id in output.ids(results):
            click.echo(release_id)
    elif fmt == "json":
        click.echo(output.dumps(results.to_dict()))
    elif fmt == "ndjson":
        for line in output.ndjson_lines(results, fields):
            click.echo(line)
    else:
        paint = output.use_color(sys.stdout, color)
        shown = output.format_results(results, paint, output.terminal_width())
        if shown:
            click.echo(shown, color=paint)
    return bool(results.hits)


@cli.command()
@click.argument("release_id")
@common_options
def show(release_id: str, documents: Path, index: Path, as_json: bool) -> None:
    """Print one release (by id: its file name without extension) with its metadata.

    On a terminal the release goes through $PAGER (or less).

    \b
    Examples:
      searcher show 001_bf54391174a1e620
      searcher show 001_bf54391174a1e620 --json | jq .participants
    """
    with open_index(index, documents=documents, notify=_note) as ix:
        release = ix.release(release_id)
        if release is None:
            raise Trouble(f"no release {release_id!r} in {index}{_nearest(ix, release_id)}")
    if as_json:
        click.echo(output.dumps(release.to_dict()))
    elif sys.stdout.isatty():
        click.echo_via_pager(output.format_release(release, output.terminal_width()) + "\n")
    else:
        click.echo(output.format_release(release, output.terminal_width()))


def _nearest(ix: Any, wanted: str, most: int = 3) -> str:
    """"; nearest: a, b" — ids starting with ``wanted``, then the closest spellings."""
    import difflib

    known = sorted(ix.sources())
    near = [i for i in known if i.startswith(wanted)][:most]
    near += [i for i in difflib.get_close_matches(wanted, known, n=most, cutoff=0.5)
             if i not in near]
    return f"; nearest: {', '.join(near[:most])}" if near else ""


_WAIT = click.option("--wait", default=30.0, show_default=True, type=click.FloatRange(0),
                     help="Seconds to wait for another index run to finish.")
_QUIET = click.option("-q", "--quiet", is_flag=True,
                      help="No progress and no summary: only warnings and failures.")


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Build from scratch into a new generation and "
              "swap it in atomically (default: update only what changed).")
@_WAIT
@_QUIET
@common_options
def index_cmd(rebuild: bool, wait: float, quiet: bool, documents: Path, index: Path,
              as_json: bool) -> None:
    """Bring the index up to date with the documents folder.

    New files are added, changed ones (by content) re-indexed, deleted ones removed;
    unchanged files are not read again. A file that fails is reported and keeps its
    previous version in the index. On a terminal a progress bar follows the whole run;
    otherwise stderr carries only warnings and failures.

    \b
    Examples:
      searcher index
      searcher index --rebuild --documents ~/releases --index ~/releases.index
      searcher index -q && echo "all indexed"

    Exit status: 0 all well, 1 some files failed (the rest is indexed), 2 usage or index
    error (nothing changed).
    """
    with _Progress(quiet) as progress:
        ix, report = update_index(documents=documents, index=index, rebuild=rebuild,
                                  progress=progress, notify=_warning, wait=wait)
    ix.close()
    _print_report(report, as_json, quiet)
    sys.exit(SOME_FAILED if report.failed else FOUND)


def _warning(message: str) -> None:
    """What an index run says besides failures: that it must rebuild an index written with
    other settings, a lock taken over. A warning, said even with -q."""
    _note(f"warning: {message}")


def _print_report(report: Any, as_json: bool, quiet: bool = False,
                  compact: bool = False) -> None:
    for error in report.failed:
        _note(f"skipped {error}")
    for warning in report.warnings:
        _note(f"warning: {warning}")
    if as_json:
        click.echo(output.dumps(report.to_dict(), compact=compact))
    elif not quiet:
        click.echo(printable(output.format_report(report)))


@cli.command()
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.05),
              help="Seconds between looks at the folder.")
@click.option("--debounce", default=1.0, show_default=True, type=click.FloatRange(0),
              help="Seconds the folder must be still before an update.")
@_QUIET
@common_options
def watch(interval: float, debounce: float, quiet: bool, documents: Path, index: Path,
          as_json: bool) -> None:
    """Follow the documents folder and update the index when it changes (Ctrl-C stops).

    Each update prints its summary; with --json, one JSON object a line.

    \b
    Examples:
      searcher watch
      searcher watch --interval 10 --json | jq -c '{added, changed, removed}'
    """
    def report(r: Any) -> None:
        _print_report(r, as_json, quiet, compact=True)
        sys.stdout.flush()

    try:
        watch_folder(documents=documents, index=index, interval=interval, debounce=debounce,
                     on_update=report, notify=_note)
    except KeyboardInterrupt:
        pass


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless told otherwise).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free one).")
@click.option("--watch", "follow", is_flag=True, help="Also follow the documents folder and "
              "update the index when it changes.")
@click.option("--workers", type=click.IntRange(1, 64), help="Server processes [default: one a "
              "core, at most 4].")
@synonyms_option
@common_options
def serve(host: str, port: int, follow: bool, workers: int | None, synonyms: str | None,
          documents: Path, index: Path, as_json: bool) -> None:
    """Serve a search page and a JSON API (OpenAPI at /openapi.json) over the index.

    Read-only; picks up new commits of the index (from `searcher index`, `watch` or
    --watch) without a restart. Ctrl-C stops. --json prints {"url": ...} once listening.

    \b
    Examples:
      searcher serve                      # http://127.0.0.1:8000/
      searcher serve --port 9000 --watch
    """
    from .serve import serve as run

    def listening(url: str) -> None:
        if as_json:
            click.echo(f'{{"url": "{url}"}}')  # one line, for a script waiting on it

    run(index, documents, host=host, port=port, watch=follow, workers=workers,
        synonyms=synonyms, notify=_note, listening=listening)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Output JSON for programs.")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Show what searcher reads from release files, without indexing them.

    \b
    Examples:
      searcher parse documents/001_bf54391174a1e620.txt
      searcher parse notes/*.md --json | jq '.[].title'

    Exit status: 0 all read, 2 if a file could not be.
    """
    releases, failed = [], 0
    for path in files:
        try:
            releases.append(parse_file(path))
        except ReadError as exc:
            _note(str(exc))
            failed += 1
    if as_json:
        data = [r.to_dict() for r in releases]
        click.echo(output.dumps(data[0] if len(files) == 1 and data else data))
    else:
        click.echo("\n\n".join(output.format_release(r, output.terminal_width()) for r in releases))
    for release in releases:
        for warning in release.warnings:
            _note(f"warning: {release.path}: {warning}")
    sys.exit(TROUBLE if failed else FOUND)


def main() -> None:
    # Everything imported so far lives as long as the process: frozen, the collector no
    # longer walks it at each of its passes, which the imports a command makes next (Whoosh's
    # searching and query parsing, for a query) set off again and again: 8-10% of a cold
    # query's CPU. (Objects made from here on are collected as ever.)
    gc.freeze()
    cli(prog_name="searcher")
