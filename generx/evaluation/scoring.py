"""Precision, recall and F1 of predicted relations against gold, at three levels, with an error listing.

Levels, each stricter than the last:

- ``pair``: the two arguments, in either order (the PPI benchmarks' measure);
- ``directed``: subject -> object in the gold's order (a gold relation marked undirected, like a BioRED
  pair or a BEL correlation, matches in either order; a predicted ``binds`` or ``associated_with``,
  symmetric, also matches reversed);
- ``signed``: the directed pair with the same sign (+, -, unsigned 0, bind).

A level the gold cannot judge is None: ``directed`` when no gold relation is directed, ``signed`` when
the gold has no signs. Relations are sets per scoring unit (a sentence or a document): a pair found
twice counts once. Negated relations ("X does not activate Y") are kept out of the main scores and
scored apart (``negation``) where the gold marks negation; hedged ones count like asserted ones and are
also scored apart (``speculation``) where the gold marks hedges.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generx.evaluation.gold import TYPE_BY_SIGN, GoldArgument, GoldRelation

LEVELS = ("pair", "directed", "signed")
# A sentence this long is shown whole in the error listing; a longer unit (an abstract) is cut.
MAX_SHOWN_CHARS = 400

Key = tuple[Any, ...]


@dataclass(frozen=True)
class PRF:
    """Counts of true positives, false positives and false negatives, and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
        }


def prf(gold: set[Key], predicted: set[Key]) -> PRF:
    """Score a set of predicted keys against a set of gold keys."""
    return PRF(len(gold & predicted), len(predicted - gold), len(gold - predicted))


@dataclass(frozen=True)
class Prediction:
    """One predicted relation, its arguments carrying every key they may be matched by.

    ``sign`` follows the gold's vocabulary (see ``PREDICATE_SIGNS``); ``symmetric`` predicates (binds,
    associated_with) say nothing of direction.
    """

    unit: str
    subject: GoldArgument
    object: GoldArgument
    sign: str
    predicate: str = ""
    symmetric: bool = False
    negated: bool = False
    hedged: bool = False
    trigger: str = ""
    evidence: str = ""
    confidence: float = 0.0

    @property
    def category(self) -> str:
        return f"{self.subject.type}-{self.object.type}"


# generx predicates as gold signs. involved_in (a gene takes part in a process) has no sign of its own;
# against gold that knows only +, -, 0 and bind it is read as + (taking part furthers the process). The GO
# annotations (enables, located_in, part_of) and family membership (member_of) have none: no gold here
# judges them, and they are not scored.
PREDICATE_SIGNS = {
    "positively_regulates": "+",
    "negatively_regulates": "-",
    "regulates": "0",
    "associated_with": "0",
    "binds": "bind",
    "involved_in": "+",
}


@dataclass(frozen=True)
class ErrorItem:
    """A false positive or false negative at the strictest level, and what it got right."""

    kind: str  # "false_positive" | "false_negative"
    unit: str
    subject: str
    object: str
    sign: str | None
    reason: str  # "wrong sign", "wrong direction", "missed" (FN), "no such gold pair" (FP)
    text: str
    predicate: str = ""
    trigger: str = ""
    hedged: bool = False
    tier: str = ""

    def to_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "kind": self.kind,
            "unit": self.unit,
            "subject": self.subject,
            "object": self.object,
            "sign": self.sign,
            "reason": self.reason,
            "text": self.text,
        }
        if self.kind == "false_positive":
            row.update(predicate=self.predicate, trigger=self.trigger, hedged=self.hedged)
        if self.tier:
            row["tier"] = self.tier
        return row


@dataclass
class Scores:
    """Scores of one evaluation: the three levels overall and per argument class, per type, errors."""

    levels: dict[str, PRF | None]
    by_category: dict[str, dict[str, PRF | None]]
    by_type: dict[str, PRF]
    macro: dict[str, float]
    strictest: str
    tiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    negation: PRF | None = None
    speculation: PRF | None = None
    errors: list[ErrorItem] = field(default_factory=list)
    # (confidence bin, predicted, correct) at the strictest level: is higher confidence more often right?
    calibration: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def micro(self) -> PRF:
        level = self.levels[self.strictest]
        assert level is not None  # the strictest level is one that exists
        return level


def resolve(argument: GoldArgument, gold_arguments: Iterable[GoldArgument]) -> GoldArgument:
    """The prediction's argument under the key of the gold argument it matches, or as it is."""
    keys = set(argument.keys)
    for gold in gold_arguments:
        if keys.intersection(gold.keys):
            return GoldArgument((gold.key,), argument.type, argument.text)
    return argument


