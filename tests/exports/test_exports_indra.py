"""INDRA Statements export: INDRA itself loads, validates and re-serialises every statement.

The fixture (tests/data/exports/records.jsonl) holds records of the IL2 GenAtlas page covering every
predicate, gene-gene and gene-process relations, a process as subject, an implicit argument, a
negated and a hedged relation, and the GO annotations and the family membership INDRA has no Statement
for (left out, counted).
Hand-made records cover what it lacks (a plain activation, PubMed ids).
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema
import pytest
from indra.statements import Activation, Agent, Association, Event, Statement, stmts_from_json, stmts_to_json
from indra.statements.validate import assert_valid_statements

from generx.exports import Document, documents_from_records
from generx.exports.indra import ID_NAMESPACE, pmid_of, write_indra
from generx.record import PREDICATES
from tests.conftest import DATA

RECORDS = [json.loads(line) for line in (DATA / "exports" / "records.jsonl").read_text().splitlines() if line]

# (statement id, subject name, object name) -> the INDRA type the mapping gives; None: left out.
EXPECTED_TYPES: dict[tuple[str, str, str], str | None] = {
    ("genatlas_IL2.txt:22", "FOXK2", "IL2"): "Complex",
    ("genatlas_IL2.txt:47", "IL2", "T cell proliferation"): "Activation",
    ("genatlas_IL2.txt:52", "DNA demethylation", "CSF2"): "Influence",
    ("genatlas_IL2.txt:52", "DNA demethylation", "IL2"): "Influence",
    ("genatlas_IL2.txt:53", "IL2", "T cell differentiation"): "Influence",  # involved_in: no sign
    ("genatlas_IL2.txt:62", "PRDM1", "IL2"): "DecreaseAmount",  # "... regulate the expression of IL2"
    ("genatlas_IL2.txt:63", "IRF4", "IL2"): "IncreaseAmount",  # "activates IL2 and IL4 promoters"
    ("genatlas_IL2.txt:63", "REL", "IL2"): "IncreaseAmount",
    ("genatlas_IL2.txt:64", "DUSP4", "CD4-positive, alpha-beta T cell proliferation"): "Inhibition",
    ("genatlas_IL2.txt:67", "IL2", "IL17A"): "Association",
    ("genatlas_IL2.txt:70", "ETS1", "IL2"): "IncreaseAmount",  # negated
    ("genatlas_IL2.txt:73", "JUNB", "IL2"): "IncreaseAmount",  # hedged; "a transcriptional activator"
    ("genatlas_AKT1.txt:3", "AKT1", "protein serine/threonine kinase activity"): None,  # enables
    ("genatlas_TOMM20.txt:4", "TOMM20", "mitochondrion"): None,  # located_in
    ("genatlas_MED1.txt:2", "MED1", "mediator complex"): None,  # part_of
    ("genatlas_CLDN1.txt:2", "CLDN1", "Claudins"): None,  # member_of
}


def key(record: dict[str, Any]) -> tuple[str, str, str]:
    return (record["statement_id"], record["subject"]["name"], record["object"]["name"])


# The records the export writes a Statement for, in order.
WRITTEN = [record for record in RECORDS if EXPECTED_TYPES[key(record)]]


def export(documents: Any) -> tuple[int, list[dict[str, Any]], bytes]:
    out = io.BytesIO()
    count = write_indra(documents, out)
    return count, json.loads(out.getvalue()), out.getvalue()


def agents_of(statement: Statement) -> list[Any]:
    """Subject and object agents (Concepts for Event-based statements), in record order."""
    return list(statement.agent_list())


def gene(text: str, hgnc: str, name: str | None = None) -> dict[str, Any]:
    return {"text": text, "type": "gene", "id": hgnc, "name": name or text}


def hand_record(
    text: str,
    subject: dict[str, Any],
    predicate: str,
    obj: dict[str, Any],
    trigger: str,
    *,
    statement_id: str = "hand:1",
    **flags: Any,
) -> dict[str, Any]:
    """A relation record over ``text``, with each mention's offsets found in it."""

    def located(span: dict[str, Any]) -> dict[str, Any]:
        start = text.index(span["text"])
        return {**span, "start": start, "end": start + len(span["text"])}

    return {
        "statement_id": statement_id,
        "subject": located(subject),
        "predicate": predicate,
        "object": located(obj),
        "negated": False,
        "hedged": False,
        "implicit": False,
        "trigger": located({"text": trigger}),
        "evidence": {"text": text, "start": 0, "end": len(text)},
        "confidence": 0.8,
        "pipeline": "generx test",
        **flags,
    }


