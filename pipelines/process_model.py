"""The gene–process part of the relation model: a statement's own gene and each process named with it.

The rules (``generx.pipelines.relations``) relate a gene to a process where they can walk from a trigger to
both ("This gene encodes a protein involved in P"). Many sentences that state such a relation defeat the
walk: a long coordination, a relative clause the parse attaches elsewhere, a family named for the gene
("Members of this family play a role in P"). Here every pair of the statement's context gene (any mention
grounded to it: its names, "this gene", "the encoded protein", "it") and a process mention that share a
sentence is a candidate, pooled per GO term over the statement, with the features of the gene pairs
(``generx.pipelines.pairs``: the dependency path, the words between and around) and the rules' readings.

No corpus here annotates gene–process relations in text, so the part is trained by distant supervision
(Mintz et al. 2009) on the RefSeq gene summaries (``models/train_processes.py``): a pair is labelled
related when the gene's GO annotations (NCBI gene2go) support the term (the term, an ancestor or
descendant, or a term regulating it or regulated by it: ``generx.models.refseq.GoSupport``). Terms with
many descendants ("regulation", "gene expression") are supported for nearly every gene whatever the text
says, so they are left out as candidates (``generic``); the rules still relate them.

Its ``confidence`` is the calibrated share of such pairs the annotations support, out of fold. It adds the
pairs no rule reads at or above its threshold; a pair a rule reads stays the rule's.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import MENTIONS, PROCESS
from generx.pipelines.arguments import Sentence
from generx.pipelines.errors import GenerxError, ModelNotFound
from generx.pipelines.pairs import (
    MAX_PARTNERS,
    MAX_SENTENCE_TOKENS,
    dependency_path,
    pair_features,
    path_head,
    sentence_marks,
)
from generx.pipelines.records import mention_key, mention_record
from generx.pipelines.relation_model import Calibration, dot, sigmoid
from generx.pipelines.relations import Argument, Relation
from generx.pipelines.triggers import (
    ASSOCIATION,
    NEGATIVE,
    POSITIVE,
    UNSIGNED,
    TriggerClass,
    is_hedged,
    is_negated,
    signed,
    trigger_class,
    trigger_offsets,
)


class ProcessModelError(GenerxError, ValueError):
    """A gene–process model file that cannot be read."""


@dataclass
class ProcessUnit:
    """The context gene and one GO process of a statement, with the evidence of every sentence naming both.

    ``gene`` and ``process`` are the mentions of the first such sentence; ``rules`` the rule relations
    between the gene and the term anywhere in the statement (implicit ones included).
    """

    gene: Span
    process: Span
    features: set[str] = field(default_factory=set)
    rules: list[Relation] = field(default_factory=list)


def process_pairs(
    doc: Doc, rules: list[Relation], gene_id: str, generic: frozenset[str]
) -> list[ProcessUnit]:
    """Every (context gene, process) pair sharing a sentence, once per GO term; ``generic`` terms left out."""
    mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
    gene_key = gene_id.lower()
    units: dict[str, ProcessUnit] = {}
    for sentence in Sentence.each(doc, mentions):
        sent = sentence.sent
        if len(sent) > MAX_SENTENCE_TOKENS:
            continue
        genes = [span for span in sentence.genes() if span.kb_id_ == gene_id]
        processes = [
            span
            for span in sentence.mentions
            if span.label_ == PROCESS and span.kb_id_ and span.kb_id_ not in generic
        ]
        if not genes or not processes:
            continue
        mention_at, trigger_kind = sentence_marks(sent, sentence.by_token)
        # Each pair with fewer than MAX_PARTNERS of the others between them, as ``near_pairs`` pairs genes.
        place = {id(span): n for n, span in enumerate(sorted([*genes, *processes], key=lambda s: s.start))}
        for gene in genes:
            for process in processes:
                if process.start < gene.end and gene.start < process.end:
                    continue
                if abs(place[id(gene)] - place[id(process)]) > MAX_PARTNERS:
                    continue
                unit = units.get(process.kb_id_)
                if unit is None:
                    key = mention_key(process)
                    unit = units[process.kb_id_] = ProcessUnit(
                        gene,
                        process,
                        rules=[r for r in rules if {r.subject.key, r.object.key} == {gene_key, key}],
                    )
                first, second = (gene, process) if gene.start < process.start else (process, gene)
                order = "gp" if first is gene else "pg"
                found_here = pair_features(first, second, mention_at=mention_at, trigger_kind=trigger_kind)
                unit.features.update(found_here)
                unit.features.update(f"{order}:{feature}" for feature in found_here)
                unit.features.add(f"gene_as={gene._.resolved or 'name'}")
    for unit in units.values():
        for relation in unit.rules:
            unit.features.update(
                (f"rule={relation.predicate}", f"rule_c={relation.predicate}/{relation.construction}")
            )
            if relation.negated:
                unit.features.add("rule_negated")
        if not unit.rules:
            unit.features.add("rule=none")
    return sorted(units.values(), key=lambda unit: (unit.process.start, unit.gene.start))


def _path_triggers(unit: ProcessUnit) -> list[tuple[Token, TriggerClass]]:
    """The trigger words on the dependency path between the gene and the process, outside both."""
    path = dependency_path(unit.gene.root, unit.process.root)
    inside = (unit.gene.start, unit.gene.end), (unit.process.start, unit.process.end)
    found = []
    for token in path[1:-1]:
        reading = trigger_class(token)
        if reading is not None and not any(s <= token.i < e for s, e in inside):
            found.append((token, reading[0]))
    return found


def process_predicate(unit: ProcessUnit) -> str:
    """The predicate the triggers between the two compose: the signs of the regulating words multiplied
    ("inhibits the degradation of" reads negative), "regulate" unsigned, else the gene takes part."""
    sign, kinds = 1, set()
    for token, tc in _path_triggers(unit):
        kinds.add(tc.kind)
        if tc.kind in (POSITIVE, NEGATIVE):
            sign *= signed(tc, token) or 1
    if kinds & {POSITIVE, NEGATIVE}:
        return "positively_regulates" if sign > 0 else "negatively_regulates"
    if UNSIGNED in kinds:
        return "regulates"
    if kinds == {ASSOCIATION}:
        return "associated_with"
    return "involved_in"


@dataclass
class ProcessModel:
    """Weights of a logistic regression over a pair's features, its calibration and threshold, and the
    terms too generic to be candidates."""

    weights: dict[str, float]
    calibration: Calibration
    threshold: float
    generic: frozenset[str]
    meta: dict[str, Any] = field(default_factory=dict)

    def confidence(self, unit: ProcessUnit) -> float:
        return self.calibration(sigmoid(dot(self.weights, unit.features)))

    @classmethod
    def from_disk(cls, path: Path) -> ProcessModel:
        if not path.exists():
            raise ModelNotFound(f"no gene-process model at {path}; build it with models/train_processes.py")
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
            return cls(
                weights=data["weights"],
                calibration=Calibration(tuple(data["calibration"]["x"]), tuple(data["calibration"]["y"])),
                threshold=float(data["threshold"]),
                generic=frozenset(data["generic"]),
                meta=data.get("meta", {}),
            )
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ProcessModelError(f"{path}: not a gene-process model: {err}") from err

    def to_disk(self, path: Path) -> None:
        data = {
            "meta": self.meta,
            "weights": self.weights,
            "calibration": {"x": list(self.calibration.x), "y": list(self.calibration.y)},
            "threshold": self.threshold,
            "generic": sorted(self.generic),
        }
        # mtime 0 and sorted keys: the same training gives the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def process_relations(
    doc: Doc, rules: list[Relation], model: ProcessModel, gene_id: str, *, min_confidence: float | None = None
) -> list[Relation]:
    """The relations of the context gene to the processes no rule relates it to, at or above
    ``min_confidence`` (default: the model's threshold). The trigger is the first trigger word on the path
    between the two (else the path's head word), which also gives the negation and hedging flags."""
    threshold = model.threshold if min_confidence is None else min_confidence
    found = []
    for unit in process_pairs(doc, rules, gene_id, model.generic):
        if unit.rules:
            continue
        confidence = model.confidence(unit)
        if confidence < threshold:
            continue
        triggers = _path_triggers(unit)
        path = dependency_path(unit.gene.root, unit.process.root) or [unit.gene.root]
        word = triggers[0][0] if triggers else path_head(path)
        found.append(
            Relation(
                subject=Argument(mention_record(unit.gene), unit.gene),
                predicate=process_predicate(unit),
                object=Argument(mention_record(unit.process), unit.process),
                trigger=trigger_offsets(word),
                evidence=unit.gene.sent,
                confidence=confidence,
                negated=is_negated(word),
                hedged=is_hedged(word),
                construction="model",
            )
        )
    return found
