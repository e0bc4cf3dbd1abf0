"""generx's trigger lexicon: the words that state a regulation, a binding or a participation.

Each entry maps a lemma to its class. Signs compose along a chain of triggers ("mediates inhibition of X":
+1 x -1 = -1; "inhibits the repressor of X": -1 x -1 = +1), so a class carries the sign it lends to a chain.
Lemmas are lower case; hyphenless and hyphenated spellings are both listed where statements use both.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        "activate transactivate induce upregulate up-regulate enhance promote stimulate increase augment "
        "potentiate elevate trigger drive facilitate evoke elicit amplify accelerate boost restore "
        "sustain co-activate coactivate superinduce cause transcribe",
    ),
    **_entries(UNSIGNED, "mediate", transparent=True),
    **_entries(
        NEGATIVE,
        "repress inhibit suppress downregulate down-regulate attenuate block reduce decrease abolish "
        "abrogate impair prevent antagonize antagonise diminish silence inactivate restrain counteract "
        "dampen downmodulate down-modulate destabilize degrade lower inhibite",
    ),
    **_entries(
        UNSIGNED,
        "regulate control modulate target affect influence alter govern modify phosphorylate "
        "dephosphorylate ubiquitinate acetylate methylate remodel",
    ),
    **_entries(
        BINDING,
        "bind interact heterodimerize dimerize co-immunoprecipitate coimmunoprecipitate complex associate",
    ),
    **_entries(PARTICIPATION, "participate involve"),
    **_entries(ASSOCIATION, "correlate"),
}

# Words whose grammatical subject is what is acted on: "Y depends on X", "Y requires X", "Y is dependent
# on X" all make X a positive regulator of Y.
REVERSED = frozenset({"depend", "require", "dependent", "need"})

# Adjectives and participles that take their theme through a preposition: "X is required for Y".
ADJECTIVES: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "required essential necessary critical crucial indispensable needed important responsible "
        "instrumental pivotal vital dependent",
    ),
    **_entries(PARTICIPATION, "involved implicated"),
    **_entries(ASSOCIATION, "associated correlated linked"),
}

# Nouns that name an event or an agent of regulation.
NOUNS: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "activation transactivation induction upregulation up-regulation enhancement stimulation "
        "promotion increase potentiation activator transactivator inducer stimulator coactivator "
        "co-activator requirement",
    ),
    **_entries(
        NEGATIVE,
        "inhibition repression suppression downregulation down-regulation reduction decrease blockade "
        "attenuation degradation inactivation inhibitor repressor suppressor antagonist corepressor "
        "co-repressor silencing",
    ),
    **_entries(
        UNSIGNED,
        "regulation modulation control remodeling remodelling phosphorylation dephosphorylation "
        "ubiquitination acetylation methylation trimethylation dimethylation monomethylation demethylation "
        "deacetylation sumoylation regulator modulator mediator target effect",
    ),
    **_entries(
        BINDING,
        "binding interaction complex heterodimer dimer partner association receptor coreceptor co-receptor "
        "ligand",
    ),
    **_entries(PARTICIPATION, "role"),
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
    region regions motif box signaling signalling signal signals function pathway release translation
    polymerase holoenzyme operon
    gene-expression responsiveness initiation termination onset maintenance kinetics magnitude duration
    induction""".split()
)

# Nouns that turn their gene's role around when it is the agent: "knockdown of X increases Y" means X
# negatively regulates Y. The positive ones keep it: "overexpression of X increases Y".
AGENT_NEGATORS = frozenset(
    """knockdown knock-down sirna shrna deficiency loss depletion deletion knockout knock-out silencing
    ablation inhibition absence lack mutation mutations disruption blockade inactivation
    downregulation down-regulation suppression reduction""".split()
)
AGENT_KEEPERS = frozenset(
    """overexpression over-expression activation expression presence induction stimulation upregulation
    up-regulation transfection level levels activity engagement ligation signaling signalling""".split()
)

# Nouns that name members of a class: "cytokine genes, such as IL2, IL4 and IL10".
CLASS_NOUNS = frozenset(
    """gene genes cytokine cytokines factor factors protein proteins member members molecule molecules
    kinase kinases receptor receptors target targets""".split()
)

# Hyphenated suffixes that make a gene the agent of the noun they modify: "IL2-induced proliferation".
COMPOUND_SUFFIXES: dict[str, TriggerClass] = {
    **_entries(
        POSITIVE,
        "induced activated stimulated driven dependent mediated promoted enhanced triggered elicited",
    ),
    **_entries(NEGATIVE, "inhibited repressed suppressed blocked"),
    **_entries(UNSIGNED, "regulated controlled modulated responsive"),
}

# Words that make a statement speculative when they govern the trigger.
HEDGES = frozenset(
    """may might could suggest suggests suggested suggesting appear seem think believe propose hypothesize
    hypothesise speculate postulate presume possibly probably likely potentially perhaps presumably
    putative potential possible unclear""".split()
)

# Words that deny the trigger when they govern it: "fails to induce", "is unable to bind".
NEGATORS = frozenset("not no never neither nor fail unable without cannot lack".split())
