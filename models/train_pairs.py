"""Train generx's gene-pair classifier (``generx.pipelines.pairs``) on BioRED train and ship its weights.

    .venv/bin/python models/train_pairs.py [--shared ../shared/data] [--out models/relation_classifier]

Examples are the pairs of two given gene mentions with different ids in one sentence of a BioRED train
abstract, parsed by generx's own pipeline; a pair is positive when BioRED relates the two genes anywhere
in the abstract (BioRED is document-level, so this label is noisy: a sentence that only mentions both is
counted positive). The regularisation strength and the threshold are chosen by 5-fold cross-validation
over abstracts on train, scored as BioRED is scored: document-level gene pairs, the rules' own relations
always kept. BioRED dev is not read here; ``generx evaluate`` scores it afterwards.

BioRED is US-Government public domain (Luo et al. 2022), so the weights may ship.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generx.evaluation.pubtator import concept_ids
from generx.evaluation.runner import read_gold
from generx.pipelines.extract import load_pipeline
from generx.pipelines.pairs import PairClassifier, document_pairs
from generx.pipelines.pipeline import prepare_doc

ROOT = Path(__file__).resolve().parent.parent

Pair = frozenset[str]
GRID_C = (0.003, 0.01, 0.03, 0.1, 0.3)
FOLDS = 5


@dataclass
class Example:
    doc_id: str
    pairs: list[Pair]
    features: list[str]
    label: bool
    rule: bool


def keys(kb_id: str) -> list[str]:
    return concept_ids(kb_id)


def concept_pairs(a: str, b: str) -> list[Pair]:
    return [frozenset((x, y)) for x in keys(a) for y in keys(b) if x != y]


def examples(corpus: Path) -> tuple[list[Example], dict[str, set[Pair]]]:
    """The gene-pair examples of a BioRED file and its gold pairs by document."""
    gold = read_gold(corpus)
    gold_pairs: dict[str, set[Pair]] = defaultdict(set)
    for relation in gold.relations:
        gold_pairs[relation.unit].add(frozenset((relation.subject.key, relation.object.key)))
    nlp = load_pipeline()
    statements = [s for s in gold.statements if s.text.strip()]
    found: list[Example] = []
    docs = nlp.pipe(prepare_doc(nlp, statement) for statement in statements)
    for statement, doc in zip(statements, docs, strict=True):
        for a, b, features, rule in document_pairs(doc):
            pairs = concept_pairs(a.kb_id_, b.kb_id_)
            if not pairs:
                continue
            label = any(pair in gold_pairs[statement.id] for pair in pairs)
            found.append(Example(statement.id, pairs, features, label, rule))
    return found, dict(gold_pairs)


def document_f1(
    examples: list[Example], scores: list[float], gold: dict[str, set[Pair]], threshold: float
) -> tuple[float, float, float]:
    """Document-level pair P/R/F1 of rules plus the pairs scored at or above ``threshold``."""
    predicted: set[tuple[str, Pair]] = set()
    for example, score in zip(examples, scores, strict=True):
        if example.rule or score >= threshold:
            predicted.update((example.doc_id, pair) for pair in example.pairs)
    truth = {(doc_id, pair) for doc_id, pairs in gold.items() for pair in pairs}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def folds(examples: list[Example]) -> Iterator[tuple[list[int], list[int]]]:
    doc_ids = sorted({example.doc_id for example in examples})
    for fold in range(FOLDS):
        held = set(doc_ids[fold::FOLDS])
        test = [i for i, e in enumerate(examples) if e.doc_id in held]
        train = [i for i, e in enumerate(examples) if e.doc_id not in held]
        yield train, test


def fit(examples: list[Example], c: float) -> dict[str, float]:
    """Weights of an L2 logistic regression; "bias" carries the intercept."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(e.features, 1) for e in examples])
    y = [e.label for e in examples]
    model = LogisticRegression(C=c, max_iter=5000, fit_intercept=False)
    model.fit(x, y)
    return {
        name: round(float(weight), 4)
        for name, weight in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(weight) >= 1e-4
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "relation_classifier")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = args.shared / "relations" / "biored" / "Train.PubTator.gz"
    train, gold = examples(corpus)
    positives = sum(e.label for e in train)
    print(f"{len(train)} pairs ({positives} positive) from {len(gold)} abstracts with gold", file=sys.stderr)

    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    thresholds = [t / 100 for t in range(10, 91, 2)]
    for c in GRID_C:
        scores = [0.0] * len(train)
        for train_idx, test_idx in folds(train):
            model = PairClassifier(fit([train[i] for i in train_idx], c), 0.5, {})
            for i in test_idx:
                scores[i] = model.probability(train[i].features)
        for threshold in thresholds:
            f1 = document_f1(train, scores, gold, threshold)[2]
            if f1 > best[0]:
                best = (f1, c, threshold)
        print(f"C={c}: best cross-validated F1 so far {best}", file=sys.stderr)
    f1, c, threshold = best
    scores_cv = [0.0] * len(train)
    for train_idx, test_idx in folds(train):
        model = PairClassifier(fit([train[i] for i in train_idx], c), threshold, {})
        for i in test_idx:
            scores_cv[i] = model.probability(train[i].features)
    precision, recall, f1 = document_f1(train, scores_cv, gold, threshold)
    weights = fit(train, c)
    meta = {
        "trained_on": "BioRED train (400 abstracts), gene-gene pairs in one sentence, given entities",
        "c": c,
        "cross_validated": {"folds": FOLDS, "precision": precision, "recall": recall, "f1": f1},
        "examples": len(train),
        "positives": positives,
        "features": len(weights),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    PairClassifier(weights, threshold, meta).to_disk(args.out / "pairs.json.gz")
    print(json.dumps(meta, indent=2), file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
