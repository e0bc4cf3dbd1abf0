"""The PPI reader (Pyysalo et al. 2008 unified XML) and PPI scoring with given entities and end to end."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

from generx.evaluation import read_gold, score_results
from generx.evaluation.ppi import entity_spans, parse_offsets
from generx.evaluation.scoring import PRF
from generx.pipelines.extract import StatementResult
from tests.conftest import DATA

GOLD = DATA / "gold"


def arg(
    text: str, start: int | None, end: int | None, ident: str | None, name: str | None = None
) -> dict[str, Any]:
    return {"text": text, "start": start, "end": end, "type": "gene", "id": ident, "name": name or text}


def record(subject: dict[str, Any], predicate: str, obj: dict[str, Any], **flags: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "negated": False,
        "hedged": False,
        "trigger": {"text": "binds"},
        "evidence": {"text": "the sentence"},
        **flags,
    }


def test_discontinuous_entities_are_given_as_their_last_piece() -> None:
    corpus = read_gold(GOLD / "ppi_small.xml")
    assert corpus.format == "ppi" and corpus.name == "BioInfer"
    first, empty = corpus.statements
    spans = {e.id: (e.start, e.end, e.text, e.type) for e in first.entities or ()}
    assert spans["BI.d0.s0.e1"] == (32, 37, "actin", "gene")  # "muscle ... actin"
    assert spans["BI.d0.s0.e2"] == (26, 37, "brain actin", "gene")
    assert empty.entities == ()
    assert parse_offsets("65-71,82-87") == [(65, 71), (82, 87)]


def test_interactions_are_undirected_pairs_and_self_interactions_are_dropped() -> None:
    corpus = read_gold(GOLD / "ppi_small.xml")
    assert [(r.subject.key, r.object.key, r.directed, r.sign) for r in corpus.relations] == [
        ("BI.d0.s0.e0", "BI.d0.s0.e1", False, None),
        ("BI.d0.s0.e2", "BI.d0.s0.e0", False, None),
    ]
    assert corpus.ignored == {"self-relation (one entity on both sides)": 1}
    assert corpus.candidate_pairs == 6  # 4 entities, 6 pairs; the empty sentence has none


def test_lll_interactions_are_directed_agent_to_target() -> None:
    corpus = read_gold(GOLD / "lll_small.xml")
    (relation,) = corpus.relations
    assert (relation.subject.text, relation.object.text, relation.directed) == ("SigK", "ykuD", True)
    # Entity types (agent/target) would give the answer away: all are plain genes.
    assert {e.type for e in corpus.statements[0].entities or ()} == {"gene"}


def test_the_2008_release_with_pairs_and_inclusive_offsets(tmp_path: Path) -> None:
    packed = tmp_path / "AIMed.xml.gz"
    with (GOLD / "ppi_pairs_inclusive.xml").open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    corpus = read_gold(packed)
    assert [(e.text, e.start, e.end) for e in corpus.statements[0].entities or ()] == [
        ("IL-2", 0, 4),
        ("IL-2R", 11, 16),
        ("TNF", 25, 28),
    ]
    assert [(r.subject.text, r.object.text) for r in corpus.relations] == [("IL-2", "IL-2R")]
    assert entity_spans("IL-2 binds", [(0, 3)], "IL-2") == [(0, 4)]


def test_given_entities_pair_scores_and_cooccurrence_baseline() -> None:
    corpus = read_gold(GOLD / "ppi_small.xml")
    sentence = corpus.statements[0]
    results = [
        StatementResult(
            sentence,
            relations=[
                record(arg("Profilin", 0, 8, "BI.d0.s0.e0"), "binds", arg("actin", 32, 37, "BI.d0.s0.e1")),
                record(arg("Profilin", 0, 8, "BI.d0.s0.e0"), "binds", arg("cofilin", 43, 50, "BI.d0.s0.e3")),
                # "not" relations are not interactions
                record(
                    arg("brain actin", 26, 37, "BI.d0.s0.e2"),
                    "binds",
                    arg("Profilin", 0, 8, "BI.d0.s0.e0"),
                    negated=True,
                ),
            ],
        ),
        StatementResult(corpus.statements[1]),
    ]
    report = score_results(corpus, results, mode="given-entities")
    assert report.headline == PRF(tp=1, fp=1, fn=1)
    assert report.scores.levels["directed"] is None and report.scores.levels["signed"] is None
    assert report.baseline == PRF(tp=2, fp=4, fn=0)
    summary = report.to_markdown(max_errors=0)
    assert "| all | pair | 50.0 | 50.0 | 50.0 | 1 | 1 | 1 |" in summary
    assert "| co-occurrence baseline | pair | 33.3 | 100.0 | 50.0 | 2 | 4 | 0 |" in summary
    assert "## Errors" not in summary
    assert {(e.kind, e.subject, e.object) for e in report.scores.errors} == {
        ("false_positive", "Profilin [BI.d0.s0.e0]", "cofilin [BI.d0.s0.e3]"),
        ("false_negative", "brain actin [BI.d0.s0.e2]", "Profilin [BI.d0.s0.e0]"),
    }


def test_end_to_end_mentions_stand_for_the_gold_entity_they_overlap() -> None:
    corpus = read_gold(GOLD / "lll_small.xml")
    sentence = corpus.statements[0]
    found = record(
        arg("SigK RNA polymerase", 24, 43, "HGNC:1"), "positively_regulates", arg("ykuD", 0, 4, None)
    )
    reversed_ = record(arg("ykuD", 0, 4, None), "positively_regulates", arg("SigK", 24, 28, "HGNC:1"))
    report = score_results(corpus, [StatementResult(sentence, relations=[found])], mode="end-to-end")
    assert report.scores.levels["directed"] == PRF(1, 0, 0)
    report = score_results(corpus, [StatementResult(sentence, relations=[reversed_])], mode="end-to-end")
    assert report.headline == PRF(1, 0, 0)
    assert report.scores.levels["directed"] == PRF(0, 1, 1)


def test_two_mentions_of_one_protein_are_a_pair_as_the_corpus_annotates_them() -> None:
    corpus = read_gold(GOLD / "ppi_same_protein.xml")
    assert [(r.subject.key, r.object.key) for r in corpus.relations] == [
        ("LLL.d9.s0.e0", "LLL.d9.s0.e1"),
        ("LLL.d9.s0.e0", "LLL.d9.s0.e2"),  # YfhP represses yfhP: its own gene, a gold pair
        ("LLL.d9.s1.e0", "LLL.d9.s1.e2"),
    ]
    assert corpus.ignored == {"self-relation (one entity on both sides)": 1}  # e1 = e2
    first, second = corpus.statements
    relations = [
        record(
            arg("YfhP", 0, 4, "LLL.d9.s0.e0"), "negatively_regulates", arg("yfhP", 24, 28, "LLL.d9.s0.e2")
        ),
    ]
    # GerE binds gerE: the corpus does not annotate it, so it is a false positive like any other pair
    wrong = [record(arg("GerE", 0, 4, "LLL.d9.s1.e0"), "binds", arg("gerE", 11, 15, "LLL.d9.s1.e1"))]
    results = [StatementResult(first, relations=relations), StatementResult(second, relations=wrong)]
    report = score_results(corpus, results, mode="given-entities")
    assert report.scores.levels["pair"] == PRF(1, 1, 2)
    assert any(
        "pairs of two mentions of one name: 1 in the gold, 2 predicted, 1 of them right" in note
        for note in report.notes
    )
