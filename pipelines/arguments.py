"""The argument walk: from a trigger to the mentions that are its agents and themes, along the parse.

The rules follow the Stanford basic dependencies of the GENIA treebank the parser is trained on
(nsubj, nsubjpass, dobj, prep/pobj, pcomp, nn, amod, appos, conj, rcmod, partmod, xcomp, cop, neg, aux):

- verbs: active "X activates Y" (nsubj, dobj), passive "Y is bound by X" (nsubjpass, by-phrase), and
  subjects shared through control, relative clauses and conjunction ("X is a repressor that is known to
  negatively regulate Y");
- adjectives: "X is required for Y";
- nominalisations: "inhibition of Y by X", "X, an activator of Y", "a role for X in Y";
- what a gene is said to be: "X is a glycolytic enzyme", "the key enzyme in P" (``identity_arguments``).

An argument is traced from its head word through words that name a gene without changing what is said of
it ("expression of", "the X promoter", "cytokine genes such as X"), multiplying the sign of event nouns on
the way ("mediates inhibition of Y" is negative; "knockdown of X increases Y" makes X a negative regulator).
Every function here is pure: it reads the parse and the sentence's mentions and returns what it reached.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, PROCESS
from generx.pipelines.context import is_class_noun
from generx.pipelines.triggers import (
    ABILITIES,
    AGENT_KEEPERS,
    AGENT_NEGATORS,
    ASSOCIATION,
    BINDING,
    BINDING_PARTS,
    CLASS_NOUNS,
    CONTAINERS,
    GAINED,
    GENE_STANDINS,
    INHIBITORS,
    LOST,
    MUTATIONS,
    NEGATIVE,
    NOUNS,
    PARTICIPATION,
    POSITIVE,
    PRODUCTION,
    PROTEIN_PARTS,
    REVERSED,
    SIGN_MODIFIERS,
    TARGETS,
    TREATMENTS,
    UNSIGNED,
    TriggerClass,
    is_compound_part,
    signed,
    trigger_class,
    trigger_kind,
)

# Nouns of acting together: "X activates Y in cooperation with Z" makes Z an agent too.
COOPERATION = frozenset({"cooperation", "concert", "conjunction", "synergy", "collaboration", "combination"})
# Verbs that report a finding, whose conditions say what brought a change about.
OBSERVING = frozenset("find observe detect see note notice measure".split())
# Verbs that name the parts of a complex.
COMPOSITION = frozenset("contain comprise compose consist include".split())
# Nouns of what one thing does to another: "the effect of X on Y".
EFFECTS = frozenset({"effect", "influence", "impact", "action"})
# Verbs of acting together whose "with" partner shares the infinitive: "X interacts with Z to activate Y".
COOPERATING = frozenset(
    {"cooperate", "synergize", "synergise", "collaborate", "interact", "associate", "act", "function", "work"}
)
# Verbs that lend their subject to a trigger noun: "X plays a role in", "X has an effect on".
LIGHT_VERBS = frozenset({"play", "have", "exert", "show", "exhibit", "form"})
# Nouns of "in an X-dependent manner".
MANNER_NOUNS = frozenset({"manner", "fashion", "way"})
# Conditions a clause may name its agent by: "in the absence of X" (reach_agent turns the sign round).
CONDITIONS = frozenset({"absence", "presence", "lack"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
# A protein change written after its gene: "V600E", "p.R175H", "Arg72Pro", "Q61*"
PROTEIN_CHANGE = re.compile(r"^(p\.)?[A-Z]([a-z]{2})?[0-9]+([A-Z]([a-z]{2})?|\*|fs)$")
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
# Dimers are named by what they are made of ("c-Rel/p65 heterodimers"); a complex's name may hold any gene
# ("the IFN-gamma-activated inhibitor of translation complex").
DIMERS = frozenset({"dimer", "heterodimer", "homodimer"})
# Prepositions of the place a binding verb or noun binds ("bind at the Prf1 locus"), and of all it binds.
PLACE_PREPS = ("at", "on", "onto", "within")
BOUND_PREPS = ("to", "with", *PLACE_PREPS)
# Nouns that stand for a set of processes named after them: "a variety of processes including X, Y and Z".
PROCESS_CLASSES = frozenset(
    "process processes activities functions events variety number range array aspects step steps".split()
)
CYTOBAND = re.compile(r"^\d{1,2}[pq]\d")
# Models named by a gene ("Pten knockout mice"), what was done to the gene, and what they are said to
# show: "X-deficient mice show impaired P" makes X a positive regulator of P.
MODELS = frozenset("mouse mice animal embryo rat cell fibroblast strain littermate zebrafish fly".split())
MODEL_NEGATORS = frozenset(
    """knockout knock-out ko null deficient deficiency mutant lacking -/- knockdown depleted deleted sirna
    shrna""".split()
)
# A model in which the gene is raised: "X-overexpressing cells", "X transgenic mice" (the tokenizer may
# split "-over|expressing").
MODEL_GAINS = re.compile(r"over-?expressing|transgenic")
SHOW_VERBS = frozenset("show exhibit display develop have present manifest demonstrate".split())
PHENOTYPES: dict[str, TriggerClass] = {
    **{
        w: TriggerClass(NEGATIVE)
        for w in "defective impaired reduced decreased diminished deficient lower".split()
    },
    **{
        w: TriggerClass(POSITIVE)
        for w in "increased enhanced elevated accelerated exaggerated higher".split()
    },
    **{w: TriggerClass(UNSIGNED) for w in "abnormal aberrant altered".split()},
}
MAX_DEPTH = 6
# A gene-named pathway is a process too: "involved in insulin signaling" (and the gene's own event).
SIGNALING = frozenset({"signaling", "signalling", "pathway", "cascade"})
# Words that make "growth" or "development" a disease's: "tumor growth", "cancer development".
DISEASE_WORDS = frozenset(
    "tumor tumour tumors tumours cancer cancers disease diseases neoplastic malignant".split()
)
# What a process may be "of" and still be the process itself: "pigmentation of melanocytes", "apoptosis
# of neurons" (but "the development of Alzheimer disease" is the disease's course).
CELL_NOUN_RE = re.compile(r"[a-z-]*(?:cell|cyte|blast|clast|phage|neuron|tissue)s?")
# Processes too general to say what a class noun does ("a regulatory subunit" says nothing).
GENERAL_PROCESSES = frozenset({"GO:0008150", "GO:0065007", "GO:0009987"})
# Nouns that place what they name inside a process: "the first enzyme of fatty acid beta-oxidation",
# "a key component of the Wnt signaling pathway", "the rate-limiting step in P".
PART_NOUNS = frozenset("enzyme component constituent player participant step isoenzyme isozyme".split())
# What a class noun says of its gene's process: a factor or a regulator acts on it ("a transcription
# factor", "a transcriptional activator" acts positively, a repressor negatively); any other class noun
# takes part in it ("a DNA repair protein").
IDENTITY_CLASSES = {
    **dict.fromkeys(
        ("factor", "regulator", "coregulator", "co-regulator", "modulator", "cofactor"),
        TriggerClass(UNSIGNED),
    ),
    **dict.fromkeys(("activator", "coactivator", "co-activator"), TriggerClass(POSITIVE)),
    **dict.fromkeys(("repressor", "corepressor", "co-repressor"), TriggerClass(NEGATIVE)),
}


@dataclass(frozen=True)
class Reached:
    """A mention reached from a trigger: the sign picked up on the way, and how many event nouns passed.
    ``span`` None stands for the statement's context gene."""

    span: Span | None
    sign: int
    hops: int = 0


@dataclass
class Sentence:
    """The mentions of one sentence, indexed by token, and the helpers that walk the parse."""

    sent: Span
    by_token: dict[int, list[Span]] = field(default_factory=dict)
    # Process candidates ("development", "signal transduction") by their root token: a theme only where
    # nothing else is reached through that word.
    candidates: dict[int, Span] = field(default_factory=dict)
    # The sentence's mentions in the order given.
    mentions: list[Span] = field(default_factory=list)

    @classmethod
    def of(cls, sent: Span, mentions: Iterable[Span], candidates: Iterable[Span] = ()) -> Sentence:
        sentence = cls(sent)
        for span in mentions:
            if span.start >= sent.start and span.end <= sent.end:
                sentence.mentions.append(span)
                for i in range(span.start, span.end):
                    sentence.by_token.setdefault(i, []).append(span)
        for span in candidates:
            kept = sentence.candidates.get(span.root.i)
            if span.start >= sent.start and span.end <= sent.end and (kept is None or len(span) > len(kept)):
                sentence.candidates[span.root.i] = span
        return sentence

    @classmethod
    def each(cls, doc: Doc, mentions: Iterable[Span], candidates: Iterable[Span] = ()) -> Iterator[Sentence]:
        """Every sentence of ``doc`` with its mentions and candidates. Each span is placed in its sentence
        once: ``of`` called for every sentence would scan every span per sentence, a cost in the square of
        a long statement's length."""
        sents = list(doc.sents)
        starts = [sent.start for sent in sents]
        placed: list[tuple[list[Span], list[Span]]] = [([], []) for _ in sents]
        for kind, spans in enumerate((mentions, candidates)):
            for span in spans:
                placed[bisect.bisect_right(starts, span.start) - 1][kind].append(span)
        for sent, (own, own_candidates) in zip(sents, placed, strict=True):
            yield cls.of(sent, own, own_candidates)

    def genes(self) -> list[Span]:
        """The sentence's gene mentions, each once, in text order."""
        return sorted((s for s in self.mentions if s.label_ == GENE), key=lambda s: (s.start, s.end))

    def names_at(self, token: Token) -> bool:
        """Whether the token is part of a name: a gene, or a process with more than trigger words
        ("positive regulation of cell proliferation"; not "regulated" or "negative regulation")."""
        return any(
            span.label_ != PROCESS or not trigger_words_only(span) for span in self.by_token.get(token.i, ())
        )

    def gene_at(self, token: Token) -> bool:
        """Whether the mention the token stands for is a gene."""
        mention = self.mention_at(token)
        return mention is not None and mention.label_ == GENE

    def names_in(self, tokens: Iterable[Token]) -> set[str]:
        """The names of the mentions the tokens stand for."""
        return {m.text.lower() for t in tokens if (m := self.mention_at(t)) is not None}

    def mention_at(self, token: Token) -> Span | None:
        """The mention a token stands for: one rooted at it first, then the longest covering it."""
        spans = self.by_token.get(token.i)
        if not spans:
            return None
        rooted = [s for s in spans if s.root.i == token.i]
        return max(rooted or spans, key=len)


