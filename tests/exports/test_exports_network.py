"""Network exports: the SIF archive as Cytoscape reads it, GraphML read back by networkx, CX by ndex2."""

from __future__ import annotations

import copy
import io
import json
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import ndex2
import networkx as nx
import pytest

from generx.exports import Document, documents_from_records
from generx.exports.network import write_cx, write_graphml, write_sif
from generx.exports.vocabulary import PREDICATES
from tests.conftest import DATA

FIXTURE = DATA / "exports" / "records.jsonl"
# Text that breaks a naive writer: markup, quotes, the TSV and KGX delimiters, a line break.
AWKWARD = 'a <repressor> & "co"\tfactor | of\nIL2'


@pytest.fixture
def records() -> list[dict[str, Any]]:
    """The fixture's records, then one with an ungrounded subject, awkward text and no trigger."""
    found = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    odd = copy.deepcopy(found[0])
    odd["statement_id"] = "PMID:12345678:2"
    odd["subject"] = {
        "text": AWKWARD,
        "start": 0,
        "end": len(AWKWARD),
        "type": "gene",
        "id": None,
        "name": None,
    }
    odd["evidence"] = {"text": AWKWARD + " binds it", "start": 0, "end": len(AWKWARD) + 9}
    odd["trigger"] = None
    return [*found, odd]


def _node(mention: dict[str, Any]) -> str:
    # How the writers name a node: the grounded id, else the text with tab and line breaks as spaces.
    return mention["id"] or " ".join(mention["text"].replace("\t", " ").split("\n"))


def _export(writer: Any, records: list[dict[str, Any]], **options: Any) -> tuple[int, bytes]:
    out = io.BytesIO()
    count = writer(documents_from_records(records), out, **options)
    return count, out.getvalue()


def test_fixture_covers_the_vocabulary(records: list[dict[str, Any]]) -> None:
    assert {record["predicate"] for record in records} == set(PREDICATES)
    assert {record["object"]["type"] for record in records} == {
        "gene",
        "process",
        "function",
        "component",
        "family",
    }
    assert any(record["implicit"] for record in records)
    assert any(record["negated"] for record in records)
    assert any(record["hedged"] for record in records)


# ----------------------------------------------------------------------------------------------------
# SIF


def _members(archive: bytes) -> dict[str, str]:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return {
            member.name: tar.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
            for member in tar.getmembers()
        }


def _table(text: str) -> list[dict[str, str]]:
    # Cytoscape's table import: a header line, then tab-separated rows, no quoting.
    header, *rows = text.splitlines()
    columns = header.split("\t")
    table = [dict(zip(columns, row.split("\t"), strict=True)) for row in rows]
    return table


def test_sif_archive_is_what_cytoscape_imports(records: list[dict[str, Any]]) -> None:
    count, archive = _export(write_sif, records)
    members = _members(archive)
    assert set(members) == {"relations.sif", "edge_attributes.tsv", "node_attributes.tsv"}
    assert count == len(records)

    # Cytoscape's SIF reader: a tab in the line means tab-separated source, interaction, target(s).
    edges = [tuple(line.split("\t")) for line in members["relations.sif"].splitlines()]
    assert all(len(edge) == 3 for edge in edges)
    assert edges == [(_node(r["subject"]), r["predicate"], _node(r["object"])) for r in records]

    edge_table = _table(members["edge_attributes.tsv"])
    assert list(edge_table[0]) == [
        "name",
        "statement_id",
        "negated",
        "hedged",
        "implicit",
        "trigger",
        "evidence",
        "confidence",
        "mechanism",
        "mechanism_residue",
        "mechanism_position",
    ]
    # One row per edge, keyed the way Cytoscape names a SIF edge: "source (interaction) target".
    assert [row["name"] for row in edge_table] == [f"{s} ({i}) {t}" for s, i, t in edges]
    for row, record in zip(edge_table, records, strict=True):
        assert row["statement_id"] == record["statement_id"]
        for flag in ("negated", "hedged", "implicit"):
            assert row[flag] == ("true" if record[flag] else "false")
        assert float(row["confidence"]) == record["confidence"]
    assert edge_table[-1]["trigger"] == ""
    assert edge_table[-1]["evidence"] == AWKWARD.replace("\t", " ").replace("\n", " ") + " binds it"

    node_table = _table(members["node_attributes.tsv"])
    ids = [row["id"] for row in node_table]
    assert len(ids) == len(set(ids))
    assert set(ids) == {s for s, _, _ in edges} | {t for _, _, t in edges}
    by_id = {row["id"]: row for row in node_table}
    assert by_id["HGNC:6001"] == {"id": "HGNC:6001", "name": "IL2", "type": "gene"}
    assert by_id["GO:0042098"]["type"] == "process"
    assert by_id["GO:0004674"] == {"id": "GO:0004674", "name": "protein serine/threonine kinase activity",
                                   "type": "function"}  # fmt: skip
    assert by_id["GO:0005739"]["type"] == by_id["GO:0016592"]["type"] == "component"
    assert ("HGNC:20947", "located_in", "GO:0005739") in edges
    assert by_id["HGNC.FAMILY:488"] == {"id": "HGNC.FAMILY:488", "name": "Claudins", "type": "family"}
    assert ("HGNC:2032", "member_of", "HGNC.FAMILY:488") in edges
    assert by_id[_node(records[-1]["subject"])]["name"] == _node(records[-1]["subject"])


