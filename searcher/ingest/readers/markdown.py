"""Markdown and plain text (``.md``, ``.txt``): YAML front matter, then light Markdown."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ...errors import ReadError
from . import pairs
from .document import RawDocument
from .text import normalize_text, split_blocks, text_of

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
#: (strings one of which any match holds, replacement): a text is searched only for the
#: markup it can hold (most releases have no HTML, images or rules). Markup that comes in
#: pairs is removed by the functions of :mod:`.pairs`, in time linear in the text; the rest
#: are expressions that never scan past a line or the next mark.
_INLINE_MARKUP: list[tuple[tuple[str, ...], Callable[[str], str]]] = [
    (("<",), partial(re.compile(r"<br\s*/?>", re.I).sub, "\n")),
    (("<!--",), pairs.strip_comments),
    # inline HTML: <sup>th</sup>
    (("<",), partial(re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>").sub, "")),
    (("](",), pairs.strip_images),
    (("](",), pairs.strip_links),
    # bold; a mark escaped with a backslash is the character itself, here and below
    (("**", "__"), pairs.strip_bold),
    # italics, which a hard wrap may carry over a line (not over a blank one)
    (("*",), partial(re.compile(
        r"(?<![\w*\\])\*(?=\S)((?:[^*\n]|\n(?![ \t]*\n))+?)(?<=[^\s\\])\*(?![\w*])").sub, r"\1")),
    # bold marks split across lines by a hard wrap
    (("**", "__"), partial(re.compile(r"(?<!\\)(?:\*\*|__)").sub, "")),
    # headings, escaped "\###"
    (("#",), partial(re.compile(r"^[ \t]{0,3}\\?#{1,6}(?:[ \t]+|$)", re.M).sub, "")),
    ((">",), partial(re.compile(r"^[ \t]{0,3}>[ \t]?", re.M).sub, "")),  # block quotes
    # horizontal rules
    (("-", "*", "_"), partial(re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M).sub, "")),
    (("\\",), partial(re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])").sub, r"\1")),  # backslash escapes
]


def strip_markdown(text: str) -> str:
    """Light Markdown with inline HTML -> plain text, keeping line structure."""
    for needed, strip in _INLINE_MARKUP:
        if any(part in text for part in needed):
            text = strip(text)
    return html.unescape(text)


def _yaml_loader() -> type:
    """A safe YAML loader (libyaml's when PyYAML has it, ten times faster) that leaves
    timestamps as text: an impossible date ("2027-02-29") must not sink the whole file, and
    dates are read by :mod:`searcher.ingest.dates` anyway."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _LOADER = type("FrontMatterLoader", (base,), {})
        _LOADER.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if not tag.endswith(":timestamp")]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }
    return _LOADER


_LOADER: type | None = None


#: Front matter holds a few fields (title, date, source, tags). More text than this, more
#: values, or values nested deeper, are not a release's: YAML's aliases let 400 bytes stand
#: for a billion values (a "billion laughs"), which walking them would spend minutes and
#: gigabytes on. Such a file is refused with a one-line error.
MAX_FRONT_MATTER, MAX_VALUES, MAX_DEPTH = 64 * 1024, 10_000, 20


class _TooMuch(Exception):
    pass


def _normalized(value: Any, budget: list[int], depth: int = 0) -> Any:
    """Front-matter text normalised as the body is (YAML escapes decode to curly quotes),
    lists and mappings copied value by value, within ``budget`` values in all (its one
    item counts down) and :data:`MAX_DEPTH` levels: an alias is walked (and counted) each
    time it is met, so what it stands for is bounded too."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooMuch(f"more than {MAX_VALUES:,} values")
    if depth > MAX_DEPTH:
        raise _TooMuch(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [_normalized(v, budget, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _normalized(v, budget, depth + 1) for k, v in value.items()}
    return value


def read_markdown(path: Path, data: bytes) -> RawDocument:
    """``.md`` / ``.txt``: optional YAML front matter, then light Markdown."""
    text = text_of(data, path)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        import yaml

        if len(match.group(1)) > MAX_FRONT_MATTER:
            raise ReadError(path, f"front matter too large ({len(match.group(1)) / 1024:.0f}"
                                  f" KB > {MAX_FRONT_MATTER // 1024} KB)")
        try:
            loaded = yaml.load(match.group(1), Loader=_yaml_loader())
            if isinstance(loaded, dict):
                meta = _normalized(loaded, [MAX_VALUES])
        except yaml.YAMLError as exc:
            raise ReadError(path, f"malformed YAML front matter ({exc.__class__.__name__})") from None
        except (_TooMuch, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, _TooMuch) else "nested too deeply"
            raise ReadError(path, f"front matter refused: {reason}") from None
        text = text[match.end():]
    blocks = split_blocks(strip_markdown(text).split("\n"))
    return RawDocument(path, blocks, meta)
