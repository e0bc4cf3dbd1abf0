"""Gene -> process relations on RefSeq gene summaries, checked against the gene's GO BP annotations.

Run from the repository root (nice'd; about 1 s per summary on a busy core)::

    .venv/bin/python benchmarks/refseq_processes.py --shared ../shared/data --sample 400 --seed 15 \\
        --out benchmarks/results_refseq_processes.json --hand benchmarks/refseq_hand_check.tsv

Each sampled summary (fixed seed) is one statement whose context gene is the summary's own gene. A
relation counts when one argument is that gene (written, resolved as the context gene, or implicit) and
the other a GO process. It is *supported* when NCBI gene2go (silver, not gold) annotates the gene with
the predicted term or a term below it (is_a/part_of), *exact* when with the predicted term itself, and
*regulation* when with a "regulation of" term of it. The anaphora of the context-gene work ("this gene",
"the encoded protein") raises how many relations are the summary's own gene; until it is merged, only
summaries that name their gene or leave it as the implicit subject count. ``--hand`` writes 100 of the
relations (same seed) with an empty judgement column for the hand check.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import logging
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

log = logging.getLogger("generx.benchmarks.refseq")


def read_summaries(shared: Path) -> list[tuple[str, str]]:
    """(NCBI Gene id, summary) of the human RefSeq summaries."""
    path = shared / "corpora/refseq_summaries/refseq_gene_summary_human.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return [
            (r["Gene_ID"], r["Gene_summary"]) for r in csv.DictReader(handle, delimiter="\t") if r["Gene_ID"]
        ]


def read_gene2go(shared: Path) -> dict[str, set[str]]:
    """GO BP ids annotated to each NCBI Gene id."""
    found: dict[str, set[str]] = defaultdict(set)
    with gzip.open(shared / "ncbi_gene_human/gene2go.tsv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["ontology"] == "BP":
                found[row["entrez_id"]].add(row["go_id"])
    return found


def support(go: Any, predicted: str, annotated: set[str]) -> str:
    """ "exact", "regulation", "below" (an annotation lies below the predicted term) or "none"."""
    from generx.pipelines.processes import ancestors, term_name

    if predicted in annotated:
        return "exact"
    name = term_name(go, predicted) or ""
    for go_id in annotated:
        other = term_name(go, go_id) or ""
        if other.endswith(f"regulation of {name}") and name:
            return "regulation"
    if any(predicted in ancestors(go, go_id) for go_id in annotated):
        return "below"
    return "none"


def main(argv: list[str] | None = None) -> int:
    """Run the sample and write the figures (and the hand-check file)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--hand", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    from generx.pipelines.extract import extract, load_pipeline
    from generx.pipelines.lexicon import load_gene_lexicon, load_go_lexicon
    from generx.pipelines.statements import Statement

    genes, go = load_gene_lexicon(), load_go_lexicon()
    annotations = read_gene2go(args.shared)
    rows = [(e, t) for e, t in read_summaries(args.shared) if e in genes.by_entrez]
    rows = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    statements = [Statement(f"refseq:{e}", text, genes.genes[genes.by_entrez[e]].symbol) for e, text in rows]
    nlp = load_pipeline()
    relations: list[dict[str, Any]] = []
    for (entrez, _text), result in zip(rows, extract(nlp, statements), strict=True):
        own = genes.genes[genes.by_entrez[entrez]].id
        for record in result.relations:
            ends = (record["subject"], record["object"])
            types = {e["type"] for e in ends}
            if types != {"gene", "process"} or not any(e["type"] == "gene" and e["id"] == own for e in ends):
                continue
            process = next(e for e in ends if e["type"] == "process")
            relations.append(
                {
                    "statement_id": record["statement_id"],
                    "gene": own,
                    "predicate": record["predicate"],
                    "process": process["id"],
                    "process_name": process["name"],
                    "process_text": process["text"],
                    "implicit": record["implicit"],
                    "negated": record["negated"],
                    "support": support(go, process["id"], annotations.get(entrez, set())),
                    "evidence": record["evidence"]["text"],
                }
            )
    counts: dict[str, int] = defaultdict(int)
    for relation in relations:
        counts[relation["support"]] += 1
    n = len(relations)
    supported = n - counts["none"]
    result = {
        "summaries": len(rows),
        "seed": args.seed,
        "relations_of_own_gene": n,
        "supported_share": round(supported / n, 3) if n else 0.0,
        "exact_or_regulation_share": round((counts["exact"] + counts["regulation"]) / n, 3) if n else 0.0,
        "by_support": dict(counts),
    }
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.hand:
        chosen = random.Random(args.seed).sample(relations, min(100, n))
        with args.hand.open("w", encoding="utf-8") as handle:
            handle.write(
                "statement_id\tgene\tpredicate\tprocess\tprocess_name\tprocess_text\tsupport\tjudgement\treason\tevidence\n"
            )
            for r in chosen:
                handle.write(
                    "\t".join(
                        str(r[k])
                        for k in (
                            "statement_id",
                            "gene",
                            "predicate",
                            "process",
                            "process_name",
                            "process_text",
                            "support",
                        )
                    )
                    + f"\t\t\t{r['evidence']}\n"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
