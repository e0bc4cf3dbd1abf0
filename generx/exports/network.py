"""Relation records as networks: Cytoscape SIF (with attribute tables), GraphML and NDEx CX.

Each relation record becomes one directed edge, subject -> object, whose interaction is the generx
predicate; the two arguments become nodes named by their grounded id (``HGNC:6001``, ``GO:0042098``)
or, when a mention is not grounded, by its text, with the argument's type (gene, process, function or
component: GO's three aspects; family, an HGNC gene group such as ``HGNC.FAMILY:488``) as the node's
``type``. The GO annotation predicates (``enables``, ``located_in``, ``part_of``) and ``member_of`` are
edges like the rest, unsigned and directed, gene to GO term or to family.

Every writer streams: it keeps only the ids of the nodes it has already written (so each node is
written once), never the edges (CX holds one batch of elements at a time), so memory grows with the
number of distinct genes, GO terms and families, not with the number of relations.

Symmetric predicates (``binds``, ``associated_with``) stay directed edges in argument order with a
``symmetric`` attribute: the formats allow mixed graphs only awkwardly (GraphML readers reject an
undirected edge in a directed graph), and the argument order is what the statement said.
"""

from __future__ import annotations

import json
import re
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

from generx.exports import XML_INVALID, Document, iter_relations
from generx.exports.vocabulary import namespace, predicate_term

# Members of an archive are spooled in memory up to this size, then to a temporary file on disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024
# Characters a TSV cell cannot hold: cells are written unquoted, as Cytoscape and KGX read them.
_TSV_BREAKS = re.compile(r"[\t\r\n]+")

SIF_EDGE_COLUMNS = (
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
)
SIF_NODE_COLUMNS = ("id", "name", "type")


# ----------------------------------------------------------------------------------------------------
# Shared pieces (also used by the KGX writer)


def node_id(mention: dict[str, Any]) -> str:
    """The node a record's subject or object stands for: its grounded id, else its text."""
    return str(mention.get("id") or tsv_cell(mention.get("text")))


def mechanism_items(relation: dict[str, Any]) -> list[tuple[str, Any]]:
    """The edge attributes ``mechanism``, ``mechanism_residue``, ``mechanism_position`` of a relation
    (None where the text states none)."""
    mechanism = relation.get("mechanism") or {}
    return [
        ("mechanism", mechanism.get("type")),
        ("mechanism_residue", mechanism.get("residue")),
        ("mechanism_position", mechanism.get("position")),
    ]


def node_name(mention: dict[str, Any]) -> str:
    """A node's display name: the approved symbol or GO term name, else the text as written."""
    return str(mention.get("name") or mention.get("text") or "")


def tsv_cell(value: Any) -> str:
    """One unquoted TSV cell: None empty, booleans ``true``/``false``, line and tab breaks as spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _TSV_BREAKS.sub(" ", str(value))


def tsv_row(values: Iterable[Any]) -> bytes:
    """A TSV line, UTF-8 encoded, of cells made by ``tsv_cell``."""
    return ("\t".join(tsv_cell(value) for value in values) + "\n").encode("utf-8")


def spool() -> tempfile.SpooledTemporaryFile[bytes]:
    """A binary scratch file for one archive member: memory while small, disk beyond SPOOL_MAX_BYTES."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES, mode="w+b")


def write_tar_gz(out: BinaryIO, members: Iterable[tuple[str, IO[bytes]]]) -> None:
    """Write a gzipped tar of the spooled members, each (name, file positioned anywhere).

    A tar header carries the member's size, which is why the members are spooled first; the archive
    itself is written in stream mode (``w|gz``) so ``out`` need not be seekable (a pipe, a response).
    """
    now = int(time.time())
    with tarfile.open(fileobj=out, mode="w|gz") as tar:
        for name, member in members:
            info = tarfile.TarInfo(name)
            info.size = member.seek(0, 2)
            info.mtime = now
            info.mode = 0o644
            member.seek(0)
            tar.addfile(info, member)


def _span(relation: dict[str, Any], part: str) -> dict[str, Any]:
    # trigger and evidence may be null in a record read back from the store.
    return relation.get(part) or {}


