"""BioC XML and PubTator exports: the statement text, its mentions and generx's relations.

Both formats are the ones ``generx.pipelines.statements`` reads, so an export read back with
``read_statements`` gives the same statements with the mentions as given entities (identifier = the
grounded id).

BioC (what ``generx.key`` means). One ``<document>`` per statement: ``<id>`` the statement id, an infon
``gene`` with the context gene when there is one, one passage (offset 0, infon ``type`` = "statement")
holding the text and an ``<annotation>`` per mention (infons ``type`` = Gene / BiologicalProcess /
MolecularFunction / CellularComponent, the last three GO's three aspects, or GeneFamily, an HGNC gene
group, ``identifier`` = grounded id, ``name``, ``members``, ``candidates`` and ``candidate_scores``; a
``<location>`` and the mention's ``<text>``). An implicit argument (the context gene, nowhere in the text)
is a document-level ``<annotation>`` without a location, infon ``implicit`` = "true". Each relation record
is a document-level ``<relation>``: infons ``type`` = predicate, ``sign`` (+, -, or 0 for none stated, as
for the unsigned GO annotation predicates enables, located_in and part_of, and for member_of),
``negated``, ``hedged``, ``implicit``, ``confidence``, ``trigger`` with ``trigger_start`` and
``trigger_end``, ``evidence_start`` and ``evidence_end``, ``pipeline``, and, when the text states a
mechanism, ``mechanism`` (its type) with ``mechanism_residue`` and ``mechanism_position`` when stated;
``<node role="subject">`` and ``<node role="object">`` refer to the annotations of its arguments.

PubTator. A title line ``id|t|text`` holds the whole statement (no ``|a|`` line: the reader joins title
and abstract with a space, which would change the text), then ``id<TAB>start<TAB>end<TAB>text<TAB>type
<TAB>identifier`` per mention and ``id<TAB>predicate<TAB>subject id<TAB>object id`` per relation, subject
first, with a fifth column of comma-separated qualifiers when there are any: ``negated``, ``hedged``, and
``mechanism=TYPE`` or ``mechanism=TYPE@RESIDUEPOSITION`` (``mechanism=phosphorylation@S473``).
PubTator has no place for a statement's context gene: read a file back with
``read_statements(..., gene=...)``; an implicit argument shows only by its id in relation lines.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

from generx.exports import XML_INVALID, Document
from generx.exports.vocabulary import PREDICATES

SOURCE = "generx"
KEY = "generx.key"
# generx's mention types as BioC and PubTator write them; ``generx.pipelines.statements.entity_type`` maps
# both back. Types of given entities (chemical, disease, ...) are written as they came.
SOURCE_TYPES = {
    "gene": "Gene",
    "process": "BiologicalProcess",
    "function": "MolecularFunction",
    "component": "CellularComponent",
    "family": "GeneFamily",
}
SIGN_MARKS = {1: "+", -1: "-", 0: "0"}

# XML parsers turn a CR (and CRLF) in element text into LF; a character reference keeps it.
_TEXT_ENTITIES = {"\r": "&#13;"}
# Characters that would end a PubTator line or field early, or that its reader refuses (NUL).
_PUBTATOR_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\x00": " "})
_PUBTATOR_BAD_ID = re.compile(r"[|\t\r\n\x00]")


class MissingText(ValueError):
    """A Document without its statement text: BioC and PubTator hold the text the offsets point into."""

    def __init__(self, document_id: str, fmt: str) -> None:
        super().__init__(f"document {document_id!r} has no text; {fmt} needs the statement text")
        self.document_id = document_id


class UnwritableId(ValueError):
    """A statement id that a PubTator line cannot hold (empty, or with "|", a tab or a line break)."""

    def __init__(self, document_id: str) -> None:
        super().__init__(f"statement id {document_id!r} cannot be written as a PubTator document id")
        self.document_id = document_id


# --- what both formats write ---------------------------------------------------------------------------


def _mention_key(mention: dict[str, Any]) -> tuple[Any, ...]:
    return (mention.get("start"), mention.get("end"), mention.get("type"), mention.get("id"))


def _implicit_key(mention: dict[str, Any]) -> tuple[Any, ...]:
    return (mention.get("type"), mention.get("id"), mention.get("text"))


def _is_implicit(mention: dict[str, Any]) -> bool:
    return mention.get("start") is None or mention.get("end") is None


def _mentions(document: Document) -> list[dict[str, Any]]:
    """The document's mentions, plus any relation argument missing from them, once each, in text order.

    A Document built from stored records may bring no mention list: its relations' arguments still have to
    be written for the relations to point at them.
    """
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    arguments = (r.get(side) or {} for r in document.relations for side in ("subject", "object"))
    for mention in [*document.mentions, *arguments]:
        if not _is_implicit(mention):
            found.setdefault(_mention_key(mention), mention)
    return sorted(found.values(), key=lambda m: (m["start"], m["end"]))


def _source_type(mention: dict[str, Any]) -> str:
    kind = str(mention.get("type") or "")
    return SOURCE_TYPES.get(kind, kind)


def _flag(value: Any) -> str:
    return "true" if value else "false"


# --- BioC ----------------------------------------------------------------------------------------------


def _xml_text(value: Any) -> str:
    # One replacement character for each character XML cannot hold keeps every offset right.
    return escape(XML_INVALID.sub("\ufffd", str(value)), _TEXT_ENTITIES)


def _xml_attr(value: Any) -> str:
    # quoteattr also writes tabs and line breaks as references, which attribute normalisation would eat.
    return quoteattr(XML_INVALID.sub("\ufffd", str(value)))


def _infon(key: str, value: Any, indent: str) -> str:
    return f"{indent}<infon key={_xml_attr(key)}>{_xml_text(value)}</infon>\n"


def _mention_infons(mention: dict[str, Any], indent: str) -> list[str]:
    parts = [_infon("type", _source_type(mention), indent)]
    if mention.get("id"):
        parts.append(_infon("identifier", mention["id"], indent))
    if mention.get("name"):
        parts.append(_infon("name", mention["name"], indent))
    if mention.get("members"):
        parts.append(_infon("members", ",".join(mention["members"]), indent))
    if mention.get("candidates"):
        candidates = mention["candidates"]
        parts.append(_infon("candidates", ",".join(str(c["id"]) for c in candidates), indent))
        parts.append(_infon("candidate_scores", ",".join(str(c["score"]) for c in candidates), indent))
    return parts


def _bioc_document(document: Document) -> tuple[str, int]:
    """The ``<document>`` element of one Document, and how many relations it holds."""
    if document.text is None:
        raise MissingText(document.id, "BioC")
    parts = ["  <document>\n", f"    <id>{_xml_text(document.id)}</id>\n"]
    if document.gene:
        parts.append(_infon("gene", document.gene, "    "))
    parts += [
        "    <passage>\n",
        _infon("type", "statement", "      "),
        "      <offset>0</offset>\n",
        f"      <text>{_xml_text(document.text)}</text>\n",
    ]
    refs: dict[tuple[Any, ...], str] = {}
    for number, mention in enumerate(_mentions(document), start=1):
        ref = refs[_mention_key(mention)] = f"M{number}"
        start, end = mention["start"], mention["end"]
        parts += [
            f"      <annotation id={_xml_attr(ref)}>\n",
            *_mention_infons(mention, "        "),
            f'        <location offset="{start}" length="{end - start}"/>\n',
            f"        <text>{_xml_text(document.text[start:end])}</text>\n",
            "      </annotation>\n",
        ]
    parts.append("    </passage>\n")
    # Implicit arguments are in no passage: the reader takes its entities from passages only, and a
    # document-level annotation without a location is what BioC has for a concept the text leaves out.
    implicit_refs: dict[tuple[Any, ...], str] = {}
    for relation in document.relations:
        for side in ("subject", "object"):
            mention = relation.get(side) or {}
            if _is_implicit(mention) and _implicit_key(mention) not in implicit_refs:
                ref = implicit_refs[_implicit_key(mention)] = f"C{len(implicit_refs) + 1}"
                parts += [
                    f"    <annotation id={_xml_attr(ref)}>\n",
                    *_mention_infons(mention, "      "),
                    _infon("implicit", "true", "      "),
                    f"      <text>{_xml_text(mention.get('text') or '')}</text>\n",
                    "    </annotation>\n",
                ]
    for number, relation in enumerate(document.relations, start=1):
        parts.append(f'    <relation id="R{number}">\n')
        predicate = relation.get("predicate", "")
        infons: list[tuple[str, Any]] = [
            ("type", predicate),
            ("sign", SIGN_MARKS[term.sign] if (term := PREDICATES.get(predicate)) else "0"),
            ("negated", _flag(relation.get("negated"))),
            ("hedged", _flag(relation.get("hedged"))),
            ("implicit", _flag(relation.get("implicit"))),
        ]
        if relation.get("confidence") is not None:
            infons.append(("confidence", relation["confidence"]))
        for part in ("trigger", "evidence"):
            span = relation.get(part) or {}
            if part == "trigger" and span.get("text") is not None:
                infons.append(("trigger", span["text"]))
            for end in ("start", "end"):
                if span.get(end) is not None:
                    infons.append((f"{part}_{end}", span[end]))
        if relation.get("pipeline"):
            infons.append(("pipeline", relation["pipeline"]))
        mechanism = relation.get("mechanism") or {}
        infons += [
            (f"mechanism_{key}" if key != "type" else "mechanism", mechanism[key])
            for key in ("type", "residue", "position")
            if mechanism.get(key)
        ]
        parts += [_infon(key, value, "      ") for key, value in infons]
        for side in ("subject", "object"):
            mention = relation.get(side) or {}
            if _is_implicit(mention):
                ref = implicit_refs[_implicit_key(mention)]
            else:
                ref = refs[_mention_key(mention)]
            parts.append(f"      <node refid={_xml_attr(ref)} role={_xml_attr(side)}/>\n")
        parts.append("    </relation>\n")
    parts.append("  </document>\n")
    return "".join(parts), len(document.relations)


def write_bioc(documents: Iterable[Document], out: BinaryIO, *, date: str | None = None) -> int:
    """Write a BioC XML collection, one document per statement; return how many relations it holds.

    Each document is written as soon as it is read, so the collection is never held whole. ``date``
    (BioC's yyyymmdd) defaults to today. A Document without text raises MissingText; what came before
    it is already written.
    """
    date = date or datetime.date.today().strftime("%Y%m%d")
    out.write(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE collection SYSTEM "BioC.dtd">\n'
            "<collection>\n"
            f"  <source>{SOURCE}</source>\n"
            f"  <date>{_xml_text(date)}</date>\n"
            f"  <key>{KEY}</key>\n"
        ).encode()
    )
    count = 0
    for document in documents:
        element, relations = _bioc_document(document)
        out.write(element.encode())
        count += relations
    out.write(b"</collection>\n")
    return count


# --- PubTator ------------------------------------------------------------------------------------------


def _one_line(value: Any) -> str:
    # One character for one keeps the offsets; the reader checks each mention against the text.
    return str(value).translate(_PUBTATOR_BREAKS)


def _concept(mention: dict[str, Any]) -> str:
    """A relation argument as PubTator relation lines name it: its id, or its text when ungrounded."""
    return _one_line(mention.get("id") or mention.get("text") or "")


def _pubtator_document(document: Document) -> tuple[str, int]:
    """The lines of one Document (blank line included), and how many relations they hold."""
    if document.text is None:
        raise MissingText(document.id, "PubTator")
    doc_id = document.id
    if not doc_id or _PUBTATOR_BAD_ID.search(doc_id):
        raise UnwritableId(doc_id)
    text = _one_line(document.text)
    lines = [f"{doc_id}|t|{text}"]
    for mention in _mentions(document):
        start, end = mention["start"], mention["end"]
        identifier = mention.get("id") or ""
        fields = [doc_id, str(start), str(end), text[start:end], _source_type(mention), identifier]
        lines.append("\t".join(_one_line(field) for field in fields))
    for relation in document.relations:
        subject, obj = relation.get("subject") or {}, relation.get("object") or {}
        fields = [doc_id, _one_line(relation.get("predicate", "")), _concept(subject), _concept(obj)]
        qualifiers = [flag for flag in ("negated", "hedged") if relation.get(flag)]
        if mechanism := _mechanism_qualifier(relation.get("mechanism")):
            qualifiers.append(mechanism)
        if qualifiers:
            fields.append(",".join(qualifiers))
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n\n", len(document.relations)


def _mechanism_qualifier(mechanism: dict[str, Any] | None) -> str | None:
    """``mechanism=phosphorylation@S473`` (residue and position only when stated), or None."""
    if not mechanism or not mechanism.get("type"):
        return None
    site = f"{mechanism.get('residue') or ''}{mechanism.get('position') or ''}"
    return _one_line(f"mechanism={mechanism['type']}" + (f"@{site}" if site else "")).replace(",", " ")


def write_pubtator(documents: Iterable[Document], out: BinaryIO) -> int:
    """Write PubTator, one document per statement, as each is read; return how many relations it holds.

    A Document without text raises MissingText, an id PubTator cannot hold UnwritableId; what came before
    it is already written.
    """
    count = 0
    for document in documents:
        lines, relations = _pubtator_document(document)
        out.write(lines.encode())
        count += relations
    return count
