"""Relations between gene and process mentions, read off the dependency parse.

A trigger (``generx.pipelines.triggers``) is found first; its agent and theme are then reached along the
parse (``generx.pipelines.arguments``); here they become signed relations with a confidence. Hyphenated
compounds ("X-induced Y", "X-mediated activation of Y", "IL7- or IL2-induced Y") are read here too.
When a statement leaves out its agent or theme ("required for T-cell proliferation", "activated by JUNB")
the statement's context gene fills it and the relation is marked implicit.
The trained relation model (``generx.pipelines.relation_model``) reads these relations as features.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, MENTIONS, PROCESS, PROCESS_CANDIDATES
from generx.pipelines.arguments import (
    GENERAL_PROCESSES,
    IDENTITY_CLASSES,
    Reached,
    Sentence,
    among_diverse,
    children,
    elided,
    identity_arguments,
    is_excluded,
    is_gene_list,
    is_passive,
    may_take_context,
    modified_noun,
    only_genes,
    phenotype_trigger,
    reach_theme,
    subject_themes,
    trigger_arguments,
)
from generx.pipelines.context import CLASS
from generx.pipelines.mechanism import mechanism_of
from generx.pipelines.processes import turned_by_prefix
from generx.pipelines.records import argument_key, mention_record
from generx.pipelines.triggers import (
    ASSOCIATION,
    BINDING,
    COMPOUND_SUFFIXES,
    PARTICIPATION,
    SIGN_MODIFIERS,
    TriggerClass,
    compound_suffix,
    is_hedged,
    is_negated,
    signed,
    split_compound,
    trigger_class,
    trigger_offsets,
)
from generx.record import PREDICATE_BY_SIGN, Mechanism

# Confidence is the precision measured on the development corpora (GENIA GE'11 train, BioRED dev, LLL and
# BioInfer train, given entities, 786 relations): by how far apart subject and object are (tokens between
# their starts), scaled by how the construction fares against the 0.74 average. Implicit arguments and
# ambiguous or ungrounded mentions are discounted by judgement, not by measurement.
DISTANCE_PRECISION = ((4, 0.79), (8, 0.76), (15, 0.71), (10_000, 0.67))
CONSTRUCTION_PRECISION = {"verb": 0.77, "adjective": 0.61, "nominal": 0.74, "compound": 0.78}
# "X knockout mice show defective P" is not in the development corpora: rated as the adjectives, by judgement.
CONSTRUCTION_PRECISION["phenotype"] = CONSTRUCTION_PRECISION["adjective"]
# "X is a glycolytic enzyme", "encodes a transcription factor": also rated as the adjectives, by judgement.
CONSTRUCTION_PRECISION["identity"] = CONSTRUCTION_PRECISION["adjective"]
# "X acts upstream of Y": rare in the development corpora, rated as the adjectives, by judgement.
CONSTRUCTION_PRECISION["position"] = CONSTRUCTION_PRECISION["adjective"]
TAKES_PART = TriggerClass(PARTICIPATION)
AVERAGE_PRECISION = 0.74
# GO's names of regulation terms: taking part in one is regulating, so the relation is involved_in it
# ("involved in transcription regulation" is not regulates + regulation of transcription).
REGULATION_TERM_RE = re.compile(r"(?:positive |negative )?regulation of ")
# A receptor takes part in the signalling it starts and in the perception its detection begins (GO's "X
# receptor signaling pathway" begins with the receptor binding its ligand; detection of a smell is part
# of its perception): "Olfactory receptors ... initiate a neuronal response that triggers the perception
# of a smell", "G-protein coupled receptors ... activate signaling cascades".
RECEPTOR_STARTS = frozenset({"initiate", "activate", "trigger", "stimulate", "transduce"})
STARTED_BY_RECEPTOR_RE = re.compile(r"signaling|signal transduction|perception")


@dataclass(frozen=True)
class Argument:
    """A relation's subject or object: a mention Span, or the statement's context gene (implicit)."""

    record: dict[str, Any]
    span: Span | None = None

    @property
    def key(self) -> str:
        return argument_key(self.record)


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
    mechanism: Mechanism | None = None

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
            "mechanism": self.mechanism,
            "trigger": {"text": _char_text(doc, start, end), "start": start, "end": end},
            "evidence": {
                "text": self.evidence.text,
                "start": self.evidence.start_char,
                "end": self.evidence.end_char,
            },
            "confidence": round(self.confidence, 3),
        }


def _char_text(doc: Doc, start: int, end: int) -> str:
    """``doc.text[start:end]`` without building the whole text (which costs the Doc's length per record)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return doc.text[start:end]
    return span.text_with_ws[start - span.start_char : end - span.start_char]


class RelationFinder:
    """Finds the relations of one Doc; ``context`` is the implicit argument when a statement omits one."""

    def __init__(self, doc: Doc, context: Argument | None = None) -> None:
        self.doc = doc
        self.context = context
        self.mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
        self.candidates = list(doc.spans[PROCESS_CANDIDATES]) if PROCESS_CANDIDATES in doc.spans else []

    def find(self) -> list[Relation]:
        relations: list[Relation] = []
        for sentence in Sentence.each(self.doc, self.mentions, self.candidates):
            sent = sentence.sent
            if not sentence.by_token or is_gene_list(sent, sentence):
                continue
            for token in sent:
                relations.extend(self._from_compound(sentence, token))
                found = phenotype_trigger(token) or trigger_class(token)
                # A trigger word inside a name states no relation: "positive regulation of cell
                # proliferation" is a process, "nuclear factor of activated T-cells" a gene. A process
                # mention of trigger words only ("expressed", "regulation") is read as the trigger here
                # and stays a process where another relation reaches it.
                read = []
                if found is not None and not sentence.names_at(token):
                    read = self._from_trigger(sentence, token, *found)
                # An agent noun with nothing to act on says what its gene is: "X is a transcriptional
                # activator", "encodes a transcription factor".
                agent_noun = found is None or token.lemma_.lower() in IDENTITY_CLASSES
                if not read and token.tag_.startswith("NN") and agent_noun:
                    read = self._from_identity(sentence, token)
                relations.extend(read)
        return deduplicate(relations)

    def _from_trigger(self, sentence: Sentence, token: Token, tc: TriggerClass, role: str) -> list[Relation]:
        return [
            relation
            for agents, themes in trigger_arguments(sentence, token, tc, role)
            for relation in self._relate(sentence, token, tc, agents, themes, role)
        ]

    def _from_identity(self, sentence: Sentence, token: Token) -> list[Relation]:
        agents, themes = identity_arguments(sentence, token)
        if not agents:
            return []
        tc = IDENTITY_CLASSES.get(token.lemma_.lower(), TAKES_PART)
        coordinated = [c.lemma_.lower() for c in token.children if c.dep_ == "conj"]
        if any(IDENTITY_CLASSES.get(c, tc).kind != tc.kind for c in coordinated):
            tc = IDENTITY_CLASSES["regulator"]  # "both a transcriptional activator and repressor"
        return self._relate(sentence, token, tc, agents, themes, "identity")

    def _from_compound(self, sentence: Sentence, token: Token) -> list[Relation]:
        """ "IL2-induced proliferation", "X-mediated activation of Y", "IL7- or IL2-induced Y".

        The tokenizer may keep the compound whole ("IL2-induced") or split off the suffix ("IL2",
        "-induced"); both are read the same way.
        """
        suffix = compound_suffix(token)
        if suffix is None:
            return []
        agent_token = token if not token.text.startswith("-") else token.nbor(-1) if token.i > 0 else token
        if split_compound(token):
            agent_token = token.nbor(-2)  # "EPO", "-", "regulated"
        agent_span = sentence.mention_at(agent_token)
        if agent_span is None or agent_span.label_ != GENE:
            return []
        agents = [Reached(agent_span, 1)] + [Reached(span, 1) for span in elided(sentence, agent_span)]
        noun = modified_noun(token)
        themes = reach_theme(sentence, noun)
        if not themes and noun.dep_ == "appos":
            themes = reach_theme(sentence, noun.head)  # "CFL1, an actin-binding protein"
        # "Y is X-dependent", "Y and Z were X-induced" (the parser may hang the copula on the gene)
        predicate = next((t for t in (token, agent_token) if children(t, "cop")), None)
        if not themes and predicate is not None:
            themes = subject_themes(sentence, predicate)
        tc = COMPOUND_SUFFIXES[suffix.lower()]
        if tc.kind == BINDING:
            # a gene that binds ("the actin-binding protein profilin"), not a process, nor a variant found
            # with a trait ("HbF-associated polymorphisms such as BCL11A")
            if noun.lower_ in VARIANT_WORDS:
                return []
            themes = only_genes(themes)
        trigger = (token.idx + len(token.text) - len(suffix), token.idx + len(token.text))
        return self._relate(sentence, token, tc, agents, themes, "compound", trigger=trigger)

    def _relate(
        self,
        sentence: Sentence,
        token: Token,
        tc: TriggerClass,
        agents: list[Reached],
        themes: list[Reached],
        construction: str,
        *,
        trigger: tuple[int, int] | None = None,
    ) -> list[Relation]:
        implicit = False
        if self.context is not None and may_take_context(token):
            if not agents and themes:
                agents, implicit = [Reached(None, 1)], True
            elif agents and not themes and construction == "verb" and is_passive(token):
                themes, implicit = [Reached(None, 1)], True
        if not agents or not themes:
            return []
        if trigger is None:
            trigger = trigger_offsets(token)
        base = signed(tc, token)
        denied, hedged = is_negated(token), is_hedged(token)
        # How the agent acts on a gene object (phosphorylation, expression, ...); a process has no mechanism.
        mechanisms = [
            mechanism_of(token, theme.span, mentions=sentence.by_token)
            if theme.span is None or theme.span.label_ == GENE
            else None
            for theme in themes
        ]
        relations = []
        for agent in agents:
            for theme, mechanism in zip(themes, mechanisms, strict=True):
                # A relation never takes its own trigger as an argument ("regulated" as a process).
                if construction not in ("compound", "identity") and any(
                    r.span is not None and r.span.start <= token.i < r.span.end for r in (agent, theme)
                ):
                    continue
                # GO's most general terms ("biological processes", "cellular processes") say nothing.
                if any(r.span is not None and r.span.kb_id_ in GENERAL_PROCESSES for r in (agent, theme)):
                    continue
                # A name inside the other argument ("mitogen-activated protein kinase signaling") is no
                # partner; but "a DNA repair protein" says what the protein does.
                if (
                    construction != "identity"
                    and agent.span is not None
                    and theme.span is not None
                    and agent.span.start < theme.span.end
                    and theme.span.start < agent.span.end
                ):
                    continue
                # "functions in postnatal gene expression" says nothing of parturition.
                if any(
                    r.span is not None
                    and r.span.label_ == PROCESS
                    and turned_by_prefix(r.span.doc.text, r.span.start_char)
                    for r in (agent, theme)
                ):
                    continue
                a = self._argument(agent.span)
                t = self._argument(theme.span)
                # "Members of this family are involved in a variety of processes, including P": what a
                # class does among many is not what each of its members does.
                if a.record.get("resolved") == CLASS and theme.span is not None and among_diverse(theme.span):
                    continue
                # "capable of eliciting humoral and cellular immune responses": what an antigen does, not
                # what regulates the response.
                if token.lemma_ == "elicit" and "immun" in t.record.get("name", ""):
                    continue
                if token.lemma_ == "contribute" and t.record["type"] == GENE and not theme.hops:
                    continue  # "contributes to Y" says not how; "contributes to Y activation" does
                if token.lemma_ in LINKERS and (
                    theme.hops
                    or t.record["type"] != GENE
                    or (
                        theme.span is not None
                        and any(m.label_ == PROCESS for m in sentence.by_token.get(theme.span.start, ()))
                    )
                ):
                    continue  # "links CTNNB1 to ACTB" binds both; "links TLR4 signaling to P" binds neither
                # "Mutations in X are associated with PAPA syndrome": what a mutation (the unsigned agent)
                # is associated with is a phenotype, and a gene there is a disease's name read as a gene.
                if tc.kind == ASSOCIATION and agent.sign == 0 and t.record["type"] == GENE:
                    continue
                # generx relates genes to genes and genes to processes, never two processes.
                if a.key == t.key or GENE not in (a.record["type"], t.record["type"]):
                    continue
                predicate = _predicate(token, tc, base, agent, theme, a, t)
                # "TNF, but not IL1B, induced X" denies that IL1B induced X.
                negated = denied or any(
                    r.span is not None and is_excluded(r.span, token) for r in (agent, theme)
                )
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
                        mechanism=mechanism,
                    )
                )
        return relations

    def _argument(self, span: Span | None) -> Argument:
        if span is None:
            assert self.context is not None
            return self.context
        return Argument(mention_record(span), span)


