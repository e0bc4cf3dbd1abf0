"""BEL script export: PyBEL parses it offline with no warnings into the expected graph.

Records come from tests/data/exports/records.jsonl (every predicate, a process as subject, an implicit
argument, a negated and a hedged relation, a GO function, two GO components and a gene family) and, for
what it lacks, from hand-made Documents.
"""

from __future__ import annotations

import io
import json
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pybel
import pytest
from pybel.dsl import BiologicalProcess, ComplexAbundance, NamedComplexAbundance, Protein

from generx.evaluation import read_gold
from generx.exports import Document, documents_from_records
from generx.exports.bel import bel_term, quote, write_bel
from tests.conftest import DATA

RECORDS = [json.loads(line) for line in (DATA / "exports" / "records.jsonl").read_text().splitlines() if line]

EXPECTED_EDGES = {
    ("p(HGNC:FOXK2)", "directlyIncreases", "complex(p(HGNC:FOXK2), p(HGNC:IL2))"),
    ("p(HGNC:IL2)", "increases", 'bp(GO:"T cell proliferation")'),
    ('bp(GO:"DNA demethylation")', "regulates", "p(HGNC:CSF2)"),
    ('bp(GO:"DNA demethylation")', "regulates", "p(HGNC:IL2)"),
    ("p(HGNC:IL2)", "regulates", 'bp(GO:"T cell differentiation")'),
    ("p(HGNC:PRDM1)", "decreases", "p(HGNC:IL2)"),
    ("p(HGNC:IRF4)", "increases", "p(HGNC:IL2)"),
    ("p(HGNC:REL)", "increases", "p(HGNC:IL2)"),
    ("p(HGNC:DUSP4)", "decreases", 'bp(GO:"CD4-positive, alpha-beta T cell proliferation")'),
    ("p(HGNC:IL2)", "association", "p(HGNC:IL17A)"),
    ("p(HGNC:JUNB)", "increases", "p(HGNC:IL2)"),
    ("p(HGNC:MED1)", "partOf", 'complex(GO:"mediator complex")'),
    ("p(HGNC:CLDN1)", "isA", "p(HGNC.GENEFAMILY:Claudins)"),
}
# Records BEL has no relationship for: comments holding the term that says what they say.
UNEXPRESSED_COMMENTS = [
    '# enables, no BEL relationship: act(p(HGNC:AKT1), ma(GO:"protein serine/threonine kinase activity"))',
    "# located_in, no BEL relationship: p(HGNC:TOMM20, loc(GO:mitochondrion))",
]


def export(documents: Any, path: Path) -> tuple[int, pybel.BELGraph]:
    with path.open("wb") as out:
        count = write_bel(documents, out)
    return count, parse(path)


def parse(path: Path) -> pybel.BELGraph:
    with warnings.catch_warnings():
        # PyBEL 0.15 builds its grammar with pyparsing's camelCase names, which pyparsing 3.3 deprecates
        # on every call: not ours to fix, and a thousand such warnings hide everything else.
        warnings.simplefilter("ignore", DeprecationWarning)
        return pybel.from_bel_script(str(path))


