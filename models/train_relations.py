"""Train generx's relation model (``generx.pipelines.relation_model``) on the union of the relation corpora.

    .venv/bin/python models/relation_corpora.py                 # parse the corpora once (DocBin cache)
    .venv/bin/python models/train_relations.py [--out models/relation_model]
    .venv/bin/python models/train_relations.py --cross-corpus   # train on all but one, test on that one
    .venv/bin/python models/train_relations.py --dev            # score BioRED dev once, at the end

Examples are the gene pairs of ``candidate_pairs`` on the cached Docs of BioRED train, GENIA GE'11 train,
LLL train and BioInfer train (given entities, rules run afresh). Each corpus is mapped onto generx's
predicates by ``LABELS``:

- BioRED: related = any gene-gene relation of the abstract; predicate: Positive_Correlation ->
  positively_regulates, Negative_Correlation -> negatively_regulates, Bind -> binds, every other type
  (Association, ...) -> associated_with; no direction (BioRED is undirected).
- GENIA GE'11: related = a flattened regulation pair (Cause -> Theme, ``generx.evaluation.standoff``) or
  two Themes of one Binding event; predicate: the chain's sign + -> positively_regulates, - ->
  negatively_regulates, Regulation -> regulates, Binding -> binds; direction Cause -> Theme.
- LLL: related = an interaction; untyped; direction agent -> target.
- BioInfer: related = an interaction; untyped; undirected.

Selection is by 5-fold cross-validation over documents of the union (each corpus split by document): the
regularisation strength, then, for the general convention (the corpora pooled), the isotonic calibration of
confidence (fitted to out-of-fold correctness at the strictest level each corpus judges) and the default
threshold (the one that maximises the mean pair F1 over the corpora, out of fold); for each corpus's
convention (``related`` and ``types`` trained again with the corpus's own copy of every feature,
``generx.pipelines.relation_model``), the same on that corpus's out-of-fold decisions, except that its
threshold maximises its F1 at the strictest level it judges (signed and directed for GENIA, signed for
BioRED, the pair for BioInfer), as its curators would score the relations. ``--cross-corpus``
follows Tikk et al. 2010: for each corpus, the whole procedure runs on the other three and the result is
scored on it with generx's own scorer (``generx.evaluation.runner.score_results``), so no number is
in-sample. BioRED dev is read only by ``--dev``.

Licences: BioRED is US-Government public domain; GENIA CC BY 3.0; BioInfer CC BY 2.0. LLL states no
licence, so the shipped weights are trained without it (``--out`` trains on BioRED, GENIA and BioInfer);
LLL is used for selection and for its cross-corpus score only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from generx.evaluation.gold import GoldCorpus
from generx.evaluation.pubtator import concept_ids
from generx.evaluation.runner import score_results
from generx.evaluation.standoff import (  # the reader's own parse of .a2
    parse_standoff,
    read_standoff_files,
    standoff_groups,
)
from generx.models import models_dir
from generx.pipelines.extract import StatementResult, pipeline_name
from generx.pipelines.pipeline import build_pipeline
from generx.pipelines.records import doc_to_records
from generx.pipelines.relation_model import (
    DEFAULT_CONVENTION,
    DIRECTED,
    GENERAL,
    TYPES,
    Calibration,
    Convention,
    PairUnit,
    RelationModel,
    candidate_pairs,
    convention_features,
    model_relations,
)

# Run as a script (`python models/train_relations.py`), models/ is no package on the path.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from models.relation_corpora import (  # noqa: E402
    DEFAULT_CACHE,
    DEFAULT_SHARED,
    TRAINING,
    corpus_path,
    load_docs,
    read_corpus,
)

log = logging.getLogger("train_relations")

FOLDS = 5
GRID_C = (0.03, 0.1)
THRESHOLDS = tuple(t / 100 for t in range(2, 80, 2))
# What the shipped model is trained on: every training corpus whose licence allows shipping its weights.
SHIPPED = ("biored", "genia", "bioinfer")
# The corpora disagree on what is right (GENIA also judges direction, BioInfer judges pairs only), so
# no one calibration fits them all; the general convention's confidence is calibrated on BioRED, whose
# curators relate every kind of link between two genes and judge its sign, as a record states it.
GENERAL_CALIBRATED_ON = ("biored",)
_SIGNED = {"+": "positively_regulates", "-": "negatively_regulates", "bind": "binds"}
# The predicate each typed corpus's gold sign stands for (see the mapping above).
SIGN_TO_TYPE = {
    "biored": {**_SIGNED, "0": "associated_with"},
    "biored_dev": {**_SIGNED, "0": "associated_with"},
    "genia": {**_SIGNED, "0": "regulates"},
}
PREDICATE_SIGN = {
    "positively_regulates": "+",
    "negatively_regulates": "-",
    "regulates": "0",
    "associated_with": "0",
    "binds": "bind",
}


@dataclass
class Example:
    """One candidate pair with its labels; ``gold`` holds (subject, object, sign, directed) of its pair."""

    corpus: str
    doc: int
    unit: PairUnit
    ids: tuple[list[str], list[str]]
    related: bool
    type: str | None
    forward: bool | None
    gold: list[tuple[str, str, str | None, bool]]


@dataclass
class Corpus:
    name: str
    gold: GoldCorpus
    docs: list[Any]
    examples: list[Example]


def _ids(span: Any, fmt: str) -> list[str]:
    return concept_ids(span.kb_id_) if fmt in ("pubtator", "bioc") else [span.kb_id_]


def genia_bindings(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Pairs of proteins that are Themes of one Binding event, by document (GENIA GE'11 ``.a2``)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for base, parts in read_standoff_files(path).items():
        if "txt" not in parts:
            continue
        document = parse_standoff(base, parts.get("a1", "") + "\n" + parts.get("a2", ""), parts["txt"])
        group = standoff_groups(document)
        for event in document.events.values():
            if event.type != "Binding" or event.negated:
                continue
            themes = {group[ref] for role, ref in event.args if role.startswith("Theme") and ref in group}
            found[base].extend(itertools.combinations(sorted(themes), 2))
    return found


def build_examples(nlp: Language, name: str, *, cache: Path, shared: Path) -> Corpus:
    """The corpus's candidate pairs, labelled from its gold, rules read afresh on the cached Docs."""
    gold = read_corpus(name, shared)
    docs = load_docs(nlp, name, cache)
    statements = [s for s in gold.statements if s.text.strip()]
    if [s.id for s in statements] != [doc._.statement_id for doc in docs]:
        raise RuntimeError(f"{name}: the cache does not match the corpus; rerun models/relation_corpora.py")
    by_unit: dict[str, dict[frozenset[str], list[tuple[str, str, str | None, bool]]]] = defaultdict(dict)
    for relation in gold.relations:
        for s in relation.subject.keys:
            for o in relation.object.keys:
                by_unit[relation.unit].setdefault(frozenset((s, o)), []).append(
                    (s, o, relation.sign, relation.directed)
                )
    if name == "genia":
        for doc_id, pairs in genia_bindings(corpus_path(name, shared)).items():
            for s, o in pairs:
                by_unit[doc_id].setdefault(frozenset((s, o)), []).append((s, o, "bind", False))
    relations = nlp.get_pipe("relations")
    examples = []
    for index, doc in enumerate(docs):
        relations(doc)
        table = by_unit.get(doc._.statement_id, {})
        for unit in candidate_pairs(doc, doc._.relations):
            ids = (_ids(unit.a, gold.format), _ids(unit.b, gold.format))
            found = [g for x in ids[0] for y in ids[1] for g in table.get(frozenset((x, y)), ())]
            signs = [g[2] for g in found if g[2] is not None]
            kind = SIGN_TO_TYPE[name][signs[0]] if name in SIGN_TO_TYPE and signs else None
            directions = {g[0] in ids[0] for g in found if g[3]}
            forward = directions.pop() if len(directions) == 1 else None
            examples.append(Example(name, index, unit, ids, bool(found), kind, forward, found))
    log.info("%s: %d pairs, %d related", name, len(examples), sum(e.related for e in examples))
    return Corpus(name, gold, docs, examples)