def _predicate(
    token: Token, tc: TriggerClass, base: int, agent: Reached, theme: Reached, a: Argument, t: Argument
) -> str:
    """The controlled predicate: a chain's sign for regulation, else the trigger's own kind; a receptor
    takes part in what it starts, and "a regulatory role in P" regulates P."""
    predicate = _signed_predicate(tc, base, agent, theme, a, t)
    if predicate == "binds" and token.lemma_.lower() in INTERACTIONS and is_genetic(token.sent):
        return "associated_with"  # "IRF6 interacts with MSX1 (P = 0.001)": a genetic interaction
    if predicate == "positively_regulates" and _receptor_starts(token, a, t):
        return "involved_in"
    modifiers = [c.lower_ for c in children(token, "amod")]
    sign = sum(SIGN_MODIFIERS.get(m, 0) for m in modifiers)
    if tc.kind == PARTICIPATION and sign and predicate in ("involved_in", "regulates"):
        return PREDICATE_BY_SIGN[max(-1, min(1, sign))]  # "a negative (regulatory) role for X in Y"
    if predicate == "involved_in" and "regulatory" in modifiers:
        return "regulates"
    return predicate


# Words of genetic association studies, where an interaction of two genes is a statistical one.
GENETIC_WORDS = frozenset(
    "epistasis epistatic epistatically polymorphism polymorphisms snp snps genotype genotypes haplotype "
    "haplotypes allele alleles susceptibility gene-gene statistically odds p p-value".split()
)
# Nouns of what a genetic association study finds: "X-associated variants" are found with X, they bind no X.
VARIANT_WORDS = GENETIC_WORDS | frozenset("variant variants mutation mutations locus loci".split())
INTERACTIONS = frozenset({"interact", "interaction"})
# Binding verbs that join two things: only the genes they name themselves are bound.
LINKERS = frozenset({"link", "bridge", "tether", "anchor"})


