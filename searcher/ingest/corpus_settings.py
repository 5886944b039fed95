"""What the corpus steps are set with: the aliases file and the boilerplate rule.

Both change what an index holds (a person's name and key; the paragraphs dropped), so both
are recorded in its manifest, and an index written with others must be rebuilt, as one of
another format or analysis (see :func:`searcher.index.store.settings`). This module is
light (no parsers): opening an index to search compares them.

The aliases file in use is chosen at the top, by :class:`searcher.Index` (from
``SEARCHER_ALIASES``), and passed down; nothing here reads the environment.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import SearcherError
from ..shipped import shipped_text

#: A paragraph is learned as boilerplate when it is short and stands in at least this share of
#: the releases (and in three at least): a ministry's letterhead or footer, which rules on its
#: form may miss, not a sentence that several releases happen to share ("Participants
#: included:" stands in 2% of the White House readouts and stays).
BOILERPLATE_SHARE, BOILERPLATE_MIN, BOILERPLATE_WORDS = 0.3, 3, 40

#: Variant key -> (canonical key, name to show).
Aliases = dict[str, tuple[str, str]]


def aliases_text(path: str | Path | None = None) -> str:
    """The aliases file's text: ``path``'s, or the shipped ``data/aliases.txt``'s."""
    if not path:
        return shipped_text("aliases.txt")
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SearcherError(f"{path}: cannot read this aliases file ({reason})") from None


@lru_cache(maxsize=4)
def load_aliases(path: str | None = None) -> Aliases:
    """The aliases of ``path`` (None: the shipped file). A line: the name to show, then its
    other forms, separated by commas; ``#`` starts a comment."""
    from .names import person_key

    aliases: Aliases = {}
    for line in aliases_text(path).splitlines():
        names = [n.strip() for n in line.split("#", 1)[0].split(",") if n.strip()]
        if names:
            for name in names:
                aliases[person_key(name)] = (person_key(names[0]), names[0])
    return aliases


def corpus_settings(aliases: str | None = None) -> dict[str, Any]:
    """The corpus steps' settings as the manifest records them: the aliases file's lines (a
    digest, comments and blank lines left out: the same aliases from another path, or with
    other comments, are the same), and the boilerplate rule."""
    lines = (line.split("#", 1)[0].strip() for line in aliases_text(aliases).splitlines())
    digest = hashlib.sha256("\n".join(filter(None, lines)).encode("utf-8")).hexdigest()[:16]
    return {"aliases": digest,
            "boilerplate": [BOILERPLATE_SHARE, BOILERPLATE_MIN, BOILERPLATE_WORDS]}
