"""End to end on the IL2 GenAtlas page, against the curator's annotation (genatlas_IL2.gold.jsonl)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from spacy.language import Language

from generx.evaluation.scoring import PREDICATE_SIGNS
from generx.pipelines.extract import extract
from generx.pipelines.statements import read_statements
from tests.conftest import DATA

pytestmark = pytest.mark.model

GOLD = [json.loads(line) for line in (DATA / "genatlas_IL2.gold.jsonl").read_text().splitlines()]


def _same(argument: dict[str, Any], gold: str | list[str]) -> bool:
    return argument["id"] in gold if isinstance(gold, list) else argument["name"] == gold


def matches(record: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Same line, same arguments, same sign. A process acting on a gene ("IL2 is regulated by DNA
    demethylation") may be written either way round when no direction is stated."""
    if (
        int(record["statement_id"].rsplit(":", 1)[1]) != gold["line"]
        or PREDICATE_SIGNS[record["predicate"]] != gold["sign"]
    ):
        return False
    subject, obj = record["subject"], record["object"]
    if _same(subject, gold["subject"]) and _same(obj, gold["object"]):
        return True
    either_way = gold["sign"] == "0" and "process" in (subject["type"], obj["type"])
    return either_way and _same(obj, gold["subject"]) and _same(subject, gold["object"])


@pytest.fixture(scope="module")
def records(nlp: Language) -> list[dict[str, Any]]:
    return [
        r for result in extract(nlp, read_statements(DATA / "genatlas_IL2.txt")) for r in result.relations
    ]


def test_every_must_relation_is_found(records: list[dict[str, Any]]) -> None:
    missing = [g["note"] for g in GOLD if g["tier"] == "must" and not any(matches(r, g) for r in records)]
    assert missing == []


def test_at_least_half_of_the_should_relations(records: list[dict[str, Any]]) -> None:
    should = [g for g in GOLD if g["tier"] == "should"]
    found = [g for g in should if any(matches(r, g) for r in records)]
    assert len(found) * 2 >= len(should), [g["note"] for g in should if g not in found]


def test_nothing_from_must_not_lines(records: list[dict[str, Any]]) -> None:
    lines = {g["line"] for g in GOLD if g["tier"] == "must_not"}
    assert [r for r in records if int(r["statement_id"].rsplit(":", 1)[1]) in lines] == []


def test_precision_over_the_page(records: list[dict[str, Any]]) -> None:
    annotated = [g for g in GOLD if g["tier"] != "must_not"]
    wrong = [r for r in records if not any(matches(r, g) for g in annotated)]
    assert len(records) > 0
    assert 1 - len(wrong) / len(records) >= 0.9, wrong


def test_implicit_arguments_carry_no_offsets(records: list[dict[str, Any]]) -> None:
    implicit = [r for r in records if r["implicit"]]
    assert implicit
    for record in implicit:
        context = record["subject"] if record["subject"]["start"] is None else record["object"]
        assert context["name"] == "IL2" and context["id"] == "HGNC:6001" and context["end"] is None
