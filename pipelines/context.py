"""The words of a gene's own text that refer to that gene: "this gene", "the encoded protein", "it".

Gene function text speaks of its gene without naming it: RefSeq summaries and UniProt FUNCTION comments
write "This gene encodes a tumor suppressor protein ... The encoded protein responds to ... It acts as
...". Given a parsed Doc, its gene mentions and its context gene (the gene the statement is about), this
module finds the expressions that refer to the context gene or its product, so that the relation rules
relate them like any gene mention:

1. Descriptions: "this gene", "the gene product", "the encoded protein", "the protein encoded by this
   gene", "the product of this gene", "this enzyme/kinase/receptor/factor" (a demonstrative with a word
   that names a gene product), and "the <noun>" when an earlier reference introduced that noun for the
   gene ("encodes a tumor suppressor protein ... The protein ...", "X is the primary enzyme ... The
   enzyme ..."), unless the last "the <noun>" before it meant another gene.
2. What the gene encodes: the object of "encode" whose subject refers to the gene ("This gene encodes an
   enzyme that ..."), and what it is said to be ("This protein is a prostaglandin D2 receptor"), even
   where the lexicon reads the phrase as another gene's name.
3. Pronouns ("it", "its"), when the most salient earlier subject refers to the gene: the nearest subject
   before it in its sentence, else the main subject of the sentence before (the subject preference of
   centering theory: Grosz, Joshi and Weinstein 1995, Computational Linguistics 21(2); and of Lappin and
   Leass 1994, Computational Linguistics 20(4)); before any subject of the statement ("It binds STAT5A"),
   the gene the statement is given for. Expletive "it" ("it is thought that") is skipped, and so
   is "its" before a noun that names something else ("its targets", "its receptor").
4. The gene's own names: a mention the lexicon grounds to the context gene refers to it as written; a
   mention of an ambiguous name with the context gene among its candidates is read as the context gene.

Nothing that names something else is taken: a description with another gene's name in it ("the MYC
gene", "the product of the MYC gene"), plurals other than the gene's own products ("these genes"; "the
encoded proteins" and "these isoforms" are taken), pronouns whose salient subject is not the gene.
Every function here is pure: it reads the parse and the mentions and returns token ranges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, noun_lemma, outside_parentheses

# Nouns that stand for a gene or its product with "the" alone ("the gene", "the protein").
PRODUCT_NOUNS = frozenset(
    """gene locus protein product polypeptide transcript mrna rna mirna microrna lncrna isoform isoforms
    isoenzyme isozyme orf""".split()
)
# Nouns that name a kind of gene product: with "this" ("this kinase"), or with "the" once the text has
# introduced them for the gene. Any noun ending in -ase is an enzyme too (see is_class_noun).
CLASS_NOUNS = PRODUCT_NOUNS | frozenset(
    """enzyme receptor factor channel transporter exchanger cotransporter carrier pump glycoprotein
    lipoprotein phosphoprotein proteoglycan subunit peptide hormone cytokine chemokine ligand antigen
    regulator activator coactivator repressor corepressor inhibitor suppressor oncogene protooncogene
    proto-oncogene oncoprotein molecule member homolog homologue ortholog paralog adaptor adapter
    scaffold chaperone protease proteinase peptidase antibody immunoglobulin integrin lectin cadherin
    mucin collagen keratin histone toxin effector sensor""".split()
)
# Class nouns that name what a gene does to others: "an inhibitor of the X family" acts on its members.
ROLE_NOUNS = frozenset(
    """regulator activator coactivator repressor corepressor inhibitor suppressor effector antibody
    antigen sensor""".split()
)
# -ase nouns that are no enzymes.
NOT_ENZYMES = frozenset("case base phase release disease increase decrease ease purchase database".split())
# Class nouns that name a kind of product too general to place a gene in a class alone ("proteins",
# "enzymes"): "Histones are ..." speaks of H1-2's class, "Proteins are ..." of no gene's.
GENERIC_CLASSES = CLASS_NOUNS - frozenset(
    """histone keratin collagen integrin cadherin mucin lectin cytokine chemokine immunoglobulin mirna
    microrna""".split()
)
FAMILY_WORDS = frozenset({"family", "subfamily", "superfamily"})
PART_WORDS = frozenset({"subunit", "chain", "component", "domain"})
# Words that make a description another organism's gene or a look-alike: "the yeast meiotic recombination
# protein", "the similar protein in pig", "the Drosophila gene", "the hepatitis B virus X protein".
OTHER_ORGANISM = frozenset(
    """similar homologous orthologous analogous yeast bacterial viral virus plant mouse murine rat
    bovine porcine canine avian chicken drosophila fly xenopus zebrafish worm nematode arabidopsis""".split()
)
DESIGNATIONS = frozenset(
    {"family", "subfamily", "member", "class", "group", "type", "isoform"}
    # Greek letters tell members apart too: "actin beta", "interferon gamma", "tubulin alpha 1a".
    | set("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau".split())
)
# Nouns after "its" that name something other than the gene: "its targets", "its receptor".
NOT_ITSELF = frozenset(
    """target targets substrate substrates partner partners ligand ligands receptor receptors homolog
    homologs homologue homologues ortholog orthologs paralog paralogs member members family inhibitor
    inhibitors activator activators regulator regulators effector effectors interactor interactors
    binder downstream upstream counterpart counterparts neighbor neighbour own""".split()
)
# Adjectives before a "to" clause that make "it" expletive: "it is important to note".
EXPLETIVE_ADJECTIVES = frozenset(
    "possible important necessary difficult unclear unknown interesting notable noteworthy".split()
)
CONTEXT = "context"  # span._.resolved of a mention read as the context gene
CLASS = "class"  # ... read as the context gene's class
SUBJECTS = ("nsubj", "nsubjpass")
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
NP_MODIFIERS = ("det", "amod", "nn", "num", "poss", "predet", "quantmod", "hmod", "compound")
_ENZYME = re.compile(r"[a-z]{3,}ases?$")


@dataclass(frozen=True)
class Reference:
    """Tokens ``start``..``end`` (end-exclusive) of the Doc refer to the context gene; ``kind`` says how:
    "description", "encoded", "pronoun", "class" (a plural naming its class), "name" (a gene mention of
    the gene, ``span``), or "named" (a
    phrase around one, "the TP53 protein")."""

    start: int
    end: int
    kind: str
    span: Span | None = None


@dataclass
class _State:
    """What the walk through a text has learnt so far."""

    heads: set[int] = field(default_factory=set)  # tokens that stand for the context gene
    introduced: set[str] = field(default_factory=set)  # nouns the text has used for it
    last_meaning: dict[str, bool] = field(default_factory=dict)  # noun -> did "the <noun>" mean the gene
    references: list[Reference] = field(default_factory=list)
    in_family: bool = False  # the text has put the gene in a family ("encodes a member of the X family")
    # The first token after the sentence that put the gene in its family or spoke of its class: "these
    # proteins" and "they" there speak of the class too.
    class_follows: int = -1
    family_words: tuple[str, ...] = ()  # the name of that family ("forkhead box transcription factor")


def is_class_noun(lemma: str) -> bool:
    """A noun that names a kind of gene product ("kinase", "receptor", "dehydrogenase")."""
    return lemma in CLASS_NOUNS or (_ENZYME.match(lemma) is not None and lemma not in NOT_ENZYMES)


def find_references(
    doc: Doc, genes: Sequence[Span], context_id: str, *, class_name: str | None = None
) -> list[Reference]:
    """The expressions of ``doc`` that refer to the gene ``context_id``, in text order.

    ``genes`` are the Doc's gene mentions; those grounded to the context gene (or with it among their
    candidates) count as references by name. Descriptions that contain another gene's mention are not
    references. ``class_name`` is the gene's full name when statements about its class hold for it
    (see ``names_class``; None for a pseudogene).
    """
    state = _State()
    by_token: dict[int, Span] = {}
    for span in genes:
        for i in range(span.start, span.end):
            by_token[i] = span
    # Token.sent walks the Doc to find the sentence: read it once per sentence.
    sentence_of = {token.i: sent for sent in doc.sents for token in sent}
    for token in doc:
        sent = sentence_of[token.i]
        mention = by_token.get(token.i)
        if mention is not None:
            if token.i == mention.root.i and names_context(mention, context_id):
                state.heads.add(token.i)
                state.references.append(Reference(mention.start, mention.end, "name", mention))
            elif token.i == mention.root.i and (_encoded_object(token, state) or _predicated(token, state)):
                # "This gene encodes a GTP-binding protein", "This protein is a prostaglandin D2
                # receptor": a gene encodes its own product and a class said of the gene is the gene, so
                # a phrase there that the lexicon reads as another gene's name is the context gene.
                state.heads.add(token.i)
                state.references.append(Reference(mention.start, mention.end, "encoded", mention))
            continue
        reference = _reference(token, state, by_token, context_id)
        if reference is None and class_name and _described_family(token, state):
            reference = Reference(_phrase_start(token), token.i + 1, "class")
        if (
            reference is None
            and class_name
            and (
                names_class(token, class_name, by_token)
                or (state.in_family and is_its_family(token))
                or (
                    sent.start == state.class_follows
                    and (
                        is_these_members(token, by_token) or names_family(token, state.family_words, by_token)
                    )
                )
            )
        ):
            reference = Reference(_phrase_start(token), token.i + 1, "class")
            state.class_follows = sent.end
        if reference is not None:
            state.heads.add(token.i)
            if reference.kind != "named":
                state.references.append(reference)
        _learn(token, state)
    return state.references


def resolved_mentions(
    doc: Doc, mentions: Sequence[Span], references: Sequence[Reference], gene_id: str, name: str
) -> list[Span]:
    """The Doc's mentions with a gene mention for each reference: grounded to ``gene_id`` and ``name``,
    ``span._.resolved`` "context". A name grounded to the gene as written is kept as it is; an ambiguous
    one is replaced (a span's extensions are keyed by its kb_id, so it becomes a new Span)."""
    spans = list(mentions)
    for reference in references:
        named = reference.span
        if named is not None and named.kb_id_ == gene_id:
            continue
        span = Span(doc, reference.start, reference.end, label=GENE, kb_id=gene_id)
        span._.name = name
        span._.resolved = CLASS if reference.kind == "class" else CONTEXT
        if named is not None:
            spans.remove(named)
        spans.append(span)
    return spans


def names_class(noun: Token, class_name: str, by_token: dict[int, Span]) -> bool:
    """A bare plural subject that names the class the gene's own name puts it in: "microRNAs (miRNAs)
    are ... involved in P" for MIR214 (microRNA 214), "Olfactory receptors interact with ..." for OR2A4,
    "Histones are ..." for H1-2; or a bare singular that is the whole of that class name
    ("Acylphosphatase can hydrolyze ..." for ACYP2, acylphosphatase 2). The head and the modifiers before
    it, as far as they go, must be consecutive words of the name; a head that names any product
    ("proteins", "enzymes") needs a modifier too, and so does a phrase with "the" unless its head is a
    class word of its own ("the keratins"). No other determiner ("these proteins" are others), no
    gene named in the phrase.

    NCBI writes these for whole classes of genes (1,913 microRNA and 428 olfactory receptor summaries
    of the RefSeq set), so what they say of the class is what the record says of the gene.
    """
    singular = noun.tag_ in ("NN", "NNP")
    if not (singular or noun.tag_ in ("NNS", "NNPS")) or noun.dep_ not in SUBJECTS:
        return False
    determiners = [c for c in noun.children if c.dep_ in ("det", "poss", "predet", "num")]
    if any(d.lower_ != "the" for d in determiners) or _names_other(noun, by_token):
        return False
    if singular and determiners:
        return False
    words = [t.lemma_.lower() for t in noun.doc[_phrase_start(noun) : noun.i + 1] if t.is_alpha]
    if len(words) > 1 and words[-1] in PRODUCT_NOUNS:
        words = words[:-1]  # "olfactory receptor proteins" are olfactory receptors
    name = re.findall(r"[a-z0-9]+", class_name.lower())
    matched = 0
    for k in range(1, len(words) + 1):  # the longest run of the phrase's last words that heads the name
        tail = words[-k:]
        for i in range(len(name) - k + 1):
            rest = name[i + k :]
            # A singular names a part's whole ("ATP synthase" for "ATP synthase F1 subunit alpha").
            if name[i : i + k] == tail and _designation(rest) and not (singular and PART_WORDS & set(rest)):
                matched = k
    if matched == 0 or (singular and matched < len(words)):
        return False  # the singular is the class only as its whole name: "Aldehyde oxidase produces ..."
    # "The cytochrome P450 proteins are ..." is the class too; "the proteins" is not. A class word no other
    # gene product is named by ("the keratins", "the galectins") is the class with "the" as well; a
    # kind of enzyme ("the kinases") is not.
    specific = _ENZYME.match(words[-1]) is None
    return matched >= 2 or (words[-1] not in GENERIC_CLASSES and (not determiners or specific))


def is_its_family(noun: Token) -> bool:
    """A subject that speaks of the family the text has put the gene in: "Members of this family are
    involved in P", "Family members share ...", "This family of proteins is thought to ..."."""
    if noun.dep_ not in SUBJECTS:
        return False
    lemma = noun.lemma_.lower()
    determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "predet")}
    if lemma in FAMILY_WORDS:
        return determiners == {"this"}
    if lemma != "member" or noun.tag_ not in ("NNS", "NNPS") or determiners - {"the"}:
        return False
    if any(c.dep_ in ("nn", "compound") and c.lemma_.lower() in FAMILY_WORDS for c in noun.children):
        return True
    family = _of_complement(noun)
    return (
        family is not None
        and family.lemma_.lower() in FAMILY_WORDS
        and {c.lower_ for c in family.children if c.dep_ == "det"} & {"this", "the", "that"} != set()
    )


