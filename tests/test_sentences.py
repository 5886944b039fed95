"""Sentence boundaries: a first sentence found in a window is the whole text's."""

from __future__ import annotations

import searcher
from searcher.ingest.sentences import _FIRST_WINDOW, _spans, first_sentence, sentence_spans

from .conftest import FIXTURES, SEEDS


def whole_text_first(text: str) -> str:
    spans = sentence_spans(text)
    return text[spans[0][0]:spans[0][1]] if spans else text


def test_first_sentence_is_the_whole_texts_first():
    files = sorted(SEEDS.iterdir()) + sorted((FIXTURES / "whitehouse").iterdir())
    paragraphs = [p for f in files if f.suffix in (".txt", ".md")
                  for p in searcher.parse_file(f, f.stem).paragraphs]
    made = [
        "H.E. Mr. PRAK Sokhonn met H.E. Antony J. Blinken, U.S. Secretary of State, in "
        "Washington D.C. on 13 May 2022. " + "They discussed the Ream naval base. " * 20,
        "A lead with no break at all " * 30,  # longer than the window, one sentence
        ("x" * (_FIRST_WINDOW - 30)) + ". Then Mr. Hun Manet spoke. " * 3,  # break near the edge
        "Short. " + "Mr. " * 200,
    ]
    long_ones = [p for p in paragraphs + made if len(p) > _FIRST_WINDOW]
    assert len(long_ones) >= 20
    for text in paragraphs + made:
        _spans.cache_clear()  # each answer worked out afresh
        assert first_sentence(text) == whole_text_first(text), text[:80]