def trigger_arguments(
    sentence: Sentence, token: Token, tc: TriggerClass, role: str
) -> list[tuple[list[Reached], list[Reached]]]:
    """The (agents, themes) a trigger takes by its role ("verb", "adjective", "nominal"): one group, or one
    group per pair for a group interaction ("PRP5, PRP9 and PRP11 interact")."""
    if role == "phenotype":
        if shows_its_own(sentence, token.head.head):
            return []
        return [(clause_agents(sentence, token.head.head), reach_theme(sentence, token.head))]
    if role == "position":
        # "X acts upstream of Y", "Y functions downstream of X": X regulates Y
        if token.lower_ == "upstream":
            others = [r for o in prep_objects(token, ("of",)) for r in reach_theme(sentence, o)]
            return [(clause_agents(sentence, token.head), others)]
        others = [r for o in prep_objects(token, ("of",)) for r in reach_agent(sentence, o)]
        return [(others, subject_themes(sentence, token.head))]
    if role == "nominal":
        if token.lemma_.lower() in PARTNERS and token.dep_ == "nn" and children(token, "poss"):
            # "CCL2 and its receptor CCR2"
            own, partner = sentence.mention_at(token.head), sentence.mention_at(token.head.head)
            if own is not None and partner is not None and token.head.dep_ == "conj":
                return [([Reached(partner, 1)], [Reached(own, 1)])]
        agents = nominal_agents(sentence, token)
        themes = nominal_themes(sentence, token, tc)
        if not themes and token.dep_ == "dobj" and token.head.lemma_ in LIGHT_VERBS:
            # "plays a central role during X", "has no effect on X": the theme may hang on the verb.
            preps = THEME_PREPS[PARTICIPATION] if tc.kind == PARTICIPATION else ("on",)
            themes = [r for obj in prep_objects(token.head, preps) for r in reach_theme(sentence, obj)]
        if (
            not themes
            and tc.kind == PARTICIPATION
            and token.dep_ == "nsubj"
            and token.head.lemma_ == "include"
        ):
            # "Its functions include P and Q"
            themes = [r for obj in children(token.head, "dobj") for r in reach_theme(sentence, obj)]
        if token.lemma_.lower() in TARGETS:
            # "Y is a target of X", "Y, a direct target of X": X acts on Y; "X target genes": X acts on them
            said_of = identity_agents(sentence, token)
            agents, themes = (agents or themes, said_of) if said_of else (themes, agents)
            if token.lemma_.lower() != "target":  # "a substrate for proteolysis" names no agent
                agents = only_genes(agents)
            gene = token.head
            if token.dep_ == "nn" and gene.lemma_.lower() == "gene":
                # "Y and Z are direct target genes of X", "X target genes include Y and Z"
                regulators = prep_objects(gene, ("of",)) + [
                    c for c in children(gene, "nn") if c.i < token.i and sentence.gene_at(c)
                ]
                if regulators:
                    agents = [r for o in regulators for r in reach_agent(sentence, o)]
                    themes = identity_agents(sentence, gene) or [
                        r for e in examples(gene) for r in reach_theme(sentence, e)
                    ]
        if token.lemma_.lower() == "control" and token.dep_ == "pobj" and token.head.lower_ == "under":
            # "Y is under the control of X", "Y is under X control"
            agents = [
                r
                for obj in prep_objects(token, ("of", "by")) + children(token, "nn")
                for r in reach_agent(sentence, obj)
            ]
            themes = subject_themes(sentence, token.head.head)
        if tc.kind == BINDING and not agents and prep_objects(token, ("to", "with")):
            # "YY1 binding to the IL-5 promoter": the compound binds what follows (or the noun the parser
            # hung the binding on, "Oct1 and YY1 binding to ...")
            binders = children(token, "nn") + ([token.head] if token.dep_ == "dep" else [])
            agents = [
                r for c in binders if sentence.mention_at(c) is not None for r in reach_agent(sentence, c)
            ]
        part = token.head
        if tc.kind == BINDING and token.dep_ in ("nn", "amod") and part.lemma_.lower() in BINDING_PARTS:
            # "the APC binding site on CTNNB1", "the ACTB-binding domain of CFL1": the protein binds X
            named = children(token, "nn", "npadvmod") + [c for c in children(part, "nn") if c.i < token.i]
            bound = [
                Reached(m, 1) for c in named if (m := sentence.mention_at(c)) is not None and m.label_ == GENE
            ]
            owners = [
                r for o in prep_objects(part, ("of", "on", "in", "within")) for r in reach_agent(sentence, o)
            ]
            return [(owners, bound)]
        if tc.kind == BINDING and token.lemma_.lower() in COMPLEXES:
            members = complex_members(sentence, token)
            if len(members) > 1:  # "a complex of X, Y and Z", "the complex is composed of X and Y"
                return [([member], members[i + 1 :]) for i, member in enumerate(members)]
        bound = bound_genes(sentence, token, BOUND_PREPS) if tc.kind == BINDING else []
        binders = prep_objects(token, ("of",)) if bound else []
        if binders:
            # "binding of X and Y to the Z promoter": what binds, and what it binds (not the agent of a
            # means, "regulation is mediated by binding of X to Z"; not a time, "at the onset of P")
            agents, themes = [r for obj in binders for r in reach_theme(sentence, obj)], bound
        elif tc.kind in (BINDING, ASSOCIATION) and not agents and prep_objects(token, ("of", "between")):
            # "interaction between X and Y" (every pair of "X, Y and Z", but not two names of one protein,
            # "FADD/MORT1"); but "its interaction with X and Y", "binding to X and Y" name the partners of
            # one binder, not partners of one another.
            if not prep_objects(token, ("between",)):
                return [(themes[:1], themes[1:])]
            return [
                ([partner], [r for r in themes[i + 1 :] if not slashed(sentence, partner, r)])
                for i, partner in enumerate(themes)
            ]
        if tc.kind == BINDING and not agents and not themes and token.lemma_.lower() in COMPLEXES:
            members = named_members(sentence, token)  # "the CCND1-CDK4 complex", "FOS/JUN heterodimers"
            agents, themes = members[:1], members[1:]
        if tc.kind == BINDING and not themes and token.dep_ == "dobj" and token.head.lemma_ in LIGHT_VERBS:
            return [([agent], agents[i + 1 :]) for i, agent in enumerate(agents)]  # "X and Y form a complex"
    elif token.lemma_.lower() in REVERSED or token.lower_ in REVERSED:
        agents, themes = reversed_arguments(sentence, token)
    elif role == "verb":
        agents, themes = verb_arguments(sentence, token, tc)
        if tc.kind in (BINDING, ASSOCIATION) and not themes:
            # "PRP5, PRP9 and PRP11 interact": every pair of the group; but "Eomes and Runx3 bind at the
            # Prf1 locus" (or "to DNA") each bind that, and "the presence of X and Y correlates with
            # positive function" relates each to that, not one another.
            if binds_something_else(token) or (tc.kind == ASSOCIATION and prep_objects(token, ("with",))):
                return []
            return [([agent], agents[i + 1 :]) for i, agent in enumerate(agents)]
    else:
        agents = clause_agents(sentence, token)
        preps = THEME_PREPS.get(tc.kind, ("for",))
        themes = [r for obj in prep_objects(token, preps) for r in reach_theme(sentence, obj)]
    return [(agents, themes)]


def binds_something_else(verb: Token) -> bool:
    """A binding verb with an object or a place bound ("bind DNA", "bind at the X locus", "bind to the
    promoter") other than "each other" or "one another"."""
    objects = children(verb, "dobj") + prep_objects(verb, ("at", "to", "on", "onto", "within"))
    return any(not {"other", "another"} & {t.lower_ for t in obj.subtree} for obj in objects)


def reversed_arguments(sentence: Sentence, token: Token) -> tuple[list[Reached], list[Reached]]:
    """ "Y depends on X", "Y requires X", "Y is dependent on X": X acts on Y. A passive "X is required"
    keeps the usual frame ("X is required for Y")."""
    if is_passive(token) and token.lemma_ == "require":
        themes = [r for obj in prep_objects(token, ("for", "in", "to")) for r in reach_theme(sentence, obj)]
        return clause_agents(sentence, token), themes
    objects = children(token, "dobj") + prep_objects(token, ("on", "upon", "for"))
    agents = [r for obj in objects for r in reach_agent(sentence, obj)]
    if token.tag_.startswith("VB"):
        # "Y requires X": a gene; "requires vesicular acidification" names a condition, not a regulator
        agents = only_genes(agents)
    return agents, subject_themes(sentence, token)


def subject_themes(sentence: Sentence, predicate: Token) -> list[Reached]:
    """What a predicate is said of, as a theme: its subject, or the noun it modifies."""
    subjects = [antecedent(s) for s in children(predicate, *SUBJECTS, *PASSIVE_SUBJECTS)]
    if (
        not subjects
        and predicate.dep_ in ("rcmod", "partmod", "vmod", "amod")
        and predicate.head is not predicate
    ):
        subjects = [predicate.head]
    if not subjects and predicate.dep_ in ("xcomp", "conj") and predicate.head is not predicate:
        return subject_themes(sentence, predicate.head)
    return [r for subject in subjects for r in reach_theme(sentence, subject)]


def bound_genes(sentence: Sentence, word: Token, preps: tuple[str, ...]) -> list[Reached]:
    """The genes a binding word's ``preps`` objects reach: what it binds, or the gene whose site it binds
    ("at the Prf1 locus"); a place that is no gene ("at the onset of replication") is left out."""
    return only_genes(r for obj in prep_objects(word, preps) for r in reach_theme(sentence, obj))


def only_genes(found: Iterable[Reached]) -> list[Reached]:
    """The arguments reached that are gene mentions (not processes, not the context gene)."""
    return [r for r in found if r.span is not None and r.span.label_ == GENE]


