"""Relations between gene and process mentions, read off the dependency parse.

The rules follow the Stanford basic dependencies of the GENIA treebank the parser is trained on
(nsubj, nsubjpass, dobj, prep/pobj, pcomp, nn, amod, appos, conj, rcmod, partmod, xcomp, cop, neg, aux).
A trigger (pipelines.triggers) is found first; its agent and theme are then reached along the parse:

- verbs: active "X activates Y" (nsubj, dobj), passive "Y is bound by X" (nsubjpass, by-phrase), and
  subjects shared through control, relative clauses and conjunction ("X is a repressor that is known to
  negatively regulate Y");
- adjectives: "X is required for Y";
- nominalisations: "inhibition of Y by X", "X, an activator of Y", "a role for X in Y";
- hyphenated compounds: "X-induced Y", "X-mediated activation of Y", "IL7- or IL2-induced Y".

An argument is traced from its head word through words that name a gene without changing what is said of
it ("expression of", "the X promoter", "cytokine genes such as X"), multiplying the sign of event nouns on
the way ("mediates inhibition of Y" is negative; "knockdown of X increases Y" makes X a negative regulator).
When a statement leaves out its agent or theme ("required for T-cell proliferation", "activated by JUNB")
the statement's context gene fills it and the relation is marked implicit.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, MENTIONS, PROCESS
from generx.pipelines.pairs import PairClassifier, dependency_path, pair_features, path_head
from generx.pipelines.records import mention_record
from generx.pipelines.triggers import (
    ADJECTIVES,
    AGENT_KEEPERS,
    AGENT_NEGATORS,
    ASSOCIATION,
    BINDING,
    CLASS_NOUNS,
    COMPOUND_SUFFIXES,
    CONTAINERS,
    HEDGES,
    NEGATIVE,
    NEGATORS,
    NOUNS,
    PARTICIPATION,
    POSITIVE,
    REVERSED,
    SIGN,
    SIGN_MODIFIERS,
    UNSIGNED,
    VERBS,
    TriggerClass,
)
from generx.record import PREDICATE_BY_SIGN

# Nouns of acting together: "X activates Y in cooperation with Z" makes Z an agent too.
COOPERATION = frozenset({"cooperation", "concert", "conjunction", "synergy", "collaboration", "combination"})
# Verbs that lend their subject to a trigger noun: "X plays a role in", "X has an effect on".
LIGHT_VERBS = frozenset({"play", "have", "exert", "show", "exhibit"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
SUBJECTS = ("nsubj", "csubj")
PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
# Prepositions that carry the theme of an adjective or intransitive trigger, by trigger class.
THEME_PREPS = {
    POSITIVE: ("for", "in", "to", "during", "of"),
    PARTICIPATION: ("in", "during", "for"),
    ASSOCIATION: ("with", "to"),
    BINDING: ("to", "with"),
    UNSIGNED: ("on", "of"),
}
CYTOBAND = re.compile(r"^\d{1,2}[pq]\d")
MAX_DEPTH = 6

# Confidence is the precision measured on the development corpora (GENIA GE'11 train, BioRED dev, LLL and
# BioInfer train, given entities, 786 relations): by how far apart subject and object are (tokens between
# their starts), scaled by how the construction fares against the 0.74 average. Implicit arguments and
# ambiguous or ungrounded mentions are discounted by judgement, not by measurement.
DISTANCE_PRECISION = ((4, 0.79), (8, 0.76), (15, 0.71), (10_000, 0.67))
CONSTRUCTION_PRECISION = {"verb": 0.77, "adjective": 0.61, "nominal": 0.74, "compound": 0.78}
AVERAGE_PRECISION = 0.74


@dataclass(frozen=True)
class Argument:
    """A relation's subject or object: a mention Span, or the statement's context gene (implicit)."""

    record: dict[str, Any]
    span: Span | None = None

    @property
    def key(self) -> str:
        return str(self.record["id"] or self.record["text"]).lower()


@dataclass
class Relation:
    """One relation as found on the Doc; ``to_record`` gives the plain record of DESIGN.md."""

    subject: Argument
    predicate: str
    object: Argument
    trigger: tuple[int, int]
    evidence: Span
    confidence: float
    negated: bool = False
    hedged: bool = False
    implicit: bool = False
    construction: str = "verb"

    def to_record(self, doc: Doc) -> dict[str, Any]:
        start, end = self.trigger
        return {
            "statement_id": doc._.statement_id,
            "subject": self.subject.record,
            "predicate": self.predicate,
            "object": self.object.record,
            "negated": self.negated,
            "hedged": self.hedged,
            "implicit": self.implicit,
            "trigger": {"text": doc.text[start:end], "start": start, "end": end},
            "evidence": {
                "text": self.evidence.text,
                "start": self.evidence.start_char,
                "end": self.evidence.end_char,
            },
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Reached:
    """A mention reached from a trigger: the sign picked up on the way, and how many event nouns passed.
    ``span`` None stands for the statement's context gene."""

    span: Span | None
    sign: int
    hops: int = 0


