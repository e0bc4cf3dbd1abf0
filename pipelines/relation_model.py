"""The trained relation model: every two gene mentions of a statement, scored for predicate and direction.

The rules (``generx.pipelines.relations``) read a relation only where they can walk from a trigger to both
arguments, which leaves most curated relations unread. Here every pair of two genes that share a sentence
is a candidate. Its features are those of the dependency-path tradition of PPI extraction (the words and
dependencies on the shortest path, the words between and around the mentions: Bunescu & Mooney 2005,
Airola et al. 2008; ``generx.pipelines.pairs``) and the rules' readings of the pair: which relation they
found, its direction, its construction, whether it is negated or hedged. The rules inform the model; they
do not gate it.

A statement's evidence is pooled per pair of entities: features from every sentence that names both
(a PubTator or BioC abstract is one statement), as document-level curation asks (BioRED, Luo et al.
2022). The model has three linear parts, each a logistic regression trained by
``models/train_relations.py`` and scored here as sums of weights (no learning library at run time):

- ``related``: P(the statement relates the pair), trained on every corpus;
- ``types``: P(predicate | related) over positively_regulates, negatively_regulates, regulates, binds,
  associated_with, trained on the corpora that type their relations;
- ``forward``: P(first mention -> second | related), trained on the corpora that give a direction.

``confidence`` is their product mapped through an isotonic calibration fitted on cross-validated
predictions, so that among records near 0.8 about 80 % are right (at the strictest level the training
corpora judge). Gene–process pairs and implicit (context gene) arguments have no training data in the
corpora here; their rule relations pass through unchanged (``generx.pipelines.process_model`` adds the
context gene's gene–process pairs the rules do not read).

The corpora draw the line between related and unrelated, and between the predicates, each in its own
way: most of BioRED's related gene pairs are Associations, most of GENIA's are positive regulations. A
model trained on them jointly learns neither convention (its predicate agreed with BioRED's less often
than always saying "associated"). So the model reads by a *convention*, chosen by the user:

- ``general`` (the default): the three parts above, trained on the corpora pooled, one calibration and
  one threshold for all: a compromise, and the reading that does best over all the corpora together;
- a corpus's convention (``biored``, ``genia``, ``bioinfer``): ``related`` and ``types`` trained again
  with each feature also copied under its corpus's name (Daume 2007's feature augmentation; the shared
  weights hold what the corpora agree on, each corpus's own weights its convention), read as the shared
  weights plus that corpus's own, with that corpus's calibration and threshold: relations as its
  curators would annotate them.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, MENTIONS, PROCESS
from generx.pipelines.arguments import EXCLUDING, Sentence, is_gene_list
from generx.pipelines.context import names_family_of_member
from generx.pipelines.errors import GenerxError, ModelNotFound
from generx.pipelines.mechanism import pooled_mechanism
from generx.pipelines.pairs import (
    MAX_SENTENCE_TOKENS,
    dependency_path,
    near_pairs,
    pair_features,
    path_head,
    sentence_marks,
)
from generx.pipelines.records import mention_key, mention_record
from generx.pipelines.relations import Argument, Relation, reading_order
from generx.pipelines.triggers import NEGATORS, is_hedged, is_negated, trigger_class, trigger_offsets

# The predicates the model chooses among for a related pair of genes (involved_in is gene–process only).
TYPES = ("positively_regulates", "negatively_regulates", "regulates", "binds", "associated_with")
DIRECTED = frozenset({"positively_regulates", "negatively_regulates", "regulates"})
# The sign each predicate states. Two predicates state none: regulates (GENIA's unsigned regulation) and
# associated_with (BioRED's association). No corpus uses both, so each takes half of an unsigned pair's
# probability; the model chooses the sign first, on their sum, then the predicate within it.
SIGN_OF = {
    "positively_regulates": "+",
    "negatively_regulates": "-",
    "regulates": "0",
    "associated_with": "0",
    "binds": "bind",
}
# The convention of the model trained on the corpora pooled, which generx reads by unless told otherwise.
GENERAL = "general"
DEFAULT_CONVENTION = GENERAL
# The least confidence of a pair that no rule reads, between generx's own mentions, by default: a
# judgement (see model_relations), not a cross-validated choice.
OWN_MENTIONS_FLOOR = 0.52
# Words that set a mention apart from what the sentence says of its neighbours: "X, but not Y, induced".
EXCLUSION = EXCLUDING | {"but"}
# Words that say a gene is lost, silenced or blocked. Its relation's sign is the trigger's turned round
# ("deletion of VIPR2 ... increased TNF-alpha" is a negative correlation in BioRED), so the model sees
# the trigger classes of such a sentence conjoined with the loss.
LOSS = frozenset(
    "deletion delete knockdown knockout deficiency deficient silence silencing mutation mutant depletion "
    "deplete blockade block inhibition inhibitor loss lack null ablation ablate disruption disrupt sirna "
    "shrna antagonist -/- knock-down knock-out".split()
)
# The features counted over the sentences of a statement: the trigger classes and composed signs.
COUNTED = ("ptc=", "btc=", "psign=", "lost*")
# What is left of a receptor's name once its ligand's is taken off: EPO/EPOR, IL-2 / IL-2 receptor,
# TGF-beta3 / TGF-betaRII. BioRED curates a ligand and its receptor as Bind.
RECEPTOR_REST = re.compile(r"^(r|rs|r[0-9]|r[0-9]?[ab]|ri{1,3}|receptors?([0-9a-z]|alpha|beta)?)$")


class RelationModelError(GenerxError, ValueError):
    """A relation model file that cannot be read."""


class UnknownConvention(GenerxError, ValueError):
    """A relation convention the model was not trained on."""


@dataclass
class PairUnit:
    """Two gene entities of one statement and their pooled evidence.

    ``a`` and ``b`` are their first mentions in the first sentence naming both, ``a`` first in the text.
    ``features`` say whether and how they are related whatever the direction; ``oriented`` say which of
    them acts ("~" marks a sentence in which ``b`` comes first); ``signs`` say which predicate (read by
    the predicate part only, so that they leave the choice of related pairs alone); ``rules`` are the
    rule relations joining them anywhere in the statement.
    """

    a: Span
    b: Span
    features: set[str] = field(default_factory=set)
    oriented: set[str] = field(default_factory=set)
    rules: list[Any] = field(default_factory=list)
    sentences: int = 0
    mentions: list[tuple[Span, Span]] = field(default_factory=list)
    signs: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def typed(self) -> set[str]:
        """The features the predicate is read from: all of ``features`` and the sign clues."""
        return self.features | self.signs

    @cached_property
    def keys(self) -> tuple[str, str]:
        return mention_key(self.a), mention_key(self.b)


def _rule_features(unit: PairUnit) -> None:
    """The rules' readings of a pair as features: predicate, direction, construction, flags."""
    key_a, _ = unit.keys
    for relation in unit.rules:
        reading = f"{relation.predicate}/{relation.construction}"
        unit.features.update((f"rule={relation.predicate}", f"rule_c={reading}"))
        if relation.negated:
            unit.features.add(f"rule_neg={relation.predicate}")
        if relation.hedged:
            unit.features.add("rule_hedged")
        forward = relation.subject.key == key_a
        unit.oriented.add(f"rule_dir={'ab' if forward else 'ba'}/{relation.predicate}")
    if not unit.rules:
        unit.features.add("rule=none")