def fit_logistic(
    rows: list[set[str]], labels: Sequence[Any], c: float
) -> tuple[list[Any], list[dict[str, float]]]:
    """An L2 logistic regression (multinomial for several classes): classes and weights per class."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(row, 1) for row in rows]).tocsr()
    # liblinear takes 32-bit indices only.
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")
    labels = list(labels)
    # liblinear is the quicker solver for two classes; lbfgs fits the multinomial model.
    solver = "liblinear" if len(set(labels)) == 2 else "lbfgs"
    model = LogisticRegression(C=c, max_iter=3000, fit_intercept=False, solver=solver)
    model.fit(x, labels)
    names = vectorizer.get_feature_names_out()
    classes = list(model.classes_)
    coef = model.coef_ if len(classes) > 2 else [model.coef_[0]]
    weights = [
        {name: round(float(w), 4) for name, w in zip(names, row, strict=True) if abs(w) >= 1e-3}
        for row in coef
    ]
    return classes, weights


def _fit_parts(
    examples: list[Example], c: float, augmented: bool
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """``related`` and ``types`` on ``examples``; ``augmented``: each feature also under its corpus's name."""

    def rows(features: list[tuple[set[str], str]]) -> list[set[str]]:
        return [convention_features(found, corpus) if augmented else found for found, corpus in features]

    _, (related,) = fit_logistic(
        rows([(e.unit.features, e.corpus) for e in examples]), [e.related for e in examples], c
    )
    typed = [e for e in examples if e.type is not None]
    classes, weights = fit_logistic(
        rows([(e.unit.typed, e.corpus) for e in typed]), [e.type for e in typed], c
    )
    types = {name: weights[classes.index(name)] if name in classes else {"bias": -10.0} for name in TYPES}
    return related, types


