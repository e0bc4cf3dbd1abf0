"""generx's spaCy factories: the one module where they are registered.

Each factory is thin: it loads what it needs once (the compiled lexicons are cached per process) and
its component calls the pure functions of ``generx.pipelines.genes`` and ``generx.pipelines.processes``, then
writes the results as spans into ``doc.spans["generx_mentions"]`` (see ``generx.pipelines.annotations``).

When a statement brings its own entities (``prepare_doc`` keeps them on the Doc), the gene component
places exactly those as the mentions, after the parse, and neither component adds its own.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from generx.pipelines.annotations import GENE, MENTIONS, PROCESS, PROCESS_CANDIDATES, register_extensions
from generx.pipelines.context import find_references, resolved_mentions
from generx.pipelines.errors import ModelNotFound
from generx.pipelines.functions import GoAspects, find_function_relations
from generx.pipelines.genes import (
    GeneMention,
    apply_abbreviations,
    find_gene_mentions,
    ground_span,
    lookup_gene,
)
from generx.pipelines.lexicon import (
    GO_CC_FILE,
    GO_MF_FILE,
    CorpusForms,
    GeneLexicon,
    GoLexicon,
    load_corpus_forms,
    load_gene_groups,
    load_gene_lexicon,
    load_gene_memberships,
    load_go_lexicon,
    process_key,
)
from generx.pipelines.process_model import ProcessModel, process_relations
from generx.pipelines.processes import ProcessMention, find_process_mentions, rewrites_for
from generx.pipelines.relation_model import DEFAULT_CONVENTION, RelationModel, model_relations
from generx.pipelines.relations import context_argument, find_relations, promote_candidates, reading_order
from generx.pipelines.triggers import repair_misread_verbs

log = logging.getLogger(__name__)

# scispaCy's abbreviation detector keeps an empty global matcher and warns (W036) on every Doc.
warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)

# spaCy forbids "." in factory names (error E853), so the namespaced, versioned names the design
# asks for ("generx.genes.v1") are written with underscores.
GENES_FACTORY = "generx_genes_v1"
PROCESSES_FACTORY = "generx_processes_v1"

ABBREVIATIONS_FACTORY = "generx_abbreviations_v1"
VERB_REPAIR_FACTORY = "generx_verb_repair_v1"
# Nouns that keep a process of DNA one: "chromosome replication", "damage repair".
DNA_WORDS = frozenset(
    "dna chromosome chromosomal genome genomic chromatin strand break damage mismatch excision".split()
)

# Set on a Doc whose mentions were given with the statement, so later mention components skip it too.
GIVEN_FLAG = "generx_mentions_given"
# The entities a statement brings (pipelines.pipeline.prepare_doc), until the gene component places them.
GIVEN_ENTITIES = "generx_given_entities"


@Language.factory(VERB_REPAIR_FACTORY, assigns=["token.tag", "token.pos", "token.dep"])
def make_verb_repair(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Reads again, as verbs, the trigger verbs the tagger took for plural nouns
    (``generx.pipelines.triggers.repair_misread_verbs``)."""

    def repair(doc: Doc) -> Doc:
        repair_misread_verbs(doc)
        return doc

    return repair


@Language.factory(ABBREVIATIONS_FACTORY, assigns=["doc._.abbreviations"])
def make_abbreviation_detector(nlp: Language, name: str) -> AbbreviationDetector:
    """scispaCy's abbreviation detector (Schwartz & Hearst 2003), under a generx name.

    scispaCy registers its factory only when ``scispacy.abbreviation`` is imported; under this name the
    detector resolves through generx's ``spacy_factories`` entry points, so a saved generx pipeline
    loads with ``spacy.load`` in a script that imports nothing else.
    """
    return AbbreviationDetector(nlp, name=name)


def _lexicon_dir(path: str | None) -> Path | None:
    return Path(path) if path else None


