"""The mechanism in every export: each consumer's own library reads it back (INDRA, PyBEL, KGX's columns,
BioC's XML, networkx for GraphML), and the store's flat form keeps it."""

from __future__ import annotations

import csv
import io
import json
import tarfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pybel
from indra.statements import (
    Activation,
    Complex,
    Dephosphorylation,
    IncreaseAmount,
    Influence,
    Inhibition,
    Phosphorylation,
    Translocation,
    stmts_from_json,
    stmts_to_json,
)

from generx.exports import Document
from generx.exports.bel import write_bel
from generx.exports.bioc import write_bioc, write_pubtator
from generx.exports.formats import write_export
from generx.exports.indra import write_indra
from generx.exports.kgx import write_kgx
from generx.record import flatten, unflatten

TEXT = (
    "PLK1 phosphorylates CDC25C at Ser-198 and inhibits WEE1 by degradation; TNF induces IL6 transcription."
)


def gene(text: str, hgnc: str) -> dict[str, Any]:
    start = TEXT.index(text)
    return {"text": text, "start": start, "end": start + len(text), "type": "gene", "id": hgnc, "name": text}


def record(
    subject: str, predicate: str, obj: str, trigger: str, mechanism: dict[str, Any] | None
) -> dict[str, Any]:
    ids = {
        "PLK1": "HGNC:9077",
        "CDC25C": "HGNC:1727",
        "WEE1": "HGNC:12761",
        "TNF": "HGNC:11892",
        "IL6": "HGNC:6018",
    }
    start = TEXT.index(trigger)
    return {
        "statement_id": "hand:1",
        "subject": gene(subject, ids[subject]),
        "predicate": predicate,
        "object": gene(obj, ids[obj]),
        "negated": False,
        "hedged": False,
        "implicit": False,
        "mechanism": mechanism,
        "trigger": {"text": trigger, "start": start, "end": start + len(trigger)},
        "evidence": {"text": TEXT, "start": 0, "end": len(TEXT)},
        "confidence": 0.8,
        "pipeline": "generx test",
    }


def mechanism(kind: str, residue: str | None = None, position: str | None = None) -> dict[str, Any]:
    return {"type": kind, "residue": residue, "position": position}


RECORDS = [
    record("PLK1", "regulates", "CDC25C", "phosphorylates", mechanism("phosphorylation", "S", "198")),
    record("PLK1", "negatively_regulates", "WEE1", "inhibits", mechanism("degradation")),
    record("TNF", "positively_regulates", "IL6", "induces", mechanism("transcription")),
    record("PLK1", "positively_regulates", "WEE1", "inhibits", mechanism("localization")),
    record("TNF", "negatively_regulates", "CDC25C", "inhibits", mechanism("dephosphorylation", "T", "48")),
    record("TNF", "positively_regulates", "WEE1", "induces", None),
]
DOCUMENTS = [Document(id="hand:1", text=TEXT, relations=RECORDS)]


def test_indra_reads_the_mechanism_types_and_sites() -> None:
    out = io.BytesIO()
    count = write_indra(DOCUMENTS, out)
    statements = stmts_from_json(json.loads(out.getvalue()))
    assert count == len(statements) == 8
    kinds = [type(s).__name__ for s in statements]
    assert kinds == [
        "Phosphorylation",
        "DecreaseAmount",  # more degradation is less WEE1
        "IncreaseAmount",
        "Translocation",
        "Activation",  # a Translocation has no subject: the signed statement follows
        "Dephosphorylation",
        "Inhibition",  # a Modification has no sign: the signed statement follows
        "Activation",  # no mechanism stated: INDRA's reading of a plain positive regulation
    ]
    phospho = statements[0]
    assert isinstance(phospho, Phosphorylation)
    assert (phospho.enz.name, phospho.sub.name, phospho.residue, phospho.position) == (
        "PLK1",
        "CDC25C",
        "S",
        "198",
    )
    assert isinstance(statements[2], IncreaseAmount) and isinstance(statements[3], Translocation)
    assert isinstance(statements[5], Dephosphorylation) and isinstance(statements[6], Inhibition)
    assert statements[0].evidence[0].annotations["mechanism"] == RECORDS[0]["mechanism"]
    assert len({s.uuid for s in statements}) == len(statements)
    again = stmts_from_json(stmts_to_json(statements))
    assert [type(s).__name__ for s in again] == kinds
    assert (again[0].residue, again[0].position) == ("S", "198")