def verb_arguments(sentence: Sentence, verb: Token, tc: TriggerClass) -> tuple[list[Reached], list[Reached]]:
    """Agents and themes of a verb trigger, active or passive."""
    if verb.lemma_ == "result" and (sources := prep_objects(verb, ("from",))):
        # "Y results from X", "Y activation resulted from increased expression of X": X brings Y about
        subjects = [antecedent(s) for s in children(verb, *SUBJECTS)]
        themes = [r for subject in subjects for r in amount_themes(sentence, subject, caused=True)]
        return [r for obj in sources for r in reach_agent(sentence, obj)], themes
    if is_passive(verb):
        by = prep_objects(verb, ("by",)) + [o for a in children(verb, "agent") for o in children(a, "pobj")]
        agents = [r for obj in by for r in reach_agent(sentence, obj)]
        subjects = [antecedent(s) for s in children(verb, *PASSIVE_SUBJECTS)]
        if not subjects and verb.dep_ in ("partmod", "vmod", "amod", "rcmod"):
            subjects = [verb.head]  # "genes regulated by X"
        if not subjects and verb.dep_ == "conj":
            # "Y was diminished by Z and yet was maintained by X": the subject of the first verb
            subjects = [antecedent(s) for s in children(verb.head, *PASSIVE_SUBJECTS, *SUBJECTS)]
        # (a transparent verb raises a product: "Y expression is mediated by X"; an amount's own change is
        # the participle itself: "reduced expression of Y was found")
        themes = [
            r
            for head in subjects
            for r in (
                amount_themes(sentence, head, caused=True) if tc.transparent else reach_theme(sentence, head)
            )
        ]
        if not agents and tc.kind in (POSITIVE, NEGATIVE) and children(verb, *PASSIVE_SUBJECTS):
            # "VCAM1 was induced with IFNG", "Y was reduced with X siRNA": what the cells were treated with
            # (not "cultures, stimulated with X", where the parser may hang the participle on any noun)
            agents = only_genes(
                r for obj in prep_objects(verb, ("with",)) for r in reach_agent(sentence, obj)
            )
        if not agents and tc.kind in (BINDING, ASSOCIATION):
            # "X was co-immunoprecipitated with Y": the subject binds what the preposition names
            agents, themes = themes, []
    elif verb.lemma_ in ("increase", "decrease") and not children(verb, "dobj", "attr"):
        # "Y expression increased following X stimulation", "Y levels decreased in X-deficient mice": the
        # subject changes, and the condition is what changes it
        themes = [r for s in children(verb, *SUBJECTS) for r in reach_theme(sentence, antecedent(s))]
        agents = condition_agents(sentence, verb)
    else:
        agents = clause_agents(sentence, verb)
        # "X interferes with Y signaling"
        objects = children(verb, "dobj", "attr") + (
            prep_objects(verb, ("with",)) if verb.lemma_ == "interfere" else []
        )
        themes = [r for obj in objects for r in amount_themes(sentence, obj, caused=tc.transparent)]
    if not agents:
        agents = manner_agents(sentence, verb)
    observed = verb.head.head
    if not agents and verb.dep_ == "amod" and observed.lemma_ in OBSERVING and observed is not verb.head:
        # "Reduced expression of Y was found after X knockdown", "we observed increased Y in X-null mice"
        agents = condition_agents(sentence, observed)
    agents += co_agents(sentence, verb)
    if tc.kind in (POSITIVE, NEGATIVE, UNSIGNED):
        agents += means_genes(sentence, verb)
    # "recruits X to the Y promoter" says where X goes, not what is bound
    if verb.lemma_ != "recruit" and (
        tc.kind in (BINDING, ASSOCIATION, PARTICIPATION) or verb.lemma_ in ("lead", "result", "contribute")
    ):
        preps = (*THEME_PREPS.get(tc.kind, ()), "to", "in")
        objects = prep_objects(verb, preps)
        if tc.kind == BINDING:  # "complexing with E2A in up-regulation of Y" binds no Y
            objects = [o for o in objects if not (o.head.lower_ == "in" and is_event_noun(o))]
        if verb.lemma_ in ("lead", "result"):
            # "leads to activation of Y", "results in Y", "results in increased Y levels", "leads to the
            # production of Y": an event or a gene, not any outcome ("leads to several disorders", "results
            # in a frameshift")
            objects = [
                o
                for o in [x for obj in objects for x in (obj, *obj.conjuncts)]
                if trigger_class(o) is not None
                or sentence.gene_at(o)
                or amount_sign(o)
                or o.lemma_.lower() in PRODUCTION
            ]
        # "contributes to the expression of Y": to making Y
        caused = tc.transparent or verb.lemma_ == "contribute"
        themes += [r for obj in objects for r in amount_themes(sentence, obj, caused=caused)]
        if tc.kind == BINDING:  # the gene whose site is bound: "bind at the Prf1 locus", "on the Y promoter"
            themes += bound_genes(sentence, verb, PLACE_PREPS)
    if not themes and not is_passive(verb):
        themes = [r for obj in shared_objects(verb, tc) for r in reach_theme(sentence, obj)]
    if verb.lemma_ == "direct":
        # "X directs expression of Y", not "directs Y to the nucleus" nor "antibodies directed against Y"
        themes = [r for r in themes if r.hops]
    return agents, themes


def means_genes(sentence: Sentence, verb: Token) -> list[Reached]:
    """A gene a change goes through: "Y is activated via X", "X inhibits Y through SOCS3" (the mediator
    acts on Y too; an event as the means, "through inhibition of Z", is read by the event noun)."""
    # (the parser often hangs the means on the object: "increased Y expression through X")
    said = [verb, *children(verb, "dobj")]
    means = [obj for word in said for obj in prep_objects(word, ("through", "via")) if not is_event_noun(obj)]
    return only_genes(r for obj in means for r in reach_agent(sentence, obj))


def amount_sign(noun: Token) -> int:
    """The change an amount of a gene product is said to undergo: "increased expression" +1, "reduced
    levels" -1; 0 for no amount or no change."""
    if noun.lemma_.lower() not in CONTAINERS:
        return 0
    kinds = {trigger_kind(a) for a in children(noun, "amod")}
    return -1 if NEGATIVE in kinds else 1 if POSITIVE in kinds else 0


def amount_themes(sentence: Sentence, obj: Token, *, caused: bool = False) -> list[Reached]:
    """A verb's theme with the sign of the change its amount undergoes: "X causes reduced levels of Y";
    ``caused``: what brings a product about raises it ("X leads to the production of Y")."""
    sign = amount_sign(obj) or int(caused and obj.lemma_.lower() in PRODUCTION)
    found = reach_theme(sentence, obj)
    # (the change is an event on Y, as "increase of Y" is: one step more)
    return [Reached(r.span, r.sign * sign, r.hops + 1) for r in found] if sign else found


def shared_objects(verb: Token, tc: TriggerClass) -> list[Token]:
    """ "X binds to and inhibits Y", "X inhibits and binds to Y": a verb that leaves its object unsaid
    shares that of the verb coordinated after it, when that verb shares its subject too. An unsigned verb
    adds nothing to a signed one: "X phosphorylates and activates Y" is one positive relation."""
    if children(verb, "dobj") or any(children(prep, "pobj", "pcomp") for prep in children(verb, "prep")):
        return []
    for conj in children(verb, "conj"):
        if conj.i > verb.i and conj.tag_.startswith("VB") and not children(conj, *SUBJECTS):
            if tc.kind == UNSIGNED and trigger_kind(conj) in (POSITIVE, NEGATIVE):
                return []
            return verb_object(conj)
    return []


def verb_object(verb: Token) -> list[Token]:
    """A verb's object: its direct object, or that of the preposition right after it ("binds to Y")."""
    return children(verb, "dobj") or [
        o for p in children(verb, "prep") if p.i == verb.i + 1 for o in children(p, "pobj")
    ]


def coordinated_antecedent(pronoun: Token) -> list[Token]:
    """What "it" or "its" stands for in the second of two verbs that share a subject: the first verb's
    object ("X binds Y and promotes its degradation", "X binds to Y and stabilizes it"). Not "its own"."""
    if pronoun.lower_ not in ("it", "its", "they", "them", "their") or any(
        c.lower_ == "own" for c in pronoun.head.children
    ):
        return []
    verb = pronoun.head
    while not verb.tag_.startswith("VB") and verb.head is not verb and verb.i > verb.head.i:
        verb = verb.head
    first = verb.head
    # "X binds to the Y promoter to activate its transcription": an infinitive of purpose as a second verb
    purpose = verb.dep_ in ("xcomp", "advcl") and any(c.lower_ == "to" for c in children(verb, "aux"))
    if (
        (verb.dep_ != "conj" and not purpose)
        or not first.tag_.startswith("VB")
        or is_passive(first)
        or children(verb, *SUBJECTS)
    ):
        return []  # "X is phosphorylated by Y and loses its activity": its is X's
    return verb_object(first)


def manner_agents(sentence: Sentence, verb: Token) -> list[Reached]:
    """The gene a manner or a condition names, where the clause names no agent: "Y is activated in an
    X-dependent manner", "in a X-mediated fashion", "Y was reduced in the absence of X"."""
    return [
        r
        for noun in prep_objects(verb, ("in",))
        if noun.lemma_.lower() in MANNER_NOUNS
        for adjective in children(noun, "amod")
        if adjective.lower_.lstrip("-") in ("dependent", "mediated")
        for word in children(adjective, "npadvmod", "nn", "dep") + children(noun, "nn")
        for r in reach_agent(sentence, word)
    ] + condition_agents(sentence, verb)


def condition_agents(sentence: Sentence, verb: Token) -> list[Reached]:
    """ "Y was reduced in the absence of X" or "in X-deficient mice": X with its sign turned round; "in
    the presence of X", "upon X stimulation", "after treatment with X", "in response to X": X."""
    within = prep_objects(verb, ("in",))
    found = [r for noun in within if noun.lemma_.lower() in CONDITIONS for r in reach_agent(sentence, noun)]
    # "Y was reduced in X-deficient mice", "in cells lacking X", "in X-overexpressing cells", "in the X
    # transgenic lenses"; not "in CD4 cells", a cell type
    found += [r for noun in within for r in model_genes(sentence, noun) if explicit_model(noun, r)]
    found += [
        r
        for noun in prep_objects(verb, ("upon", "after", "following"))
        # "after treatment with X", "upon X stimulation", "after X knockdown", "upon X overexpression"
        if noun.lemma_.lower() in TREATMENTS or noun.lemma_.lower() in GENE_STANDINS
        for r in reach_agent(sentence, noun)
    ]
    found += [r for obj in response_stimuli(verb, ("pobj", "dep")) for r in reach_agent(sentence, obj)]
    # The parser may hang "of X" on the verb and the condition on "of": "in/dep the absence/dep of X".
    for prep in children(verb, "prep"):
        for noun in children(prep, "dep") if prep.lower_ == "of" else []:
            if noun.lemma_.lower() in CONDITIONS:
                sign = -1 if noun.lemma_.lower() in AGENT_NEGATORS else 1
                found += [
                    Reached(r.span, r.sign * sign, r.hops + 1)
                    for obj in children(prep, "pobj")
                    for r in reach_agent(sentence, obj)
                ]
    return found


