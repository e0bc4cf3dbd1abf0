"""Run the pipeline over statements and turn each Doc into plain relation records.

This is the one boundary between spaCy and everything else: past ``extract``, nothing needs spaCy.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from generx import __version__
from generx.models import models_dir as default_models_dir
from generx.pipelines.errors import InvalidSetting, InvalidStatement, ModelNotFound
from generx.pipelines.memory import bound_caches, keep_words, release_memory
from generx.pipelines.pipeline import build_pipeline, prepare_doc
from generx.pipelines.records import doc_to_mentions, doc_to_records
from generx.pipelines.statements import Statement

log = logging.getLogger(__name__)

MAX_STATEMENT_CHARS = 100_000


@dataclass
class StatementResult:
    """What one statement gave: its relation records, or the named error that stopped it."""

    statement: Statement
    relations: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def load_pipeline(
    models_dir: Path | None = None, *, min_confidence: float | None = None, convention: str | None = None
) -> Language:
    """Load generx's full pipeline (parser, mentions, relations) from ``models/``.

    ``min_confidence`` (default: GENERX_MIN_CONFIDENCE, else the relation model's own threshold) reports
    only relations whose confidence reaches it: lower it for recall, raise it for precision.
    ``convention`` (default: GENERX_CONVENTION, else the config's, ``general``) is whose way of reading
    relations the relation model follows.
    """
    models_dir = models_dir or default_models_dir()
    if not (models_dir / "generx_bio_sm" / "config.cfg").exists():
        raise ModelNotFound(f"no trained pipeline under {models_dir / 'generx_bio_sm'}")
    if min_confidence is None and os.environ.get("GENERX_MIN_CONFIDENCE"):
        try:
            min_confidence = float(os.environ["GENERX_MIN_CONFIDENCE"])
        except ValueError as err:
            raise InvalidSetting(f"GENERX_MIN_CONFIDENCE is not a number: {err}") from err
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise InvalidSetting(f"min_confidence {min_confidence} is outside [0, 1]")
    convention = convention or os.environ.get("GENERX_CONVENTION") or None
    return build_pipeline(models_dir, min_confidence=min_confidence, convention=convention)


def check_statement(statement: Statement) -> None:
    """Raise InvalidStatement for a statement the pipeline should not be given."""
    if not statement.text.strip():
        raise InvalidStatement("empty statement", statement_id=statement.id)
    if len(statement.text) > MAX_STATEMENT_CHARS:
        raise InvalidStatement(
            f"statement of {len(statement.text)} characters exceeds {MAX_STATEMENT_CHARS}",
            statement_id=statement.id,
        )


def extract(
    nlp: Language,
    statements: Iterable[Statement],
    *,
    batch_size: int = 64,
    passthrough: tuple[type[BaseException], ...] = (),
) -> Iterator[StatementResult]:
    """Yield one StatementResult per statement, in input order.

    A statement that fails gets a named error in its result and the others go on: a batch that
    raises is rerun one statement at a time to find the one to blame. Exceptions of the types in
    ``passthrough`` are not a statement's fault and are raised to the caller (a worker's time limit).
    """
    iterator = iter(statements)
    while batch := list(itertools.islice(iterator, batch_size)):
        results = [StatementResult(statement) for statement in batch]
        todo = []
        for result in results:
            try:
                check_statement(result.statement)
                todo.append(result)
            except InvalidStatement as err:
                result.error = f"InvalidStatement: {err.reason}"
        try:
            _annotate(nlp, todo)
        except passthrough:
            raise
        except Exception:
            log.warning("a batch of %d statements failed; retrying one at a time", len(todo))
            for result in todo:
                try:
                    _annotate(nlp, [result])
                except passthrough:
                    raise
                except Exception as err:  # one broken statement must not sink the job
                    log.exception("statement %s failed", result.statement.id)
                    result.error = f"{type(err).__name__}: {err}"
        keep_words(nlp, (result.statement.text for result in todo))
        bound_caches(nlp)
        release_memory()
        yield from results


def pipeline_name(nlp: Language) -> str:
    """What made a record: "generx 0.1.0 / models generx_bio_sm 0.1.0"."""
    return f"generx {__version__} / models {nlp.meta.get('generx_models', 'unknown')}"


def _annotate(nlp: Language, results: list[StatementResult]) -> None:
    name = pipeline_name(nlp)
    # Words first seen in a batch are spaCy strings and lexemes only while it runs (spaCy's memory zone):
    # the vocabulary would otherwise grow with every new word of a long input.
    with nlp.memory_zone():
        docs = (prepare_doc(nlp, result.statement) for result in results)
        for result, doc in zip(results, nlp.pipe(docs), strict=True):
            result.mentions = doc_to_mentions(doc)
            result.relations = doc_to_records(doc, pipeline=name)
            # The Spans kept in user_data (relations, abbreviations) point back at their Doc. Breaking that
            # cycle frees the Doc now: left to the garbage collector, Docs pile up until its next full
            # collection, which the lexicons' millions of long-lived objects make rare.
            doc.user_data.clear()