@dataclass
class _Sentence:
    """The mentions of one sentence, indexed by token, and the helpers that walk the parse."""

    sent: Span
    by_token: dict[int, list[Span]] = field(default_factory=dict)

    @classmethod
    def of(cls, sent: Span, mentions: Iterable[Span]) -> _Sentence:
        sentence = cls(sent)
        for span in mentions:
            if span.start >= sent.start and span.end <= sent.end:
                for i in range(span.start, span.end):
                    sentence.by_token.setdefault(i, []).append(span)
        return sentence

    def genes(self) -> list[Span]:
        """The sentence's gene mentions, each once, in text order."""
        unique = {id(s): s for spans in self.by_token.values() for s in spans if s.label_ == GENE}
        return sorted(unique.values(), key=lambda s: (s.start, s.end))

    def mention_at(self, token: Token) -> Span | None:
        """The mention a token stands for: one rooted at it first, then the longest covering it."""
        spans = self.by_token.get(token.i)
        if not spans:
            return None
        rooted = [s for s in spans if s.root.i == token.i]
        return max(rooted or spans, key=len)


def trigger_class(token: Token) -> tuple[TriggerClass, str] | None:
    """The trigger class of a token and how it takes arguments ("verb", "adjective", "nominal"), or None."""
    lemma = token.lemma_.lower()
    text = token.lower_
    if token.tag_.startswith("VB"):
        # "required", "involved", "associated" take their theme through a preposition, like adjectives.
        if token.tag_ in ("VBN", "VBD") and text in ADJECTIVES:
            return ADJECTIVES[text], "adjective"
        tc = VERBS.get(lemma) or VERBS.get(text)
        return (tc, "verb") if tc else None
    if token.tag_.startswith("JJ"):
        tc = ADJECTIVES.get(text) or ADJECTIVES.get(lemma)
        return (tc, "adjective") if tc else None
    if token.tag_.startswith("NN"):
        tc = NOUNS.get(lemma) or NOUNS.get(text)
        return (tc, "nominal") if tc else None
    return None


def signed(tc: TriggerClass, token: Token) -> int:
    """The sign a trigger states, after "negatively"/"positively" and similar modifiers."""
    for child in token.children:
        if child.dep_ in ("advmod", "amod") and child.lower_ in SIGN_MODIFIERS:
            return SIGN_MODIFIERS[child.lower_]
    return SIGN[tc.kind]


def is_negated(token: Token) -> bool:
    """True when the trigger or a word governing it denies it ("not", "no", "fails to", "unable to")."""
    for node in _governors(token):
        if node.lemma_.lower() in NEGATORS or node.lower_ in NEGATORS:
            return True
        for child in node.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
    return False


def is_hedged(token: Token) -> bool:
    """True when a modal, a speculative verb or adverb governs the trigger ("may", "suggest")."""
    for node in _governors(token):
        if node.lower_ in HEDGES or node.lemma_.lower() in HEDGES or node.lower_ in ("thought", "believed"):
            return True
        for child in node.children:
            if child.dep_ in ("aux", "advmod", "amod") and (child.lower_ in HEDGES or child.lemma_ in HEDGES):
                return True
    return False


def _governors(token: Token) -> Iterable[Token]:
    """The trigger and the words whose clause it completes (xcomp, ccomp, pcomp, conj chains)."""
    node = token
    yield node
    while node.dep_ in ("xcomp", "ccomp", "pcomp", "conj", "pobj", "prep", "dobj") and node.head is not node:
        node = node.head
        yield node


def _is_passive(token: Token) -> bool:
    if any(child.dep_ in ("auxpass", *PASSIVE_SUBJECTS) for child in token.children):
        return True
    return token.tag_ == "VBN" and token.dep_ in ("partmod", "vmod", "amod", "rcmod", "ROOT")


def _children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the token's prepositions in ``preps`` (the pobj, or the pcomp of a gerund)."""
    wanted = set(preps)
    objects = []
    for prep in _children(token, "prep"):
        if prep.lower_ in wanted:
            objects.extend(_children(prep, "pobj", "pcomp"))
    return objects


