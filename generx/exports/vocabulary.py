"""generx's predicates and argument types as the exporters name them outside generx.

The predicate vocabulary and its RO / Biolink mapping live with the record (``generx.record``); this
module adds the Biolink categories of arguments, for every exporter that names nodes by an outside
vocabulary (KGX, the network formats). The Biolink names are those of Biolink 4.4 (checked by the tests
against the ``biolink-model`` package's YAML through ``bmt``), where the old ``positively_regulates`` /
``negatively_regulates`` predicates no longer exist: a signed regulation is ``biolink:regulates``
with ``qualified_predicate: biolink:causes`` and an ``object_direction_qualifier`` (``upregulated`` and
``downregulated``, whose exact mappings in the model are RO:0002213 and RO:0002212).
"""

from __future__ import annotations

from typing import Any

from generx.record import PREDICATES, PredicateTerm

__all__ = [
    "CATEGORY_BY_PREFIX",
    "CATEGORY_BY_TYPE",
    "GO_TYPES",
    "PREDICATES",
    "PredicateTerm",
    "category",
    "namespace",
]


# Biolink categories of generx's argument types, and of the id spaces that refine them. A GO id names a
# term of one of GO's three aspects: the argument's type says which (a complex, "mediator complex", is a
# GO cellular component and stays biolink:CellularComponent, as GO annotations to it are loaded). A gene
# family is an HGNC gene group, HGNC.FAMILY:... (Biolink's prefix for them), a biolink:GeneFamily.
CATEGORY_BY_TYPE = {
    "gene": "biolink:Gene",
    "process": "biolink:BiologicalProcess",
    "function": "biolink:MolecularActivity",
    "component": "biolink:CellularComponent",
    "family": "biolink:GeneFamily",
}
GO_TYPES = frozenset({"process", "function", "component"})
# A family or complex written as one name (NF-kappaB) is grounded to a generx:family/... id.
CATEGORY_BY_PREFIX = {
    "HGNC": "biolink:Gene",
    "HGNC.FAMILY": "biolink:GeneFamily",
    "GO": "biolink:BiologicalProcess",
    "generx": "biolink:GeneFamily",
}
DEFAULT_CATEGORY = "biolink:NamedThing"


def predicate_term(predicate: str) -> PredicateTerm:
    """The mapping of a generx predicate; a predicate outside the vocabulary is a ``KeyError``."""
    try:
        return PREDICATES[predicate]
    except KeyError as err:
        raise KeyError(f"predicate {predicate!r} has no mapping in generx.exports.vocabulary") from err


def namespace(curie: str | None) -> str:
    """The prefix of a CURIE (``HGNC`` of ``HGNC:6001``); empty for an ungrounded mention."""
    if not curie or ":" not in curie:
        return ""
    return curie.split(":", 1)[0]


def category(mention: dict[str, Any]) -> str:
    """The Biolink category of a record's subject or object: by id space first (by GO aspect, that is
    the type, for a GO id), then by type."""
    kind = str(mention.get("type"))
    prefix = namespace(mention.get("id"))
    if prefix == "GO" and kind in GO_TYPES:
        return CATEGORY_BY_TYPE[kind]
    by_prefix = CATEGORY_BY_PREFIX.get(prefix)
    if by_prefix is not None:
        return by_prefix
    return CATEGORY_BY_TYPE.get(kind, DEFAULT_CATEGORY)