def response_stimuli(word: Token, heads: tuple[str, ...] = ("pobj", "pcomp")) -> list[Token]:
    """What a word's "in response to" names: "JNK activation in response to CD40 engagement". After a
    verb the parser may take "in response to" for one word, hanging "response" on "in" as a dep
    (``heads``: how "response" may hang on "in")."""
    return [
        obj
        for prep in children(word, "prep")
        if prep.lower_ == "in"
        for noun in children(prep, *heads)
        if noun.lemma_ == "response"
        for obj in prep_objects(noun, ("to",))
    ]


def co_agents(sentence: Sentence, verb: Token) -> list[Reached]:
    """Agents that act together with the subject: "in cooperation with X", "together with X"."""
    partners = [
        obj
        for noun in prep_objects(verb, ("in",))
        if noun.lemma_ in COOPERATION
        for obj in prep_objects(noun, ("with",))
    ]
    partners += [
        obj
        for adv in children(verb, "advmod")
        if adv.lower_ == "together"
        for obj in prep_objects(adv, ("with",))
    ]
    partners += [
        obj for obj in prep_objects(verb, ("with",)) if any(c.lower_ == "together" for c in obj.head.children)
    ]
    if verb.dep_ == "xcomp" and verb.head.lemma_ in COOPERATING:
        # "X cooperates with Z to activate Y"; but in "X interacts with Z to inhibit Z activity" Z is acted on
        acted_on = sentence.names_in(
            t for x in children(verb.head, "xcomp") for o in children(x, "dobj") for t in o.subtree
        )
        partners += [
            o for o in prep_objects(verb.head, ("with",)) if not sentence.names_in(o.subtree) & acted_on
        ]
    return [Reached(r.span, r.sign, r.hops + 1) for obj in partners for r in reach_agent(sentence, obj)]


def clause_agents(sentence: Sentence, predicate: Token) -> list[Reached]:
    """The agent of a verb or adjective: its subject, or the subject it shares with a governing clause."""
    subjects = children(predicate, *SUBJECTS, *PASSIVE_SUBJECTS)
    if subjects:
        return [r for s in subjects for r in reach_agent(sentence, antecedent(s))]
    head = predicate.head
    if head is predicate:
        return []
    if predicate.dep_ == "conj" and children(head, "cop") and children(head, *SUBJECTS):
        # "X is a kinase ... and has been implicated in P": the copula's subject ("X is thought to be
        # localized in M and involved in P": the raising verb's, below)
        return [r for s in children(head, *SUBJECTS) for r in reach_agent(sentence, antecedent(s))]
    if predicate.dep_ in ("xcomp", "conj", "advcl", "dep", "ccomp") and head.tag_[:2] in (
        "VB",
        "JJ",
        "MD",
    ):
        return clause_agents(sentence, head)
    if predicate.dep_ in ("rcmod", "partmod", "vmod", "infmod", "amod"):
        found = reach_agent(sentence, head)
        if not found and predicate.dep_ == "infmod" and head.dep_ == "dobj":
            # "X provides a costimulus to induce Y", "X uses a mechanism to repress Y": who has it acts
            found = clause_agents(sentence, head.head)
        return found
    if predicate.dep_ == "pcomp" and head.head is not head:
        governor = head.head
        if governor.tag_.startswith("NN"):
            return nominal_agents(sentence, governor)
        return clause_agents(sentence, governor)
    return []


def mutation_sign(token: Token) -> int:
    """How a mutation turns its gene's role: round for a loss of function, kept for a gain, and unsigned
    where no modifier says which."""
    said = {child.lower_ for child in children(token, "amod", "nn")}
    return -1 if said & LOST else 1 if said & GAINED else 0


def antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for ("a repressor that ..." -> "repressor")."""
    if token.lower_ in RELATIVE_PRONOUNS:
        node = token.head
        while node.dep_ not in ("rcmod", "ROOT") and node.head is not node:
            node = node.head
        if node.dep_ == "rcmod":
            return node.head
    return token


def reach_agent(sentence: Sentence, token: Token, depth: int = 0) -> list[Reached]:
    """Mentions an agent phrase names: the mention itself, its conjuncts, the gene behind
    "knockdown of X" (sign flipped) or "activation of X", or what a noun is said to be
    ("PRDM1 is a repressor", "JUNB, an activator")."""
    if depth > MAX_DEPTH:
        return []
    found: list[Reached] = []
    mention = sentence.mention_at(token)
    lemma = token.lemma_.lower()
    negator = lemma in AGENT_NEGATORS or token.lower_ in AGENT_NEGATORS
    if lemma in INHIBITORS and (
        token.dep_ not in ("nsubj", "nsubjpass", "pobj")
        or any(sentence.gene_at(c) for c in token.rights if c.dep_ in ("appos", "dep", "nn"))
    ):
        # "X inhibitors block Y", "by/in the presence of X inhibitors"; but "the CDK inhibitor p21 blocks Y"
        # names p21, and "(an X inhibitor)" beside a drug's name says what the drug is
        negator = False
    mutation = token.lower_ in MUTATIONS
    # "BRAF V600E activates MEK1", "the BRAF V600E mutant": a variant of a gene acts as that gene
    keeper = negator or mutation or lemma in AGENT_KEEPERS or PROTEIN_CHANGE.match(token.text) is not None
    # "Overexpression of X increased Y": a process named by such a word alone ("gene expression") stands
    # for the gene it is of, as the word does where it names no process.
    if keeper and (
        mention is None or (mention.label_ == PROCESS and (len(mention) == 1 or names_gene(sentence, token)))
    ):
        sign = mutation_sign(token) if mutation else -1 if negator else 1
        # "suppressed expression of X" turns X's role around as "knockdown of X" does
        if not mutation and any(trigger_kind(m) == NEGATIVE for m in children(token, "amod")):
            sign = -sign
        # A process read inside a word splits it ("Over|expression"); the parser may hang "of X" or "X" on
        # the glued piece.
        glued = [t for t in token.children if t.i == token.i - 1 and not t.whitespace_]
        for inner in [
            owner
            for word in (token, *glued)
            for owner in children(word, "nn", "poss", "amod")
            + prep_objects(
                word, ("of", "by", "against", "for", TREATMENTS.get(lemma, "in" if mutation else "of"))
            )
        ]:
            found.extend(
                Reached(r.span, r.sign * sign, r.hops + 1) for r in reach_agent(sentence, inner, depth + 1)
            )
    if mention is not None and not found:
        found += [Reached(m, 1) for m in named_genes(sentence, mention)]
    elif keeper:
        pass  # the gene a knockdown or an activation is of, if any, found above
    elif genes := [r for r in model_genes(sentence, token) if lemma in MODELS or explicit_model(token, r)]:
        found.extend(genes)  # "Pten-null mice", "the MLFs infected with BACH1 siRNA"
    elif lemma in COMPLEXES and (members := named_members(sentence, token)):
        found.extend(members)  # "the SMAD3-SMAD4 complex activates Y": each member
    elif lemma in COMPLEXES and (
        members := [r for o in prep_objects(token, ("of",)) for r in reach_agent(sentence, o)]
    ):
        found.extend(members)  # "the complex of CDK4 and CCND1 phosphorylates Y"
    elif token.tag_.startswith("NN") or token.tag_ in ("PRP", "DT"):
        # "X are short RNAs that ...": the parser may hang the copula and subject on the adjective.
        copular = [token, *(a for a in children(token, "amod") if children(a, "cop"))]
        subjects = [s for c in copular if children(c, "cop") for s in children(c, *SUBJECTS)]
        for other in subjects + children(token, "appos"):
            found.extend(reach_agent(sentence, other, depth + 1))
        if token.dep_ == "appos":
            found.extend(reach_agent(sentence, token.head, depth + 1))
        if token.dep_ == "pobj" and token.head.lower_ == "as" and token.head.head.tag_.startswith("VB"):
            found.extend(clause_agents(sentence, token.head.head))
        for inner in owner_phrases(token, lemma):
            found.extend(reach_agent(sentence, inner, depth + 1))
        # "a component of a complex involved in P": what a complex does, its subunits do (as GO annotates
        # them)
        part = token.head.head
        if (
            lemma in WHOLES
            and token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and part.lemma_.lower() in PARTS
        ):
            own = sentence.mention_at(part)
            if own is not None and own.label_ == GENE:  # "encodes a subunit of the X complex, which ..."
                found.append(Reached(own, 1))
            elif children(part, "cop"):
                found.extend(clause_agents(sentence, part))
        # "four proteins (PRP5, PRP9, ...)", "PARPs, such as X"; a family by its own name: "Connexins, such
        # as GJB7, ..."
        if lemma in CLASS_NOUNS or is_class_noun(lemma):
            for inner in children(token, "dep", "appos") + prep_objects(token, ("as", "including")):
                found.extend(reach_agent(sentence, inner, depth + 1))
        elif token.tag_ == "NNS":
            for inner in examples(token):
                found.extend(reach_agent(sentence, inner, depth + 1))
        if not found and is_class_noun(lemma) and lemma not in LIGAND_NAMED:
            # "phosphorylated by insulin receptor tyrosine kinase", "the RAF1 kinase": the gene the class noun
            # is named by (not a receptor: "the EGF receptor" is no EGF)
            found.extend(
                Reached(m, 1)
                for c in children(token, "nn")
                if (m := sentence.mention_at(c)) is not None and m.label_ == GENE and token not in m
            )
        member = group_member(token)
        if member is not None and not found:
            # "X is a member of a family of proteins that negatively regulate P": what the family does, its
            # member does (as "Members of this family regulate P" says of the context gene)
            found.extend(
                reach_agent(sentence, member, depth + 1)
                if member.tag_.startswith("NN")
                else clause_agents(sentence, member)
            )
    for conj in children(token, "conj"):
        found.extend(reach_agent(sentence, conj, depth + 1))
    return found


def owner_phrases(noun: Token, lemma: str) -> list[Token]:
    """The words that say whose a noun is, where the noun stands for its owner as an agent: "expression of
    X", "X levels", "the SH3 domain of X", "treatment with X", "the ability of X to" or "its ability to"."""
    if lemma in CONTAINERS:
        return children(noun, "nn") + prep_objects(noun, ("of",))
    if lemma in PROTEIN_PARTS:
        return prep_objects(noun, ("of",))
    if lemma in TREATMENTS:  # "treatment with X", "X treatment"
        return children(noun, "nn") + prep_objects(noun, (TREATMENTS[lemma],))
    if lemma in ABILITIES:
        # "X has the ability to induce Y"
        had = children(noun.head, *SUBJECTS) if noun.dep_ == "dobj" and noun.head.lemma_ == "have" else []
        owners = children(noun, "poss")
        if any(owner.tag_ == "PRP$" for owner in owners):
            owners += clause_subjects(noun)  # "X and Y were nonredundant in their ability to induce Z"
        return owners + prep_objects(noun, ("of",)) + had
    return []