def names_family_of_member(mention: Span) -> bool:
    """A gene mention that names the family something is said to be one of: "a member of the BCL2
    family", "belongs to the BCL-2 protein family", "an EGF receptor family member". It names a class,
    not a partner: "binds members of the X family" (plural) still names the ones bound."""
    node = mention.root
    for _ in range(4):  # up the compound to the family noun: "the epidermal growth factor receptor family"
        if node.lemma_.lower() in FAMILY_WORDS or node.dep_ not in ("nn", "compound", "amod", "appos"):
            break
        node = node.head
    if node.lemma_.lower() not in FAMILY_WORDS:
        return False
    if node.dep_ in ("nn", "compound"):
        return node.head.lemma_.lower() == "member" and node.head.tag_ == "NN"
    if node.dep_ != "pobj" or node.head.lower_ not in ("of", "to"):
        return False
    governor = node.head.head
    lemma = governor.lemma_.lower()
    if lemma == "belong":
        return True
    if governor.tag_ != "NN":
        return False
    # "a secreted ligand of the TGF-beta superfamily" places its gene as "a member of" does; "an inhibitor
    # of the IAP family" and "a ligand of the TNF receptor family" act on the family's members.
    classifies = is_class_noun(lemma) and lemma not in ROLE_NOUNS
    if lemma == "ligand" and "receptor" in mention.doc[node.left_edge.i : node.i + 1].text.lower():
        classifies = False
    return lemma == "member" or lemma in FAMILY_WORDS or classifies


