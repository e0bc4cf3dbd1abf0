"""generx's predicates and argument types mapped onto the Relation Ontology and the Biolink model.

DESIGN.md fixes the vocabulary (six predicates) and says it is extended only with a mapping: this is
that mapping, in one place, for every exporter that names relations or nodes by an outside vocabulary
(KGX, the network formats). The Biolink names are those of Biolink 4.4 (checked by the tests against
the ``biolink-model`` package's YAML through ``bmt``), where the old ``positively_regulates`` /
``negatively_regulates`` predicates no longer exist: a signed regulation is ``biolink:regulates``
with ``qualified_predicate: biolink:causes`` and an ``object_direction_qualifier`` (``upregulated`` and
``downregulated``, whose exact mappings in the model are RO:0002213 and RO:0002212).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PredicateTerm:
    """How one generx predicate is written outside generx.

    ``sign`` follows ``pipelines.relations.PREDICATE_BY_SIGN`` (1 up, -1 down, 0 none stated);
    ``symmetric`` marks a relation whose argument order carries no meaning, which the directed network
    formats keep as an edge attribute rather than an undirected edge.
    """

    predicate: str
    ro: str
    ro_label: str
    biolink: str
    sign: int
    symmetric: bool
    # Biolink 4 qualifiers of a signed regulation; None where the predicate carries no direction.
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
    )
}

# Biolink categories of generx's argument types, and of the id spaces that refine them.
CATEGORY_BY_TYPE = {"gene": "biolink:Gene", "process": "biolink:BiologicalProcess"}
# A family or complex written as one name (NF-kappaB) is grounded to a generx:family/... id.
CATEGORY_BY_PREFIX = {
    "HGNC": "biolink:Gene",
    "GO": "biolink:BiologicalProcess",
    "generx": "biolink:GeneFamily",
}
DEFAULT_CATEGORY = "biolink:NamedThing"


def predicate_term(predicate: str) -> PredicateTerm:
    """The mapping of a generx predicate; a predicate outside the vocabulary is a ``KeyError``."""
    try:
        return PREDICATES[predicate]
    except KeyError as err:
        raise KeyError(f"predicate {predicate!r} has no mapping in worker.exports.vocabulary") from err


def namespace(curie: str | None) -> str:
    """The prefix of a CURIE (``HGNC`` of ``HGNC:6001``); empty for an ungrounded mention."""
    if not curie or ":" not in curie:
        return ""
    return curie.split(":", 1)[0]


def category(mention: dict[str, Any]) -> str:
    """The Biolink category of a record's subject or object: by id space first, then by type."""
    by_prefix = CATEGORY_BY_PREFIX.get(namespace(mention.get("id")))
    if by_prefix is not None:
        return by_prefix
    return CATEGORY_BY_TYPE.get(str(mention.get("type")), DEFAULT_CATEGORY)
