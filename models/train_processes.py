"""Train the gene–process part of the relation model (``generx.pipelines.process_model``) on RefSeq summaries.

    .venv/bin/python models/train_processes.py [--shared ../shared/data] [--out models/relation_model]
        [--limit N] [--report FILE] [--handcheck benchmarks/refseq_process_model_handcheck.tsv]

Distant supervision: each RefSeq gene summary (``corpora/refseq_summaries``, public domain) is read by the
pipeline with its gene as the context gene; every pair of that gene and a process named in one of its
sentences (``process_pairs``) is labelled by the gene's GO biological-process annotations
(``ncbi_gene_human/gene2go.tsv.gz``, ``generx.models.refseq.GoSupport``). Genes with no annotation are
left out (they can support nothing). Terms with more than ``GENERIC_DESCENDANTS`` descendants are no
candidates. Selection is by 5-fold cross-validation over summaries: C by the average precision of the
out-of-fold scores of the pairs no rule reads (the ones the part adds); the isotonic calibration of those
scores; and the threshold: a pair is added when its calibrated support is at least the support of the
rules' own readings on the same summaries (the rules' precision, 93 of 100 by hand at stop 27, is what
the added pairs must not fall far below). The report gives, out of fold, how many pairs would be added at
the threshold and how many of them the annotations support; ``--handcheck`` writes 50 of them, drawn at
random (seed 13), to judge by hand, and once judged reports the share right.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generx.models import models_dir  # noqa: E402
from generx.models.refseq import GoSupport, closure, go_annotations, summaries  # noqa: E402
from generx.pipelines.components import ground_gene  # noqa: E402
from generx.pipelines.lexicon import load_gene_lexicon  # noqa: E402
from generx.pipelines.pipeline import build_pipeline, prepare_doc  # noqa: E402
from generx.pipelines.process_model import ProcessModel, process_pairs, process_predicate  # noqa: E402
from generx.pipelines.relation_model import dot, sigmoid  # noqa: E402
from generx.pipelines.statements import Statement  # noqa: E402
from models.train_relations import fit_isotonic, fit_logistic  # noqa: E402

log = logging.getLogger("train_processes")

FOLDS = 5
GRID_C = (0.03, 0.1, 0.3, 1.0)
# "regulation" (GO:0065007) and "gene expression" (GO:0010467) have thousands of descendants; "T cell
# proliferation" 18, "apoptotic process" 115.
GENERIC_DESCENDANTS = 200
SEED = 13
SAMPLE = 50
HANDCHECK_FIELDS = (
    "statement_id",
    "gene",
    "predicate",
    "process",
    "confidence",
    "sentence",
    "correct",
    "reason",
)
DEFAULT_SHARED = ROOT.parent / "shared" / "data"


@dataclass
class Example:
    """One (context gene, process) pair of a summary: its features, whether a rule reads it, its label,
    and what the hand check shows of it."""

    summary: int
    features: set[str]
    read: bool
    supported: bool
    statement_id: str
    gene: str
    predicate: str
    process: str
    sentence: str


def generic_terms(support: GoSupport) -> frozenset[str]:
    """The GO terms with more than ``GENERIC_DESCENDANTS`` descendants."""
    cache: dict[str, frozenset[str]] = {}
    return frozenset(
        term
        for term in support.children
        if len(closure(term, support.children, cache)) > GENERIC_DESCENDANTS + 1
    )


def build_examples(shared: Path, limit: int, generic: frozenset[str], support: GoSupport) -> list[Example]:
    """The labelled (context gene, process) pairs of the summaries of annotated genes."""
    bp = go_annotations(shared)["BP"]
    lexicon = load_gene_lexicon()
    nlp = build_pipeline(models_dir(), relation_model=False)
    rows = [row for row in summaries(shared, limit) if bp.get(row["entrez"])]
    docs = (prepare_doc(nlp, Statement(id=row["id"], text=row["text"], gene=row["gene"])) for row in rows)
    examples = []
    for index, (row, doc) in enumerate(zip(rows, nlp.pipe(docs, batch_size=64), strict=True)):
        gene_id, _ = ground_gene(lexicon, row["gene"])
        if gene_id is None:
            continue
        for unit in process_pairs(doc, doc._.relations or [], gene_id, generic):
            examples.append(
                Example(
                    index,
                    unit.features,
                    bool(unit.rules),
                    support.supported(unit.process.kb_id_, bp[row["entrez"]]),
                    row["id"],
                    row["gene"],
                    process_predicate(unit),
                    f"{unit.process.text} [{unit.process.kb_id_}]",
                    unit.gene.sent.text,
                )
            )
    log.info("%d summaries of annotated genes, %d pairs", len(rows), len(examples))
    return examples


def out_of_fold(examples: list[Example], c: float) -> list[float]:
    """Each pair's raw score by the model fitted on the other folds (folds by summary)."""
    scores = [0.0] * len(examples)
    for fold in range(FOLDS):
        train = [e for e in examples if e.summary % FOLDS != fold]
        _, (weights,) = fit_logistic([e.features for e in train], [e.supported for e in train], c)
        for i, e in enumerate(examples):
            if e.summary % FOLDS == fold:
                scores[i] = sigmoid(dot(weights, e.features))
    return scores


