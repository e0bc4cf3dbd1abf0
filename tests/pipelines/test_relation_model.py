"""The relation model on hand-built parses, with hand-set weights: no trained model needed."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from generx.pipelines.annotations import MENTIONS
from generx.pipelines.errors import InvalidSetting
from generx.pipelines.extract import load_pipeline
from generx.pipelines.relation_model import (
    Calibration,
    Convention,
    PairUnit,
    RelationModel,
    RelationModelError,
    UnknownConvention,
    candidate_pairs,
    model_relations,
    name_features,
)
from generx.pipelines.relations import find_relations

VOCAB = spacy.blank("en").vocab


def irf4_doc() -> Doc:
    """ "IRF4 levels rose after REL activation": no rule relates them; "activation" is on their path."""
    doc = Doc(
        VOCAB,
        words=["IRF4", "levels", "rose", "after", "REL", "activation", "."],
        tags=["NN", "NNS", "VBD", "IN", "NN", "NN", "."],
        lemmas=["IRF4", "level", "rise", "after", "REL", "activation", "."],
        heads=[1, 2, 2, 2, 5, 3, 2],
        deps=["nn", "nsubj", "ROOT", "prep", "nn", "pobj", "punct"],
    )
    doc.spans[MENTIONS] = [
        doc.char_span(0, 4, label="gene", kb_id="HGNC:6119"),
        doc.char_span(doc[4].idx, doc[4].idx + 3, label="gene", kb_id="HGNC:9954"),
    ]
    return doc


def model(related: float, *, forward: float = 0.0, threshold: float = 0.5) -> RelationModel:
    """A model that trusts a positive trigger on the path by ``related`` and says REL acts (b -> a)."""
    return RelationModel(
        related={"bias": -2.0, "ptc=positive": related},
        types={"positively_regulates": {"ptc=positive": 1.0}, "binds": {}},
        forward={"bias": forward},
        threshold=threshold,
    )


def test_every_pair_is_a_candidate_and_names_are_not_features() -> None:
    doc = irf4_doc()
    assert find_relations(doc) == []
    (unit,) = candidate_pairs(doc, [])
    assert unit.a.text == "IRF4" and unit.b.text == "REL"
    assert {"pw=level", "pw=rise", "pw=after", "ptc=positive", "rule=none", "sentences=1"} <= unit.features
    assert {"sent:ptc=positive", "sent:rule=none", "in_first=2"} <= unit.features
    assert not any("IRF4" in f or "REL" in f for f in unit.features | unit.oriented)


def test_the_model_relates_signs_and_directs_a_pair_no_rule_reads() -> None:
    doc = irf4_doc()
    (relation,) = model_relations(doc, [], model(4.0, forward=-2.0))
    assert relation.predicate == "positively_regulates"
    assert (relation.subject.record["id"], relation.object.record["id"]) == ("HGNC:9954", "HGNC:6119")
    record = relation.to_record(doc)
    assert record["trigger"]["text"] == "activation"
    assert 0.5 <= record["confidence"] <= 1
    assert model_relations(doc, [], model(1.0)) == []


def test_min_confidence_trades_recall_for_precision() -> None:
    doc = irf4_doc()
    assert model_relations(doc, [], model(1.0)) == []
    assert model_relations(doc, [], model(1.0), min_confidence=0.05)
    assert model_relations(doc, [], model(4.0), min_confidence=0.99) == []


def test_each_predicate_the_rules_read_of_a_reported_pair_is_a_record() -> None:
    """ "REL activates IRF4. REL regulates IRF4.": two statements about one pair, as GENIA annotates them."""
    doc = Doc(
        VOCAB,
        words=["REL", "activates", "IRF4", ".", "REL", "regulates", "IRF4", "."],
        tags=["NN", "VBZ", "NN", ".", "NN", "VBZ", "NN", "."],
        lemmas=["REL", "activate", "IRF4", ".", "REL", "regulate", "IRF4", "."],
        heads=[1, 1, 1, 1, 5, 5, 5, 5],
        deps=["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "dobj", "punct"],
        sent_starts=[True, False, False, False, True, False, False, False],
    )
    doc.spans[MENTIONS] = [
        doc.char_span(doc[i].idx, doc[i].idx + len(doc[i]), label="gene", kb_id=kb)
        for i, kb in ((0, "HGNC:9954"), (2, "HGNC:6119"), (4, "HGNC:9954"), (6, "HGNC:6119"))
    ]
    rules = find_relations(doc)
    assert {r.predicate for r in rules} == {"positively_regulates", "regulates"}
    both = RelationModel(
        related={"bias": 4.0},
        types={
            "positively_regulates": {"rule=positively_regulates": 1.5},
            "regulates": {"rule=regulates": 1.0},
            "binds": {},
        },
        forward={"bias": 3.0},
        threshold=0.3,
    )
    found = {r.predicate: r for r in model_relations(doc, rules, both)}
    assert set(found) == {"positively_regulates", "regulates"}
    assert all(r.subject.record["id"] == "HGNC:9954" for r in found.values())
    # The second reading is as sure as its pair: the statement says both.
    assert found["regulates"].confidence == found["positively_regulates"].confidence
    assert doc.text[slice(*found["regulates"].trigger)] == "regulates"
    # Both stand or fall with the pair as the threshold rises.
    pair = found["positively_regulates"].confidence
    assert len(model_relations(doc, rules, both, min_confidence=pair)) == 2
    assert model_relations(doc, rules, both, min_confidence=pair + 0.01) == []


def test_evidence_is_pooled_over_the_sentences_of_a_statement() -> None:
    words = ["IRF4", "binds", "REL", ".", "REL", "and", "IRF4", "bind", "."]
    doc = Doc(
        VOCAB,
        words=words,
        tags=["NN", "VBZ", "NN", ".", "NN", "CC", "NN", "VBP", "."],
        lemmas=["IRF4", "bind", "REL", ".", "REL", "and", "IRF4", "bind", "."],
        heads=[1, 1, 1, 1, 7, 4, 4, 7, 7],
        deps=["nsubj", "ROOT", "dobj", "punct", "nsubj", "cc", "conj", "ROOT", "punct"],
        sent_starts=[True, False, False, False, True, False, False, False, False],
    )
    doc.spans[MENTIONS] = [
        doc.char_span(doc[i].idx, doc[i].idx + len(doc[i]), label="gene", kb_id=kb)
        for i, kb in ((0, "HGNC:6119"), (2, "HGNC:9954"), (4, "HGNC:9954"), (6, "HGNC:6119"))
    ]
    (unit,) = candidate_pairs(doc, find_relations(doc))
    assert unit.sentences == 2 and {"sentences=2", "doc:sentences=2"} <= unit.features
    # The second sentence names REL first: its ordered features are marked as read the other way round.
    assert any(f.startswith("~") for f in unit.oriented)
    assert "rule=binds" in unit.features


def test_same_name_is_one_protein() -> None:
    doc = Doc(VOCAB, words=["ECK", "and", "ECK"], heads=[0, 0, 0], deps=["ROOT", "cc", "conj"])
    doc.spans[MENTIONS] = [
        doc.char_span(0, 3, label="gene", kb_id="e0"),
        doc.char_span(8, 11, label="gene", kb_id="e1"),
    ]
    assert candidate_pairs(doc, []) == []


def many_genes(count: int, filler: int = 1) -> Doc:
    """ "G0 binds G1 binds G2 ...": ``count`` genes, each followed by ``filler`` verbs, all hung from G0."""
    words = [w for i in range(count) for w in [f"G{i}", *["binds"] * filler]]
    doc = Doc(
        VOCAB,
        words=words,
        heads=[0] * len(words),
        deps=["ROOT", *["dep" if w[0] == "G" else "conj" for w in words[1:]]],
        tags=["NN" if w[0] == "G" else "VBZ" for w in words],
    )
    doc.spans[MENTIONS] = [
        Span(doc, i, i + 1, label="gene", kb_id=w) for i, w in enumerate(words) if w[0] == "G"
    ]
    return doc


def test_a_mention_is_paired_with_the_32_that_follow_it_in_a_sentence() -> None:
    """Every pair in any sentence of the corpora here (at most 25 gene mentions), and a number of pairs that
    grows with a hostile sentence's length, not with its square."""
    units = candidate_pairs(many_genes(40), [])
    apart = {int(unit.b.text[1:]) - int(unit.a.text[1:]) for unit in units}
    assert len(units) == sum(min(32, 40 - 1 - i) for i in range(40)) and max(apart) == 32
    assert len(candidate_pairs(many_genes(25), [])) == 25 * 24 // 2


