"""BioRED-style gold in PubTator and BioC XML: document-level gene–gene relations between concept ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generx.evaluation import read_gold, score_results
from generx.evaluation.scoring import PRF
from generx.pipelines.extract import StatementResult
from tests.conftest import DATA

GOLD = DATA / "gold"


def arg(text: str, ident: str, kind: str = "gene", name: str | None = None) -> dict[str, Any]:
    return {"text": text, "start": 0, "end": len(text), "type": kind, "id": ident, "name": name or text}


def record(subject: dict[str, Any], predicate: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {"subject": subject, "predicate": predicate, "object": obj, "negated": False, "hedged": False}


def gold_of(path: Path) -> set[tuple[str, str, str, str | None, str]]:
    corpus = read_gold(path)
    return {(r.unit, r.subject.key, r.object.key, r.sign, r.source_type) for r in corpus.relations}


def test_pubtator_with_crlf_and_bioc_give_the_same_gold() -> None:
    expected = {
        ("2001", "3558", "3662", "+", "Positive_Correlation"),
        ("2001", "3558", "639", "-", "Negative_Correlation"),
        ("2003", "4193", "7157", "0", "Association"),  # BioC relation written with <node>s
    }
    assert gold_of(GOLD / "biored_small.pubtator") == expected
    assert gold_of(GOLD / "biored_small.bioc.xml") == expected


def test_only_gene_gene_relations_are_kept_and_empty_documents_are_read() -> None:
    corpus = read_gold(GOLD / "biored_small.pubtator")
    assert corpus.format == "pubtator"
    assert corpus.ignored == {"chemicalentity-gene relation": 1}
    assert [s.id for s in corpus.statements] == ["2001", "2002", "2003"]
    assert corpus.statements[1].entities == ()
    assert all(not r.directed for r in corpus.relations)


def test_given_entities_document_level_with_multi_concept_ids() -> None:
    corpus = read_gold(GOLD / "biored_small.pubtator")
    doc = corpus.statements[0]
    results = [
        StatementResult(
            doc,
            relations=[
                record(arg("IRF4", "3662"), "positively_regulates", arg("IL2", "3558")),
                # the annotation "639,12142" relates both concepts: 639 -| 3558 is gold, 12142 -| 3558 not
                record(arg("PRDM1", "639,12142"), "negatively_regulates", arg("IL2", "3558")),
                record(arg("aspirin", "D001241", "chemicalentity"), "binds", arg("IRF4", "3662")),
            ],
        ),
        StatementResult(corpus.statements[1]),
        StatementResult(corpus.statements[2], error="InvalidStatement: boom"),
    ]
    report = score_results(corpus, results, mode="given-entities")
    assert report.scores.levels["signed"] == PRF(2, 1, 1)
    assert report.counts["failed statements"] == 1
    assert any("chemicalentity-gene" in note for note in report.notes)


def test_end_to_end_grounded_ids_are_matched_through_ncbi_gene() -> None:
    corpus = read_gold(GOLD / "biored_small.pubtator")
    relations = [record(arg("TP53", "HGNC:11998"), "associated_with", arg("MDM2", "HGNC:6973"))]
    results = [StatementResult(corpus.statements[2], relations=relations)]
    entrez = {"HGNC:11998": "7157", "HGNC:6973": "4193"}
    report = score_results(corpus, results, mode="end-to-end", entrez=entrez)
    assert report.scores.levels["signed"] == PRF(1, 0, 2)


def test_a_multi_id_mention_pair_counts_every_id_pair_as_biored_does() -> None:
    corpus = read_gold(GOLD / "biored_multi_id.pubtator")
    doc = corpus.statements[0]
    # "Il2" (human 3558, mouse 16183) induces "Ifng" (human 3458, mouse 15978): four gold id pairs
    relations = [record(arg("Il2", "3558,16183"), "positively_regulates", arg("Ifng", "3458,15978"))]
    report = score_results(corpus, [StatementResult(doc, relations=relations)], mode="given-entities")
    assert report.scores.levels["pair"] == PRF(4, 0, 1)  # TP53 binds MDM2 (document 3002) is missed
    assert report.counts["predicted relations"] == 4


def test_the_report_names_a_document_holding_more_than_a_fifth_of_the_gold() -> None:
    corpus = read_gold(GOLD / "biored_multi_id.pubtator")
    report = score_results(corpus, [], mode="given-entities")
    assert any("3001, holds 4 of the 5 gold relations (80%)" in note for note in report.notes)


def test_go_annotations_and_family_membership_are_named_not_scored() -> None:
    """No gold here judges a gene's GO function or its gene family: such predictions are left out of the
    scores and named in the notes, not counted as false positives."""
    corpus = read_gold(GOLD / "biored_small.pubtator")
    relations = [
        record(arg("IRF4", "3662"), "positively_regulates", arg("IL2", "3558")),
        record(
            arg("IRF4", "3662"),
            "member_of",
            arg("IRF family", "HGNC.FAMILY:1743", "family", "Interferon regulatory factors"),
        ),
        record(arg("IRF4", "3662"), "enables", arg("DNA binding", "GO:0003677", "function")),
    ]
    report = score_results(
        corpus, [StatementResult(corpus.statements[0], relations=relations)], mode="given-entities"
    )
    assert report.scores.levels["signed"] == PRF(1, 0, 2)  # no false positive; 2 gold relations missed
    (note,) = [note for note in report.notes if note.startswith("predictions not scored")]
    assert "member_of (not judged by this gold) 1" in note and "enables (not judged by this gold) 1" in note
