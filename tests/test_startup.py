"""A query starts light: no nltk on its path, and the replacements give nltk's very answers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from searcher.index.analysis import (
    AGREED,
    WORD_PATTERN,
    NltkTokenizer,
    _words,
    _words_for,
    normalize_word,
    stem,
)
from searcher.index.stemmer import STEMMER

from .conftest import SEEDS

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")

#: Modules a query does not need: nltk, the readers and their parsers, the code that writes,
#: on an index as small as the seeds' numpy (its scorer computes over lists), on English text the
#: ``regex`` engine, and Whoosh's modules that searcher.deferred defers.
NOT_FOR_A_QUERY = ("nltk", "bs4", "yaml", "dateutil", "charset_normalizer", "multiprocessing",
                   "concurrent", "numpy", "regex", "rapidfuzz", "pdfminer", "docx", "zipfile",
                   "logging", "tempfile", "importlib.resources", "searcher.ingest.parse",
                   "searcher.ingest.readers", "searcher.ingest.metadata", "searcher.ingest.dates",
                   "searcher.ingest.cleaning", "searcher.ingest.corpus", "searcher.index.build",
                   "searcher.index.segments",
                   # Whoosh's, deferred (searcher.deferred): stand-ins only, never loaded
                   "whoosh.lang.morph_en", "whoosh.lang.porter", "whoosh.lang.dmetaphone",
                   "whoosh.automata.lev", "whoosh.automata.fsa", "whoosh.highlight", "html")


def _vocabulary() -> set[str]:
    """Every word of the shared corpora and the seeds, normalised as the index has them."""
    words: set[str] = set()
    token = _words()
    files = [p for p in CORPORA.rglob("*") if p.is_file()] + list(SEEDS.iterdir())
    for path in files:
        words.update(token.findall(path.read_text("utf-8", errors="replace")))
    normal = {normalize_word(w) for w in words}
    return {w for w in normal if len(w) >= 3 and not any(c.isdigit() for c in w)}


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not here")
def test_the_ported_stemmer_gives_nltks_stems_over_the_whole_vocabulary():
    from nltk.stem.snowball import SnowballStemmer

    nltk_stem = SnowballStemmer("english").stem
    vocabulary = sorted(_vocabulary())
    assert len(vocabulary) > 25_000
    differ = [w for w in vocabulary if STEMMER.stem(w) != nltk_stem(w)]
    assert differ == []
    # A stem starts as its word does: snippets stem only the words starting as a query term.
    assert [w for w in vocabulary if stem(w)[:1] != w[:1]] == []
    assert stem("flooding") == "flood" and stem("organization") == nltk_stem("organization")


def test_the_tokenizer_finds_nltks_tokens():
    from nltk.tokenize import RegexpTokenizer

    text = "\n\n".join(p.read_text("utf-8") for p in sorted(SEEDS.iterdir()))
    text += " U.S.-Cambodia ties, Côte d'Ivoire's H.E. ព្រះរាជាណាចក្រកម្ពុជា 55th"
    ours = [(t.text, t.startchar, t.endchar)
            for t in NltkTokenizer()(text, positions=True, chars=True)]
    theirs = [(text[s:e], s, e) for s, e in RegexpTokenizer(WORD_PATTERN).span_tokenize(text)]
    assert ours == theirs


def test_snippets_find_the_same_matches_stemming_only_the_words_that_can_match():
    from searcher.index.analysis import analyze
    from searcher.search.snippets import Matcher

    paragraphs = [p for f in sorted(SEEDS.iterdir()) for p in f.read_text("utf-8").split("\n\n")]
    for terms, phrases in [({"asean", "chairmanship"}, []), ({"cambodia", "japan"}, [["prime",
                           "minist"]]), ({"flood", "éte"}, [["five", "point", "consensus"]])]:
        matcher = Matcher(terms, phrases)
        for text in paragraphs:
            every = analyze(text)
            some = analyze(text, initials=matcher.initials)
            assert [t[1:] for t in some] == [t[1:] for t in every]  # places and spans
            assert [a for a, b in zip(some, every) if a != b and a[0] != "\0"] == []
            found = matcher.matches(text)
            plain = Matcher(terms, phrases)
            plain.initials = None  # stem every word
            assert found == plain.matches(text)


def test_re_and_regex_agree_on_every_character_they_are_trusted_with():
    """A text of AGREED characters is tokenised with ``re`` (no ``regex`` to import): each
    of them is a word character, and a digit, for both engines or for neither."""
    import regex

    trusted = re.compile(f"[{AGREED}]")
    classes = [(re.compile(r"\w"), regex.compile(r"\w", regex.UNICODE)),
               (re.compile(r"\d"), regex.compile(r"\d", regex.UNICODE))]
    checked = 0
    for code in range(0x2200):
        ch = chr(code)
        if trusted.match(ch):
            checked += 1
            for ours, theirs in classes:
                assert bool(ours.match(ch)) == bool(theirs.match(ch)), hex(code)
    assert checked > 1200


def test_both_engines_find_the_same_words_in_real_releases():
    """Every file of the corpora and fixtures: the words found with the engine chosen for
    its text are the ``regex`` engine's (and most English releases take ``re``)."""
    files = [p for p in CORPORA.rglob("*") if p.is_file()] + list(SEEDS.iterdir()) + \
        [p for p in (Path(__file__).parent / "fixtures").rglob("*.md")]
    by_re = 0
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        chosen = _words_for(text)
        assert chosen.findall(text) == _words().findall(text), path
        by_re += chosen is not _words()
    assert by_re > len(files) // 2
    khmer = "ព្រះរាជាណាចក្រកម្ពុជា and Cambodia"
    assert _words_for(khmer) is _words() and _words().findall(khmer)[0] == khmer.split()[0]


