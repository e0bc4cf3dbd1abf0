"""The relation record: the one definition every producer, writer, reader, the store and the API use.

A record (``../shared/DESIGN.md``) says that a subject relates to an object by a predicate, with the
trigger and evidence that state it, its flags and its confidence. It is a plain JSON object; the
``TypedDict`` classes here type it for mypy, ``json_schema()`` publishes it as JSON Schema
(``schema/relation.schema.json``, ``generx schema``), and ``PREDICATES`` is the controlled predicate
vocabulary with its mapping onto the Relation Ontology and the Biolink model (extend it only with one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, NotRequired

# pydantic reads TypedDicts for the JSON Schema and needs typing_extensions' on Python < 3.12.
from typing_extensions import TypedDict

# A gene, or a Gene Ontology term of one of GO's three aspects: a biological process, a molecular function
# (what the gene's product does: "a serine/threonine kinase", "binds DNA"), or a cellular component
# (where it is or what it is part of: "localizes to mitochondria", "a subunit of the mediator complex"); or a
# gene family, an HGNC gene group ("a member of the claudin family": HGNC.FAMILY:..., Biolink's prefix).
ArgumentType = Literal["gene", "process", "function", "component", "family"]
PredicateName = Literal[
    "positively_regulates",
    "negatively_regulates",
    "regulates",
    "binds",
    "involved_in",
    "associated_with",
    "enables",
    "located_in",
    "part_of",
    "member_of",
]
# How an argument that names no gene of its own was read: "context", the statement's context gene,
# through an anaphor ("this gene", "the encoded protein", "it") or the gene's own name; "class", through
# what the text says of the gene's class ("microRNAs are ...", "Members of this family ..."), which holds
# for the gene as for every member.
Resolution = Literal["context", "class"]
MechanismType = Literal[
    "phosphorylation",
    "dephosphorylation",
    "ubiquitination",
    "deubiquitination",
    "acetylation",
    "deacetylation",
    "methylation",
    "demethylation",
    "sumoylation",
    "desumoylation",
    "glycosylation",
    "deglycosylation",
    "cleavage",
    "degradation",
    "stabilization",
    "transcription",
    "expression",
    "activity",
    "localization",
    "secretion",
    "binding",
]

# The covalent modifications of the vocabulary, each with its reverse ("inhibits phosphorylation of Y"
# reads as dephosphorylation); a modification may carry a residue and a position.
REVERSE_MODIFICATION: dict[MechanismType, MechanismType] = {
    "phosphorylation": "dephosphorylation",
    "ubiquitination": "deubiquitination",
    "acetylation": "deacetylation",
    "methylation": "demethylation",
    "sumoylation": "desumoylation",
    "glycosylation": "deglycosylation",
}
REVERSE_MODIFICATION.update({reverse: forward for forward, reverse in list(REVERSE_MODIFICATION.items())})
MODIFICATIONS = frozenset(REVERSE_MODIFICATION)


class Candidate(TypedDict):
    """One ranked reading of an ambiguous name."""

    id: str
    score: float


class Argument(TypedDict):
    """A subject or object: the words, their offsets into the statement (null when implicit), the
    argument type, and what it is grounded to (HGNC id and approved symbol, or GO id and term name)."""

    text: str
    start: int | None
    end: int | None
    type: ArgumentType
    id: str | None
    name: str | None
    candidates: NotRequired[list[Candidate]]
    members: NotRequired[list[str]]
    resolved: NotRequired[Resolution]


class Span(TypedDict):
    """Words of the statement with their character offsets (end-exclusive)."""

    text: str
    start: int
    end: int


class Mechanism(TypedDict):
    """How the subject acts on the object, when the text says it; ``residue`` and ``position`` of a
    modification when stated ("Ser-473": S, 473)."""

    type: MechanismType
    residue: str | None
    position: str | None


class Relation(TypedDict):
    """One relation record."""

    statement_id: str | None
    subject: Argument
    predicate: PredicateName
    object: Argument
    negated: bool
    hedged: bool
    implicit: bool
    mechanism: NotRequired[Mechanism | None]
    trigger: Span
    evidence: Span
    confidence: float
    pipeline: str | None


@dataclass(frozen=True)
class PredicateTerm:
    """How one predicate is written outside generx.

    ``sign``: 1 up, -1 down, 0 none stated. ``symmetric`` marks a relation whose argument order carries
    no meaning. Biolink 4 has no signed regulation predicates: a signed regulation is
    ``biolink:regulates`` with ``qualified_predicate`` and ``object_direction`` qualifiers, whose exact
    mappings in the model are RO:0002213 and RO:0002212.
    """

    predicate: PredicateName
    ro: str
    ro_label: str
    biolink: str
    sign: int
    symmetric: bool
    qualified_predicate: str | None = None
    object_direction: str | None = None


PREDICATES: dict[str, PredicateTerm] = {
    term.predicate: term
    for term in (
        PredicateTerm(
            "positively_regulates",
            "RO:0002213",
            "positively regulates",
            "biolink:regulates",
            1,
            False,
            qualified_predicate="biolink:causes",
            object_direction="upregulated",
        ),
        PredicateTerm(
            "negatively_regulates",
            "RO:0002212",
            "negatively regulates",
            "biolink:regulates",
            -1,
            False,
            qualified_predicate="biolink:causes",
            object_direction="downregulated",
        ),
        PredicateTerm("regulates", "RO:0002211", "regulates", "biolink:regulates", 0, False),
        # RO:0002436 "molecularly interacts with" is the exact mapping of Biolink's
        # directly_physically_interacts_with; biolink:binds, its child, is deprecated.
        PredicateTerm(
            "binds",
            "RO:0002436",
            "molecularly interacts with",
            "biolink:directly_physically_interacts_with",
            0,
            True,
        ),
        PredicateTerm("involved_in", "RO:0002331", "involved in", "biolink:actively_involved_in", 0, False),
        # DESIGN.md reads associated_with as "correlation, no causal claim": RO's "correlated with" is
        # the closest RO term; Biolink's associated_with (non-causal, symmetric) is kept as the predicate
        # because a sentence is not the statistical analysis biolink:correlated_with asks for.
        PredicateTerm("associated_with", "RO:0002610", "correlated with", "biolink:associated_with", 0, True),
        # The gene's product and a GO molecular function or cellular component: the relations of GO's own
        # annotations (GO-CAM's gene product to term relations), so a record reads as an annotation.
        PredicateTerm("enables", "RO:0002327", "enables", "biolink:enables", 0, False),
        PredicateTerm("located_in", "RO:0001025", "located in", "biolink:located_in", 0, False),
        PredicateTerm("part_of", "BFO:0000050", "part of", "biolink:part_of", 0, False),
        # A gene and the family (HGNC gene group) the text puts it in.
        PredicateTerm("member_of", "RO:0002350", "member of", "biolink:member_of", 0, False),
    )
}
PREDICATE_BY_SIGN: dict[int, PredicateName] = {
    1: "positively_regulates",
    -1: "negatively_regulates",
    0: "regulates",
}
SYMMETRIC_PREDICATES = frozenset(name for name, term in PREDICATES.items() if term.symmetric)


# --- The flat form ---------------------------------------------------------------------------------------
#
# A record nests ``subject``, ``object``, ``trigger`` and ``evidence``; the flat form (TSV, the store's
# columns) names each leaf ``subject_text``, ``trigger_start``, ... Keys a record may carry beyond these
# columns (a mention's ``candidates``, ``members`` or ``resolved``, the ``mechanism``) go to the
# ``*_extra`` JSON columns, so nothing is lost on the way through the store.

MENTION_FIELDS = ("text", "start", "end", "type", "id", "name")
SPAN_FIELDS = ("text", "start", "end")
FLAGS = ("negated", "hedged", "implicit")

MECHANISM_FIELDS = ("type", "residue", "position")

# TSV writes the mechanism's fields as columns of their own; the store keeps the mechanism whole in the
# ``extra`` JSON column (``flatten``), with every other key beyond the contract.
TSV_COLUMNS: tuple[str, ...] = (
    "statement_id",
    *(f"subject_{name}" for name in MENTION_FIELDS),
    "predicate",
    *(f"object_{name}" for name in MENTION_FIELDS),
    *FLAGS,
    *(f"mechanism_{name}" for name in MECHANISM_FIELDS),
    *(f"trigger_{name}" for name in SPAN_FIELDS),
    *(f"evidence_{name}" for name in SPAN_FIELDS),
    "confidence",
    "pipeline",
)
RECORD_KEYS = ("statement_id", "subject", "predicate", "object", *FLAGS, "trigger", "evidence", "confidence")
EXTRA_COLUMNS = ("subject_extra", "object_extra", "extra")


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """The flat columns of a relation record (TSV_COLUMNS plus the ``*_extra`` JSON-able dicts)."""
    row: dict[str, Any] = {"statement_id": record.get("statement_id")}
    for side in ("subject", "object"):
        mention = record.get(side) or {}
        for name in MENTION_FIELDS:
            row[f"{side}_{name}"] = mention.get(name)
        row[f"{side}_extra"] = {k: v for k, v in mention.items() if k not in MENTION_FIELDS} or None
    row["predicate"] = record.get("predicate")
    for flag in FLAGS:
        row[flag] = bool(record.get(flag))
    for part in ("trigger", "evidence"):
        span = record.get(part) or {}
        for name in SPAN_FIELDS:
            row[f"{part}_{name}"] = span.get(name)
    row["confidence"] = record.get("confidence")
    row["pipeline"] = record.get("pipeline")
    known = {*RECORD_KEYS, "pipeline"}
    row["extra"] = {k: v for k, v in record.items() if k not in known} or None
    return row


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """The relation record of a flat row: the inverse of ``flatten``."""
    record: dict[str, Any] = {"statement_id": row["statement_id"]}
    for side in ("subject", "object"):
        mention = {name: row[f"{side}_{name}"] for name in MENTION_FIELDS}
        mention.update(row.get(f"{side}_extra") or {})
        record[side] = mention
        if side == "subject":
            record["predicate"] = row["predicate"]
    for flag in FLAGS:
        record[flag] = bool(row[flag])
    for part in ("trigger", "evidence"):
        has_span = any(row[f"{part}_{name}"] is not None for name in SPAN_FIELDS)
        record[part] = {name: row[f"{part}_{name}"] for name in SPAN_FIELDS} if has_span else None
    record["confidence"] = row["confidence"]
    # Kept only when the pipeline stamped it, so a record read back equals the record stored.
    if row.get("pipeline") is not None:
        record["pipeline"] = row["pipeline"]
    record.update(row.get("extra") or {})
    return record


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one relation record."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Relation).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://generx.dev/schema/relation.schema.json",
        **schema,
    }


def json_schema_text() -> str:
    """``json_schema()`` as the text of ``schema/relation.schema.json``."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