def _given(doc: Doc) -> bool:
    if GIVEN_FLAG not in doc.user_data:
        doc.user_data[GIVEN_FLAG] = MENTIONS in doc.spans
    return bool(doc.user_data[GIVEN_FLAG])


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    # Tokens were split at mention boundaries first (split_tokens_at); "expand" only matters when a
    # boundary falls inside whitespace-free text that could not be split.
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split tokens so that each character offset in ``offsets`` is a token boundary.

    A mention can be part of a token ("IL2-induced", "IL7-", "p53-dependent", "anti-IL2"), and the
    record must carry the gene's own text and offsets. The piece that keeps the token's head, dep
    and tag is its last piece with a letter or digit (so "-induced" stays the amod of "proliferation",
    with "IL2" attached to it as ``npadvmod``); the others attach to it. spaCy's retokenizer leaves
    the token indices of span groups and of doc._.abbreviations as they were on a split, so both are
    written again at their character offsets (a Span's extensions are keyed by those, and kept).
    """
    cuts = sorted(offsets)
    plans = []
    for token in doc:
        end = token.idx + len(token.text)
        inner = cuts[bisect.bisect_right(cuts, token.idx) : bisect.bisect_left(cuts, end)]
        if inner:
            plans.append((token, [token.idx, *inner, end]))
    if not plans:
        return
    parsed, tagged, has_pos = doc.has_annotation("DEP"), doc.has_annotation("TAG"), doc.has_annotation("POS")
    groups = {name: [_char_edges(span) for span in group] for name, group in doc.spans.items()}
    abbreviations = [
        (_char_edges(a), _char_edges(a._.long_form))
        for a in (doc._.abbreviations if Doc.has_extension("abbreviations") else None) or ()
        if a._.long_form is not None
    ]
    with doc.retokenize() as retokenizer:
        for token, bounds in plans:
            orths = [doc.text[a:b] for a, b in itertools.pairwise(bounds)]
            alnum = [any(ch.isalnum() for ch in orth) for orth in orths]
            main = max((i for i, ok in enumerate(alnum) if ok), default=len(orths) - 1)
            heads: list[Token | tuple[Token, int]] = [
                (token, main) if i != main or token.head.i == token.i else token.head
                for i in range(len(orths))
            ]
            attrs: dict[str | int, list[Any]] = {}
            if parsed:
                attrs["DEP"] = [
                    token.dep_ if i == main else "npadvmod" if alnum[i] else "punct"
                    for i in range(len(orths))
                ]
            if tagged:
                attrs["TAG"] = [
                    token.tag_ if i == main else "NN" if alnum[i] else "HYPH" for i in range(len(orths))
                ]
            if has_pos:
                attrs["POS"] = [
                    token.pos_ if i == main else "PROPN" if alnum[i] else "PUNCT" for i in range(len(orths))
                ]
            for values in attrs.values():
                for value in values:
                    doc.vocab.strings.add(value)  # the retokenizer stores hashes only
            retokenizer.split(token, orths, heads=heads, attrs=attrs)
    for name, edges in groups.items():
        doc.spans[name] = [span for edge in edges if (span := _span_at(doc, edge)) is not None]
    if abbreviations:
        doc._.abbreviations = []
        for short_edges, long_edges in abbreviations:
            short, long = _span_at(doc, short_edges), _span_at(doc, long_edges)
            if short is not None and long is not None:
                short._.long_form = long
                doc._.abbreviations.append(short)


def _char_edges(span: Span) -> tuple[int, int, str, str]:
    return span.start_char, span.end_char, span.label_, span.kb_id_


def _span_at(doc: Doc, edges: tuple[int, int, str, str]) -> Span | None:
    start, end, label, kb_id = edges
    return doc.char_span(start, end, label=label, kb_id=kb_id)


def _add_mentions(
    doc: Doc, mentions: Sequence[GeneMention | ProcessMention], label: str, group: str = MENTIONS
) -> None:
    """Split tokens at mention edges, then append the mentions to the Doc's span group. Process
    candidates split nothing (they are no mentions yet); one not on token edges is left out."""
    if group == MENTIONS:
        split_tokens_at(doc, {offset for m in mentions for offset in (m.start, m.end)})
    spans = list(doc.spans[group]) if group in doc.spans else []
    for mention in mentions:
        span = (
            _span(doc, mention.start, mention.end, label)
            if group == MENTIONS
            else doc.char_span(mention.start, mention.end, label=label)
        )
        if span is None:
            continue
        span.kb_id_ = mention.id
        span._.name = mention.name
        span._.candidates = list(mention.candidates) or None
        span._.members = list(getattr(mention, "members", ())) or None
        spans.append(span)
    doc.spans[group] = spans


def _add_given(doc: Doc) -> None:
    """Place a statement's own entities as its mentions, each named by its text and id as given."""
    entities = doc.user_data.pop(GIVEN_ENTITIES, ())
    split_tokens_at(doc, {offset for entity in entities for offset in (entity.start, entity.end)})
    spans = []
    for entity in entities:
        span = _span(doc, entity.start, entity.end, entity.type)
        if span is not None:
            span.kb_id_ = entity.id
            span._.name = entity.text
            spans.append(span)
    doc.spans[MENTIONS] = spans


def _abbreviations(doc: Doc) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(short form, long form) character spans of scispaCy's abbreviation detector, if it ran."""
    if not Doc.has_extension("abbreviations") or not doc._.abbreviations:
        return []
    return [
        ((a.start_char, a.end_char), (a._.long_form.start_char, a._.long_form.end_char))
        for a in doc._.abbreviations
        if a._.long_form is not None
    ]


class GeneRecognizer:
    """Writes grounded gene mentions: lexicon matches, confirmed or added by NER and abbreviations."""

    def __init__(
        self, lexicon: GeneLexicon, *, use_ner: bool, use_abbreviations: bool, keep_ungrounded: bool
    ) -> None:
        self.lexicon = lexicon
        self.use_ner = use_ner
        self.use_abbreviations = use_abbreviations
        self.keep_ungrounded = keep_ungrounded

    def __call__(self, doc: Doc) -> Doc:
        if _given(doc):
            _add_given(doc)
            return doc
        text = doc.text
        context = doc._.context_gene
        ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "GENE"] if self.use_ner else []
        mentions = find_gene_mentions(self.lexicon, text, context_gene=context, support=ents)
        for start, end in ents:
            if any(m.start < end and start < m.end for m in mentions):
                continue
            grounded = ground_span(self.lexicon, text, start, end, context_gene=context)
            if grounded is not None:
                mentions.append(grounded)
            elif self.keep_ungrounded:
                mentions.append(GeneMention(start, end, text[start:end], "", "", source="ner"))
        # Also without a pair from the detector: apply_abbreviations reads those it misses ("(SPT; EC ...)").
        if self.use_abbreviations:
            pairs = _abbreviations(doc)
            mentions = apply_abbreviations(self.lexicon, text, mentions, pairs, context_gene=context)
        _add_mentions(doc, sorted(mentions, key=lambda m: m.start), GENE)
        return doc