def _gold_key(relation: GoldRelation, level: str) -> Key:
    s, o = relation.subject.key, relation.object.key
    pair = frozenset((s, o))
    if level == "pair":
        return (relation.unit, pair)
    key: Key = (relation.unit, s, o) if relation.directed else (relation.unit, pair)
    return (*key, relation.sign) if level == "signed" else key


def _predicted_key(prediction: Prediction, level: str, gold: set[Key]) -> Key:
    s, o = prediction.subject.key, prediction.object.key
    pair = frozenset((s, o))
    if level == "pair":
        return (prediction.unit, pair)
    tail = (prediction.sign,) if level == "signed" else ()
    options: list[Key] = [(prediction.unit, s, o, *tail)]
    if prediction.symmetric:
        options.append((prediction.unit, o, s, *tail))
    options.append((prediction.unit, pair, *tail))
    return next((key for key in options if key in gold), options[0])


def _keys(
    gold: list[GoldRelation], predicted: list[Prediction], level: str
) -> tuple[set[Key], dict[Key, Prediction]]:
    gold_keys = {_gold_key(relation, level) for relation in gold}
    predicted_keys: dict[Key, Prediction] = {}
    for prediction in predicted:
        predicted_keys.setdefault(_predicted_key(prediction, level, gold_keys), prediction)
    return gold_keys, predicted_keys


def _levels(*, signed: bool, directed: bool) -> list[str]:
    return [level for level in LEVELS if (level != "directed" or directed) and (level != "signed" or signed)]


def score(
    gold: list[GoldRelation],
    predicted: list[Prediction],
    *,
    texts: dict[str, str] | None = None,
) -> Scores:
    """Score predictions against gold at every level the gold supports; list the strictest level's errors.

    ``predicted`` arguments should already be resolved onto gold keys (see ``resolve``); ``texts`` maps
    each unit to its text, shown beside the errors.
    """
    texts = texts or {}
    signed = any(relation.sign is not None for relation in gold)
    directed = any(relation.directed for relation in gold)
    levels = _levels(signed=signed, directed=directed)
    asserted_gold = [relation for relation in gold if not relation.negated]
    asserted = [prediction for prediction in predicted if not prediction.negated]
    results: dict[str, PRF | None] = dict.fromkeys(LEVELS)
    keyed: dict[str, tuple[set[Key], dict[Key, Prediction]]] = {}
    for level in levels:
        keyed[level] = _keys(asserted_gold, asserted, level)
        gold_keys, predicted_keys = keyed[level]
        results[level] = prf(gold_keys, set(predicted_keys))
    strictest = levels[-1]
    by_category: dict[str, dict[str, PRF | None]] = {}
    for category in sorted({r.category for r in asserted_gold} | {p.category for p in asserted}):
        in_gold = [r for r in asserted_gold if r.category == category]
        in_predicted = [p for p in asserted if p.category == category]
        by_category[category] = dict.fromkeys(LEVELS)
        for level in levels:
            gold_keys, predicted_keys = _keys(in_gold, in_predicted, level)
            by_category[category][level] = prf(gold_keys, set(predicted_keys))
    by_type = _by_type(asserted_gold, asserted, strictest, signed=signed)
    present = [value for value in by_type.values() if value.tp + value.fp + value.fn]
    macro = {
        "precision": _mean(value.precision for value in present),
        "recall": _mean(value.recall for value in present),
        "f1": _mean(value.f1 for value in present),
        "types": len(present),
    }
    scores = Scores(results, by_category, by_type, macro, strictest)
    scores.tiers = _tiers(asserted_gold, keyed[strictest], strictest)
    modifier_level = "directed" if directed else "pair"
    if any(relation.negated for relation in gold):
        negated_gold = [r for r in gold if r.negated]
        negated = [p for p in predicted if p.negated]
        gold_keys, predicted_keys = _keys(negated_gold, negated, modifier_level)
        scores.negation = prf(gold_keys, set(predicted_keys))
    if any(relation.hedged for relation in gold):
        hedged_gold = [r for r in gold if r.hedged]
        hedged = [p for p in predicted if p.hedged]
        gold_keys, predicted_keys = _keys(hedged_gold, hedged, modifier_level)
        scores.speculation = prf(gold_keys, set(predicted_keys))
    scores.errors = _errors(asserted_gold, asserted, keyed, levels, texts)
    scores.calibration = calibration(*keyed[strictest])
    return scores