def test_a_sentence_longer_than_any_written_is_left_to_the_rules() -> None:
    assert candidate_pairs(many_genes(3, filler=100), []) == []  # 303 tokens
    assert len(candidate_pairs(many_genes(3, filler=90), [])) == 3


def test_the_family_a_gene_belongs_to_is_no_partner() -> None:
    # "X is a member of the BCL2 family": hand-parsed as the GENIA-trained parser parses it
    words = ["X", "is", "a", "member", "of", "the", "BCL2", "family"]
    heads = [3, 3, 3, 3, 3, 7, 7, 4]
    deps = ["nsubj", "cop", "det", "ROOT", "prep", "det", "nn", "pobj"]
    tags = ["NN", "VBZ", "DT", "NN", "IN", "DT", "NN", "NN"]
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags, lemmas=[w.lower() for w in words])
    doc.spans[MENTIONS] = [
        Span(doc, 0, 1, label="gene", kb_id="x"),
        Span(doc, 6, 7, label="gene", kb_id="bcl2"),
    ]
    assert candidate_pairs(doc, []) == []


def family_phrase(noun: str, family: list[str]) -> Doc:
    """ "X is a <noun> of the <family...> superfamily", hand-parsed as the GENIA-trained parser parses it;
    the gene mention is the family's first word."""
    words = ["X", "is", "a", noun, "of", "the", *family, "superfamily"]
    last = len(words) - 1
    heads = [3, 3, 3, 3, 3, last, *[last] * len(family), 4]
    deps = ["nsubj", "cop", "det", "ROOT", "prep", "det", *["nn"] * len(family), "pobj"]
    tags = ["NN", "VBZ", "DT", "NN", "IN", "DT", *["NN"] * len(family), "NN"]
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags, lemmas=[w.lower() for w in words])
    doc.spans[MENTIONS] = [Span(doc, 0, 1, label="gene", kb_id="x"), Span(doc, 6, 7, label="gene", kb_id="g")]
    return doc