def _near_negation(doc: Doc, span: Span) -> bool:
    """A negator or exclusion word just before the mention: "but not AVP", "no IL2"."""
    start = max(span.sent.start, span.start - 2)
    return any(token.lower_ in NEGATORS or token.lower_ in EXCLUSION for token in doc[start : span.start])


def _lost(span: Span, counted: set[int]) -> bool:
    """A loss, silencing or block of the gene said of its own mention: the word the mention hangs from
    ("deletion of VIPR2", "Bcl6 knockdown"), one of its modifiers, or the words just after it
    ("TIPE2-deficient"). A signed trigger on the path between the pair (``counted``) is the relation's
    own ("inhibition of AKT by X"), already counted, not a loss."""
    doc = span.doc
    head = span.root.head
    near = [head, *span.root.children, *doc[span.end : min(span.sent.end, span.end + 2)]]
    if head.dep_ == "prep":
        near.append(head.head)
    return any(
        (token.lemma_.lower() in LOSS or token.lower_ in LOSS) and token.i not in counted for token in near
    )


def _name(span: Span) -> str:
    return re.sub(r"[\s\-_/()]", "", span.text.lower())


def name_features(first: Span, second: Span) -> list[str]:
    """Clues in the two names themselves: a ligand and its receptor (EPO/EPOR), a shared stem."""
    x, y = sorted((_name(first), _name(second)), key=len)
    found = []
    if "receptor" in first.text.lower() or "receptor" in second.text.lower():
        found.append("receptor_named")
    stem = next((i for i in range(len(x)) if x[i] != y[i]), len(x))
    if stem >= 3:
        found.append("shared_stem")
        if len(x) - stem <= 2 and RECEPTOR_REST.match(y[stem:]):
            found.append("ligand_receptor")
    return found


