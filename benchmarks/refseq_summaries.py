"""How generx reads RefSeq gene summaries: coverage of each summary's own gene, GO support, a hand check.

    .venv/bin/python benchmarks/refseq_summaries.py [--shared DIR] [--limit N] [--records FILE]
        [--memory] [--handcheck benchmarks/refseq_handcheck.tsv] [--json OUT]

The corpus (``corpora/refseq_summaries``, 15,136 human genes with a summary) is written as a TSV of
statements (``id`` = ``refseq:<Gene_ID>``, ``gene`` = the gene's symbol from ``ncbi_gene_human/genes.tsv.gz``,
``text`` = the summary) and read by ``generx extract`` in a subprocess, as a user would run it (``--records``
reuses the JSON Lines of an earlier run instead). Measures (the setting: in-domain, unlabelled text):

- coverage: the share of summaries with at least one relation whose subject or object is the summary's own
  gene (its HGNC id, found through the NCBI Gene id of the gene lexicon); also counting only relations to a
  gene or a process;
- GO support: of the relations from the own gene to a process, the share whose GO term is related to one
  of the gene's direct GO biological-process annotations (``ncbi_gene_human/gene2go.tsv.gz``): the same
  term, an ancestor or a descendant over is_a/part_of, or a term that regulates (regulates,
  positively_regulates, negatively_regulates) one of those, or the reverse. The annotations are
  incomplete, so this bounds precision from below; also given among the genes with at least one BP
  annotation (a gene with none, as most microRNA genes, can support nothing); the own gene's molecular
  functions (``enables``) and cellular components (``located_in``, ``part_of``) likewise against its MF and
  CC annotations (same term, ancestor or descendant), among the genes with at least one such annotation,
  and the own gene's families (``member_of``) against its HGNC gene groups (``hgnc/hgnc_complete_set``;
  the same group: HGNC lists a gene in its narrowest groups only, so a superfamily named in the text counts
  as unsupported);
- with ``--memory``: peak resident memory of ``generx extract`` over the first 1,000 summaries and over all
  of them, each in its own process (extraction streams when the two are close);
- with ``--handcheck FILE``: 100 relations drawn at random (seed 13) from the run are written to FILE with
  empty ``correct``/``reason`` columns when it does not exist; when it does, and every row is judged, the
  precision of the judged rows is reported (the judgement is kept in the repository).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generx.models.refseq import GoSupport, go_annotations, read_tsv, summaries

ROOT = Path(__file__).resolve().parent.parent
SEED = 13
SAMPLE = 100
MEMORY_BASELINE = 1000
HANDCHECK_FIELDS = ("statement_id", "gene", "subject", "predicate", "object", "sentence", "correct", "reason")


def write_statements(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id\tgene\ttext\n")
        for row in rows:
            handle.write(f"{row['id']}\t{row['gene']}\t{row['text']}\n")


def run_extract(statements: Path, out: Path, jobs: int = 1) -> float:
    """``generx extract`` in its own process, as a user runs it; its peak resident memory in MB (of the
    main process: with ``jobs`` > 1 the pipelines run in processes of their own)."""
    command = [sys.executable, "-m", "generx.worker", "extract", str(statements), "-o", str(out)]
    command += ["-j", str(jobs)] if jobs > 1 else []
    process = subprocess.Popen(command, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if not out.exists():
        raise SystemExit(f"generx extract wrote no {out} (exit status {process.returncode})")
    return usage.ru_maxrss / 1024  # kB on Linux


def read_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def measure(
    rows: list[dict[str, str]], records: list[dict[str, Any]], shared: Path
) -> tuple[dict[str, Any], dict[str, str]]:
    from generx.pipelines.lexicon import load_gene_lexicon

    lexicon = load_gene_lexicon()
    hgnc_by_entrez = {g.entrez: g.id for g in lexicon.genes if g.entrez}
    own = {row["id"]: hgnc_by_entrez.get(row["entrez"]) for row in rows}
    annotations = go_annotations(shared)
    bp = annotations["BP"]
    entrez_of = {row["id"]: row["entrez"] for row in rows}
    support = GoSupport(shared)

    covered: set[str] = set()
    covered_by_gene_or_process: set[str] = set()
    covered_without_family: set[str] = set()
    # Molecular functions and cellular components (enables, located_in, part_of), against the gene's MF and
    # CC annotations in the same way: [relations, of annotated genes, supported].
    aspect_counts = {"function": [0, 0, 0], "component": [0, 0, 0], "family": [0, 0, 0]}
    groups = hgnc_groups(shared)
    own_relations = resolved = through_class = process_relations = with_annotations = supported = exact = 0
    for record in records:
        gene_id = own.get(record["statement_id"])
        subject, obj = record["subject"], record["object"]
        if gene_id is None or gene_id not in (subject["id"], obj["id"]):
            continue
        covered.add(record["statement_id"])
        if obj["type"] in ("gene", "process"):
            covered_by_gene_or_process.add(record["statement_id"])
        if obj["type"] != "family":
            covered_without_family.add(record["statement_id"])
        own_relations += 1
        resolved += any(arg.get("resolved") == "context" for arg in (subject, obj))
        through_class += any(arg.get("resolved") == "class" for arg in (subject, obj))
        if subject["id"] == gene_id and obj["type"] == "process" and not record["negated"]:
            process_relations += 1
            annotated = bp[entrez_of[record["statement_id"]]]
            with_annotations += bool(annotated)
            supported += support.supported(obj["id"], annotated)
            exact += support.exact(obj["id"], annotated)
        elif subject["id"] == gene_id and obj["type"] in aspect_counts and not record["negated"]:
            counts = aspect_counts[obj["type"]]
            counts[0] += 1
            if obj["type"] == "family":
                own_groups = groups.get(gene_id, set())
                counts[1] += bool(own_groups)
                counts[2] += obj["id"] in own_groups
                continue
            annotated = annotations["MF" if obj["type"] == "function" else "CC"][
                entrez_of[record["statement_id"]]
            ]
            counts[1] += bool(annotated)
            counts[2] += support.supported(obj["id"], annotated)
    mapped = sum(1 for v in own.values() if v)
    report = {
        "summaries": len(rows),
        "summaries_with_hgnc_id": mapped,
        "relations": len(records),
        "own_gene_relations": own_relations,
        "own_gene_relations_through_context": resolved,
        "own_gene_relations_through_class": through_class,
        "summaries_with_own_gene_relation": len(covered),
        "coverage": len(covered) / len(rows) if rows else 0.0,
        # The same, counting only relations to a gene or a process (the record's types before GO molecular
        # functions and cellular components joined them).
        "coverage_gene_or_process": len(covered_by_gene_or_process) / len(rows) if rows else 0.0,
        # And without the families (member_of) that joined them after.
        "coverage_without_family": len(covered_without_family) / len(rows) if rows else 0.0,
        "own_gene_process_relations": process_relations,
        "go_supported": supported,
        "go_support": supported / process_relations if process_relations else 0.0,
        # A gene with no BP annotation at all (most microRNA genes) can support nothing.
        "own_gene_process_relations_of_annotated_genes": with_annotations,
        "go_support_of_annotated_genes": supported / with_annotations if with_annotations else 0.0,
        "go_exact": exact,
        "go_exact_share": exact / process_relations if process_relations else 0.0,
    }
    for aspect, (relations, annotated_genes, supported_aspect) in aspect_counts.items():
        report[f"own_gene_{aspect}_relations"] = relations
        source = "hgnc" if aspect == "family" else "go"
        report[f"{aspect}_{source}_support_of_annotated_genes"] = (
            supported_aspect / annotated_genes if annotated_genes else 0.0
        )
    return report, {row["id"]: row["gene"] for row in rows}


def hgnc_groups(shared: Path) -> dict[str, set[str]]:
    """Each gene's HGNC gene groups (``HGNC.FAMILY:<id>``), by HGNC id."""
    groups: dict[str, set[str]] = {}
    for row in read_tsv(shared / "hgnc" / "hgnc_complete_set.txt.gz"):
        ids = [v.strip() for v in row["gene_group_id"].strip('"').split("|") if v.strip()]
        groups[row["hgnc_id"]] = {f"HGNC.FAMILY:{v}" for v in ids}
    return groups


