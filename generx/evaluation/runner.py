"""Read a gold corpus, run the pipeline over its statements, and score what it found."""

from __future__ import annotations

import itertools
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from generx import __version__
from generx.evaluation.bel import read_bel
from generx.evaluation.bioc import read_bioc_gold
from generx.evaluation.generx_gold import GOLD_SUFFIX, read_generx_gold
from generx.evaluation.gold import (
    GoldArgument,
    GoldCorpus,
    GoldFormatError,
    GoldRelation,
    UnsupportedMode,
    drop_self_relations,
    open_gold,
    require_gold,
)
from generx.evaluation.ppi import read_ppi
from generx.evaluation.pubtator import concept_ids, read_pubtator_gold
from generx.evaluation.report import Report
from generx.evaluation.scoring import (
    PREDICATE_SIGNS,
    PRF,
    Prediction,
    resolve,
    score,
)
from generx.evaluation.standoff import read_standoff
from generx.models import models_dir
from generx.pipelines.errors import ModelNotFound
from generx.pipelines.extract import StatementResult, extract
from generx.pipelines.statements import GivenEntity, Statement
from generx.record import PREDICATES, SYMMETRIC_PREDICATES

log = logging.getLogger(__name__)

FORMATS = ("ppi", "pubtator", "bioc", "standoff", "bel", "generx")
MODES = ("given-entities", "end-to-end", "auto")
READERS = {
    "ppi": read_ppi,
    "pubtator": read_pubtator_gold,
    "bioc": read_bioc_gold,
    "standoff": read_standoff,
    "bel": read_bel,
    "generx": read_generx_gold,
}
# Formats whose gold may name genes by NCBI Gene id.
_ENTREZ_FORMATS = frozenset({"pubtator", "bioc", "bel"})
# Formats whose given entity ids may hold several concepts ("3172,3651").
_MULTI_ID_FORMATS = frozenset({"pubtator", "bioc"})
# A document holding more than this share of the gold relations is named in the report.
DOMINANT_UNIT_SHARE = 0.2


def detect_gold_format(path: Path) -> str:
    """Say which gold format ``path`` is, from its name and, when that does not tell, its first bytes.

    A folder or a tar archive is BioNLP standoff; ``*.gold.jsonl`` is generx's own gold; ``.bel`` is BEL;
    ``.pubtator`` is PubTator; XML is the PPI format when its root is ``<corpus>`` and BioC when it is
    ``<collection>``. Names may end in ``.gz``.
    """
    name = path.name.lower().removesuffix(".gz")
    if path.is_dir() or name.endswith((".tar", ".tgz")) or path.name.lower().endswith(".tar.gz"):
        return "standoff"
    if name.endswith(GOLD_SUFFIX):
        return "generx"
    if name.endswith(".bel"):
        return "bel"
    if name.endswith(".pubtator"):
        return "pubtator"
    with open_gold(path) as stream:
        head = stream.read(4096).decode("utf-8", errors="replace")
    if "<corpus" in head:
        return "ppi"
    if "<collection" in head:
        return "bioc"
    if "|t|" in head.split("\n", 1)[0]:
        return "pubtator"
    if "SET " in head and ("Evidence" in head or "SupportingText" in head):
        return "bel"
    raise GoldFormatError(f"{path}: cannot tell its gold format; name one of {', '.join(FORMATS)}")


