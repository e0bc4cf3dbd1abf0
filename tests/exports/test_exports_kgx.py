"""KGX export: the archive read back and validated by ``kgx``, the vocabulary checked against Biolink.

``kgx`` loads the Biolink model (through ``bmt``) and its JSON-LD prefix contexts from GitHub when it is
imported and used. The tests point both at the copies in the ``biolink-model`` package (installed with
``kgx``) before importing it, so they run offline and against a known model version.
"""

from __future__ import annotations

import copy
import importlib.resources
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import bmt.toolkit
import pytest

_MODEL = importlib.resources.files("biolink_model")
_SCHEMA = str(_MODEL / "schema" / "biolink_model.yaml")
# Toolkit() is called with no arguments inside kgx: replace the defaults (the GitHub URLs of the schema
# and of the predicate map, which these tests do not use).
bmt.toolkit.Toolkit.__init__.__defaults__ = (_SCHEMA, {"predicate mappings": []})

import kgx.config  # noqa: E402

_PREFIXES = json.loads((_MODEL / "prefixmaps" / "biolink-model-prefix-map.json").read_text(encoding="utf-8"))
for _context in ("biolink", "monarch_context", "obo_context"):
    kgx.config.jsonld_context_map.setdefault(_context, _PREFIXES)

from kgx.transformer import Transformer  # noqa: E402
from kgx.utils.kgx_utils import GraphEntityType, get_toolkit  # noqa: E402
from kgx.validator import Validator  # noqa: E402

from generx.exports import documents_from_records  # noqa: E402
from generx.exports.kgx import (  # noqa: E402
    AGENT_TYPE,
    EDGE_COLUMNS,
    GENE_OBJECT_ASPECT,
    KNOWLEDGE_LEVEL,
    NODE_COLUMNS,
    kgx_id,
    publication,
    write_kgx,
)
from generx.exports.vocabulary import CATEGORY_BY_PREFIX, CATEGORY_BY_TYPE, PREDICATES  # noqa: E402
from tests.conftest import DATA  # noqa: E402

FIXTURE = DATA / "exports" / "records.jsonl"
# Columns a KGX TSV must have (KGX format spec), and the edge provenance Biolink 4 requires.
REQUIRED_NODE_COLUMNS = {"id", "category"}
REQUIRED_EDGE_COLUMNS = {
    "id",
    "subject",
    "predicate",
    "object",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
}
# generx's own edge columns: everything else must be a Biolink slot.
GENERX_COLUMNS = {
    "id",
    "hedged",
    "implicit",
    "statement_id",
    "mechanism",
    "mechanism_residue",
    "mechanism_position",
}


@pytest.fixture
def records() -> list[dict[str, Any]]:
    """The fixture's records, then one with a gene family, one from a PubMed statement with a '|' in
    its evidence, then one with an ungrounded argument (which KGX leaves out)."""
    found = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    from_pubmed = copy.deepcopy(found[0])
    from_pubmed["statement_id"] = "PMID:12345678:2"
    from_pubmed["evidence"]["text"] = "FOXK2 | a forkhead factor\tbinds the IL2 promoter"
    family = copy.deepcopy(found[0])
    family["subject"].update(
        id="generx:family/NFKB", name="NF-kappaB", text="NF-kappaB", members=["HGNC:7794"]
    )
    ungrounded = copy.deepcopy(found[0])
    ungrounded["subject"].update(id=None, name=None, text="a forkhead factor")
    return [*found, family, from_pubmed, ungrounded]


class _Collector:
    """A kgx inspector: validates every node and edge as the transformer streams them, and keeps them."""

    def __init__(self) -> None:
        self.validator = Validator()
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: list[dict[str, Any]] = []

    def __call__(self, entity_type: GraphEntityType, rec: list[Any]) -> None:
        self.validator(entity_type, rec)
        if entity_type == GraphEntityType.EDGE:
            self.edges.append(rec[-1])
        elif entity_type == GraphEntityType.NODE:
            self.nodes[rec[0]] = rec[-1]


def _read_with_kgx(archive: bytes, tmp_path: Path) -> _Collector:
    path = tmp_path / "generx.tar.gz"
    path.write_bytes(archive)
    collector = _Collector()
    Transformer(stream=True).transform(
        {"filename": [str(path)], "format": "tsv", "compression": "tar.gz"},
        output_args={"format": "null"},
        inspector=collector,
    )
    return collector


