"""generx's own gold (the IL2 page), ``evaluate`` end to end with a stand-in pipeline, and the reports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from generx.evaluation import GoldFormatError, detect_gold_format, evaluate, read_gold, write_report
from generx.evaluation.scoring import PRF
from generx.pipelines.components import GIVEN_ENTITIES
from tests.conftest import DATA

IL2_GOLD = DATA / "genatlas_IL2.gold.jsonl"
GOLD = DATA / "gold"


def test_il2_gold_lines_tiers_and_alternatives() -> None:
    corpus = read_gold(IL2_GOLD)
    assert corpus.format == "generx"
    assert len(corpus.relations) == 34  # 37 lines, 3 of them must_not
    prdm1 = next(r for r in corpus.relations if r.unit == "genatlas_IL2.txt:62")
    assert (prdm1.subject.keys, prdm1.object.keys, prdm1.sign, prdm1.tier) == (
        ("sym:PRDM1",),
        ("sym:IL2",),
        "-",
        "must",
    )
    proliferation = next(r for r in corpus.relations if r.unit == "genatlas_IL2.txt:47")
    assert proliferation.object.keys == ("GO:0042098", "GO:0008283", "GO:0042110")
    assert proliferation.category == "gene-process"
    assert {s.gene for s in corpus.statements} == {"IL2"}


def test_a_gold_file_without_its_page(tmp_path: Path) -> None:
    lonely = tmp_path / "page.gold.jsonl"
    lonely.write_text('{"line": 1, "subject": "A", "object": "B", "sign": "+"}\n')
    with pytest.raises(GoldFormatError, match=r"page\.txt"):
        read_gold(lonely)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ppi_small.xml", "ppi"),
        ("biored_small.pubtator", "pubtator"),
        ("biored_small.bioc.xml", "bioc"),
        ("genia", "standoff"),
        ("small.bel", "bel"),
    ],
)
def test_formats_are_detected(name: str, fmt: str) -> None:
    assert detect_gold_format(GOLD / name) == fmt


# --- A stand-in pipeline: rules on the raw text instead of a trained model ------------------------------


@dataclass
class StandInRelation:
    """What the relation component leaves on a Doc: something with ``to_record(doc)``."""

    subject: dict[str, Any]
    predicate: str
    object: dict[str, Any]

    def to_record(self, doc: Doc) -> dict[str, Any]:
        return {
            "statement_id": doc._.statement_id,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "negated": False,
            "hedged": False,
            "trigger": {"text": "", "start": 0, "end": 0},
            "evidence": {"text": doc.text, "start": 0, "end": len(doc.text)},
        }


def gene_at(doc: Doc, symbol: str) -> dict[str, Any]:
    start = doc.text.index(symbol)
    return {
        "text": symbol,
        "start": start,
        "end": start + len(symbol),
        "type": "gene",
        "id": None,
        "name": symbol,
    }


@Language.component("test_evaluation_stand_in")
def stand_in(doc: Doc) -> Doc:
    """Given entities: relate the first two. Otherwise two rules of the IL2 page, one of them wrong."""
    relations = []
    # prepare_doc keeps a statement's own entities on the Doc for generx's gene component to place.
    given = doc.user_data.get(GIVEN_ENTITIES, ())
    if len(given) >= 2:
        first, second = (
            {"text": e.text, "start": e.start, "end": e.end, "type": e.type, "id": e.id, "name": e.text}
            for e in given[:2]
        )
        relations.append(StandInRelation(first, "binds", second))
    elif doc.text.startswith("PRDM1 is a transcription repressor"):
        relations.append(StandInRelation(gene_at(doc, "PRDM1"), "negatively_regulates", gene_at(doc, "IL2")))
    elif doc.text.startswith("IRF4 activates"):
        relations.append(StandInRelation(gene_at(doc, "IRF4"), "negatively_regulates", gene_at(doc, "IL2")))
    doc._.relations = relations
    return doc


def stand_in_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("test_evaluation_stand_in")
    return nlp


def test_evaluate_the_il2_page_end_to_end(tmp_path: Path) -> None:
    report = evaluate(IL2_GOLD, fmt=None, mode="auto", nlp=stand_in_nlp())
    assert report.mode == "end-to-end"
    assert report.scores.levels["signed"] == PRF(tp=1, fp=1, fn=33)
    assert report.scores.levels["pair"] == PRF(tp=2, fp=0, fn=31)  # IRF4-IL2 right up to the sign
    assert report.scores.tiers["must"]["found"] == 1
    wrong = next(e for e in report.scores.errors if e.kind == "false_positive")
    assert (wrong.subject, wrong.object, wrong.reason) == ("IRF4", "IL2", "wrong sign")

    write_report(report, tmp_path / "il2.json")
    data = json.loads((tmp_path / "il2.json").read_text())
    assert data["levels"]["signed"]["tp"] == 1 and data["mode"] == "end-to-end"
    assert {"false_positive", "false_negative"} == {error["kind"] for error in data["errors"]}
    write_report(report, tmp_path / "il2.md")
    markdown = (tmp_path / "il2.md").read_text()
    assert "| all | signed |" in markdown
    assert "IRF4 - -> IL2" in markdown


def test_evaluate_ppi_with_given_entities_and_empty_documents() -> None:
    report = evaluate(GOLD / "ppi_small.xml", fmt="ppi", mode="given-entities", nlp=stand_in_nlp())
    # The stand-in relates Profilin and the first actin: one of the two gold pairs.
    assert report.headline == PRF(tp=1, fp=0, fn=1)
    genia = evaluate(GOLD / "genia", fmt=None, mode="given-entities", nlp=stand_in_nlp())
    assert genia.counts["empty statements"] == 1
    assert genia.counts["failed statements"] == 0
