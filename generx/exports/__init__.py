"""Exports of relation records to the formats downstream tools read.

Every writer takes an iterable of ``Document`` (one statement with the mentions and relations generx
found in it) and a binary stream, writes as it reads (so a million relations take no more memory than
ten), and returns how many relations it wrote. Formats that need the statement's text (BioC,
PubTator) get it from the job's store or from ``generx extract``; a JSON Lines file of records only
carries each relation's evidence sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# Characters XML 1.0 cannot hold even as character references (C0 controls but tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF); each XML writer replaces them in its own way.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# A statement id naming a PubMed record: bare ("12345678"), or with a PMID / PubMed prefix, which may be
# followed by a sentence number ("PMID:12345678", "pubmed: 42", "pmid_12345678:3").
_PMID = re.compile(r"^(?:(?:pmid|pubmed)[\s:_]*(\d{1,9})(?::\d+)?|(\d{1,9}))$", re.IGNORECASE)


def pmid_of(statement_id: str | None) -> str | None:
    """The PubMed id a statement id names, or None; one rule for every format that cites PubMed."""
    match = _PMID.match((statement_id or "").strip())
    return (match.group(1) or match.group(2)) if match else None


@dataclass
class Document:
    """One statement and what generx found in it; ``text`` is None when only the records are known."""

    id: str
    text: str | None = None
    gene: str | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)


def documents_from_records(records: Iterable[dict[str, Any]]) -> Iterator[Document]:
    """Group relation records (in statement order) into Documents without their text."""
    for statement_id, group in itertools.groupby(records, key=lambda record: record.get("statement_id")):
        yield Document(id=str(statement_id), relations=list(group))


def iter_relations(documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
    """Every relation record of the documents, in order."""
    for document in documents:
        yield from document.relations