def _export(records: list[dict[str, Any]]) -> tuple[int, bytes]:
    out = io.BytesIO()
    count = write_kgx(documents_from_records(records), out)
    return count, out.getvalue()


def test_archive_has_kgx_columns(records: list[dict[str, Any]]) -> None:
    count, archive = _export(records)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        names = tar.getnames()
        nodes = tar.extractfile("nodes.tsv").read().decode("utf-8").splitlines()  # type: ignore[union-attr]
        edges = tar.extractfile("edges.tsv").read().decode("utf-8").splitlines()  # type: ignore[union-attr]
    assert names == ["nodes.tsv", "edges.tsv"]
    assert nodes[0].split("\t") == list(NODE_COLUMNS)
    assert edges[0].split("\t") == list(EDGE_COLUMNS)
    assert set(NODE_COLUMNS) >= REQUIRED_NODE_COLUMNS
    assert set(EDGE_COLUMNS) >= REQUIRED_EDGE_COLUMNS
    assert all(len(line.split("\t")) == len(NODE_COLUMNS) for line in nodes)
    assert all(len(line.split("\t")) == len(EDGE_COLUMNS) for line in edges)
    # Every record but the ungrounded one is an edge.
    assert count == len(records) - 1 == len(edges) - 1


def test_kgx_reads_and_validates_the_archive(records: list[dict[str, Any]], tmp_path: Path) -> None:
    count, archive = _export(records)
    graph = _read_with_kgx(archive, tmp_path)
    # generx's own family ids are proper CURIEs, but their prefix is in no Biolink context: the only
    # complaint the validator may have. Without the family record the archive validates clean.
    errors = graph.validator.get_errors()
    messages = [message for kinds in errors.get("ERROR", {}).values() for message in kinds]
    assert set(errors) == {"ERROR"} and messages
    assert all("generx.family" in message and "JSON-LD context" in message for message in messages)
    without_family = [r for r in records if not r["subject"]["id"] or "family" not in r["subject"]["id"]]
    assert _read_with_kgx(_export(without_family)[1], tmp_path).validator.get_errors() == {}

    grounded = records[:-1]
    assert len(graph.edges) == count
    ids = {kgx_id(r[side]["id"]) for r in grounded for side in ("subject", "object")}
    assert set(graph.nodes) == ids
    assert graph.nodes["generx.family:NFKB"]["category"] == ["biolink:GeneFamily"]
    assert graph.nodes["HGNC:6001"]["category"] == ["biolink:Gene"]
    assert graph.nodes["HGNC:6001"]["name"] == "IL2"
    assert graph.nodes["GO:0042098"]["category"] == ["biolink:BiologicalProcess"]
    assert graph.nodes["GO:0042098"]["provided_by"] == ["infores:generx"]
    # GO terms take the category of their aspect: a molecular function, a cellular component (complexes too)
    assert graph.nodes["GO:0004674"]["category"] == ["biolink:MolecularActivity"]
    assert graph.nodes["GO:0005739"]["category"] == ["biolink:CellularComponent"]
    assert graph.nodes["GO:0016592"]["category"] == ["biolink:CellularComponent"]
    assert graph.nodes["GO:0005739"]["name"] == "mitochondrion"
    # an HGNC gene group named as such is a GeneFamily under Biolink's own prefix for it
    assert graph.nodes["HGNC.FAMILY:488"]["category"] == ["biolink:GeneFamily"]
    assert graph.nodes["HGNC.FAMILY:488"]["name"] == "Claudins"

    assert len({edge["id"] for edge in graph.edges}) == count
    for record, edge in zip(grounded, graph.edges, strict=True):
        term = PREDICATES[record["predicate"]]
        assert (edge["subject"], edge["predicate"], edge["object"]) == (
            kgx_id(record["subject"]["id"]),
            term.biolink,
            kgx_id(record["object"]["id"]),
        )
        assert edge["original_predicate"] == term.ro
        assert edge["knowledge_level"] == KNOWLEDGE_LEVEL
        assert edge["agent_type"] == AGENT_TYPE
        assert edge["primary_knowledge_source"] == "infores:generx"
        assert edge.get("negated", False) is record["negated"]
        assert edge["hedged"] == str(record["hedged"])
        assert edge["implicit"] == str(record["implicit"])
        assert float(edge["has_confidence_score"]) == record["confidence"]
        assert len(edge["supporting_text"]) == 1
        assert edge.get("object_direction_qualifier") == term.object_direction
        gene_object = record["object"]["type"] == "gene"
        aspect = GENE_OBJECT_ASPECT if term.object_direction and gene_object else None
        assert edge.get("object_aspect_qualifier") == aspect

    from_pubmed = graph.edges[-1]
    assert from_pubmed["publications"] == ["PMID:12345678"]
    assert from_pubmed["supporting_text"] == ["FOXK2 \u00a6 a forkhead factor binds the IL2 promoter"]
    assert all("publications" not in edge for edge in graph.edges[:-1])