def qualified_edges(graph: pybel.BELGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(subject, relation, object) in BEL -> edge data, for edges that carry a citation."""
    return {
        (str(u), data["relation"], str(v)): data
        for u, v, data in graph.edges(data=True)
        if data.get("citation") is not None
    }


def test_pybel_parses_the_fixture_with_no_warnings(tmp_path: Path) -> None:
    count, graph = export(documents_from_records(RECORDS), tmp_path / "records.bel")
    assert graph.warnings == []
    unexpressed = {"enables", "located_in"}
    assert count == sum(not r["negated"] and r["predicate"] not in unexpressed for r in RECORDS) == 13
    assert graph.document["name"] == "generx relations"
    edges = qualified_edges(graph)
    # association is undirected: PyBEL adds it both ways.
    assert set(edges) == EXPECTED_EDGES | {("p(HGNC:IL17A)", "association", "p(HGNC:IL2)")}


def test_nodes_are_hgnc_proteins_and_go_processes(tmp_path: Path) -> None:
    _, graph = export(documents_from_records(RECORDS), tmp_path / "records.bel")
    proteins = {node.name for node in graph if isinstance(node, Protein) and node.namespace == "HGNC"}
    assert proteins == {
        "FOXK2",
        "IL2",
        "CSF2",
        "PRDM1",
        "IRF4",
        "REL",
        "DUSP4",
        "IL17A",
        "JUNB",
        "MED1",
        "CLDN1",
    }
    # member_of: the gene family is a protein abundance named by its HGNC gene group
    families = {(node.namespace, node.name) for node in graph if isinstance(node, Protein)} - {
        ("HGNC", name) for name in proteins
    }
    assert families == {("HGNC.GENEFAMILY", "Claudins")}
    processes = {node.name for node in graph if isinstance(node, BiologicalProcess)}
    assert {node.namespace for node in graph if isinstance(node, BiologicalProcess)} == {"GO"}
    assert processes == {
        "T cell proliferation",
        "DNA demethylation",
        "T cell differentiation",
        "CD4-positive, alpha-beta T cell proliferation",
    }
    (complex_node,) = [node for node in graph if isinstance(node, ComplexAbundance)]
    assert {member.name for member in complex_node.members} == {"FOXK2", "IL2"}
    # part_of: the complex is named by its GO cellular component
    (named,) = [node for node in graph if isinstance(node, NamedComplexAbundance)]
    assert (named.namespace, named.name) == ("GO", "mediator complex")


def test_part_of_keeps_its_citation_evidence_and_predicate(tmp_path: Path) -> None:
    _, graph = export(documents_from_records(RECORDS), tmp_path / "records.bel")
    edge = qualified_edges(graph)[("p(HGNC:MED1)", "partOf", 'complex(GO:"mediator complex")')]
    record = next(r for r in RECORDS if r["predicate"] == "part_of")
    assert edge["evidence"] == record["evidence"]["text"]
    assert edge["citation"].identifier == record["statement_id"]
    assert [entity.identifier for entity in edge["annotations"]["Predicate"]] == ["part_of"]


def test_member_of_is_isa_the_gene_group_with_its_citation_and_evidence(tmp_path: Path) -> None:
    _, graph = export(documents_from_records(RECORDS), tmp_path / "records.bel")
    edge = qualified_edges(graph)[("p(HGNC:CLDN1)", "isA", "p(HGNC.GENEFAMILY:Claudins)")]
    record = next(r for r in RECORDS if r["predicate"] == "member_of")
    assert edge["evidence"] == record["evidence"]["text"]
    assert edge["citation"].identifier == record["statement_id"]
    assert [entity.identifier for entity in edge["annotations"]["Predicate"]] == ["member_of"]
    # a group name that is not one word is quoted
    family = {**record["object"], "name": "Claudin family, tight junction"}
    assert bel_term(family) == 'p(HGNC.GENEFAMILY:"Claudin family, tight junction")'


def test_enables_and_located_in_are_counted_comments(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """BEL has no relationship for a gene's function or location: no statement, a comment holding the
    BEL term, and a warning with the count; the terms themselves are valid BEL."""
    path = tmp_path / "records.bel"
    with caplog.at_level(logging.WARNING, logger="generx.exports.bel"):
        _, graph = export(documents_from_records(RECORDS), path)
    lines = path.read_text().splitlines()
    assert [line for line in lines if line in UNEXPRESSED_COMMENTS] == UNEXPRESSED_COMMENTS
    assert not any("AKT1" in str(node) or "TOMM20" in str(node) for node in graph)
    assert "wrote 2 relations as comments" in caplog.text and "enables 1, located_in 1" in caplog.text
    terms = tmp_path / "terms.bel"
    header = [line for line in lines if line.startswith(("SET DOCUMENT", "DEFINE"))]
    body = ['SET Citation = {"Other", "x"}', 'SET Evidence = "x"']
    terms.write_text("\n".join([*header, *body, *(c.split(": ", 1)[1] for c in UNEXPRESSED_COMMENTS)]) + "\n")
    parsed = parse(terms)
    assert parsed.warnings == []
    assert {node.name for node in parsed if isinstance(node, Protein)} == {"AKT1", "TOMM20"}


def test_citation_evidence_and_annotations(tmp_path: Path) -> None:
    _, graph = export(documents_from_records(RECORDS), tmp_path / "records.bel")
    edges = qualified_edges(graph)
    by_key = {(r["subject"]["name"], r["object"]["name"], r["statement_id"]): r for r in RECORDS}
    hedged = edges[("p(HGNC:JUNB)", "increases", "p(HGNC:IL2)")]
    record = by_key[("JUNB", "IL2", "genatlas_IL2.txt:73")]
    assert hedged["evidence"] == record["evidence"]["text"]
    assert (hedged["citation"].namespace, hedged["citation"].identifier) == ("other", "genatlas_IL2.txt:73")
    annotations = {
        name: [entity.identifier for entity in values] for name, values in hedged["annotations"].items()
    }
    assert annotations == {
        "StatementId": ["genatlas_IL2.txt:73"],
        "Predicate": ["positively_regulates"],
        "Confidence": [str(record["confidence"])],
        "Hedged": ["true"],
    }
    # Annotations are per statement: the next statement is not hedged, and involved_in is kept by name.
    involved = edges[("p(HGNC:IL2)", "regulates", 'bp(GO:"T cell differentiation")')]
    assert "Hedged" not in involved["annotations"]
    assert [entity.identifier for entity in involved["annotations"]["Predicate"]] == ["involved_in"]


def test_negated_relations_are_comments(tmp_path: Path) -> None:
    path = tmp_path / "records.bel"
    _, graph = export(documents_from_records(RECORDS), path)
    assert ("p(HGNC:ETS1)", "increases", "p(HGNC:IL2)") not in qualified_edges(graph)
    assert "# negated: p(HGNC:ETS1) increases p(HGNC:IL2)" in path.read_text().splitlines()


def test_pubmed_citation_quotes_and_other_groundings(tmp_path: Path) -> None:
    text = 'MAPK1 "activates" ELK1 \\ and the IL2R complex binds some factor'

    def arg(mention: str, kind: str, grounded: str | None, name: str | None) -> dict[str, Any]:
        start = text.index(mention)
        return {"text": mention, "start": start, "end": start + len(mention), "type": kind, "id": grounded,
                "name": name}  # fmt: skip

    def record(subject: dict[str, Any], predicate: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {"statement_id": "PMID:12345678", "subject": subject, "predicate": predicate, "object": obj,
                "negated": False, "hedged": False, "implicit": False, "trigger": None,
                "evidence": {"text": text, "start": 0, "end": len(text)}, "confidence": 0.5}  # fmt: skip

    mapk1 = arg("MAPK1", "gene", "HGNC:6871", "MAPK1")
    elk1 = arg("ELK1", "gene", "HGNC:3323", "ELK1")
    family = arg("IL2R", "gene", "generx:family/IL2R", "IL2 receptor")
    ungrounded = arg("some factor", "gene", None, None)
    document = Document(
        id="PMID:12345678",
        relations=[record(mapk1, "positively_regulates", elk1), record(family, "binds", ungrounded)],
    )
    count, graph = export([document], tmp_path / "hand.bel")
    assert count == 2
    assert graph.warnings == []
    edges = qualified_edges(graph)
    activation = edges[("p(HGNC:MAPK1)", "increases", "p(HGNC:ELK1)")]
    assert (activation["citation"].namespace, activation["citation"].identifier) == ("pubmed", "12345678")
    # PyBEL keeps a BEL string's escapes as written; unescaped, the evidence is the sentence.
    assert activation["evidence"].replace('\\"', '"').replace("\\\\", "\\") == text
    assert {(node.namespace, node.name) for node in graph if isinstance(node, Protein)} == {
        ("HGNC", "MAPK1"),
        ("HGNC", "ELK1"),
        ("GENERX", "generx:family/IL2R"),
        ("TEXT", "some factor"),
    }


def test_terms_and_quoting() -> None:
    hla = {"type": "gene", "id": "HGNC:4931", "name": "HLA-A", "text": "HLA-A"}
    assert bel_term(hla) == 'p(HGNC:"HLA-A")'
    assert bel_term({"type": "process", "id": "GO:0042098", "name": "T cell proliferation"}) == (
        'bp(GO:"T cell proliferation")'
    )
    assert quote('say "no"\nnow') == '"say \\"no\\" now"'


def test_generx_reads_its_own_export(tmp_path: Path) -> None:
    path = tmp_path / "records.bel"
    export(documents_from_records(RECORDS), path)
    corpus = read_gold(path)
    signs = {(r.subject.key, r.object.key): r.sign for r in corpus.relations}
    assert signs[("sym:PRDM1", "sym:IL2")] == "-"
    assert signs[("sym:IRF4", "sym:IL2")] == "+"
    assert signs[("sym:IL2", "go_name:t cell proliferation")] == "+"
    assert signs[("sym:IL2", "sym:IL17A")] == "0"
    assert ("sym:ETS1", "sym:IL2") not in signs  # negated: a comment
    assert not any("CLDN1" in subject for subject, _ in signs)  # isA: a relationship generx does not score


def test_streams_and_handles_no_relations(tmp_path: Path) -> None:
    count, graph = export([], tmp_path / "empty.bel")
    assert count == 0
    assert graph.warnings == []
    assert graph.number_of_edges() == 0
    out = io.BytesIO()

    def documents() -> Iterator[Document]:
        for document in documents_from_records(RECORDS):
            yield document
            # What was read so far is already written: nothing waits for the end of the input.
            assert out.getvalue().count(b"SET Citation") >= 1

    assert write_bel(documents(), out) == 13
