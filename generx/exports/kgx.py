"""Relation records as a Biolink KGX knowledge graph: a gzipped tar of ``nodes.tsv`` and ``edges.tsv``.

KGX (the Biolink model's exchange format, read by ``kgx transform`` and the Translator tools) names
nodes by CURIE with a Biolink category, and edges by a Biolink predicate, with the provenance columns
Biolink 4 requires of every edge (``knowledge_level``, ``agent_type``, ``primary_knowledge_source``).
The predicate mapping is ``generx.exports.vocabulary``'s; the generx predicate itself travels as the
RO CURIE in ``original_predicate``. Multi-valued cells are ``|``-separated, as KGX writes them.

Node categories follow the argument's type: a gene is ``biolink:Gene`` (a family ``biolink:GeneFamily``),
and a GO term the category of its aspect: ``biolink:BiologicalProcess``, ``biolink:MolecularActivity``
(a molecular function) or ``biolink:CellularComponent`` (complexes included). The GO annotation
predicates are the Biolink predicates whose exact mappings are GO's annotation relations: ``enables``
(RO:0002327) -> ``biolink:enables`` (gene to MolecularActivity), ``located_in`` (RO:0001025) ->
``biolink:located_in`` and ``part_of`` (BFO:0000050) -> ``biolink:part_of`` (gene to CellularComponent),
with no qualifiers: they are unsigned and say nothing of an aspect of the gene. A gene family named as
such (an HGNC gene group, ``HGNC.FAMILY:...``, type ``family``) is a ``biolink:GeneFamily`` too, and
``member_of`` (RO:0002350) is ``biolink:member_of``, gene to GeneFamily, unqualified as well.

The mechanism (``generx.record.Mechanism``) of a relation to a gene is its ``object_aspect_qualifier``
(Biolink's GeneOrGeneProductOrChemicalEntityAspectEnum: activity, expression, degradation, stability,
localization, secretion, cleavage, molecular_interaction, and each modification by name; transcription
is expression, a reverse modification its forward one) with ``qualified_predicate: biolink:causes`` and
an ``object_direction_qualifier`` saying which way the aspect moves: the predicate's sign for an amount,
activity or place, turned round for degradation (more degradation is less of the gene), and
``upregulated`` for a modification or cleavage, ``downregulated`` for a reverse modification, whatever
the sign. Without a mechanism, a signed relation to a gene keeps the aspect ``activity_or_abundance``.
The mechanism's type, residue and position also travel whole in generx's own columns.

A relation with an ungrounded argument is left out: a KGX node must be an identified entity, and a
mention's text is not an id. The number returned counts the edges written, not the records read.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from typing import Any, BinaryIO

from generx.exports import Document, iter_relations, pmid_of
from generx.exports.network import node_name, spool, tsv_cell, tsv_row, write_tar_gz
from generx.exports.vocabulary import category, predicate_term

log = logging.getLogger(__name__)

INFORES = "infores:generx"
# Text-mined assertions: what a source sentence states, produced by software with no curator between.
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "text_mining_agent"
# Biolink 4: what a signed regulation of a gene changes (abundance or activity; a sentence rarely says).
GENE_OBJECT_ASPECT = "activity_or_abundance"

NODE_COLUMNS = ("id", "category", "name", "provided_by")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "qualified_predicate",
    "object_aspect_qualifier",
    "object_direction_qualifier",
    "original_predicate",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
    "has_confidence_score",
    "supporting_text",
    # generx's own, outside the Biolink model: KGX carries extra columns through unchanged.
    "hedged",
    "implicit",
    "statement_id",
    "mechanism",
    "mechanism_residue",
    "mechanism_position",
)
# generx mechanism -> (Biolink aspect, which way the subject moves it: "sign" the predicate's sign,
# "against" the sign turned round, "up" / "down" a modification made or undone).
_MODIFIED = (
    "phosphorylation",
    "ubiquitination",
    "acetylation",
    "methylation",
    "sumoylation",
    "glycosylation",
)
ASPECTS: dict[str, tuple[str, str]] = {
    "activity": ("activity", "sign"),
    "expression": ("expression", "sign"),
    "transcription": ("expression", "sign"),
    "stabilization": ("stability", "sign"),
    "localization": ("localization", "sign"),
    "secretion": ("secretion", "sign"),
    "binding": ("molecular_interaction", "sign"),
    "degradation": ("degradation", "against"),
    "cleavage": ("cleavage", "up"),
    **{kind: (kind, "up") for kind in _MODIFIED},
    **{f"de{kind}": (kind, "down") for kind in _MODIFIED},
}
DIRECTIONS = {1: "upregulated", -1: "downregulated"}
LIST_DELIMITER = "|"
# KGX has no escape for its list delimiter: a literal one in free text would split the cell on reading.
_DELIMITER_STANDIN = "\u00a6"
# Edge ids are UUIDs derived from the record, so exporting the same records again gives the same ids.
_EDGE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/generx/edges")


def kgx_cell(value: Any) -> str:
    """A free-text KGX cell: a TSV cell with the list delimiter replaced by a look-alike."""
    return tsv_cell(value).replace(LIST_DELIMITER, _DELIMITER_STANDIN)


def publication(statement_id: str | None) -> str | None:
    """The ``PMID:`` CURIE of a statement that comes from a PubMed record, else None."""
    pmid = pmid_of(statement_id)
    return f"PMID:{pmid}" if pmid else None


def kgx_id(curie: str) -> str:
    """A grounded id as a CURIE KGX accepts: a ``/`` in the local part moves into the prefix.

    generx grounds a family or complex to ``generx:family/NFKB``; KGX's CURIE check allows no ``/``
    after the colon, so the id is written ``generx.family:NFKB`` (one prefix per id space, as
    Bioregistry names them). HGNC and GO ids are unchanged.
    """
    prefix, _, local = curie.partition(":")
    space, slash, rest = local.rpartition("/")
    if not slash:
        return curie
    return f"{prefix}.{space.replace('/', '.')}:{rest}"


def edge_id(relation: dict[str, Any]) -> str:
    """A stable id for a relation record: a name-based UUID of its canonical JSON."""
    canonical = json.dumps(relation, sort_keys=True, ensure_ascii=False, default=str)
    return f"urn:uuid:{uuid.uuid5(_EDGE_NAMESPACE, canonical)}"


def edge_row(relation: dict[str, Any], *, knowledge_source: str = INFORES) -> tuple[Any, ...]:
    """The cells of ``edges.tsv`` (in EDGE_COLUMNS order) of a relation whose arguments are grounded."""
    term = predicate_term(relation["predicate"])
    obj = relation["object"]
    qualified, aspect, direction = object_qualifiers(relation)
    mechanism = relation.get("mechanism") or {}
    evidence = relation.get("evidence") or {}
    return (
        edge_id(relation),
        kgx_id(relation["subject"]["id"]),
        term.biolink,
        kgx_id(obj["id"]),
        qualified,
        aspect,
        direction,
        term.ro,
        # KGX reads this column as bool(text), so "False" would come back true: not negated is empty,
        # which Biolink reads as false.
        "True" if relation.get("negated") else None,
        KNOWLEDGE_LEVEL,
        AGENT_TYPE,
        knowledge_source,
        publication(relation.get("statement_id")),
        relation.get("confidence"),
        kgx_cell(evidence.get("text")) or None,
        "True" if relation.get("hedged") else "False",
        "True" if relation.get("implicit") else "False",
        kgx_cell(relation.get("statement_id")),
        mechanism.get("type"),
        mechanism.get("residue"),
        mechanism.get("position"),
    )


def object_qualifiers(relation: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(qualified_predicate, object_aspect_qualifier, object_direction_qualifier) of a relation."""
    term = predicate_term(relation["predicate"])
    if relation["object"].get("type") != "gene":
        return term.qualified_predicate, None, term.object_direction
    kind = (relation.get("mechanism") or {}).get("type")
    if kind not in ASPECTS or term.predicate not in (
        "positively_regulates",
        "negatively_regulates",
        "regulates",
    ):
        aspect = GENE_OBJECT_ASPECT if term.object_direction else None
        return term.qualified_predicate, aspect, term.object_direction
    aspect, moves = ASPECTS[kind]
    sign = {"sign": term.sign, "against": -term.sign, "up": 1, "down": -1}[moves]
    direction = DIRECTIONS.get(sign)
    return ("biolink:causes" if direction else None), aspect, direction