def test_go_annotations_are_biolink_edges(records: list[dict[str, Any]], tmp_path: Path) -> None:
    """enables / located_in / part_of: gene to GO term, Biolink predicates with GO's RO / BFO relations as
    original_predicate, no qualifiers; kgx validates them clean."""
    annotations = [r for r in records if r["predicate"] in ("enables", "located_in", "part_of")]
    count, archive = _export(annotations)
    graph = _read_with_kgx(archive, tmp_path)
    assert count == 3 and graph.validator.get_errors() == {}
    edges = {
        (edge["subject"], edge["predicate"], edge["object"], edge["original_predicate"])
        for edge in graph.edges
    }
    assert edges == {
        ("HGNC:391", "biolink:enables", "GO:0004674", "RO:0002327"),
        ("HGNC:20947", "biolink:located_in", "GO:0005739", "RO:0001025"),
        ("HGNC:9234", "biolink:part_of", "GO:0016592", "BFO:0000050"),
    }
    for edge in graph.edges:
        assert not {"qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier"} & set(
            edge
        )
    categories = {node: data["category"] for node, data in graph.nodes.items()}
    assert categories == {
        "HGNC:391": ["biolink:Gene"],
        "HGNC:20947": ["biolink:Gene"],
        "HGNC:9234": ["biolink:Gene"],
        "GO:0004674": ["biolink:MolecularActivity"],
        "GO:0005739": ["biolink:CellularComponent"],
        "GO:0016592": ["biolink:CellularComponent"],
    }


def test_member_of_is_a_biolink_edge_to_a_gene_family(records: list[dict[str, Any]], tmp_path: Path) -> None:
    """member_of: gene to HGNC gene group, biolink:member_of with RO:0002350 as original_predicate, no
    qualifiers, the group a biolink:GeneFamily; kgx validates it clean."""
    count, archive = _export([r for r in records if r["predicate"] == "member_of"])
    graph = _read_with_kgx(archive, tmp_path)
    assert count == 1 and graph.validator.get_errors() == {}
    (edge,) = graph.edges
    assert (edge["subject"], edge["predicate"], edge["object"], edge["original_predicate"]) == (
        "HGNC:2032",
        "biolink:member_of",
        "HGNC.FAMILY:488",
        "RO:0002350",
    )
    assert not {"qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier"} & set(edge)
    categories = {node: data["category"] for node, data in graph.nodes.items()}
    assert categories == {"HGNC:2032": ["biolink:Gene"], "HGNC.FAMILY:488": ["biolink:GeneFamily"]}


def test_binding_mechanism_validates(records: list[dict[str, Any]], tmp_path: Path) -> None:
    """A ``binds`` edge carries the binding mechanism in generx's column and no aspect; a regulation by
    binding has the aspect molecular_interaction. kgx validates both clean."""
    binding = {"type": "binding", "residue": None, "position": None}
    binds = {**copy.deepcopy(records[0]), "predicate": "binds", "mechanism": binding}
    regulates = {**copy.deepcopy(records[0]), "predicate": "positively_regulates", "mechanism": binding}
    count, archive = _export([binds, regulates])
    graph = _read_with_kgx(archive, tmp_path)
    assert count == 2 and graph.validator.get_errors() == {}
    aspects = sorted(str(edge.get("object_aspect_qualifier")) for edge in graph.edges)
    assert aspects == ["None", "molecular_interaction"]


def test_edge_ids_are_stable(records: list[dict[str, Any]]) -> None:
    first = _edge_ids(_export(records)[1])
    assert first == _edge_ids(_export(records)[1])
    assert len(set(first)) == len(first)


def _edge_ids(archive: bytes) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        lines = tar.extractfile("edges.tsv").read().decode("utf-8").splitlines()[1:]  # type: ignore[union-attr]
    return [line.split("\t", 1)[0] for line in lines]