@pytest.mark.parametrize(
    ("noun", "family", "partner"),
    [
        ("ligand", ["TGFB"], False),  # a kind of TGF-beta family protein, not its partner
        ("kinase", ["SRC"], False),
        ("inhibitor", ["BIRC"], True),  # what it acts on
        ("ligand", ["TNF", "receptor"], True),  # what it binds
    ],
)
def test_a_class_noun_of_a_family_places_the_gene_in_it(noun: str, family: list[str], partner: bool) -> None:
    assert bool(candidate_pairs(family_phrase(noun, family), [])) == partner


def test_calibration_is_monotone_and_clipped() -> None:
    calibration = Calibration((0.1, 0.5, 0.9), (0.2, 0.4, 0.8))
    assert calibration(0.0) == 0.2 and calibration(1.0) == 0.8
    assert calibration(0.3) == pytest.approx(0.3)
    assert calibration(0.7) == pytest.approx(0.6)


def trained(calibration: Calibration | None = None) -> RelationModel:
    """A model as trained: pooled weights, and augmented ones (shared and GENIA's own); two conventions."""
    return RelationModel(
        related={"bias": -2.0, "ptc=positive": 1.0},
        types={"positively_regulates": {"ptc=positive": 1.0}},
        forward={"bias": -2.0},
        augmented={
            "related": {"bias": -2.0, "ptc=positive": 0.5, "genia|ptc=positive": 3.5, "path=a|b": 0.1},
            "types": {
                "positively_regulates": {"ptc=positive": 1.0},
                "regulates": {"genia|ptc=positive": 2.0},
            },
        },
        conventions={
            "genia": Convention(calibration or Calibration((), ()), 0.4),
            "general": Convention(Calibration((), ()), 0.6),
        },
    )


def test_model_round_trip(tmp_path: Path) -> None:
    original = trained(Calibration((0.1, 0.9), (0.2, 0.8)))
    path = tmp_path / "model.json.gz"
    original.to_disk(path)
    assert RelationModel.from_disk(path, convention=None) == original
    assert RelationModel.from_disk(path, "genia") == original.view("genia")


