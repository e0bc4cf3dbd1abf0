"""Process mentions: GO terms as statements write them, grounding, hierarchy, and the component.

These use the compiled lexicon committed in models/lexicons (no trained model is loaded).
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from generx.pipelines.annotations import MENTIONS
from generx.pipelines.components import GENES_FACTORY, PROCESSES_FACTORY
from generx.pipelines.lexicon import GoLexicon, load_corpus_forms, load_go_lexicon
from generx.pipelines.processes import (
    ancestors,
    find_process_mentions,
    is_a_or_part_of,
    lookup_process,
    rewrites_for,
    term_name,
)


@pytest.fixture(scope="module")
def go() -> GoLexicon:
    return load_go_lexicon()


def found(go: GoLexicon, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in find_process_mentions(go, text)]


@pytest.mark.parametrize(
    ("text", "go_id"),
    [
        ("T-cell proliferation", "GO:0042098"),
        ("T cell proliferation", "GO:0042098"),
        ("proliferation of CD4(+) T cells", "GO:0035739"),
        ("CD4(+) T-cell proliferation", "GO:0035739"),
        ("apoptosis", "GO:0006915"),
        ("IL2 signaling", "GO:0038110"),
        ("interleukin-2 signalling", "GO:0038110"),
        ("differentiation of T cells", "GO:0030217"),
        ("regulation of the immune response", "GO:0050776"),
        ("DNA demethylation", "GO:0080111"),
    ],
)
def test_issue_examples(go: GoLexicon, text: str, go_id: str) -> None:
    assert found(go, f"It was {text} here.") == [(text, go_id)]


def test_chemical_steps_are_no_process_alone(go: GoLexicon) -> None:
    text = "It catalyzes the conjugation of glutathione and the ligation of leucine to its tRNA."
    assert found(go, text) == []
    assert found(go, "It was DNA ligation here.") == [("DNA ligation", "GO:0006266")]


def test_the_verb_after_up_or_down_is_no_process(go: GoLexicon) -> None:
    # "regulated" alone is GO's biological regulation; read inside "up-regulated" it cut the verb in two
    forms = load_corpus_forms()
    for text in ("FCER2 was up-regulated by IL4", "FXYD5 down-regulates CDH1", "IL4 down-modulates FCER2"):
        assert [m.text for m in find_process_mentions(go, text, forms=forms)] == []
    assert found(go, "the down-regulation of inflammatory response") == [
        ("down-regulation of inflammatory response", "GO:0050728")
    ]


def test_most_specific_term_wins(go: GoLexicon) -> None:
    # "T cell proliferation" holds "cell proliferation" and "proliferation": the longest is kept.
    assert found(go, "T cell proliferation") == [("T cell proliferation", "GO:0042098")]


def test_modifiers_between_of_and_the_cells(go: GoLexicon) -> None:
    text = "the differentiation not only of primary effector CD8+ T cells"
    ((mention_text, go_id),) = found(go, text)
    assert go_id == "GO:0043374" and mention_text.startswith("differentiation")


def test_ambiguous_mentions_carry_ranked_candidates(go: GoLexicon) -> None:
    (mention,) = find_process_mentions(go, "apoptosis")
    assert mention.candidates[0] == ("GO:0006915", 0.75)
    assert len(mention.candidates) > 1
    (mention,) = find_process_mentions(go, "T cell proliferation")
    # the full name beats the "alpha-beta T cell proliferation" read with "alpha-beta" dropped
    assert mention.candidates[:2] == (("GO:0042098", 1.0), ("GO:0046633", 0.9))


def test_terms_tied_on_a_related_synonym_ground_to_what_they_share(go: GoLexicon) -> None:
    (mention,) = find_process_mentions(
        go, "mRNA splicing"
    )  # a related synonym of group I, II, III intron splicing
    tied = [go_id for go_id, score in mention.candidates[1:] if score == mention.candidates[0][1]]
    assert len(tied) > 1 and mention.id not in tied
    assert all(is_a_or_part_of(go, go_id, mention.id) for go_id in tied)
    # ... but not a grouping term near the root
    (mention,) = find_process_mentions(go, "necrosis")
    assert mention.id != "GO:0009987"


def test_suppressed_phrases_are_candidates_unless_read_otherwise(go: GoLexicon) -> None:
    forms = load_corpus_forms()
    (mention,) = find_process_mentions(go, "involved in signal transduction", forms=forms)
    assert (mention.name, mention.weak) == ("signal transduction", True)
    # a signal's "transduction" is no virus moving genes, "cell growth" in function text is no cell size
    assert find_process_mentions(go, "transduction of odorant signals and cell growth", forms=forms) == []


def test_related_synonyms_can_be_left_out(go: GoLexicon) -> None:
    assert lookup_process(go, "apoptosis activator activity", related=True) != []
    assert lookup_process(go, "apoptosis activator activity", related=False) == []


def test_hierarchy_for_roll_ups(go: GoLexicon) -> None:
    assert "GO:0008283" in ancestors(go, "GO:0042098")  # cell population proliferation
    assert "GO:0042110" in ancestors(go, "GO:0042098")  # T cell activation (is_a)
    assert is_a_or_part_of(go, "GO:0035739", "GO:0042098")  # via alpha-beta T cell proliferation
    assert is_a_or_part_of(go, "GO:0035739", "GO:0046651")
    assert ancestors(go, "GO:1234567") == []
    assert term_name(go, "GO:0006915") == "apoptotic process"


def test_corpus_forms_add_craft_conventions(go: GoLexicon) -> None:
    forms = load_corpus_forms()
    assert find_process_mentions(go, "Shh is expressed in the limb") == []
    assert [
        (m.text, m.id) for m in find_process_mentions(go, "Shh is expressed in the limb", forms=forms)
    ] == [("expressed", "GO:0010467")]


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe(GENES_FACTORY, config={"use_ner": False, "use_abbreviations": False})
    nlp.add_pipe(PROCESSES_FACTORY)
    return nlp


def test_component_writes_process_spans_next_to_genes(nlp: Language) -> None:
    doc = nlp("DUSP4 suppresses CD4(+) T-cell proliferation and IL2 signaling")
    spans = [(s.text, s.label_, s.kb_id_, s._.name) for s in doc.spans[MENTIONS]]
    assert (
        "CD4(+) T-cell proliferation",
        "process",
        "GO:0035739",
        "CD4-positive, alpha-beta T cell proliferation",
    ) in spans
    assert ("IL2 signaling", "process", "GO:0038110", "interleukin-2-mediated signaling pathway") in spans
    assert ("IL2", "gene", "HGNC:6001", "IL2") in spans  # overlapping gene and process mentions both stay


def test_an_acronym_that_names_a_gene_is_no_process(nlp: Language) -> None:
    doc = nlp("TCR-mediated signal transduction")
    assert not [s for s in doc.spans[MENTIONS] if s.text == "TCR" and s.label_ == "process"]


def test_no_process_inside_a_gene_name(nlp: Language) -> None:
    doc = nlp("T cell growth factor was added")
    assert [(s.text, s.label_) for s in doc.spans[MENTIONS]] == [("T cell growth factor", "gene")]


@pytest.fixture(scope="module")
def mention_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe(GENES_FACTORY, config={"use_ner": False})
    nlp.add_pipe(PROCESSES_FACTORY)
    return nlp


def processes(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(s.text, s.kb_id_) for s in doc.spans[MENTIONS] if s.label_ == "process"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a gene read in GO's spelling, inside a longer label
        ("positive regulation of IL6 production", ("positive regulation of IL6 production", "GO:0032755")),
        # "<ligand> signaling pathway" is the ligand's receptor signaling pathway
        ("the INS/insulin signaling pathway", ("insulin signaling pathway", "GO:0008286")),
        # an abbreviation read by its long form
        ("Double-strand break (DSB) repair is fast; DSB repair.", ("DSB repair", "GO:0006302")),
    ],
)
def test_genes_and_abbreviations_compose_with_the_head(
    mention_nlp: Language, text: str, expected: tuple[str, str]
) -> None:
    assert expected in processes(mention_nlp, text)


def test_coordinated_genes_each_get_their_process(mention_nlp: Language) -> None:
    found = processes(mention_nlp, "It induces IL-2 and IFN-gamma production.")
    assert ("IFN-gamma production", "GO:0032609") in found
    assert ("IL-2 and IFN-gamma production", "GO:0032623") in found


def test_an_abbreviation_is_read_whole_or_not_at_all(mention_nlp: Language) -> None:
    # "Sam68" stands for "Src-associated in mitosis of 68 kDa": the short form is no mitosis.
    text = "Src-associated in mitosis of 68 kDa (Sam68) binds RNA. Sam68 is nuclear."
    assert not [m for m in processes(mention_nlp, text) if m[0] == "Sam68"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # glued, hyphenated and spaced prefixes are one key
        ("post-transcriptional regulation of gene expression", "GO:0010608"),
        ("posttranscriptional regulation of gene expression", "GO:0010608"),
        ("asymmetric cell division", "GO:0008356"),
        # a numbered meiotic stage is meiotic by its number
        ("metaphase I", "GO:0007132"),
    ],
)
def test_spelling_variants_of_go_labels(go: GoLexicon, text: str, expected: str) -> None:
    assert found(go, text) == [(text, expected)]


def test_adjectives_read_as_their_noun_but_end_no_phrase(go: GoLexicon) -> None:
    assert found(go, "neuronal development") == [("neuronal development", "GO:0048666")]
    assert found(go, "mitochondrial fission") == [("mitochondrial fission", "GO:0000266")]
    assert not [m for m in found(go, "maintenance of neuronal polarity") if m[0].endswith("neuronal")]


def test_what_cells_do_is_no_behavior(go: GoLexicon) -> None:
    assert found(go, "T-cell behavior") == []
    assert found(go, "feeding behavior") == [("feeding behavior", "GO:0007631")]


def test_the_rest_of_a_prefixed_word_is_a_mention_by_itself_only(go: GoLexicon) -> None:
    forms = load_corpus_forms()
    mentions = [(m.text, m.id) for m in find_process_mentions(go, "overexpression of Sox9", forms=forms)]
    assert mentions == [("expression", "GO:0010467")]
    text = "posttranscriptional regulation"
    assert all(m.id != "GO:0006355" for m in find_process_mentions(go, text, forms=forms))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in diaphragm and lung development", ("diaphragm and lung development", "GO:0060539")),
        ("cell migration and differentiation", ("cell migration and differentiation", "GO:0030154")),
    ],
)
def test_a_word_left_out_of_one_conjunct(go: GoLexicon, text: str, expected: tuple[str, str]) -> None:
    assert expected in found(go, text)


def test_a_conjunct_that_is_a_process_by_itself_keeps_its_own_head(go: GoLexicon) -> None:
    assert found(go, "cell cycle and apoptosis") == [
        ("cell cycle", "GO:0007049"),
        ("apoptosis", "GO:0006915"),
    ]


def test_an_abbreviation_defined_in_the_plural_reads_in_the_singular(go: GoLexicon) -> None:
    text = "Agents that form double-strand breaks (DSBs) kill cells. Cells without Rad51 lack DSB repair."
    short, long = text.index("DSBs"), text.index("double-strand breaks")
    pairs = [((short, short + 4), (long, long + len("double-strand breaks")))]
    rewrites = rewrites_for(go, text, abbreviations=pairs)
    mentions = [(m.text, m.id) for m in find_process_mentions(go, text, rewrites=rewrites)]
    assert ("DSB repair", "GO:0006302") in mentions