def _described_family(noun: Token, state: _State) -> bool:
    """The family the gene was just said to be a member of, when a relative clause describes it: "encodes
    a member of the immunophilin protein family, which play a role in P"."""
    if noun.lemma_.lower() not in FAMILY_WORDS or not any(c.dep_ == "rcmod" for c in noun.children):
        return False
    node = noun
    while node.dep_ == "pobj" and node.head.lower_ == "of":  # "a member of the X subfamily of the Y family"
        node = node.head.head
        if node.i in state.heads:
            return True
    return False


def is_these_members(noun: Token, by_token: dict[int, Span]) -> bool:
    """A subject right after the text put the gene in a family or spoke of its class, that speaks of the
    members: "encodes a member of the ADAM family. These transmembrane proteins play roles in P",
    "Ubiquilins contain ... They associate with X". Not "these genes" (a list the text named)."""
    if noun.dep_ not in SUBJECTS:
        return False
    if noun.lower_ == "they":
        return True
    determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "predet")}
    lemma = noun.lemma_.lower()
    return (
        noun.tag_ in ("NNS", "NNPS")
        and determiners == {"these"}
        and (lemma == "member" or (is_class_noun(lemma) and lemma != "gene"))
        and not _names_other(noun, by_token)
    )


def names_family(noun: Token, family: tuple[str, ...], by_token: dict[int, Span]) -> bool:
    """A bare plural subject right after the text put the gene in a family, that names the family's
    members: "This gene belongs to the forkhead box transcription factor family. Forkhead box
    transcription factors play roles in P", "a member of the kinesin family. Kinesins are ..."."""
    if not family or noun.tag_ not in ("NNS", "NNPS") or noun.dep_ not in SUBJECTS:
        return False
    if any(c.dep_ in ("det", "poss", "predet", "num") for c in noun.children) or _names_other(noun, by_token):
        return False
    words = _class_words(noun.doc[_phrase_start(noun) : noun.i + 1])
    if not words or (len(words) == 1 and words[0] in GENERIC_CLASSES):
        return False
    return family[-len(words) :] == words


