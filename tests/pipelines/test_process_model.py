"""The gene–process part of the relation model on hand-built parses, with hand-set weights."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from generx.models import models_dir
from generx.pipelines.annotations import MENTIONS, register_extensions
from generx.pipelines.process_model import (
    ProcessModel,
    ProcessModelError,
    process_pairs,
    process_relations,
)
from generx.pipelines.records import mention_record
from generx.pipelines.relation_model import Calibration
from generx.pipelines.relations import Argument, Relation

VOCAB = spacy.blank("en").vocab
GENE_ID, TERM = "HGNC:1", "GO:0060271"


def statement(verb: str, lemma: str) -> Doc:
    """ "This gene <verb> ciliogenesis ." with "This gene" a reference to the context gene."""
    register_extensions()
    doc = Doc(
        VOCAB,
        words=["This", "gene", verb, "ciliogenesis", "."],
        tags=["DT", "NN", "VBZ", "NN", "."],
        lemmas=["this", "gene", lemma, "ciliogenesis", "."],
        heads=[1, 2, 2, 2, 2],
        deps=["det", "nsubj", "ROOT", "dobj", "punct"],
    )
    gene = Span(doc, 0, 2, label="gene", kb_id=GENE_ID)
    gene._.resolved = "context"
    doc.spans[MENTIONS] = [gene, Span(doc, 3, 4, label="process", kb_id=TERM)]
    return doc


def trusting(bias: float, threshold: float = 0.5) -> ProcessModel:
    return ProcessModel({"bias": bias}, Calibration((), ()), threshold, frozenset())


def test_the_context_gene_and_each_process_of_its_sentences_are_a_candidate() -> None:
    (unit,) = process_pairs(statement("promotes", "promote"), [], GENE_ID, frozenset())
    assert (unit.gene.text, unit.process.text) == ("This gene", "ciliogenesis")
    assert {"pw=promote", "gp:pw=promote", "gene_as=context", "rule=none"} <= unit.features
    # Another gene's statement, or a term too generic to be told from the text, gives no candidate.
    assert process_pairs(statement("promotes", "promote"), [], "HGNC:2", frozenset()) == []
    assert process_pairs(statement("promotes", "promote"), [], GENE_ID, frozenset({TERM})) == []


@pytest.mark.parametrize(
    ("verb", "lemma", "predicate"),
    [("promotes", "promote", "positively_regulates"), ("inhibits", "inhibit", "negatively_regulates")],
)
def test_the_model_adds_a_pair_no_rule_reads_signed_by_its_trigger(
    verb: str, lemma: str, predicate: str
) -> None:
    doc = statement(verb, lemma)
    (relation,) = process_relations(doc, [], trusting(3.0), GENE_ID)
    record = relation.to_record(doc)
    assert (record["subject"]["id"], record["predicate"], record["object"]["id"]) == (
        GENE_ID,
        predicate,
        TERM,
    )
    assert record["trigger"]["text"] == verb and relation.construction == "model"
    assert not record["negated"] and record["confidence"] >= 0.5


def test_a_sentence_longer_than_any_written_is_left_to_the_rules() -> None:
    register_extensions()
    words = ["This", "gene", *["promotes"] * 300, "ciliogenesis"]
    doc = Doc(VOCAB, words=words, heads=[0] * len(words), deps=["ROOT", *["dep"] * (len(words) - 1)])
    doc.spans[MENTIONS] = [
        Span(doc, 0, 2, label="gene", kb_id=GENE_ID),
        Span(doc, len(words) - 1, len(words), label="process", kb_id=TERM),
    ]
    assert process_pairs(doc, [], GENE_ID, frozenset()) == []


def test_min_confidence_and_the_threshold_hold_back_a_pair() -> None:
    doc = statement("promotes", "promote")
    assert process_relations(doc, [], trusting(-3.0), GENE_ID) == []
    assert process_relations(doc, [], trusting(3.0), GENE_ID, min_confidence=0.99) == []
    assert process_relations(doc, [], trusting(-3.0), GENE_ID, min_confidence=0.01)


def test_a_pair_a_rule_reads_stays_the_rules() -> None:
    doc = statement("promotes", "promote")
    gene, process = doc.spans[MENTIONS]
    rule = Relation(
        Argument(mention_record(gene), gene),
        "positively_regulates",
        Argument(mention_record(process), process),
        trigger=(doc[2].idx, doc[2].idx + len(doc[2])),
        evidence=doc[0:5],
        confidence=0.9,
    )
    (unit,) = process_pairs(doc, [rule], GENE_ID, frozenset())
    assert {"rule=positively_regulates", "rule_c=positively_regulates/verb"} <= unit.features
    assert process_relations(doc, [rule], trusting(3.0), GENE_ID) == []


def test_model_round_trip_and_a_bad_file(tmp_path: Path) -> None:
    model = ProcessModel({"bias": 1.0}, Calibration((0.1, 0.9), (0.2, 0.8)), 0.7, frozenset({"GO:0065007"}))
    model.to_disk(tmp_path / "m.json.gz")
    assert ProcessModel.from_disk(tmp_path / "m.json.gz") == model
    (tmp_path / "bad.json.gz").write_text("not gzip")
    with pytest.raises(ProcessModelError, match="not a gene-process model"):
        ProcessModel.from_disk(tmp_path / "bad.json.gz")


def test_the_shipped_part_leaves_out_the_generic_terms() -> None:
    """ "biological regulation" and "gene expression" are supported for nearly every gene whatever the text
    says: the shipped part takes neither as a candidate."""
    model = ProcessModel.from_disk(models_dir() / "relation_model" / "process_model.json.gz")
    assert {"GO:0065007", "GO:0010467"} <= model.generic
    assert 0 < model.threshold < 1
