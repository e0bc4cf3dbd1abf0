"""Triggers: the words that state a regulation, a binding or a participation, and how a token is read as one.

Each entry maps a lemma to its class. Signs compose along a chain of triggers ("mediates inhibition of X":
+1 x -1 = -1; "inhibits the repressor of X": -1 x -1 = +1), so a class carries the sign it lends to a chain.
Lemmas are lower case; hyphenless and hyphenated spellings are both listed where statements use both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from generx.pipelines.lexicon import has_upper_or_digit

POSITIVE = "positive"
NEGATIVE = "negative"
UNSIGNED = "unsigned"
BINDING = "binding"
PARTICIPATION = "participation"
ASSOCIATION = "association"

SIGN = {POSITIVE: 1, NEGATIVE: -1, UNSIGNED: 0, BINDING: 0, PARTICIPATION: 0, ASSOCIATION: 0}


@dataclass(frozen=True)
class TriggerClass:
    """What a trigger word says: its class, and whether it passes on the sign of what it governs.

    A ``transparent`` trigger ("mediate") says the agent brings about what follows: "X mediates
    inhibition of Y" is negative and "X mediates remodeling of Y" unsigned, while "X mediates Y" alone
    states no direction. Other unsigned triggers ("regulate") keep a chain unsigned.
    """

    kind: str
    transparent: bool = False


def _entries(kind: str, words: str, *, transparent: bool = False) -> dict[str, TriggerClass]:
    return {w: TriggerClass(kind, transparent) for w in words.split()}


VERBS: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "activate transactivate trans-activate induce upregulate up-regulate enhance promote stimulate "
        "increase augment potentiate elevate trigger drive facilitate evoke elicit amplify accelerate boost "
        "restore sustain maintain co-activate coactivate superinduce cause transcribe initiate costimulate "
        "co-stimulate",
    ),
    # Read with the subject as what is acted on (REVERSED): "Y requires X", "Y depends on X".
    **_entries(POSITIVE, "require depend need"),
    # "X leads to inhibition of Y", "results in Y activation", "directs expression of Y": the sign of what
    # follows.
    **_entries(UNSIGNED, "mediate catalyze catalyse lead result direct", transparent=True),
    **_entries(
        NEGATIVE,
        "repress inhibit suppress downregulate down-regulate attenuate block reduce decrease abolish "
        "abrogate impair prevent antagonize antagonise diminish silence inactivate restrain counteract "
        "dampen downmodulate down-modulate destabilize degrade lower inhibite limit sequester interfere",
    ),
    **_entries(POSITIVE, "stabilize stabilise"),
    **_entries(
        UNSIGNED,
        "regulate control modulate target affect influence alter govern modify coordinate phosphorylate "
        "dephosphorylate ubiquitinate acetylate methylate remodel deacetylate demethylate deubiquitinate "
        "ubiquitylate polyubiquitinate sumoylate desumoylate glycosylate deglycosylate cleave hydroxylate "
        "neddylate palmitoylate myristoylate",
    ),
    **_entries(
        BINDING,
        "bind interact heterodimerize dimerize co-immunoprecipitate coimmunoprecipitate complex associate "
        "recruit occupy engage contact cosediment co-sediment copurify co-purify coprecipitate "
        "co-precipitate link tether bridge anchor",
    ),
    # "functions in X"; an enzyme that "catalyzes the first step of X" takes part in X.
    **_entries(PARTICIPATION, "participate involve function catalyze catalyse help aid contribute"),
    **_entries(ASSOCIATION, "correlate"),
}

# Where a gene acts in a pathway relative to another: "X acts upstream of Y", "Y lies downstream of X".
POSITIONS = _entries(UNSIGNED, "upstream downstream")

# Words whose grammatical subject is what is acted on: "Y depends on X", "Y requires X", "Y is dependent
# on X" all make X a positive regulator of Y.
REVERSED = frozenset({"depend", "require", "dependent", "need"})

# Adjectives and participles that take their theme through a preposition: "X is required for Y".
ADJECTIVES: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "required essential necessary sufficient critical crucial indispensable needed important responsible "
        "instrumental pivotal vital dependent",
    ),
    **_entries(PARTICIPATION, "involved implicated active"),
    **_entries(ASSOCIATION, "associated correlated linked"),
}

# Nouns that name an event or an agent of regulation.
NOUNS: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "activation transactivation trans-activation induction upregulation up-regulation enhancement "
        "stimulation promotion increase elevation augmentation potentiation hyperactivation overactivation "
        "activator transactivator inducer stimulator coactivator co-activator requirement",
    ),
    **_entries(
        NEGATIVE,
        "inhibition repression suppression abrogation downregulation down-regulation reduction decrease "
        "blockade attenuation degradation inactivation inhibitor repressor suppressor antagonist corepressor "
        "co-repressor silencing destruction",
    ),
    **_entries(
        UNSIGNED,
        "regulation modulation control remodeling remodelling phosphorylation dephosphorylation "
        "ubiquitination acetylation methylation trimethylation dimethylation monomethylation demethylation "
        "deacetylation sumoylation regulator coregulator co-regulator modulator mediator target effect "
        "polyubiquitination influence impact action "
        "ubiquitylation polyubiquitylation deubiquitination deubiquitylation desumoylation glycosylation "
        "deglycosylation cleavage hydroxylation neddylation palmitoylation myristoylation substrate effector",
    ),
    **_entries(POSITIVE, "stabilization stabilisation"),
    **_entries(
        BINDING,
        "binding interaction complex heterodimer dimer partner association affinity receptor coreceptor "
        "co-receptor counter-receptor counterreceptor ligand",
    ),
    # "its function in P"; also "X functions in P" that the parser reads as a plural noun.
    **_entries(PARTICIPATION, "role function involvement"),
    **_entries(ASSOCIATION, "correlation balance"),
}

# Adverbs and adjectives that give an unsigned trigger its sign: "negatively regulate", "negative regulator".
SIGN_MODIFIERS: dict[str, int] = {
    "negatively": -1,
    "negative": -1,
    "positively": 1,
    "positive": 1,
}

# Words a gene is named through without changing what is said of it: "the IL2 promoter", "expression of IL2".
CONTAINERS = frozenset(
    """expression transcription production secretion synthesis level levels amount abundance activity
    mrna transcript protein gene promoter enhancer locus sequence sequences element elements site sites
    accumulation region regions motif box signaling signalling signal signals function pathway cascade
    release translation polymerase holoenzyme operon product products
    gene-expression responsiveness initiation termination onset maintenance kinetics magnitude duration
    induction translocation localization localisation progression import export
    concentration concentrations stability half-life recruitment monomer monomers oligomer oligomers filament
    filaments rate extent polymerization depolymerization oligomerization multimerization dimerization
    homodimerization aggregation assembly disassembly nucleation formation polymorphism polymorphisms snp snps
    variant variants variation variations allele alleles genotype genotypes haplotype haplotypes""".split()
)
# Parts of a protein, which stand for it where the text says whose part they are: "the SH3 domain of CRK
# binds"; not by a name before them ("Src homology 2 domains", "PDZ domain" name kinds of domain). A subunit
# or an isoform named before the noun is a gene of its own ("the p85 subunit"), as class nouns read it.
PROTEIN_PARTS = frozenset("domain domains fragment fragments terminus termini moiety portion tail".split())
# The parts of a protein that bind what their name says: "the X binding site of Y".
BINDING_PARTS = frozenset(
    "site sites domain domains region regions motif motifs pocket interface surface".split()
)
# Nouns of giving something to cells, with the preposition that names what is given: "treatment with
# HGF increased X" is HGF's doing, as "HGF increased X" is.
TREATMENTS = {
    **dict.fromkeys(
        ("treatment", "pretreatment", "stimulation", "incubation", "challenge", "therapy", "immunotherapy"),
        "with",
    ),
    **dict.fromkeys(("addition", "administration", "infusion", "injection"), "of"),
    "exposure": "to",
}
# Containers that name a gene's product being made: what brings it about raises it ("X leads to the
# production of Y", "X directs expression of Y").
PRODUCTION = frozenset("expression transcription production synthesis secretion".split())
# Nouns for what another gene acts on: "Y is a target / substrate / downstream effector of X".
TARGETS = frozenset({"target", "substrate", "effector"})
# Verbs that mark their object for what their "for" names: "targets Y for degradation".
MARKING_VERBS = frozenset({"target"})
# Nouns whose holder does what their infinitive says: "the ability of JUN to bind FOS".
ABILITIES = frozenset("ability capacity capability potential propensity".split())

# Nouns that turn their gene's role around when it is the agent: "knockdown of X increases Y" means X
# negatively regulates Y. The positive ones keep it: "overexpression of X increases Y".
# What blocks a gene: "PPP1CA inhibitors", "an antagonist of X" (but "the CDK inhibitor p21" is p21).
INHIBITORS = frozenset({"inhibitor", "antagonist", "blocker"})
AGENT_NEGATORS = INHIBITORS | frozenset(
    """knockdown knock-down sirna shrna deficiency loss depletion deletion knockout knock-out silencing
    ablation inhibition absence lack disruption blockade inactivation removal abrogation
    downregulation down-regulation suppression reduction""".split()
)
# A mutation may gain or lose its gene's function: "NRAS mutations activate" says neither, so a mutation
# passes its gene's role on unsigned unless a qualifier says which ("activating", "loss-of-function").
MUTATIONS = frozenset({"mutation", "mutations"})
GAINED = frozenset("activating oncogenic gain-of-function hyperactivating hypermorphic".split())
LOST = frozenset(
    "inactivating loss-of-function null truncating nonsense frameshift dominant-negative hypomorphic".split()
)
AGENT_KEEPERS = frozenset(
    """overexpression over-expression activation expression presence induction stimulation upregulation
    up-regulation transfection level levels activity engagement ligation signaling signalling mutant variant
    allele isoform phosphorylation binding amplification costimulation co-stimulation crosslinking
    cross-linking triggering variation""".split()
)

# Nouns after a gene's name that stand for the gene as an agent: "PDCD1 engagement", "STAT3 deficiency".
GENE_STANDINS = AGENT_NEGATORS | AGENT_KEEPERS | MUTATIONS

# Nouns that name members of a class: "cytokine genes, such as IL2, IL4 and IL10".
CLASS_NOUNS = frozenset(
    """gene genes cytokine cytokines factor factors protein proteins member members molecule molecules
    kinase kinases receptor receptors target targets""".split()
)

# Hyphenated suffixes that make a gene the agent of the noun they modify: "IL2-induced proliferation".
COMPOUND_SUFFIXES: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "induced activated stimulated driven dependent mediated promoted enhanced triggered elicited "
        "inducible",
    ),
    **_entries(NEGATIVE, "inhibited repressed suppressed blocked"),
    **_entries(UNSIGNED, "regulated controlled modulated responsive"),
    # "the actin-binding protein profilin", "the E-cadherin-associated proteins alpha- and beta-catenin",
    # "an actin-bundling protein"
    **_entries(
        BINDING, "binding associated interacting bundling crosslinking cross-linking severing capping"
    ),
}

# Words that make a statement speculative when they govern the trigger.
HEDGES = frozenset(
    """may might could suggest suggests suggested suggesting appear seem think believe propose hypothesize
    hypothesise speculate postulate presume possibly probably likely potentially perhaps presumably
    putative potential possible unclear""".split()
)

# Words that deny the trigger when they govern it: "fails to induce", "is unable to bind".
NEGATORS = frozenset("not no never neither nor fail unable without cannot lack".split())


# --- Reading a token as a trigger ---------------------------------------------------------------------


# Inflections the lemmatizer may not undo on a rare verb ("copurified", "cosedimented"), and their stems.
_INFLECTIONS = (("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("es", ""), ("s", ""))


def _verb_stems(text: str) -> list[str]:
    return [text[: -len(end)] + stem for end, stem in _INFLECTIONS if text.endswith(end)]


def trigger_class(token: Token) -> tuple[TriggerClass, str] | None:
    """The trigger class of a token and how it takes arguments ("verb", "adjective", "nominal",
    "position"), or None."""
    lemma = token.lemma_.lower()
    text = token.lower_
    if (
        text in POSITIONS
        and token.head.tag_.startswith("VB")
        and any(c.lower_ == "of" for c in token.children)
    ):
        return POSITIONS[text], "position"  # "acts upstream of Y"
    if token.tag_.startswith("VB"):
        # "required", "involved", "associated" take their theme through a preposition, like adjectives.
        if token.tag_ in ("VBN", "VBD") and text in ADJECTIVES:
            return ADJECTIVES[text], "adjective"
        # the stems only where the lemma and the text are no trigger: this runs for every verb, often
        tc = (
            VERBS.get(lemma)
            or VERBS.get(text)
            or next((VERBS[w] for w in _verb_stems(text) if w in VERBS), None)
        )
        return (tc, "verb") if tc else None
    if text == "binding" and token.dep_ in ("amod", "nn") and token.head.lower_ in BINDING_PARTS:
        return NOUNS["binding"], "nominal"  # "the APC binding site on Y" ("ACTB-binding": a compound)
    if token.tag_.startswith("JJ"):
        tc = ADJECTIVES.get(text) or ADJECTIVES.get(lemma)
        return (tc, "adjective") if tc else None
    if token.tag_.startswith("NN"):
        tc = NOUNS.get(lemma) or NOUNS.get(text)
        return (tc, "nominal") if tc else None
    return None


def repair_misread_verbs(doc: Doc) -> None:
    """Make a trigger verb the tagger read as a plural noun a verb again, with its subject and object.

    A short statement that starts with a gene, "SOCS3 dampens JAK2 signaling", "PTPN11 dephosphorylates
    and inactivates STAT1", is often tagged as a noun compound (NNS) and parsed with the gene as its
    modifier (nn). Read so only where no noun reading fits: the word heads the sentence, is a trigger
    verb and no trigger noun, takes no determiner or possessive, and a gene-like word (a capital or a
    digit) modifies it from the left, alone or before a noun that stands for its gene ("PDCD1 engagement
    dampens", "STAT3 deficiency dampens"), which then heads the subject. A word the parse gives a subject
    and an infinitive is a verb, noun or not ("The encoded protein functions to antagonize Y").
    """
    for token in doc:
        lemma = token.lemma_.lower()
        if token.tag_ != "NNS" or token.dep_ != "ROOT" or lemma not in VERBS:
            continue
        if any(c.dep_ == "nsubj" for c in token.lefts) and any(c.dep_ == "xcomp" for c in token.rights):
            # "The encoded protein functions to antagonize Y": parsed as a verb, only tagged as a noun
            token.tag_, token.pos_ = "VBZ", "VERB"
            continue
        if lemma in NOUNS:
            continue
        if any(c.dep_ in ("det", "poss", "amod", "num") for c in token.children):
            continue
        left = [c for c in token.lefts if c.dep_ in ("nn", "nsubj")]
        if not left:
            continue
        subject = left[-1]
        if not has_upper_or_digit(subject.text):
            if subject.lemma_.lower() not in GENE_STANDINS or not any(
                has_upper_or_digit(t.text) for t in left[:-1]
            ):
                continue
            for modifier in left[:-1]:
                modifier.head = subject
        token.tag_, token.pos_ = "VBZ", "VERB"
        subject.dep_ = "nsubj"
        for child in token.rights:
            if child.dep_ in ("dep", "nn", "appos") and child.tag_.startswith("NN"):
                child.dep_ = "dobj"


def trigger_kind(token: Token) -> str | None:
    """The class of a trigger token ("positive", "binding", ...), or None for a word that is no trigger."""
    found = trigger_class(token)
    return None if found is None else found[0].kind


def signed(tc: TriggerClass, token: Token) -> int:
    """The sign a trigger states, after "negatively"/"positively" and similar modifiers; a verb that marks
    its object for an event takes the event's sign ("targets Y for degradation")."""
    for child in token.children:
        if child.dep_ in ("advmod", "amod") and child.lower_ in SIGN_MODIFIERS:
            return SIGN_MODIFIERS[child.lower_]
    if token.lemma_.lower() in MARKING_VERBS:
        # the parser hangs "for" on the verb or on its object
        marked = [token, *(c for c in token.children if c.dep_ == "dobj")]
        for prep in (c for m in marked for c in m.children if c.dep_ == "prep" and c.lower_ == "for"):
            for event in (c for c in prep.children if c.dep_ == "pobj"):
                if (kind := trigger_kind(event)) in (POSITIVE, NEGATIVE):
                    return SIGN[kind]
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
            if child.dep_ == "mark" and child.lower_ == "whether":
                return True  # "we tested whether X activates Y": asked, not stated
    return False


def _governors(token: Token) -> Iterable[Token]:
    """The trigger and the words whose clause it completes (xcomp, ccomp, pcomp, conj chains; the verb an
    adverb trigger modifies: "may act upstream of")."""
    node = token
    yield node
    while (
        node.dep_ in ("xcomp", "ccomp", "pcomp", "conj", "pobj", "prep", "dobj", "advmod")
        and node.head is not node
    ):
        node = node.head
        yield node


def compound_suffix(token: Token) -> str | None:
    """The trigger suffix of a hyphenated compound ("IL2-induced" or "-induced" -> "induced"), or None."""
    _, dash, suffix = token.text.rpartition("-")
    if (
        dash
        and suffix.lower() in COMPOUND_SUFFIXES
        and len(token.text) > len(suffix) + 1 - (token.text[0] == "-")
    ):
        return suffix
    if token.lower_ in COMPOUND_SUFFIXES and split_compound(token):
        return token.text
    return None


def split_compound(token: Token) -> bool:
    """A compound the process reader split in three ("EPO", "-", "regulated"): the suffix after a glued
    hyphen after a glued word."""
    doc = token.doc
    return (
        token.i >= 2
        and doc[token.i - 1].text == "-"
        and not doc[token.i - 1].whitespace_
        and not doc[token.i - 2].whitespace_
    )


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
    if following.text == "-" and after is not None and compound_suffix(after):
        return True  # "EPO" "-" "regulated"
    return following.text == "-" and after is not None and after.lower_ in ("or", "and", ",", "/")


def trigger_offsets(token: Token) -> tuple[int, int]:
    start, end = token.idx, token.idx + len(token.text)
    for child in token.children:
        if child.dep_ in ("advmod", "amod") and child.lower_ in SIGN_MODIFIERS and child.i == token.i - 1:
            start = child.idx
    return start, end
