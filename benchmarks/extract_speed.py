"""What relation extraction costs on top of the parse: `generx extract`'s path against plain `nlp.pipe`.

    .venv/bin/python benchmarks/extract_speed.py [--shared DIR] [--corpus genia|refseq] [--limit N]
        [--repeats 3] [--clock wall|cpu] [--baseline [NAME]] [--json OUT]

One invocation, one process pinned to one core, the same statements for every pass: the sentences of the
GENIA treebank test abstracts (raw text rebuilt from the treebank XML, one statement per sentence, no
context gene), or with ``--corpus refseq`` the RefSeq gene summaries, each with its gene as context
(``benchmarks/refseq_summaries.py``). Passes:

- ``parse``: ``nlp.pipe`` of the runtime pipeline with only its parse components (tokenizer, tok2vec, tagger,
  attribute ruler, lemmatizer, parser);
- ``mentions``: the runtime pipeline without the context and relation components (adds abbreviations,
  genes, processes); the process component's own time in it, over ``parse``, is what it adds to the
  parse;
- ``extract_without_context``: ``generx.pipelines.extract.extract`` with the context component
  (``generx_context_v1``) disabled;
- ``extract``: ``generx.pipelines.extract.extract`` over the full pipeline, records included (what
  `generx extract` does, without reading and writing files);
- ``no_mechanism``: the same with the mechanism readers (``mechanism_of`` where the rules call it,
  ``pooled_mechanism`` where the relation model does) replaced by a function that returns None, so
  ``extract`` against it is what reading the mechanism costs.

The GO molecular-function and cellular-component component (``generx_functions_v1``) is timed from inside
the ``extract`` pass, as the context component is.

- ``model_alone``: the relation model component alone, over Docs already through every other component
  (the rules' relations restored before each pass); its gene–process part (``process_relations``, which
  runs only where a statement has a context gene) is also timed from inside the ``extract`` pass;
- ``baseline_full``: with ``--baseline``, a spaCy package's full pipeline (en_core_web_sm, from the
  ``bench`` extra, by default) over the same texts; ``extract`` against it is how generx extract's speed
  compares with a general-purpose English pipeline's.

Each pass is run ``--repeats`` times after a warm-up and the fastest is kept (``--clock cpu`` times the
process's CPU time instead of the wall clock, for a machine others share). Passes take turns, a repeat of
each in each round, so that a slow spell of a shared machine falls on all of them alike: first the three
extract passes and the baseline (before any plain ``nlp.pipe`` pass: ``generx extract`` reads each batch
inside a spaCy memory zone and is as warm as the words it keeps itself, which a plain pass would change),
then ``parse``, ``mentions`` and ``model_alone``. Time ratios are against
``parse``; ``extract`` against ``mentions`` is what relation extraction itself adds, ``extract`` against
``extract_without_context`` what reading the context gene's anaphors adds, and ``model_alone`` against
``parse`` what the relation model adds to the parse.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
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


def best_of(
    repeats: int, runs: dict[str, Callable[[], Any]], clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """The fastest of ``repeats`` timings of each run, after a warm-up of each. The runs take turns, so
    that a slow spell of a shared machine falls on all of them alike, not on one pass."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = clock()
            run()
            times[name].append(clock() - start)
    return {name: min(found) for name, found in times.items()}


def component_share(nlp: Any, name: str, run: Callable[[], Any], clock: Callable[[], float]) -> float:
    """The share of one ``run`` spent inside the pipeline component ``name``, timed around its calls."""
    component = nlp.get_pipe(name)
    cls = type(component)
    call = cls.__call__
    spent = 0.0

    def timed(self: Any, doc: Any) -> Any:
        nonlocal spent
        start = clock()
        try:
            return call(self, doc)
        finally:
            spent += clock() - start

    cls.__call__ = timed
    try:
        start = clock()
        run()
        total = clock() - start
    finally:
        cls.__call__ = call
    return spent / total