def test_an_unsigned_relation_without_mechanism_stays_an_influence() -> None:
    plain = record("TNF", "regulates", "IL6", "induces", None)
    out = io.BytesIO()
    write_indra([Document(id="hand:1", text=TEXT, relations=[plain])], out)
    (statement,) = stmts_from_json(json.loads(out.getvalue()))
    assert isinstance(statement, Influence)


def parse_bel(path: Path) -> pybel.BELGraph:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pybel.from_bel_script(str(path))


def test_pybel_reads_pmod_deg_r_and_tloc(tmp_path: Path) -> None:
    path = tmp_path / "mechanism.bel"
    with path.open("wb") as out:
        count = write_bel(DOCUMENTS, out)
    graph = parse_bel(path)
    assert graph.warnings == []
    assert count == 7  # a signed modification writes two statements; the plain positive one
    text = path.read_text()
    assert "p(HGNC:PLK1) increases p(HGNC:CDC25C, pmod(Ph, Ser, 198))" in text
    assert "p(HGNC:PLK1) increases deg(p(HGNC:WEE1))" in text
    assert "p(HGNC:TNF) increases r(HGNC:IL6)" in text
    assert "p(HGNC:PLK1) increases tloc(p(HGNC:WEE1))" in text
    assert "p(HGNC:TNF) decreases p(HGNC:CDC25C, pmod(Ph, Thr, 48))" in text
    assert "p(HGNC:TNF) decreases p(HGNC:CDC25C)" in text
    sites = {
        (node.name, variant["code"], variant["pos"])
        for node in graph
        for variant in getattr(node, "variants", None) or []
    }
    assert sites == {("CDC25C", "Ser", 198), ("CDC25C", "Thr", 48)}
    mechanisms = {
        kind
        for _, _, data in graph.edges(data=True)
        for kind in (data.get("annotations") or {}).get("Mechanism", {})
    }
    assert {str(getattr(kind, "identifier", kind)) for kind in mechanisms} == {
        "phosphorylation",
        "degradation",
        "transcription",
        "localization",
        "dephosphorylation",
    }


def test_kgx_aspect_qualifiers_and_generx_columns() -> None:
    out = io.BytesIO()
    write_kgx(DOCUMENTS, out)
    with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as archive:
        member = archive.extractfile("edges.tsv")
        assert member is not None
        rows = list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8"), delimiter="\t"))
    got = [
        (
            row["object_aspect_qualifier"],
            row["object_direction_qualifier"],
            row["mechanism"],
            row["mechanism_residue"],
        )
        for row in rows
    ]
    assert got == [
        ("phosphorylation", "upregulated", "phosphorylation", "S"),
        ("degradation", "upregulated", "degradation", ""),  # negatively regulates WEE1: more degradation
        ("expression", "upregulated", "transcription", ""),
        ("localization", "upregulated", "localization", ""),
        ("phosphorylation", "downregulated", "dephosphorylation", "T"),
        ("activity_or_abundance", "upregulated", "", ""),
    ]
    assert all(row["qualified_predicate"] == "biolink:causes" for row in rows)


def test_bioc_and_pubtator_carry_the_mechanism() -> None:
    out = io.BytesIO()
    write_bioc(DOCUMENTS, out, date="20260101")
    relations = ET.fromstring(out.getvalue()).findall(".//relation")
    infons = [{i.get("key"): i.text for i in relation.findall("infon")} for relation in relations]
    assert infons[0]["mechanism"] == "phosphorylation"
    assert (infons[0]["mechanism_residue"], infons[0]["mechanism_position"]) == ("S", "198")
    assert "mechanism" not in infons[-1]
    out = io.BytesIO()
    write_pubtator(DOCUMENTS, out)
    lines = [line.split("\t") for line in out.getvalue().decode().splitlines() if line.count("\t") >= 3]
    relation_lines = [
        fields
        for fields in lines
        if fields[1] in ("regulates", "positively_regulates", "negatively_regulates")
    ]
    assert relation_lines[0][4] == "mechanism=phosphorylation@S198"
    assert len(relation_lines[-1]) == 4