def test_fixture_covers_every_predicate_and_case() -> None:
    assert {record["predicate"] for record in RECORDS} == set(PREDICATES)
    assert any(record["negated"] for record in RECORDS)
    assert any(record["hedged"] for record in RECORDS)
    assert any(record["implicit"] for record in RECORDS)
    assert {key(record) for record in RECORDS} == set(EXPECTED_TYPES)


def test_indra_loads_and_validates_every_statement() -> None:
    count, data, _ = export(documents_from_records(RECORDS))
    assert count == len(data) == len(WRITTEN) == len(RECORDS) - 4
    statements = stmts_from_json(data)
    assert len(statements) == len(WRITTEN)
    assert_valid_statements(statements)  # INDRA's own check of db_refs, text refs and agents
    assert [type(statement).__name__ for statement in statements] == [
        EXPECTED_TYPES[key(record)] for record in WRITTEN
    ]
    assert [statement.uuid for statement in statements] == [item["id"] for item in data]


def test_statements_follow_indras_json_schema() -> None:
    schema = json.loads(resources.files("indra").joinpath("resources/statements_schema.json").read_text())
    _, data, _ = export(documents_from_records(RECORDS))
    # INDRA's schema still describes Association members as Agents, while INDRA's own
    # Association.to_json writes Events: check Association's shape against INDRA instead.
    jsonschema.validate([item for item in data if item["type"] != "Association"], schema)
    association = next(item for item in data if item["type"] == "Association")
    reference = Association([Event(Agent("IL2", db_refs={"HGNC": "6001"})), Event(Agent("X"))]).to_json()
    assert [sorted(member) for member in association["members"]] == [
        sorted(set(member) - {"belief", "matches_hash"}) for member in reference["members"]
    ]


def test_agents_carry_hgnc_and_go_db_refs() -> None:
    statements = stmts_from_json(export(documents_from_records(RECORDS))[1])
    for record, statement in zip(WRITTEN, statements, strict=True):
        for argument, agent in zip((record["subject"], record["object"]), agents_of(statement), strict=True):
            assert agent.name == argument["name"]
            prefix, _, local = argument["id"].partition(":")
            if argument["type"] == "gene":
                assert prefix == "HGNC"
                assert agent.db_refs["HGNC"] == local  # INDRA's convention: the number alone
            else:
                assert agent.db_refs["GO"] == argument["id"]  # ... and GO ids with their prefix
            if argument["start"] is None:
                assert "TEXT" not in agent.db_refs  # the implicit context gene is not in the text
            else:
                assert agent.db_refs["TEXT"] == argument["text"]


def test_evidence_epistemics_and_annotations() -> None:
    statements = stmts_from_json(export(documents_from_records(RECORDS))[1])
    for record, statement in zip(WRITTEN, statements, strict=True):
        (evidence,) = statement.evidence
        assert evidence.source_api == "generx"
        assert evidence.source_id == record["statement_id"]
        assert evidence.pmid is None  # GenAtlas line ids are not PubMed ids
        assert evidence.text == record["evidence"]["text"]
        assert evidence.epistemics["negated"] is record["negated"]
        assert evidence.epistemics["hypothesis"] is record["hedged"]
        assert evidence.epistemics.get("direct") is (True if record["predicate"] == "binds" else None)
        annotations = evidence.annotations
        assert annotations["predicate"] == record["predicate"]
        assert annotations["confidence"] == record["confidence"]
        assert annotations["pipeline"] == record["pipeline"]
        assert annotations["implicit"] is record["implicit"]
        assert annotations["trigger"] == record["trigger"]
        for role in ("subject", "object"):
            assert {k: annotations[role][k] for k in ("start", "end", "id")} == {
                k: record[role][k] for k in ("start", "end", "id")
            }
    negated = [s for s in statements if s.evidence[0].epistemics["negated"]]
    assert [type(s).__name__ for s in negated] == ["IncreaseAmount"]  # kept, not dropped