def is_genetic(sent: Span) -> bool:
    """Whether a sentence speaks of genetic association: its interactions are between variants, not
    proteins."""
    return any(t.lower_ in GENETIC_WORDS for t in sent)


def _signed_predicate(
    tc: TriggerClass, base: int, agent: Reached, theme: Reached, a: Argument, t: Argument
) -> str:
    if tc.kind == BINDING:
        return "binds" if a.record["type"] == GENE and t.record["type"] == GENE else "regulates"
    if tc.kind == ASSOCIATION:
        return "associated_with"
    if tc.kind == PARTICIPATION:
        if t.record["type"] == PROCESS and (
            theme.hops == 0 or REGULATION_TERM_RE.match(t.record.get("name", ""))
        ):
            return "involved_in"
        if theme.hops == 0:
            return "regulates"
        # "plays a role in promoting Y": the sign of the event it takes part in.
        return PREDICATE_BY_SIGN[max(-1, min(1, theme.sign * agent.sign))]
    if tc.transparent and theme.hops == 0:
        # "X mediates adhesion", "X catalyzes glycolysis": X carries the process out; "X mediates Y" (a gene)
        # states no direction.
        if t.record["type"] == PROCESS:
            return "involved_in"
        sign = 0
    elif tc.transparent:
        sign = theme.sign * agent.sign
    else:
        sign = base * theme.sign * agent.sign
    return PREDICATE_BY_SIGN[max(-1, min(1, sign))]


