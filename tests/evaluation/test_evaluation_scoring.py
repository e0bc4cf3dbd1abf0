"""Scoring: precision, recall and F1 at pair, directed and signed levels, per type, and the error listing."""

from __future__ import annotations

import pytest

from generx.evaluation.gold import GoldArgument, GoldRelation
from generx.evaluation.scoring import PRF, Prediction, resolve, score


def gene(key: str) -> GoldArgument:
    return GoldArgument((key,), "gene", key)


def gold(s: str, o: str, sign: str | None = "+", *, unit: str = "u1", **flags: object) -> GoldRelation:
    return GoldRelation(unit, gene(s), gene(o), sign, **flags)  # type: ignore[arg-type]


def found(s: str, o: str, sign: str = "+", *, unit: str = "u1", **flags: object) -> Prediction:
    return Prediction(unit, gene(s), gene(o), sign, **flags)  # type: ignore[arg-type]


def test_prf_arithmetic() -> None:
    value = PRF(tp=3, fp=1, fn=2)
    assert value.precision == 0.75
    assert value.recall == 0.6
    assert value.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert PRF().f1 == 0.0
    assert value.to_dict()["gold"] == 5 and value.to_dict()["predicted"] == 4


def test_a_reversed_relation_is_right_as_a_pair_only() -> None:
    scores = score([gold("A", "B")], [found("B", "A")])
    assert scores.levels["pair"] == PRF(1, 0, 0)
    assert scores.levels["directed"] == PRF(0, 1, 1)
    assert scores.levels["signed"] == PRF(0, 1, 1)
    assert {(e.kind, e.reason) for e in scores.errors} == {
        ("false_negative", "wrong direction"),
        ("false_positive", "wrong direction"),
    }


def test_a_wrong_sign_is_right_up_to_the_directed_level() -> None:
    scores = score([gold("A", "B", "+")], [found("A", "B", "-")])
    assert scores.levels["directed"] == PRF(1, 0, 0)
    assert scores.levels["signed"] == PRF(0, 1, 1)
    assert {e.reason for e in scores.errors} == {"wrong sign"}
    assert scores.by_type["positive"] == PRF(0, 0, 1)
    assert scores.by_type["negative"] == PRF(0, 1, 0)
    assert scores.macro["f1"] == 0.0 and scores.macro["types"] == 2


def test_undirected_gold_and_symmetric_predictions_match_either_way() -> None:
    undirected = score([gold("A", "B", "0", directed=False)], [found("B", "A", "0")])
    assert undirected.levels["signed"] == PRF(1, 0, 0)
    assert undirected.levels["directed"] is None  # no gold relation is directed
    binding = score([gold("A", "B", "bind")], [found("B", "A", "bind", symmetric=True)])
    assert binding.levels["signed"] == PRF(1, 0, 0)


def test_gold_without_signs_has_no_signed_level() -> None:
    scores = score([gold("A", "B", None, directed=False)], [found("A", "B"), found("A", "C")])
    assert scores.levels["signed"] is None and scores.levels["directed"] is None
    assert scores.strictest == "pair"
    assert scores.micro == PRF(1, 1, 0)
    assert list(scores.by_type) == ["interaction"]


def test_a_relation_found_twice_counts_once_and_units_are_kept_apart() -> None:
    scores = score(
        [gold("A", "B"), gold("A", "B", unit="u2")],
        [found("A", "B"), found("A", "B"), found("A", "B", unit="u3")],
    )
    assert scores.levels["signed"] == PRF(1, 1, 1)


def test_negated_relations_are_scored_apart() -> None:
    scores = score(
        [gold("A", "B"), gold("C", "D", negated=True)],
        [found("A", "B"), found("C", "D", negated=True), found("E", "F", negated=True)],
    )
    assert scores.levels["signed"] == PRF(1, 0, 0)
    assert scores.negation == PRF(1, 1, 0)
    assert scores.speculation is None


def test_hedged_relations_count_and_are_also_scored_apart() -> None:
    scores = score([gold("A", "B", hedged=True)], [found("A", "B", hedged=True)])
    assert scores.levels["signed"] == PRF(1, 0, 0)
    assert scores.speculation == PRF(1, 0, 0)


def test_per_category_and_tier() -> None:
    process = GoldArgument(("GO:1",), "process", "proliferation")
    relations = [
        GoldRelation("u1", gene("A"), process, "+", tier="must"),
        gold("A", "B", tier="should"),
    ]
    predicted = [Prediction("u1", gene("A"), process, "+")]
    scores = score(relations, predicted)
    assert scores.by_category["gene-process"]["signed"] == PRF(1, 0, 0)
    assert scores.by_category["gene-gene"]["pair"] == PRF(0, 0, 1)
    assert scores.tiers == {
        "must": {"gold": 1, "found": 1, "recall": 1.0},
        "should": {"gold": 1, "found": 0, "recall": 0.0},
    }


def test_resolve_takes_the_key_of_the_gold_argument_it_matches() -> None:
    alternatives = GoldArgument(("GO:0042098", "GO:0008283"), "process")
    predicted = GoldArgument(
        ("GO:0008283", "go_name:cell population proliferation"), "process", "proliferation"
    )
    assert resolve(predicted, [gene("sym:IL2"), alternatives]).keys == ("GO:0042098",)
    unknown = GoldArgument(("HGNC:1",), "gene", "X")
    assert resolve(unknown, [alternatives]) is unknown


def test_error_listing_shows_the_sentence() -> None:
    texts = {"u1": "A activates B."}
    scores = score([gold("A", "B")], [], texts=texts)
    (error,) = scores.errors
    assert (error.kind, error.subject, error.object, error.reason, error.text) == (
        "false_negative",
        "A",
        "B",
        "missed",
        "A activates B.",
    )


def test_precision_by_confidence_bin() -> None:
    scores = score(
        [gold("A", "B"), gold("C", "D")],
        [
            found("A", "B", confidence=0.95),
            found("C", "D", confidence=0.55),
            found("E", "F", confidence=0.52),
        ],
    )
    bins = {label: (n, ok) for label, n, ok in scores.calibration}
    assert bins["0.9-1.0"] == (1, 1)
    assert bins["0.5-0.6"] == (2, 1)
    assert sum(n for n, _ in bins.values()) == 3