def _class_words(span: Span) -> tuple[str, ...]:
    """The lemmas of a class name, without what is in parentheses and a trailing "protein" or "gene"."""
    # Letters with digits too: "S100 proteins", "p53 family members"
    words = [
        token.lemma_.lower() for token in outside_parentheses(span) if any(c.isalpha() for c in token.text)
    ]
    while len(words) > 1 and words[-1] in PRODUCT_NOUNS:
        words.pop()
    return tuple(words)


def _designation(rest: list[str]) -> bool:
    """Whether the words after a class in a gene's name only tell the member apart ("microRNA 214",
    "mitochondrial ribosomal protein L3", "olfactory receptor family 2 subfamily A member 4"), so that
    the class is what the gene is ("C-C motif chemokine receptor 9" is a receptor, not a chemokine)."""
    # "ribosomal proteins" and "ribosomal protein L3"; "integrins" and "integrin subunit beta 4"
    if rest and (rest[0] in PRODUCT_NOUNS or rest[0] in PART_WORDS):
        rest = rest[1:]
    return not rest or rest[0] in DESIGNATIONS or len(rest[0]) <= 2 or any(c.isdigit() for c in rest[0])


def names_context(mention: Span, context_id: str) -> bool:
    """A gene mention that names the context gene: grounded to it, or with it among its candidates."""
    if mention.kb_id_ == context_id:
        return True
    candidates = mention._.candidates or ()
    return any(candidate == context_id for candidate, _ in candidates)