def clause_subjects(noun: Token) -> list[Token]:
    """The subject of the clause a noun is the object of, directly or through prepositions: whom "their"
    in "X and Y differ in their ability to bind Z" or "X retains its capacity to induce Z" stands for."""
    head = noun
    while head.dep_ in ("pobj", "prep", "dobj") and head.head is not head:
        head = head.head
        if subjects := children(head, *SUBJECTS, *PASSIVE_SUBJECTS):
            return subjects
    return []


# Binding events whose partners another gene acts on when it acts on the event.
BINDING_EVENTS = frozenset({"binding", "interaction"})
# Binding nouns that name one partner of the other: "a receptor for Y", "X is a ligand of Y".
PARTNERS = frozenset(
    {"receptor", "coreceptor", "co-receptor", "counter-receptor", "counterreceptor", "ligand"}
)
# Binding nouns that take the partner with "for": "a receptor for Y", "X's affinity for Y".
FOR_PARTNERS = PARTNERS | {"affinity"}
# Class nouns a ligand's name may modify ("the EGF receptor", "the insulin binding protein").
LIGAND_NAMED = frozenset({"receptor", "receptors", "protein", "proteins", "ligand", "antibody", "inhibitor"})
# Nouns that name a group of genes, and the words that put one gene in it.
GROUP_NOUNS = frozenset({"family", "superfamily", "subfamily", "group", "class"})
MEMBERSHIP_WORDS = frozenset({"member", "one", "belong"})


def group_member(noun: Token) -> Token | None:
    """The word that puts a gene in the group ``noun`` names: "member" in "a member of a family (of
    proteins)", "one of a group of enzymes", "belongs" in "belongs to a family of kinases"; else None."""
    group = noun
    if noun.lemma_.lower() not in GROUP_NOUNS and noun.dep_ == "pobj" and noun.head.lower_ == "of":
        group = noun.head.head
    if (
        group.lemma_.lower() not in GROUP_NOUNS
        or group.dep_ != "pobj"
        or group.head.lower_ not in ("of", "to")
    ):
        return None
    word = group.head.head
    return word if word.lemma_.lower() in MEMBERSHIP_WORDS else None


def model_genes(sentence: Sentence, noun: Token) -> list[Reached]:
    """The genes a model is named by, with the sign of what was done to them: "Pten knockout mice",
    "IL2-deficient mice" (-1), "cells overexpressing X" (+1)."""
    found: list[Reached] = []
    modifiers = children(noun, "nn", "amod", "compound", "npadvmod", "partmod", "vmod", "rcmod")
    negated = any(m.text.lstrip("-").lower() in MODEL_NEGATORS for m in modifiers)
    for modifier in modifiers:
        inner = [modifier, *children(modifier, "nn", "npadvmod", "amod", "dobj")]
        # "cells transfected with X siRNA"
        inner += prep_objects(modifier, ("with",)) if modifier.dep_ in ("partmod", "vmod") else []
        # "cells over|expressing MYC", "RELA-over|expressing cells": the split word keeps the gene one down
        inner += [t for word in inner[1:] for t in children(word, "nn", "npadvmod", "dobj")]
        # "RUNX3-/- T cells": the parser hangs "-/-" on the gene as punctuation
        marks = [t.text for t in children(modifier, "punct")]
        negated = (
            negated or "-/-" in marks or any(t.text.lstrip("-").lower() in MODEL_NEGATORS for t in inner)
        )
        for token in inner:
            mention = sentence.mention_at(token)
            if mention is not None and mention.label_ == GENE and not is_marker(mention):
                found.append(Reached(mention, 1))
    return [Reached(r.span, -1 if negated else 1, 1) for r in found]


def explicit_model(noun: Token, gene: Reached) -> bool:
    """A model that says what was done to its gene: lost ("-deficient", "siRNA") or raised."""
    return gene.sign < 0 or MODEL_GAINS.search(noun.doc[noun.left_edge.i : noun.i].text.lower()) is not None


def is_marker(mention: Span) -> bool:
    """A gene that marks a cell type ("CD4+ CD25+ regulatory T cells", "CD25(-) cells"), not a model of it."""
    after = [t.text for t in mention.doc[mention.end : mention.end + 3]]
    return (
        mention.text.endswith("+")
        or after[:1] in (["+"], ["hi"], ["lo"], ["high"], ["low"])
        or after in (["(", "+", ")"], ["(", "-", ")"])
    )


def phenotype_trigger(token: Token) -> tuple[TriggerClass, str] | None:
    """ "X knockout mice show defective P": an adjective of change on what a model shows."""
    tc = PHENOTYPES.get(token.lower_)
    head = token.head
    if tc is None or token.dep_ != "amod" or head.dep_ not in ("dobj", "attr"):
        return None
    return (tc, "phenotype") if head.head.lemma_.lower() in SHOW_VERBS else None


def nominal_agents(sentence: Sentence, noun: Token) -> list[Reached]:
    """Agent of an event or agent noun: by-phrase, possessor, "role for X", or what the noun names."""
    heads = prep_objects(noun, ("by",)) + children(noun, "poss")
    # "the encoded protein's functions": the parser hangs a possessor with "'s" as a compound
    heads += [c for c in children(noun, "nn") if children(c, "possessive")]
    heads += nominal_subjects(sentence, noun)
    # "JNK activation in response to CD40 engagement": the stimulus is the agent.
    heads += response_stimuli(noun)
    # (a title's first word is capitalised: "Role of X in ...")
    lemma = noun.lemma_.lower()
    if lemma in ("role", "function") or lemma in TARGETS:
        heads += prep_objects(noun, ("for", "of"))
    if lemma == "involvement" or (lemma in EFFECTS and prep_objects(noun, ("on",))):
        heads += prep_objects(noun, ("of",))  # "Involvement of X in activation of Y", "the effect of X on Y"
    if lemma == "function":
        # "This transcription factor functions in P" parsed as a compound noun "... factor functions", or
        # "This gene functions in P" as a noun with a subject.
        heads += [c for c in children(noun, "nn", "nsubj") if sentence.mention_at(c) is not None]
    found = [r for head in heads for r in reach_agent(sentence, head)]
    if not found and is_event_noun(noun):
        # "activation of IL3 following CD2 stimulation", "reduction of Y in the absence of X"
        found = condition_agents(sentence, noun)
    if found:
        return found
    prep = noun.head
    if trigger_kind(noun) == BINDING:
        first = first_conjunct(noun)
        if first.dep_ == "pobj" and first.head.lower_ == "as" and first.head.head.tag_.startswith("VB"):
            return clause_agents(sentence, first.head.head)  # "X binds DNA as a heterodimer with Y"
        if takes_part_in_binding(sentence, noun):
            # "X is implicated in the binding to Y": X takes part in binding Y, so binds it
            return clause_agents(sentence, prep.head)
    if (
        noun.dep_ == "pobj"
        and prep.lower_ in ("through", "via", "by")
        and prep.head.tag_.startswith("VB")
        and not (prep.lower_ == "by" and is_passive(prep.head) and trigger_kind(noun) != BINDING)
    ):
        # "X suppresses Y through regulation of Z": X is the agent of the means too, as X binds in "X is
        # activated by binding of Z" (but "Y was blocked by inhibition of Z" makes Z the agent, not Y; and in
        # "induction of Y is mediated by binding of Z" an event, not Y, is what Z's binding brings about).
        found = clause_agents(sentence, prep.head)
        if prep.lower_ == "by":
            subjects = children(prep.head, *PASSIVE_SUBJECTS)
            found = [r for r in found if any(r.span is not None and s in r.span for s in subjects)]
        return found
    tc = NOUNS.get(lemma)
    agent_noun = lemma in PARTNERS or (lemma.endswith(("or", "ant", "er", "ist")) and lemma not in DIMERS)
    if tc is not None and agent_noun:
        # An agent noun ("activator", "repressor") names its own agent: "X is an activator of Y".
        return identity_agents(sentence, noun)
    # "X had similar effects on Y, but no effect on Z": the parse may join the second noun to the verb
    lent = noun.dep_ == "dobj" or (noun.dep_ == "conj" and noun.head.tag_.startswith("VB"))
    if lent and noun.head.lemma_ in LIGHT_VERBS:
        if noun.head.lemma_ != "have" and shows_its_own(sentence, noun.head):
            return []  # "This gene shows an increase in expression": its own
        return clause_agents(sentence, noun.head)
    return []