# ----------------------------------------------------------------------------------------------------
# GraphML


def test_graphml_reads_back_with_networkx(records: list[dict[str, Any]]) -> None:
    count, data = _export(write_graphml, records)
    assert count == len(records)
    graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges() == len(records)
    assert set(graph.nodes) == {_node(r[side]) for r in records for side in ("subject", "object")}

    assert graph.nodes["HGNC:6001"] == {"name": "IL2", "type": "gene", "namespace": "HGNC"}
    assert graph.nodes["GO:0042098"]["namespace"] == "GO"
    assert graph.nodes[_node(records[-1]["subject"])]["namespace"] == ""

    # The GraphML edge id (e0, e1, ...) numbers the relations in order; networkx keeps it as the key.
    by_key = {key: (source, target, data) for source, target, key, data in graph.edges(keys=True, data=True)}
    assert set(by_key) == {f"e{number}" for number in range(len(records))}
    edges = [by_key[f"e{number}"][2] for number in range(len(records))]
    for number, (record, edge) in enumerate(zip(records, edges, strict=True)):
        assert by_key[f"e{number}"][:2] == (_node(record["subject"]), _node(record["object"]))
        assert edge["predicate"] == record["predicate"]
        assert edge["statement_id"] == record["statement_id"]
        for flag in ("negated", "hedged", "implicit"):
            assert edge[flag] is record[flag]
        assert edge["confidence"] == pytest.approx(record["confidence"])
        assert edge["relation"] == PREDICATES[record["predicate"]].ro
        assert edge["evidence"] == record["evidence"]["text"]
        assert edge["evidence_start"] == record["evidence"]["start"]
        assert edge["evidence_end"] == record["evidence"]["end"]
    signs = {e["predicate"]: e["sign"] for e in edges}
    assert signs["positively_regulates"] == 1
    assert signs["negatively_regulates"] == -1
    assert signs["regulates"] == 0
    assert all(e["symmetric"] == (e["predicate"] in ("binds", "associated_with")) for e in edges)
    # GO annotations: unsigned, directed, gene -> GO term of the right type, with GO's relation
    for predicate, relation, kind in (
        ("enables", "RO:0002327", "function"),
        ("located_in", "RO:0001025", "component"),
        ("part_of", "BFO:0000050", "component"),
    ):
        ((source, target, edge),) = [value for value in by_key.values() if value[2]["predicate"] == predicate]
        assert (edge["relation"], edge["sign"], edge["symmetric"]) == (relation, 0, False)
        assert graph.nodes[source]["type"] == "gene"
        assert graph.nodes[target] == {**graph.nodes[target], "type": kind, "namespace": "GO"}
    # family membership: unsigned, directed, gene -> HGNC gene group, with RO's "member of"
    ((source, target, edge),) = [value for value in by_key.values() if value[2]["predicate"] == "member_of"]
    assert (source, target) == ("HGNC:2032", "HGNC.FAMILY:488")
    assert (edge["relation"], edge["sign"], edge["symmetric"]) == ("RO:0002350", 0, False)
    assert graph.nodes[target] == {"name": "Claudins", "type": "family", "namespace": "HGNC.FAMILY"}
    # A record without a trigger (one read back from the store may have none) has no trigger data.
    assert "trigger" not in edges[-1] and "trigger_start" not in edges[-1]
    assert edges[0]["trigger_start"] == records[0]["trigger"]["start"]