CONFIDENCE_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def calibration(gold_keys: set[Key], predicted_keys: dict[Key, Prediction]) -> list[tuple[str, int, int]]:
    """Predictions and correct ones per confidence bin: [0, 0.5), [0.5, 0.6), ..., [0.9, 1]."""
    rows = []
    for low, high in itertools.pairwise(CONFIDENCE_BINS):
        keys = [key for key, p in predicted_keys.items() if low <= p.confidence < high]
        label = f"{low:.1f}-{min(high, 1.0):.1f}"
        rows.append((label, len(keys), sum(key in gold_keys for key in keys)))
    return rows


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else 0.0


def _by_type(
    gold: list[GoldRelation], predicted: list[Prediction], level: str, *, signed: bool
) -> dict[str, PRF]:
    """Scores per relation type (the sign's name) at ``level``: a prediction counts for its own type."""

    def type_of(sign: str | None) -> str:
        return TYPE_BY_SIGN[sign] if signed else TYPE_BY_SIGN[None]

    types = sorted({type_of(r.sign) for r in gold} | {type_of(p.sign) for p in predicted})
    found: dict[str, PRF] = {}
    for name in types:
        gold_keys, predicted_keys = _keys(
            [r for r in gold if type_of(r.sign) == name],
            [p for p in predicted if type_of(p.sign) == name],
            level,
        )
        found[name] = prf(gold_keys, set(predicted_keys))
    return found


def _tiers(
    gold: list[GoldRelation], keyed: tuple[set[Key], dict[Key, Prediction]], level: str
) -> dict[str, dict[str, Any]]:
    """Recall per gold tier (generx's own gold: must / should) at ``level``."""
    tiers: dict[str, dict[str, Any]] = {}
    _, predicted_keys = keyed
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for relation in gold:
        if relation.tier:
            counts[relation.tier]["gold"] += 1
            counts[relation.tier]["found"] += _gold_key(relation, level) in predicted_keys
    for tier, count in counts.items():
        tiers[tier] = {
            "gold": count["gold"],
            "found": count["found"],
            "recall": round(count["found"] / count["gold"], 4),
        }
    return tiers


def _errors(
    gold: list[GoldRelation],
    predicted: list[Prediction],
    keyed: dict[str, tuple[set[Key], dict[Key, Prediction]]],
    levels: list[str],
    texts: dict[str, str],
) -> list[ErrorItem]:
    strictest = levels[-1]
    gold_keys, predicted_keys = keyed[strictest]
    errors: list[ErrorItem] = []
    seen: set[Key] = set()
    for relation in gold:
        key = _gold_key(relation, strictest)
        if key in predicted_keys or key in seen:
            continue
        seen.add(key)
        matched = [level for level in levels if _gold_key(relation, level) in keyed[level][1]]
        errors.append(
            ErrorItem(
                kind="false_negative",
                unit=relation.unit,
                subject=_shown_argument(relation.subject),
                object=_shown_argument(relation.object),
                sign=relation.sign,
                reason=_reason(matched, levels, missed="missed"),
                text=_shown(texts.get(relation.unit, ""), relation.subject.text, relation.object.text),
                hedged=relation.hedged,
                tier=relation.tier,
            )
        )
    for key, prediction in predicted_keys.items():
        if key in gold_keys:
            continue
        matched = [
            level for level in levels if _predicted_key(prediction, level, keyed[level][0]) in keyed[level][0]
        ]
        errors.append(
            ErrorItem(
                kind="false_positive",
                unit=prediction.unit,
                subject=_shown_argument(prediction.subject),
                object=_shown_argument(prediction.object),
                sign=prediction.sign,
                reason=_reason(matched, levels, missed="no such gold pair"),
                text=prediction.evidence or _shown(texts.get(prediction.unit, ""), "", ""),
                predicate=prediction.predicate,
                trigger=prediction.trigger,
                hedged=prediction.hedged,
            )
        )
    errors.sort(key=lambda error: (error.unit, error.kind, error.subject, error.object))
    return errors


def _shown_argument(argument: GoldArgument) -> str:
    """An argument's text, with the key it was scored by when that says more (an id, not the text)."""
    if not argument.text or argument.key.lower().endswith(argument.text.lower()):
        return argument.text or argument.key
    return f"{argument.text} [{argument.key}]"


def _reason(matched: list[str], levels: list[str], *, missed: str) -> str:
    """What went wrong, from the loosest level at which the relation did match."""
    if not matched:
        return missed
    if "directed" in levels and "directed" not in matched:
        return "wrong direction"
    return "wrong sign"


def _shown(text: str, first: str, second: str) -> str:
    """The unit's text, or for a long one (an abstract) the sentence naming both arguments."""
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    sentences = [piece.strip() for piece in text.replace("? ", ". ").split(". ")]
    for sentence in sentences:
        if first and second and first in sentence and second in sentence:
            return sentence[:MAX_SHOWN_CHARS]
    return text[:MAX_SHOWN_CHARS] + "..."
