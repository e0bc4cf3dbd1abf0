"""Writers of relation records (JSON Lines, TSV) and the flat form of a record that TSV and the store share.

A record (DESIGN.md) nests ``subject``, ``object``, ``trigger`` and ``evidence``; the flat form names each
leaf ``subject_text``, ``trigger_start``, ... Keys a record may carry beyond the contract (a mention's
``candidates`` or ``members``, fields added later) go to the ``*_extra`` JSON columns so nothing is lost
on the way through the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

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
FORMATS = ("jsonl", "tsv")


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


def write_records(records: Iterable[dict[str, Any]], out: TextIO, *, fmt: str = "jsonl") -> int:
    """Write records in the named format (one of FORMATS); return how many were written."""
    if fmt == "jsonl":
        return write_jsonl(records, out)
    if fmt == "tsv":
        return write_tsv(records, out)
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