def _relations_and_new_nodes(
    documents: Iterable[Document],
) -> Iterator[tuple[dict[str, Any], str, str, list[tuple[str, dict[str, Any]]]]]:
    """Each relation, its source and target node ids, and the (id, mention) of the nodes it names first."""
    seen: set[str] = set()
    for relation in iter_relations(documents):
        subject, obj = relation["subject"], relation["object"]
        source, target = node_id(subject), node_id(obj)
        new = []
        for mention, key in ((subject, source), (obj, target)):
            if key not in seen:
                seen.add(key)
                new.append((key, mention))
        yield relation, source, target, new


# ----------------------------------------------------------------------------------------------------
# SIF for Cytoscape


def write_sif(documents: Iterable[Document], out: BinaryIO) -> int:
    """Write a gzipped tar of ``relations.sif``, ``edge_attributes.tsv`` and ``node_attributes.tsv``.

    Cytoscape imports a SIF file as the network and the two tables as attributes: the edge table is
    keyed by Cytoscape's edge name, ``source (interaction) target``, and the node table by the node
    name of the SIF file. One SIF line per relation record, so parallel edges (the same pair and
    predicate from two statements) share a key in the edge table, as they do in Cytoscape.
    """
    written = 0
    with spool() as sif, spool() as edges, spool() as nodes:
        edges.write(tsv_row(SIF_EDGE_COLUMNS))
        nodes.write(tsv_row(SIF_NODE_COLUMNS))
        for relation, source, target, new_nodes in _relations_and_new_nodes(documents):
            for key, mention in new_nodes:
                nodes.write(tsv_row((key, node_name(mention), mention.get("type"))))
            interaction = tsv_cell(relation["predicate"])
            sif.write(tsv_row((source, interaction, target)))
            edges.write(
                tsv_row(
                    (
                        f"{source} ({interaction}) {target}",
                        relation.get("statement_id"),
                        bool(relation.get("negated")),
                        bool(relation.get("hedged")),
                        bool(relation.get("implicit")),
                        _span(relation, "trigger").get("text"),
                        _span(relation, "evidence").get("text"),
                        relation.get("confidence"),
                        *(value for _, value in mechanism_items(relation)),
                    )
                )
            )
            written += 1
        write_tar_gz(
            out, (("relations.sif", sif), ("edge_attributes.tsv", edges), ("node_attributes.tsv", nodes))
        )
    return written


# ----------------------------------------------------------------------------------------------------
# GraphML

# (attribute name, GraphML type) of nodes and of edges; the key id of an attribute is its name with
# the domain's initial, so a reader that ignores attr.name still tells node and edge keys apart.
GRAPHML_NODE_KEYS = (("name", "string"), ("type", "string"), ("namespace", "string"))
GRAPHML_EDGE_KEYS = (
    ("predicate", "string"),
    ("relation", "string"),
    ("sign", "int"),
    ("symmetric", "boolean"),
    ("negated", "boolean"),
    ("hedged", "boolean"),
    ("implicit", "boolean"),
    ("confidence", "double"),
    ("statement_id", "string"),
    ("trigger", "string"),
    ("trigger_start", "int"),
    ("trigger_end", "int"),
    ("evidence", "string"),
    ("evidence_start", "int"),
    ("evidence_end", "int"),
    ("mechanism", "string"),
    ("mechanism_residue", "string"),
    ("mechanism_position", "string"),
)
_GRAPHML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(XML_INVALID.sub(" ", str(value)))


