"""The ``searcher`` command: thin click commands over the library's public functions."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__, open_index, output, parse_file, update_index
from . import watch as watch_folder
from .errors import ReadError, SearcherError

#: Exit statuses, as grep has them: 0 found, 1 nothing found, 2 usage or error.
FOUND, NOT_FOUND, TROUBLE = 0, 1, 2
#: Show a progress bar when an index run reads at least this many files.
PROGRESS_FROM = 50


class Trouble(click.ClickException):
    """A library error, shown as one line; exit status 2."""

    exit_code = TROUBLE

    def show(self, file: Any = None) -> None:
        click.echo(f"searcher: {self.format_message()}", err=True)


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
    click.echo(f"searcher: {message}", err=True)


class _Progress:
    """A click progress bar on stderr, opened only when the library reports a long run on a
    terminal: a query whose index is current costs nothing here."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total >= PROGRESS_FROM and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.bar.pos)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searcher")
def cli() -> None:
    """Full-text search for diplomatic press releases."""


@cli.command()
@click.argument("text", nargs=-1)
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance",
              show_default=True, help="Order: by relevance, oldest first, or newest first.")
@click.option("--participant", help="Only releases with this participant (any case, any order).")
@click.option("--country", help="Only releases with this counterpart country (U.S., USA ...).")
@click.option("--kind", help='Only this kind of contact ("telephone conversation", "meeting").')
@click.option("--from", "date_from", metavar="DATE", help="Released on or after (2022, 2022-05, "
              "2022-05-13).")
@click.option("--to", "date_to", metavar="DATE", help="Released on or before.")
@click.option("--facets", is_flag=True, help="Count the matching releases by year, country, "
              "participant and kind.")
@click.option("--paragraphs", is_flag=True, help="Every matching paragraph, not one hit per "
              "release.")
@click.option("--synonyms", type=click.Path(dir_okay=False, exists=True), envvar="SEARCHER_SYNONYMS",
              help="Synonym file replacing the shipped one [env SEARCHER_SYNONYMS].")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour highlights (auto: on a terminal, unless NO_COLOR).")
@click.option("--refresh", is_flag=True, help="Update the index from the documents first.")
@common_options
def query(text: tuple[str, ...], limit: int, page: int, sort: str, participant: str | None,
          country: str | None, kind: str | None, date_from: str | None, date_to: str | None,
          facets: bool, paragraphs: bool, synonyms: str | None, color: str, refresh: bool,
          documents: Path, index: Path, as_json: bool) -> None:
    """Search the releases; print the best releases with highlighted snippets.

    \b
    Query syntax:
      Blinken May 2022          all words required (long queries: 60% of them)
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
      searcher query Myanmar --country Norway --from 2022 --sort -date
      searcher query Blinken May 2022 --json

    Exit status: 0 if something matched, 1 if nothing did, 2 on error.
    """
    if not text and not any((participant, country, kind, date_from, date_to)):
        raise click.UsageError("give a query, or a filter such as --country")
    with _Progress() as progress:
        ix = open_index(index, documents=documents, notify=_note, progress=progress,
                        refresh=refresh)
    with ix:
        results = ix.search(" ".join(text), limit=limit, page=page, sort=sort,
                            participant=participant, country=country, kind=kind,
                            date_from=date_from, date_to=date_to, facets=facets,
                            paragraphs=paragraphs, synonyms=synonyms)
    for notice in results.notices:
        _note(notice)
    if as_json:
        click.echo(output.dumps(results.to_dict()))
    else:
        paint = output.use_color(sys.stdout, color)
        click.echo(output.format_results(results, paint, output.terminal_width()), color=paint)
    sys.exit(FOUND if results.hits else NOT_FOUND)


@cli.command()
@click.argument("release_id")
@common_options
def show(release_id: str, documents: Path, index: Path, as_json: bool) -> None:
    """Print one release (by id: its file name without extension) with its metadata."""
    with open_index(index, documents=documents, notify=_note) as ix:
        release = ix.release(release_id)
    if release is None:
        raise Trouble(f"no release {release_id!r} in {index}")
    if as_json:
        click.echo(output.dumps(release.to_dict()))
    else:
        click.echo(output.format_release(release, output.terminal_width()))


_WAIT = click.option("--wait", default=30.0, show_default=True, type=click.FloatRange(0),
                     help="Seconds to wait for another index run to finish.")


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Build from scratch into a new generation and "
              "swap it in atomically (default: update only what changed).")
@_WAIT
@common_options
def index_cmd(rebuild: bool, wait: float, documents: Path, index: Path, as_json: bool) -> None:
    """Bring the index up to date with the documents folder.

    New files are added, changed ones (by content) re-indexed, deleted ones removed;
    unchanged files are not read again. A file that fails is reported and keeps its
    previous version in the index.
    """
    with _Progress() as progress:
        ix, report = update_index(documents=documents, index=index, rebuild=rebuild, progress=progress,
                                  notify=_note, wait=wait)
    ix.close()
    _print_report(report, as_json)


def _print_report(report: Any, as_json: bool) -> None:
    for error in report.failed:
        _note(f"skipped {error}")
    for warning in report.warnings:
        _note(f"warning: {warning}")
    if as_json:
        click.echo(output.dumps(report.to_dict()))
    else:
        click.echo(output.format_report(report))


@cli.command()
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.05),
              help="Seconds between looks at the folder.")
@click.option("--debounce", default=1.0, show_default=True, type=click.FloatRange(0),
              help="Seconds the folder must be still before an update.")
@common_options
def watch(interval: float, debounce: float, documents: Path, index: Path, as_json: bool) -> None:
    """Follow the documents folder and update the index when it changes (Ctrl-C stops)."""
    def report(r: Any) -> None:
        _print_report(r, as_json)

    try:
        watch_folder(documents=documents, index=index, interval=interval, debounce=debounce, on_update=report,
                     notify=_note)
    except KeyboardInterrupt:
        pass


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Output JSON for programs.")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Show what searcher reads from release files, without indexing them."""
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
    cli(prog_name="searcher")