def first_conjunct(token: Token) -> Token:
    """The first of the words coordinated with ``token`` (itself when it is no conjunct)."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def takes_part_in_binding(sentence: Sentence, noun: Token) -> bool:
    """Whether a binding noun is governed with "in" by a verb or adjective of taking part and names one
    partner ("X is involved in the binding of / to Y"; but in "X is involved in the binding of Y to Z" X
    regulates)."""
    governor = noun.head.head
    of_gene = any(sentence.gene_at(o) for o in prep_objects(noun, ("of",)))
    to_gene = any(sentence.gene_at(o) for o in prep_objects(noun, ("to", "with")))
    return (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "in"
        and trigger_kind(governor) == PARTICIPATION
        and not governor.tag_.startswith("NN")
        and of_gene != to_gene
    )


def nominal_subjects(sentence: Sentence, noun: Token) -> list[Token]:
    """The gene named before an event noun that names its theme with "of": "RAF1 activation of MAP2K1",
    "PKA phosphorylation of CREB" (but "X phosphorylation of serine 473" is X's own)."""
    if trigger_kind(noun) in (BINDING, ASSOCIATION, PARTICIPATION) or not any(
        sentence.mention_at(t) is not None for o in prep_objects(noun, ("of",)) for t in o.subtree
    ):
        return []
    return [c for c in children(noun, "nn") if (m := sentence.mention_at(c)) is not None and m.label_ == GENE]


def shows_its_own(sentence: Sentence, verb: Token) -> bool:
    """A gene that "shows", "exhibits" or "has" a change shows its own ("This gene exhibits elevated
    expression levels in cancers"), unlike a model of it ("X knockout mice show defective P")."""
    return verb.lemma_.lower() in SHOW_VERBS and any(
        (m := sentence.mention_at(s)) is not None and m.label_ == GENE and m.root == s
        for s in children(verb, *SUBJECTS)
    )


def identity_agents(sentence: Sentence, noun: Token) -> list[Reached]:
    found: list[Reached] = []
    if children(noun, "cop") or (noun.dep_ == "conj" and children(noun.head, "cop")):
        # "X is a transcription factor", "X is thought to be a ...", "X is a receptor and regulator"
        found += clause_agents(sentence, noun)
    if noun.dep_ == "appos":
        found += reach_agent(sentence, noun.head)
    if (
        noun.dep_ in ("dobj", "attr")
        and noun.head.lemma_ in ("be", "act", "function", "serve", "become", "encode")
        # "acts to integrate signals from ATM and ATR, two cell cycle proteins": an apposition the parse
        # hung on the verb
        and not any(t.text == "," for t in noun.doc[noun.head.i : noun.i])
    ):
        found += clause_agents(sentence, noun.head)
    if noun.dep_ == "pobj" and noun.head.lower_ == "as":
        found += clause_agents(sentence, noun.head.head)
    if noun.dep_ == "advcl" and any(c.lower_ == "as" for c in children(noun, "mark")):
        found += clause_agents(sentence, noun.head)  # "X can function as an activator of Y" (as a clause)
    if noun.dep_ == "conj" and not found and noun.head.tag_.startswith("NN"):
        found += identity_agents(sentence, noun.head)  # "as both an activator of Y and a repressor of Z"
    # "the CDK inhibitors CDKN1A and CDKN1B": the genes the noun names after it
    found += [r for c in named_after(sentence, noun) for r in reach_agent(sentence, c)]
    return found


def named_after(sentence: Sentence, noun: Token) -> list[Token]:
    """The genes a class or agent noun names right after it: "the CDK inhibitors CDKN1A and CDKN1B"."""
    return [c for c in children(noun, "dep", "appos") if c.i > noun.i and sentence.gene_at(c)]


def identity_arguments(sentence: Sentence, noun: Token) -> tuple[list[Reached], list[Reached]]:
    """What a gene is said to be, as its processes: "X is a glycolytic enzyme", "X, a DNA repair
    protein", "encodes a key enzyme in cholesterol biosynthesis", "functions as a transcription factor".

    The agents are the genes the noun stands for (the mention it heads, or the subject of its copula,
    the noun it is in apposition to, the subject of "act/function/serve as"); the themes are the
    process mentions among its modifiers, and for a part noun ("enzyme", "component", "step") its
    "in"/"of" objects. A modifier of trigger words alone ("a secreted protein") is no theme.
    """
    lemma = noun.lemma_.lower()
    # A subject names its gene ("The olfactory receptor proteins are ..."); what it is said to be is
    # in the predicate.
    # (a predicate noun the parser made the subject of the next verb keeps its copula: "It is the enzyme in
    # P, hence plays ...")
    if not (is_class_noun(lemma) or lemma in PART_NOUNS) or (
        noun.dep_ in SUBJECTS and not children(noun, "cop")
    ):
        return [], []
    themes = []
    for child in children(noun, "amod", "nn"):
        mention = sentence.mention_at(child)
        if mention is None or noun in mention:
            # "a transcription factor", "a cell adhesion molecule": a process written as a relation's word
            # or seldom annotated; its noun phrase may be the gene's own ("encodes a transcription factor").
            candidate = sentence.candidates.get(child.i)
            mention = (
                candidate if candidate is not None and is_process_use(sentence, candidate, noun) else None
            )
        # (a process inside a gene's name, "T cell growth factor", was never made a mention)
        if (
            mention is not None
            and mention.label_ == PROCESS
            and mention.kb_id_ not in GENERAL_PROCESSES
            and (lemma in IDENTITY_CLASSES or not trigger_words_only(mention))  # "an expression vector"
            # "a secreted protein", also where the participle is tagged an adjective: what is done to it
            and not (
                mention.root.tag_.startswith("VB")
                or (len(mention) == 1 and mention.root.lower_.endswith("ed"))
            )
        ):
            themes.append(Reached(mention, 1))
    if noun.lemma_.lower() in PART_NOUNS:
        themes += [
            r
            for o in prep_objects(noun, ("in", "of"))
            for r in reach_theme(sentence, o)
            if r.span is not None and r.span.label_ == PROCESS
        ]
    if not themes:
        return [], []
    own = sentence.mention_at(noun)
    agents = [Reached(own, 1)] if own is not None and own.label_ == GENE else identity_agents(sentence, noun)
    return agents, themes


def shared_of(noun: Token) -> list[Token]:
    """What the nouns coordinated with ``noun`` are "of", where it has no "of" and no modifier of its own:
    "the ubiquitination and degradation of Y", "the phosphorylation and nuclear translocation of Y"."""
    if prep_objects(noun, ("of",)) or children(noun, "nn", "poss"):
        return []
    partners = ([noun.head] if noun.dep_ == "conj" else []) + children(noun, "conj")
    return [o for p in partners if p.tag_.startswith("NN") for o in prep_objects(p, ("of",))]


def nominal_themes(sentence: Sentence, noun: Token, tc: TriggerClass, depth: int = 0) -> list[Reached]:
    """Theme of an event or agent noun: "activation of X", "X activation", "effect on X", "role in X".
    ``depth`` is how deep the walk already is (the walk may go up the tree as well as down)."""
    lemma = noun.lemma_.lower()
    if tc.kind == PARTICIPATION:
        preps: tuple[str, ...] = (
            ("in", "during", "for") if lemma not in ("role", "function") else ("in", "during")
        )
        return [r for o in prep_objects(noun, preps) for r in reach_theme(sentence, o, depth)]
    if tc.kind in (BINDING, ASSOCIATION):
        # "a receptor for Y", "a ligand for Y"
        objects = prep_objects(
            noun, ("of", "with", "to", "between", *(("for",) if lemma in FOR_PARTNERS else ()))
        )
        said = lemma in PARTNERS and (
            noun.dep_ in ("appos", "attr")
            or children(noun, "cop")
            or any(c.left_edge.i == noun.i + 1 for c in named_after(sentence, noun))
        )
        if said and sentence.mention_at(noun) is None:
            # "X is the major VWF receptor", "X, the VWF receptor", "the NRG1 receptors ERBB3 and ERBB4":
            # the partner named before it (where the phrase is no gene's name); not "integrin receptors",
            # receptors of a kind
            objects += [c for c in children(noun, "nn") if sentence.gene_at(c)]
        return [r for o in objects for r in reach_theme(sentence, o, depth)]
    if lemma == "effect":
        return [r for head in prep_objects(noun, ("on",)) for r in reach_theme(sentence, head, depth)]
    agents = nominal_subjects(sentence, noun)
    heads = prep_objects(noun, ("of", "on")) + [
        c for c in children(noun, "nn") if sentence.mention_at(c) and c not in agents
    ]
    heads = heads or shared_of(noun)
    if not heads:  # "X binds Y and promotes its degradation"
        heads = [a for p in children(noun, "poss") for a in coordinated_antecedent(p)]
    found = [r for head in heads for r in reach_theme(sentence, head, depth)]
    # "an increase in X", "a requirement for X"; but "induction of X in late embryogenesis" is X's, in a
    # time or place.
    return found or [
        r for head in prep_objects(noun, ("in", "for", "to")) for r in reach_theme(sentence, head, depth)
    ]


def regulates_event(noun: Token) -> bool:
    """Whether the word that governs an event noun regulates the event: "inhibits the binding",
    "inhibition of the binding"."""
    head = noun.head.head if noun.dep_ == "pobj" else noun.head
    return head is not noun and trigger_kind(head) in (POSITIVE, NEGATIVE, UNSIGNED)


def reach_theme(sentence: Sentence, token: Token, depth: int = 0) -> list[Reached]:
    """Mentions a theme phrase names, through containers ("expression of X", "the X promoter"),
    class nouns ("genes such as X") and event nouns whose sign they pick up ("inhibition of X")."""
    if depth > MAX_DEPTH:
        return []
    found: list[Reached] = []
    mention = sentence.mention_at(token)
    lemma = token.lemma_.lower()
    nominal = trigger_class(token) if token.tag_.startswith("NN") else None
    tc = nominal[0] if nominal else None
    bare = None
    if (
        mention is not None
        and mention.label_ == PROCESS
        and (tc is not None or lemma in CONTAINERS)
        and (names_gene(sentence, token) or trigger_words_only(mention))
    ):
        # "STAT5B phosphorylation", "IL2 expression": an event on a gene, not the process; "regulation
        # of X": the event on X, and the bare process only when it names nothing.
        bare, mention = mention, None
    verb = trigger_class(token) if token.tag_.startswith("VB") and token.dep_ in ("pcomp", "pobj") else None
    if verb is not None and (mention is None or trigger_words_only(mention)):
        # "a role in regulating Y", "required for promoting Y": the gerund's own themes, with its sign.
        sign = signed(verb[0], token)
        objects = children(token, "dobj")
        return [
            Reached(r.span, r.sign * sign, r.hops + 1)
            for o in objects
            for r in reach_theme(sentence, o, depth + 1)
        ]
    if token.tag_ in ("PRP", "PRP$") and (objects := coordinated_antecedent(token)):
        # "binds to the Y promoter and represses its transcription", "deubiquitinates Y and stabilizes it":
        # Y, also where the context gene could be meant
        for obj in objects:
            found.extend(reach_theme(sentence, obj, depth + 1))
    elif is_compound_part(token) or (mention is not None and is_compound_part(mention[-1])):
        pass  # "IL2-induced", "IL7-", "activator protein-1-binding": a compound's agent, not a theme
    elif mention is not None:
        found += [Reached(m, 1) for m in named_genes(sentence, mention)]
        # "peripheral and central nervous system development": each conjunct's process ends on this word
        found += [
            Reached(s, 1)
            for s in sentence.by_token[token.i]
            if s.label_ == PROCESS == mention.label_
            and s.end == mention.end
            and s.start > mention.start
            and any(t.lower_ in ("and", "or") for t in token.doc[mention.start : s.start])
        ]
        if mention.label_ == PROCESS:  # "cellular processes, including cell division, adhesion, ..."
            for example in examples(token):
                found.extend(reach_theme(sentence, example, depth + 1))
    elif tc is not None and (named := named_after(sentence, token)):
        for gene in named:  # "increased levels of the CDK inhibitors CDKN1A and CDKN1B": those genes
            found.extend(reach_theme(sentence, gene, depth + 1))
    elif tc is not None and tc.kind in (POSITIVE, NEGATIVE, UNSIGNED) and lemma not in TARGETS:
        sign = signed(tc, token)
        for r in nominal_themes(sentence, token, tc, depth + 1):
            found.append(Reached(r.span, r.sign * sign, r.hops + 1))
    elif tc is not None and lemma in BINDING_EVENTS and regulates_event(token):
        # "X inhibits the binding of Y to Z", "X caused DNA binding of Y": X acts on each partner (but "X
        # is implicated in binding to Y" binds Y)
        for r in nominal_themes(sentence, token, tc, depth + 1):
            found.append(Reached(r.span, r.sign, r.hops + 1))
    elif lemma in PROCESS_CLASSES or token.lower_ in PROCESS_CLASSES:
        # "a variety of processes", "several functions, such as X and Y", "the final step in P"
        for child in prep_objects(token, ("of", "in")) + examples(token):
            found.extend(reach_theme(sentence, child, depth + 1))
        before = token.doc[max(token.i - 1, sentence.sent.start)]
        if token.lower_ == "process" and before.i < token.i and before.head == token:
            # "the cell adhesion process": the process its modifiers name
            span = sentence.mention_at(before) or next(
                (c for c in sentence.candidates.values() if c.start <= before.i < c.end), None
            )
            if span is not None and span.label_ == PROCESS:
                found.append(Reached(span, 1))
    elif lemma in COMPLEXES and (
        members := named_members(sentence, token) or complex_members(sentence, token)
    ):
        found.extend(members)  # "binds the CCNE1-CDK2 complex", "a complex of X and Y"
    elif lemma in PROTEIN_PARTS:  # "binds the SH3 domain of CRK"
        for child in prep_objects(token, ("of",)):
            found.extend(reach_theme(sentence, child, depth + 1))
    elif (
        lemma in CONTAINERS
        or lemma in CLASS_NOUNS
        or token.lower_ in CONTAINERS
        or lemma in DIMERS
        or is_class_noun(lemma)
    ):
        # "CDC25 phosphatases", "the RAF1 kinase", "cytokine genes such as IL2", "c-Rel/p65 heterodimers"
        # "IL2-specific transcripts"; but "contractile proteins", "cell cycle regulatory genes" and "SMAD
        # transcription factors" are products, not the process (whether mention or process candidate)
        product = lemma in CLASS_NOUNS or is_class_noun(lemma)
        inner = [
            c
            for c in children(token, "nn", "amod")
            if ((m := sentence.mention_at(c)) is not None or c.dep_ == "nn")
            and not (product and (m.label_ == PROCESS if m is not None else c.i in sentence.candidates))
        ]
        inner += children(token, "appos", "dep", "num", "poss") or shared_of(token)
        if lemma in DIMERS:
            inner += children(token, "npadvmod")
        inner += prep_objects(token, ("of", "in", "within", "as", "including", "like", "from"))
        if lemma in SIGNALING:  # "the de novo pathway for the biosynthesis of lipoic acid"
            inner += prep_objects(token, ("for",))
        for child in inner:
            found.extend(reach_theme(sentence, child, depth + 1))
        if not found and lemma in CLASS_NOUNS:
            # "target genes include X and Y"; "cytokine genes, such as IL2": the parser often hangs "such
            # as" higher up.
            for obj in examples(token):
                found.extend(reach_theme(sentence, obj, depth + 1))
            for ancestor in list(token.ancestors)[:3]:
                for obj in prep_objects(ancestor, ("as", "including")):
                    found.extend(reach_theme(sentence, obj, depth + 1))
    elif tc is None and mention is None and (glosses := glossed(sentence, token)):
        found += [Reached(span, 1) for span in glosses]  # "translocation of NF-kappa B (p50/p65)"
    elif tc is None and token.tag_ == "NNS":  # "induces two other markers, X and Y"
        for obj in examples(token):
            found.extend(reach_theme(sentence, obj, depth + 1))
    if bare is not None and (not found or (lemma in SIGNALING and not trigger_words_only(bare))):
        if lemma in SIGNALING:
            # "a regulator of the Wnt signalling pathway": a family names the pathway, no partner of its own
            found = [r for r in found if r.span is None or not r.span._.members]
        found.append(Reached(bare, 1))  # "involved in insulin signaling": the gene's pathway as well
    candidate = sentence.candidates.get(token.i) if not found and mention is None else None
    if candidate is not None and is_process_use(sentence, candidate):
        found.append(Reached(candidate, 1))  # "involved in signal transduction", "regulates development"
    if not found and mention is None and tc is None and token.tag_.startswith("NN"):
        # "initiate a neuronal response that triggers the perception of smell": the process what it
        # names causes (a gene there is another's target, not this one's)
        for clause in children(token, "rcmod"):
            verb = trigger_class(clause) if clause.tag_.startswith("VB") else None
            if verb is None or verb[0].kind not in (POSITIVE, NEGATIVE):
                continue
            sign = signed(verb[0], clause)
            for obj in children(clause, "dobj"):
                found += [
                    Reached(r.span, r.sign * sign, r.hops + 1)
                    for r in reach_theme(sentence, obj, depth + 1)
                    if r.span is not None and r.span.label_ == PROCESS
                ]
    if not found and mention is None and token.tag_.startswith("NN") and children(token, "cop"):
        # "ERK2 is a downstream effector that is activated by MEK1": what the noun is said of
        for subject in children(token, *SUBJECTS):
            found.extend(reach_theme(sentence, subject, depth + 1))
    if not found and mention is None and token.dep_ == "dobj":
        # "catalyzes the conversion of A to B, the first step in the X pathway": the event is a step of X
        for step in token.subtree:
            if step.dep_ == "appos" and step.lemma_.lower() in STEPS:
                for obj in prep_objects(step, ("in", "of")):
                    found += [r for r in reach_theme(sentence, obj, depth + 1) if r.span is not None]
    # The noun a compound modifies is often parsed as a loose dependent of the elided gene.
    coordinated = ("conj", "dep") if is_compound_part(token) else ("conj",)
    for conj in children(token, *coordinated):
        found.extend(reach_theme(sentence, conj, depth + 1))
    return found


def is_process_use(sentence: Sentence, candidate: Span, head: Token | None = None) -> bool:
    """Whether a process candidate is used as the process here: not "tumor growth", "the development of
    Alzheimer disease" (a disease's course), nor a phrase around another mention (but the mention of
    ``head``, the noun it modifies)."""
    around = (s for i in range(candidate.start, candidate.end) for s in sentence.by_token.get(i, ()))
    if any(head is None or head not in span for span in around):
        return False
    root = candidate.root
    if any(c.lower_ in DISEASE_WORDS for c in root.children if c.dep_ in ("nn", "amod", "compound")):
        return False
    return not any(
        not sentence.by_token.get(obj.i)
        and sentence.candidates.get(obj.i) is None
        and not CELL_NOUN_RE.fullmatch(obj.lower_)
        for obj in prep_objects(root, ("of",))
    )


def trigger_words_only(span: Span) -> bool:
    """A process mention written with trigger words alone ("expressed", "regulation", "negatively
    regulates"): a relation may read it as its trigger rather than as a process."""
    return all(
        t.is_punct or t.lower_ in SIGN_MODIFIERS or trigger_class(t) is not None or t.lower_ in CONTAINERS
        for t in span
    )


def examples(token: Token) -> list[Token]:
    """The examples a noun gives: "processes including X", "functions such as X", "activities like X"."""
    found = prep_objects(token, ("including", "like"))
    found += [
        obj
        for prep in children(token, "prep")
        if prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children)
        for obj in children(prep, "pobj")
    ]
    found += [o for a in children(token, "amod") if a.lower_ == "such" for o in prep_objects(a, ("as",))]
    subject = token
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_ in COLLECTIONS:
        subject = token.head.head  # "a set of EPO-regulated factors included X and Y"
    if subject.dep_ == "nsubj" and subject.head.lemma_ == "include":  # "target genes include X and Y"
        found += children(subject.head, "dobj")
    # "two markers, X and Y"; "the markers X and Y"; "three markers of the program: X, Y and Z"
    if token.tag_ == "NNS":
        found += children(token, "appos")
        found += [c for c in children(token, "dep") if c.i == token.i + 1 or c.nbor(-1).lower_ == ":"]
    return found