def test_unsigned_predicates_have_no_polarity() -> None:
    statements = stmts_from_json(export(documents_from_records(RECORDS))[1])
    unsigned = [s for s in statements if type(s).__name__ in ("Influence", "Association")]
    assert len(unsigned) == 4
    for statement in unsigned:
        events = [statement.subj, statement.obj] if hasattr(statement, "subj") else statement.members
        assert [event.delta.polarity for event in events] == [None, None]


def essential(item: dict[str, Any]) -> dict[str, Any]:
    """What a round trip must keep: type, id, agents' names and db_refs, and the evidence."""

    def agent(entry: dict[str, Any]) -> tuple[str, dict[str, str]]:
        entry = entry.get("concept", entry)  # an Event's concept
        return entry["name"], entry["db_refs"]

    if "members" in item:
        agents = [agent(member) for member in item["members"]]
    else:
        agents = [agent(item["subj"]), agent(item["obj"])]
    evidence = [
        {k: ev.get(k) for k in ("source_api", "source_id", "pmid", "text", "epistemics", "annotations")}
        for ev in item["evidence"]
    ]
    return {"type": item["type"], "id": item["id"], "agents": agents, "evidence": evidence}


def test_round_trip_through_indra_keeps_the_essentials() -> None:
    _, data, _ = export(documents_from_records(RECORDS))
    again = stmts_to_json(stmts_from_json(data))
    assert [essential(item) for item in again] == [essential(item) for item in data]


def test_go_annotations_are_left_out_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    """INDRA has no Statement for a gene's molecular function, location or complex membership (and
    cannot write HasActivity as JSON): such records are left out, the count logged per predicate."""
    annotations = [
        record for record in RECORDS if record["predicate"] in ("enables", "located_in", "part_of")
    ]
    with caplog.at_level(logging.WARNING, logger="generx.exports.indra"):
        count, data, _ = export(documents_from_records(annotations))
    assert (count, data) == (0, [])
    assert "left out 3 relations" in caplog.text
    assert "enables 1, located_in 1, part_of 1" in caplog.text
    # Between other records, they leave the rest whole and in order.
    _, data, _ = export(documents_from_records(RECORDS))
    assert [item["evidence"][0]["source_id"] for item in data] == [r["statement_id"] for r in WRITTEN]


def test_family_membership_is_left_out_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    """A gene's membership in a gene family (an HGNC gene group) is INDRA's ontology, not a Statement:
    member_of records are left out and counted with the rest."""
    with caplog.at_level(logging.WARNING, logger="generx.exports.indra"):
        count, data, _ = export(documents_from_records(RECORDS))
    assert count == len(data) == len(WRITTEN)
    assert not any("CLDN1" in json.dumps(item) for item in data)
    assert "left out 4 relations" in caplog.text
    assert "enables 1, located_in 1, member_of 1, part_of 1" in caplog.text


def test_a_gene_family_agent_is_grounded_to_its_hgnc_group() -> None:
    """A family argument of a relation INDRA does write is an Agent with INDRA's HGNC_GROUP ref, the
    group's bare number, which INDRA's own validation accepts."""
    claudins = {"text": "claudins", "type": "family", "id": "HGNC.FAMILY:488", "name": "Claudins"}
    record = hand_record("Loss of claudins is associated with SNAI1", claudins, "associated_with",
                         gene("SNAI1", "HGNC:11128"), "associated")  # fmt: skip
    _, data, _ = export(documents_from_records([record]))
    (statement,) = stmts_from_json(data)
    assert_valid_statements([statement])
    family, _ = agents_of(statement)
    assert (family.name, family.db_refs) == ("Claudins", {"HGNC_GROUP": "488", "TEXT": "claudins"})