def fit_model(examples: list[Example], c: float) -> RelationModel:
    """The three parts of the model, uncalibrated, on ``examples``, and ``related`` and ``types`` again
    with each corpus's own copy of the features (the direction is given by one corpus only)."""
    related, types = _fit_parts(examples, c, augmented=False)
    augmented_related, augmented_types = _fit_parts(examples, c, augmented=True)
    directed = [e for e in examples if e.forward is not None]
    _, (forward,) = fit_logistic([e.unit.oriented for e in directed], [e.forward for e in directed], c)
    return RelationModel(
        related, types, forward, augmented={"related": augmented_related, "types": augmented_types}
    )


def folds(examples: list[Example]) -> list[list[int]]:
    """Five folds of example indices, by document, each corpus split evenly."""
    found: list[list[int]] = [[] for _ in range(FOLDS)]
    for i, example in enumerate(examples):
        found[example.doc % FOLDS].append(i)
    return found


def correct(example: Example, predicate: str, forward: bool) -> bool | None:
    """Is the decision right at the strictest level the corpus judges? None: not judged (GENIA binds)."""
    if not example.related:
        return False
    a_ids, _ = example.ids
    signs = {g[2] for g in example.gold}
    if example.corpus == "genia" and predicate == "binds":
        return None
    sign = PREDICATE_SIGN[predicate]
    for subject, _, gold_sign, directed in example.gold:
        if gold_sign is not None and gold_sign != sign:
            continue
        if directed and predicate in DIRECTED and (subject in a_ids) != forward:
            continue
        return True
    return None in signs and not any(g[3] for g in example.gold)


@dataclass
class Scored:
    """An out-of-fold decision: its confidence (raw, then calibrated), predicate and direction."""

    raw: float
    predicate: str
    forward: bool


def out_of_fold(
    examples: list[Example], c: float, names: Sequence[str]
) -> tuple[dict[str, list[Scored]], list[RelationModel]]:
    """Each example scored by the model fitted on the other folds, read by the general convention (under
    ``GENERAL``) and by its own corpus's (under "own"); the fold models."""
    scored: dict[str, list[Scored | None]] = {view: [None] * len(examples) for view in (GENERAL, "own")}
    models = []
    for held in folds(examples):
        held_set = set(held)
        model = fit_model([e for i, e in enumerate(examples) if i not in held_set], c)
        models.append(model)
        views = {name: _raw_view(model, name, names) for name in (*names, GENERAL)}
        for i in held:
            for key, view in ((GENERAL, views[GENERAL]), ("own", views[examples[i].corpus])):
                decision = view.decide(examples[i].unit)
                scored[key][i] = Scored(decision.confidence, decision.predicate, decision.forward)
    return {key: [s for s in found if s is not None] for key, found in scored.items()}, models


def _raw_view(model: RelationModel, convention: str, names: Sequence[str]) -> RelationModel:
    """The model reading by ``convention`` before it is calibrated: raw scores."""
    uncalibrated = Convention(Calibration((), ()), 0.5)
    return replace(model, conventions=dict.fromkeys((*names, GENERAL), uncalibrated)).view(convention)