# Nouns of a collection whose "of" names what is in it: "a set of factors".
COLLECTIONS = frozenset("set list group number panel subset cluster class variety array".split())
# Nouns that place an event in a process ("the first step in X").
STEPS = frozenset({"step", "stage", "reaction"})
# Wholes whose parts do what they do, and the words for those parts.
WHOLES = frozenset(
    "complex subcomplex holoenzyme machinery assembly proteasome spliceosome ribosome exosome apoptosome "
    "inflammasome".split()
)
PARTS = frozenset("part component subunit constituent member".split())
# Words that spread what a noun lists over many ("a variety of processes including X", "numerous functions
# such as X"): a class said to do all of them is not said to do each in every member.
DIVERSE = frozenset(
    "variety range array multitude host diverse various numerous multiple several many".split()
)


def among_diverse(span: Span) -> bool:
    """Whether a mention lies in a noun phrase that spreads its items over many ("involved in a variety of
    cellular processes, including X")."""
    for noun in span.root.ancestors:
        if noun.tag_.startswith("VB") and noun.dep_ != "prep":  # "including" is no clause of its own
            return False
        if noun.lemma_.lower() in DIVERSE or any(
            c.lower_ in DIVERSE for c in noun.children if c.dep_ in ("amod", "quantmod", "num", "det")
        ):
            return True
    return False


