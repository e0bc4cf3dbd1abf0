"""generx.bio_tokenizer.v1: biomedical names stay whole and abbreviations never look like sentence ends."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from generx.pipelines.tokenizer import bio_tokenizer


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "generx.bio_tokenizer.v1"}}})


def words(nlp: Language, text: str) -> list[str]:
    return [token.text for token in nlp(text)]


@pytest.mark.parametrize("name", ["IL-2", "CD4(+)", "NF-kappaB", "T-cell", "TNF-alpha", "p53-dependent"])
def test_gene_and_marker_names_stay_one_token(nlp: Language, name: str) -> None:
    expected = ["We", "found", "that", name, "was", "increased", "."]
    assert words(nlp, f"We found that {name} was increased.") == expected


def test_names_inside_a_sentence_with_punctuation(nlp: Language) -> None:
    text = "IL-2 activates NF-kappaB in CD4(+) T-cell lines (TNF-alpha, p53-dependent)."
    assert words(nlp, text) == [
        "IL-2", "activates", "NF-kappaB", "in", "CD4(+)", "T-cell", "lines",
        "(", "TNF-alpha", ",", "p53-dependent", ")", ".",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name",
    ["PU.1", "B7.1", "NK3.3", "RAW264.7", "BOB.1/OBF.1", "CD4+", "Ca2+", "10(-7)", "p21(WAF1/CIP1)", "G28-5"],
)
def test_names_with_dots_signs_and_brackets_stay_whole(nlp: Language, name: str) -> None:
    assert name in words(nlp, f"Binding of {name} was weak.")


def test_decimal_numbers_and_ranges_stay_whole(nlp: Language) -> None:
    assert words(nlp, "It rose 3.5-fold (P < 0.05) at 1.3-1.5 microM.") == [
        "It", "rose", "3.5-fold", "(", "P", "<", "0.05", ")", "at", "1.3-1.5", "microM", ".",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "abbreviation"),
    [
        ("as shown by Smith et al. in 1995", "al."),
        ("cytokines, e.g. IL-4, were added", "e.g."),
        ("the promoter, i.e. the 5' region, was bound", "i.e."),
        ("wild type vs. mutant cells were compared", "vs."),
        ("as shown in Fig. 2 the level rose", "Fig."),
        ("approx. 40% of the cells responded", "approx."),
        ("see cf. the earlier report for details", "cf."),
    ],
)
def test_abbreviations_keep_their_period(nlp: Language, text: str, abbreviation: str) -> None:
    tokens = words(nlp, text + ".")
    assert abbreviation in tokens
    # The only free-standing period is the one that ends the sentence.
    assert tokens.count(".") == 1
    assert tokens[-1] == "."


def test_abbreviations_do_not_end_sentences(nlp: Language) -> None:
    text = (
        "As shown by Smith et al. in Fig. 2, cytokines (e.g. IL-4, i.e. a Th2 cytokine) raised PU.1 "
        "approx. 3.5-fold vs. controls. NF-kappaB was not induced."
    )
    nlp.add_pipe("sentencizer")
    try:
        sentences = [sent.text for sent in nlp(text).sents]
    finally:
        nlp.remove_pipe("sentencizer")
    assert sentences == [text.split(" NF-kappaB")[0], "NF-kappaB was not induced."]


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("It activates NF-kappaB.", ["NF-kappaB", "."]),
        ("It binds PU.1.", ["PU.1", "."]),
        ("It was blocked by CsA.", ["CsA", "."]),
        ("Cells were cultured for 24 h.", ["h", "."]),
        ("It needs IL-2.", ["IL-2", "."]),
        ("They were CD4(+).", ["CD4(+)", "."]),
    ],
)
def test_sentence_final_period_is_split_off(nlp: Language, text: str, last: list[str]) -> None:
    assert words(nlp, text)[-2:] == last


def test_genotype_markers_and_nucleic_acid_ends(nlp: Language) -> None:
    assert words(nlp, "Mice (+/-) carry the 5' flanking region and the 3' end.") == [
        "Mice", "(", "+/-", ")", "carry", "the", "5'", "flanking", "region", "and", "the", "3'", "end", ".",
    ]  # fmt: skip


def test_plural_brackets_and_bracketed_abbreviations_are_split_as_in_genia(nlp: Language) -> None:
    assert words(nlp, "factor(s) in (HIV)-positive cells") == [
        "factor", "(", "s", ")", "in", "(", "HIV", ")", "-positive", "cells",
    ]  # fmt: skip


def test_tokens_cover_the_text(nlp: Language) -> None:
    text = "PRDM1 is a transcription repressor that negatively regulates IL2 (see Fig. 3, approx. 2.5-fold)."
    doc = nlp(text)
    assert doc.text == text


def test_tokenizer_survives_serialisation(nlp: Language) -> None:
    text = "IL-2 and CD4(+) T-cells, e.g. via NF-kappaB (Fig. 2), at 3.5 microM vs. 24 h."
    restored = spacy.blank("en")
    assert isinstance(nlp.tokenizer, Tokenizer) and isinstance(restored.tokenizer, Tokenizer)
    restored.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert words(restored, text) == words(nlp, text)


def test_registered_factory_builds_the_same_tokenizer(nlp: Language) -> None:
    create = spacy.registry.tokenizers.get("generx.bio_tokenizer.v1")
    direct = create()(spacy.blank("en"))
    text = "TNF-alpha induced p53-dependent apoptosis of CD34+ cells (P < 0.01)."
    assert [t.text for t in direct(text)] == words(nlp, text)
    assert [t.text for t in bio_tokenizer(spacy.blank("en"))(text)] == words(nlp, text)