def test_activity_or_amount() -> None:
    mapk1, elk1 = gene("MAPK1", "HGNC:6871"), gene("ELK1", "HGNC:3323")
    tp53, cdkn1a = gene("TP53", "HGNC:11998"), gene("CDKN1A", "HGNC:1784")
    records = [
        hand_record("MAPK1 activates ELK1 in serum-stimulated cells", mapk1, "positively_regulates", elk1,
                    "activates"),
        hand_record("MAPK1 inhibits ELK1", mapk1, "negatively_regulates", elk1, "inhibits"),
        hand_record("TP53 induces CDKN1A", tp53, "positively_regulates", cdkn1a, "induces"),
        hand_record("TP53 lowers CDKN1A mRNA levels", tp53, "negatively_regulates", cdkn1a, "lowers"),
        hand_record("TP53 regulates CDKN1A", tp53, "regulates", cdkn1a, "regulates"),
        # An amount word far from trigger and object is about something else.
        hand_record("MAPK1 activates ELK1, which binds many promoters later on in expression",
                    mapk1, "positively_regulates", elk1, "activates"),
    ]  # fmt: skip
    statements = stmts_from_json(export([Document(id="hand:1", relations=records)])[1])
    assert [type(statement).__name__ for statement in statements] == [
        "Activation",
        "Inhibition",
        "IncreaseAmount",
        "DecreaseAmount",
        "Influence",
        "Activation",
    ]
    assert isinstance(statements[0], Activation) and statements[0].obj_activity == "activity"
    assert statements[4].subj.concept.db_refs == {"HGNC": "11998", "TEXT": "TP53"}


def test_pubmed_statement_ids_become_pmids() -> None:
    assert pmid_of("12345678") == "12345678"
    assert pmid_of("PMID:12345678") == "12345678"
    assert pmid_of("pubmed: 42") == "42"
    assert pmid_of("genatlas_IL2.txt:22") is None
    assert pmid_of("12345678:3") is None
    text = "MAPK1 activates ELK1"
    record = hand_record(text, gene("MAPK1", "HGNC:6871"), "positively_regulates", gene("ELK1", "HGNC:3323"),
                         "activates", statement_id="PMID:12345678")  # fmt: skip
    (statement,) = stmts_from_json(export([Document(id="PMID:12345678", relations=[record])])[1])
    (evidence,) = statement.evidence
    assert evidence.pmid == "12345678"
    assert evidence.text_refs == {"PMID": "12345678"}
    assert evidence.source_id == "PMID:12345678"


def test_ids_are_reproducible_and_distinct() -> None:
    first = export(documents_from_records(RECORDS))
    second = export(documents_from_records(RECORDS))
    assert first[2] == second[2]
    ids = [uuid.UUID(item["id"]) for item in first[1]]
    assert len(set(ids)) == len(ids)
    assert {identifier.version for identifier in ids} == {5}
    # Events (Influence, Association) are statements too: their ids are derived as well.
    event_ids = [
        event["id"]
        for item in first[1]
        for event in [*item.get("members", []), item.get("subj", {}), item.get("obj", {})]
        if event.get("type") == "Event"
    ]
    assert len(event_ids) == 8 and len(set(event_ids)) == 8
    assert str(ID_NAMESPACE) != str(uuid.NAMESPACE_URL)


def test_streams_and_handles_no_relations() -> None:
    count, data, _ = export([])
    assert (count, data) == (0, [])
    out = io.BytesIO()

    def documents() -> Iterator[Document]:
        for document in documents_from_records(RECORDS):
            yield document
            # What was read so far is already written: nothing waits for the end of the input.
            assert out.getvalue().count(b'"source_api"') >= 1

    assert write_indra(documents(), out) == len(WRITTEN)
    assert json.loads(out.getvalue())[0]["type"] == "Complex"
    assert write_indra([Document(id="empty")], io.BytesIO()) == 0
