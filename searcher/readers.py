"""Raw file -> plain-text blocks: one reader per format, chosen by suffix.

Every reader returns the same :class:`RawDocument`: blocks of text lines in reading order with
the format's markup gone, plus whatever metadata the format itself carries (front matter,
``<title>``). Deciding what a block *means* (letterhead, title, sign-off) is left to
:mod:`searcher.cleaning` and :mod:`searcher.metadata`, so that every format is read alike.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ReadError

#: Larger files are refused: no press release comes near it, and reading one would stall a run.
MAX_BYTES = 10 * 1024 * 1024

Block = list[str]


@dataclass
class RawDocument:
    """A file's text as blocks of lines, and the metadata its format declares."""

    path: Path
    blocks: list[Block]
    meta: dict[str, Any] = field(default_factory=dict)


# -- decoding -------------------------------------------------------------------------------

#: Typographic characters and their plain forms ("" for those dropped).
_PLAIN = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u3000": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\u00ad": "", "\r": "",
}
# Found by one pattern and replaced where they are: str.translate looks up every character
# of the text in a table, nine times slower on releases with a few curly quotes.
_TYPOGRAPHIC = re.compile("[" + "".join(_PLAIN) + "]")


def normalize_text(text: str) -> str:
    """NFC, straight quotes and apostrophes, plain spaces: "Cambodia’s" reads as "Cambodia's"."""
    return _TYPOGRAPHIC.sub(lambda match: _PLAIN[match[0]], unicodedata.normalize("NFC", text))


def decode(data: bytes, path: str | Path = "<bytes>") -> str:
    """Bytes -> text: BOMs honoured, UTF-8 first, then charset detection (cp1252, latin-1...)."""
    if not data.strip():
        raise ReadError(path, "empty file")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError(path, f"undecodable bytes after {codec} BOM ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "undecodable bytes: not UTF-8 and no known encoding fits")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise ReadError(path, f"binary file: decodes as {best.encoding} to control characters")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\t\r\f")
    return bad / max(1, len(sample))


# -- blocks -------------------------------------------------------------------------------

def _blocks(lines: list[str]) -> list[Block]:
    """Split lines into blocks at blank lines (lines of only spaces count as blank)."""
    blocks: list[Block] = []
    current: Block = []
    for line in lines:
        line = " ".join(line.split())  # as re.sub(r"\s+", " ", line).strip(): same spaces
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# -- Markdown and plain text --------------------------------------------------------------

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
    dates are read by :mod:`searcher.dates` anyway."""
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


def read_markdown(path: Path, text: str) -> RawDocument:
    """``.md`` / ``.txt``: optional YAML front matter, then light Markdown."""
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
    blocks = _blocks(strip_markdown(text).split("\n"))
    return RawDocument(path, blocks, meta)


# -- HTML -----------------------------------------------------------------------------------

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


def read_html(path: Path, text: str) -> RawDocument:
    """Saved web pages: the article's blocks, without navigation, scripts or page furniture."""
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


# -- dispatch -------------------------------------------------------------------------------

READERS: dict[str, Callable[[Path, str], RawDocument]] = {
    ".txt": read_markdown,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}


def read_file(path: str | Path, data: bytes | None = None) -> RawDocument:
    """Read any supported release file (or ``data``, its bytes already read); raises
    :class:`ReadError` naming the file and the reason."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(path, f"unknown file type {path.suffix or '(no extension)'!r}")
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_BYTES:
            raise ReadError(path, f"file too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
        if data is None:
            data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read ({exc.strerror or exc})") from None
    text = normalize_text(decode(data, path))
    doc = reader(path, text)
    if not any(doc.blocks):
        raise ReadError(path, "no text found")
    return doc