class RelationFinder:
    """Finds the relations of one Doc; ``context`` is the implicit argument when a statement omits one.

    With ``pairs``, two genes of a sentence that no rule relates are still reported as ``associated_with``
    when the pair classifier (``generx.pipelines.pairs``) scores them at or above its threshold, with its
    probability as confidence (recall for document-level curation; off by default).
    """

    def __init__(
        self, doc: Doc, context: Argument | None = None, *, pairs: PairClassifier | None = None
    ) -> None:
        self.doc = doc
        self.context = context
        self.pairs = pairs
        self.mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []

    def find(self) -> list[Relation]:
        relations: list[Relation] = []
        for sent in self.doc.sents:
            sentence = _Sentence.of(sent, self.mentions)
            if not sentence.by_token or is_gene_list(sent, sentence):
                continue
            for token in sent:
                relations.extend(self._from_compound(sentence, token))
                found = trigger_class(token)
                # A trigger word inside a name states no relation: "positive regulation of cell
                # proliferation" is a process, "nuclear factor of activated T-cells" a gene.
                if found is not None and token.i not in sentence.by_token:
                    relations.extend(self._from_trigger(sentence, token, *found))
        relations = deduplicate(relations)
        if self.pairs is not None:
            relations = deduplicate(relations + self._classified(relations))
        return relations

    def _classified(self, ruled: list[Relation]) -> list[Relation]:
        """Gene pairs of a sentence that no rule relates but the pair classifier scores at its threshold."""
        assert self.pairs is not None
        found = []
        for a, b, features, rule in document_pairs(self.doc, ruled):
            probability = self.pairs.probability(features)
            if rule or probability < self.pairs.threshold:
                continue
            path = dependency_path(a.root, b.root)
            inner = [t for t in path[1:-1] if not (a.start <= t.i < a.end or b.start <= t.i < b.end)]
            # The word that joins them: a trigger on the path, else the path's head word.
            triggers = [t for t in inner if trigger_class(t) is not None]
            word = triggers[0] if triggers else path_head(path or [a.root])
            found.append(
                Relation(
                    subject=self._argument(a),
                    predicate="associated_with",
                    object=self._argument(b),
                    trigger=_trigger_offsets(word),
                    evidence=a.sent,
                    confidence=probability,
                    negated=is_negated(word),
                    hedged=is_hedged(word),
                    construction="classifier",
                )
            )
        return found

    # -- triggers ---------------------------------------------------------------------------------

    def _from_trigger(self, sentence: _Sentence, token: Token, tc: TriggerClass, role: str) -> list[Relation]:
        if role == "nominal":
            agents = self.nominal_agents(sentence, token)
            themes = self.nominal_themes(sentence, token, tc)
            if not themes and token.dep_ == "dobj" and token.head.lemma_ in LIGHT_VERBS:
                # "plays a central role during X", "has no effect on X": the theme may hang on the verb.
                preps = THEME_PREPS[PARTICIPATION] if tc.kind == PARTICIPATION else ("on",)
                themes = [r for obj in _prep_objects(token.head, preps) for r in self.theme(sentence, obj)]
            if token.lemma_ == "target":
                agents, themes = themes, agents  # "Y is a target of X": X acts on Y
            if token.lemma_ == "control" and token.dep_ == "pobj" and token.head.lower_ == "under":
                # "Y is under the control of X", "Y is under X control"
                agents = [
                    r
                    for obj in _prep_objects(token, ("of", "by")) + _children(token, "nn")
                    for r in self.agent(sentence, obj)
                ]
                themes = self._subject_themes(sentence, token.head.head)
            if tc.kind in (BINDING, ASSOCIATION) and not agents:
                agents, themes = themes[:1], themes[1:]  # "interaction between X and Y"
        elif token.lemma_.lower() in REVERSED or token.lower_ in REVERSED:
            agents, themes = self.reversed_arguments(sentence, token)
        elif role == "verb":
            agents, themes = self.verb_arguments(sentence, token, tc)
            if tc.kind in (BINDING, ASSOCIATION) and not themes:
                # "PRP5, PRP9 and PRP11 interact": every pair of the group.
                return [
                    relation
                    for i, agent in enumerate(agents)
                    for relation in self._relate(sentence, token, tc, [agent], agents[i + 1 :], role)
                ]
        else:
            agents = self.agents(sentence, token)
            preps = THEME_PREPS.get(tc.kind, ("for",))
            themes = [r for obj in _prep_objects(token, preps) for r in self.theme(sentence, obj)]
        return self._relate(sentence, token, tc, agents, themes, role)

    def reversed_arguments(self, sentence: _Sentence, token: Token) -> tuple[list[Reached], list[Reached]]:
        """ "Y depends on X", "Y requires X", "Y is dependent on X": X acts on Y. A passive "X is required"
        keeps the usual frame ("X is required for Y")."""
        if _is_passive(token) and token.lemma_ == "require":
            themes = [
                r for obj in _prep_objects(token, ("for", "in", "to")) for r in self.theme(sentence, obj)
            ]
            return self.agents(sentence, token), themes
        objects = _children(token, "dobj") + _prep_objects(token, ("on", "upon", "for"))
        agents = [r for obj in objects for r in self.agent(sentence, obj)]
        return agents, self._subject_themes(sentence, token)

    def _subject_themes(self, sentence: _Sentence, predicate: Token) -> list[Reached]:
        """What a predicate is said of, as a theme: its subject, or the noun it modifies."""
        subjects = [self._antecedent(s) for s in _children(predicate, *SUBJECTS, *PASSIVE_SUBJECTS)]
        if (
            not subjects
            and predicate.dep_ in ("rcmod", "partmod", "vmod", "amod")
            and predicate.head is not predicate
        ):
            subjects = [predicate.head]
        if not subjects and predicate.dep_ in ("xcomp", "conj") and predicate.head is not predicate:
            return self._subject_themes(sentence, predicate.head)
        return [r for subject in subjects for r in self.theme(sentence, subject)]

    def verb_arguments(
        self, sentence: _Sentence, verb: Token, tc: TriggerClass
    ) -> tuple[list[Reached], list[Reached]]:
        """Agents and themes of a verb trigger, active or passive."""
        if _is_passive(verb):
            by = _prep_objects(verb, ("by",)) + [
                o for a in _children(verb, "agent") for o in _children(a, "pobj")
            ]
            agents = [r for obj in by for r in self.agent(sentence, obj)]
            subjects = [self._antecedent(s) for s in _children(verb, *PASSIVE_SUBJECTS)]
            if not subjects and verb.dep_ in ("partmod", "vmod", "amod", "rcmod"):
                subjects = [verb.head]  # "genes regulated by X"
            themes = [r for head in subjects for r in self.theme(sentence, head)]
        else:
            agents = self.agents(sentence, verb)
            themes = [r for obj in _children(verb, "dobj", "attr") for r in self.theme(sentence, obj)]
        agents += self._co_agents(sentence, verb)
        if tc.kind in (BINDING, ASSOCIATION) or verb.lemma_ in ("lead", "result", "contribute"):
            preps = (*THEME_PREPS.get(tc.kind, ()), "to", "in")
            themes += [r for obj in _prep_objects(verb, preps) for r in self.theme(sentence, obj)]
        return agents, themes

    def _co_agents(self, sentence: _Sentence, verb: Token) -> list[Reached]:
        """Agents that act together with the subject: "in cooperation with X", "together with X"."""
        partners = [
            obj
            for noun in _prep_objects(verb, ("in",))
            if noun.lemma_ in COOPERATION
            for obj in _prep_objects(noun, ("with",))
        ]
        partners += [
            obj
            for adv in _children(verb, "advmod")
            if adv.lower_ == "together"
            for obj in _prep_objects(adv, ("with",))
        ]
        partners += [
            obj
            for obj in _prep_objects(verb, ("with",))
            if any(c.lower_ == "together" for c in obj.head.children)
        ]
        return [Reached(r.span, r.sign, r.hops + 1) for obj in partners for r in self.agent(sentence, obj)]

    # -- agents -------------------------------------------------------------------------------------

    def agents(self, sentence: _Sentence, predicate: Token) -> list[Reached]:
        """The agent of a verb or adjective: its subject, or the subject it shares with a governing clause."""
        subjects = _children(predicate, *SUBJECTS, *PASSIVE_SUBJECTS)
        if subjects:
            return [r for s in subjects for r in self.agent(sentence, self._antecedent(s))]
        head = predicate.head
        if head is predicate:
            return []
        if predicate.dep_ in ("xcomp", "conj", "advcl", "dep", "ccomp") and head.tag_[:2] in (
            "VB",
            "JJ",
            "MD",
        ):
            return self.agents(sentence, head)
        if predicate.dep_ in ("rcmod", "partmod", "vmod", "infmod", "amod"):
            return self.agent(sentence, head)
        if predicate.dep_ == "pcomp" and head.head is not head:
            governor = head.head
            if governor.tag_.startswith("NN"):
                return self.nominal_agents(sentence, governor)
            return self.agents(sentence, governor)
        return []

    def _antecedent(self, token: Token) -> Token:
        """The noun a relative pronoun stands for ("a repressor that ..." -> "repressor")."""
        if token.lower_ in RELATIVE_PRONOUNS:
            node = token.head
            while node.dep_ not in ("rcmod", "ROOT") and node.head is not node:
                node = node.head
            if node.dep_ == "rcmod":
                return node.head
        return token

    def agent(self, sentence: _Sentence, token: Token, depth: int = 0) -> list[Reached]:
        """Mentions an agent phrase names: the mention itself, its conjuncts, the gene behind
        "knockdown of X" (sign flipped) or "activation of X", or what a noun is said to be
        ("PRDM1 is a repressor", "JUNB, an activator")."""
        if depth > MAX_DEPTH:
            return []
        found: list[Reached] = []
        mention = sentence.mention_at(token)
        lemma = token.lemma_.lower()
        if mention is not None:
            found.append(Reached(mention, 1))
        elif (negator := lemma in AGENT_NEGATORS or token.lower_ in AGENT_NEGATORS) or lemma in AGENT_KEEPERS:
            sign = -1 if negator else 1
            for inner in _children(token, "nn", "poss", "amod") + _prep_objects(
                token, ("of", "by", "against", "for")
            ):
                found.extend(
                    Reached(r.span, r.sign * sign, r.hops + 1) for r in self.agent(sentence, inner, depth + 1)
                )
        elif token.tag_.startswith("NN") or token.tag_ in ("PRP", "DT"):
            subjects = _children(token, *SUBJECTS) if _children(token, "cop") else []
            for other in subjects + _children(token, "appos"):
                found.extend(self.agent(sentence, other, depth + 1))
            if token.dep_ == "appos":
                found.extend(self.agent(sentence, token.head, depth + 1))
            if token.dep_ == "pobj" and token.head.lower_ == "as" and token.head.head.tag_.startswith("VB"):
                found.extend(self.agents(sentence, token.head.head))
            if lemma in CONTAINERS:
                for inner in _children(token, "nn") + _prep_objects(token, ("of",)):
                    found.extend(self.agent(sentence, inner, depth + 1))
            if lemma in CLASS_NOUNS:  # "four proteins (PRP5, PRP9, ...)"
                for inner in _children(token, "dep", "appos") + _prep_objects(token, ("as", "including")):
                    found.extend(self.agent(sentence, inner, depth + 1))
        for conj in _children(token, "conj"):
            found.extend(self.agent(sentence, conj, depth + 1))
        return found

    def nominal_agents(self, sentence: _Sentence, noun: Token) -> list[Reached]:
        """Agent of an event or agent noun: by-phrase, possessor, "role for X", or what the noun names."""
        heads = _prep_objects(noun, ("by",)) + _children(noun, "poss")
        # "JNK activation in response to CD40 engagement": the stimulus is the agent.
        heads += [
            o
            for r in _prep_objects(noun, ("in",))
            if r.lemma_ == "response"
            for o in _prep_objects(r, ("to",))
        ]
        if noun.lemma_ == "role":
            heads += _prep_objects(noun, ("for", "of"))
        if noun.lemma_ == "target":
            heads += _prep_objects(noun, ("for", "of"))
        found = [r for head in heads for r in self.agent(sentence, head)]
        if found:
            return found
        prep = noun.head
        if (
            noun.dep_ == "pobj"
            and prep.lower_ in ("through", "via", "by")
            and prep.head.tag_.startswith("VB")
        ):
            # "X suppresses Y through regulation of Z": X is the agent of the means too.
            return self.agents(sentence, prep.head)
        tc = NOUNS.get(noun.lemma_.lower())
        if tc is not None and noun.lemma_.lower().endswith(("or", "ant", "er", "ist")):
            # An agent noun ("activator", "repressor") names its own agent: "X is an activator of Y".
            return self._identity(sentence, noun)
        if noun.dep_ == "dobj" and noun.head.lemma_ in LIGHT_VERBS:
            return self.agents(sentence, noun.head)
        return []

    def _identity(self, sentence: _Sentence, noun: Token) -> list[Reached]:
        found: list[Reached] = []
        if _children(noun, "cop"):
            found += [r for s in _children(noun, *SUBJECTS) for r in self.agent(sentence, s)]
        if noun.dep_ == "appos":
            found += self.agent(sentence, noun.head)
        if noun.dep_ in ("dobj", "attr") and noun.head.lemma_ in ("be", "act", "function", "serve", "become"):
            found += self.agents(sentence, noun.head)
        if noun.dep_ == "pobj" and noun.head.lower_ == "as":
            found += self.agents(sentence, noun.head.head)
        return found

    # -- themes -------------------------------------------------------------------------------------

    def nominal_themes(self, sentence: _Sentence, noun: Token, tc: TriggerClass) -> list[Reached]:
        """Theme of an event or agent noun: "activation of X", "X activation", "effect on X", "role in X"."""
        if tc.kind == PARTICIPATION:
            preps: tuple[str, ...] = ("in", "during", "for") if noun.lemma_ != "role" else ("in", "during")
            return [r for o in _prep_objects(noun, preps) for r in self.theme(sentence, o)]
        if tc.kind in (BINDING, ASSOCIATION):
            return [
                r
                for o in _prep_objects(noun, ("of", "with", "to", "between"))
                for r in self.theme(sentence, o)
            ]
        preps = ("on",) if noun.lemma_ == "effect" else ("of", "on", "in", "for", "to")
        heads = _prep_objects(noun, preps) + [c for c in _children(noun, "nn") if sentence.mention_at(c)]
        return [r for head in heads for r in self.theme(sentence, head)]

    def theme(self, sentence: _Sentence, token: Token, depth: int = 0) -> list[Reached]:
        """Mentions a theme phrase names, through containers ("expression of X", "the X promoter"),
        class nouns ("genes such as X") and event nouns whose sign they pick up ("inhibition of X")."""
        if depth > MAX_DEPTH:
            return []
        found: list[Reached] = []
        mention = sentence.mention_at(token)
        lemma = token.lemma_.lower()
        nominal = trigger_class(token) if token.tag_.startswith("NN") else None
        tc = nominal[0] if nominal else None
        if (
            tc is not None
            and mention is not None
            and mention.label_ == PROCESS
            and self._names_gene(sentence, token)
        ):
            mention = None  # "STAT5B phosphorylation": an event on a gene, not the bare process
        if is_compound_part(token) or (mention is not None and is_compound_part(mention[-1])):
            pass  # "IL2-induced", "IL7-", "activator protein-1-binding": a compound's agent, not a theme
        elif mention is not None:
            found.append(Reached(mention, 1))
        elif tc is not None and tc.kind in (POSITIVE, NEGATIVE, UNSIGNED) and lemma != "target":
            sign = signed(tc, token)
            for r in self.nominal_themes(sentence, token, tc):
                found.append(Reached(r.span, r.sign * sign, r.hops + 1))
        elif lemma in CONTAINERS or lemma in CLASS_NOUNS or token.lower_ in CONTAINERS:
            inner = _children(token, "nn", "appos", "dep", "num", "poss")
            inner += [c for c in _children(token, "amod") if sentence.mention_at(c)]
            inner += _prep_objects(token, ("of", "in", "within", "as", "including", "like", "from"))
            for child in inner:
                found.extend(self.theme(sentence, child, depth + 1))
            if not found and lemma in CLASS_NOUNS:
                # "cytokine genes, such as IL2": the parser often hangs "such as" higher up.
                for ancestor in list(token.ancestors)[:3]:
                    for obj in _prep_objects(ancestor, ("as", "including")):
                        found.extend(self.theme(sentence, obj, depth + 1))
        # The noun a compound modifies is often parsed as a loose dependent of the elided gene.
        coordinated = ("conj", "dep") if is_compound_part(token) else ("conj",)
        for conj in _children(token, *coordinated):
            found.extend(self.theme(sentence, conj, depth + 1))
        return found

    def _names_gene(self, sentence: _Sentence, noun: Token) -> bool:
        heads = _children(noun, "nn") + _prep_objects(noun, ("of",))
        return any((m := sentence.mention_at(head)) is not None and m.label_ == GENE for head in heads)

    # -- hyphenated compounds -------------------------------------------------------------------------

    def _from_compound(self, sentence: _Sentence, token: Token) -> list[Relation]:
        """ "IL2-induced proliferation", "X-mediated activation of Y", "IL7- or IL2-induced Y".

        The tokenizer may keep the compound whole ("IL2-induced") or split off the suffix ("IL2",
        "-induced"); both are read the same way.
        """
        suffix = compound_suffix(token)
        if suffix is None:
            return []
        agent_token = token if not token.text.startswith("-") else token.nbor(-1) if token.i > 0 else token
        agent_span = sentence.mention_at(agent_token)
        if agent_span is None or agent_span.label_ != GENE:
            return []
        agents = [Reached(agent_span, 1)] + [Reached(span, 1) for span in self._elided(sentence, agent_span)]
        themes = self.theme(sentence, _modified_noun(token))
        tc = COMPOUND_SUFFIXES[suffix.lower()]
        trigger = (token.idx + len(token.text) - len(suffix), token.idx + len(token.text))
        return self._relate(sentence, token, tc, agents, themes, "compound", trigger=trigger)

    def _elided(self, sentence: _Sentence, span: Span) -> list[Span]:
        """Genes coordinated before a compound, their suffix left out: "IL7- or" before "IL2-induced"."""
        found: list[Span] = []
        text = self.doc.text
        end = span.start_char
        while True:
            before = text[max(sentence.sent.start_char, end - 12) : end]
            match = re.search(r"-\s*(?:,|\bor\b|\band\b|/)\s*$", before)
            if match is None:
                return found
            dash_at = end - len(before) + match.start()
            previous = [
                s
                for spans in sentence.by_token.values()
                for s in spans
                if (s.label_ == GENE and s.end_char == dash_at)
                or (s.end_char == dash_at + 1 and s.text.endswith("-"))
            ]
            if not previous:
                return found
            found.append(previous[0])
            end = previous[0].start_char

    # -- assembling ---------------------------------------------------------------------------------

    def _relate(
        self,
        sentence: _Sentence,
        token: Token,
        tc: TriggerClass,
        agents: list[Reached],
        themes: list[Reached],
        construction: str,
        *,
        trigger: tuple[int, int] | None = None,
    ) -> list[Relation]:
        implicit = False
        if self.context is not None and _may_take_context(token):
            if not agents and themes:
                agents, implicit = [Reached(None, 1)], True
            elif agents and not themes and construction == "verb" and _is_passive(token):
                themes, implicit = [Reached(None, 1)], True
        if not agents or not themes:
            return []
        if trigger is None:
            trigger = _trigger_offsets(token)
        base = signed(tc, token)
        negated, hedged = is_negated(token), is_hedged(token)
        relations = []
        for agent in agents:
            for theme in themes:
                a = self._argument(agent.span)
                t = self._argument(theme.span)
                # generx relates genes to genes and genes to processes, never two processes.
                if a.key == t.key or GENE not in (a.record["type"], t.record["type"]):
                    continue
                predicate = _predicate(tc, base, agent, theme, a, t)
                confidence = _distance_precision(agent.span, theme.span)
                confidence *= CONSTRUCTION_PRECISION[construction] / AVERAGE_PRECISION
                confidence *= _grounding(a) * _grounding(t) * (0.8 if implicit else 1.0)
                relations.append(
                    Relation(
                        subject=a,
                        predicate=predicate,
                        object=t,
                        trigger=trigger,
                        evidence=sentence.sent,
                        confidence=min(confidence, 1.0),
                        negated=negated,
                        hedged=hedged,
                        implicit=implicit,
                        construction=construction,
                    )
                )
        return relations

    def _argument(self, span: Span | None) -> Argument:
        if span is None:
            assert self.context is not None
            return self.context
        return Argument(mention_record(span), span)