def names_gene(sentence: Sentence, noun: Token) -> bool:
    return any(sentence.gene_at(head) for head in children(noun, "nn") + prep_objects(noun, ("of",)))


def elided(sentence: Sentence, span: Span) -> list[Span]:
    """Genes coordinated before a compound, their suffix left out: "IL7- or" before "IL2-induced"."""
    found: list[Span] = []
    text = sentence.sent.doc.text
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


def is_passive(token: Token) -> bool:
    """Whether a verb is passive. A participle with both a subject and an object is active whatever its
    tag: "X has reduced Y", and "Insulin, but not IGF1, activated AKT1" where the tagger read VBN."""
    if any(child.dep_ in ("auxpass", *PASSIVE_SUBJECTS) for child in token.children):
        return True
    if children(token, *SUBJECTS) and children(token, "dobj"):
        return False
    return token.tag_ == "VBN" and token.dep_ in ("partmod", "vmod", "amod", "rcmod", "ROOT")


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


# Words that set a conjunct apart from what is said of the others: "TNF, but not IL1B, induced".
EXCLUDING = frozenset({"not", "except", "unlike"})
# The words that may introduce a conjunct.
CONJUNCTION_WORDS = frozenset({",", "but", "and", "or", "not", "except", "unlike", "also"})


def is_excluded(span: Span, trigger: Token) -> bool:
    """Whether the text sets the mention apart from the conjuncts it is coordinated with, so that what
    ``trigger`` says of them, outside the phrase set apart, is denied of it: "TNF, but not IL1B or IL6,
    induced X", "EGF and not TGFA"."""
    phrase = excluded_phrase(span)
    return phrase is not None and not phrase.left_edge.i <= trigger.i <= phrase.right_edge.i


def excluded_phrase(span: Span) -> Token | None:
    """The head of the phrase that the text sets apart with the mention in it, if any (see is_excluded)."""
    doc = span.doc
    token = _named_by(span.root)
    first = first_conjunct(token)
    if any(c.lower_ == "neither" for c in first.children):
        return first  # "neither X nor Y activated Z"
    if _but_not_before(doc, token.left_edge.i):
        return token  # "but not X", whether the parser made X a conjunct or a second object
    outer = _named_by(first)
    if outer is not first and _but_not_before(doc, outer.left_edge.i):
        return outer  # "but not the activation of the X or the Y pathways", "but not the proteins X and Y"
    if first.dep_ == "pobj" and _but_not_before(doc, first.head.i):
        return first.head  # "with X but not with Y or Z"
    while token.dep_ == "conj" and token.head is not token:
        i = token.left_edge.i - 1
        while i > token.head.i and doc[i].lower_ in CONJUNCTION_WORDS:
            if doc[i].lower_ in EXCLUDING:
                return token
            i -= 1
        token = token.head
    return None


def _named_by(token: Token) -> Token:
    """The phrase a gene names, which the text may set apart as a whole: "..., but not the ERK pathway",
    "but not the activation of X", "but not the related proteins X and Y"."""
    while True:
        if token.dep_ in ("nn", "compound", "poss") and is_event_noun(token.head):
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ == "of" and is_event_noun(token.head.head):
            token = token.head.head
        elif token.dep_ in ("dep", "appos") and is_class_noun(token.head.lemma_.lower()):
            token = token.head
        else:
            return token


def is_event_noun(token: Token) -> bool:
    """A noun of a gene's product or of an event on it: "expression", "activation"."""
    return token.tag_.startswith("NN") and (
        token.lemma_.lower() in CONTAINERS or trigger_class(token) is not None
    )


def _but_not_before(doc: Doc, i: int) -> bool:
    """Whether the conjunction words right before token ``i`` set it apart: "but not", "but never"."""
    before = []
    i -= 1
    while i >= 0 and doc[i].lower_ in CONJUNCTION_WORDS:
        before.append(doc[i].lower_)
        i -= 1
    return "but" in before and bool(EXCLUDING.intersection(before))


# A complex or dimer may be named by its members, joined by these: "CCND1-CDK4", "FOS/JUN", "RAD51:BRCA2".
COMPLEXES = DIMERS | {"complex", "heterocomplex"}
MEMBER_JOINS = frozenset({"-", "/", ":"})


def named_genes(sentence: Sentence, mention: Span) -> list[Span]:
    """The genes a mention names: itself and those written against it with a slash; for a family glossed
    with its members in brackets ("NF-kappa B (NFKB1/RELA)"), those members."""
    if mention._.members and (glosses := glossed(sentence, mention.root)):
        return glosses
    return [mention, *slash_joined(sentence, mention)]


def glossed(sentence: Sentence, token: Token) -> list[Span]:
    """The genes a word is glossed with in brackets: "NF-kappa B (NFKB1/RELA)"."""
    for child in children(token, "appos"):
        gloss = sentence.mention_at(child)
        if (
            gloss is not None
            and gloss.label_ == GENE
            and not gloss._.members
            and any(t.text == "(" for t in token.doc[token.i + 1 : gloss.start])
        ):
            return [gloss, *slash_joined(sentence, gloss)]
    return []


def slashed(sentence: Sentence, a: Reached, b: Reached) -> bool:
    """Whether two reached mentions are written against one another with a slash ("FADD/MORT1")."""
    return a.span is not None and b.span in slash_joined(sentence, a.span)


def slash_joined(sentence: Sentence, mention: Span) -> list[Span]:
    """The genes written against a gene with a slash, a dimer or alternatives named as one: "RELA/NFKB1",
    "CD11b/CD18" (a gene has one name: "p21/WAF1" names one gene once)."""
    if mention.label_ != GENE:
        return []
    found = []
    doc, sent = mention.doc, sentence.sent
    for step in (-1, 1):
        i = mention.start - 1 if step < 0 else mention.end
        while sent.start <= i + step < sent.end and doc[i].text == "/":
            other = sentence.mention_at(doc[i + step])
            if other is None or other.label_ != GENE or other.kb_id_ == mention.kb_id_:
                break
            found.append(other)
            i = other.start - 1 if step < 0 else other.end
    return found


def named_members(sentence: Sentence, noun: Token) -> list[Reached]:
    """The genes written just before a complex noun, joined by a hyphen, slash or colon: its members. One
    gene ("the IL2 receptor complex") or genes side by side without a join name no complex of them."""
    doc = noun.doc
    members: list[Span] = []
    joined = False
    i = noun.i - 1
    while i >= sentence.sent.start:
        # (a gene inside a process's name: "the PI3K/AKT signaling axis")
        mention = next((s for s in sentence.by_token.get(i, ()) if s.label_ == GENE), None)
        if mention is not None:
            if mention not in members:
                members.append(mention)
            i = mention.start - 1
        elif doc[i].text in MEMBER_JOINS and members:
            joined = True
            i -= 1
        else:
            break
    return [Reached(m, 1) for m in reversed(members)] if joined and len(members) > 1 else []


def complex_members(sentence: Sentence, noun: Token) -> list[Reached]:
    """The genes a complex noun says it is made of: "a complex of X, Y and Z", "a complex containing X and
    Y", "the complex is composed of / consists of X and Y", "a complex between X and Y"."""
    objects = prep_objects(noun, ("of", "between"))
    if noun.dep_ == "nn" and noun.head.lemma_.lower() in ("formation", "assembly"):
        objects += prep_objects(noun.head, ("of", "between"))  # "complex formation between X, Y and Z"
    objects += [o for verb in children(noun, "partmod", "vmod", "rcmod") for o in verb_members(verb)]
    if noun.dep_ in (*SUBJECTS, *PASSIVE_SUBJECTS):
        objects += verb_members(noun.head)
    genes = [r.span for o in objects for r in reach_theme(sentence, o) if r.span is not None]
    return [Reached(span, 1) for span in dict.fromkeys(g for g in genes if g.label_ == GENE)]


def verb_members(verb: Token) -> list[Token]:
    """What a verb of composition names as the parts: "contains X", "is composed of X", "consists of X",
    "complexes formed by X and Y"."""
    if verb.lemma_.lower() == "form":
        return prep_objects(verb, ("by",))
    if verb.lemma_.lower() not in COMPOSITION:
        return []
    return children(verb, "dobj") + prep_objects(verb, ("of",))


def prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the token's prepositions in ``preps`` (the pobj, or the pcomp of a gerund)."""
    wanted = set(preps)
    objects = []
    for prep in children(token, "prep"):
        # "interacts with X and with Y": the second preposition is a conjunct of the first
        for same in (prep, *(c for c in children(prep, "conj") if c.lower_ == prep.lower_)):
            if same.lower_ in wanted:
                objects.extend(children(same, "pobj", "pcomp"))
    return objects


def modified_noun(token: Token) -> Token:
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


def may_take_context(token: Token) -> bool:
    """Only the main predicate of a statement with no subject at all takes the context gene."""
    node = token
    while node.dep_ in ("xcomp", "conj", "pcomp", "prep", "pobj", "dobj") and node.head is not node:
        node = node.head
        if node.tag_.startswith("NN") and trigger_class(node) is not None:
            return False  # "Role of X in regulation of Y": the noun above takes the event as its theme
    if node.dep_ != "ROOT":
        return False
    sent = token.sent
    return not any(t.dep_ in (*SUBJECTS, *PASSIVE_SUBJECTS) for t in sent if t.head.i == node.i)


def is_gene_list(sent: Span, sentence: Sentence) -> bool:
    """A line that only lists genes (a physical map, a table row): many mentions, no stated relation."""
    genes = sentence.genes()
    if len(genes) < 4:
        return False
    cytobands = sum(1 for t in sent if CYTOBAND.match(t.text))
    verbs = sum(1 for t in sent if t.tag_.startswith("VB") and t.dep_ in ("ROOT", "conj", "ccomp", "rcmod"))
    # A title states its relation by a noun ("Regulation of X, Y and Z expression by A and B").
    triggers = any(trigger_class(t) is not None and not sentence.gene_at(t) for t in sent)
    return cytobands >= 2 or (verbs == 0 and not triggers and len(genes) * 3 >= len(sent))