def _receptor_starts(token: Token, agent: Argument, theme: Argument) -> bool:
    """Whether a receptor starts (and so takes part in) a signalling or perception process."""
    words = agent.record["text"].lower().split()
    return (
        token.lemma_ in RECEPTOR_STARTS
        and bool(words)
        and words[-1] in ("receptor", "receptors")
        and theme.record["type"] == PROCESS
        and STARTED_BY_RECEPTOR_RE.search(theme.record.get("name", "")) is not None
    )


def _distance_precision(agent: Span | None, theme: Span | None) -> float:
    distance = abs(agent.start - theme.start) if agent is not None and theme is not None else 0
    # Arguments further apart than the last limit (a 10,000-token sentence) get its precision.
    return next((p for limit, p in DISTANCE_PRECISION if distance <= limit), DISTANCE_PRECISION[-1][1])


def _grounding(argument: Argument) -> float:
    record = argument.record
    if not record.get("id"):
        return 0.6
    if record.get("candidates") or record.get("members"):
        return 0.85
    return 1.0


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
    return sorted(kept_relations, key=reading_order)


def reading_order(relation: Relation) -> tuple[int, tuple[int, int], str, str]:
    """The order relations are reported in: by evidence, trigger, subject and object."""
    return (relation.evidence.start, relation.trigger, relation.subject.key, relation.object.key)


def find_relations(doc: Doc, *, context: Argument | None = None) -> list[Relation]:
    """All relations of a parsed Doc with gene and process mentions in doc.spans[MENTIONS]."""
    return RelationFinder(doc, context).find()


def promote_candidates(doc: Doc, relations: list[Relation]) -> None:
    """Move the process candidates that relations take as arguments into the Doc's mentions."""
    if PROCESS_CANDIDATES not in doc.spans:
        return
    taken = {
        (arg.span.start, arg.span.end, arg.span.label_)
        for r in relations
        for arg in (r.subject, r.object)
        if arg.span is not None
    }
    candidates = list(doc.spans[PROCESS_CANDIDATES])
    promoted = [span for span in candidates if (span.start, span.end, span.label_) in taken]
    if promoted:
        doc.spans[MENTIONS] = [*doc.spans[MENTIONS], *promoted]
        doc.spans[PROCESS_CANDIDATES] = [span for span in candidates if span not in promoted]


def context_argument(
    symbol: str | None, ground: Callable[[str], tuple[str | None, str | None]]
) -> Argument | None:
    """The implicit argument for a statement's context gene: symbol -> (HGNC id, approved symbol)."""
    if not symbol:
        return None
    gene_id, name = ground(symbol)
    record = {"text": symbol, "start": None, "end": None, "type": GENE, "id": gene_id, "name": name or symbol}
    return Argument(record)