def train(
    examples: list[Example], generic: frozenset[str]
) -> tuple[ProcessModel, dict[str, Any], list[float]]:
    """Select C, calibrate and set the threshold by cross-validation, then fit on every pair."""
    from sklearn.metrics import average_precision_score

    unread = [i for i, e in enumerate(examples) if not e.read]
    best: tuple[float, float, list[float]] | None = None
    for c in GRID_C:
        scores = out_of_fold(examples, c)
        ap = average_precision_score([examples[i].supported for i in unread], [scores[i] for i in unread])
        log.info("C=%s: average precision of the unread pairs, out of fold %.4f", c, ap)
        if best is None or ap > best[0]:
            best = (ap, c, scores)
    assert best is not None
    ap, c, scores = best
    calibration = fit_isotonic([scores[i] for i in unread], [float(examples[i].supported) for i in unread])
    read = [e for e in examples if e.read]
    threshold = round(sum(e.supported for e in read) / len(read), 3)
    confidences = [calibration(s) for s in scores]
    added = [i for i in unread if confidences[i] >= threshold]
    report = {
        "c": c,
        "average_precision_unread": round(ap, 4),
        "pairs": len(examples),
        "read_by_rules": len(read),
        "read_support": threshold,
        "unread": len(unread),
        "unread_support": round(sum(examples[i].supported for i in unread) / len(unread), 4),
        "threshold": threshold,
        "added_out_of_fold": len(added),
        "added_support_out_of_fold": round(sum(examples[i].supported for i in added) / max(len(added), 1), 4),
        "summaries_with_added": len({examples[i].summary for i in added}),
    }
    _, (weights,) = fit_logistic([e.features for e in examples], [e.supported for e in examples], c)
    model = ProcessModel(
        weights, calibration, threshold, generic, meta={"trained_on": "refseq_summaries", **report}
    )
    return model, report, confidences


def handcheck(
    path: Path, examples: list[Example], confidences: list[float], threshold: float
) -> dict[str, Any]:
    """Write a sample of the pairs added out of fold to judge, or score the judged sample."""
    if not path.exists():
        added = [(e, c) for e, c in zip(examples, confidences, strict=True) if not e.read and c >= threshold]
        sample = random.Random(SEED).sample(added, min(SAMPLE, len(added)))
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, HANDCHECK_FIELDS, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            for e, confidence in sample:
                writer.writerow({
                    "statement_id": e.statement_id,
                    "gene": e.gene,
                    "predicate": e.predicate,
                    "process": e.process,
                    "confidence": round(confidence, 3),
                    "sentence": e.sentence,
                    "correct": "",
                    "reason": "",
                })  # fmt: skip
        return {"handcheck": f"wrote {len(sample)} pairs to judge in {path}"}
    with path.open(encoding="utf-8", newline="") as handle:
        judged = [row for row in csv.DictReader(handle, delimiter="\t") if row["correct"] in ("yes", "no")]
    right = sum(row["correct"] == "yes" for row in judged)
    return {
        "handcheck_judged": len(judged),
        "handcheck_correct": right,
        "handcheck_precision": right / len(judged),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "relation_model")
    parser.add_argument("--limit", type=int, default=0, help="only the first N summaries (0: all)")
    parser.add_argument("--report", type=Path, default=None, help="write the figures as JSON here")
    parser.add_argument("--handcheck", type=Path, default=None, help="a TSV of added pairs to judge by hand")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    support = GoSupport(args.shared)
    generic = generic_terms(support)
    examples = build_examples(args.shared, args.limit, generic, support)
    model, report, confidences = train(examples, generic)
    if args.handcheck:
        report.update(handcheck(args.handcheck, examples, confidences, model.threshold))
    log.info("%s", json.dumps(report))
    model.to_disk(args.out / "process_model.json.gz")
    if args.report:
        args.report.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