def _candidate_f1(
    examples: list[Example],
    scored: list[Scored],
    threshold: float,
    corpus: str,
    judge: Callable[[Example, Scored], bool | None],
) -> float:
    """F1 on one corpus over its candidate pairs, each decision at or above ``threshold`` judged right,
    wrong or not at all (None) by ``judge`` (gold pairs that share no sentence are left out: the same for
    every setting compared, so it ranks settings as the full score does)."""
    tp = fp = 0
    for example, s in zip(examples, scored, strict=True):
        if example.corpus != corpus or s.raw < threshold:
            continue
        right = judge(example, s)
        tp += right is True
        fp += right is False
    gold = sum(e.related for e in examples if e.corpus == corpus)
    return 2 * tp / (2 * tp + fp + (gold - tp)) if tp else 0.0


def pair_f1(examples: list[Example], scored: list[Scored], threshold: float, corpus: str) -> float:
    """Pair F1 on one corpus over its candidate pairs."""
    return _candidate_f1(examples, scored, threshold, corpus, lambda e, _: e.related)


def strict_f1(examples: list[Example], scored: list[Scored], threshold: float, corpus: str) -> float:
    """F1 on one corpus over its candidate pairs at the strictest level it judges (``correct``): signed and
    directed for GENIA, signed for BioRED, the pair for BioInfer; decisions it does not judge left out."""
    return _candidate_f1(examples, scored, threshold, corpus, lambda e, s: correct(e, s.predicate, s.forward))


# A corpus's F1 over its candidate pairs at a threshold: pair_f1 or strict_f1.
CorpusF1 = Callable[[list[Example], list[Scored], float, str], float]


def isotonic(examples: list[Example], scored: list[Scored]) -> Calibration:
    """Isotonic regression of correctness on the raw score, as breakpoints."""
    xs, ys = [], []
    for example, s in zip(examples, scored, strict=True):
        right = correct(example, s.predicate, s.forward)
        if right is not None:
            xs.append(s.raw)
            ys.append(float(right))
    return fit_isotonic(xs, ys)


def fit_isotonic(xs: Sequence[float], ys: Sequence[float]) -> Calibration:
    """The isotonic regression of ``ys`` on ``xs``, as the breakpoints of a ``Calibration``."""
    from sklearn.isotonic import IsotonicRegression

    regression = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(xs, ys)
    points = sorted(
        set(zip(regression.X_thresholds_.tolist(), regression.y_thresholds_.tolist(), strict=True))
    )
    return Calibration(tuple(round(x, 5) for x, _ in points), tuple(round(y, 4) for _, y in points))


def _convention(
    examples: list[Example],
    scored: list[Scored],
    names: Sequence[str],
    calibrate_on: Sequence[str] = (),
    f1: CorpusF1 = pair_f1,
) -> tuple[Convention, float]:
    """The calibration fitted to ``scored`` (of the corpora ``calibrate_on`` only, if any of them is
    there) and the threshold with the best mean ``f1`` over ``names``; that F1."""
    chosen = [i for i, e in enumerate(examples) if e.corpus in calibrate_on] or range(len(examples))
    calibration = isotonic([examples[i] for i in chosen], [scored[i] for i in chosen])
    calibrated = [Scored(calibration(s.raw), s.predicate, s.forward) for s in scored]
    by_threshold = {t: sum(f1(examples, calibrated, t, n) for n in names) / len(names) for t in THRESHOLDS}
    threshold = max(by_threshold, key=lambda t: by_threshold[t])
    return Convention(calibration, threshold), by_threshold[threshold]


def select(
    examples: list[Example], names: Sequence[str]
) -> tuple[float, dict[str, Any], list[RelationModel]]:
    """By cross-validation over ``examples``: C (on the mean pair F1 over the corpora, read by the general
    convention), then each convention's calibration and threshold: the general one on every corpus, a
    corpus's on its own out-of-fold decisions read by its convention, at its strictest level. Also the fold
    models."""
    best: tuple[float, float, dict[str, list[Scored]], list[RelationModel]] | None = None
    for c in GRID_C:
        scored, models = out_of_fold(examples, c, names)
        # Selection on the raw (uncalibrated) score of the default convention: the best mean pair F1 over
        # the corpora. The corpora's conventions take the same C.
        pooled = scored[GENERAL]
        f1 = max(sum(pair_f1(examples, pooled, t, n) for n in names) / len(names) for t in THRESHOLDS)
        log.info("C=%s: cross-validated mean pair F1 %.4f", c, f1)
        if best is None or f1 > best[0]:
            best = (f1, c, scored, models)
    assert best is not None
    _, c, scored, models = best
    conventions = {GENERAL: _convention(examples, scored[GENERAL], names, GENERAL_CALIBRATED_ON)[0]}
    strict_f1s = {}
    for name in names:
        index = [i for i, e in enumerate(examples) if e.corpus == name]
        corpus, own = [examples[i] for i in index], [scored["own"][i] for i in index]
        conventions[name], f1 = _convention(corpus, own, [name], f1=strict_f1)
        strict_f1s[name] = round(f1, 4)
    nested = nested_calibration(examples, scored, names)
    report = {
        "c": c,
        "thresholds": {name: found.threshold for name, found in conventions.items()},
        "cross_validated_strict_f1": strict_f1s,
        "nested_ece": {key: (found["ece"], found["ece_floor"]) for key, found in nested.items()},
    }
    log.info("selected %s", report)
    for model in models:
        model.conventions = dict(conventions)
    return c, report, models