class ProcessRecognizer:
    """Writes grounded GO biological-process mentions."""

    def __init__(self, lexicon: GoLexicon, *, related: bool, forms: CorpusForms | None = None) -> None:
        self.lexicon = lexicon
        self.related = related
        self.forms = forms

    def __call__(self, doc: Doc) -> Doc:
        if _given(doc):
            return doc
        gene_spans = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
        genes = [(s.start_char, s.end_char, s.kb_id_) for s in gene_spans]
        rewrites = rewrites_for(self.lexicon, doc.text, genes=genes, abbreviations=_abbreviations(doc))
        # A process inside a gene's name ("cell growth" in "T cell growth factor") is not a mention, nor is
        # an acronym that names a gene as well ("TCR" is the T cell receptor before transcription-coupled
        # repair).
        found = [
            m
            for m in find_process_mentions(
                self.lexicon, doc.text, related=self.related, forms=self.forms, rewrites=rewrites
            )
            if not any(
                s <= m.start and m.end <= e and ((s, e) != (m.start, m.end) or m.text.isupper())
                for s, e, _id in genes
            )
        ]
        found = [m for m in found if not self._other_substrate(doc, m)]
        _add_mentions(doc, [m for m in found if not m.weak], PROCESS)
        _add_mentions(doc, [m for m in found if m.weak], PROCESS, PROCESS_CANDIDATES)
        return doc

    def _other_substrate(self, doc: Doc, mention: ProcessMention) -> bool:
        """A corpus form that leaves DNA understood ("repair", "replication" are DNA repair and DNA
        replication in CRAFT's articles) names another process after a noun that says what is repaired or
        replicated: "tissue repair", "HIV-1 replication". Needs the parse; a Doc without one keeps it."""
        key = process_key(mention.text)
        if self.forms is None or key not in self.forms.forms or not doc.has_annotation("DEP"):
            return False
        if not mention.name.lower().startswith("dna ") or " " in key:
            return False
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return False
        return any(
            c.dep_ in ("nn", "compound")
            and c.i < span.start
            and c.tag_.startswith("NN")
            and c.lower_ not in DNA_WORDS
            for c in span.root.children
        )


@Language.factory(
    GENES_FACTORY,
    default_config={
        "lexicon_dir": None,
        "use_ner": True,
        "use_abbreviations": True,
        "keep_ungrounded": False,
    },
    requires=["doc.ents"],
    assigns=["doc.spans"],
)
def make_gene_recognizer(
    nlp: Language,
    name: str,
    lexicon_dir: str | None,
    use_ner: bool,
    use_abbreviations: bool,
    keep_ungrounded: bool,
) -> GeneRecognizer:
    """Gene mentions grounded to HGNC (``generx.pipelines.genes``).

    The lexicon comes from ``lexicon_dir``, else models/lexicons. ``use_ner`` reads the trained
    recogniser's GENE entities (support for weak aliases, and spans to ground); off by default
    because the current NER snapshot lowers BioRED (span, id) F1 (see models/lexicons/MODEL_CARD.md).
    """
    register_extensions()
    lexicon = load_gene_lexicon(_lexicon_dir(lexicon_dir))
    return GeneRecognizer(
        lexicon, use_ner=use_ner, use_abbreviations=use_abbreviations, keep_ungrounded=keep_ungrounded
    )