def _xml_attr(value: Any) -> str:
    # quoteattr also escapes tabs and line breaks, which attribute normalisation would otherwise eat.
    return quoteattr(XML_INVALID.sub(" ", str(value)), {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def _graphml_data(prefix: str, values: Iterable[tuple[str, Any]]) -> str:
    # An absent value (an implicit argument's offsets, a missing confidence) is left out, not written
    # empty: GraphML falls back to the key's default, and an empty int would not parse.
    return "".join(
        f'<data key="{prefix}{name}">{_xml_text(value)}</data>' for name, value in values if value is not None
    )


def _graphml_node(key: str, mention: dict[str, Any]) -> str:
    data = _graphml_data(
        "n_",
        (
            ("name", node_name(mention)),
            ("type", mention.get("type")),
            ("namespace", namespace(mention.get("id"))),
        ),
    )
    return f"    <node id={_xml_attr(key)}>{data}</node>\n"


def _graphml_edge(number: int, source: str, target: str, relation: dict[str, Any]) -> str:
    term = predicate_term(relation["predicate"])
    trigger, evidence = _span(relation, "trigger"), _span(relation, "evidence")
    data = _graphml_data(
        "e_",
        (
            ("predicate", relation["predicate"]),
            ("relation", term.ro),
            ("sign", term.sign),
            ("symmetric", term.symmetric),
            ("negated", bool(relation.get("negated"))),
            ("hedged", bool(relation.get("hedged"))),
            ("implicit", bool(relation.get("implicit"))),
            ("confidence", relation.get("confidence")),
            ("statement_id", relation.get("statement_id")),
            ("trigger", trigger.get("text")),
            ("trigger_start", trigger.get("start")),
            ("trigger_end", trigger.get("end")),
            ("evidence", evidence.get("text")),
            ("evidence_start", evidence.get("start")),
            ("evidence_end", evidence.get("end")),
            *mechanism_items(relation),
        ),
    )
    return f'    <edge id="e{number}" source={_xml_attr(source)} target={_xml_attr(target)}>{data}</edge>\n'


def write_graphml(documents: Iterable[Document], out: BinaryIO) -> int:
    """Write a directed GraphML graph: one node per distinct argument, one edge per relation record.

    The <key> declarations come first; each node is written when first seen, just before its first
    edge (GraphML lets nodes and edges interleave), so the graph streams in one pass.
    """
    out.write(_GRAPHML_HEAD.encode("utf-8"))
    for domain, prefix, keys in (("node", "n_", GRAPHML_NODE_KEYS), ("edge", "e_", GRAPHML_EDGE_KEYS)):
        for name, kind in keys:
            line = f'  <key id="{prefix}{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n'
            out.write(line.encode("utf-8"))
    out.write(b'  <graph id="generx" edgedefault="directed">\n')
    written = 0
    for relation, source, target, new_nodes in _relations_and_new_nodes(documents):
        for key, mention in new_nodes:
            out.write(_graphml_node(key, mention).encode("utf-8"))
        out.write(_graphml_edge(written, source, target, relation).encode("utf-8"))
        written += 1
    out.write(b"  </graph>\n</graphml>\n")
    return written


# ----------------------------------------------------------------------------------------------------
# CX (NDEx's Cytoscape Exchange format, version 1)

CX_ASPECTS = ("nodes", "edges", "nodeAttributes", "edgeAttributes", "networkAttributes")
# The number every CX stream opens with, so a reader can check it parses 64-bit integers (CX 1.0).
CX_NUMBER_VERIFICATION = 281474976710655
CX_CONTEXT = {
    "HGNC": "https://identifiers.org/hgnc:",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "HGNC.FAMILY": "https://identifiers.org/hgnc.genegroup:",
}


def _cx_edge_attributes(edge: int, relation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    term = predicate_term(relation["predicate"])
    trigger, evidence = _span(relation, "trigger"), _span(relation, "evidence")
    values: tuple[tuple[str, Any, str], ...] = (
        ("relation", term.ro, "string"),
        ("sign", term.sign, "integer"),
        ("symmetric", term.symmetric, "boolean"),
        ("negated", bool(relation.get("negated")), "boolean"),
        ("hedged", bool(relation.get("hedged")), "boolean"),
        ("implicit", bool(relation.get("implicit")), "boolean"),
        ("confidence", relation.get("confidence"), "double"),
        ("statement_id", relation.get("statement_id"), "string"),
        ("trigger", trigger.get("text"), "string"),
        ("trigger_start", trigger.get("start"), "integer"),
        ("trigger_end", trigger.get("end"), "integer"),
        ("evidence", evidence.get("text"), "string"),
        ("evidence_start", evidence.get("start"), "integer"),
        ("evidence_end", evidence.get("end"), "integer"),
        *((name, value, "string") for name, value in mechanism_items(relation)),
    )
    for name, value, kind in values:
        if value is not None:
            # "d" may be left out for strings, but a reader then has to guess; say it always.
            yield {"po": edge, "n": name, "v": value, "d": kind}


class _CXStream:
    """Writes a CX document fragment by fragment, buffering aspect elements until ``flush``."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.first = True
        self.pending: dict[str, list[dict[str, Any]]] = {aspect: [] for aspect in CX_ASPECTS}
        self.counts: dict[str, int] = dict.fromkeys(CX_ASPECTS, 0)

    def fragment(self, aspect: str, elements: list[dict[str, Any]]) -> None:
        # allow_nan=False: a NaN would make the whole document invalid JSON; better to fail here.
        text = json.dumps({aspect: elements}, ensure_ascii=False, allow_nan=False)
        self.out.write((("[\n" if self.first else ",\n") + text).encode("utf-8"))
        self.first = False

    def add(self, aspect: str, element: dict[str, Any]) -> None:
        self.pending[aspect].append(element)
        self.counts[aspect] += 1

    def flush(self) -> None:
        # Nodes before edges before attributes, so a reader meets every id before its reference.
        for aspect in CX_ASPECTS:
            if self.pending[aspect]:
                self.fragment(aspect, self.pending[aspect])
                self.pending[aspect] = []

    def close(self) -> None:
        self.flush()
        self.out.write(b"\n]\n")


def write_cx(
    documents: Iterable[Document], out: BinaryIO, *, name: str = "generx relations", batch_size: int = 500
) -> int:
    """Write a CX (version 1) network, streamed as aspect fragments; ``name`` names the network.

    CX lets an aspect appear in many fragments and its metadata come before the data (pre-metadata,
    without counts) and after it (post-metadata, with ``elementCount`` and ``idCounter``), which is
    what lets it be written in one pass: nodes and edges go out in batches of ``batch_size``
    relations. Node @ids are numbered as nodes are first seen; edge @ids count the relations.
    """
    stream = _CXStream(out)
    stream.fragment("numberVerification", [{"longNumber": CX_NUMBER_VERIFICATION}])
    stream.fragment(
        "metaData", [{"name": aspect, "version": "1.0", "consistencyGroup": 1} for aspect in CX_ASPECTS]
    )
    stream.add("networkAttributes", {"n": "name", "v": name})
    stream.add(
        "networkAttributes",
        {
            "n": "description",
            "v": "Signed gene-gene and gene-process relations, and genes' GO functions and components"
            " and gene families, extracted by generx",
        },
    )
    # NDEx resolves a node's "r" (represents) CURIE through the network's @context.
    stream.add("networkAttributes", {"n": "@context", "v": json.dumps(CX_CONTEXT)})
    node_numbers: dict[str, int] = {}
    written = 0
    for relation in iter_relations(documents):
        ends = []
        for mention in (relation["subject"], relation["object"]):
            key = node_id(mention)
            number = node_numbers.get(key)
            if number is None:
                number = node_numbers[key] = len(node_numbers)
                node: dict[str, Any] = {"@id": number, "n": node_name(mention)}
                if mention.get("id"):
                    node["r"] = mention["id"]
                stream.add("nodes", node)
                stream.add("nodeAttributes", {"po": number, "n": "type", "v": str(mention.get("type"))})
                stream.add(
                    "nodeAttributes", {"po": number, "n": "namespace", "v": namespace(mention.get("id"))}
                )
            ends.append(number)
        stream.add("edges", {"@id": written, "s": ends[0], "t": ends[1], "i": relation["predicate"]})
        for attribute in _cx_edge_attributes(written, relation):
            stream.add("edgeAttributes", attribute)
        written += 1
        if written % batch_size == 0:
            stream.flush()
    stream.flush()
    # idCounter is the highest @id used; an empty network has none to report.
    id_counters = {"nodes": len(node_numbers) - 1, "edges": written - 1}
    stream.fragment(
        "metaData",
        [
            {
                "name": aspect,
                "elementCount": stream.counts[aspect],
                **({"idCounter": id_counters[aspect]} if id_counters.get(aspect, -1) >= 0 else {}),
            }
            for aspect in CX_ASPECTS
        ],
    )
    stream.fragment("status", [{"error": "", "success": True}])
    stream.close()
    return written