def train(corpora: dict[str, Corpus], names: Sequence[str]) -> tuple[RelationModel, list[RelationModel]]:
    """Select by cross-validation on ``names``, then fit on all of them; also the fold models."""
    examples = [e for n in names for e in corpora[n].examples]
    c, report, fold_models = select(examples, names)
    model = fit_model(examples, c)
    model.conventions = dict(fold_models[0].conventions)
    model.meta = {"trained_on": list(names), **report, "examples": len(examples)}
    return model, fold_models


def score_corpus(nlp: Language, corpus: Corpus, models: Sequence[RelationModel], convention: str) -> Any:
    """Score a corpus with generx's own scorer, given entities (as ``generx evaluate``), the models
    reading by ``convention``. With one model, it reads every document; with the fold models, each
    document is read by the model that did not see it (documents are in fold ``index % FOLDS``, as
    ``folds`` splits them)."""
    models = [model.view(convention) for model in models]
    statements = [s for s in corpus.gold.statements if s.text.strip()]
    rules = nlp.get_pipe("relations")
    results = []
    for index, (statement, doc) in enumerate(zip(statements, corpus.docs, strict=True)):
        model = models[index % FOLDS] if len(models) > 1 else models[0]
        rules(doc)
        doc._.relations = model_relations(doc, doc._.relations, model)
        results.append(StatementResult(statement, doc_to_records(doc, pipeline=pipeline_name(nlp))))
    return score_results(corpus.gold, results, mode="given-entities", pipeline=pipeline_name(nlp))


def calibration_table(corpus: Corpus, model: RelationModel, threshold: float) -> dict[str, Any]:
    """Expected calibration error and precision by confidence bin of the model's gene pairs at or above
    ``threshold`` (correct: right at the strictest level the corpus judges)."""
    found = []
    for example in corpus.examples:
        decision = model.decide(example.unit)
        right = correct(example, decision.predicate, decision.forward)
        if decision.confidence >= threshold and right is not None:
            found.append((decision.confidence, right))
    return calibration_figures(found)


def calibration_figures(found: Sequence[tuple[float, bool]]) -> dict[str, Any]:
    """ECE over ten equal-width bins of (confidence, right) and each bin's precision. ``ece_floor`` is the
    ECE a perfectly calibrated model would show on as many predictions in the same bins, by chance alone
    (the mean absolute deviation of a binomial share): the least a sample of this size can confirm."""
    from scipy.stats import binom

    rows: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for confidence, right in found:
        rows[min(int(confidence * 10), 9)].append((confidence, right))
    total = max(len(found), 1)
    ece = sum(abs(sum(c for c, _ in row) - sum(r for _, r in row)) for row in rows.values()) / total
    floor = 0.0
    for row in rows.values():
        n, p = len(row), sum(c for c, _ in row) / len(row)
        floor += n * sum(binom.pmf(k, n, p) * abs(k / n - p) for k in range(n + 1)) / total
    table = [
        {
            "confidence": f"{b / 10:.1f}-{(b + 1) / 10:.1f}",
            "predicted": len(rows[b]),
            "mean_confidence": round(sum(c for c, _ in rows[b]) / len(rows[b]), 3),
            "precision": round(sum(r for _, r in rows[b]) / len(rows[b]), 3),
        }
        for b in sorted(rows)
    ]
    return {"ece": round(ece, 4), "ece_floor": round(floor, 4), "predictions": len(found), "bins": table}