def test_a_convention_adds_its_own_weights_to_the_shared_ones() -> None:
    """GENIA's curators read "REL activation" raising IRF4 as a regulation the pooled weights doubt."""
    doc = irf4_doc()
    genia, general = trained().view("genia"), trained().view("general")
    # A shared feature's name may hold a "|" (a path's arcs): it stays shared.
    assert genia.related == {"bias": -2.0, "ptc=positive": 4.0, "path=a|b": 0.1}
    assert general.related["ptc=positive"] == 1.0
    assert (genia.threshold, general.threshold) == (0.4, 0.6)
    (relation,) = model_relations(doc, [], genia)
    assert relation.predicate == "regulates"
    assert model_relations(doc, [], general) == []


def test_an_unknown_convention_is_a_named_error() -> None:
    with pytest.raises(UnknownConvention, match="general, genia"):
        trained().view("aimed")


def test_a_bad_model_file_is_a_named_error(tmp_path: Path) -> None:
    path = tmp_path / "model.json.gz"
    path.write_text("not gzip")
    with pytest.raises(RelationModelError, match="not a relation model"):
        RelationModel.from_disk(path)


@pytest.mark.parametrize("value", ["high", "1.5"])
def test_a_bad_threshold_setting_is_a_named_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("GENERX_MIN_CONFIDENCE", value)
    with pytest.raises(InvalidSetting):
        load_pipeline()


def test_a_loss_of_the_gene_turns_the_sign_of_the_path() -> None:
    """ "REL knockdown reduced IRF4": a negative trigger and a loss of REL compose to a positive sign;
    "reduced", the relation's own trigger, is no loss of IRF4."""
    doc = Doc(
        VOCAB,
        words=["REL", "knockdown", "reduced", "IRF4", "."],
        tags=["NN", "NN", "VBD", "NN", "."],
        lemmas=["REL", "knockdown", "reduce", "IRF4", "."],
        heads=[1, 2, 2, 2, 2],
        deps=["compound", "nsubj", "ROOT", "dobj", "punct"],
    )
    doc.spans[MENTIONS] = [
        Span(doc, 0, 1, label="gene", kb_id="HGNC:9954"),
        Span(doc, 3, 4, label="gene", kb_id="HGNC:6119"),
    ]
    (unit,) = candidate_pairs(doc, [])
    assert {"lost_a", "psign=pos", "lost*ptc=negative"} <= unit.signs
    assert "lost_b" not in unit.signs
    # Sign clues are read by the predicate part only.
    assert not unit.signs & unit.features and unit.signs <= unit.typed


def test_a_ligand_and_its_receptor_are_told_by_their_names() -> None:
    doc = Doc(VOCAB, words=["EPO", "and", "EPOR", "or", "IL-2", "receptor", "REL"])
    assert "ligand_receptor" in name_features(doc[0:1], doc[2:3])
    assert "receptor_named" in name_features(doc[6:7], doc[4:6])
    assert name_features(doc[0:1], doc[6:7]) == []


def test_the_sign_is_chosen_on_the_sum_of_the_unsigned_predicates() -> None:
    """regulates and associated_with state no sign: together they outweigh positively_regulates."""
    doc = irf4_doc()
    unit = PairUnit(doc[0:1], doc[4:5], features={"bias"})
    model = RelationModel(
        related={"bias": 5.0},
        types={
            "positively_regulates": {"bias": 0.2},
            "regulates": {"bias": 0.0},
            "associated_with": {"bias": -0.01},
        },
        forward={"bias": 0.0},
    )
    assert model.decide(unit).predicate == "regulates"


def test_the_shipped_model_reads_by_the_convention_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_pipeline().get_pipe("relation_model").model.convention == "general"
    genia = load_pipeline(convention="genia").get_pipe("relation_model").model
    assert genia.convention == "genia" and genia.threshold > 0
    with pytest.raises(UnknownConvention, match="bioinfer, biored, general, genia"):
        load_pipeline(convention="aimed")
    monkeypatch.setenv("GENERX_CONVENTION", "biored")
    assert load_pipeline().get_pipe("relation_model").model.convention == "biored"
