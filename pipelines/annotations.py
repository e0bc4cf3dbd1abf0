"""The annotations generx components leave on a Doc, in one place.

Mentions live in the span group ``doc.spans[MENTIONS]`` (gene and process mentions may overlap, as in
"IL2 signaling"). Each mention span has ``label_`` "gene" or "process" and ``kb_id_`` set to its
grounded id ("HGNC:6001", "GO:0042098"), or "" when it could not be grounded.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

MENTIONS = "generx_mentions"
# Process phrases that are processes only where a relation takes them as its argument ("development",
# "signal transduction"); one that a relation takes is moved into MENTIONS.
PROCESS_CANDIDATES = "generx_process_candidates"
GENE = "gene"
PROCESS = "process"


def register_extensions() -> None:
    """Register the Doc and Span extensions generx uses (idempotent)."""
    # The statement the Doc was made from, and the gene it is about (a GenAtlas page's symbol,
    # a GeneRIF's gene): set by the caller before the pipeline runs.
    for name in ("statement_id", "context_gene"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    # Relations found by the relation component: a list of generx.pipelines.relations.Relation.
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)
    # A mention's display name (approved symbol or GO term name), its ranked candidates
    # [(id, score), ...] when ambiguous, and for a family or complex the HGNC ids of its members.
    # How a mention that names no gene of its own was read ("context": the statement's context gene,
    # through "this gene", "the encoded protein", "it" or an ambiguous name; see generx.pipelines.context).
    for name, default in (("name", ""), ("candidates", None), ("members", None), ("resolved", None)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()


def noun_lemma(token: Token) -> str:
    """A noun's lemma, lowercased; a noun tagged singular is its own lemma (the lemmatizer strips the "s"
    of "locus", "class", "nucleus" as if they were plurals)."""
    if token.tag_ in ("NN", "NNP"):
        return token.lower_
    return token.lemma_.lower()


def outside_parentheses(tokens: Iterable[Token]) -> list[Token]:
    """The tokens not inside brackets: "the protein tyrosine phosphatase (PTP) family" without "( PTP )"."""
    kept, depth = [], 0
    for token in tokens:
        depth += token.text == "("
        if depth == 0:
            kept.append(token)
        depth -= token.text == ")" and depth > 0
    return kept
