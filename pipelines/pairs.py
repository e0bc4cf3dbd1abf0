"""A trained classifier of gene pairs: does the sentence relate these two genes?

The rules of ``generx.pipelines.relations`` state a relation only where they can read its trigger, agent
and theme off the parse, which leaves most document-level relations of curated corpora unread (BioRED
dev: rule recall 22 %). The pair classifier scores every two genes of a sentence that the rules do not
relate, from features in the tradition of the dependency-path kernels of PPI extraction (Bunescu &
Mooney 2005, Airola et al. 2008): the words and dependencies on the shortest path between the two
mentions, the words between them and around them, the trigger classes met on the way, and what the
rules found. A logistic regression over these features is trained on BioRED train by
``models/train_pairs.py``; its weights ship in ``models/relation_classifier``. Scoring is a sum of
weights, so no learning library is needed at run time.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, MENTIONS
from generx.pipelines.arguments import Sentence, is_gene_list
from generx.pipelines.records import argument_key, mention_record
from generx.pipelines.triggers import trigger_class

MAX_PATH_STRING = 6
MAX_BETWEEN = 15
# Words between mentions that only separate the items of a list: "IL2, IL4 and IL10".
LIST_WORDS = frozenset({",", "and", "or", "/", "(", ")", "as", "well"})


def dependency_path(a: Token, b: Token) -> list[Token]:
    """The words on the dependency path from ``a`` to ``b``, both included; [] across sentences."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return []
    return up_a[: up_a.index(common) + 1] + up_b[: up_b.index(common)][::-1]


def path_head(path: Sequence[Token]) -> Token:
    """The word of a dependency path that stands highest in the tree (the one the others hang from)."""
    return min(path, key=lambda token: len(list(token.ancestors)))


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def pair_features(
    a: Span,
    b: Span,
    *,
    mention_at: dict[int, str],
    trigger_kind: dict[int, str],
) -> list[str]:
    """The features of the gene pair ``a`` (first in the text) and ``b`` in one sentence.

    ``mention_at`` maps a token index inside any mention to its label, so that other mentions are read
    as "GENE"/"PROCESS" rather than by their names; ``trigger_kind`` maps a trigger word's index to its
    class (positive, negative, binding, ...).
    """
    doc = a.doc
    features = ["bias"]

    def word(token: Token) -> str:
        if token.i in mention_at:
            return mention_at[token.i].upper()
        return token.lemma_.lower()

    path = dependency_path(a.root, b.root)
    inner = path[1:-1]
    features.append(f"path_len={_bucket(len(path), (2, 3, 4, 5, 6, 8, 10, 14))}")
    if not path:
        features.append("no_path")
    for token in inner:
        features.append(f"pw={word(token)}")
        features.append(f"pwd={word(token)}/{token.dep_}")
        if token.i in trigger_kind:
            features.append(f"ptc={trigger_kind[token.i]}")
    if path and len(path) <= MAX_PATH_STRING:
        arcs = [f"{token.dep_}:{word(token)}" for token in inner]
        ends = f"{a.root.dep_}>{b.root.dep_}"
        features.append(f"path={ends}|{'|'.join(arcs)}")
        features.append(f"pdeps={ends}|{'|'.join(token.dep_ for token in inner)}")
    if not any(token.i in trigger_kind for token in inner):
        features.append("ptc=none")
    if path:
        top = path_head(path)
        features.append(f"top={word(top)}/{top.pos_}")

    between = doc[a.end : b.start] if a.end <= b.start else doc[b.end : a.start]
    words = [word(token) for token in between]
    features.append(f"n_between={_bucket(len(words), (0, 1, 2, 3, 5, 8, 12, 20))}")
    others = sum(1 for t in between if t.i in mention_at and (t.i == 0 or t.i - 1 not in mention_at))
    features.append(f"mentions_between={_bucket(others, (0, 1, 2, 3))}")
    if words and all(w in LIST_WORDS or w.isupper() for w in words):
        features.append("list_between")
    if len(words) <= MAX_BETWEEN:
        features.extend(f"bw={w}" for w in set(words))
    features.extend(f"btc={trigger_kind[t.i]}" for t in between if t.i in trigger_kind)
    before = doc[a.start - 1] if a.start > a.sent.start else None
    after = doc[b.end] if b.end < b.sent.end else None
    features.append(f"before={word(before) if before is not None else '<s>'}")
    features.append(f"after={word(after) if after is not None else '</s>'}")
    if a.start <= b.start < a.end or b.start <= a.start < b.end:
        features.append("overlap")
    return features


@dataclass(frozen=True)
class PairClassifier:
    """A logistic regression over ``pair_features``: its weights, bias and the chosen threshold."""

    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any]

    @classmethod
    def from_disk(cls, path: Path) -> PairClassifier:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(weights=data["weights"], threshold=data["threshold"], meta=data.get("meta", {}))

    def to_disk(self, path: Path) -> None:
        data = {"threshold": self.threshold, "meta": self.meta, "weights": self.weights}
        # mtime 0 and sorted keys: the same training gives the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(json.dumps(data, sort_keys=True).encode("utf-8"))

    def probability(self, features: Iterable[str]) -> float:
        """P(the sentence relates the pair) under the model (the "bias" feature carries the intercept)."""
        score = sum(self.weights.get(feature, 0.0) for feature in set(features))
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))


def document_pairs(
    doc: Doc, relations: Sequence[Any] | None = None
) -> Iterator[tuple[Span, Span, list[str], bool]]:
    """Every two genes with different ids that share a sentence of the Doc, once per pair: the first
    mentions that share a sentence, the features above pooled over every sentence that
    names both (and how many do), and whether the rules (``relations``, default doc._.relations) relate
    them anywhere. Gene-list lines are left out, as the rules leave them.
    """
    relations = doc._.relations if relations is None else relations
    ruled = {frozenset((relation.subject.key, relation.object.key)) for relation in relations}
    mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
    pooled: dict[frozenset[str], tuple[Span, Span, set[str], int]] = {}
    for sent in doc.sents:
        sentence = Sentence.of(sent, mentions)
        genes = sentence.genes()
        if len(genes) < 2 or is_gene_list(sent, sentence):
            continue
        mention_at = {i: spans[0].label_ for i, spans in sentence.by_token.items()}
        trigger_kind: dict[int, str] = {}
        for token in sent:
            found = trigger_class(token)
            if found is not None and token.i not in mention_at:
                trigger_kind[token.i] = found[0].kind
        for a, b in itertools.combinations(genes, 2):
            pair = frozenset((argument_key(mention_record(a)), argument_key(mention_record(b))))
            if len(pair) < 2:
                continue
            found_here = pair_features(a, b, mention_at=mention_at, trigger_kind=trigger_kind)
            first, second, known, count = pooled.get(pair, (a, b, set(), 0))
            pooled[pair] = (first, second, known.union(found_here), count + 1)
    # Document-level relations centre on the genes an abstract keeps naming, and on its title.
    named = Counter(argument_key(mention_record(span)) for span in mentions if span.label_ == GENE)
    for pair, (a, b, features, count) in pooled.items():
        features.add(f"sentences={min(count, 4)}")
        low, high = sorted(min(named[key], 6) for key in pair)
        features.update((f"least_named={low}", f"most_named={high}"))
        if a.sent.start == 0:
            features.add("in_first_sentence")
        rule = pair in ruled
        if rule:
            features.add("rule")
        yield a, b, sorted(features), rule