def compound_suffix(token: Token) -> str | None:
    """The trigger suffix of a hyphenated compound ("IL2-induced" or "-induced" -> "induced"), or None."""
    _, dash, suffix = token.text.rpartition("-")
    if (
        dash
        and suffix.lower() in COMPOUND_SUFFIXES
        and len(token.text) > len(suffix) + 1 - (token.text[0] == "-")
    ):
        return suffix
    return None


def is_compound_part(token: Token) -> bool:
    """A gene written as part of a compound modifier ("IL2-induced", "IL2" before "-induced", "IL7-" or
    "IL7" "-" before "or"): the agent of the compound, never the theme of the phrase around it."""
    if compound_suffix(token) or token.text.endswith("-"):
        return True
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is None:
        return False
    if following.text.startswith("-") and following.text[1:].isalpha():
        return True  # "IL2" before "-induced", "-binding", "-producing"
    after = following.nbor(1) if following.i + 1 < len(token.doc) else None
    return following.text == "-" and after is not None and after.lower_ in ("or", "and", ",", "/")


def _modified_noun(token: Token) -> Token:
    """The noun a compound adjective modifies: its head when parsed as amod, else the end of the noun
    phrase that follows ("IL2-induced T cell proliferation" -> "proliferation")."""
    if token.dep_ in ("amod", "nn") and token.head is not token:
        return token.head
    noun = token
    for following in token.doc[token.i + 1 : token.sent.end]:
        if not following.tag_.startswith(("NN", "JJ")) or not following.text[0].isalnum():
            break
        noun = following
        if following.whitespace_ == "" and following.i + 1 < token.sent.end:
            break  # "element/activator": the noun phrase ends at the slash
    return noun