def main_subject(sent: Span) -> Token | None:
    """The subject of a sentence's main clause, else its first subject."""
    subjects = [t for t in sent if t.dep_ in SUBJECTS]
    rooted = [t for t in subjects if t.head.i == sent.root.i]
    return next(iter(rooted or subjects), None)


def _reference(
    token: Token,
    state: _State,
    by_token: dict[int, Span],
    context_id: str,
) -> Reference | None:
    lower = token.lower_
    if token.tag_ == "PRP" and lower == "it":
        return (
            Reference(token.i, token.i + 1, "pronoun")
            if _salient(token, state) and not is_expletive(token)
            else None
        )
    if token.tag_ == "PRP$" and lower == "its":
        if token.head.lower_ in NOT_ITSELF or token.head.lemma_.lower() in NOT_ITSELF:
            return None
        return Reference(token.i, token.i + 1, "pronoun") if _salient(token, state) else None
    if not token.tag_.startswith("NN"):
        return None
    return _description(token, state, by_token, context_id)


def _salient(pronoun: Token, state: _State) -> bool:
    """Whether the most salient subject before ``pronoun`` refers to the context gene. Before any subject
    of the statement ("It binds STAT5A", "Its expression is induced by IL1"), the pronoun has no antecedent
    in the text: it is the statement's topic, the gene the statement is given for."""
    sent = pronoun.sent
    before = [t for t in sent if t.i < pronoun.i and t.dep_ in SUBJECTS and t.lower_ not in RELATIVE_PRONOUNS]
    if before:
        return _refers(before[-1], state)
    if sent.start == 0:
        return True
    last = main_subject(pronoun.doc[sent.start - 1].sent)
    return last is not None and _refers(last, state)


