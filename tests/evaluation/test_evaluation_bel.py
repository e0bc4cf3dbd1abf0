"""BEL script gold: evidence texts as statements, BEL statements as signed directed relations."""

from __future__ import annotations

from typing import Any

import pytest

from generx.evaluation import UnsupportedMode, evaluate, read_gold, score_results
from generx.evaluation.scoring import PRF
from generx.pipelines.extract import StatementResult
from tests.conftest import DATA

BEL = DATA / "gold" / "small.bel"


def test_statements_signs_and_what_is_ignored() -> None:
    corpus = read_gold(BEL)
    assert corpus.format == "bel"
    assert [(r.subject.key, r.object.key, r.sign, r.directed) for r in corpus.relations] == [
        ("sym:EGF", "sym:CDKN1A", "+", True),
        ("sym:MYC", "go_name:apoptotic process", "+", True),
        ("sym:MDM2", "sym:TP53", "+", True),  # decreases the degradation of TP53
        ("sym:MAPK1", "sym:DUSP6", "-", True),  # kinase activity of MAPK1
        ("sym:IL6", "sym:CRP", "0", False),  # a correlation: unsigned, undirected
    ]
    assert corpus.ignored == {
        "complex term without a relationship": 1,
        "chemical": 1,
        "nested statement": 1,
        "relationship biomarkerFor": 1,
        "statement without evidence": 1,
    }
    assert any("5 statements ignored" in note for note in corpus.notes)


def test_multi_line_evidence_is_one_statement() -> None:
    corpus = read_gold(BEL)
    assert [(s.id, s.text) for s in corpus.statements] == [
        ("small.bel:7", "EGF induces CDKN1A mRNA, and MYC promotes apoptosis, while TP53 is bound by MDM2."),
        ("small.bel:19", "Kinase activity of MAPK1 decreases DUSP6, and IL6 correlates with CRP."),
    ]
    assert all(s.entities is None for s in corpus.statements)


def gene(symbol: str) -> dict[str, Any]:
    return {"text": symbol, "start": 0, "end": 1, "type": "gene", "id": f"HGNC:{symbol}", "name": symbol}


def test_end_to_end_by_symbol_and_go_name() -> None:
    corpus = read_gold(BEL)
    apoptosis = {
        "text": "apoptosis",
        "start": 0,
        "end": 1,
        "type": "process",
        "id": "GO:0006915",
        "name": "apoptotic process",
    }
    first = [
        {"subject": gene("EGF"), "predicate": "positively_regulates", "object": gene("CDKN1A")},
        {"subject": gene("MYC"), "predicate": "involved_in", "object": apoptosis},
        {"subject": gene("MDM2"), "predicate": "binds", "object": gene("TP53")},
    ]
    second = [{"subject": gene("CRP"), "predicate": "associated_with", "object": gene("IL6")}]
    results = [
        StatementResult(corpus.statements[0], relations=first),
        StatementResult(corpus.statements[1], second),
    ]
    report = score_results(corpus, results, mode="end-to-end", entrez={})
    assert report.scores.levels["pair"] == PRF(4, 0, 1)
    assert report.scores.levels["signed"] == PRF(3, 1, 2)  # MDM2 binds TP53: gold says +
    assert report.scores.by_category["gene-process"]["signed"] == PRF(1, 0, 0)
    assert any("involved_in" in note for note in report.notes)


def test_bel_has_no_entities_to_give() -> None:
    import spacy

    with pytest.raises(UnsupportedMode):
        evaluate(BEL, fmt=None, mode="given-entities", nlp=spacy.blank("en"))
