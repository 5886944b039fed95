"""nltk, imported once under a lock before any of it is used.

nltk's package imports most of itself, through import cycles (``nltk`` imports
``nltk.tokenize``, which imports ``nltk.tokenize.punkt``...). Two threads importing it at
once from a cold start, as threads parsing files do on their first (Punkt finds the lead's
first sentence), deadlock on Python's module locks: one holds ``nltk.tokenize.punkt`` and
waits for ``nltk``, whose import by the other waits for ``nltk.tokenize.punkt``
(``_DeadlockError``, or "cannot import name ... from partially initialized module"). So
what searcher uses of nltk is imported here, by one thread, the others waiting for it.
"""

from __future__ import annotations

import threading

_LOCK = threading.Lock()
_ready = False


def load_nltk() -> None:
    """Import the nltk modules searcher uses (once: later calls return at once)."""
    global _ready
    if _ready:
        return
    with _LOCK:
        if not _ready:
            import nltk.tokenize.punkt  # noqa: F401

            _ready = True
