"""What every reader returns: a file's text as blocks of lines, and its declared metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import Block


@dataclass
class RawDocument:
    """A file's text as blocks of lines, and the metadata its format declares."""

    path: Path
    blocks: list[Block]
    meta: dict[str, Any] = field(default_factory=dict)
