"""Gene mentions: surface variants, ambiguity, families, grounding, and the spaCy component.

These use the compiled lexicon committed in models/lexicons (no trained model is loaded).
"""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language

from generx.pipelines.annotations import MENTIONS
from generx.pipelines.components import GENES_FACTORY, PROCESSES_FACTORY
from generx.pipelines.genes import (
    apply_abbreviations,
    find_gene_mentions,
    ground_span,
    listed_abbreviations,
    lookup_gene,
)
from generx.pipelines.lexicon import GeneLexicon, load_gene_lexicon
from generx.pipelines.pipeline import prepare_doc
from generx.pipelines.statements import GivenEntity, Statement
from tests.conftest import DATA

EXAMPLES = DATA
IL2, TNF, MYC, TP53 = "HGNC:6001", "HGNC:11892", "HGNC:7553", "HGNC:11998"


@pytest.fixture(scope="module")
def lexicon() -> GeneLexicon:
    return load_gene_lexicon()


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe(GENES_FACTORY, config={"use_ner": False})
    nlp.add_pipe(PROCESSES_FACTORY)
    return nlp


def found(lexicon: GeneLexicon, text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in find_gene_mentions(lexicon, text, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "gene"),
    [
        ("IL-2", IL2),
        ("IL2", IL2),
        ("interleukin 2", IL2),
        ("interleukin-2", IL2),
        ("TNF-alpha", TNF),
        ("TNFα", TNF),
        ("TNF", TNF),
        ("c-myc", MYC),
        ("MYC", MYC),
        ("p53", TP53),
        ("TP53", TP53),
    ],
)
def test_surface_variants_ground_to_one_gene(lexicon: GeneLexicon, text: str, gene: str) -> None:
    assert found(lexicon, f"We studied {text} here.") == [(text, gene)]


def test_nf_kappab_spellings_are_the_family(lexicon: GeneLexicon) -> None:
    mentions = find_gene_mentions(lexicon, "NF-kappaB and NF-κB and NFkB")
    assert [m.id for m in mentions] == ["generx:family/NFKB"] * 3
    assert set(mentions[0].members) == {"HGNC:7794", "HGNC:7795", "HGNC:9955", "HGNC:9956", "HGNC:9954"}


def test_complexes_and_receptors_are_grounded_to_members(lexicon: GeneLexicon) -> None:
    ap1, receptor = find_gene_mentions(lexicon, "AP-1 binds the IL-2 receptor")
    assert ap1.id == "generx:family/AP1" and "HGNC:6204" in ap1.members  # JUN
    assert (receptor.text, receptor.id) == ("IL-2 receptor", "generx:family/IL2R")
    assert receptor.members == ("HGNC:6008", "HGNC:6009", "HGNC:6010")


def test_a_following_gene_word_is_not_part_of_the_mention(lexicon: GeneLexicon) -> None:
    assert found(lexicon, "the IL2 promoter and IL2 mRNA and p53 protein") == [
        ("IL2", IL2),
        ("IL2", IL2),
        ("p53", TP53),
    ]


def test_elided_coordination_and_slash_lists(lexicon: GeneLexicon) -> None:
    assert found(lexicon, "IL7- or IL2-induced proliferation") == [("IL7", "HGNC:6023"), ("IL2", IL2)]
    assert found(lexicon, "IL-4 and -13") == [("IL-4", "HGNC:6014"), ("13", "HGNC:5973")]
    assert found(lexicon, "IL-2/IL-4") == [("IL-2", IL2), ("IL-4", "HGNC:6014")]
    assert found(lexicon, "IL-2/4")[1] == ("4", "HGNC:6014")


def test_ordinary_words_do_not_fire(lexicon: GeneLexicon) -> None:
    text = "A set of mice with the aim to impact T cells; CD and II; Set up. Cat owners."
    assert found(lexicon, text) == []


