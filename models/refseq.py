"""The RefSeq gene summaries and the GO annotations of their genes: what the gene–process part of the relation
model learns from (``models/train_processes.py``) and what ``benchmarks/refseq_summaries.py`` measures with.

``GoSupport`` says whether a GO biological process said of a gene is supported by the gene's annotations
(``ncbi_gene_human/gene2go.tsv.gz``): the same term, an ancestor or a descendant over is_a/part_of, or a
term that regulates (regulates, positively_regulates, negatively_regulates) one of those, or the reverse.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

REGULATES = ("regulates", "positively_regulates", "negatively_regulates")


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def summaries(shared: Path, limit: int) -> list[dict[str, str]]:
    """``{"id", "gene", "text", "entrez"}`` for each summary whose Gene_ID NCBI Gene knows, in file order."""
    symbols = {
        row["entrez_id"]: row["symbol"] for row in read_tsv(shared / "ncbi_gene_human" / "genes.tsv.gz")
    }
    rows = []
    for row in read_tsv(shared / "corpora" / "refseq_summaries" / "refseq_gene_summary_human.tsv.gz"):
        entrez, text = row["Gene_ID"], " ".join(row["Gene_summary"].split())
        if entrez in symbols and text:
            rows.append({"id": f"refseq:{entrez}", "gene": symbols[entrez], "text": text, "entrez": entrez})
    return rows[:limit] if limit else rows


def go_graph(shared: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Parents over is_a/part_of, and the terms each term regulates, from go-basic.obo."""
    from generx.models.lexicons.build import parse_obo

    parents: dict[str, set[str]] = defaultdict(set)
    regulates: dict[str, set[str]] = defaultdict(set)
    for stanza in parse_obo(shared / "go" / "go-basic.obo.gz"):
        term = stanza["id"][0]
        parents[term].update(v.split(" ")[0] for v in stanza.get("is_a", []))
        for value in stanza.get("relationship", []):
            rel, target = value.split(" ")[:2]
            if rel == "part_of":
                parents[term].add(target)
            elif rel in REGULATES:
                regulates[term].add(target)
    return parents, regulates


def closure(term: str, edges: dict[str, set[str]], cache: dict[str, frozenset[str]]) -> frozenset[str]:
    """The term and everything reachable from it over ``edges``."""
    if term not in cache:
        seen, stack = {term}, [term]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        cache[term] = frozenset(seen)
    return cache[term]


class GoSupport:
    """Whether a GO term is supported by a set of annotated terms (see the module docstring)."""

    def __init__(self, shared: Path) -> None:
        self.parents, self.regulates = go_graph(shared)
        self.children: dict[str, set[str]] = defaultdict(set)
        for term, ps in self.parents.items():
            for parent in ps:
                self.children[parent].add(term)
        self._up: dict[str, frozenset[str]] = {}
        self._down: dict[str, frozenset[str]] = {}

    def lineage(self, term: str) -> frozenset[str]:
        return closure(term, self.parents, self._up) | closure(term, self.children, self._down)

    def exact(self, term: str, annotated: set[str]) -> bool:
        """The annotated term itself, or a term that regulates it or that it regulates."""
        return (
            term in annotated
            or bool(self.regulates.get(term, set()) & annotated)
            or any(term in self.regulates.get(a, ()) for a in annotated)
        )

    def supported(self, term: str, annotated: set[str]) -> bool:
        if not annotated:
            return False
        lineage = self.lineage(term)
        if lineage & annotated:
            return True
        if any(self.lineage(target) & annotated for target in self.regulates.get(term, ())):
            return True  # the extracted term regulates an annotated one
        return any(  # an annotated term regulates the extracted one, its ancestor or descendant
            lineage & self.regulates.get(a, set()) for a in annotated
        )


def go_annotations(shared: Path) -> dict[str, dict[str, set[str]]]:
    """Each gene's direct GO annotations, by aspect (BP, MF, CC) and NCBI Gene id."""
    found: dict[str, dict[str, set[str]]] = {aspect: defaultdict(set) for aspect in ("BP", "MF", "CC")}
    for row in read_tsv(shared / "ncbi_gene_human" / "gene2go.tsv.gz"):
        found[row["ontology"]][row["entrez_id"]].add(row["go_id"])
    return found
