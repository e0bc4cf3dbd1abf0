"""Reader of the unified protein–protein interaction XML of Pyysalo et al. 2008.

The five PPI corpora (AIMed, BioInfer, HPRD50, IEPA, LLL) share one format (BMC Bioinformatics 9
Suppl 3:S6): ``corpus/document/sentence`` with ``entity`` elements (``charOffset`` relative to the
sentence text, possibly discontinuous as ``a-b,c-d``) and the positive ``interaction`` elements; every
other pair of entities of the sentence is a negative. Older releases list every candidate as a
``pair`` element with ``interaction="True|False"``; both are read. Interactions are undirected, except
in LLL, whose ``e1`` is the agent and ``e2`` the target.

Self-interactions. The format gives every mention its own id, and the corpora annotate an interaction
between two mentions of one protein like any other pair when the text states one (LLL: "YfhP may act
as a negative regulator for the transcription of ... yfhP"; BioInfer: "actin assembly off of the pool
of actin-T beta 4 complex", 40 of its 439 same-name pairs), while an interaction of a mention with
itself (``e1`` = ``e2``) is no pair. The benchmark protocol (Airola et al. 2008, whose candidates are
all pairs of distinct mentions) follows the corpora, and so does this reader: two mentions of one
protein are a candidate pair, scored as the gold says; ``e1`` = ``e2`` is left out (as every reader
leaves out a relation of an entity with itself, ``gold.drop_self_relations``).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from generx.evaluation.gold import GoldArgument, GoldCorpus, GoldFormatError, GoldRelation, open_gold
from generx.pipelines.statements import GivenEntity, Statement

log = logging.getLogger(__name__)

# Corpora whose interactions are directed agent -> target.
DIRECTED_SOURCES = frozenset({"lll"})


def parse_offsets(value: str) -> list[tuple[int, int]]:
    """Parse ``charOffset`` ("12-18" or "65-71,82-87") into (start, end) pairs as written."""
    spans = []
    for piece in value.split(","):
        start, _, end = piece.strip().partition("-")
        try:
            spans.append((int(start), int(end)))
        except ValueError as err:
            raise GoldFormatError(f"charOffset {value!r} is not 'start-end[,start-end]'") from err
    return spans


def entity_spans(sentence: str, offsets: list[tuple[int, int]], text: str | None) -> list[tuple[int, int]]:
    """The end-exclusive spans of an entity, whichever end convention its corpus release uses.

    The copies in ../shared/data write end-exclusive offsets; the original 2008 release wrote inclusive
    ones. The entity's own text decides: the spans whose joined text matches it win.
    """
    exclusive = offsets
    inclusive = [(start, end + 1) for start, end in offsets]
    if text is not None:
        target = " ".join(text.split())
        for spans in (exclusive, inclusive):
            if " ".join(" ".join(sentence[s:e] for s, e in spans).split()) == target:
                return spans
    return exclusive


def read_ppi(path: Path) -> GoldCorpus:
    """Read a PPI corpus (``.xml`` or ``.xml.gz``) into statements with given entities and gold pairs.

    A discontinuous entity ("muscle ... actin" in "muscle and brain actin") is handed to the pipeline as
    its last piece, usually the head noun it shares with its neighbour; the pair it takes part in is
    scored by its id as usual.
    """
    try:
        with open_gold(path) as stream:
            root = ET.parse(stream).getroot()
    except (ET.ParseError, OSError, EOFError) as err:
        raise GoldFormatError(f"{path}: not readable as PPI XML: {err}") from err
    if root.tag != "corpus":
        raise GoldFormatError(f"{path}: the root element is <{root.tag}>, expected <corpus> (PPI XML)")
    source = root.get("source", path.name.split(".")[0].split("-")[0])
    directed = source.lower() in DIRECTED_SOURCES
    statements: list[Statement] = []
    relations: list[GoldRelation] = []
    ignored: Counter[str] = Counter()
    candidates = 0
    for sentence in root.iter("sentence"):
        sentence_id = sentence.get("id") or f"{path.name}#{len(statements) + 1}"
        text = sentence.get("text", "")
        entities: dict[str, GivenEntity] = {}
        for element in sentence.iter("entity"):
            entity_id = element.get("id", "")
            try:
                spans = entity_spans(text, parse_offsets(element.get("charOffset", "")), element.get("text"))
            except GoldFormatError as err:
                raise GoldFormatError(f"{path}: entity {entity_id}: {err}") from err
            start, end = spans[-1]
            if not 0 <= start < end <= len(text):
                raise GoldFormatError(f"{path}: entity {entity_id}: offsets outside its sentence")
            # Types (agent/target in LLL) would give the answer away: every entity is just a gene.
            entities[entity_id] = GivenEntity(start, end, text[start:end], "gene", entity_id)
        statements.append(Statement(id=sentence_id, text=text, entities=tuple(entities.values())))
        candidates += len(entities) * (len(entities) - 1) // 2
        seen: set[tuple[str, ...]] = set()
        for e1, e2, pair_directed in _positives(sentence, directed):
            if e1 not in entities or e2 not in entities:
                raise GoldFormatError(f"{path}: sentence {sentence_id}: interaction names an unknown entity")
            key = (e1, e2) if pair_directed else tuple(sorted((e1, e2)))
            if key in seen:
                continue
            seen.add(key)
            relations.append(
                GoldRelation(
                    unit=sentence_id,
                    subject=GoldArgument((e1,), "gene", entities[e1].text),
                    object=GoldArgument((e2,), "gene", entities[e2].text),
                    sign=None,
                    directed=pair_directed,
                    source_type="PPI",
                )
            )
    log.info("%s: %s sentences, %s interactions", path, len(statements), len(relations))
    corpus = GoldCorpus(
        name=source,
        format="ppi",
        statements=statements,
        relations=relations,
        match="offset",
        candidate_pairs=candidates,
        ignored=ignored,
    )
    if directed:
        corpus.notes.append(f"{source}: interactions are directed, e1 (agent) -> e2 (target)")
    return corpus


def _positives(sentence: ET.Element, directed: bool) -> list[tuple[str, str, bool]]:
    """The positive pairs of a sentence: its ``interaction`` elements, else its ``pair``s marked True."""
    found = []
    for element in sentence.iter("interaction"):
        pair_directed = directed or element.get("directed", "").lower() == "true"
        found.append((element.get("e1", ""), element.get("e2", ""), pair_directed))
    if not found:
        for element in sentence.iter("pair"):
            if element.get("interaction", "").lower() == "true":
                pair_directed = directed or element.get("directed", "").lower() == "true"
                found.append((element.get("e1", ""), element.get("e2", ""), pair_directed))
    return found