def test_class_descriptions_are_no_gene_names(lexicon: GeneLexicon) -> None:
    # HGNC lists them as alias names of one gene each; dozens of approved names hold them
    text = "It is a serine/threonine kinase, an RNA binding protein and a calcium binding protein."
    assert found(lexicon, text) == []
    # a name that few others repeat stays a name
    assert found(lexicon, "vascular endothelial growth factor") == [
        ("vascular endothelial growth factor", "HGNC:12680")
    ]


def test_a_family_spelt_out_is_the_family(lexicon: GeneLexicon) -> None:
    text = "signal transducers and activators of transcription"
    assert found(lexicon, text) == [(text, "generx:family/STAT")]


def test_weak_aliases_fire_with_a_cue_or_support(lexicon: GeneLexicon) -> None:
    assert found(lexicon, "the SET protein")[0][1] == "HGNC:10760"
    assert found(lexicon, "CAT activity") == [("CAT", "HGNC:1516")]  # the approved symbol, written exactly
    # SET is mostly not a gene where NER corpora write it: only with a cue word or NER support.
    assert found(lexicon, "SET was measured") == []
    assert found(lexicon, "SET was measured", support=[(0, 3)]) != []
    assert found(lexicon, "MICE and IMPACT") == []


def test_names_written_with_greek_words_points_title_case_or_letter_first(lexicon: GeneLexicon) -> None:
    def symbols(text: str) -> list[str]:
        return [m.name for m in find_gene_mentions(lexicon, text)]

    # A Greek letter spelled out as a word of its own; a point before a number (ion channels, PU.1).
    assert symbols("HIF-1 alpha and IFN gamma") == ["HIF1A", "IFNG"]
    assert symbols("Kv1.3 and Nav1.5 currents") == ["KCNA3", "SCN5A"]
    assert symbols("see Figure 1.2 and Table 3.1, version 2.0") == []
    # Mouse-style symbols of four letters or more; a three-letter word or an English word still needs support.
    assert symbols("Nanog and Pten were expressed") == ["NANOG", "PTEN"]
    assert symbols("Set the value of Arg") == []
    # A cellular oncogene written in lower case, however short its name.
    assert symbols("c-src and c-mpl") == ["SRC", "MPL"]
    # HGNC's "selectin P" as text writes it; IL-12, a heterodimer, as the family of its two chains.
    assert symbols("P-selectin binds L-selectin") == ["SELP", "SELL"]
    (il12,) = find_gene_mentions(lexicon, "IL-12 was added")
    assert [lexicon.genes[lexicon.by_id[m]].symbol for m in il12.members] == ["IL12A", "IL12B"]


def test_prefixed_names_first_members_embryonic_days_and_ligands(lexicon: GeneLexicon) -> None:
    def mentions(text: str) -> list[tuple[str, str]]:
        return [(m.text, m.name) for m in find_gene_mentions(lexicon, text)]

    # A species, recombinant, phosphorylated or cellular prefix stays in the mention, out of the grounding.
    assert mentions("hGATA-3, mCD14, rhIL-2, pSTAT3 and cRel") == [
        ("hGATA-3", "GATA3"),
        ("mCD14", "CD14"),
        ("rhIL-2", "IL2"),
        ("pSTAT3", "STAT3"),
        ("cRel", "REL"),
    ]
    # Not where the rest is short or no gene by its spelling alone: antibodies, nucleotides, stem cells.
    assert mentions("the mAb bound cGMP in hMSC and mRNA") == []
    # An alias the gene had before its family grew and it took the number 1; the family itself stays one.
    assert mentions("Vav and CREB bind") == [("Vav", "VAV1"), ("CREB", "CREB1")]
    (akt,) = find_gene_mentions(lexicon, "AKT is active")
    assert akt.members
    # E12 is an embryonic day; no mouse reaches E47, the TCF3 protein.
    assert mentions("at E12 and E47") == [("E47", "TCF3")]
    assert mentions("FLT3 ligand binds FLT3") == [("FLT3 ligand", "FLT3LG"), ("FLT3", "FLT3")]


def test_ions_are_not_genes(lexicon: GeneLexicon) -> None:
    assert found(lexicon, "Ca2+ influx") == []