@pytest.mark.parametrize(
    ("statement_id", "expected"),
    [
        ("PMID:12345678", "PMID:12345678"),
        ("pmid_12345678:3", "PMID:12345678"),
        ("PubMed:987", "PMID:987"),
        ("genatlas_IL2.txt:22", None),
        ("PMID:", None),
        (None, None),
    ],
)
def test_publication_from_statement_id(statement_id: str | None, expected: str | None) -> None:
    assert publication(statement_id) == expected


@pytest.mark.parametrize(
    ("curie", "expected"),
    [
        ("HGNC:6001", "HGNC:6001"),
        ("GO:0042098", "GO:0042098"),
        ("generx:family/NFKB", "generx.family:NFKB"),
        ("generx:receptor/IL2/R", "generx.receptor.IL2:R"),
    ],
)
def test_kgx_id(curie: str, expected: str) -> None:
    assert kgx_id(curie) == expected


def test_no_relations_is_an_empty_graph(tmp_path: Path) -> None:
    count, archive = _export([])
    assert count == 0
    graph = _read_with_kgx(archive, tmp_path)
    assert graph.nodes == {} and graph.edges == []


def test_vocabulary_is_current_biolink() -> None:
    """Every Biolink name the export writes exists, undeprecated, in the installed Biolink model."""
    toolkit = get_toolkit()
    assert toolkit.get_model_version().startswith("4.")
    for term in PREDICATES.values():
        element = toolkit.get_element(term.biolink)
        assert toolkit.is_predicate(term.biolink), term
        assert not element.deprecated, term
        if term.qualified_predicate:
            assert toolkit.is_predicate(term.qualified_predicate)
    directions = toolkit.view.get_enum("DirectionQualifierEnum").permissible_values
    for term in PREDICATES.values():
        if term.object_direction:
            # The model maps upregulated / downregulated exactly onto RO's positively / negatively regulates.
            assert term.ro in directions[term.object_direction].exact_mappings
    # The model maps these RO relations exactly onto our predicates; associated_with's RO term, "correlated
    # with", maps onto biolink:correlated_with, a child of the predicate we write.
    assert toolkit.get_element_by_mapping("RO:0002436") == "directly physically interacts with"
    assert PREDICATES["binds"].biolink == "biolink:directly_physically_interacts_with"
    assert toolkit.get_element_by_mapping("RO:0002331") == "actively involved in"
    assert PREDICATES["involved_in"].biolink == "biolink:actively_involved_in"
    assert toolkit.get_element_by_mapping(PREDICATES["associated_with"].ro) == "correlated with"
    assert "biolink:associated_with" in toolkit.get_ancestors("biolink:correlated_with", formatted=True)
    # GO's annotation relations are the exact mappings of the Biolink predicates written for them, and the
    # GO aspects' categories are what those predicates reach.
    for predicate in ("enables", "located_in", "part_of"):
        term = PREDICATES[predicate]
        assert term.ro in toolkit.get_element(term.biolink).exact_mappings, term
    enables_range = toolkit.get_element("biolink:enables").range
    assert toolkit.is_category(CATEGORY_BY_TYPE["function"])
    assert f"biolink:{enables_range.title().replace(' ', '')}" in toolkit.get_ancestors(
        CATEGORY_BY_TYPE["function"], formatted=True
    )
    assert CATEGORY_BY_TYPE["component"] == "biolink:CellularComponent"
    # member_of is RO's "member of"; an HGNC gene group is a GeneFamily, its ids prefixed HGNC.FAMILY
    assert PREDICATES["member_of"].ro in toolkit.get_element("biolink:member_of").exact_mappings
    assert CATEGORY_BY_TYPE["family"] == CATEGORY_BY_PREFIX["HGNC.FAMILY"] == "biolink:GeneFamily"
    assert "HGNC.FAMILY" in toolkit.get_element(CATEGORY_BY_TYPE["family"]).id_prefixes
    aspects = toolkit.view.get_enum("GeneOrGeneProductOrChemicalEntityAspectEnum").permissible_values
    assert GENE_OBJECT_ASPECT in aspects
    assert KNOWLEDGE_LEVEL in toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values
    assert AGENT_TYPE in toolkit.view.get_enum("AgentTypeEnum").permissible_values
    for category in {*CATEGORY_BY_TYPE.values(), *CATEGORY_BY_PREFIX.values()}:
        assert toolkit.is_category(category), category
    for column in set(EDGE_COLUMNS) - GENERX_COLUMNS - {"subject", "predicate", "object"}:
        assert toolkit.get_element(column) is not None, column
