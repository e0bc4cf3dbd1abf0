"""generx: signed, grounded gene–gene and gene–process relations from gene function statements.

The Python API::

    import generx

    nlp = generx.load()                      # the full spaCy pipeline, from the packaged models
    for record in generx.extract(["PRDM1 represses IL2 expression."], nlp=nlp):
        print(record["subject"]["name"], record["predicate"], record["object"]["name"])

Layout: ``generx.pipelines`` is the NLP core (spaCy components, rules, Doc -> records),
``generx.worker`` the job system, ``generx.models`` the trained artifacts, ``generx.exports`` and
``generx.evaluation`` the consumers of relation records. Submodules are imported on use, so
``import generx`` stays light.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from spacy.language import Language

    from generx.pipelines.statements import Statement
    from generx.record import Relation

__all__ = ["__version__", "extract", "load"]

log = logging.getLogger(__name__)


def load(
    models_dir: Path | None = None, *, min_confidence: float | None = None, convention: str | None = None
) -> Language:
    """generx's full pipeline (parser, gene and process mentions, relations) from the packaged models.

    ``models_dir`` reads the artifacts from another copy; ``min_confidence`` reports only relations
    whose confidence reaches it (default: the relation model's own threshold); ``convention`` is whose
    way of reading relations the relation model follows (default: general, the corpora pooled; also
    biored, genia, bioinfer).
    """
    from generx.pipelines.extract import load_pipeline

    return load_pipeline(models_dir, min_confidence=min_confidence, convention=convention)


def extract(
    statements: Iterable[str | Mapping[str, Any] | Statement],
    *,
    gene: str | None = None,
    nlp: Language | None = None,
) -> Iterator[Relation]:
    """Yield the relation records of each statement, in input order.

    A statement is a string, a mapping with ``text`` (and optional ``id`` and ``gene``), or a
    ``generx.pipelines.statements.Statement``. Statements without an id are numbered from 1; ``gene``
    is the context gene of statements that name none. A statement the pipeline cannot read is logged
    with its named error and the others go on; ``generx.pipelines.extract.extract`` yields each
    statement's result, errors included, for callers that keep them.
    """
    from generx.pipelines.extract import extract as run
    from generx.pipelines.statements import Statement

    def as_statement(number: int, item: str | Mapping[str, Any] | Statement) -> Statement:
        if isinstance(item, Statement):
            return item if item.gene or not gene else Statement(item.id, item.text, gene, item.entities)
        if isinstance(item, str):
            return Statement(str(number), item, gene)
        return Statement(str(item.get("id") or number), str(item["text"]), item.get("gene") or gene)

    pipeline = nlp if nlp is not None else load()
    numbered = (as_statement(number, item) for number, item in enumerate(statements, start=1))
    for result in run(pipeline, numbered):
        if result.error is not None:
            log.warning("statement %s: %s", result.statement.id, result.error)
        yield from result.relations  # type: ignore[misc]