def own_process_relations(records: list[dict[str, Any]], genes: dict[str, str]) -> list[dict[str, Any]]:
    """The relations from a summary's own gene (by symbol) to a process."""
    return [
        r
        for r in records
        if r["object"]["type"] == "process" and r["subject"]["name"] == genes.get(r["statement_id"])
    ]


def handcheck(
    path: Path, records: list[dict[str, Any]], genes: dict[str, str], *, seed: int = SEED, prefix: str = ""
) -> dict[str, Any]:
    """Write a fixed-seed sample to judge, or score the judged sample."""
    if not path.exists():
        sample = random.Random(seed).sample(records, min(SAMPLE, len(records)))
        with path.open("w", encoding="utf-8", newline="") as handle:
            fields = (*HANDCHECK_FIELDS, "specific") if prefix else HANDCHECK_FIELDS
            writer = csv.DictWriter(handle, fields, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            for r in sample:
                writer.writerow({
                    "statement_id": r["statement_id"],
                    "gene": genes.get(r["statement_id"], ""),
                    "subject": f"{r['subject']['text']} [{r['subject']['name']}]",
                    "predicate": r["predicate"] + (" (negated)" if r["negated"] else ""),
                    "object": f"{r['object']['text']} [{r['object']['name']} {r['object']['id']}]",
                    "sentence": r["evidence"]["text"],
                    "correct": "",
                    "reason": "",
                })  # fmt: skip
        return {f"{prefix}handcheck": f"wrote {len(sample)} relations to judge in {path}"}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    judged = [row for row in rows if row["correct"] in ("yes", "no")]
    right = sum(row["correct"] == "yes" for row in judged)
    report = {
        f"{prefix}handcheck_judged": len(judged),
        f"{prefix}handcheck_correct": right,
        f"{prefix}handcheck_precision": right / len(judged) if judged else 0.0,
    }
    if "specific" in rows[0]:
        # Was a more specific GO term available for what the sentence says? ("no" = generx's is the most
        # specific one the words support).
        report[f"{prefix}handcheck_more_specific_available"] = sum(r["specific"] == "yes" for r in judged)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0, help="only the first N summaries")
    parser.add_argument(
        "--records", type=Path, help="the JSON Lines of an earlier run over the same summaries"
    )
    parser.add_argument("--keep", type=Path, help="keep the run's records in this file")
    parser.add_argument("--handcheck", type=Path, help="100 relations to judge (seed 13)")
    parser.add_argument(
        "--process-handcheck",
        type=Path,
        help="100 of the own gene -> process relations to judge, with a 'specific' column (seed 15)",
    )
    parser.add_argument("--jobs", "-j", type=int, default=1, help="generx extract -j (pipeline processes)")
    parser.add_argument(
        "--memory", action="store_true", help="also run the first 1,000 alone and compare peak memory"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    rows = summaries(args.shared, args.limit)
    memory: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        records_path = args.records
        if records_path is None:
            if args.memory:
                first = Path(tmp) / "first.tsv"
                write_statements(rows[:MEMORY_BASELINE], first)
                memory["peak_rss_mb_first_1000"] = run_extract(first, Path(tmp) / "first.jsonl")
            statements = Path(tmp) / "refseq_summaries.tsv"
            write_statements(rows, statements)
            records_path = args.keep or Path(tmp) / "records.jsonl"
            memory["peak_rss_mb_all"] = run_extract(statements, records_path, args.jobs)
            if args.memory:
                memory["peak_rss_ratio"] = memory["peak_rss_mb_all"] / memory["peak_rss_mb_first_1000"]
        records = read_records(records_path)
    report, genes = measure(rows, records, args.shared)
    report.update(memory)
    if args.handcheck:
        report.update(handcheck(args.handcheck, records, genes))
    if args.process_handcheck:
        processes = own_process_relations(records, genes)
        report.update(handcheck(args.process_handcheck, processes, genes, seed=15, prefix="process_"))
    for key, value in report.items():
        print(f"{key:<46}{value:.3f}" if isinstance(value, float) else f"{key:<46}{value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