def test_shared_names_carry_ranked_candidates(lexicon: GeneLexicon) -> None:
    ranked = lookup_gene(lexicon, "p50")
    assert len(ranked) > 1
    assert [score for _id, score in ranked] == sorted((score for _id, score in ranked), reverse=True)
    (mention,) = find_gene_mentions(lexicon, "the p50 subunit")
    assert mention.candidates == tuple(ranked)


def test_approved_symbol_outranks_previous_symbol_and_alias(lexicon: GeneLexicon) -> None:
    # "IL2R" is IL2RA's previous symbol; "CD25" its alias; "IL2RA" the approved symbol.
    assert lookup_gene(lexicon, "IL2RA")[0] == (
        "HGNC:6008",
        pytest.approx(lookup_gene(lexicon, "IL2RA")[0][1]),
    )
    assert (
        lookup_gene(lexicon, "IL2RA")[0][1]
        > lookup_gene(lexicon, "IL2R")[0][1]
        > lookup_gene(lexicon, "CD25")[0][1]
    )


def test_context_gene_wins_ties(lexicon: GeneLexicon) -> None:
    ranked = lookup_gene(lexicon, "p50")
    tied = [i for i, score in ranked if round(score, 2) == round(ranked[0][1], 2)]
    assert len(tied) > 1
    other = next(lexicon.genes[lexicon.by_id[i]].symbol for i in tied if i != ranked[0][0])
    assert lexicon.genes[lexicon.by_id[lookup_gene(lexicon, "p50", context_gene=other)[0][0]]].symbol == other


def test_abbreviations_define_and_undefine_genes(lexicon: GeneLexicon) -> None:
    text = "chloramphenicol acetyltransferase (CATX) and T cell growth factor (TCGFX)"
    # TCGFX is no name: the long form makes it IL2.
    mentions = find_gene_mentions(lexicon, text)
    long_start = text.index("T cell")
    pairs = [((text.index("TCGFX"), text.index("TCGFX") + 5), (long_start, long_start + 20))]
    result = apply_abbreviations(lexicon, text, mentions, pairs)
    assert ("TCGFX", IL2) in [(m.text, m.id) for m in result]
    text = "DiGeorge syndrome (DGS) patients; DGS"
    mentions = find_gene_mentions(lexicon, text, support=[(19, 22), (34, 37)])
    assert mentions  # DGS is an alias of a gene
    pairs = [((19, 22), (0, 17)), ((34, 37), (0, 17))]
    assert apply_abbreviations(lexicon, text, mentions, pairs) == []
    # An approved symbol defined by a disease names no gene (OMD is osteomodulin); one defined by another
    # name of its gene stays.
    text = "occult macular dystrophy (OMD)"
    mentions = find_gene_mentions(lexicon, text, support=[(26, 29)])
    assert [m.text for m in mentions] == ["OMD"]
    assert apply_abbreviations(lexicon, text, mentions, [((26, 29), (0, 24))]) == []
    text = "heat shock protein 27 (HSPB1)"
    mentions = find_gene_mentions(lexicon, text)
    kept = apply_abbreviations(lexicon, text, mentions, [((23, 28), (0, 21))])
    assert [(m.text, m.id) for m in kept] == [("HSPB1", "HGNC:5246")]


def test_a_definition_listed_in_brackets_is_read(lexicon: GeneLexicon) -> None:
    # The detector reads no long form here ("(DGS; OMIM ...)"): the listed short form still takes it.
    text = "DiGeorge syndrome (DGS; OMIM 188400) patients; DGS"
    pairs = listed_abbreviations(text)
    assert [(text[s:e], text[ls:le]) for (s, e), (ls, le) in pairs] == [("DGS", "DiGeorge syndrome")] * 2
    assert listed_abbreviations(text, pairs) == []  # short forms the detector found are not repeated
    mentions = find_gene_mentions(lexicon, text, support=[(19, 22), (47, 50)])
    assert mentions
    assert apply_abbreviations(lexicon, text, mentions, []) == []
    assert listed_abbreviations("the kinase (pY; EC 2.7)") == []  # no long form spells it


