"""BioRED-style gold in PubTator: documents with entity mentions and document-level relations.

PubTator (Wei et al. 2013): ``PMID|t|title``, ``PMID|a|abstract``, mention lines
``PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>ids`` and relation lines
``PMID<TAB>Type<TAB>id1<TAB>id2[<TAB>Novel|No]`` between concept ids. The statements (text and
entities) come from ``generx.pipelines.statements.read_statements``; only the relation lines are read here.
BioRED (Luo et al. 2022) relations are undirected; the sign is taken from the type:
Positive_Correlation +, Negative_Correlation -, Bind bind, every other type (Association, ...) unsigned.
Only gene–gene relations (both concepts GeneOrGeneProduct in the document) are scored.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from generx.evaluation.gold import GoldArgument, GoldCorpus, GoldFormatError, GoldRelation, open_gold
from generx.pipelines.errors import InvalidStatement
from generx.pipelines.statements import Statement, read_statements

log = logging.getLogger(__name__)

BIORED_SIGNS = {"Positive_Correlation": "+", "Negative_Correlation": "-", "Bind": "bind"}
# Several concept ids in one annotation ("3172,3651"), as PubTator and BioC write them.
_ID_SEPARATORS = re.compile(r"[,;|]")
# What an annotation without a normalised concept carries instead of an id.
_NO_ID = frozenset({"", "-"})


def concept_ids(value: str) -> list[str]:
    """Split the concept id field of an annotation ("3172,3651") into its ids; "-" has none."""
    return [piece.strip() for piece in _ID_SEPARATORS.split(value) if piece.strip() not in _NO_ID]


def gene_keys(concept: str) -> tuple[str, ...]:
    """The keys a BioRED gene concept is matched by: its id as written, and as an NCBI Gene CURIE."""
    return (concept, f"NCBIGene:{concept}")


def read_pubtator_gold(path: Path) -> GoldCorpus:
    """Read a PubTator file with relation lines (BioRED) into statements and gene–gene gold relations."""
    statements, problems = documents_as_statements(path, "pubtator")
    relations: dict[str, list[tuple[str, str, str]]] = {}
    with open_gold(path) as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            fields = line.split("\t")
            if len(fields) >= 4 and not fields[1].isdigit() and "|" not in fields[0]:
                relations.setdefault(fields[0], []).append((fields[1], fields[2], fields[3]))
            elif len(fields) == 1 and line.strip() and "|" not in line:
                raise GoldFormatError(f"{path}:{number}: neither a PubTator text, mention nor relation line")
    return biored_corpus(path.name, "pubtator", statements, relations, problems)


def biored_corpus(
    name: str,
    fmt: str,
    statements: list[Statement],
    relations: dict[str, list[tuple[str, str, str]]],
    problems: list[str],
) -> GoldCorpus:
    """Make the gold corpus of BioRED-style documents: their statements and ``(type, id1, id2)`` relations.

    A relation is gene–gene when both its concepts are annotated as genes in its document; the others
    (chemical, disease, variant) are counted as ignored, by the concept types they join.
    """
    gold: list[GoldRelation] = []
    ignored: Counter[str] = Counter()
    by_id = {statement.id: statement for statement in statements}
    for doc_id, rows in relations.items():
        statement = by_id.get(doc_id)
        if statement is None:
            ignored["relation of a document without text"] += len(rows)
            continue
        types: dict[str, str] = {}
        names: dict[str, str] = {}
        for entity in statement.entities or ():
            for concept in concept_ids(entity.id):
                types.setdefault(concept, entity.type)
                names.setdefault(concept, entity.text)
        seen: set[tuple[str, str, str]] = set()
        for relation_type, id1, id2 in rows:
            kinds = sorted((types.get(id1, "unannotated"), types.get(id2, "unannotated")))
            if kinds != ["gene", "gene"]:
                ignored[f"{kinds[0]}-{kinds[1]} relation"] += 1
                continue
            a, b = sorted((id1, id2))
            if (a, b, relation_type) in seen:
                continue
            seen.add((a, b, relation_type))
            gold.append(
                GoldRelation(
                    unit=doc_id,
                    subject=GoldArgument(gene_keys(a), "gene", names.get(a, a)),
                    object=GoldArgument(gene_keys(b), "gene", names.get(b, b)),
                    sign=BIORED_SIGNS.get(relation_type, "0"),
                    directed=False,
                    source_type=relation_type,
                )
            )
    log.info("%s: %s documents, %s gene-gene relations", name, len(statements), len(gold))
    corpus = GoldCorpus(
        name=name, format=fmt, statements=statements, relations=gold, match="id", ignored=ignored
    )
    corpus.notes.extend(problems)
    corpus.notes.append(
        "BioRED relations are undirected and document level: a relation found in any sentence counts for "
        "its document; signs: Positive_Correlation +, Negative_Correlation -, Bind bind, others unsigned"
    )
    return corpus


def documents_as_statements(path: Path, fmt: str) -> tuple[list[Statement], list[str]]:
    """The documents of a PubTator or BioC file as statements, and why any could not be read."""
    statements: list[Statement] = []
    problems: list[str] = []
    for item in read_statements(path, fmt=fmt):
        if isinstance(item, InvalidStatement):
            problems.append(f"skipped: {item}")
        else:
            statements.append(item)
    return statements, problems
