"""Writers of relation records, every format generx exports, and the flat form of a record (TSV, store).

``EXPORTS`` names each output format ``generx extract``, ``generx results`` and the HTTP API offer: JSON
Lines and TSV here, the formats of downstream tools in ``generx.exports``. Each writes documents
(``generx.exports.Document``) to a binary stream as it reads them.


A record (DESIGN.md) nests ``subject``, ``object``, ``trigger`` and ``evidence``; the flat form names each
leaf ``subject_text``, ``trigger_start``, ... Keys a record may carry beyond the contract (a mention's
``candidates`` or ``members``, fields added later) go to the ``*_extra`` JSON columns so nothing is lost
on the way through the store.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO

from generx.exports import Document, iter_relations
from generx.exports.bel import write_bel
from generx.exports.bioc import write_bioc, write_pubtator
from generx.exports.indra import write_indra
from generx.exports.kgx import write_kgx
from generx.exports.network import write_cx, write_graphml, write_sif
from generx.exports.report import write_network_svg, write_report

MENTION_FIELDS = ("text", "start", "end", "type", "id", "name")
SPAN_FIELDS = ("text", "start", "end")
FLAGS = ("negated", "hedged", "implicit")

TSV_COLUMNS: tuple[str, ...] = (
    "statement_id",
    *(f"subject_{name}" for name in MENTION_FIELDS),
    "predicate",
    *(f"object_{name}" for name in MENTION_FIELDS),
    *FLAGS,
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


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write one JSON object a line; return how many records were written."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _tsv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Backslash escapes keep one relation on one line even when a statement holds tabs or newlines.
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(records: Iterable[dict[str, Any]], out: TextIO, *, header: bool = True) -> int:
    """Write a header and one row per relation in TSV_COLUMNS; return how many records were written."""
    if header:
        out.write("\t".join(TSV_COLUMNS) + "\n")
    count = 0
    for record in records:
        row = flatten(record)
        out.write("\t".join(_tsv_cell(row[column]) for column in TSV_COLUMNS) + "\n")
        count += 1
    return count


def _as_text(
    writer: Callable[[Iterable[dict[str, Any]], TextIO], int],
) -> Callable[[Iterable[Document], BinaryIO], int]:
    def write(documents: Iterable[Document], out: BinaryIO) -> int:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            return writer(iter_relations(documents), text)
        finally:
            text.detach()  # leave ``out`` open for its owner

    return write


def _report(documents: Iterable[Document], out: BinaryIO) -> int:
    return write_report(documents, out, title="generx relations")


@dataclass(frozen=True)
class Export:
    """An output format: its writer, the media type and file suffix it is served with, and whether it
    needs each statement's text and mentions (which a JSON Lines file of records does not carry)."""

    write: Callable[[Iterable[Document], BinaryIO], int]
    media_type: str
    suffix: str
    needs_text: bool = False


EXPORTS: dict[str, Export] = {
    "jsonl": Export(_as_text(write_jsonl), "application/x-ndjson", ".jsonl"),
    "tsv": Export(_as_text(write_tsv), "text/tab-separated-values", ".tsv"),
    "indra": Export(write_indra, "application/json", ".indra.json"),
    "bel": Export(write_bel, "text/plain", ".bel"),
    "sif": Export(write_sif, "application/gzip", ".sif.tar.gz"),
    "cx": Export(write_cx, "application/json", ".cx"),
    "graphml": Export(write_graphml, "application/xml", ".graphml"),
    "kgx": Export(write_kgx, "application/gzip", ".kgx.tar.gz"),
    "bioc": Export(write_bioc, "application/xml", ".bioc.xml", needs_text=True),
    "pubtator": Export(write_pubtator, "text/plain", ".pubtator", needs_text=True),
    "html": Export(_report, "text/html", ".html"),
    "svg": Export(write_network_svg, "image/svg+xml", ".svg"),
}
FORMATS = tuple(EXPORTS)


def write_export(documents: Iterable[Document], out: BinaryIO, *, fmt: str = "jsonl") -> int:
    """Write the documents' relations in the named format (one of FORMATS); return the count written."""
    if fmt not in EXPORTS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return EXPORTS[fmt].write(documents, out)