def _may_take_context(token: Token) -> bool:
    """Only the main predicate of a statement with no subject at all takes the context gene."""
    node = token
    while node.dep_ in ("xcomp", "conj", "pcomp", "prep", "pobj", "dobj") and node.head is not node:
        node = node.head
    if node.dep_ != "ROOT":
        return False
    sent = token.sent
    return not any(t.dep_ in (*SUBJECTS, *PASSIVE_SUBJECTS) for t in sent if t.head.i == node.i)


def _trigger_offsets(token: Token) -> tuple[int, int]:
    start, end = token.idx, token.idx + len(token.text)
    for child in token.children:
        if child.dep_ in ("advmod", "amod") and child.lower_ in SIGN_MODIFIERS and child.i == token.i - 1:
            start = child.idx
    return start, end


def _predicate(tc: TriggerClass, base: int, agent: Reached, theme: Reached, a: Argument, t: Argument) -> str:
    """The controlled predicate: a chain's sign for regulation, else the trigger's own kind."""
    if tc.kind == BINDING:
        return "binds" if a.record["type"] == GENE and t.record["type"] == GENE else "regulates"
    if tc.kind == ASSOCIATION:
        return "associated_with"
    if tc.kind == PARTICIPATION:
        if t.record["type"] == PROCESS and theme.hops == 0:
            return "involved_in"
        return "regulates"
    if tc.transparent and theme.hops == 0:
        sign = 0
    elif tc.transparent:
        sign = theme.sign * agent.sign
    else:
        sign = base * theme.sign * agent.sign
    return PREDICATE_BY_SIGN[max(-1, min(1, sign))]


