"""The mechanism of a relation: the vocabulary, residue parsing, and hand-made statements read end to end.

tests/data/mechanisms/statements.jsonl holds hand-written statements, each with the records a reader
expects (subject, predicate, object as written, and the mechanism): every mechanism type of the record's
vocabulary, the residue forms ("Ser-473", "Ser473", "serine 473", "S473", "Tyr694", "'Lys-48'-linked",
"Lys63-linked", "tyrosine phosphorylation"), verbs, passives, nominalisations, chains, means clauses,
coordinated verbs, and statements that state no mechanism.
"""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from spacy.language import Language

from generx.pipelines.mechanism import parse_residue
from generx.pipelines.statements import Statement
from generx.record import MechanismType
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "mechanisms" / "statements.jsonl").read_text().splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ser-473", ("S", "473")),
        ("Ser473", ("S", "473")),
        ("serine 473", ("S", "473")),
        ("serine residue 473", ("S", "473")),
        ("S473", ("S", "473")),
        ("T308", ("T", "308")),
        ("Tyr-705", ("Y", "705")),
        ("'Lys-48'-linked", ("K", "48")),
        ("Lys63-linked", ("K", "63")),
        ("tyrosine residues", ("Y", None)),
        ("tyrosyl", ("Y", None)),
        ("K562 cells", (None, None)),  # a cell line, not lysine 562
        ("histone", (None, None)),  # "his" inside a word is no histidine
        ("the kinase domain", (None, None)),
    ],
)
def test_parse_residue(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_residue(text) == expected


def test_hand_made_file_covers_every_mechanism_and_residue_form() -> None:
    assert len(CASES) >= 40
    mechanisms = [r["mechanism"] for case in CASES for r in case["expected"]]
    assert {m["type"] for m in mechanisms if m} == set(get_args(MechanismType))
    assert any(m is None for m in mechanisms)  # statements that state no mechanism
    texts = " ".join(case["text"] for case in CASES)
    for form in ("Ser-", "Ser4", "threonine 3", "Tyr6", " S3", " T4", "'Lys-48'-linked", "Lys63-linked"):
        assert form in texts, form
    assert any(m and m["residue"] and not m["position"] for m in mechanisms)  # "tyrosine phosphorylation"


def _found(record: dict[str, Any]) -> tuple[str, str, str, str | None, str | None, str | None]:
    mechanism = record.get("mechanism") or {}
    return (
        record["subject"]["text"],
        record["predicate"],
        record["object"]["text"],
        mechanism.get("type"),
        mechanism.get("residue"),
        mechanism.get("position"),
    )


@pytest.mark.model
def test_hand_made_statements(nlp: Language) -> None:
    from generx.pipelines.extract import extract

    statements = [Statement(f"mechanism:{i}", case["text"]) for i, case in enumerate(CASES)]
    wrong = []
    for case, result in zip(CASES, extract(nlp, statements), strict=True):
        assert result.error is None
        found = {_found(record) for record in result.relations}
        for record in case["expected"]:
            mechanism = record["mechanism"] or {}
            expected = (
                record["subject"],
                record["predicate"],
                record["object"],
                *(mechanism.get(key) for key in ("type", "residue", "position")),
            )
            if expected not in found:
                wrong.append((case["text"], expected, sorted(found, key=str)))
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.model
def test_sign_stays_what_the_text_says(nlp: Language) -> None:
    """ "phosphorylates" alone is unsigned; "phosphorylates and activates" is positive; both say how."""
    from generx.pipelines.extract import extract

    texts = ["PLK1 phosphorylates CDC25C.", "CHEK1 phosphorylates and activates WEE1."]
    results = list(extract(nlp, [Statement(f"s{i}", text) for i, text in enumerate(texts)]))
    (alone,), (activates,) = (result.relations for result in results)
    assert alone["predicate"] == "regulates" and alone["mechanism"]["type"] == "phosphorylation"
    assert activates["predicate"] == "positively_regulates"
    assert activates["mechanism"]["type"] == "phosphorylation"