def functions_share(
    targets: list[tuple[Any, str]], run: Callable[[], Any], clock: Callable[[], float]
) -> float:
    """The share of one ``run`` spent inside the functions ``module.name`` of ``targets``, timed around
    their calls (none of them calls another through these names)."""
    spent = 0.0
    originals = [getattr(module, name) for module, name in targets]

    def timing(function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            nonlocal spent
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent += clock() - start

        return timed

    for (module, name), function in zip(targets, originals, strict=True):
        setattr(module, name, timing(function))
    try:
        start = clock()
        run()
        total = clock() - start
    finally:
        for (module, name), function in zip(targets, originals, strict=True):
            setattr(module, name, function)
    return spent / total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--corpus", choices=("genia", "refseq"), default="genia")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall-clock time, or the process's CPU time (steadier on a machine others share)",
    )
    parser.add_argument(
        "--baseline",
        nargs="?",
        const="",
        default=None,
        help="also time a spaCy package's full pipeline on the same statements (default en_core_web_sm)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.cpu})
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = "1"

    from generx.pipelines.extract import extract, load_pipeline
    from generx.pipelines.statements import Statement

    if args.corpus == "refseq":
        from generx.models.refseq import summaries

        rows = summaries(args.shared, args.limit)
        texts = [row["text"] for row in rows]
        items = [Statement(row["id"], row["text"], row["gene"]) for row in rows]
    else:
        texts = statements(args.shared, args.limit)
        items = [Statement(f"genia_test:{i}", text) for i, text in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)

    nlp = load_pipeline()
    parse_only = [
        name
        for name in nlp.pipe_names
        if name
        not in (
            "abbreviation_detector",
            "genes",
            "processes",
            "context",
            "relations",
            "functions",
            "relation_model",
        )
    ]
    relations = 0

    def run_extract() -> None:
        nonlocal relations
        relations = sum(len(r.relations) for r in extract(nlp, items))

    def run_without_context() -> None:
        with nlp.select_pipes(disable=["context"]):
            for _ in extract(nlp, items):
                pass

    def run_only(names: list[str]) -> None:
        with nlp.select_pipes(enable=names):
            for _ in nlp.pipe(texts):
                pass

    import generx.pipelines.relation_model as model_module
    import generx.pipelines.relations as relations_module

    def run_without_mechanism() -> None:
        # The rules read it with mechanism_of, the relation model with pooled_mechanism: both switched off.
        reader, pooled = relations_module.mechanism_of, model_module.pooled_mechanism
        relations_module.mechanism_of = lambda *args, **kwargs: None
        model_module.pooled_mechanism = lambda *args, **kwargs: None
        try:
            run_extract()
        finally:
            relations_module.mechanism_of, model_module.pooled_mechanism = reader, pooled

    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    # The extract passes first. `generx extract` reads each batch inside a spaCy memory zone, where spaCy
    # keeps no new word and caches no tokenization, so it is as warm as the words it keeps itself
    # (``generx.pipelines.memory.keep_words``); a plain ``nlp.pipe`` pass before it would warm it.
    # The baseline, with a vocabulary of its own, takes turns with them.
    extract_runs: dict[str, Callable[[], Any]] = {
        "extract_without_context": run_without_context,
        "no_mechanism": run_without_mechanism,
        "extract": run_extract,
    }
    baseline_package = None
    if args.baseline is not None:
        import spacy

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from parser_speed import baseline_name

        baseline_package = args.baseline or baseline_name()
        baseline = spacy.load(baseline_package)
        extract_runs["baseline_full"] = lambda: list(baseline.pipe(texts))
    extract_seconds = best_of(args.repeats, extract_runs, clock)
    with nlp.select_pipes(disable=["relation_model"]):
        parsed = list(nlp.pipe(texts))
    ruled = [doc._.relations for doc in parsed]
    scorer = nlp.get_pipe("relation_model")

    def run_model_alone() -> None:
        for doc, rules in zip(parsed, ruled, strict=True):
            doc._.relations = rules
            scorer(doc)

    mentions = [n for n in nlp.pipe_names if n not in ("context", "relations", "functions", "relation_model")]
    parse_seconds = best_of(
        args.repeats,
        {
            "parse": lambda: run_only(parse_only),
            "mentions": lambda: run_only(mentions),
            "model_alone": run_model_alone,
        },
        clock,
    )
    seconds = {**parse_seconds, **extract_seconds}
    report: dict[str, Any] = {
        "corpus": args.corpus,
        "clock": args.clock,
        "statements": len(texts),
        "words": words,
        "relations": relations,
        "passes": {},
    }
    print(f"{args.corpus}: {len(texts)} statements, {words} words, {relations} relations")
    print(f"one core, best of {args.repeats}, {args.clock} time")
    print(f"{'pass':<25}{'seconds':>10}{'statements/s':>15}{'x parse time':>15}")
    for name, secs in seconds.items():
        ratio = secs / seconds["parse"]
        report["passes"][name] = {"seconds": secs, "statements_per_s": len(texts) / secs, "time_ratio": ratio}
        print(f"{name:<25}{secs:>10.2f}{len(texts) / secs:>15.1f}{ratio:>15.3f}")
    # What finding and grounding GO processes adds to the parse: its own time, timed around its calls
    # (a difference of two whole passes is lost in their noise on a shared machine).
    process_share = component_share(nlp, "processes", lambda: run_only(mentions), clock)
    report["processes_over_parse"] = process_share * seconds["mentions"] / seconds["parse"]
    print(f"the process component adds {100 * report['processes_over_parse']:.1f}% to the parse")
    relation_cost = seconds["extract"] / seconds["mentions"]
    report["extract_over_mentions"] = relation_cost
    mechanism_cost = seconds["extract"] / seconds["no_mechanism"]
    report["extract_over_no_mechanism"] = mechanism_cost
    print(f"reading the mechanism adds {100 * (mechanism_cost - 1):.1f}% to the extract pass")
    # Two passes differ by more than this cheap reading costs: time it from inside too.
    readers = [(relations_module, "mechanism_of"), (model_module, "pooled_mechanism")]
    mechanism_share = functions_share(readers, run_extract, clock)
    report["mechanism_share_of_extract"] = mechanism_share
    print(f"reading the mechanism's own time is {100 * mechanism_share:.1f}% of one extract pass")
    model_cost = seconds["model_alone"] / seconds["parse"]
    report["relation_model_over_parse"] = model_cost
    print(f"the relation model adds {100 * model_cost:.1f}% to the parse")
    # Its gene-process part (statements with a context gene only), timed from inside the extract pass.
    import generx.pipelines.components as components_module

    share = functions_share([(components_module, "process_relations")], run_extract, clock)
    report["process_part_over_parse"] = share * seconds["extract"] / seconds["parse"]
    print(f"of which its gene-process part adds {100 * report['process_part_over_parse']:.1f}% to the parse")
    print(
        f"relation extraction and records add {100 * (relation_cost - 1):.1f}% to the pipeline without them"
    )
    context_cost = seconds["extract"] / seconds["extract_without_context"]
    report["extract_over_extract_without_context"] = context_cost
    print(f"the context component adds {100 * (context_cost - 1):.1f}% to the extract pass")
    # The difference of two passes is noise-prone when the component is cheap: time it from inside too.
    share = component_share(nlp, "context", run_extract, clock)
    report["context_component_share_of_extract"] = share
    print(f"the context component's own time is {100 * share:.1f}% of one extract pass")
    # GO molecular functions and cellular components (generx_functions_v1), timed the same way.
    share = component_share(nlp, "functions", run_extract, clock)
    report["functions_component_share_of_extract"] = share
    print(f"the functions component's own time is {100 * share:.1f}% of one extract pass")
    if args.baseline is not None:
        report["baseline"] = baseline_package
        report["extract_speed_over_baseline_full"] = seconds["baseline_full"] / seconds["extract"]
        ratio = report["extract_speed_over_baseline_full"]
        print(f"generx extract runs {ratio:.2f}x as fast as {baseline_package}'s full pipeline")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
