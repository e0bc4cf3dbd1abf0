"""What relation extraction costs on top of the parse: `generx extract`'s path against plain `nlp.pipe`.

    .venv/bin/python benchmarks/extract_speed.py [--shared DIR] [--limit N] [--repeats 3] [--json OUT]

One invocation, one process pinned to one core, the same statements for every pass: the sentences of the
GENIA treebank test abstracts (raw text rebuilt from the treebank XML, one statement per sentence). Passes:

- ``parse``: ``nlp.pipe`` of the runtime pipeline with only its parse components (tokenizer, tok2vec, tagger,
  attribute ruler, lemmatizer, parser);
- ``mentions``: the runtime pipeline without the relation components (adds abbreviations, genes, processes);
- ``rules``: the runtime pipeline without the relation model (adds the relation rules);
- ``model``: the whole runtime pipeline (adds the trained relation model);
- ``extract``: ``generx.pipelines.extract.extract`` over the full pipeline, records included (what
  `generx extract` does, without reading and writing files).

- ``model_alone``: the relation model component alone, over Docs already through every other component
  (the rules' relations restored before each pass).

Each pass is run ``--repeats`` times after a warm-up and the fastest is kept. Time ratios are against
``parse``; ``extract`` against ``mentions`` is what relation extraction itself adds, and ``model_alone``
against ``parse`` what the relation model adds to the parse (the difference of two whole passes, ``model``
minus ``rules``, drowns in the noise of a shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def statements(shared: Path, limit: int) -> list[str]:
    import spacy

    from generx.models.evaluate import genia_raw_abstracts

    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    texts = [text for text, _ in genia_raw_abstracts(shared, "test")]
    sentences = [s.text for doc in sentencizer.pipe(texts) for s in doc.sents if s.text.strip()]
    return sentences[:limit] if limit else sentences


def best_of(repeats: int, run: Callable[[], Any]) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.cpu})
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = "1"

    from generx.pipelines.extract import extract, load_pipeline
    from generx.pipelines.statements import Statement

    texts = statements(args.shared, args.limit)
    items = [Statement(f"genia_test:{i}", text) for i, text in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)

    nlp = load_pipeline()
    parse_only = [
        name
        for name in nlp.pipe_names
        if name not in ("abbreviation_detector", "genes", "processes", "relations", "relation_model")
    ]
    relations = 0

    def run_extract() -> None:
        nonlocal relations
        relations = sum(len(r.relations) for r in extract(nlp, items))

    def run_only(names: list[str]) -> None:
        with nlp.select_pipes(enable=names):
            for _ in nlp.pipe(texts):
                pass

    with nlp.select_pipes(disable=["relation_model"]):
        parsed = list(nlp.pipe(texts))
    ruled = [doc._.relations for doc in parsed]
    scorer = nlp.get_pipe("relation_model")

    def run_model_alone() -> None:
        for doc, rules in zip(parsed, ruled, strict=True):
            doc._.relations = rules
            scorer(doc)

    seconds = {
        "parse": best_of(args.repeats, lambda: run_only(parse_only)),
        "mentions": best_of(
            args.repeats,
            lambda: run_only([n for n in nlp.pipe_names if n not in ("relations", "relation_model")]),
        ),
        "rules": best_of(
            args.repeats, lambda: run_only([n for n in nlp.pipe_names if n != "relation_model"])
        ),
        "model": best_of(args.repeats, lambda: run_only(nlp.pipe_names)),
        "extract": best_of(args.repeats, run_extract),
        "model_alone": best_of(args.repeats, run_model_alone),
    }
    report: dict[str, Any] = {"statements": len(texts), "words": words, "relations": relations, "passes": {}}
    print(f"{len(texts)} statements, {words} words, {relations} relations; one core, best of {args.repeats}")
    print(f"{'pass':<10}{'seconds':>10}{'statements/s':>15}{'x parse time':>15}")
    for name, secs in seconds.items():
        ratio = secs / seconds["parse"]
        report["passes"][name] = {"seconds": secs, "statements_per_s": len(texts) / secs, "time_ratio": ratio}
        print(f"{name:<10}{secs:>10.2f}{len(texts) / secs:>15.1f}{ratio:>15.3f}")
    relation_cost = seconds["extract"] / seconds["mentions"]
    report["extract_over_mentions"] = relation_cost
    model_cost = seconds["model_alone"] / seconds["parse"]
    report["relation_model_over_parse"] = model_cost
    print(f"the relation model adds {100 * model_cost:.1f}% to the parse")
    print(
        f"relation extraction and records add {100 * (relation_cost - 1):.1f}% to the pipeline without them"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