def _sign_features(
    first: Span, second: Span, found_here: Sequence[str], trigger_kind: dict[int, str]
) -> list[str]:
    """The sign the sentence composes between the two: the signed triggers on the path and a loss of
    either gene each turn it round ("inhibition of AKT ... increased Y" reads negative), which a linear
    model over bags of trigger classes cannot do; and the trigger classes conjoined with a loss."""
    path = dependency_path(first.root, second.root)
    signed = {t.i: trigger_kind[t.i] for t in path[1:-1] if trigger_kind.get(t.i) in ("positive", "negative")}
    lost = [side for side, span in (("a", first), ("b", second)) if _lost(span, set(signed))]
    found = [f"lost_{side}" for side in lost]
    if lost:
        kinds = {f for f in found_here if f.startswith(("ptc=", "btc="))}
        found.extend(f"lost*{kind}" for kind in kinds)
    if signed:
        turns = list(signed.values()).count("negative") + len(lost)
        found.append(f"psign={'neg' if turns % 2 else 'pos'}")
    return found


def _names_pathway(sentence: Sentence, gene: Span) -> bool:
    """A family named inside a process ("a negative regulator of the Wnt signalling pathway", "Notch
    signaling"): the text names the pathway, which the rules relate the gene to; the family is no partner."""
    return bool(gene._.members) and any(
        span.label_ == PROCESS and span.start <= gene.start and gene.end <= span.end and len(span) > len(gene)
        for span in sentence.by_token.get(gene.start, ())
    )


