"""Saved web pages (``.html``, ``.htm``) through bs4: the article without page furniture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...errors import ReadError
from .document import Block, RawDocument
from .text import normalize_text, text_of

_NOISE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
               "button", "iframe", "svg", "template", "select", "input", "menu", "dialog"]
_NOISE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:cookie|consent|share|sharing|social|breadcrumbs?|menu|navbar|nav|banner|"
    r"footer|header|sidebar|related|subscribe|newsletter|skip|print|pagination|tags|widget|meta|byline|author)"
    r"(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th",
               "dd", "dt", "div", "section", "article", "main", "figcaption", "address"}


def read_html(path: Path, data: bytes) -> RawDocument:
    """Saved web pages: the article's blocks, without navigation, scripts or page furniture.

    Every step is one pass over the page's tags, whatever their nesting: 10,000 nested or
    unclosed tags took minutes when each tag searched its own subtree (bs4's ``decomposed``
    does, through ``__getattr__``, and so did ``find`` for each block), and a recursive walk
    ran out of stack."""
    text = text_of(data, path)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    try:
        return _read_soup(path, soup)
    except RecursionError:  # a bs4 step this page is nested too deeply for
        raise ReadError(path, "HTML nested too deeply to read") from None


def _read_soup(path: Path, soup) -> RawDocument:
    from bs4 import Tag

    meta: dict[str, Any] = {}
    title = soup.find("title")
    if title is not None and title.get_text(strip=True):
        meta["html_title"] = normalize_text(title.get_text(" ", strip=True))
    _drop_furniture(soup.find_all(True))
    root = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"})
    root = root or soup.find("body") or soup
    h1 = root.find("h1") or soup.find("h1")
    if h1 is not None and h1.get_text(strip=True):
        meta["h1"] = normalize_text(" ".join(h1.get_text(" ").split()))
    for br in root.find_all("br"):
        br.replace_with("\n")

    # Tags holding a block tag, by id (a Tag's own hash and equality read its whole subtree).
    tags = root.find_all(True)
    holds_block: set[int] = set()
    for tag in reversed(tags):  # children before their parents
        if tag.name in _BLOCK_TAGS or id(tag) in holds_block:
            holds_block.add(id(tag.parent))

    # A leaf block's text is taken whole, so inline tags (<sup>, <b>, <a>) neither split
    # nor glue words; text sitting loose beside child blocks becomes a block of its own.
    # The walk keeps its own stack: a page may nest deeper than Python's.
    blocks: list[Block] = []
    loose: list[str] = []

    def flush() -> None:
        lines = [" ".join(line.split()) for line in "".join(loose).split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
        loose.clear()

    stack = [iter(root.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            flush()
        elif isinstance(child, Tag) and (child.name in _BLOCK_TAGS or id(child) in holds_block):
            flush()
            stack.append(iter(child.children))
        else:
            loose.append(child.get_text() if isinstance(child, Tag) else str(child))
    return RawDocument(path, blocks, meta)


def _drop_furniture(tags: list) -> None:
    """Remove scripts, navigation, banners and the like: the noise tags, and tags whose id,
    class or role says furniture unless they hold the article (``<article>``, ``<main>``)
    outside noise tags. ``tags``: every tag, in document order."""
    noise = {id(tag) for tag in tags if tag.name in _NOISE_TAGS}
    holds_main: set[int] = set()
    for tag in reversed(tags):  # children before their parents
        if id(tag) not in noise and (tag.name in ("article", "main") or id(tag) in holds_main):
            holds_main.add(id(tag.parent))
    gone: set[int] = set()  # removed, with everything inside
    doomed = []
    for tag in tags:
        if id(tag.parent) in gone:
            gone.add(id(tag))
        elif id(tag) in noise:
            gone.add(id(tag))
            doomed.append(tag)
        elif tag.name not in ("html", "body", "article", "main") and id(tag) not in holds_main:
            attrs = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
            if attrs.strip() and _NOISE_ATTR.search(attrs):
                gone.add(id(tag))
                doomed.append(tag)
    for tag in doomed:
        tag.decompose()