def _refers(token: Token, state: _State) -> bool:
    """A token stands for the context gene: a reference's head, a predicate noun or appositive of one
    ("X is a kinase", "X, a kinase"), or a relative pronoun whose antecedent does."""
    if token.i in state.heads:
        return True
    if token.lower_ in RELATIVE_PRONOUNS:
        node = token.head
        while node.dep_ not in ("rcmod", "ROOT") and node.head is not node:
            node = node.head
        return node.dep_ == "rcmod" and _refers(node.head, state)
    if any(c.dep_ == "cop" for c in token.children):
        return any(_refers(s, state) for s in token.children if s.dep_ in SUBJECTS)
    return token.dep_ == "appos" and token.head.i in state.heads


def is_expletive(pronoun: Token) -> bool:
    """ "It is thought that ...", "it is unclear whether ...", "it is important to note": no referent."""
    if pronoun.dep_ == "expl":
        return True
    head = pronoun.head
    for child in head.children:
        if child.dep_ in ("ccomp", "csubj", "csubjpass") and any(
            c.dep_ in ("mark", "complm") and c.lower_ in ("that", "whether", "if") for c in child.children
        ):
            return True
        if child.dep_ == "xcomp" and head.lower_ in EXPLETIVE_ADJECTIVES:
            return True
    return False


def _description(noun: Token, state: _State, by_token: dict[int, Span], context_id: str) -> Reference | None:
    """A noun phrase headed by ``noun`` that refers to the context gene, or None. A phrase around the
    gene's own name ("the TP53 protein") gives a Reference of kind "named": it stands for the gene, and
    the name is its mention."""
    lemma = noun_lemma(noun)
    start = _phrase_start(noun)
    inner = {id(by_token[i]): by_token[i] for i in range(start, noun.i) if i in by_token}
    if inner:
        if all(names_context(m, context_id) for m in inner.values()) and is_class_noun(lemma):
            return Reference(start, noun.i + 1, "named")
        return None  # "the MYC gene"
    if any(t.lower_ in OTHER_ORGANISM for t in noun.doc[start : noun.i]):
        return None
    family = _of_complement(noun) if lemma == "member" else None
    in_named_family = family is not None and family.lemma_.lower() in FAMILY_WORDS
    # "the protein encoded by the MYC gene", "the gene for MYC"; but not "a member of the MAPK family"
    if _names_other(noun, by_token) and not in_named_family:
        return None
    encoded = _encoded(noun, state, by_token, context_id)
    if encoded:
        # "The encoded protein functions in P" parsed as one noun phrase: the verb is no part of it.
        end = noun.i if noun.lower_ == "functions" and noun.i > start else noun.i + 1
        return Reference(start, end, "encoded" if encoded == "object" else "description")
    determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "predet")}
    plural = noun.tag_ in ("NNS", "NNPS") and lemma not in ("isoform", "isoforms")
    if plural or not determiners & {"this", "the"}:
        return None
    if not is_class_noun(lemma):
        return None
    if "this" in determiners:
        return Reference(start, noun.i + 1, "description")
    if _of_complement(noun) is not None:
        return None  # "the gene for X", "the protein of unknown function" may mean another
    if (lemma in PRODUCT_NOUNS or lemma in state.introduced) and state.last_meaning.get(lemma, True):
        return Reference(start, noun.i + 1, "description")
    return None


