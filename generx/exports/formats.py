"""Writers of relation records, every format generx exports, and the flat form of a record (TSV, store).

``EXPORTS`` names each output format ``generx extract``, ``generx results`` and the HTTP API offer: JSON
Lines and TSV here, the formats of downstream tools in ``generx.exports``. Each writes documents
(``generx.exports.Document``) to a binary stream as it reads them.


The flat form of a record (TSV columns, the store's columns) is defined with the record, in
``generx.record``.
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
from generx.record import TSV_COLUMNS, flatten


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
