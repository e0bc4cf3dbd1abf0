"""Relation rules on hand-checked parses (Stanford basic dependencies), no trained model needed."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from generx.pipelines.annotations import MENTIONS
from generx.pipelines.relations import Argument, find_relations
from generx.pipelines.triggers import repair_misread_verbs
from tests.conftest import DATA

CASES = [
    json.loads(line) for line in (DATA / "relations" / "parsed_statements.jsonl").read_text().splitlines()
]
CONTEXT = Argument(
    {"text": "IL2", "start": None, "end": None, "type": "gene", "id": "HGNC:6001", "name": "IL2"}
)
VOCAB = spacy.blank("en").vocab


def build_doc(case: dict) -> Doc:
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
    for start, end, label, kb_id in case["mentions"]:
        span = doc[start:end]
        span = doc.char_span(span.start_char, span.end_char, label=label, kb_id=kb_id)
        # The fixtures write gene ids as HGNC:<symbol>, so a gene's name is the symbol, not its token text
        # ("IL2-induced" names IL2).
        span._.name = kb_id.split(":")[1] if label == "gene" else span.text
        spans.append(span)
    doc.spans[MENTIONS] = spans
    return doc


def found(doc: Doc) -> set[tuple]:
    return {
        (r.subject.record["name"], r.predicate, r.object.record["name"], r.negated, r.hedged, r.implicit)
        for r in find_relations(doc, context=CONTEXT)
    }


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:60] for c in CASES])
def test_construction(case: dict) -> None:
    assert found(build_doc(case)) == {tuple(e) for e in case["expected"]}


def test_record_has_offsets_trigger_and_evidence() -> None:
    case = next(c for c in CASES if c["text"].startswith("PRDM1 is a transcription repressor"))
    doc = build_doc(case)
    doc._.statement_id = "genatlas_IL2.txt:62"
    (relation,) = find_relations(doc)
    record = relation.to_record(doc)
    assert record["statement_id"] == "genatlas_IL2.txt:62"
    assert record["subject"]["text"] == "PRDM1" and record["subject"]["start"] == 0
    assert record["object"]["text"] == doc.text[record["object"]["start"] : record["object"]["end"]] == "IL2"
    assert record["trigger"]["text"] == "negatively regulate"
    assert record["evidence"]["text"] == doc.text
    assert 0 < record["confidence"] <= 1


def test_no_context_gene_no_implicit_relation() -> None:
    case = next(c for c in CASES if c["text"] == "required for T-cell proliferation")
    assert find_relations(build_doc(case)) == []


def test_gene_list_yields_nothing() -> None:
    words = "PDE5A 4q26 phosphodiesterase 5A MAD2L1 4q27 MAD2 PRDM5 4q27 TNIP3 4q27 TNFAIP3 protein".split()
    doc = Doc(
        VOCAB,
        words=words,
        tags=["NN"] * len(words),
        heads=[len(words) - 1] * len(words),
        deps=["nn"] * len(words),
    )
    doc[len(words) - 1].dep_ = "ROOT"
    genes = [0, 4, 7, 9, 11]
    spans = []
    for i in genes:
        span = doc.char_span(doc[i].idx, doc[i].idx + len(doc[i]), label="gene", kb_id=f"HGNC:{i}")
        spans.append(span)
    doc.spans[MENTIONS] = spans
    assert find_relations(doc) == []


@pytest.mark.model
def test_a_walk_that_climbs_the_tree_ends(nlp: Language) -> None:
    """A theme walk may go up to an ancestor ("functions such as ..."): it must end, not recurse forever."""
    from generx.pipelines.extract import extract
    from generx.pipelines.statements import Statement

    text = (
        "WW domain-containing proteins play an important role in the regulation of a wide variety of "
        "cellular functions such as protein degradation, transcription, and RNA splicing."
    )
    (result,) = extract(nlp, [Statement("walk", text, "WWP1")])
    assert result.error is None


def test_a_trigger_verb_tagged_as_a_plural_noun_is_read_as_the_verb() -> None:
    # As generx_bio_sm parses it: "SOCS3 dampens" taken for a noun compound; "The IL2 results" is one.
    misread = {
        "words": ["SOCS3", "dampens", "JAK2", "signaling", "."],
        "spaces": [True, True, True, False, False],
        "tags": ["NN", "NNS", "NN", "NN", "."],
        "lemmas": ["SOCS3", "dampen", "JAK2", "signaling", "."],
        "heads": [1, 1, 3, 1, 1],
        "deps": ["nn", "ROOT", "nn", "dobj", "punct"],
        "mentions": [[0, 1, "gene", "HGNC:SOCS3"], [2, 3, "gene", "HGNC:JAK2"]],
    }
    noun = {
        "words": ["The", "IL2", "results", "."],
        "spaces": [True, True, False, False],
        "tags": ["DT", "NN", "NNS", "."],
        "lemmas": ["the", "IL2", "result", "."],
        "heads": [2, 2, 2, 2],
        "deps": ["det", "nn", "ROOT", "punct"],
        "mentions": [[1, 2, "gene", "HGNC:IL2"]],
    }
    doc, kept = build_doc(misread), build_doc(noun)
    assert found(doc) == set()
    repair_misread_verbs(doc)
    repair_misread_verbs(kept)
    assert (doc[1].tag_, doc[0].dep_) == ("VBZ", "nsubj")
    assert found(doc) == {("SOCS3", "negatively_regulates", "JAK2", False, False, False)}
    assert [t.tag_ for t in kept] == noun["tags"] and [t.dep_ for t in kept] == noun["deps"]


def test_a_misread_verb_after_a_gene_and_its_deficiency_takes_the_deficiency_as_subject() -> None:
    # As generx_bio_sm parses it: both "STAT3" and "deficiency" hang on "dampens", taken for a noun.
    misread = {
        "words": ["STAT3", "deficiency", "dampens", "IL17A", "expression", "."],
        "spaces": [True, True, True, True, False, False],
        "tags": ["NN", "NN", "NNS", "NN", "NN", "."],
        "lemmas": ["STAT3", "deficiency", "dampen", "IL17A", "expression", "."],
        "heads": [2, 2, 2, 4, 2, 2],
        "deps": ["nn", "nn", "ROOT", "nn", "dobj", "punct"],
        "mentions": [[0, 1, "gene", "HGNC:STAT3"], [3, 4, "gene", "HGNC:IL17A"]],
    }
    doc = build_doc(misread)
    assert found(doc) == set()
    repair_misread_verbs(doc)
    assert (doc[2].tag_, doc[1].dep_, doc[0].head.i) == ("VBZ", "nsubj", 1)
    # a deficiency of STAT3 lowers IL17A: STAT3 raises it
    assert found(doc) == {("STAT3", "positively_regulates", "IL17A", False, False, False)}


def test_a_noun_the_parse_gives_a_subject_and_an_infinitive_is_read_as_a_verb() -> None:
    # As generx_bio_sm parses it: "functions" tagged as a plural noun, with a subject and an infinitive.
    misread = {
        "words": ["LEMD3", "functions", "to", "antagonize", "SMAD3", "."],
        "spaces": [True, True, True, True, False, False],
        "tags": ["NN", "NNS", "TO", "VB", "NN", "."],
        "lemmas": ["LEMD3", "function", "to", "antagonize", "SMAD3", "."],
        "heads": [1, 1, 3, 1, 3, 1],
        "deps": ["nsubj", "ROOT", "aux", "xcomp", "dobj", "punct"],
        "mentions": [[0, 1, "gene", "HGNC:LEMD3"], [4, 5, "gene", "HGNC:SMAD3"]],
    }
    doc = build_doc(misread)
    assert found(doc) == set()
    repair_misread_verbs(doc)
    assert doc[1].tag_ == "VBZ"
    assert found(doc) == {("LEMD3", "negatively_regulates", "SMAD3", False, False, False)}


def test_family_glossed_with_its_members_names_them() -> None:
    """ "NF-kappa B (NFKB1/RELA)": the members a family's name is glossed with are the argument."""
    case = next(c for c in CASES if c["text"].startswith("Activation of CD40 induces nuclear translocation"))
    doc = build_doc(case)
    family = next(span for span in doc.spans[MENTIONS] if span.text == "NF-kappa B")
    family._.members = ["HGNC:7794", "HGNC:9955"]
    assert found(doc) == {
        ("CD40", "positively_regulates", gene, False, False, False) for gene in ("NFKB1", "RELA")
    }