def _modules_after(args: list[str], cwd: Path) -> list[str]:
    code = ("import sys, json\nsys.argv = ['searcher', *json.loads(sys.argv[1])]\n"
            "from searcher.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "from searcher.deferred import is_loaded\n"
            "print(json.dumps(sorted(n for n, m in sys.modules.items() if m is None or "
            "is_loaded(m))), file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    done = subprocess.run([sys.executable, "-c", code, json.dumps(args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_a_query_imports_neither_nltk_nor_what_writing_needs(workdir: Path):
    assert "nltk" in _modules_after(["index"], workdir)  # parsing does need it
    for args in (["query", "Prak Sokhonn ASEAN"], ["query", "--participant", "Motegi"],
                 ["show", "001_bf54391174a1e620"]):
        loaded = _modules_after(args, workdir)
        heavy = [m for m in loaded
                 if any(m == x or m.startswith(x + ".") for x in NOT_FOR_A_QUERY)]
        assert heavy == [], args
        if args[0] == "query":
            assert "searcher.search.lists" in loaded  # it scored: not vacuous


def test_the_readers_suffixes_are_the_scans():
    from searcher.ingest.readers import READERS
    from searcher.ingest.suffixes import RELEASE_SUFFIXES

    assert set(READERS) == RELEASE_SUFFIXES


_USE_DEFERRED = """
import pickle, sys
if sys.argv[1] == "searcher":
    import searcher
    from searcher.deferred import DEFERRED, is_loaded
    assert not any(is_loaded(sys.modules[name]) for name in DEFERRED)
from whoosh.analysis import DoubleMetaphoneFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.lang.porter import stem
from whoosh.lang.morph_en import variations
import whoosh.highlight as highlight
from whoosh.automata.lev import levenshtein_automaton
token = type("Token", (), {"startchar": 0, "endchar": 5})()
out = [[t.text for t in StemmingAnalyzer()("Running flooded ministries")],
       [t.text for t in (RegexTokenizer() | DoubleMetaphoneFilter())("Sokhonn Motegi")],
       sorted(variations("negotiate")), pickle.loads(pickle.dumps(stem)) is stem,
       highlight.UppercaseFormatter().format_token("Japan", token),
       levenshtein_automaton("asean", 1).to_dfa().accept("asian")]
if sys.argv[1] == "searcher":
    assert all(is_loaded(sys.modules[name]) for name in DEFERRED)
print(repr(out))
"""


def test_the_deferred_whoosh_modules_work_when_used(tmp_path: Path):
    """The stand-ins of searcher.deferred load their module at its first use, and are it
    from then on: Whoosh's Porter stemmer, Double Metaphone, Variations, Levenshtein
    automata and highlighter answer as they do without searcher, and pickle as themselves
    (each in a fresh process: this one may have loaded them)."""
    def run(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", _USE_DEFERRED, mode], capture_output=True,
                              text=True, timeout=120, check=True, cwd=tmp_path).stdout

    ours = run("searcher")
    assert ours == run("whoosh alone")
    assert "'runn', 'flood'" in ours and "'negotiated'" in ours and "JAPAN" in ours