def nested_calibration(
    examples: list[Example], scored: dict[str, list[Scored]], names: Sequence[str]
) -> dict[str, Any]:
    """Each corpus's calibration figures by nested cross-validation, read by the general convention and by
    its own: the out-of-fold scores of each fold calibrated, and thresholded, on the other folds' only."""
    found: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for held in folds(examples):
        held_set = set(held)
        rest = [i for i in range(len(examples)) if i not in held_set]
        readings: list[tuple[str, list[str], list[int], Sequence[str], CorpusF1]]
        readings = [(GENERAL, list(names), rest, GENERAL_CALIBRATED_ON, pair_f1)]
        readings += [("own", [n], [i for i in rest if examples[i].corpus == n], (), strict_f1) for n in names]
        for view, corpora, fit_on, calibrate_on, f1 in readings:
            convention, _ = _convention(
                [examples[i] for i in fit_on], [scored[view][i] for i in fit_on], corpora, calibrate_on, f1
            )
            for i in held:
                example, s = examples[i], scored[view][i]
                confidence = convention.calibration(s.raw)
                right = correct(example, s.predicate, s.forward)
                if example.corpus in corpora and confidence >= convention.threshold and right is not None:
                    label = GENERAL if view == GENERAL else example.corpus
                    found[f"{example.corpus} ({label} convention)"].append((confidence, right))
    return {key: calibration_figures(rows) for key, rows in sorted(found.items())}


def summary(report: Any) -> dict[str, Any]:
    scores = report.scores
    found = {level: prf.to_dict() for level, prf in scores.levels.items() if prf is not None}
    found["by_type"] = {name: prf.to_dict() for name, prf in scores.by_type.items()}
    found["calibration"] = scores.calibration
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "relation_model")
    parser.add_argument("--cross-corpus", action="store_true", help="train on all but one corpus, test on it")
    parser.add_argument("--dev", action="store_true", help="score the shipped model on BioRED dev (count it)")
    parser.add_argument("--only", nargs="*", default=None, help="held-out corpora for --cross-corpus")
    parser.add_argument("--report", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    started = time.perf_counter()
    nlp = build_pipeline(models_dir(), relation_model=False)
    figures: dict[str, Any] = {}
    if args.dev:
        model = RelationModel.from_disk(args.out / "relation_model.json.gz", convention=None)
        dev = build_examples(nlp, "biored_dev", cache=args.cache, shared=args.shared)
        # One read of dev, by the default convention and by BioRED's own.
        for convention in dict.fromkeys((DEFAULT_CONVENTION, "biored")):
            key = f"biored_dev ({convention} convention)"
            figures[key] = summary(score_corpus(nlp, dev, [model], convention))
            view = model.view(convention)
            figures[key]["calibration_table"] = calibration_table(dev, view, view.threshold)
            log.info("%s: %s", key, json.dumps(figures[key]))
        if args.report:
            args.report.write_text(json.dumps(figures, indent=2))
        return
    names = sorted({*(args.only or ()), *TRAINING}) if args.cross_corpus else SHIPPED
    corpora = {name: build_examples(nlp, name, cache=args.cache, shared=args.shared) for name in names}
    if args.cross_corpus:
        for held in args.only or TRAINING:
            others = [name for name in TRAINING if name != held]
            model, _ = train(corpora, others)
            # Read by the default convention, as a user reads text, and by every other one (the held-out
            # corpus has none of its own).
            for convention in sorted(model.conventions, key=lambda name: name != DEFAULT_CONVENTION):
                found = summary(score_corpus(nlp, corpora[held], [model], convention))
                figures[f"{held} ({convention})"] = {"trained_on": others, **found}
                log.info("cross-corpus %s, %s convention: %s", held, convention, json.dumps(found))
    else:
        model, fold_models = train(corpora, SHIPPED)
        # Each corpus read by its own convention, and by the default one, as a user reads text.
        for name in SHIPPED:
            for convention in dict.fromkeys((name, DEFAULT_CONVENTION)):
                key = f"{name} (cross-validated, {convention} convention)"
                figures[key] = summary(score_corpus(nlp, corpora[name], fold_models, convention))
                log.info("%s: %s", key, json.dumps(figures[key]))
        args.out.mkdir(parents=True, exist_ok=True)
        model.to_disk(args.out / "relation_model.json.gz")
        figures["meta"] = model.meta
    if args.report:
        args.report.write_text(json.dumps(figures, indent=2))
    log.info("done in %.0f s", time.perf_counter() - started)


if __name__ == "__main__":
    main()