def test_ground_span_strips_non_name_words(lexicon: GeneLexicon) -> None:
    text = "the human IL-2 gene"
    mention = ground_span(lexicon, text, 0, len(text))
    assert mention is not None and (mention.text, mention.id) == ("IL-2", IL2)


def test_component_writes_grounded_spans_and_splits_tokens(nlp: Language) -> None:
    doc = nlp("IFNA1 mediates inhibition of IL7- or IL2-induced T cell proliferation")
    genes = [(s.text, s.kb_id_, s._.name) for s in doc.spans[MENTIONS] if s.label_ == "gene"]
    assert genes == [("IFNA1", "HGNC:5417", "IFNA1"), ("IL7", "HGNC:6023", "IL7"), ("IL2", IL2, "IL2")]
    assert "induced" in [t.text for t in doc]  # "IL2-induced" was split at the mention's end


def test_component_uses_abbreviation_detector(nlp: Language) -> None:
    doc = nlp("Nuclear factor of activated T-cells (NFATC1)-dependent mechanisms")
    assert [(s.text, s.kb_id_) for s in doc.spans[MENTIONS] if s.label_ == "gene"][-1] == (
        "NFATC1",
        "HGNC:7775",
    )


def test_component_places_given_entities_and_nothing_else(nlp: Language) -> None:
    given = (GivenEntity(0, 4, "CD28", "gene", "940"),)
    doc = nlp(prepare_doc(nlp, Statement("s1", "CD28-responsive elements bind IL2RA", entities=given)))
    # Exactly the given entity, as given (split out of "CD28-responsive"); IL2RA is not added.
    placed = [(s.text, s.start_char, s.end_char, s.kb_id_) for s in doc.spans[MENTIONS]]
    assert placed == [("CD28", 0, 4, "940")]


def test_il2_page_genes_and_processes_found_on_their_lines(nlp: Language) -> None:
    lines = (EXAMPLES / "genatlas_IL2.txt").read_text(encoding="utf-8").splitlines()
    missing = []
    for row in map(json.loads, (EXAMPLES / "genatlas_IL2.gold.jsonl").read_text().splitlines()):
        if row["tier"] == "must_not":
            continue
        doc = nlp.make_doc(lines[row["line"] - 1])
        doc._.context_gene = "IL2"
        for _name, pipe in nlp.pipeline:
            doc = pipe(doc)
        names = {s._.name for s in doc.spans[MENTIONS] if s.label_ == "gene"}
        processes = {s.kb_id_ for s in doc.spans[MENTIONS] if s.label_ == "process"}
        for side in (row["subject"], row["object"]):
            if isinstance(side, list):
                if not processes & set(side):
                    missing.append((row["line"], side))
            elif side not in names and not (row.get("implicit") and side == "IL2"):
                missing.append((row["line"], side))
    assert missing == []


def test_a_split_keeps_later_mentions_on_their_words() -> None:
    """spaCy's retokenizer leaves span groups' token indices as they were on a split: a gene mention
    after a split word would cover the word before it ("that" for "DAPK3")."""
    import spacy
    from spacy.tokens import Span

    from generx.pipelines.annotations import MENTIONS
    from generx.pipelines.components import split_tokens_at

    doc = spacy.blank("en")("IL2 is overexpressed, and that DAPK3 binds IL2")
    doc.spans[MENTIONS] = [
        Span(doc, 0, 1, label="gene", kb_id="HGNC:6001"),
        Span(doc, 6, 7, label="gene", kb_id="HGNC:2676"),
    ]
    doc.spans[MENTIONS][1]._.name = "DAPK3"
    split_tokens_at(doc, {doc.text.index("expressed")})
    assert [span.text for span in doc.spans[MENTIONS]] == ["IL2", "DAPK3"]
    assert doc.spans[MENTIONS][1]._.name == "DAPK3" and doc.spans[MENTIONS][1].kb_id_ == "HGNC:2676"