def read_gold(path: Path, *, fmt: str | None = None) -> GoldCorpus:
    """Read a gold corpus in one of FORMATS (None: detect it), without relations of an entity with itself."""
    if not path.exists():
        raise FileNotFoundError(f"no such gold corpus: {path}")
    fmt = fmt or detect_gold_format(path)
    if fmt not in READERS:
        raise GoldFormatError(f"unknown gold format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return drop_self_relations(READERS[fmt](path))


def evaluate(corpus: Path, *, fmt: str | None, mode: str, nlp: Language) -> Report:
    """Score ``nlp`` on a gold corpus in its native format.

    ``mode`` is "given-entities" (the corpus's entities are handed to the relation component; how RelEx,
    the graph kernels and BioREx are reported), "end-to-end" (generx's own mentions and grounding,
    matched to gold by id, or by overlapping offsets for corpora without ids), or "auto" (given entities
    when the corpus has them).
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    gold = read_gold(corpus, fmt=fmt)
    require_gold(gold)
    if mode == "auto":
        mode = "given-entities" if gold.has_entities else "end-to-end"
    if mode == "given-entities" and not gold.has_entities:
        raise UnsupportedMode(
            f"{gold.format} gold has no entity offsets to give; evaluate it with --mode end-to-end"
        )
    # An empty document (a title without abstract or text) has nothing to find; the pipeline is not asked.
    statements = [
        statement if mode == "given-entities" else _without_entities(statement)
        for statement in gold.statements
        if statement.text.strip()
    ]
    results = list(extract(nlp, statements))
    return score_results(gold, results, mode=mode, pipeline=_pipeline_name(nlp, results))


def score_results(
    gold: GoldCorpus,
    results: Iterable[StatementResult],
    *,
    mode: str,
    pipeline: str = "",
    entrez: dict[str, str] | None = None,
) -> Report:
    """Score the pipeline's results on a gold corpus's statements.

    ``entrez`` maps HGNC ids to NCBI Gene ids for gold written in NCBI Gene ids (BioRED, BEL's EGID)
    end to end; None reads it from the compiled gene lexicon when needed. A given mention with several
    concept ids ("639,12142") relates each of them, as BioRED's own evaluation counts every id pair of
    the two mentions. Raises ``EmptyGold`` when the gold holds no relation.
    """
    require_gold(gold)
    results = list(results)
    entities = {statement.id: statement.entities or () for statement in gold.statements}
    gold_arguments: dict[str, list[GoldArgument]] = {}
    for relation in gold.relations:
        gold_arguments.setdefault(relation.unit, []).extend((relation.subject, relation.object))
    if entrez is None:
        entrez = _entrez_ids() if mode == "end-to-end" and gold.format in _ENTREZ_FORMATS else {}
    split_ids = mode == "given-entities" and gold.format in _MULTI_ID_FORMATS
    dropped: Counter[str] = Counter()
    predictions: list[Prediction] = []
    failed = 0
    for result in results:
        if result.error:
            failed += 1
            log.warning("statement %s failed: %s", result.statement.id, result.error)
            continue
        unit = result.statement.id
        for record in result.relations:
            prediction = _prediction(
                record, unit, mode=mode, gold=gold, entities=entities.get(unit, ()), entrez=entrez
            )
            if prediction is None:
                # enables, located_in, part_of (GO annotations) and member_of (a gene in a gene
                # family), which no gold corpus here judges
                predicate = record.get("predicate")
                known = predicate in PREDICATES
                dropped[f"{predicate} (not judged by this gold)" if known else "unknown predicate"] += 1
                continue
            if prediction.sign in gold.unscored_signs:
                dropped[f"{prediction.predicate} (not judged by this gold)"] += 1
                continue
            if prediction.category not in gold.categories:
                dropped[f"{prediction.category} (not scored on this corpus)"] += 1
                continue
            if not gold.judges_families and _names_a_group(record):
                dropped["family or complex argument (not judged by this gold)"] += 1
                continue
            for subject, obj in itertools.product(
                _concepts(prediction.subject, split=split_ids), _concepts(prediction.object, split=split_ids)
            ):
                subject = resolve(subject, gold_arguments.get(unit, ()))
                obj = resolve(obj, gold_arguments.get(unit, ()))
                if subject.key == obj.key:
                    dropped["same entity on both sides"] += 1
                    continue
                predictions.append(replace(prediction, subject=subject, object=obj))
    notes = list(gold.notes)
    notes.extend(_species_note(gold.relations, entrez))
    notes.extend(_dominant_unit_note(gold.relations))
    texts = {statement.id: statement.text for statement in gold.statements}
    scores = score(gold.relations, predictions, texts=texts)
    notes.extend(_same_name_note(gold.relations, predictions))
    if any(prediction.predicate == "involved_in" for prediction in predictions):
        notes.append("involved_in (a gene takes part in a process) is counted as + against signed gold")
    if dropped:
        notes.append("predictions not scored: " + ", ".join(f"{why} {n}" for why, n in dropped.most_common()))
    counts = {
        "statements": len(gold.statements),
        "empty statements": sum(not statement.text.strip() for statement in gold.statements),
        "failed statements": failed,
        "gold relations": len(gold.relations),
        "predicted relations": len(predictions),
    }
    return Report(
        corpus=gold.name,
        format=gold.format,
        mode=mode,
        scores=scores,
        counts=counts,
        baseline=_cooccurrence(gold),
        ignored=dict(gold.ignored.most_common()),
        notes=notes,
        pipeline=pipeline,
    )


def _concepts(argument: GoldArgument, *, split: bool) -> list[GoldArgument]:
    """The concepts a predicted argument stands for: itself, or (``split``) each id of a multi-id mention.

    BioRED writes one relation per NCBI Gene id pair, and a mention may carry several ids (a human and a
    mouse gene, "639,12142"); BioRED's evaluation counts every id pair that the two mentions form.
    """
    ids = concept_ids(argument.key) if split else []
    if len(ids) < 2:
        return [argument]
    return [GoldArgument((ident,), argument.type, argument.text) for ident in ids]


def _names_a_group(record: dict[str, Any]) -> bool:
    """Whether a relation's subject or object is a family or complex (it lists its members)."""
    return bool(record["subject"].get("members") or record["object"].get("members"))


def _species_note(relations: list[GoldRelation], entrez: dict[str, str]) -> list[str]:
    """How many gold relations between NCBI Gene ids HGNC grounding can reach (both genes human)."""

    def ncbi(argument: GoldArgument) -> set[str]:
        return {key for key in argument.keys if key.startswith("NCBIGene:")}

    keyed = [r for r in relations if ncbi(r.subject) and ncbi(r.object)]
    if not entrez or not keyed:  # gold keyed by symbol (BEL's HGNC) has no species question
        return []
    # HGNC grounding can only ever reach human genes; BioRED also has mouse, rat, ... genes.
    human = {f"NCBIGene:{value}" for value in entrez.values()}
    reachable = sum(bool(human & ncbi(r.subject)) and bool(human & ncbi(r.object)) for r in keyed)
    return [
        f"{reachable} of the {len(keyed)} gold relations written in NCBI Gene ids join two human genes "
        "(NCBI Gene ids in HGNC); the others cannot be matched by HGNC grounding"
    ]


def _dominant_unit_note(relations: list[GoldRelation]) -> list[str]:
    """Name a single document that holds more than ``DOMINANT_UNIT_SHARE`` of the gold: it sways the score."""
    per_unit = Counter(relation.unit for relation in relations if not relation.negated)
    total = sum(per_unit.values())
    if len(per_unit) < 2:
        return []
    unit, count = per_unit.most_common(1)[0]
    if count <= DOMINANT_UNIT_SHARE * total:
        return []
    return [
        f"one unit, {unit}, holds {count} of the {total} gold relations ({100 * count / total:.0f}%): "
        "the scores lean on it"
    ]


def _same_name_note(relations: list[GoldRelation], predictions: list[Prediction]) -> list[str]:
    """Pairs of two mentions of one name ("ECK ... ECK"), in the gold and among the predictions.

    They stay scored as pairs, as the corpora annotate them (a protein regulating its own gene, two
    actin molecules assembling); the note shows how much of the score they make.
    """

    def same(subject: GoldArgument, obj: GoldArgument) -> bool:
        return bool(subject.text) and " ".join(subject.text.lower().split()) == " ".join(
            obj.text.lower().split()
        )

    gold_pairs = {(r.unit, frozenset((r.subject.key, r.object.key))) for r in relations if not r.negated}
    in_gold = sum(same(r.subject, r.object) for r in relations if not r.negated)
    predicted = {
        (p.unit, frozenset((p.subject.key, p.object.key)))
        for p in predictions
        if not p.negated and same(p.subject, p.object)
    }
    if not predicted and not in_gold:
        return []
    correct = len(predicted & gold_pairs)
    return [
        f"pairs of two mentions of one name: {in_gold} in the gold, {len(predicted)} predicted, {correct} "
        "of them right (scored like any pair, as the gold annotates them)"
    ]


def _without_entities(statement: Statement) -> Statement:
    return Statement(id=statement.id, text=statement.text, gene=statement.gene)


def _pipeline_name(nlp: Language, results: list[StatementResult]) -> str:
    """The pipeline's name as its records give it, else the trained model's meta, else spaCy's."""
    for result in results:
        for record in result.relations:
            if record.get("pipeline"):
                return str(record["pipeline"])
    meta = models_dir() / "generx_bio_sm" / "meta.json"
    if nlp.meta.get("name") == "pipeline" and meta.exists():
        version = json.loads(meta.read_text(encoding="utf-8")).get("version", "")
        return f"generx {__version__} / models generx_bio_sm {version}"
    return f"generx {__version__} / {nlp.meta.get('name', 'pipeline')} {nlp.meta.get('version', '')}".strip()


def _entrez_ids() -> dict[str, str]:
    """HGNC id -> NCBI Gene id from the compiled gene lexicon, to match gold written in NCBI Gene ids."""
    from generx.pipelines.lexicon import load_gene_lexicon

    try:
        lexicon = load_gene_lexicon()
    except ModelNotFound as err:
        log.warning("no gene lexicon, so no NCBI Gene ids to match: %s", err)
        return {}
    return {gene.id: gene.entrez for gene in lexicon.genes if gene.entrez}


def _prediction(
    record: dict[str, Any],
    unit: str,
    *,
    mode: str,
    gold: GoldCorpus,
    entities: tuple[GivenEntity, ...],
    entrez: dict[str, str],
) -> Prediction | None:
    sign = PREDICATE_SIGNS.get(record.get("predicate", ""))
    if sign is None:
        return None
    subject = _argument(record["subject"], mode=mode, gold=gold, entities=entities, entrez=entrez)
    obj = _argument(record["object"], mode=mode, gold=gold, entities=entities, entrez=entrez)
    trigger = record.get("trigger") or {}
    evidence = record.get("evidence") or {}
    return Prediction(
        unit=unit,
        subject=subject,
        object=obj,
        sign=sign,
        predicate=record["predicate"],
        symmetric=record["predicate"] in SYMMETRIC_PREDICATES,
        negated=bool(record.get("negated")),
        hedged=bool(record.get("hedged")),
        trigger=trigger.get("text") or "",
        evidence=evidence.get("text") or "",
        confidence=float(record.get("confidence") or 0.0),
    )


def _argument(
    arg: dict[str, Any],
    *,
    mode: str,
    gold: GoldCorpus,
    entities: tuple[GivenEntity, ...],
    entrez: dict[str, str],
) -> GoldArgument:
    """A record's subject or object with every key it may match gold by."""
    kind = arg.get("type") or "gene"
    text = arg.get("text") or ""
    ident = arg.get("id")
    name = arg.get("name")
    keys: list[str] = []
    if mode == "given-entities":
        if ident:
            keys.append(ident)
            if gold.format in _MULTI_ID_FORMATS:
                keys.extend(concept_ids(ident))
        return GoldArgument(tuple(keys) or (f"text:{text.lower()}",), kind, text)
    if gold.match == "offset" and arg.get("start") is not None:
        overlapping = _overlapping(arg["start"], arg["end"], entities)
        if overlapping is not None:
            keys.append(overlapping.id)
    if ident:
        keys.append(ident)
        if ident in entrez:
            keys.append(f"NCBIGene:{entrez[ident]}")
    if name and kind == "gene":
        keys.append(f"sym:{name.upper()}")
    elif name and kind == "process":
        keys.append(f"go_name:{' '.join(name.lower().split())}")
    keys.append(f"text:{text.lower()}")
    return GoldArgument(tuple(keys), kind, text or name or ident or "")


def _overlapping(start: int, end: int, entities: tuple[GivenEntity, ...]) -> GivenEntity | None:
    """The gold entity that overlaps the span [start, end) most, if any does."""
    best, best_overlap = None, 0
    for entity in entities:
        overlap = min(end, entity.end) - max(start, entity.start)
        if overlap > best_overlap:
            best, best_overlap = entity, overlap
    return best


def _cooccurrence(gold: GoldCorpus) -> PRF | None:
    """The co-occurrence baseline of the PPI papers: every entity pair of a sentence called positive."""
    if gold.candidate_pairs is None:
        return None
    pairs = {
        (relation.unit, frozenset((relation.subject.key, relation.object.key))) for relation in gold.relations
    }
    return PRF(tp=len(pairs), fp=gold.candidate_pairs - len(pairs), fn=0)