def candidate_pairs(doc: Doc, rules: Sequence[Any]) -> list[PairUnit]:
    """Every two gene entities (different ids, different names) that share a sentence, once per statement.

    Two mentions with the same name are one protein ("ECK ... ECK"), whatever ids a corpus gives them.
    Gene-list lines (a row of symbols) are left out, as the rules leave them.
    """
    by_pair: dict[frozenset[str], list[Any]] = {}
    for relation in rules:
        if relation.subject.span is not None and relation.object.span is not None:
            by_pair.setdefault(frozenset((relation.subject.key, relation.object.key)), []).append(relation)
    mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
    units: dict[frozenset[str], PairUnit] = {}
    gene_mentions = [span for span in mentions if span.label_ == GENE]
    named = Counter(mention_key(span) for span in gene_mentions)
    first_sentence = {mention_key(span) for span in gene_mentions if span.sent.start == 0}
    for sentence in Sentence.each(doc, mentions):
        sent = sentence.sent
        if len(sent) > MAX_SENTENCE_TOKENS:
            continue
        genes = sentence.genes()
        if len(genes) < 2 or is_gene_list(sent, sentence):
            continue
        mention_at, trigger_kind = sentence_marks(sent, sentence.by_token)
        for first, second in near_pairs(genes):
            key_first, key_second = mention_key(first), mention_key(second)
            if key_first == key_second or first.text.lower() == second.text.lower():
                continue
            if names_family_of_member(first) or names_family_of_member(second):
                continue  # "a member of the BCL2 family" puts a gene in a class; it does not pair them
            if _names_pathway(sentence, first) or _names_pathway(sentence, second):
                continue
            pair = frozenset((key_first, key_second))
            unit = units.get(pair)
            if unit is None:
                unit = units[pair] = PairUnit(first, second, rules=by_pair.get(pair, []))
            unit.sentences += 1
            unit.mentions.append((first, second))
            found_here = pair_features(first, second, mention_at=mention_at, trigger_kind=trigger_kind)
            unit.features.update(found_here)
            unit.signs.update(name_features(first, second))
            signs = _sign_features(first, second, found_here, trigger_kind)
            unit.signs.update(signs)
            # How many sentences say each sign: pooled as a set, one stray "inhibit" weighs as much as
            # three sentences that say the pair's relation is negative.
            for feature in {f for f in [*found_here, *signs] if f.startswith(COUNTED)}:
                unit.counts[feature] = unit.counts.get(feature, 0) + 1
            mark = "" if key_first == unit.keys[0] else "~"
            unit.oriented.update(f"{mark}{feature}" for feature in found_here if feature != "bias")
            unit.oriented.update(f"{mark}{feature}" for feature in _voice(first, second))
            for side, span in (("a", first), ("b", second)):
                if _near_negation(doc, span):
                    unit.features.add(f"excluded_{side}")
    # A relation in an abstract (document-level curation) and in one sentence are read apart: every
    # feature is also conjoined with the kind of statement (Daume 2007's feature augmentation).
    style = "doc" if len(list(doc.sents)) > 1 else "sent"
    for pair, unit in units.items():
        _rule_features(unit)
        unit.signs.update(f"{f}#{min(n, 3)}" for f, n in unit.counts.items() if n > 1)
        unit.features.add(f"sentences={min(unit.sentences, 4)}")
        low, high = sorted(min(named.get(key, 0), 6) for key in pair)
        unit.features.update((f"least_named={low}", f"most_named={high}"))
        if unit.a.sent.start == 0:
            unit.features.add("in_first_sentence")
        # How many of the two the first sentence (an abstract's title) names: an abstract's relations are
        # mostly of the genes it is about.
        unit.features.add(f"in_first={sum(key in first_sentence for key in pair)}")
        unit.features.update([f"{style}:{feature}" for feature in unit.features])
        unit.oriented.add("bias")
    return sorted(units.values(), key=lambda unit: (unit.a.start, unit.b.start))


def _voice(first: Span, second: Span) -> list[str]:
    """Clues to who acts on whom, first mention before the second: passive verbs and "by" between them."""
    doc = first.doc
    between = doc[first.end : second.start]
    found = []
    if any(token.lower_ == "by" for token in between):
        found.append("by_between")
    path = dependency_path(first.root, second.root)
    for token in path[1:-1]:
        if token.dep_ == "auxpass" or any(child.dep_ == "auxpass" for child in token.children):
            found.append("passive_on_path")
        if token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "agent"):
            found.append(f"dep_on_path={token.dep_}")
    found.append(f"first_dep={first.root.dep_}")
    found.append(f"second_dep={second.root.dep_}")
    return found


def dot(weights: dict[str, float], features: Iterable[str]) -> float:
    # fsum: the same score whatever order a set of features is read in (it varies with Python's hash
    # seed), so that training reproduces the shipped model byte for byte
    return math.fsum(map(weights.get, features, itertools.repeat(0.0)))


def sigmoid(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))


