"""BEL script gold: evidence texts as statements, BEL statements as signed directed relations."""

from __future__ import annotations

from pathlib import Path
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
        ("sym:TP53", "sym:MDM2", "bind", False),  # complex(p(TP53), p(MDM2))
        ("sym:MDM2", "sym:TP53", "+", True),  # decreases the degradation of TP53
        ("sym:MAPK1", "sym:DUSP6", "-", True),  # kinase activity of MAPK1
        ("sym:IL6", "sym:CRP", "0", False),  # a correlation: unsigned, undirected
    ]
    assert corpus.ignored == {
        "chemical": 1,
        "nested statement": 1,
        "relationship biomarkerFor": 1,
        "statement without evidence": 1,
    }
    assert any("4 statements ignored" in note for note in corpus.notes)


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
    # MDM2 binds TP53 is the gold's complex; MDM2 -| deg(TP53) and MAPK1 -| DUSP6 are missed
    assert report.scores.levels["signed"] == PRF(4, 0, 2)
    assert report.scores.by_category["gene-process"]["signed"] == PRF(1, 0, 0)
    assert any("involved_in" in note for note in report.notes)


def test_bel_has_no_entities_to_give() -> None:
    import spacy

    with pytest.raises(UnsupportedMode):
        evaluate(BEL, fmt=None, mode="given-entities", nlp=spacy.blank("en"))


THIRD_PARTY = DATA / "gold" / "third_party.bel"


def test_comments_set_order_self_relations_complexes_and_unreadable_lines() -> None:
    corpus = read_gold(THIRD_PARTY)
    assert [(r.unit, r.subject.key, r.object.key, r.sign, r.directed) for r in corpus.relations] == [
        # SET Evidence before SET Citation, and a trailing // comment: the group is read
        ("third_party.bel:6", "sym:MAPKAP1", "sym:AKT1", "+", True),
        # complex(...) is binding between every two of its genes
        ("third_party.bel:6", "sym:MTOR", "sym:RICTOR", "bind", False),
        ("third_party.bel:6", "sym:MTOR", "sym:MAPKAP1", "bind", False),
        ("third_party.bel:6", "sym:RICTOR", "sym:MAPKAP1", "bind", False),
        ("third_party.bel:14", "sym:TSC2", "sym:RHEB", "-", True),
        ("third_party.bel:14", "sym:RHEB", "sym:MTOR", "+", True),
    ]
    # "//" inside the quoted evidence is text, not a comment
    assert corpus.statements[1].text == "TSC2 inhibits RHEB, and RHEB activates MTOR // at lysosomes."
    assert corpus.ignored == {
        "self-relation (one entity on both sides)": 1,  # kin(p(AKT1)) increases p(AKT1, pmod(P))
        "SFAM namespace (family, complex or other)": 1,
        "unreadable line": 1,
        # a new citation after the evidence was used: the old evidence does not state its statements
        "statement without evidence": 1,
    }
    assert any("line 12: unbalanced term" in note for note in corpus.notes)


def test_an_unclosed_quote_is_skipped_not_fatal(tmp_path: Path) -> None:
    script = tmp_path / "broken.bel"
    script.write_text(
        THIRD_PARTY.read_text(encoding="utf-8")
        + 'SET Evidence = "never closed\np(HGNC:A) increases p(HGNC:B)\n',
        encoding="utf-8",
    )
    corpus = read_gold(script)
    assert len(corpus.relations) == 6
    assert corpus.ignored["unreadable line"] == 2
    assert any("quoted string is never closed" in note for note in corpus.notes)


def test_family_predictions_are_not_judged_and_symbol_gold_has_no_species_note() -> None:
    corpus = read_gold(THIRD_PARTY)
    nfkb = gene("MTOR") | {"members": ["HGNC:3942", "HGNC:9611"]}
    relations = [
        {"subject": gene("MAPKAP1"), "predicate": "positively_regulates", "object": gene("AKT1")},
        {"subject": gene("MTOR"), "predicate": "binds", "object": gene("RICTOR")},
        {"subject": nfkb, "predicate": "positively_regulates", "object": gene("AKT1")},
    ]
    report = score_results(
        corpus, [StatementResult(corpus.statements[0], relations)], mode="end-to-end", entrez={"HGNC:1": "1"}
    )
    assert report.scores.levels["signed"] == PRF(2, 0, 4)
    assert any("family or complex argument (not judged by this gold) 1" in note for note in report.notes)
    assert not any("human genes" in note for note in report.notes)