@Language.factory(
    PROCESSES_FACTORY,
    default_config={"lexicon_dir": None, "related_synonyms": True, "corpus_forms": True},
    assigns=["doc.spans"],
)
def make_process_recognizer(
    nlp: Language, name: str, lexicon_dir: str | None, related_synonyms: bool, corpus_forms: bool
) -> ProcessRecognizer:
    """GO biological-process mentions (``generx.pipelines.processes``); lexicon from ``lexicon_dir``.

    ``corpus_forms`` (on by default) adds CRAFT's ways of writing processes ("expressed" as gene
    expression, "regulated" as biological regulation); the relation reader decides per relation
    whether such a word is its trigger or a process argument (``pipelines.arguments.trigger_words_only``).
    Genes are read in GO's spelling and abbreviations by their long form (``rewrites_for``).
    """
    register_extensions()
    directory = _lexicon_dir(lexicon_dir)
    forms = load_corpus_forms(directory) if corpus_forms else None
    return ProcessRecognizer(load_go_lexicon(directory), related=related_synonyms, forms=forms)


def ground_gene(lexicon: GeneLexicon, symbol: str) -> tuple[str | None, str | None]:
    """HGNC id and approved symbol of a context gene given by any name."""
    candidates = lookup_gene(lexicon, symbol)
    if not candidates:
        return None, None
    gene_id = candidates[0][0]
    index = lexicon.by_id.get(gene_id)
    return gene_id, lexicon.genes[index].symbol if index is not None else None


# ------------------------------------------------------------------------------------------------
# The context gene's own words: "this gene", "the encoded protein", "it".
# ------------------------------------------------------------------------------------------------

CONTEXT_FACTORY = "generx_context_v1"


