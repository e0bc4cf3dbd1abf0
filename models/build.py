"""Rebuild every artifact generx ships, from ../shared/data: `python models/build.py --shared ../shared/data`.

Steps: corpora (DocBin) -> train the tagger/parser and the gene NER side by side (one core each) ->
assemble models/generx_bio_sm -> compile the gene and process lexicons -> parse the relation corpora and
train the relation model and its gene-process part (models/relation_model) -> evaluate -> model card.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT)


def train_side_by_side(out: Path) -> None:
    """Train both models at once, one thread each: the machine has two cores."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    jobs = []
    for name in ("tagger_parser", "gene_ner"):
        log = open(out / f"{name}.log", "w")  # noqa: SIM115  (closed after the job ends)
        cmd = [
            sys.executable,
            "-m",
            "spacy",
            "train",
            str(HERE / "configs" / f"{name}.cfg"),
            "-o",
            str(out / name),
        ]
        print("+", " ".join(cmd), f"> {log.name}", flush=True)
        jobs.append((subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
    for job, log in jobs:
        if job.wait() != 0:
            raise SystemExit(f"training failed, see {log.name}")
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--skip-training", action="store_true", help="reuse models/training/*/model-best")
    args = parser.parse_args()
    training = HERE / "training"
    training.mkdir(exist_ok=True)
    run(sys.executable, str(HERE / "corpus.py"), str(args.shared), str(HERE / "corpus"))
    if not args.skip_training:
        train_side_by_side(training)
    run(sys.executable, str(HERE / "assemble.py"))
    run(sys.executable, str(HERE / "lexicons" / "build.py"), "--shared", str(args.shared))
    run(sys.executable, str(HERE / "relation_corpora.py"), "--shared", str(args.shared))
    run(sys.executable, str(HERE / "train_relations.py"), "--shared", str(args.shared))
    run(sys.executable, str(HERE / "train_processes.py"), "--shared", str(args.shared))
    run(
        sys.executable,
        str(HERE / "evaluate.py"),
        "--shared",
        str(args.shared),
        "--json",
        str(HERE / "metrics.json"),
    )
    run(sys.executable, str(HERE / "model_card.py"))


if __name__ == "__main__":
    main()
