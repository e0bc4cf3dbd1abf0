"""Doc -> plain records: the relation record of DESIGN.md, and the mentions behind it."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from generx.pipelines.annotations import MENTIONS


def argument_key(record: dict[str, Any]) -> str:
    """What makes two arguments the same: the grounded id, else the text, case-folded."""
    return str(record["id"] or record["text"]).lower()


def mention_key(span: Span) -> str:
    """``argument_key`` of a mention's record, without building the record."""
    return (span.kb_id_ or span.text).lower()


def mention_record(span: Span) -> dict[str, Any]:
    """A mention as the record's subject/object: text, offsets, type, grounded id and name."""
    record: dict[str, Any] = {
        "text": span.text,
        "start": span.start_char,
        "end": span.end_char,
        "type": span.label_,
        "id": span.kb_id_ or None,
        "name": span._.name or None,
    }
    if span._.candidates:
        record["candidates"] = [{"id": i, "score": round(s, 3)} for i, s in span._.candidates]
    if span._.members:
        record["members"] = list(span._.members)
    if span._.resolved:
        record["resolved"] = span._.resolved
    return record


def doc_to_mentions(doc: Doc) -> list[dict[str, Any]]:
    """Every gene and process mention of the Doc, in text order."""
    spans = doc.spans.get(MENTIONS, [])
    return [mention_record(span) for span in sorted(spans, key=lambda s: (s.start_char, s.end_char))]


def doc_to_records(doc: Doc, *, pipeline: str | None = None) -> list[dict[str, Any]]:
    """The Doc's relations as records of the contract in DESIGN.md; ``pipeline`` names what made them."""
    relations = doc._.relations or []
    return [{**relation.to_record(doc), "pipeline": pipeline} for relation in relations]