class ContextResolver:
    """Adds gene mentions for the words that refer to the statement's context gene
    (``generx.pipelines.context``): grounded to it, marked ``span._.resolved = "context"``."""

    def __init__(self, lexicon: GeneLexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        if not doc._.context_gene or _given(doc):
            return doc
        gene_id, symbol = ground_gene(self.lexicon, doc._.context_gene)
        if gene_id is None or gene_id not in self.lexicon.by_id:
            return doc  # unknown, or a family: no "this gene"
        mentions = list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []
        gene = self.lexicon.genes[self.lexicon.by_id[gene_id]]
        # What is said of a class holds for its working members, not for a pseudogene.
        class_name = gene.name if gene.locus_group != "pseudogene" else None
        references = find_references(
            doc, [s for s in mentions if s.label_ == GENE], gene_id, class_name=class_name
        )
        doc.spans[MENTIONS] = resolved_mentions(doc, mentions, references, gene_id, symbol or gene_id)
        return doc


@Language.factory(
    CONTEXT_FACTORY,
    default_config={"lexicon_dir": None},
    requires=["doc.spans", "token.dep", "token.lemma"],
    assigns=["doc.spans"],
)
def make_context_resolver(nlp: Language, name: str, lexicon_dir: str | None) -> ContextResolver:
    """Mentions of the context gene through "this gene", "the encoded protein", "it", or an ambiguous
    name; the gene lexicon grounds the context gene."""
    register_extensions()
    return ContextResolver(load_gene_lexicon(_lexicon_dir(lexicon_dir)))


# ------------------------------------------------------------------------------------------------
# Relations (the lead adds generx_relations_v1 below this line).
# ------------------------------------------------------------------------------------------------

RELATIONS_FACTORY = "generx_relations_v1"


class RelationExtractor:
    """Writes doc._.relations: the relations between the Doc's mentions (``generx.pipelines.relations``)."""

    def __init__(self, lexicon: GeneLexicon) -> None:
        self.lexicon = lexicon

    def ground(self, symbol: str) -> tuple[str | None, str | None]:
        """HGNC id and approved symbol of a context gene given by any name."""
        return ground_gene(self.lexicon, symbol)

    def __call__(self, doc: Doc) -> Doc:
        context = context_argument(doc._.context_gene, self.ground)
        doc._.relations = find_relations(doc, context=context)
        promote_candidates(doc, doc._.relations)
        return doc


@Language.factory(
    RELATIONS_FACTORY,
    default_config={"lexicon_dir": None},
    requires=["doc.spans", "token.dep", "token.lemma"],
    assigns=["doc._.relations"],
)
def make_relation_extractor(nlp: Language, name: str, lexicon_dir: str | None) -> RelationExtractor:
    """Signed gene-gene and gene-process relations; the gene lexicon grounds the context gene."""
    register_extensions()
    return RelationExtractor(load_gene_lexicon(_lexicon_dir(lexicon_dir)))


FUNCTIONS_FACTORY = "generx_functions_v1"


class FunctionReader:
    """Adds to doc._.relations the GO molecular functions and cellular components said of the Doc's genes
    (``generx.pipelines.functions``): enables, located_in, part_of."""

    def __init__(self, aspects: GoAspects) -> None:
        self.aspects = aspects

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = [*(doc._.relations or []), *find_function_relations(doc, self.aspects)]
        return doc


@Language.factory(
    FUNCTIONS_FACTORY,
    default_config={"lexicon_dir": None},
    requires=["doc.spans", "token.dep", "token.lemma"],
    assigns=["doc._.relations"],
)
def make_function_reader(nlp: Language, name: str, lexicon_dir: str | None) -> FunctionReader:
    """GO molecular functions and cellular components of genes, from the compiled GO MF and CC lexicons."""
    register_extensions()
    directory = _lexicon_dir(lexicon_dir)
    return FunctionReader(
        GoAspects(
            load_go_lexicon(directory, GO_MF_FILE),
            load_go_lexicon(directory, GO_CC_FILE),
            load_go_lexicon(directory),  # shared with the process recognizer: loaded once
            load_gene_groups(directory),
            load_gene_memberships(directory),
        )
    )


RELATION_MODEL_FACTORY = "generx_relation_model_v1"


class RelationScorer:
    """Rewrites doc._.relations with the trained relation model (``generx.pipelines.relation_model``):
    every gene pair of a sentence scored for predicate and direction, the rules' readings as features;
    and, with a gene–process part (``generx.pipelines.process_model``), the statement's context gene and
    each process a sentence names with it."""

    def __init__(
        self,
        model: RelationModel,
        *,
        min_confidence: float | None = None,
        processes: ProcessModel | None = None,
        lexicon: GeneLexicon | None = None,
    ) -> None:
        self.model = model
        self.min_confidence = min_confidence
        self.processes = processes
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        rules = doc._.relations or []
        relations = model_relations(
            doc, rules, self.model, min_confidence=self.min_confidence, given_entities=_given(doc)
        )
        if self.processes is not None and self.lexicon is not None and doc._.context_gene:
            gene_id, _ = ground_gene(self.lexicon, doc._.context_gene)
            if gene_id is not None:
                relations += process_relations(
                    doc, rules, self.processes, gene_id, min_confidence=self.min_confidence
                )
                relations.sort(key=reading_order)
        doc._.relations = relations
        return doc


@Language.factory(
    RELATION_MODEL_FACTORY,
    default_config={
        "model": None,
        "min_confidence": None,
        "convention": DEFAULT_CONVENTION,
        "process_model": None,
        "lexicon_dir": None,
    },
    requires=["doc._.relations", "doc.spans", "token.dep"],
    assigns=["doc._.relations"],
)
def make_relation_scorer(
    nlp: Language,
    name: str,
    model: str | None,
    min_confidence: float | None,
    convention: str,
    process_model: str | None,
    lexicon_dir: str | None,
) -> RelationScorer:
    """The trained relation model from ``model`` (models/relation_model/relation_model.json.gz).

    ``min_confidence``: report a relation only at or above it (None: the model's own threshold for gene
    pairs, chosen by cross-validation; every rule relation it cannot judge is kept). ``convention``: whose
    way of reading relations the model follows (``generx.pipelines.relation_model``). ``process_model``:
    the gene–process part (models/relation_model/process_model.json.gz; None: none), which the gene
    lexicon in ``lexicon_dir`` serves by grounding the context gene.
    """
    register_extensions()
    if not model:
        raise ModelNotFound(f"{name}: no relation model file configured")
    return RelationScorer(
        RelationModel.from_disk(Path(model), convention),
        min_confidence=min_confidence,
        processes=ProcessModel.from_disk(Path(process_model)) if process_model else None,
        lexicon=load_gene_lexicon(_lexicon_dir(lexicon_dir)) if process_model else None,
    )
