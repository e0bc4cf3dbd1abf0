"""BioNLP standoff (.txt/.a1/.a2): nested regulation events flattened to gene -> gene pairs."""

from __future__ import annotations

import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
import spacy

from generx.evaluation import GoldFormatError, evaluate, read_gold, score_results
from generx.evaluation.gold import EmptyGold, UnmappedRelations
from generx.evaluation.scoring import PRF
from generx.pipelines.extract import StatementResult
from tests.conftest import DATA

GENIA = DATA / "gold" / "genia"


def pairs(path: Path) -> set[tuple[str, str, str, str | None, bool, bool]]:
    corpus = read_gold(path, fmt="standoff")
    return {(r.unit, r.subject.key, r.object.key, r.sign, r.negated, r.hedged) for r in corpus.relations}


EXPECTED = {
    ("doc1", "IL-2", "ICAM-1", "+", False, False),  # IL-2 induced expression of ICAM-1
    ("doc1", "TRAF2", "ICAM-1", "-", False, False),  # inhibits (the induced expression of) ICAM-1
    ("doc1", "BCL6", "ICAM-1", "+", True, True),  # may not activate CD54 (Equiv ICAM-1)
    ("doc2", "STAT5", "BCL2", "-", False, False),  # STAT5 phosphorylation induces degradation of BCL2
}


def test_nested_events_negation_speculation_and_equiv() -> None:
    assert pairs(GENIA) == EXPECTED
    corpus = read_gold(GENIA)
    assert corpus.format == "standoff"
    assert corpus.ignored == {"regulation without a Cause": 1}


def test_crlf_offsets_and_empty_documents() -> None:
    corpus = read_gold(GENIA)
    doc2 = next(s for s in corpus.statements if s.id == "doc2")
    assert [doc2.text[e.start : e.end] for e in doc2.entities or ()] == ["STAT5", "BCL2"]
    doc3 = next(s for s in corpus.statements if s.id == "doc3")
    assert (doc3.text, doc3.entities) == ("", ())


def test_a_tar_archive_reads_like_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "train.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(GENIA, arcname="train")
    assert pairs(archive) == EXPECTED


def test_a_file_that_is_no_standoff_corpus(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing")
    with pytest.raises(GoldFormatError):
        read_gold(tmp_path)


def arg(text: str, start: int, end: int) -> dict[str, Any]:
    return {"text": text, "start": start, "end": end, "type": "gene", "id": f"HGNC:{text}", "name": text}


def test_end_to_end_scoring_with_negation() -> None:
    corpus = read_gold(GENIA)
    doc1 = next(s for s in corpus.statements if s.id == "doc1")
    text = doc1.text
    traf2 = arg("TRAF2", 0, 5)
    icam1 = arg("ICAM-1", text.index("ICAM-1"), text.index("ICAM-1") + 6)
    bcl6 = arg("BCL6", text.index("BCL6"), text.index("BCL6") + 4)
    cd54 = arg("CD54", text.rindex("CD54"), text.rindex("CD54") + 4)
    relations = [
        {"subject": traf2, "predicate": "negatively_regulates", "object": icam1, "negated": False},
        {
            "subject": bcl6,
            "predicate": "positively_regulates",
            "object": cd54,
            "negated": True,
            "hedged": True,
        },
    ]
    results = [StatementResult(doc1, relations=relations)]
    report = score_results(corpus, results, mode="end-to-end")
    assert report.scores.levels["signed"] == PRF(1, 0, 2)  # IL-2 -> ICAM-1 and STAT5 -| BCL2 missed
    assert report.scores.negation == PRF(1, 0, 0)
    assert report.scores.speculation == PRF(1, 0, 0)


GRN = DATA / "gold" / "grn"


def test_r_lines_and_agent_target_roles_of_other_schemas_are_read() -> None:
    corpus = read_gold(GRN)
    assert {(r.subject.key, r.object.key, r.sign, r.directed) for r in corpus.relations} == {
        ("SigK", "gerE", "+", True),  # Interaction.Activation Agent:T1 Target:T2
        ("SigK", "cotD", "+", True),
        ("gerE", "SigK", "-", True),  # GerE represses sigK: mentions of one protein are one entity
        ("gerE", "SpoIIID family", "bind", False),  # a Protein_Family is a gene-like entity
    }
    assert corpus.ignored == {
        "relation with a Regulatory_Network argument": 1,
        "Subunit-Complex relation (not regulation)": 1,  # from the .rel file
        "self-relation (one entity on both sides)": 1,  # SigK is required for SigK
    }
    assert corpus.unscored_signs == frozenset()  # binding is gold here, so binds predictions are judged
    assert [e.text for e in corpus.statements[0].entities or ()] == [
        "SigK",
        "gerE",
        "cotD",
        "GerE",
        "sigK",
        "SpoIIID family",
        "SigK",
    ]


def copy_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(GRN, folder)
    with (folder / "PMID-1.a2").open("a") as stream:
        stream.write(extra)
    return folder


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("R7\tInteraction.Frobnication Agent:T1 Target:T3\n", "Interaction.Frobnication (1)"),
        ("R7\tCoexpression Arg1:T1 Arg2:T3\n", "Coexpression with roles Arg1/Arg2 (1)"),
    ],
)
def test_relations_that_cannot_be_mapped_are_refused(tmp_path: Path, extra: str, named: str) -> None:
    with pytest.raises(UnmappedRelations, match=re.escape(named)):
        read_gold(copy_with(tmp_path, extra))


def test_a_corpus_with_no_gold_relation_is_an_error_not_a_score(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "PMID-1.txt").write_text((GRN / "PMID-1.txt").read_text())
    (folder / "PMID-1.a1").write_text((GRN / "PMID-1.a1").read_text())
    (folder / "PMID-1.a2").write_text("R4\tInteraction.Regulation Agent:T6 Target:T3\n")
    corpus = read_gold(folder)
    assert corpus.relations == []
    with pytest.raises(EmptyGold, match="0 gold relations"):
        score_results(corpus, [], mode="given-entities")
    with pytest.raises(EmptyGold):
        evaluate(folder, fmt=None, mode="given-entities", nlp=spacy.blank("en"))