def write_kgx(documents: Iterable[Document], out: BinaryIO, *, knowledge_source: str = INFORES) -> int:
    """Write a gzipped tar of KGX ``nodes.tsv`` and ``edges.tsv``; return how many edges it holds.

    Edges are spooled as they are read; a node row is spooled the first time its id is seen (only the
    set of ids is kept), and the archive is assembled at the end because a tar member's size goes
    before its content. ``knowledge_source`` is the infores CURIE of the edges and nodes.
    """
    written = skipped = 0
    seen: set[str] = set()
    with spool() as nodes, spool() as edges:
        nodes.write(tsv_row(NODE_COLUMNS))
        edges.write(tsv_row(EDGE_COLUMNS))
        for relation in iter_relations(documents):
            subject, obj = relation["subject"], relation["object"]
            if not subject.get("id") or not obj.get("id"):
                skipped += 1
                continue
            for mention in (subject, obj):
                if mention["id"] not in seen:
                    seen.add(mention["id"])
                    row = (
                        kgx_id(mention["id"]),
                        category(mention),
                        kgx_cell(node_name(mention)),
                        knowledge_source,
                    )
                    nodes.write(tsv_row(row))
            edges.write(tsv_row(edge_row(relation, knowledge_source=knowledge_source)))
            written += 1
        write_tar_gz(out, (("nodes.tsv", nodes), ("edges.tsv", edges)))
    if skipped:
        log.warning("KGX export left out %s relations with an ungrounded argument", skipped)
    return written
