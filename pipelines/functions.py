"""What a gene's product does, where it is and what family it is in: GO molecular functions and cellular
components, and HGNC gene groups, said of a gene.

Gene summaries and function comments state a gene's molecular function and location more often than its
processes: "This gene encodes a serine/threonine protein kinase", "The encoded protein is a
GTP-binding protein that localizes to the mitochondrial outer membrane", "a subunit of the mediator
complex", "It binds DNA", "has intrinsic GTPase activity". These read as the relations of GO's own
annotations (GO-CAM's gene product to term relations):

- ``enables`` a molecular function: the class the text gives the gene ("encodes a <class>", "is a
  <class>", "acts as a <class>", "<gene>, a <class>", "a member of the <class> family"), what it binds
  when that is no gene ("binds DNA" is DNA binding), and "has <function> activity";
- ``located_in`` a cellular component: a location verb ("localizes to", "is found in", "resides in",
  "translocates to", "is secreted") and a location adjective of its class ("a mitochondrial protein",
  "a plasma membrane glycoprotein");
- ``part_of`` a cellular component the text makes it a part of ("a subunit of the mediator complex",
  "a component of the nuclear pore complex");
- ``member_of`` the HGNC gene group the text's family name names ("a member of the claudin family", "the
  galectins are ..."): not a GO aspect, but what the same sentences say;
- ``involved_in`` the process the gene's class or a verb's object names ("a zinc transporter", "a
  potassium channel", "a histone deacetylase", "a serine protease", "transports glucose", "synthesizes
  nitric oxide", "degrades hyaluronan"): the biological process GO annotates such genes with beside their
  function.

The class phrase is matched against GO's names and synonyms (``models/lexicons``: a molecular function's
"<X> activity" is written "<X>"), longest first, dropping leading modifiers ("mitochondrial
serine/threonine kinase" -> protein serine/threonine kinase activity). GO's most general terms
("binding", "catalytic activity", "cell") say nothing and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, MENTIONS, PROCESS, outside_parentheses
from generx.pipelines.arguments import Sentence, examples, prep_objects
from generx.pipelines.context import CLASS, OTHER_ORGANISM
from generx.pipelines.lexicon import GeneGroup, GoLexicon, GoTerm, group_key, process_key, singular
from generx.pipelines.processes import rank_terms
from generx.pipelines.records import mention_record
from generx.pipelines.relations import Argument, Relation, deduplicate
from generx.pipelines.triggers import is_hedged, is_negated, trigger_offsets

FUNCTION = "function"
ARTICLES = frozenset({"a", "an", "the"})
COMPONENT = "component"
FAMILY = "family"

# A term with more descendants than this is too general to say anything of a gene (GO's "binding",
# "catalytic activity", "cell", "organelle").
MAX_DESCENDANTS = 1500

# Nouns that say what a gene's product is without saying what it does: dropped from the end of a class
# phrase before it is matched again ("GTP-binding protein" -> GTP binding).
PRODUCT_HEADS = frozenset(
    "protein proteins polypeptide glycoprotein phosphoprotein enzyme molecule isoenzyme isozyme".split()
)
# "a member of the <class> family", "one of the <class>s".
MEMBER_NOUNS = frozenset({"member", "one", "subtype", "isoform", "isozyme", "isoenzyme"})
FAMILY_NOUNS = frozenset({"family", "subfamily", "superfamily", "class", "group", "cluster"})
# Verbs that give a family's other name: "also known as the tetraspanin family".
NAMING_VERBS = frozenset({"know", "call", "name", "term"})
# "a subunit of <component>".
PART_NOUNS = frozenset({"subunit", "component", "constituent", "part", "chain"})
# Verbs whose object is what the subject is: "encodes a kinase", "forms a component of the X complex".
ENCODE_VERBS = frozenset({"encode", "form", "constitute"})
# Verbs whose subject is a class said of it ("acts as a scaffold").
AS_VERBS = frozenset({"act", "function", "serve", "work"})
# Verbs (and the adjective "present") that place their subject in the component their preposition names.
LOCATION_VERBS = frozenset(
    "localize localise colocalize locate reside find target distribute accumulate concentrate anchor tether "
    "sequester translocate shuttle recruit associate insert embed present express import".split()
)
# Location verbs that place their object where their subject holds it ("X recruits Y to the membrane").
HOLDING_VERBS = frozenset("anchor tether sequester recruit target import insert".split())
# Participles the tagger may read as adjectives ("is localized to"), by their verb.
LOCATION_FORMS = {
    form: verb
    for verb in LOCATION_VERBS
    for form in (f"{verb}d", f"{verb}ed", f"{verb[:-1]}ed" if verb.endswith("e") else f"{verb}ed")
} | {"found": "find"}
# "belongs to the X family".
FAMILY_VERBS = frozenset({"belong"})
# Words many families' names end with: a family named by one of them alone is none of the gene's own groups
# in particular ("a kinase" is no "AKT kinase").
GENERIC_HEADS = frozenset(
    "kinase receptor factor channel enzyme transporter phosphatase ligase protease peptidase domain finger "
    "repeat motif box subunit chain molecule regulator antigen ligand hormone peptide glycoprotein inhibitor "
    "activator adaptor".split()
)
# "contains a PDZ domain", "has seven WD repeats": what HGNC groups genes by.
DOMAIN_VERBS = frozenset({"contain", "have", "possess", "harbor", "harbour"})
DOMAIN_NOUNS = frozenset({"domain", "repeat", "motif", "box", "finger"})
LOCATION_PREPOSITIONS = frozenset(
    {"in", "to", "at", "on", "within", "into", "inside", "throughout", "between"}
)
# Verbs whose subject has the activity their object names ("has GTPase activity").
HAVE_VERBS = frozenset({"have", "possess", "exhibit", "display", "show"})
# Where a location adjective puts a protein, by GO's name of the component ("a mitochondrial protein").
LOCATION_ADJECTIVES = {
    "nuclear": "nucleus",
    "mitochondrial": "mitochondrion",
    "cytoplasmic": "cytoplasm",
    "cytosolic": "cytosol",
    "lysosomal": "lysosome",
    "peroxisomal": "peroxisome",
    "endosomal": "endosome",
    "nucleolar": "nucleolus",
    "centrosomal": "centrosome",
    "ciliary": "cilium",
    "cytoskeletal": "cytoskeleton",
    "sarcomeric": "sarcomere",
    "chromosomal": "chromosome",
    "extracellular": "extracellular region",
    "secreted": "extracellular region",
    "transmembrane": "membrane",
    "membrane-bound": "membrane",
    "membrane-anchored": "membrane",
    "membrane-associated": "membrane",
    "cell-surface": "cell surface",
    "synaptic": "synapse",
}
# "is secreted": a location verb that names its component itself.
SECRETED = "secrete"
MODIFIERS = ("amod", "nn", "compound", "hmod", "npadvmod")
# Tags of the words that may come before a family's name without making it another family.
MODIFIER_TAGS = ("JJ", "RB", "VBN")
SUBJECTS = ("nsubj", "nsubjpass")
RELATIVE_CLAUSES = ("rcmod", "relcl", "partmod", "vmod", "acl", "infmod")

# Precision by judgement (no gold for these relations yet): a class the text gives the gene is rarely
# wrong once GO names it; a location verb's object may be a tissue or a state GO also names.
CONFIDENCE = {
    "class": 0.8, "activity": 0.85, "binding": 0.75, "location": 0.75, "part": 0.8, "process": 0.75
}  # fmt: skip
# What carries a cargo across a membrane: "a zinc transporter", "a potassium channel", "a proton pump".
TRANSPORT_NOUNS = frozenset("transporter cotransporter symporter antiporter exchanger channel pump".split())
# An enzyme named by what it does to its substrate takes part in that process: "a histone deacetylase" in
# histone deacetylation, "a serine/threonine protein kinase" in protein phosphorylation.
ENZYME_PROCESSES = {
    "kinase": " phosphorylation",
    "phosphatase": " dephosphorylation",
    "methyltransferase": " methylation",
    "demethylase": " demethylation",
    "acetyltransferase": " acetylation",
    "deacetylase": " deacetylation",
    "deubiquitinase": " deubiquitination",
}
# Enzymes whose class says the process whatever their substrate: a protease's is proteolysis.
PROTEASES = frozenset(
    "protease peptidase proteinase endopeptidase metalloprotease metalloproteinase aminopeptidase "
    "carboxypeptidase".split()
)
# Words that say which residues a protein enzyme acts on, not what it acts on.
RESIDUE_WORDS = frozenset(
    "serine threonine tyrosine serine/threonine threonine/tyrosine dual dual-specificity specificity".split()
)
CLASS_KINDS = {"part_of": "part", "involved_in": "process"}
# Verbs whose object names the process the gene carries out, as GO's name of the process on that object
# writes it: "transports zinc" (zinc ion transport), "synthesizes nitric oxide", "degrades hyaluronan".
PROCESS_VERBS = {
    "transport": " transport",
    "synthesize": " biosynthetic process",
    "degrade": " catabolic process",
    "hydrolyze": " catabolic process",
    "metabolize": " metabolic process",
    "fold": " folding",
}


@dataclass(frozen=True)
class GoAspects:
    """The molecular-function, cellular-component and biological-process lexicons, and HGNC's gene groups
    by key."""

    functions: GoLexicon
    components: GoLexicon
    processes: GoLexicon
    families: dict[str, GeneGroup] = field(default_factory=dict)
    # Each gene's own groups, by HGNC id.
    memberships: dict[str, tuple[GeneGroup, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TermMention:
    """A GO term as written: the tokens that name it, and its id and name."""

    start: int
    end: int
    type: str
    id: str
    name: str


def match_term(
    lexicon: GoLexicon, tokens: Sequence[Token], kind: str, *, suffix: str = ""
) -> TermMention | None:
    """The GO term the longest tail of ``tokens`` names (``suffix`` appended to the words: " binding"), or
    None. A term too general to say anything is no match. What is in parentheses is left out ("the protein
    tyrosine phosphatase (PTP) family")."""
    kept = outside_parentheses(tokens)
    for i, head in enumerate(kept):
        if head.is_punct or head.lower_ in ARTICLES:
            continue
        rest = "".join(t.text_with_ws for t in kept[i + 1 :])
        # A hyphenated word's tail too: "beta-galactoside-binding" names galactoside binding
        # ("non-DNA-binding" names none).
        heads = [head.text_with_ws]
        if not head.lower_.startswith("non"):
            heads += [head.text_with_ws[k + 1 :] for k, ch in enumerate(head.text[:-1]) if ch == "-"]
        term = next((t for t in (_best_term(lexicon, h + rest + suffix) for h in heads) if t), None)
        if term is None:
            continue
        if term.descendants > MAX_DESCENDANTS:
            return None
        return TermMention(head.i, tokens[-1].i + 1, kind, term.id, term.name)
    return None


def inverted_term(lexicon: GoLexicon, part: Token, whole: Token, kind: str) -> TermMention | None:
    """ "the lumen of the endoplasmic reticulum" read as GO writes it, "endoplasmic reticulum lumen"."""
    words = [t for t in phrase_tokens(whole) + phrase_tokens(part) if t.lower_ not in ARTICLES]
    term = _best_term(lexicon, " ".join(t.text for t in words))
    if term is None or term.descendants > MAX_DESCENDANTS:
        return None
    return TermMention(phrase_tokens(part)[0].i, whole.i + 1, kind, term.id, term.name)


def _best_term(lexicon: GoLexicon, phrase: str) -> GoTerm | None:
    ranked = rank_terms(lexicon, lexicon.entries(process_key(phrase)))
    return lexicon.terms[lexicon.by_id[ranked[0][0]]] if ranked else None


def _noun(token: Token) -> str:
    """A noun's singular by suffix rules (the lemmatizer reads "class" as "clas")."""
    return singular(token.lower_)


def phrase_tokens(noun: Token) -> list[Token]:
    """The noun and the modifiers before it that belong to its phrase ("the GTP - binding protein")."""
    left = [c.left_edge.i for c in noun.children if c.i < noun.i and c.dep_ in (*MODIFIERS, "det", "num")]
    start = min(left, default=noun.i)
    return list(noun.doc[start : noun.i + 1])


def _of_object(noun: Token) -> Token | None:
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def _conjuncts(token: Token) -> list[Token]:
    """The token and the words coordinated with it ("the nucleus and the cytoplasm")."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(_conjuncts(child))
    return found


def class_terms(noun: Token, aspects: GoAspects, member: str = "") -> list[tuple[str, TermMention]]:
    """The (predicate, term) pairs a class noun said of a gene gives: "a serine/threonine kinase" (enables),
    "a mitochondrial protein" (located_in), "a subunit of the mediator complex" (part_of), "a member of the
    protein kinase family", "a G-protein coupled receptor family member". ``member``: the HGNC id of the
    gene it is said of, whose own groups a family's name may name in words of its own."""
    lemma = _noun(noun)
    if lemma in FAMILY_NOUNS:  # "Plastins are a family of actin-binding proteins"
        return family_terms(noun, aspects, member)
    complement = _of_object(noun)
    if lemma in PART_NOUNS and complement is not None:
        # A complex may read as a gene family's name ("a subunit of V-ATPase"): GO's name decides.
        found = [_complex(aspects, phrase_tokens(c)) for c in _conjuncts(complement)]
        return [("part_of", term) for term in found if term is not None]
    if lemma in MEMBER_NOUNS:
        tokens = phrase_tokens(noun)
        family = next((t for t in tokens[:-1] if _noun(t) in FAMILY_NOUNS), None)
        if family is not None:  # "a G-protein coupled receptor family member"
            named = [t for t in tokens if t.i <= family.i]
            return _named_class(named[:-1], aspects) + _family_group(named, aspects, member)
        # The parse may hang the family off the member when a parenthesis comes between ("a member of the
        # ETS (E twenty-six) family of transcription factors").
        families = [c for c in noun.children if c.dep_ in ("dep", "appos") and _noun(c) in FAMILY_NOUNS]
        if complement is not None:
            families = [*_conjuncts(complement), *families]
        # "a member of the transmembrane 4 superfamily, also known as the tetraspanin family"
        for owner in (noun, *families):
            for known in owner.children:
                if known.dep_ in ("partmod", "vmod", "acl") and known.lemma_ in NAMING_VERBS:
                    families += [o for o in prep_objects(known, ("as",)) if _noun(o) in FAMILY_NOUNS]
        return [found for c in families for found in family_terms(c, aspects, member)]
    terms = _named_class(phrase_tokens(noun), aspects)
    # "encodes a type II classical cadherin": the class is one of the gene's own groups
    terms += _family_group(phrase_tokens(noun), aspects, member, own_only=True)
    process = _named_process(noun, lemma, complement, aspects)
    return terms if process is None else [*terms, ("involved_in", process)]


def _named_process(
    noun: Token, lemma: str, complement: Token | None, aspects: GoAspects
) -> TermMention | None:
    """The process a class noun's name says the gene carries out: the transport of a transporter's or a
    channel's cargo ("a zinc transporter", "a transporter of heme"), the change an enzyme makes to its
    substrate (``ENZYME_PROCESSES``); a ubiquitin ligase ubiquitinates proteins, a protease cleaves them, a
    molecular chaperone folds them."""
    modifiers = [t for t in phrase_tokens(noun)[:-1] if t.lower_ not in ARTICLES]
    named = None
    if lemma == "ligase" and any("ubiquitin" in t.lower_ for t in modifiers):
        named = "protein ubiquitination"
    elif lemma in PROTEASES:
        named = "proteolysis"
    elif (
        lemma == "chaperone"
        and all(t.lower_ == "molecular" for t in modifiers)
        and not prep_objects(noun, ("for",))
    ):
        named = "protein folding"  # not a histone chaperone's, nor "a chaperone for assembly of P"
    if named is not None:
        found = _best_term(aspects.processes, named)
        start = modifiers[0].i if modifiers else noun.i
        return None if found is None else TermMention(start, noun.i + 1, PROCESS, found.id, found.name)
    if lemma in TRANSPORT_NOUNS:
        process: str | None = PROCESS_VERBS["transport"]
        words = modifiers if complement is None else phrase_tokens(complement)
    else:
        process = ENZYME_PROCESSES.get(lemma)
        words = [t for t in modifiers if t.lower_ not in RESIDUE_WORDS]
    if process is None or not words:
        return None
    term = carried_out_on(words, aspects, process)
    return None if term is None else replace(term, end=max(term.end, noun.i + 1))


def carried_out_on(words: list[Token], aspects: GoAspects, process: str) -> TermMention | None:
    """A process on what ``words`` name, as GO names it (``process`` " transport": "zinc" -> zinc ion
    transport); None for a place ("transports mitochondria") or what GO names no such process of
    ("various molecules")."""
    words = [t for t in words if t.lower_ not in ARTICLES]
    if not words or match_term(aspects.components, words, COMPONENT) is not None:
        return None
    term = match_term(aspects.processes, words, PROCESS, suffix=process)
    # A noun left out names another thing ("sphingosine 1-phosphate" is no phosphate).
    if term is None or any(t.tag_.startswith("NN") for t in words if t.i < term.start):
        return None
    return term


def _complex(aspects: GoAspects, tokens: list[Token]) -> TermMention | None:
    """The component a part is of, a complex also named without the word ("a subunit of the mediator");
    the longer name wins ("mitochondrial ATP synthase" is no plasma membrane "ATP synthase")."""
    found = [
        term
        for suffix in ("", " complex")
        if (term := match_term(aspects.components, tokens, COMPONENT, suffix=suffix)) is not None
    ]
    if not found and any(_numbered(t) for t in tokens):
        # "the condensin II complex", which GO does not list apart: the complex the name says without its
        # number (GO's condensin complex), as a closer term is not there
        bare = [t for t in tokens if not _numbered(t)]
        found = [
            term
            for suffix in ("", " complex")
            if (term := match_term(aspects.components, bare, COMPONENT, suffix=suffix)) is not None
        ]
    if not found:
        # "the endosomal sorting complex required for transport II (ESCRT-II)": GO names it by the short form
        doc = tokens[0].doc
        for short, end in _parenthesized_after(tokens):
            names = (f"{short} complex", short)
            named = next((t for t in (_best_term(aspects.components, n) for n in names) if t), None)
            if named is not None and named.descendants <= MAX_DESCENDANTS:
                end += end < len(doc) and doc[end].lower_ == "complex"
                return TermMention(tokens[0].i, max(end, tokens[-1].i + 1), COMPONENT, named.id, named.name)
    return min(found, key=lambda term: term.start, default=None)


def _numbered(token: Token) -> bool:
    return token.like_num or re.fullmatch(r"[IVX]+", token.text) is not None


def _parenthesized_after(tokens: list[Token]) -> list[tuple[str, int]]:
    """What is written in parentheses inside a name or right after it, up to a comma or a relative pronoun,
    with the index of the token after the closing parenthesis."""
    doc = tokens[0].doc
    found = []
    for k in range(tokens[0].i, min(tokens[-1].sent.end, tokens[-1].i + 12) - 2):
        if k > tokens[-1].i and doc[k].text in (",", ";", "which", "that"):
            break
        if doc[k].text == "(" and doc[k + 2].text == ")":
            found.append((doc[k + 1].text, k + 3))
    return found


def family_terms(noun: Token, aspects: GoAspects, member: str = "") -> list[tuple[str, TermMention]]:
    """What a gene's family says of it: "(a member of / belongs to) the protein kinase family", "the family of
    estrogen receptors", "(one of) the subunits of the mediator complex", "(one of) the SERCA ATPases"."""
    lemma = _noun(noun)
    if lemma in PART_NOUNS or lemma in MEMBER_NOUNS:
        return class_terms(noun, aspects, member)
    tokens = phrase_tokens(noun)
    if lemma not in FAMILY_NOUNS:
        return _named_class(tokens, aspects)
    # A family's name is no gene of its own even where the lexicon reads one in it ("the serine/threonine
    # protein kinase family"); a subfamily says its own name and its family's ("the ephrin receptor
    # subfamily of the protein-tyrosine kinase family").
    found = _named_class(tokens[:-1], aspects) + _family_group(tokens, aspects, member)
    complement = _of_object(noun)
    if complement is not None:
        found.extend(family_terms(complement, aspects, member))
        if not any(predicate == "member_of" for predicate, _ in found):  # "the family of claudins"
            found.extend(_family_group(phrase_tokens(complement), aspects, member))
    return found


def _family_group(
    tokens: list[Token], aspects: GoAspects, member: str = "", *, own_only: bool = False
) -> list[tuple[str, TermMention]]:
    """The HGNC gene group a family's name names: the name, or the name without adjectives before it
    ("the large tripartite motif (TRIM) family", "the highly conserved cyclin family"); a noun before it
    makes another family ("double-stranded RNA adenosine deaminase" is no "adenosine deaminase"), and so
    does a negated adjective ("non-transmembrane receptor tyrosine kinases"). A name no group has may still
    name one of the groups of ``member``, the gene it is said of (``_own_group``: "the keratin gene family"
    of KRT84 is "Keratins, type II"), or be written as one's short form in parentheses ("(KCTD)").
    ``own_only``: only ``member``'s own groups."""
    kept = [t for t in outside_parentheses(tokens) if t.dep_ != "det"]
    own = aspects.memberships.get(member, ())
    # "the potassium channel tetramerization domain containing (KCTD) protein family": the short form
    for short, end in _parenthesized_after(tokens) if own and kept else ():
        # (not a gene's symbol: "binds valosin-containing protein (VCP)")
        mentions = tokens[0].doc.spans.get(MENTIONS, ())
        if any(m.label_ == GENE and m.start <= end - 2 < m.end for m in mentions):
            continue
        group = _own_group(group_key(short), own)
        if group is not None and end <= tokens[-1].i + 4:  # inside the name or right after it
            return [("member_of", TermMention(kept[0].i, tokens[-1].i + 1, FAMILY, group.id, group.name))]
    words = [t for t in kept if _noun(t) not in FAMILY_NOUNS]
    for i, head in enumerate(words):
        if i and (not words[i - 1].tag_.startswith(MODIFIER_TAGS) or words[i - 1].lower_.startswith("non")):
            break
        key = group_key(" ".join(t.text for t in kept[kept.index(head) :]))
        group = None if own_only else aspects.families.get(key)
        # a participle alone names no family ("a secreted protein" is no "Secreted frizzled-related protein")
        if group is None and not (" " not in key and head.tag_ in ("VBN", "VBD")):
            group = _own_group(key, own)
        if group is not None:
            term = TermMention(head.i, tokens[-1].i + 1, FAMILY, group.id, group.name)
            return [("member_of", term)]
    return []


def _other_organism(mention: Span) -> bool:
    """A gene named as another organism's ("mouse Mekk2")."""
    before = mention.doc[max(mention.start - 1, 0)]
    return before.i < mention.start and before.lower_ in OTHER_ORGANISM


def _own_group(key: str, groups: Iterable[GeneGroup]) -> GeneGroup | None:
    """The group among a gene's own whose name and ``key`` share their first words ("keratin" of "Keratins,
    type II"), their last ("beta tubulin" of "Tubulins", "cadherin" of "Type II classical cadherins"; not a
    bare word any family may end with, "kinase"), or all their words ("histone H3" of "H3 histones"), or
    whose last word begins ``key`` ("protocadherin gamma" of "Clustered protocadherins")."""
    if not key:
        return None
    for group in groups:
        own = group.key
        if (
            own == key
            or own.startswith(key + " ")
            or key.startswith(own + " ")
            or key.endswith(" " + own)
            or (own.endswith(" " + key) and key not in GENERIC_HEADS)
            or sorted(own.split()) == sorted(key.split())
            # "the protocadherin gamma gene cluster" of "Clustered protocadherins"
            or (key.split()[0] == own.split()[-1] and own.split()[-1] not in GENERIC_HEADS)
        ):
            return group
    return None


def _named_class(tokens: list[Token], aspects: GoAspects) -> list[tuple[str, TermMention]]:
    if not tokens:
        return []
    found: list[tuple[str, TermMention]] = []
    function = match_term(aspects.functions, tokens, FUNCTION)
    if function is None and tokens[-1].lower_ in PRODUCT_HEADS and len(tokens) > 1:
        function = match_term(aspects.functions, tokens[:-1], FUNCTION)
    if function is not None:
        found.append(("enables", function))
    head = tokens[-1]
    modifiers = [t for t in tokens[:-1] if t.head.i == head.i or t.head.i in {m.i for m in tokens[:-1]}]
    location = None
    if modifiers:
        location = match_term(aspects.components, modifiers, COMPONENT)
    if location is None:
        for modifier in modifiers:
            name = LOCATION_ADJECTIVES.get(modifier.lower_)
            if name and modifier.head.i == head.i:
                location = _named_component(aspects, name, modifier)
                break
    if location is not None:
        found.append(("located_in", location))
    return found


def _phrase_subtree(noun: Token) -> list[Token]:
    """The noun's phrase with its prepositional objects, without a clause that hangs from it ("the
    nucleolus, where it maintains ...")."""
    return [noun] + [t for c in noun.children if c.dep_ not in RELATIVE_CLAUSES for t in c.subtree]


def _chromosome_locus(prep: Token, place: Token) -> bool:
    """ "located on chromosome 4", "on the X chromosome": where the gene lies, not where its product is
    ("binds to mitotic chromosomes", "localizes to the inactive X chromosome")."""
    if place.lemma_.lower() != "chromosome":
        return False
    after = place.nbor(1) if place.i + 1 < len(place.doc) else None
    if after is not None and (after.like_num or after.text in ("X", "Y")):
        return True
    return prep.lower_ == "on" and any(c.text in ("X", "Y") for c in place.children)


def _named_component(aspects: GoAspects, name: str, token: Token) -> TermMention | None:
    term = _best_term(aspects.components, name)
    return TermMention(token.i, token.i + 1, COMPONENT, term.id, term.name) if term is not None else None


class FunctionFinder:
    """Finds the molecular functions and cellular components the Doc says of its genes."""

    def __init__(self, doc: Doc, aspects: GoAspects) -> None:
        self.doc = doc
        self.aspects = aspects
        self.mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []

    def find(self) -> list[Relation]:
        relations: list[Relation] = []
        for sentence in Sentence.each(self.doc, self.mentions):
            if not sentence.genes():
                continue
            for token in sentence.sent:
                relations.extend(self._read(sentence, token))
            relations.extend(self._class_families(sentence))
        return deduplicate(relations)

    def _class_families(self, sentence: Sentence) -> Iterator[Relation]:
        """A class the text names the gene by that is a gene family ("Claudins are ...", "The galectins
        are ..."): the gene is a member of it, as the class reading itself says."""
        for gene in sentence.genes():
            if gene._.resolved == CLASS:
                for predicate, term in _family_group(list(gene), self.aspects, gene.kb_id_):
                    yield self._relation(sentence, gene, predicate, term, gene.root, "class")

    def _read(self, sentence: Sentence, token: Token) -> Iterator[Relation]:
        lemma = token.lemma_.lower()
        if token.tag_.startswith("NN") or lemma in MEMBER_NOUNS:
            yield from self._classes(sentence, token)
        elif token.tag_.startswith("VB") and lemma == "bind":
            yield from self._bindings(sentence, token)
        elif token.tag_.startswith("VB") and lemma in PROCESS_VERBS:
            yield from self._processes(sentence, token, PROCESS_VERBS[lemma])
        elif token.tag_.startswith("VB") and lemma in DOMAIN_VERBS:
            yield from self._domains(sentence, token)
        elif lemma in FAMILY_VERBS:
            yield from self._families(sentence, token)
        elif (verb := LOCATION_FORMS.get(token.lower_, lemma)) in LOCATION_VERBS or verb == SECRETED:
            yield from self._locations(sentence, token, verb)

    def _classes(self, sentence: Sentence, noun: Token) -> Iterator[Relation]:
        """ "encodes a <class>", "is a <class>", and "has <function> activity", "its <function> activity"."""
        yield from self._enzyme(sentence, noun)
        # "Members of the F-box protein family, such as FBXO45, ...", "Connexins, such as GJB7, ..."
        said = (noun, *(c for c in [_of_object(noun)] if c is not None)) if noun.tag_ == "NNS" else ()
        for example in (c for n in said for e in examples(n) for c in _conjuncts(e)):
            named = sentence.mention_at(example)
            # (not another organism's: "other kinases, including mouse Mekk2 and tobacco NPK")
            if named is not None and named.label_ == GENE and not _other_organism(named):
                for predicate, term in class_terms(noun, self.aspects, named.kb_id_):
                    yield self._relation(sentence, named, predicate, term, noun, "class")
        gene = self._said_of(sentence, noun)
        if gene is not None:
            # a gene's own name ("binds valosin-containing protein (VCP)") is no family of the gene
            named = sentence.mention_at(noun)
            member = gene.kb_id_ if named is None or named._.resolved else ""
            for predicate, term in class_terms(noun, self.aspects, member):
                yield self._relation(
                    sentence, gene, predicate, term, noun, CLASS_KINDS.get(predicate, "class")
                )
        if noun.lemma_.lower() != "activity":
            return
        owner = None
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in HAVE_VERBS:
            owner = self._subject(sentence, noun.head)
        for child in noun.children:
            if owner is None and child.dep_ == "poss":
                owner = self._noun_gene(sentence, child)
        activity = match_term(self.aspects.functions, phrase_tokens(noun), FUNCTION)
        if owner is not None and activity is not None:
            yield self._relation(sentence, owner, "enables", activity, noun, "activity")

    def _enzyme(self, sentence: Sentence, noun: Token) -> Iterator[Relation]:
        """ "Dihydropyrimidinase catalyzes ...", "Lysophospholipases are enzymes that ...": a gene named by
        its activity, as the subject of what the text says of it, has that activity."""
        gene = sentence.mention_at(noun)
        if gene is None or gene.label_ != GENE or gene.root.i != noun.i or noun.dep_ not in SUBJECTS:
            return
        term = match_term(self.aspects.functions, list(gene), FUNCTION)
        if term is not None and (term.start, term.end) == (gene.start, gene.end):
            yield self._relation(sentence, gene, "enables", term, noun, "class")

    def _bindings(self, sentence: Sentence, verb: Token) -> Iterator[Relation]:
        """ "binds DNA", "binds to calcium": what a gene binds when that is no gene."""
        gene = self._subject(sentence, verb)
        if gene is None:
            return
        for obj in self._bound(verb):
            if any(t.i in sentence.by_token for t in obj.subtree):
                continue
            term = match_term(self.aspects.functions, phrase_tokens(obj), FUNCTION, suffix=" binding")
            if term is not None:
                yield self._relation(sentence, gene, "enables", term, verb, "binding")

    def _processes(self, sentence: Sentence, verb: Token, process: str) -> Iterator[Relation]:
        """ "transports zinc", "synthesizes nitric oxide", "degrades hyaluronan": the process on what is no
        gene."""
        gene = self._subject(sentence, verb)
        if gene is None or (verb.tag_ == "VBN" and not any(c.dep_ == "nsubj" for c in verb.children)):
            return  # "is transported to the nucleus", "is degraded": what is done to the gene itself
        for obj in (c for child in verb.children if child.dep_ == "dobj" for c in _conjuncts(child)):
            if not any(t.i in sentence.by_token for t in obj.subtree):
                term = carried_out_on(phrase_tokens(obj), self.aspects, process)
                if term is not None:
                    yield self._relation(sentence, gene, "involved_in", term, verb, "process")

    def _families(self, sentence: Sentence, verb: Token) -> Iterator[Relation]:
        """ "belongs to the <class> family"."""
        gene = self._subject(sentence, verb)
        if gene is None:
            return
        for prep in verb.children:
            for obj in (c for c in prep.children if c.dep_ == "pobj" and prep.lower_ == "to"):
                for family in _conjuncts(obj):
                    for predicate, term in family_terms(family, self.aspects, gene.kb_id_):
                        yield self._relation(sentence, gene, predicate, term, verb, "class")

    def _domains(self, sentence: Sentence, verb: Token) -> Iterator[Relation]:
        """ "contains a PDZ domain", "a protein containing seven WD repeats": a gene with a domain is a member
        of its HGNC group of the genes with that domain ("PDZ domain containing"), where HGNC lists it."""
        gene = self._subject(sentence, verb)
        if gene is None:
            return
        for obj in (c for child in verb.children if child.dep_ == "dobj" for c in _conjuncts(child)):
            if _noun(obj) in DOMAIN_NOUNS:
                words = [t for t in phrase_tokens(obj) if t.tag_ != "CD"]
                for predicate, term in _family_group(words, self.aspects, gene.kb_id_, own_only=True):
                    yield self._relation(sentence, gene, predicate, term, verb, "class")

    def _locations(self, sentence: Sentence, verb: Token, lemma: str) -> Iterator[Relation]:
        """ "localizes to the nucleus and the cytoplasm", "is found in mitochondria", "is secreted"; "X
        anchors Y to the membrane", "X sequesters Y in the nucleolus": Y is there too, held by X."""
        held = (
            [o for c in verb.children if c.dep_ == "dobj" for o in _conjuncts(c)]
            if lemma in HOLDING_VERBS
            else []
        )
        found = [self._subject(sentence, verb), *(self._noun_gene(sentence, o) for o in held)]
        genes = [gene for gene in found if gene is not None]
        places = []
        if lemma == SECRETED and verb.tag_ == "VBN":
            places.append(_named_component(self.aspects, "extracellular region", verb))
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATION_PREPOSITIONS:
                continue
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                for place in _conjuncts(obj):
                    if any(t.i in sentence.by_token for t in _phrase_subtree(place)) or _chromosome_locus(
                        prep, place
                    ):
                        continue
                    whole = _of_object(place)
                    term = inverted_term(self.aspects.components, place, whole, COMPONENT) if whole else None
                    places.append(
                        term or match_term(self.aspects.components, phrase_tokens(place), COMPONENT)
                    )
        for gene in genes:
            for term in (t for t in places if t is not None):
                yield self._relation(sentence, gene, "located_in", term, verb, "location")

    @staticmethod
    def _bound(verb: Token) -> Iterable[Token]:
        for child in verb.children:
            if child.dep_ == "dobj":
                yield from _conjuncts(child)
            elif child.dep_ == "prep" and child.lower_ in ("to", "with"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        yield from _conjuncts(obj)

    def _subject(self, sentence: Sentence, verb: Token) -> Span | None:
        """The gene a verb says something of: its subject, the subject of the verb it is coordinated with,
        or the noun its relative clause or participle modifies ("a protein that localizes to ...")."""
        while True:
            for child in verb.children:
                if child.dep_ in SUBJECTS:
                    if child.lower_ in ("that", "which") and verb.dep_ in RELATIVE_CLAUSES:
                        return self._noun_gene(sentence, verb.head)
                    return self._noun_gene(sentence, child)
            # "a protein product localized to the lumen": a participle the tagger read as an adjective
            if verb.dep_ in RELATIVE_CLAUSES or (verb.dep_ == "amod" and verb.i > verb.head.i):
                return self._noun_gene(sentence, verb.head)
            # "is thought to be localized in ...": the subject of the verb that raises it
            if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
                verb = verb.head
                continue
            return None

    def _noun_gene(self, sentence: Sentence, noun: Token) -> Span | None:
        """The gene a noun stands for: a gene mention, or a class said of one."""
        mention = sentence.mention_at(noun)
        if mention is not None and mention.label_ == GENE:
            return mention
        if noun.tag_.startswith("NN"):
            return self._said_of(sentence, noun)
        return None

    def _said_of(self, sentence: Sentence, noun: Token) -> Span | None:
        """The gene whose class a noun gives: "<gene> encodes a <noun>", "<gene> is a <noun>", "<gene> acts
        as a <noun>", "<gene>, a <noun>"."""
        mention = sentence.mention_at(noun)
        if mention is not None and mention.label_ == GENE and mention.root.i != noun.i:
            return None
        head = noun.head
        if noun.dep_ == "conj":
            return self._said_of(sentence, head) if head.tag_.startswith("NN") else None
        if noun.dep_ == "dobj" and head.lemma_.lower() in ENCODE_VERBS:
            return self._subject(sentence, head)
        if noun.dep_ == "appos" and sentence.mention_at(head) is not None:
            found = sentence.mention_at(head)
            return found if found is not None and found.label_ == GENE else None
        if noun.dep_ == "pobj" and head.lower_ == "as" and head.head.lemma_.lower() in AS_VERBS:
            return self._subject(sentence, head.head)
        if any(c.dep_ == "cop" for c in noun.children):
            return self._subject(sentence, noun)  # "<gene> is a <noun>", "a protein which is a <noun>"
        return None

    def _relation(
        self, sentence: Sentence, gene: Span, predicate: str, term: TermMention, trigger: Token, kind: str
    ) -> Relation:
        doc = self.doc
        first, last = doc[term.start], doc[term.end - 1]
        start, end = first.idx, last.idx + len(last)
        record = {
            "text": doc.text[start:end],
            "start": start,
            "end": end,
            "type": term.type,
            "id": term.id,
            "name": term.name,
        }
        subject = Argument(mention_record(gene), gene)
        return Relation(
            subject=subject,
            predicate=predicate,
            object=Argument(record),
            trigger=trigger_offsets(trigger),
            evidence=sentence.sent,
            confidence=CONFIDENCE[kind],
            negated=is_negated(trigger),
            hedged=is_hedged(trigger),
            construction=kind,
        )


def find_function_relations(doc: Doc, aspects: GoAspects) -> list[Relation]:
    """The molecular functions and cellular components a parsed Doc says of its gene mentions."""
    return FunctionFinder(doc, aspects).find()