@dataclass(frozen=True)
class Calibration:
    """A monotone map from raw score to precision: isotonic regression's breakpoints, interpolated."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, value: float) -> float:
        if not self.x:
            return value
        i = bisect.bisect_left(self.x, value)
        if i == 0:
            return self.y[0]
        if i == len(self.x):
            return self.y[-1]
        x0, x1, y0, y1 = self.x[i - 1], self.x[i], self.y[i - 1], self.y[i]
        return y0 + (y1 - y0) * (value - x0) / (x1 - x0) if x1 > x0 else y1


@dataclass(frozen=True)
class Decision:
    """What the model says of a pair: its predicate, whether ``a`` is the subject, and its confidence;
    ``each``: its confidence in each predicate the rules read of the pair, had that one been chosen."""

    predicate: str
    forward: bool
    confidence: float
    related: float
    each: dict[str, float] = field(default_factory=dict)


def convention_features(features: Iterable[str], convention: str) -> set[str]:
    """The features a model is trained on for a pair annotated by ``convention``'s curators: each shared,
    and each again as that convention's own."""
    found = set(features)
    return found | {f"{convention}|{feature}" for feature in found}


def _merged(weights: dict[str, float], convention: str, corpora: Iterable[str]) -> dict[str, float]:
    """The shared weights plus the convention's own, under the shared names. A weight is a corpus's own
    when its name begins with that corpus's name and "|" (shared names may hold a "|": a path's arcs)."""
    own = tuple(f"{name}|" for name in corpora)
    merged = {name: weight for name, weight in weights.items() if not name.startswith(own)}
    prefix = f"{convention}|"
    for name, weight in weights.items():
        if name.startswith(prefix):
            shared = name[len(prefix) :]
            merged[shared] = round(merged.get(shared, 0.0) + weight, 4)
    return merged


@dataclass(frozen=True)
class Convention:
    """How one convention's confidences are calibrated, and its default threshold."""

    calibration: Calibration
    threshold: float


