"""The one-loop analysis used to index and to cut snippets agrees with the Whoosh analysers
the schema declares (queries are analysed by those), token for token."""

from __future__ import annotations

import pytest
from whoosh.fields import TEXT

from searcher.index.analysis import analyze, text_analyzer
from searcher.index.schema import build_schema

from .conftest import SEEDS

TEXTS = [p.read_text("utf-8") for p in sorted(SEEDS.iterdir())] + [
    "The U.S.-Cambodia talks: Côte d'Ivoire's 55th A.C.T, “Five-point” and it's us.",
    "H.E. PRAK Sokhonn ; Prak Sokhonn ; prak sokhonn ; MOTEGI Toshimitsu",
    "13 May 2022 ; May 2022 ; 2022 ; 2022-05-13",
    "Phnom Penh ; Washington D.C.",
    "ក្រសួងការបរទេស និងសហប្រតិបត្តិការអន្តរជាតិ ព្រះរាជាណាចក្រកម្ពុជា",  # combining marks
    "",
]


def test_fast_analysis_matches_the_index_analyser():
    for text in TEXTS:
        assert analyze(text) == analyze(text, text_analyzer())


@pytest.mark.parametrize("fieldname", ["body", "title", "participants", "countries", "dates",
                                       "place", "kind"])
def test_fields_index_what_their_analyser_gives(fieldname: str):
    field = build_schema()[fieldname]
    for text in TEXTS * 2:  # twice: values met before come from memory
        assert sorted(field.index(text)) == sorted(TEXT.index(field, text))