def test_graphml_tsv_and_the_store_keep_the_mechanism(tmp_path: Path) -> None:
    path = tmp_path / "relations.graphml"
    with path.open("wb") as graphml:
        write_export(DOCUMENTS, graphml, fmt="graphml")
    graph = nx.read_graphml(path)
    edges = [data for _, _, data in graph.edges(data=True)]
    assert edges[0]["mechanism"] == "phosphorylation" and edges[0]["mechanism_position"] == "198"
    out = io.BytesIO()
    write_export(DOCUMENTS, out, fmt="tsv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode()), delimiter="\t"))
    assert (rows[0]["mechanism_type"], rows[0]["mechanism_residue"], rows[0]["mechanism_position"]) == (
        "phosphorylation",
        "S",
        "198",
    )
    for one in RECORDS:
        assert unflatten(json.loads(json.dumps(flatten(one)))) == one


BINDING_TEXT = "GRB2 binds SOS1 and activates it."


def binding_records() -> list[dict[str, Any]]:
    """ "GRB2 binds SOS1 and activates it": a ``binds`` record, whose mechanism is binding as every one's
    is, and a positive regulation whose mechanism is binding."""

    def one(predicate: str, trigger: str) -> dict[str, Any]:
        start = BINDING_TEXT.index(trigger)
        return {
            **record("PLK1", predicate, "CDC25C", "phosphorylates", mechanism("binding")),
            "statement_id": "hand:2",
            "subject": {
                "text": "GRB2",
                "start": 0,
                "end": 4,
                "type": "gene",
                "id": "HGNC:4566",
                "name": "GRB2",
            },
            "object": {
                "text": "SOS1",
                "start": 11,
                "end": 15,
                "type": "gene",
                "id": "HGNC:11187",
                "name": "SOS1",
            },
            "trigger": {"text": trigger, "start": start, "end": start + len(trigger)},
            "evidence": {"text": BINDING_TEXT, "start": 0, "end": len(BINDING_TEXT)},
        }

    return [one("binds", "binds"), one("positively_regulates", "activates")]


def test_binding_in_every_export(tmp_path: Path) -> None:
    """A ``binds`` record is a Complex / ``complex()`` whatever its mechanism; binding as the mechanism of
    a regulation keeps that regulation's own type. Each consumer's library reads both."""
    documents = [Document(id="hand:2", text=BINDING_TEXT, relations=binding_records())]
    out = io.BytesIO()
    write_indra(documents, out)
    complex_, activation = stmts_from_json(json.loads(out.getvalue()))
    assert isinstance(complex_, Complex) and isinstance(activation, Activation)
    assert {a.name for a in complex_.members} == {"GRB2", "SOS1"}
    assert complex_.evidence[0].annotations["mechanism"] == mechanism("binding")

    path = tmp_path / "binding.bel"
    with path.open("wb") as bel:
        assert write_bel(documents, bel) == 2
    graph = parse_bel(path)
    assert graph.warnings == []
    text = path.read_text()
    assert "p(HGNC:GRB2) directlyIncreases complex(p(HGNC:GRB2), p(HGNC:SOS1))" in text
    assert "p(HGNC:GRB2) increases p(HGNC:SOS1)" in text
    assert 'SET Mechanism = "binding"' in text

    out = io.BytesIO()
    write_kgx(documents, out)
    with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as archive:
        member = archive.extractfile("edges.tsv")
        assert member is not None
        rows = list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8"), delimiter="\t"))
    assert [(r["predicate"], r["object_aspect_qualifier"], r["mechanism"]) for r in rows] == [
        ("biolink:directly_physically_interacts_with", "", "binding"),
        ("biolink:regulates", "molecular_interaction", "binding"),
    ]

    out = io.BytesIO()
    write_pubtator(documents, out)
    qualifiers = [
        line.split("\t")[4:] for line in out.getvalue().decode().splitlines() if line.count("\t") >= 3
    ]
    assert ["mechanism=binding"] in qualifiers