def _distance_precision(agent: Span | None, theme: Span | None) -> float:
    distance = abs(agent.start - theme.start) if agent is not None and theme is not None else 0
    return next(precision for limit, precision in DISTANCE_PRECISION if distance <= limit)


def _grounding(argument: Argument) -> float:
    record = argument.record
    if not record.get("id"):
        return 0.6
    if record.get("candidates") or record.get("members"):
        return 0.85
    return 1.0


PREDICATE_RANK = {
    "positively_regulates": 0,
    "negatively_regulates": 0,
    "binds": 1,
    "regulates": 2,
    "involved_in": 3,
    "associated_with": 4,
}


def deduplicate(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, negated) within a statement, the most confident kept;
    an implicit one is dropped when the same pair is stated explicitly."""
    best: dict[tuple[str, str, str, bool], Relation] = {}
    for relation in relations:
        key = (relation.subject.key, relation.predicate, relation.object.key, relation.negated)
        kept = best.get(key)
        if kept is None or (kept.implicit, -kept.confidence) > (relation.implicit, -relation.confidence):
            best[key] = relation
    explicit_pairs = {(r.subject.key, r.object.key) for r in best.values() if not r.implicit}
    kept_relations = [
        r for r in best.values() if not (r.implicit and (r.subject.key, r.object.key) in explicit_pairs)
    ]
    return sorted(kept_relations, key=lambda r: (r.evidence.start, r.trigger, r.subject.key, r.object.key))


def is_gene_list(sent: Span, sentence: _Sentence) -> bool:
    """A line that only lists genes (a physical map, a table row): many mentions, no stated relation."""
    genes = sentence.genes()
    if len(genes) < 4:
        return False
    cytobands = sum(1 for t in sent if CYTOBAND.match(t.text))
    verbs = sum(1 for t in sent if t.tag_.startswith("VB") and t.dep_ in ("ROOT", "conj", "ccomp", "rcmod"))
    return cytobands >= 2 or (verbs == 0 and len(genes) * 3 >= len(sent))


def document_pairs(
    doc: Doc, relations: list[Relation] | None = None
) -> Iterator[tuple[Span, Span, list[str], bool]]:
    """Every two genes with different ids that share a sentence of the Doc, once per pair: the first
    mentions that share a sentence, the ``generx.pipelines.pairs`` features pooled over every sentence that
    names both (and how many do), and whether the rules (``relations``, default doc._.relations) relate
    them anywhere. Gene-list lines are left out, as the rules leave them.
    """
    relations = doc._.relations if relations is None else relations
    ruled = {frozenset((relation.subject.key, relation.object.key)) for relation in relations}
    mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
    pooled: dict[frozenset[str], tuple[Span, Span, set[str], int]] = {}
    for sent in doc.sents:
        sentence = _Sentence.of(sent, mentions)
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
            pair = frozenset((Argument(mention_record(a)).key, Argument(mention_record(b)).key))
            if len(pair) < 2:
                continue
            found_here = pair_features(a, b, mention_at=mention_at, trigger_kind=trigger_kind)
            first, second, known, count = pooled.get(pair, (a, b, set(), 0))
            pooled[pair] = (first, second, known.union(found_here), count + 1)
    # Document-level relations centre on the genes an abstract keeps naming, and on its title.
    named = Counter(Argument(mention_record(span)).key for span in mentions if span.label_ == GENE)
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


def find_relations(
    doc: Doc, *, context: Argument | None = None, pairs: PairClassifier | None = None
) -> list[Relation]:
    """All relations of a parsed Doc with gene and process mentions in doc.spans[MENTIONS]."""
    return RelationFinder(doc, context, pairs=pairs).find()


def context_argument(
    symbol: str | None, ground: Callable[[str], tuple[str | None, str | None]]
) -> Argument | None:
    """The implicit argument for a statement's context gene: symbol -> (HGNC id, approved symbol)."""
    if not symbol:
        return None
    gene_id, name = ground(symbol)
    record = {"text": symbol, "start": None, "end": None, "type": GENE, "id": gene_id, "name": name or symbol}
    return Argument(record)
