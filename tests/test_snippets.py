"""Snippet rendering and the matcher, on text of our own making."""

from __future__ import annotations

from searcher.index.analysis import stem
from searcher.search.snippets import Matcher, Snippet, make_snippets


def test_render_styles():
    snippet = Snippet("Blinken met Prak Sokhonn.", [(0, 7), (12, 24)])
    assert snippet.render("text") == "Blinken met Prak Sokhonn."
    assert snippet.render("markers") == "[Blinken] met [Prak Sokhonn]."
    assert snippet.render("ansi") == "\x1b[1;33mBlinken\x1b[0m met \x1b[1;33mPrak Sokhonn\x1b[0m."
    assert snippet.spans() == [("Blinken", True), (" met ", False), ("Prak Sokhonn", True),
                               (".", False)]


def test_html_escapes_the_document_text():
    snippet = Snippet("tariffs < 5% & <b>rules</b>", [(0, 7)])
    assert snippet.render("html") == "<mark>tariffs</mark> &lt; 5% &amp; &lt;b&gt;rules&lt;/b&gt;"


def test_matcher_finds_words_as_they_stand():
    matcher = Matcher(terms=[stem("flood")])
    text = "Floods and flooding; not Floodgate."
    assert [text[s:e] for s, e in matcher.highlights(text)] == ["Floods", "flooding"]


def test_matcher_phrase_only_where_adjacent():
    matcher = Matcher(phrases=[["naval", "base"]])
    text = "The naval base. A base that is naval. Naval bases."
    assert [text[s:e] for s, e in matcher.highlights(text)] == ["naval base", "Naval bases"]


def test_long_paragraph_is_cut_around_the_match_with_ellipses():
    words = " ".join(f"word{i}" for i in range(200))
    text = f"{words} target {words}."
    [snippet] = make_snippets([(0, text)], Matcher(terms=["target"]))
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert len(snippet.text) <= 252
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["target"]


def test_short_sentences_are_joined_towards_the_minimum_length():
    text = "One. Two target here. Three is next. " + "Filler sentence goes on. " * 10
    [snippet] = make_snippets([(0, text)], Matcher(terms=["target"]))
    assert snippet.text.startswith("Two target here. Three is next.")
    assert 150 <= len(snippet.text) <= 250


def test_snippets_prefer_passages_with_new_words():
    paragraphs = [(0, "Alpha beta. " + "x " * 100 + "Alpha again."), (1, "Gamma stands here.")]
    snippets = make_snippets(paragraphs, Matcher(terms=["alpha", "gamma"]))
    shown = {s.text[a:b].lower() for s in snippets for a, b in s.highlights}
    assert shown == {"alpha", "gamma"}