def test_graphml_declares_keys_before_the_graph(records: list[dict[str, Any]]) -> None:
    _, data = _export(write_graphml, records)
    root = ET.fromstring(data)
    namespace = "{http://graphml.graphdrawing.org/xmlns}"
    children = [child.tag.removeprefix(namespace) for child in root]
    assert children[-1] == "graph" and set(children[:-1]) == {"key"}
    graph = root.find(f"{namespace}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"


# ----------------------------------------------------------------------------------------------------
# CX


@pytest.mark.parametrize("batch_size", [500, 3])
def test_cx_loads_in_ndex2(records: list[dict[str, Any]], batch_size: int) -> None:
    count, data = _export(write_cx, records, batch_size=batch_size)
    assert count == len(records)
    cx = json.loads(data)
    assert cx[0] == {"numberVerification": [{"longNumber": 281474976710655}]}
    assert cx[-1] == {"status": [{"error": "", "success": True}]}

    network = ndex2.create_nice_cx_from_raw_cx(cx)
    assert network.get_name() == "generx relations"
    distinct = {_node(r[side]) for r in records for side in ("subject", "object")}
    assert len(network.nodes) == len(distinct)
    assert len(network.edges) == len(records)

    node_by_key = {node.get("r") or node["n"]: node_id for node_id, node in network.nodes.items()}
    il2 = node_by_key["HGNC:6001"]
    assert network.nodes[il2]["n"] == "IL2"
    assert network.get_node_attribute(il2, "type")["v"] == "gene"
    assert network.get_node_attribute(il2, "namespace")["v"] == "HGNC"
    mitochondrion = node_by_key["GO:0005739"]
    assert network.nodes[mitochondrion]["n"] == "mitochondrion"
    assert network.get_node_attribute(mitochondrion, "type")["v"] == "component"
    assert network.get_node_attribute(node_by_key["GO:0004674"], "type")["v"] == "function"
    claudins = node_by_key["HGNC.FAMILY:488"]
    assert network.nodes[claudins]["n"] == "Claudins"
    assert network.get_node_attribute(claudins, "type")["v"] == "family"
    assert network.get_node_attribute(claudins, "namespace")["v"] == "HGNC.FAMILY"
    # the group's CURIE resolves through the network's @context, as NDEx reads it
    attributes = [a for fragment in cx for a in fragment.get("networkAttributes", [])]
    (context,) = [attribute["v"] for attribute in attributes if attribute["n"] == "@context"]
    assert json.loads(context)["HGNC.FAMILY"] == "https://identifiers.org/hgnc.genegroup:"

    for edge_id, record in enumerate(records):
        edge = network.edges[edge_id]
        assert edge["i"] == record["predicate"]
        source, target = network.nodes[edge["s"]], network.nodes[edge["t"]]
        assert (source.get("r") or source["n"]) == (record["subject"]["id"] or record["subject"]["text"])
        assert (target.get("r") or target["n"]) == (record["object"]["id"] or record["object"]["text"])
        for flag in ("negated", "hedged", "implicit"):
            attribute = network.get_edge_attribute(edge_id, flag)
            assert attribute == {"po": edge_id, "n": flag, "v": record[flag], "d": "boolean"}
        assert network.get_edge_attribute(edge_id, "statement_id")["v"] == record["statement_id"]
        assert network.get_edge_attribute(edge_id, "evidence")["v"] == record["evidence"]["text"]
        assert network.get_edge_attribute(edge_id, "confidence")["d"] == "double"

    # Post-metadata: the counts and id counters known only once the stream has ended.
    post = {m["name"]: m for m in cx[-2]["metaData"]}
    assert post["nodes"]["elementCount"] == len(distinct)
    assert post["nodes"]["idCounter"] == len(distinct) - 1
    assert post["edges"]["elementCount"] == len(records)
    attributes = sum(len(f["edgeAttributes"]) for f in cx if "edgeAttributes" in f)
    assert post["edgeAttributes"]["elementCount"] == attributes
    if batch_size < len(records):
        assert sum("nodes" in fragment for fragment in cx) > 1


# ----------------------------------------------------------------------------------------------------
# All three: streaming, empty input


@pytest.mark.parametrize("writer", [write_graphml, write_cx])
def test_direct_writers_stream(records: list[dict[str, Any]], writer: Any) -> None:
    """GraphML and CX have written the first relations before the last document is read."""
    out = io.BytesIO()
    written_before_last: list[int] = []

    def documents() -> Iterator[Document]:
        batches = list(documents_from_records(records))
        yield from batches[:-1]
        written_before_last.append(len(out.getvalue()))
        yield batches[-1]

    # batch_size 1 makes CX flush after each relation, as a large export does every batch.
    options = {"batch_size": 1} if writer is write_cx else {}
    writer(documents(), out, **options)
    assert written_before_last[0] > len(out.getvalue()) // 2


@pytest.mark.parametrize("writer", [write_sif, write_graphml, write_cx])
def test_no_relations_is_an_empty_network(writer: Any) -> None:
    count, data = _export(writer, [])
    assert count == 0
    if writer is write_sif:
        members = _members(data)
        assert members["relations.sif"] == ""
        assert members["node_attributes.tsv"] == "id\tname\ttype\n"
    elif writer is write_graphml:
        assert nx.read_graphml(io.BytesIO(data), force_multigraph=True).number_of_nodes() == 0
    else:
        cx = json.loads(data)
        assert len(ndex2.create_nice_cx_from_raw_cx(cx).nodes) == 0
        assert all("idCounter" not in m for m in cx[-2]["metaData"])
