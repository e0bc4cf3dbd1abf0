"""The context gene's own words ("this gene", "the encoded protein", "it") on hand-checked parses.

The parses in tests/data/context/parsed_summaries.jsonl come from generx_bio_sm and were checked by hand;
no trained model is loaded here except by the test marked ``model``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from generx.pipelines.annotations import GENE, MENTIONS
from generx.pipelines.context import CONTEXT, find_references, is_class_noun, resolved_mentions
from generx.pipelines.extract import extract
from generx.pipelines.records import doc_to_records
from generx.pipelines.relations import Argument, find_relations
from generx.pipelines.statements import Statement
from tests.conftest import DATA

CASES = [
    json.loads(line)
    for line in (DATA / "context" / "parsed_summaries.jsonl").read_text().splitlines()
    if line.strip()
]
VOCAB = spacy.blank("en").vocab


def build_doc(case: dict[str, Any]) -> Doc:
    doc = Doc(
        VOCAB,
        words=case["words"],
        spaces=case["spaces"],
        tags=case["tags"],
        lemmas=case["lemmas"],
        heads=case["heads"],
        deps=case["deps"],
    )
    spans = []
    for start, end, label, kb_id, name in case["mentions"]:
        span = doc[start:end]
        span.label_, span.kb_id_ = label, kb_id
        span._.name = name
        spans.append(span)
    doc.spans[MENTIONS] = spans
    doc._.context_gene = case["context"]
    return doc


def resolve(case: dict[str, Any]) -> Doc:
    """What the generx_context_v1 component does, without the lexicon that grounds the context gene."""
    doc = build_doc(case)
    mentions = list(doc.spans[MENTIONS])
    genes = [s for s in mentions if s.label_ == GENE]
    references = find_references(doc, genes, case["context_id"])
    doc.spans[MENTIONS] = resolved_mentions(doc, mentions, references, case["context_id"], case["context"])
    return doc


def context_argument(case: dict[str, Any]) -> Argument:
    record = {"text": case["context"], "start": None, "end": None, "type": "gene"}
    return Argument({**record, "id": case["context_id"], "name": case["context"]})


@pytest.mark.parametrize("case", CASES, ids=[c["context"] for c in CASES])
def test_references_of_the_context_gene(case: dict[str, Any]) -> None:
    doc = resolve(case)
    resolved = [s.text for s in doc.spans[MENTIONS] if s._.resolved == CONTEXT]
    assert resolved == case["references"]


@pytest.mark.parametrize("case", CASES, ids=[c["context"] for c in CASES])
def test_relations_through_references(case: dict[str, Any]) -> None:
    doc = resolve(case)
    relations = find_relations(doc, context=context_argument(case))
    found = {(r.subject.record["name"], r.predicate, r.object.record["name"]) for r in relations}
    context_relations = {t for t in found if case["context"] in (t[0], t[2])}
    assert context_relations == {tuple(e) for e in case["expected"]}


def test_record_keeps_the_anaphor_and_says_how_it_was_resolved() -> None:
    case = next(c for c in CASES if c["context"] == "MAP2K1")
    doc = resolve(case)
    doc._.relations = find_relations(doc, context=context_argument(case))
    record = next(r for r in doc_to_records(doc) if r["object"]["name"] == "MAPK1")
    subject = record["subject"]
    assert subject["resolved"] == "context"
    assert (subject["id"], subject["name"]) == ("HGNC:6840", "MAP2K1")
    # "This gene encodes a kinase that phosphorylates MAPK1": the kinase is the subject
    assert doc.text[subject["start"] : subject["end"]] == subject["text"] == "a kinase"
    assert "resolved" not in record["object"]
    assert record["implicit"] is False


def test_without_a_context_gene_nothing_is_resolved() -> None:
    case = next(c for c in CASES if c["context"] == "MAP2K1")
    doc = build_doc(case)
    genes = [s for s in doc.spans[MENTIONS] if s.label_ == GENE]
    assert find_references(doc, genes, "HGNC:6840")  # the same text with a context gene has some
    doc._.context_gene = None
    assert not any(s._.resolved for s in doc.spans[MENTIONS])


def test_an_ambiguous_name_is_read_as_the_context_gene() -> None:
    case = next(c for c in CASES if c["context"] == "HRAS")
    doc = build_doc(case)
    tp53 = next(s for s in doc.spans[MENTIONS] if s.text == "TP53")
    tp53._.candidates = [("HGNC:11998", 1.0), ("HGNC:5173", 0.5)]  # as if TP53 were also an alias of HRAS
    genes = [s for s in doc.spans[MENTIONS] if s.label_ == GENE]
    references = find_references(doc, genes, "HGNC:5173")
    spans = resolved_mentions(doc, list(doc.spans[MENTIONS]), references, "HGNC:5173", "HRAS")
    named = next(s for s in spans if s.text == "TP53")
    assert (named.kb_id_, named._.name, named._.resolved) == ("HGNC:5173", "HRAS", CONTEXT)


def test_class_nouns() -> None:
    assert all(is_class_noun(w) for w in ("kinase", "dehydrogenase", "receptor", "protein", "enzyme"))
    assert not any(is_class_noun(w) for w in ("disease", "increase", "release", "family", "gene-family"))


@pytest.mark.model
def test_pipeline_resolves_only_with_a_context_gene(nlp: Language) -> None:
    text = "This gene encodes a protein kinase. The encoded protein is required for cell proliferation."
    with_gene, without = extract(nlp, [Statement("s:1", text, "MAP2K1"), Statement("s:2", text)])
    subjects = [r["subject"] for r in with_gene.relations]
    assert subjects and all(s["resolved"] == "context" and s["id"] == "HGNC:6840" for s in subjects)
    assert not any(m.get("resolved") for m in without.mentions)
    assert not any(r["subject"].get("resolved") for r in without.relations)


# Function text about the context gene, written for these tests: (statement, the relations of the
# context gene expected as (subject text, predicate, GO term name)).
FUNCTION_TEXT = [
    ("This gene encodes a DNA repair protein.", {("a DNA repair protein", "involved_in", "DNA repair")}),
    (
        "The encoded protein is a glycolytic enzyme.",
        {("The encoded protein", "involved_in", "glycolytic process")},
    ),
    (
        "The encoded protein is the rate-limiting enzyme in cholesterol biosynthesis.",
        {("The encoded protein", "involved_in", "cholesterol biosynthetic process")},
    ),
    (
        # processes that CRAFT seldom annotates are read where a relation takes them
        "This gene is involved in signal transduction and cell adhesion.",
        {("This gene", "involved_in", "signal transduction"), ("This gene", "involved_in", "cell adhesion")},
    ),
    (
        # a phrase in the object of "encodes" that the lexicon reads as another gene's alias
        "This gene encodes a transmembrane glycoprotein that is required for cell proliferation.",
        {("transmembrane glycoprotein", "positively_regulates", "cell population proliferation")},
    ),
    # a factor or regulator of a process acts on it, with the sign its noun gives
    (
        "This gene encodes a transcription factor.",
        {("a transcription factor", "regulates", "transcription, DNA-templated")},
    ),
    (
        "The encoded protein is a transcriptional repressor.",
        {("The encoded protein", "negatively_regulates", "transcription, DNA-templated")},
    ),
    # what the gene encodes, through coordination, and what a non-coding gene produces
    (
        "This gene is a proto-oncogene and encodes a nuclear phosphoprotein that plays a role in apoptosis.",
        {("a nuclear phosphoprotein", "involved_in", "apoptotic process")},
    ),
    (
        "This gene encodes a member of the patched family and a component of the hedgehog signaling pathway.",
        {("a component", "involved_in", "smoothened signaling pathway")},
    ),
    (
        "This gene produces long non-coding RNAs that act as regulators of cell proliferation.",
        {("long non-coding RNAs", "regulates", "cell population proliferation")},
    ),
    (
        "The encoded protein catalyzes the final step in the pathway for the biosynthesis of cholesterol.",
        {("The encoded protein", "involved_in", "cholesterol biosynthetic process")},
    ),
    (
        "The encoded protein contributes to the regulation of angiogenesis.",
        {("The encoded protein", "involved_in", "regulation of angiogenesis")},
    ),
    # "functions" read by the parser as the head of the subject's noun phrase
    ("The encoded protein functions in DNA repair.", {("The encoded protein", "involved_in", "DNA repair")}),
    (
        "The encoded protein is active in vitamin C transport.",
        {("The encoded protein", "involved_in", "L-ascorbic acid transmembrane transport")},
    ),
    # proteins named by their process are products, not the process
    (
        "The encoded protein regulates the expression of contractile proteins.",
        {("The encoded protein", "regulates", "gene expression")},
    ),
    # a process of cells is the process; a time or place of an event is not its theme
    (
        "The encoded protein may play a role in pigmentation of melanocytes.",
        {("The encoded protein", "involved_in", "pigmentation")},
    ),
    (
        "The encoded protein is involved in the induction of actin polymerization in late embryogenesis.",
        {("The encoded protein", "positively_regulates", "actin filament polymerization")},
    ),
    (
        "The encoded protein's functions include cell adhesion and cell migration.",
        {
            ("The encoded protein", "involved_in", "cell adhesion"),
            ("The encoded protein", "involved_in", "cell migration"),
        },
    ),
    # each conjunct of an elliptic coordination
    (
        "The encoded protein is involved in peripheral and central nervous system development.",
        {
            ("The encoded protein", "involved_in", "peripheral nervous system development"),
            ("The encoded protein", "involved_in", "central nervous system development"),
        },
    ),
    # what a family of proteins does, its member does
    (
        "The encoded protein is a member of a family of proteins that negatively regulate cell "
        "proliferation.",
        {("The encoded protein", "negatively_regulates", "cell population proliferation")},
    ),
    # a process named with "process", an ion by its formula, an adjective as its noun
    (
        "The encoded protein plays a role in the cell adhesion process.",
        {("The encoded protein", "involved_in", "cell adhesion")},
    ),
    (
        "The encoded protein increases Ca2+ transport.",
        {("The encoded protein", "positively_regulates", "calcium ion transport")},
    ),
    (
        "The encoded protein plays a role in neuronal development.",
        {("The encoded protein", "involved_in", "neuron development")},
    ),
    # the pathway a family names is the object, not the family; transcription factors are products; a
    # time around a process is not the process
    (
        "The encoded protein is a negative regulator of the Wnt signaling pathway.",
        {("The encoded protein", "negatively_regulates", "Wnt signaling pathway")},
    ),
    ("The encoded protein phosphorylates homeodomain transcription factors.", set()),
    # a raising verb's subject, through a coordinated participle; the progression of a process is the process
    (
        "This protein is thought to be localized in the mitochondria and involved in mitochondrial "
        "translation.",
        {("This protein", "involved_in", "mitochondrial translation")},
    ),
    (
        "The encoded protein promotes cell cycle progression.",
        {("The encoded protein", "positively_regulates", "cell cycle")},
    ),
    (
        "The encoded protein functions in postnatal development.",
        {("The encoded protein", "involved_in", "developmental process")},
    ),
    # another organism's protein or a look-alike is not the gene
    ("Studies show that the similar protein in pig promotes cell differentiation.", set()),
    ("The yeast recombination protein is required for meiosis.", set()),
    ("The encoded protein takes part in many biological processes.", set()),  # GO's root says nothing
    ("Overexpression of this gene increases tumor growth.", set()),  # a tumour's growth is no process
    ("This secreted protein binds heparin.", set()),  # "secreted" says where, not what it takes part in
    ("This gene encodes a multi-domain secreted protein.", set()),  # ... also tagged as an adjective
    # taking part in a regulation is no regulation of the regulation
    (
        "The encoded protein is involved in cellular processes including proliferation and transcription "
        "regulation.",
        {
            ("The encoded protein", "involved_in", "cell population proliferation"),
            ("The encoded protein", "involved_in", "regulation of transcription, DNA-templated"),
        },
    ),
    # what inhibiting the gene does says the gene's role the other way round, as a knockdown does
    (
        "Inhibitors of the encoded protein induce apoptosis.",
        {("the encoded protein", "negatively_regulates", "apoptotic process")},
    ),
    (
        "The encoded protein plays a regulatory role in apoptosis.",
        {("The encoded protein", "regulates", "apoptotic process")},
    ),
    ("This gene exhibits elevated expression levels in cancers.", set()),  # its own expression
    # what a complex does, its subunits do
    (
        "The encoded protein is a component of a complex involved in pre-mRNA splicing.",
        {("The encoded protein", "involved_in", "RNA splicing, via transesterification reactions")},
    ),
    # an event that is a step of a process
    (
        "The encoded protein catalyzes the conversion of homocysteine to cystathionine, the first step in "
        "the transsulfuration pathway.",
        {("The encoded protein", "involved_in", "transsulfuration")},
    ),
    # a pronoun before any subject of the statement stands for the statement's gene; an expletive does not
    ("It promotes cell proliferation.", {("It", "positively_regulates", "cell population proliferation")}),
    ("In neurons, it inhibits apoptosis.", {("it", "negatively_regulates", "apoptotic process")}),
    (
        "Its expression is required for cell migration.",
        {("Its", "positively_regulates", "cell migration")},
    ),
    ("It is known that apoptosis requires caspases.", set()),
    # GO's assembly of a structure, written as its formation
    (
        "The encoded protein is required for spindle formation.",
        {("The encoded protein", "positively_regulates", "spindle assembly")},
    ),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), FUNCTION_TEXT, ids=[t for t, _ in FUNCTION_TEXT])
def test_function_text_of_the_context_gene(
    nlp: Language, text: str, expected: set[tuple[str, str, str]]
) -> None:
    (result,) = extract(nlp, [Statement("s:1", text, "MAP2K1")])
    found = {
        (r["subject"]["text"], r["predicate"], r["object"]["name"])
        for r in result.relations
        if r["subject"]["id"] == "HGNC:6840" and r["object"]["type"] == "process"
    }
    assert found == expected
    assert all(r["subject"]["resolved"] == "context" for r in result.relations)
    # a family named inside a pathway's name is no partner of the gene
    assert not any(r["object"].get("members") for r in result.relations)
    # a process a relation takes is a mention of the statement
    names = {m["name"] for m in result.mentions if m["type"] == "process"}
    assert {name for _s, _p, name in expected} <= names


@pytest.mark.model
def test_a_class_said_of_the_gene_is_the_gene(nlp: Language) -> None:
    # "an interleukin 2 receptor" would be the IL2R family; said of IL2RB's product, it is IL2RB
    text = "The encoded protein is an interleukin 2 receptor that promotes T cell proliferation."
    (result,) = extract(nlp, [Statement("s:1", text, "IL2RB")])
    found = {(r["subject"]["id"], r["predicate"], r["object"]["name"]) for r in result.relations}
    assert ("HGNC:6009", "positively_regulates", "T cell proliferation") in found
    assert all(r["subject"]["id"] == "HGNC:6009" for r in result.relations)


# What a summary says of the gene's class (written for these tests): (context gene, statement, the GO
# term names the context gene is related to).
CLASS_TEXT = [
    (
        "MIR21",
        "microRNAs are short RNAs that are involved in regulation of gene expression.",
        {"regulation of gene expression"},
    ),
    (
        "OR2A4",
        "Olfactory receptors are involved in sensory perception of smell.",
        {"sensory perception of smell"},
    ),
    (
        "OR2A4",
        "The olfactory receptor proteins are involved in sensory perception of smell.",
        {"sensory perception of smell"},
    ),
    ("MRPL3", "Mitochondrial ribosomal proteins help in protein synthesis.", {"translation"}),
    ("ACTB", "Actins are involved in cell motility.", {"cell motility"}),  # "actin beta": a Greek letter
    # a class word no other product is named by is the class with "the" too; a kind of enzyme is not
    (
        "KRT13",
        "The keratins are involved in epithelial cell differentiation.",
        {"epithelial cell differentiation"},
    ),
    ("MAPK3", "The kinases are involved in cell adhesion.", set()),
    (
        "MAP2K1",
        "This gene encodes a member of the MAP kinase kinase family. "
        "Members of this family are involved in cell adhesion.",
        {"cell adhesion"},
    ),
    ("MAP2K1", "Members of this family are involved in cell adhesion.", set()),  # which family?
    # right after the family, "these kinases" and "they" are its members
    (
        "MAP2K1",
        "This gene encodes a member of the MAP kinase kinase family. "
        "These kinases are involved in cell adhesion.",
        {"cell adhesion"},
    ),
    (
        "MAP2K1",
        "This gene encodes a member of the MAP kinase kinase family. They are involved in cell adhesion.",
        {"cell adhesion"},
    ),
    (
        "MAP2K1",
        "This gene encodes a member of the MAP kinase kinase family. The encoded protein is located in the "
        "cytoplasm. These kinases are involved in cell adhesion.",
        set(),
    ),
    # right after the family, its members named by the family's name
    (
        "FOXP4",
        "This gene belongs to the forkhead box transcription factor family. "
        "Forkhead box transcription factors play roles in cell differentiation.",
        {"cell differentiation"},
    ),
    (
        "FOXP4",
        "This gene belongs to the forkhead box transcription factor family. The encoded protein is nuclear. "
        "Forkhead box transcription factors play roles in cell differentiation.",
        set(),
    ),
    # a response the class initiates, and what that response triggers
    (
        "OR2A4",
        "Olfactory receptors interact with odorant molecules in the nose, to initiate a neuronal response "
        "that triggers the perception of a smell.",
        {"sensory perception of smell"},
    ),
    # a subject names its class; "olfactory" there says no smell is perceived
    (
        "OR2A4",
        "The olfactory receptor proteins are members of a large family of G-protein-coupled receptors.",
        set(),
    ),
    # a family's plural named with digits right after the family; a class whose members are subunits
    (
        "S100A3",
        "The protein encoded by this gene is a member of the S100 family of proteins. S100 proteins are "
        "involved in cell differentiation.",
        {"cell differentiation"},
    ),
    ("ITGB4", "Integrins mediate cell-cell adhesion.", {"cell-cell adhesion"}),
    # what a class does among many is not what each member does
    (
        "S100A3",
        "The protein encoded by this gene is a member of the S100 family of proteins. S100 proteins are "
        "involved in a variety of processes, including cell differentiation.",
        set(),
    ),
    # a receptor of chemokines is no chemokine
    ("CCR9", "Chemokines are involved in thymocyte migration.", set()),
    # a pseudogene does what its class does not
    ("OR1AA1P", "Olfactory receptors are involved in sensory perception of smell.", set()),
    # "proteins" alone places no gene in a class; "these" receptors are others
    ("OR2A4", "Proteins are involved in sensory perception of smell.", set()),
    ("OR2A4", "These olfactory receptors are involved in sensory perception of smell.", set()),
]


@pytest.mark.model
@pytest.mark.parametrize(
    ("gene", "text", "expected"), CLASS_TEXT, ids=[f"{g}: {t}" for g, t, _ in CLASS_TEXT]
)
def test_statements_of_the_genes_class(nlp: Language, gene: str, text: str, expected: set[str]) -> None:
    (result,) = extract(nlp, [Statement("s:1", text, gene)])
    # the processes (what it says of a function or component: tests/pipelines/test_functions.py)
    own = [r for r in result.relations if r["subject"]["name"] == gene and r["object"]["type"] == "process"]
    assert {r["object"]["name"] for r in own} == expected
    # the record says the gene was read through its class
    assert all(r["subject"]["resolved"] == "class" for r in own)


@pytest.mark.model
@pytest.mark.parametrize(
    ("gene", "text", "predicate"),
    [
        (
            "OR2A4",
            "Olfactory receptors interact with odorant molecules in the nose, to initiate a neuronal "
            "response that triggers the perception of a smell.",
            "involved_in",
        ),
        (
            "GPR25",
            "G-protein coupled receptors are membrane proteins which activate signaling cascades.",
            "involved_in",
        ),
        # a kinase that activates signalling regulates it
        ("MAP2K1", "This kinase activates signal transduction.", "positively_regulates"),
    ],
)
def test_a_receptor_takes_part_in_the_signalling_it_starts(
    nlp: Language, gene: str, text: str, predicate: str
) -> None:
    (result,) = extract(nlp, [Statement("s:1", text, gene)])
    own = [r for r in result.relations if r["subject"]["name"] == gene and r["object"]["type"] == "process"]
    assert own
    assert {r["predicate"] for r in own} == {predicate}


@pytest.mark.model
def test_an_appositive_that_describes_the_gene_leaves_it_the_context_gene(nlp: Language) -> None:
    text = "This protein, a downstream effector of RHOA, phosphorylates and activates LIMK1."
    (result,) = extract(nlp, [Statement("s:1", text, "ROCK1")])
    found = {(r["subject"]["name"], r["predicate"], r["object"]["name"]) for r in result.relations}
    assert ("ROCK1", "positively_regulates", "LIMK1") in found
    # an appositive that is a gene's name makes the noun that gene
    (result,) = extract(nlp, [Statement("s:2", "This protein, BRCA1, binds TP53.", "ROCK1")])
    assert {(r["subject"]["name"], r["object"]["name"]) for r in result.relations} == {("BRCA1", "TP53")}