@dataclass
class RelationModel:
    """The three linear parts, the calibration, and the default confidence threshold.

    A model as trained also holds ``augmented``, the ``related`` and ``types`` weights trained with each
    corpus's own copy of the features, and every convention's calibration and threshold; ``view`` gives
    the model that reads by one convention, which is what ``decide`` is meant to be called on.
    """

    related: dict[str, float]
    types: dict[str, dict[str, float]]
    forward: dict[str, float]
    calibration: Calibration = Calibration((), ())
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    conventions: dict[str, Convention] = field(default_factory=dict)
    convention: str = GENERAL
    augmented: dict[str, Any] = field(default_factory=dict)

    def view(self, convention: str) -> RelationModel:
        """The model reading by ``convention``: its weights merged, its calibration and threshold."""
        if convention not in self.conventions:
            known = ", ".join(sorted(self.conventions)) or "none"
            raise UnknownConvention(f"no relation convention {convention!r} in this model (it has: {known})")
        chosen = self.conventions[convention]
        related, types = self.related, self.types
        if convention != GENERAL:
            corpora = [name for name in self.conventions if name != GENERAL]
            related = _merged(self.augmented["related"], convention, corpora)
            types = {
                name: _merged(weights, convention, corpora)
                for name, weights in self.augmented["types"].items()
            }
        return RelationModel(
            related=related,
            types=types,
            forward=self.forward,
            calibration=chosen.calibration,
            threshold=chosen.threshold,
            meta=self.meta,
            convention=convention,
        )

    def decide(self, unit: PairUnit) -> Decision:
        """The pair's predicate, direction and confidence. Where a rule reads the pair, the rule's
        predicate and direction stand (its trigger reading is more precise than the model's); the
        model's belief sets the confidence either way, calibrated on this very policy."""
        p_related = sigmoid(dot(self.related, unit.features))
        typed = unit.typed
        scores = {name: dot(weights, typed) for name, weights in self.types.items()}
        top = max(scores.values())
        exp = {name: math.exp(score - top) for name, score in scores.items()}
        total = sum(exp.values())
        probabilities = {name: value / total for name, value in exp.items()}
        by_sign: dict[str, float] = {}
        for name, probability in probabilities.items():
            by_sign[SIGN_OF[name]] = by_sign.get(SIGN_OF[name], 0.0) + probability
        sign = max(by_sign, key=lambda key: by_sign[key])
        predicate = max(
            (name for name in probabilities if SIGN_OF[name] == sign), key=lambda name: probabilities[name]
        )
        p_forward = sigmoid(dot(self.forward, unit.oriented))
        sure = max(p_forward, 1 - p_forward)
        # The belief in each predicate, had it been chosen: related x predicate (x direction).
        belief = {
            name: p_related * probability * (sure if name in DIRECTED else 1.0)
            for name, probability in probabilities.items()
        }
        raw = belief[predicate]
        forward = p_forward >= 0.5
        read = [r for r in unit.rules if r.predicate in TYPES and not r.negated] or [
            r for r in unit.rules if r.predicate in TYPES
        ]
        if read:
            rule = max(read, key=lambda r: r.confidence)
            predicate, forward = rule.predicate, rule.subject.key == unit.keys[0]
        read_as = {r.predicate for r in unit.rules if r.predicate in TYPES}
        each = {name: self.calibration(belief[name]) for name in read_as}
        return Decision(predicate, forward, self.calibration(raw), p_related, each)

    @classmethod
    def from_disk(cls, path: Path, convention: str | None = DEFAULT_CONVENTION) -> RelationModel:
        """The model at ``path``, reading by ``convention`` (None: as trained, every convention's weights)."""
        if not path.exists():
            raise ModelNotFound(f"no relation model at {path}; build it with models/train_relations.py")
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
            conventions = {
                name: Convention(
                    Calibration(tuple(found["calibration"]["x"]), tuple(found["calibration"]["y"])),
                    float(found["threshold"]),
                )
                for name, found in data["conventions"].items()
            }
            model = cls(
                related=data["related"],
                types=data["types"],
                forward=data["forward"],
                meta=data.get("meta", {}),
                conventions=conventions,
                augmented=data["augmented"],
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise RelationModelError(f"{path}: not a relation model: {err}") from err
        return model if convention is None else model.view(convention)

    def to_disk(self, path: Path) -> None:
        """Write the model as trained, every convention's weights and calibration."""
        data = {
            "meta": self.meta,
            "conventions": {
                name: {
                    "calibration": {"x": list(found.calibration.x), "y": list(found.calibration.y)},
                    "threshold": found.threshold,
                }
                for name, found in self.conventions.items()
            },
            "related": self.related,
            "types": self.types,
            "forward": self.forward,
            "augmented": self.augmented,
        }
        # mtime 0 and sorted keys: the same training gives the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def _trigger_word(unit: PairUnit) -> Token:
    """The word that joins the pair: a trigger on the path between them, else the path's head word."""
    a, b = unit.a, unit.b
    path = dependency_path(a.root, b.root)
    inner = [t for t in path[1:-1] if not (a.start <= t.i < a.end or b.start <= t.i < b.end)]
    triggers = [t for t in inner if trigger_class(t) is not None]
    return triggers[0] if triggers else path_head(path or [a.root])


def model_relations(
    doc: Doc,
    rules: list[Any],
    model: RelationModel,
    *,
    min_confidence: float | None = None,
    given_entities: bool = True,
) -> list[Any]:
    """The statement's relations: rule relations the model cannot judge, and the model's gene pairs.

    A gene pair is reported when its confidence reaches ``min_confidence`` (default: the model's own
    threshold, chosen by cross-validation); a given ``min_confidence`` also applies to the rule relations
    the model does not judge (gene–process, implicit arguments). A rule relation between the pair lends
    its trigger and its negation and hedging flags; otherwise the word joining the pair on the parse does.
    The mechanism is the first the statement states for the relation (``pooled_mechanism``). A reported pair
    the rules read with several predicates gets a record for each.

    The model is trained and calibrated on corpora with given entities. generx's own mentions
    (``given_entities=False``) are noisier (a process name read as a gene, "CD4" in "CD4+ T cells"), so
    there, by default, a pair no rule reads is added only at ``OWN_MENTIONS_FLOOR``.
    """
    threshold = model.threshold if min_confidence is None else min_confidence
    units = candidate_pairs(doc, rules)
    judged = {frozenset(unit.keys) for unit in units}
    kept = [
        r
        for r in rules
        if frozenset((r.subject.key, r.object.key)) not in judged
        and (min_confidence is None or r.confidence >= min_confidence)
    ]
    for unit in units:
        decision = model.decide(unit)
        floor = threshold
        if not given_entities and not unit.rules and min_confidence is None:
            floor = max(threshold, OWN_MENTIONS_FLOOR)
        if decision.confidence < floor:
            continue
        kept.append(_pair_relation(unit, decision.predicate, decision.forward, decision.confidence))
        # A statement may say two things of one pair ("X induces Y", and elsewhere "X regulates Y"), and
        # curators annotate each (GENIA's events): every other predicate the rules read of a reported pair
        # is a record of its own, in the most confident reading's direction. Its confidence is at least the
        # pair's: the predicate part makes a pair's predicates compete, which a statement that says both
        # does not (by cross-validation, signed F1 on GENIA +1.1, BioRED unchanged).
        others: dict[str, bool] = {}
        for rule in sorted(unit.rules, key=lambda r: -r.confidence):
            if rule.predicate in TYPES and rule.predicate != decision.predicate:
                others.setdefault(rule.predicate, rule.subject.key == unit.keys[0])
        for predicate, forward in others.items():
            confidence = max(decision.each[predicate], decision.confidence)
            kept.append(_pair_relation(unit, predicate, forward, confidence))
    return sorted(kept, key=reading_order)


def _pair_relation(unit: PairUnit, predicate: str, forward: bool, confidence: float) -> Relation:
    """The record of a judged pair with ``predicate``: a rule reading with that predicate lends its trigger,
    evidence and flags (any rule reading, if none has it); otherwise the word joining the pair does."""
    subject, obj = (unit.a, unit.b) if forward else (unit.b, unit.a)
    same = [r for r in unit.rules if r.predicate == predicate] or unit.rules
    if same:
        rule = max(same, key=lambda r: r.confidence)
        trigger, evidence, negated, hedged = rule.trigger, rule.evidence, rule.negated, rule.hedged
    else:
        word = _trigger_word(unit)
        trigger, evidence = trigger_offsets(word), unit.a.sent
        negated, hedged = is_negated(word), is_hedged(word)
    # How the subject acts on the object: what the rules read in this direction with this predicate
    # (the most confident first), else what the parse between the two says in the sentences of those
    # readings, then in each sentence that names both. Like the model's evidence, the mechanism is
    # the statement's: it may be stated in another sentence than the one the record quotes.
    subject_key = mention_key(subject)
    readings = [
        r
        for r in sorted(unit.rules, key=lambda r: -r.confidence)
        if r.predicate == predicate and r.subject.key == subject_key
    ]
    mechanism = pooled_mechanism(
        [r.mechanism for r in readings],
        [(r.subject.span, r.object.span) for r in readings]
        + [(x, y) if mention_key(x) == subject_key else (y, x) for x, y in unit.mentions],
        predicate=predicate,
        bound=any(r.predicate == "binds" and not r.negated for r in unit.rules),
    )
    return Relation(
        subject=Argument(mention_record(subject), subject),
        predicate=predicate,
        object=Argument(mention_record(obj), obj),
        trigger=trigger,
        evidence=evidence,
        confidence=confidence,
        negated=negated,
        hedged=hedged,
        construction="model",
        mechanism=mechanism,
    )
