"""Saved web pages (``.html``, ``.htm``) through bs4: the article without page furniture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
    """Saved web pages: the article's blocks, without navigation, scripts or page furniture."""
    text = text_of(data, path)
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(text, "html.parser")
    meta: dict[str, Any] = {}
    if soup.title and soup.title.get_text(strip=True):
        meta["html_title"] = normalize_text(soup.title.get_text(" ", strip=True))
    for tag in soup.find_all(_NOISE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "article", "main"):
            continue
        attrs = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
        if attrs.strip() and _NOISE_ATTR.search(attrs) and not tag.find(["article", "main"]):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"})
    root = root or soup.body or soup
    h1 = root.find("h1") or soup.find("h1")
    if h1 is not None and h1.get_text(strip=True):
        meta["h1"] = normalize_text(" ".join(h1.get_text(" ").split()))
    for br in root.find_all("br"):
        br.replace_with("\n")

    blocks: list[Block] = []

    def walk(node: Tag) -> None:
        # A leaf block's text is taken whole, so inline tags (<sup>, <b>, <a>) neither split
        # nor glue words; text sitting loose beside child blocks becomes a block of its own.
        loose: list[str] = []
        for child in node.children:
            if isinstance(child, Tag) and (child.name in _BLOCK_TAGS or child.find(_BLOCK_TAGS)):
                flush(loose)
                walk(child)
            else:
                loose.append(child.get_text() if isinstance(child, Tag) else str(child))
        flush(loose)

    def flush(parts: list[str]) -> None:
        lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
        parts.clear()

    walk(root)
    return RawDocument(path, blocks, meta)
