"""Markdown and plain text (``.md``, ``.txt``): YAML front matter, then light Markdown."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from ...errors import ReadError
from .document import RawDocument
from .text import normalize_text, split_blocks, text_of

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
#: (strings one of which any match holds, pattern, replacement): a text is searched only for
#: the markup it can hold (most releases have no HTML, images or rules).
_INLINE_MARKUP = [
    (("<",), re.compile(r"<br\s*/?>", re.I), "\n"),
    (("<",), re.compile(r"<!--.*?-->", re.S), ""),
    # inline HTML: <sup>th</sup>
    (("<",), re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"), ""),
    (("](",), re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images
    (("](",), re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    # bold; a mark escaped with a backslash is the character itself, here and below
    (("**", "__"), re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1", re.S), r"\2"),
    # italics, which a hard wrap may carry over a line (not over a blank one)
    (("*",), re.compile(
        r"(?<![\w*\\])\*(?=\S)((?:[^*\n]|\n(?![ \t]*\n))+?)(?<=[^\s\\])\*(?![\w*])"), r"\1"),
    # bold marks split across lines by a hard wrap
    (("**", "__"), re.compile(r"(?<!\\)(?:\*\*|__)"), ""),
    # headings, escaped "\###"
    (("#",), re.compile(r"^[ \t]{0,3}\\?#{1,6}(?:[ \t]+|$)", re.M), ""),
    ((">",), re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    # horizontal rules
    (("-", "*", "_"), re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),
    (("\\",), re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])"), r"\1"),  # backslash escapes
]


def strip_markdown(text: str) -> str:
    """Light Markdown with inline HTML -> plain text, keeping line structure."""
    for needed, pattern, repl in _INLINE_MARKUP:
        if any(part in text for part in needed):
            text = pattern.sub(repl, text)
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


def _normalized(value: Any) -> Any:
    """Front-matter text normalised as the body is (YAML escapes decode to curly quotes)."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    return value


def read_markdown(path: Path, data: bytes) -> RawDocument:
    """``.md`` / ``.txt``: optional YAML front matter, then light Markdown."""
    text = text_of(data, path)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        import yaml

        try:
            loaded = yaml.load(match.group(1), Loader=_yaml_loader())
        except yaml.YAMLError as exc:
            raise ReadError(path, f"malformed YAML front matter ({exc.__class__.__name__})") from None
        if isinstance(loaded, dict):
            meta = {str(k): _normalized(v) for k, v in loaded.items()}
        text = text[match.end():]
    blocks = split_blocks(strip_markdown(text).split("\n"))
    return RawDocument(path, blocks, meta)
