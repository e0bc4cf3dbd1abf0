"""generx's own gold: hand annotations of a GenAtlas page, one JSON object a line.

Each line of ``<page>.gold.jsonl`` annotates one line of the page ``<page>.txt`` beside it::

    {"line": 62, "tier": "must", "subject": "PRDM1", "object": "IL2", "sign": "-", "note": "..."}
    {"line": 47, "tier": "must", "subject": "IL2", "object": ["GO:0042098", "GO:0008283"], "sign": "+"}
    {"line": 27, "tier": "must_not", "note": "a list of neighbouring genes"}

Subjects and objects are HGNC symbols, or GO ids; a list holds alternatives, any one of which is right
(a term and its parents). ``sign`` is +, -, 0 or bind; ``hedged`` and ``negated`` default to false;
``directed`` (default true) may say the order does not matter. ``must_not`` lines carry no relation:
every relation found there is wrong, as is every relation found on a line the gold does not annotate.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from generx.evaluation.gold import SIGNS, GoldArgument, GoldCorpus, GoldFormatError, GoldRelation
from generx.pipelines.errors import InvalidStatement
from generx.pipelines.statements import Statement, read_statements

log = logging.getLogger(__name__)

GOLD_SUFFIX = ".gold.jsonl"
TIERS = ("must", "should", "must_not")


def page_of(path: Path) -> Path:
    """The page a gold file annotates: ``genatlas_IL2.gold.jsonl`` -> ``genatlas_IL2.txt``."""
    return path.with_name(path.name.removesuffix(GOLD_SUFFIX) + ".txt")


def argument(value: Any, *, where: str) -> GoldArgument:
    """The gold argument of a subject/object field: a symbol, a GO id, or a list of alternatives."""
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(item, str) and item.strip() for item in values):
        raise GoldFormatError(f"{where}: subject/object must be a symbol, an id or a list of them")
    keys = []
    for item in values:
        item = item.strip()
        keys.append(item if item.startswith(("GO:", "HGNC:")) else f"sym:{item.upper()}")
    kind = "process" if keys[0].startswith("GO:") else "gene"
    return GoldArgument(tuple(keys), kind, ", ".join(values))


def read_generx_gold(path: Path) -> GoldCorpus:
    """Read a ``.gold.jsonl`` file and the GenAtlas page beside it, read as ``generx extract`` reads it."""
    page = page_of(path)
    if not page.exists():
        raise GoldFormatError(f"{path}: the page it annotates, {page.name}, is not beside it")
    statements: list[Statement] = []
    notes: list[str] = []
    for item in read_statements(page, fmt="genatlas"):
        if isinstance(item, InvalidStatement):
            notes.append(f"skipped: {item}")
        else:
            statements.append(item)
    units = {statement.id for statement in statements}
    relations: list[GoldRelation] = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise GoldFormatError(f"{where}: malformed JSON: {err.msg}") from err
            if not isinstance(row, dict) or not isinstance(row.get("line"), int):
                raise GoldFormatError(f"{where}: expected an object with a line number")
            tier = row.get("tier", "must")
            if tier not in TIERS:
                raise GoldFormatError(f"{where}: tier {tier!r} is not one of {', '.join(TIERS)}")
            unit = f"{page.name}:{row['line']}"
            if tier == "must_not":
                continue
            if unit not in units:
                notes.append(f"{where}: line {row['line']} of {page.name} is not read as a statement")
            sign = row.get("sign")
            if sign not in SIGNS:
                raise GoldFormatError(f"{where}: sign {sign!r} is not one of {', '.join(SIGNS)}")
            relations.append(
                GoldRelation(
                    unit=unit,
                    subject=argument(row.get("subject"), where=where),
                    object=argument(row.get("object"), where=where),
                    sign=sign,
                    directed=bool(row.get("directed", True)),
                    negated=bool(row.get("negated", False)),
                    hedged=bool(row.get("hedged", False)),
                    source_type=str(sign),
                    tier=tier,
                )
            )
    log.info("%s: %s gold relations on %s statements", path, len(relations), len(statements))
    corpus = GoldCorpus(
        name=page.name,
        format="generx",
        statements=statements,
        relations=relations,
        match="id",
        categories=frozenset({"gene-gene", "gene-process"}),
    )
    corpus.notes.extend(notes)
    corpus.notes.append(
        "generx gold: the page is annotated whole, so a relation on a line without gold counts as wrong; "
        "'should' relations count as gold like 'must' ones (recall on 'must' alone is reported too)"
    )
    return corpus