def _encoded(noun: Token, state: _State, by_token: dict[int, Span], context_id: str) -> str | None:
    """How a noun is the gene's product: "object" of "<the gene> encodes", or "encoded" ("the encoded
    protein", "the protein encoded by this gene", "the product of this gene"); None if neither."""

    def refers(token: Token) -> bool:  # the phrase after the noun has not been walked yet
        return _refers(token, state) or (
            token.tag_.startswith("NN") and _description(token, state, by_token, context_id) is not None
        )

    if _encoded_object(noun, state):
        return "object"
    for child in noun.children:
        if child.dep_ in ("amod", "partmod", "vmod") and child.lower_ == "encoded":
            agents = [
                o
                for p in child.children
                if p.dep_ in ("prep", "agent") and p.lower_ == "by"
                for o in p.children
                if o.dep_ == "pobj"
            ]
            if not agents or any(refers(a) for a in agents):
                return "encoded"
    complement = _of_complement(noun)
    # "the product of this gene"; but "inhibitors of the reductase" act on it
    lemma = noun.lemma_.lower()
    if complement is not None and is_class_noun(lemma) and lemma not in NOT_ITSELF and refers(complement):
        return "encoded"
    return None


def _encoded_object(noun: Token, state: _State) -> bool:
    """The noun is the object of "encode" whose subject refers to the gene ("This gene encodes a ..."),
    or of "produce" whose subject is the gene itself ("This gene produces long non-coding RNAs"). Also
    a conjoined object ("encodes a member of the X family and a component of P") and a conjoined verb
    ("This gene is a proto-oncogene and encodes a nuclear phosphoprotein")."""
    while noun.dep_ == "conj" and noun.head.tag_.startswith("NN"):
        noun = noun.head
    verb = noun.head
    lemma = verb.lemma_.lower()
    if noun.dep_ != "dobj" or lemma not in ("encode", "produce"):
        return False
    subjects = [s for s in verb.children if s.dep_ == "nsubj"]
    if not subjects and verb.dep_ == "conj":
        subjects = [s for s in verb.head.children if s.dep_ == "nsubj"]
    if lemma == "produce":  # "the encoded enzyme produces nitric oxide": a product of its own
        subjects = [s for s in subjects if s.lemma_.lower() in ("gene", "locus")]
    return any(_refers(s, state) for s in subjects)


def _predicated(noun: Token, state: _State) -> bool:
    """An indefinite predicate noun of a subject that refers to the gene: "This protein is a ..."."""
    return (
        any(c.dep_ == "cop" for c in noun.children)
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
        and any(_refers(s, state) for s in noun.children if s.dep_ in SUBJECTS)
    )


def _of_complement(noun: Token) -> Token | None:
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _phrase_start(noun: Token) -> int:
    """The first token of the words before a noun that belong to its phrase ("the membrane-associated")."""
    left = [c.left_edge.i for c in noun.children if c.i < noun.i and c.dep_ in NP_MODIFIERS]
    return min(left, default=noun.i)


def _names_other(noun: Token, by_token: dict[int, Span]) -> bool:
    """The phrase names a gene of its own: in an appositive, an "of"/"for" phrase, or an "encoded by"."""
    for child in noun.children:
        # an appositive that describes ("This protein, a downstream effector of Rho, ...") names no gene
        # of its own in its "of" phrase
        words = (
            [child, *(c for c in child.children if c.dep_ in ("nn", "amod", "conj"))]
            if child.dep_ == "appos"
            else child.subtree
        )
        if child.dep_ in ("appos", "dep", "prep", "partmod", "vmod", "amod", "nn") and any(
            t.i in by_token for t in words
        ):
            return True
    return False


def _learn(token: Token, state: _State) -> None:
    """Remember the nouns the text uses for the gene, and what "the <noun>" last meant."""
    if not token.tag_.startswith("NN"):
        return
    lemma = token.lemma_.lower()
    if lemma in FAMILY_WORDS and any(token.sent.start <= h < token.i for h in state.heads):
        state.in_family = True
        state.class_follows = token.sent.end
        state.family_words = _class_words(token.doc[_phrase_start(token) : token.i])
    if token.i in state.heads:
        if lemma != "gene":
            state.introduced.add(lemma)
        state.last_meaning[lemma] = True
    elif _refers(token, state):  # "X is the primary enzyme", "X, a kinase"
        state.introduced.add(lemma)
    elif is_class_noun(lemma) and any(c.dep_ == "det" for c in token.children):
        state.last_meaning[lemma] = False
